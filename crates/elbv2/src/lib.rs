//! # lbcloud-elbv2
//!
//! The AWS Elastic Load Balancing v2 driver: Application and Network Load
//! Balancers (and Gateway Load Balancers through the `ex_` methods), API
//! 2015-12-01, on the shared `lbcloud-aws` plumbing (credentials, SigV4
//! signing as `elasticloadbalancing`, retries, error mapping, the XML
//! cursor). The endpoint can be overridden with
//! `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2` (or `AWS_ENDPOINT_URL`).
//!
//! [`Elbv2Driver`] reaches every action of the API through inherent `ex_`
//! methods (see [the table](#all-51-actions)), with libcloud's names where
//! libcloud's ALB driver has one (`ex_create_target_group`,
//! `ex_register_targets`, `ex_create_listener`, `ex_create_listener_rule`,
//! `ex_get_target_group`, `ex_get_listener`, `ex_get_rule`). Each method
//! checks its input before any request. Underneath is the pure half of
//! the driver, with no I/O:
//!
//! - [`model`]: one typed struct per API structure; enumerations keep a
//!   value AWS adds later as `Other(text)` instead of failing the answer.
//! - [`request`]: one builder per action, typed input to
//!   [`QueryParams`](lbcloud_aws::QueryParams), validating before building.
//! - [`response`]: one parser per answer shape, on [`lbcloud_aws::xml`].
//!
//! The paged actions (`DescribeLoadBalancers`, `DescribeTargetGroups`,
//! `DescribeListeners`, `DescribeRules`, `DescribeSSLPolicies`) come as
//! streams of pages (`ex_*_pages`) and as `Vec`s of every item; every
//! listing sends `PageSize` ([`Elbv2DriverBuilder::page_size`], default
//! 400), follows `NextMarker`, and stops with `InvalidResponse` on a
//! repeated marker or after [`Elbv2DriverBuilder::max_pages`] pages. Tag
//! actions take any number of ARNs and send one call per 20, together.
//!
//! ## The balancer on ELBv2
//!
//! [`Elbv2Driver`] implements [`Driver`](lbcloud_core::Driver). A balancer
//! is one ELBv2 load balancer (its id is the ARN; `get_balancer` takes the
//! name too), its listeners, and the target groups lbcloud created for it:
//! one per distinct instance port, the first named like the balancer, all
//! tagged [`OWNER_TAG`] = the load balancer's ARN and found again through
//! the listeners' forward actions and that tag. `destroy_balancer` deletes
//! the listeners, the load balancer, then only those groups.
//!
//! - `create_balancer` checks the name itself first (moto would make a
//!   second balancer of the same name; AWS answers
//!   `DuplicateLoadBalancerName`), then sends `CreateLoadBalancer`, the
//!   target groups (with the health check) together, and then
//!   `RegisterTargets`, every `CreateListener` and the algorithm attribute
//!   together; on any failure it deletes what it made
//!   (`tests/driver_unit.rs`, `elbv2_moto::a_failed_create_leaves_nothing_behind`).
//!   A target group needs the VPC id: when the driver knows it before the
//!   create ([`Elbv2DriverBuilder::vpc_id`], or learned from an earlier
//!   answer about a balancer in the same subnets; a subnet never changes
//!   VPC), the groups go out together with `CreateLoadBalancer` and get
//!   their owner tag (`AddTags`) with the listeners: three waves of
//!   requests instead of four.
//! - ALB or NLB follows the listener protocols (HTTP/HTTPS, or TCP, TLS,
//!   UDP, TCP_UDP; a mix is `InvalidInput`). Subnets come from
//!   [`CreateBalancer::subnets`](lbcloud_core::CreateBalancer::subnets), or
//!   the driver's defaults ([`Elbv2DriverBuilder::subnets`], option
//!   `subnets`).
//! - Members are the default group's targets: instance ids (with a port
//!   when not the group's) or `Member::address(ip, port)` (id `ip:port`),
//!   all of one kind per balancer; attach / detach send one
//!   `RegisterTargets` / `DeregisterTargets` per lbcloud group. Targets
//!   carry no weight or condition.
//! - Member health is `DescribeTargetHealth`: healthy -> `InService`,
//!   initial -> `Initial`, unhealthy and unused -> `OutOfService`,
//!   draining and unhealthy.draining -> `Draining`, unavailable ->
//!   `Unknown`, with the reason code and AWS's word as `provider_state`.
//! - The algorithm is the group attribute [`ALGORITHM_ATTRIBUTE`]
//!   (`round_robin`, `least_outstanding_requests`, `weighted_random` as
//!   `Random`; ALBs only), chosen at creation and changed by
//!   `update_balancer`, which also changes the main listener's port and
//!   protocol. States: provisioning -> `Pending`, active and
//!   active_impaired -> `Running`, failed -> `Error`.
//! - [`ELBV2_CAPABILITIES`] and [`ELBV2_LIMITS`] say the rest: no renames,
//!   weights or member conditions; names 1-32 letters, digits and hyphens;
//!   health interval 5-300 s, timeout 2-120 s below it, thresholds 2-10.
//!
//! Every scenario of the conformance kit passes on moto
//! (`elbv2_moto::elbv2_on_moto_conforms`, and with page size 2). ELBv2 made
//! the kit change in two places: it puts each member kind on a balancer
//! created with that kind (a target group holds one kind), and it checks
//! HTTP balancers with HTTP health checks (ALB groups refuse TCP checks).
//!
//! ## All 51 actions
//!
//! Which method sends each action, and which test exercises it. Every
//! action is sent by its method against the scripted loopback server in
//! `crates/elbv2/tests/ext_unit.rs`
//! (`every_action_is_sent_by_a_method_with_the_parameters_the_api_requires`),
//! which walks [`request::ACTIONS`] and checks each request's parameters
//! against the API reference (names, `.member.N` from 1, dotted nesting,
//! required fields) and parses an answer written from the API reference;
//! `bad_input_to_every_ex_method_is_rejected_before_any_request` sends bad
//! input to every method and checks that none reaches the server. "unit"
//! below names that file; further tests are named after it. "moto" tests
//! are in lbcloud's peer-test crate, `crates/peer-tests/tests/elbv2_ext_moto.rs`
//! unless named otherwise (`elbv2_moto::` is `elbv2_moto.rs` there), and run
//! against moto 5.2.5 (`cargo test -p lbcloud-peer-tests` with
//! `LBCLOUD_MOTO_ENDPOINT` set; they fail when it is not).
//!
//! | Action | Sent by | Test |
//! |---|---|---|
//! | `AddListenerCertificates` | [`ex_add_listener_certificates`](Elbv2Driver::ex_add_listener_certificates) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `AddTags` | [`ex_add_tags`](Elbv2Driver::ex_add_tags) | moto: `tags_limits_and_ssl_policies`; unit; `tags_go_twenty_arns_a_call` |
//! | `AddTrustStoreRevocations` | [`ex_add_trust_store_revocations`](Elbv2Driver::ex_add_trust_store_revocations) | unit only (moto 5.2.5 lacks it) |
//! | `CreateListener` | [`ex_create_listener`](Elbv2Driver::ex_create_listener) | moto: `listeners_certificates_rules_and_priorities`, `elbv2_moto::a_failed_create_leaves_nothing_behind`; unit |
//! | `CreateLoadBalancer` | [`ex_create_load_balancer`](Elbv2Driver::ex_create_load_balancer) | moto: `load_balancers_are_created_described_configured_and_deleted`, `elbv2_moto::an_alb_is_created_read_changed_and_destroyed_with_only_its_own_target_group`; unit |
//! | `CreateRule` | [`ex_create_listener_rule`](Elbv2Driver::ex_create_listener_rule) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `CreateTargetGroup` | [`ex_create_target_group`](Elbv2Driver::ex_create_target_group) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `CreateTrustStore` | [`ex_create_trust_store`](Elbv2Driver::ex_create_trust_store) | unit only (moto 5.2.5 lacks it) |
//! | `DeleteListener` | [`ex_delete_listener`](Elbv2Driver::ex_delete_listener) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `DeleteLoadBalancer` | [`ex_delete_load_balancer`](Elbv2Driver::ex_delete_load_balancer) | moto: `load_balancers_are_created_described_configured_and_deleted`; unit |
//! | `DeleteRule` | [`ex_delete_listener_rule`](Elbv2Driver::ex_delete_listener_rule) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `DeleteSharedTrustStoreAssociation` | [`ex_delete_shared_trust_store_association`](Elbv2Driver::ex_delete_shared_trust_store_association) | unit only (moto 5.2.5 lacks it) |
//! | `DeleteTargetGroup` | [`ex_delete_target_group`](Elbv2Driver::ex_delete_target_group) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `DeleteTrustStore` | [`ex_delete_trust_store`](Elbv2Driver::ex_delete_trust_store) | unit only (moto 5.2.5 lacks it) |
//! | `DeregisterTargets` | [`ex_deregister_targets`](Elbv2Driver::ex_deregister_targets) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `DescribeAccountLimits` | [`ex_describe_account_limits`](Elbv2Driver::ex_describe_account_limits) | moto: `tags_limits_and_ssl_policies`; unit; `every_paged_action_follows_its_marker` |
//! | `DescribeCapacityReservation` | [`ex_describe_capacity_reservation`](Elbv2Driver::ex_describe_capacity_reservation) | moto: `moto_gaps` (a stub); unit; `answers_become_rich_types` (moto's is a stub) |
//! | `DescribeListenerAttributes` | [`ex_describe_listener_attributes`](Elbv2Driver::ex_describe_listener_attributes) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `DescribeListenerCertificates` | [`ex_describe_listener_certificates`](Elbv2Driver::ex_describe_listener_certificates) | moto: `listeners_certificates_rules_and_priorities`; unit; `answers_become_rich_types` |
//! | `DescribeListeners` | [`ex_listeners_pages`](Elbv2Driver::ex_listeners_pages), [`ex_list_listeners`](Elbv2Driver::ex_list_listeners), [`ex_get_listener`](Elbv2Driver::ex_get_listener) | moto: `listeners_certificates_rules_and_priorities`; unit; `every_paged_action_follows_its_marker` |
//! | `DescribeLoadBalancerAttributes` | [`ex_describe_load_balancer_attributes`](Elbv2Driver::ex_describe_load_balancer_attributes) | moto: `load_balancers_are_created_described_configured_and_deleted`; unit |
//! | `DescribeLoadBalancers` | [`ex_load_balancers_pages`](Elbv2Driver::ex_load_balancers_pages), [`ex_list_load_balancers`](Elbv2Driver::ex_list_load_balancers), [`ex_describe_load_balancers`](Elbv2Driver::ex_describe_load_balancers), [`ex_get_load_balancer`](Elbv2Driver::ex_get_load_balancer), [`ex_find_load_balancer`](Elbv2Driver::ex_find_load_balancer) | moto: `load_balancers_are_created_described_configured_and_deleted`, `elbv2_moto::elbv2_on_moto_conforms_with_small_pages`; unit; `pages_follow_markers_with_the_page_size_and_stop_at_the_cap` |
//! | `DescribeRules` | [`ex_rules_pages`](Elbv2Driver::ex_rules_pages), [`ex_list_rules`](Elbv2Driver::ex_list_rules), [`ex_get_rule`](Elbv2Driver::ex_get_rule) | moto: `listeners_certificates_rules_and_priorities`; unit; `every_paged_action_follows_its_marker` |
//! | `DescribeSSLPolicies` | [`ex_ssl_policies_pages`](Elbv2Driver::ex_ssl_policies_pages), [`ex_describe_ssl_policies`](Elbv2Driver::ex_describe_ssl_policies) | moto: `tags_limits_and_ssl_policies`; unit; `every_paged_action_follows_its_marker` |
//! | `DescribeTags` | [`ex_describe_tags`](Elbv2Driver::ex_describe_tags) | moto: `tags_limits_and_ssl_policies`; unit; `tags_go_twenty_arns_a_call` |
//! | `DescribeTargetGroupAttributes` | [`ex_describe_target_group_attributes`](Elbv2Driver::ex_describe_target_group_attributes) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `DescribeTargetGroups` | [`ex_target_groups_pages`](Elbv2Driver::ex_target_groups_pages), [`ex_list_target_groups`](Elbv2Driver::ex_list_target_groups), [`ex_get_target_group`](Elbv2Driver::ex_get_target_group) | moto: `target_groups_targets_health_and_attributes`; unit; `every_paged_action_follows_its_marker` |
//! | `DescribeTargetHealth` | [`ex_describe_target_health`](Elbv2Driver::ex_describe_target_health) | moto: `target_groups_targets_health_and_attributes`, `moto_gaps`; unit; `answers_become_rich_types`, `malformed_answers_are_errors_not_panics` |
//! | `DescribeTrustStoreAssociations` | [`ex_describe_trust_store_associations`](Elbv2Driver::ex_describe_trust_store_associations) | unit only (moto 5.2.5 lacks it) |
//! | `DescribeTrustStoreRevocations` | [`ex_describe_trust_store_revocations`](Elbv2Driver::ex_describe_trust_store_revocations) | unit only (moto 5.2.5 lacks it) |
//! | `DescribeTrustStores` | [`ex_describe_trust_stores`](Elbv2Driver::ex_describe_trust_stores) | unit only (moto 5.2.5 lacks it); `every_paged_action_follows_its_marker` |
//! | `GetResourcePolicy` | [`ex_get_resource_policy`](Elbv2Driver::ex_get_resource_policy) | unit only (moto 5.2.5 lacks it) |
//! | `GetTrustStoreCaCertificatesBundle` | [`ex_get_trust_store_ca_certificates_bundle`](Elbv2Driver::ex_get_trust_store_ca_certificates_bundle) | unit only (moto 5.2.5 lacks it); `answers_become_rich_types` |
//! | `GetTrustStoreRevocationContent` | [`ex_get_trust_store_revocation_content`](Elbv2Driver::ex_get_trust_store_revocation_content) | unit only (moto 5.2.5 lacks it) |
//! | `ModifyCapacityReservation` | [`ex_modify_capacity_reservation`](Elbv2Driver::ex_modify_capacity_reservation) | unit only (moto 5.2.5 lacks it) |
//! | `ModifyIpPools` | [`ex_modify_ip_pools`](Elbv2Driver::ex_modify_ip_pools) | unit only (moto 5.2.5 lacks it) |
//! | `ModifyListener` | [`ex_modify_listener`](Elbv2Driver::ex_modify_listener) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `ModifyListenerAttributes` | [`ex_modify_listener_attributes`](Elbv2Driver::ex_modify_listener_attributes) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `ModifyLoadBalancerAttributes` | [`ex_modify_load_balancer_attributes`](Elbv2Driver::ex_modify_load_balancer_attributes) | moto: `load_balancers_are_created_described_configured_and_deleted`; unit |
//! | `ModifyRule` | [`ex_modify_listener_rule`](Elbv2Driver::ex_modify_listener_rule) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `ModifyTargetGroup` | [`ex_modify_target_group`](Elbv2Driver::ex_modify_target_group) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `ModifyTargetGroupAttributes` | [`ex_modify_target_group_attributes`](Elbv2Driver::ex_modify_target_group_attributes) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `ModifyTrustStore` | [`ex_modify_trust_store`](Elbv2Driver::ex_modify_trust_store) | unit only (moto 5.2.5 lacks it) |
//! | `RegisterTargets` | [`ex_register_targets`](Elbv2Driver::ex_register_targets) | moto: `target_groups_targets_health_and_attributes`; unit |
//! | `RemoveListenerCertificates` | [`ex_remove_listener_certificates`](Elbv2Driver::ex_remove_listener_certificates) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `RemoveTags` | [`ex_remove_tags`](Elbv2Driver::ex_remove_tags) | moto: `tags_limits_and_ssl_policies`; unit; `tags_go_twenty_arns_a_call` |
//! | `RemoveTrustStoreRevocations` | [`ex_remove_trust_store_revocations`](Elbv2Driver::ex_remove_trust_store_revocations) | unit only (moto 5.2.5 lacks it) |
//! | `SetIpAddressType` | [`ex_set_ip_address_type`](Elbv2Driver::ex_set_ip_address_type) | moto: `load_balancers_are_created_described_configured_and_deleted`; unit |
//! | `SetRulePriorities` | [`ex_set_rule_priorities`](Elbv2Driver::ex_set_rule_priorities) | moto: `listeners_certificates_rules_and_priorities`; unit |
//! | `SetSecurityGroups` | [`ex_set_security_groups`](Elbv2Driver::ex_set_security_groups) | moto: `load_balancers_are_created_described_configured_and_deleted`; unit |
//! | `SetSubnets` | [`ex_set_subnets`](Elbv2Driver::ex_set_subnets) | moto: `load_balancers_are_created_described_configured_and_deleted`; unit |
//!
//! 51 of 51 actions are reachable. Moto 5.2.5 lacks 14 of them (the 11
//! trust-store actions, `GetResourcePolicy`, `ModifyCapacityReservation`,
//! `ModifyIpPools`) and answers `DescribeCapacityReservation` with a stub;
//! those are covered by the loopback tests only. Moto's other ELBv2 gaps,
//! each pinned by `elbv2_ext_moto::moto_gaps`: a duplicate name creates a
//! second balancer; NLB ARNs carry `app/`; targets are keyed by id only
//! (two ports of one IP collapse); every target is `healthy` at once and
//! deregistration skips `draining`; `DescribeTargetGroups` by a balancer
//! with none answers `TargetGroupNotFound`; `ModifyListener` rejects UDP;
//! any attribute key and algorithm value is accepted; `CreateLoadBalancer`
//! needs existing subnets and `CreateTargetGroup` an existing VPC.

// The README's example compiles as a doc test, so it cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod balancer;
mod builder;
mod convert;
mod driver;
mod ext;
pub mod model;
pub mod request;
pub mod response;

pub use balancer::{
    ELBV2_ALGORITHMS, ELBV2_CAPABILITIES, ELBV2_LIMITS, ELBV2_PROTOCOLS, OWNER_TAG,
};
pub use builder::{
    CONFIG_OPTIONS, DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE, ELBV2_SERVICE, Elbv2DriverBuilder,
    Elbv2DriverFactory,
};
pub use convert::ALGORITHM_ATTRIBUTE;
pub use driver::{Elbv2Driver, Pages};
/// The AWS plumbing types a caller may need to configure the driver.
pub use lbcloud_aws::{
    Credentials, CredentialsCache, Env, ProvideCredentials, RetryConfig, RetryMode,
    SdkCredentialsProvider, SharedProvider,
};

/// The provider name this driver puts in errors.
pub const PROVIDER: &str = "elbv2";
