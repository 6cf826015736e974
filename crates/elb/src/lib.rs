//! # lbcloud-elb
//!
//! The AWS Elastic Load Balancing (classic, API 2012-06-01) driver.
//!
//! [`ElbDriver`] implements the provider-neutral
//! [`Driver`](lbcloud_core::Driver) trait and reaches every other action of
//! the API through inherent `ex_` methods (see [the table](#all-29-actions)).
//! The `ex_` methods take a balancer or its name ([`BalancerRef`]) and check
//! their input before any request. Underneath is the pure half of the
//! driver, with no I/O:
//!
//! - [`model`]: the ELB-only types the `ex_` methods take and return, and
//!   [`ElbBalancerDescription`](model::ElbBalancerDescription), every field of
//!   a `DescribeLoadBalancers` entry, convertible to and from a core
//!   [`Balancer`](lbcloud_core::Balancer) (see [`EXTRA_KEYS`]).
//! - [`request`]: one builder per action, typed input to
//!   [`QueryParams`](lbcloud_aws::QueryParams), validating before building.
//! - [`response`]: one parser per action's answer: a small purpose-built
//!   XML tokenizer under a cursor ([`lbcloud_aws::xml`], shared with ELBv2) that matches local names,
//!   tolerates unknown elements and any order, borrows from the body where
//!   it can, and turns every malformed input into `InvalidResponse`, never a
//!   panic (fuzzed: `fuzz/`, `tests/reliability_fuzz.rs`).
//! - `fixtures` (cargo feature `fixtures`): generators of realistic
//!   `DescribeLoadBalancers` pages for benchmarks and tests elsewhere.
//!
//! ## All 29 actions
//!
//! Which method sends each action of the classic ELB API, and which test
//! exercises it. "moto" tests are in lbcloud's peer-test crate
//! (`crates/peer-tests/tests/elb_ext_moto.rs` unless named otherwise:
//! `elb_moto`, `elb_moto_ops` are `elb_moto*.rs` there) and run
//! against moto 5.2.5 (`./scripts/test.sh`). Every action is also sent by
//! its method against the scripted loopback server in
//! `crates/elb/tests/ext_unit.rs`
//! (`every_action_is_sent_by_a_method_with_the_parameters_the_api_requires`),
//! which walks [`request::ACTIONS`] and checks each request's parameters
//! against the API reference (names, `.member.N` from 1, required fields);
//! "unit" below means a case only that file covers, on XML written from the
//! API reference, because moto lacks the action or gets it wrong.
//!
//! | Action | Sent by | Test |
//! |---|---|---|
//! | `AddTags` | [`ex_add_tags`](ElbDriver::ex_add_tags) | moto: `tags_added_removed_described_and_listed_with_balancers` |
//! | `ApplySecurityGroupsToLoadBalancer` | [`ex_apply_security_groups`](ElbDriver::ex_apply_security_groups) | moto: `subnets_attached_and_detached_and_security_groups_applied` |
//! | `AttachLoadBalancerToSubnets` | [`ex_attach_balancer_to_subnets`](ElbDriver::ex_attach_balancer_to_subnets) | moto: `subnets_attached_and_detached_and_security_groups_applied` |
//! | `ConfigureHealthCheck` | [`set_health_check`](lbcloud_core::Driver::set_health_check), [`create_balancer`](lbcloud_core::Driver::create_balancer) | moto: `elb_moto_ops::health_check_round_trip` |
//! | `CreateAppCookieStickinessPolicy` | [`ex_create_app_cookie_stickiness_policy`](ElbDriver::ex_create_app_cookie_stickiness_policy) | moto: `policies_created_listed_applied_cleared_and_deleted` |
//! | `CreateLBCookieStickinessPolicy` | [`ex_create_lb_cookie_stickiness_policy`](ElbDriver::ex_create_lb_cookie_stickiness_policy) | moto: `policies_created_listed_applied_cleared_and_deleted` |
//! | `CreateLoadBalancer` | [`create_balancer`](lbcloud_core::Driver::create_balancer) | moto: `elb_moto::elb_on_moto_conforms`, `elb_moto_ops::multi_listener_create_reads_back_every_field` |
//! | `CreateLoadBalancerListeners` | [`ex_create_balancer_listeners`](ElbDriver::ex_create_balancer_listeners), [`update_balancer`](lbcloud_core::Driver::update_balancer) | moto: `listeners_created_with_a_certificate_swapped_and_deleted_one_port_at_a_time`; **unit** for `InstanceProtocol` (moto ignores it and accepts a missing balancer) |
//! | `CreateLoadBalancerPolicy` | [`ex_create_balancer_policy`](ElbDriver::ex_create_balancer_policy) | moto: `policies_created_listed_applied_cleared_and_deleted` |
//! | `DeleteLoadBalancer` | [`destroy_balancer`](lbcloud_core::Driver::destroy_balancer) | moto: `elb_moto::elb_on_moto_conforms` |
//! | `DeleteLoadBalancerListeners` | [`ex_delete_balancer_listeners`](ElbDriver::ex_delete_balancer_listeners), [`update_balancer`](lbcloud_core::Driver::update_balancer) | moto: one port per call; **unit** for several ports in one call (moto corrupts its listener list) |
//! | `DeleteLoadBalancerPolicy` | [`ex_delete_balancer_policy`](ElbDriver::ex_delete_balancer_policy) | moto: `policies_created_listed_applied_cleared_and_deleted` |
//! | `DeregisterInstancesFromLoadBalancer` | [`balancer_detach_members`](lbcloud_core::Driver::balancer_detach_members) | moto: `elb_moto_ops::batch_register_and_deregister_send_one_request_each` |
//! | `DescribeAccountLimits` | [`ex_describe_account_limits`](ElbDriver::ex_describe_account_limits) | **unit only**: `account_limits_follow_every_page_and_stop_on_a_repeated_marker` (moto: HTML 500) |
//! | `DescribeInstanceHealth` | [`ex_describe_instance_health`](ElbDriver::ex_describe_instance_health), [`balancer_member_health`](lbcloud_core::Driver::balancer_member_health) | moto: `instance_health_for_chosen_instances`, `elb_moto_ops::instance_health_of_running_instances` |
//! | `DescribeLoadBalancerAttributes` | [`ex_describe_balancer_attributes`](ElbDriver::ex_describe_balancer_attributes) | moto: `attributes_described_and_modified` |
//! | `DescribeLoadBalancerPolicies` | [`ex_list_balancer_policies`](ElbDriver::ex_list_balancer_policies) | moto: `policies_created_listed_applied_cleared_and_deleted` (a balancer's policies; moto cannot list AWS's sample policies) |
//! | `DescribeLoadBalancerPolicyTypes` | [`ex_list_balancer_policy_types`](ElbDriver::ex_list_balancer_policy_types), [`ex_describe_balancer_policy_types`](ElbDriver::ex_describe_balancer_policy_types) | **unit only**: `answers_become_rich_types` (moto: HTML 500) |
//! | `DescribeLoadBalancers` | [`list_balancers`](lbcloud_core::Driver::list_balancers), [`get_balancer`](lbcloud_core::Driver::get_balancer), [`ex_describe_balancer`](ElbDriver::ex_describe_balancer), [`ex_list_balancers_with_tags`](ElbDriver::ex_list_balancers_with_tags) | moto: `elb_moto_ops::listing_30_balancers_with_page_size_7`, every `ex_describe_balancer` check |
//! | `DescribeTags` | [`ex_describe_tags`](ElbDriver::ex_describe_tags), [`ex_list_balancers_with_tags`](ElbDriver::ex_list_balancers_with_tags) | moto: `tags_added_removed_described_and_listed_with_balancers` (21 balancers, two batches); unit: `tags_come_with_the_listing_in_one_call_per_twenty_balancers` |
//! | `DetachLoadBalancerFromSubnets` | [`ex_detach_balancer_from_subnets`](ElbDriver::ex_detach_balancer_from_subnets) | moto: `subnets_attached_and_detached_and_security_groups_applied` |
//! | `DisableAvailabilityZonesForLoadBalancer` | [`ex_disable_availability_zones`](ElbDriver::ex_disable_availability_zones) | moto: `zones_enabled_and_disabled_return_the_new_list` |
//! | `EnableAvailabilityZonesForLoadBalancer` | [`ex_enable_availability_zones`](ElbDriver::ex_enable_availability_zones) | moto: `zones_enabled_and_disabled_return_the_new_list` |
//! | `ModifyLoadBalancerAttributes` | [`ex_modify_balancer_attributes`](ElbDriver::ex_modify_balancer_attributes) | moto: `attributes_described_and_modified` |
//! | `RegisterInstancesWithLoadBalancer` | [`balancer_attach_members`](lbcloud_core::Driver::balancer_attach_members), [`create_balancer`](lbcloud_core::Driver::create_balancer) | moto: `elb_moto_ops::batch_register_and_deregister_send_one_request_each` |
//! | `RemoveTags` | [`ex_remove_tags`](ElbDriver::ex_remove_tags) | moto: `tags_added_removed_described_and_listed_with_balancers` |
//! | `SetLoadBalancerListenerSSLCertificate` | [`ex_set_balancer_listener_ssl_certificate`](ElbDriver::ex_set_balancer_listener_ssl_certificate) | moto: `listeners_created_with_a_certificate_swapped_and_deleted_one_port_at_a_time` (moto also accepts a missing balancer) |
//! | `SetLoadBalancerPoliciesForBackendServer` | [`ex_set_balancer_policies_backend_server`](ElbDriver::ex_set_balancer_policies_backend_server) | moto: `policies_created_listed_applied_cleared_and_deleted` |
//! | `SetLoadBalancerPoliciesOfListener` | [`ex_set_balancer_policies_listener`](ElbDriver::ex_set_balancer_policies_listener) | moto: `policies_created_listed_applied_cleared_and_deleted` (incl. clearing with an empty list) |
//!
//! Moto 5.2.5's gaps, each pinned by `elb_ext_moto::moto_gaps_are_as_documented`:
//! no `DescribeLoadBalancerPolicyTypes` and no `DescribeAccountLimits` (HTML
//! 500); `DeleteLoadBalancerListeners` with two ports corrupts its listener
//! list; `InstanceProtocol` is ignored (the front protocol is reported);
//! `CreateLoadBalancerListeners` and `SetLoadBalancerListenerSSLCertificate`
//! succeed on a missing balancer; most other actions answer a missing
//! balancer with a bare HTML 500, which the driver turns into `NotFound` by
//! checking `DescribeLoadBalancers` (`a_missing_balancer_is_not_found_for_every_ex_method_moto_answers`).

// docs.rs (`--cfg docsrs`, nightly) marks feature-gated items with their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod convert;
mod driver;
mod ext;
// The README's example compiles as a doc test, so it cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[cfg(any(test, feature = "fixtures"))]
#[cfg_attr(docsrs, doc(cfg(feature = "fixtures")))]
pub mod fixtures;
pub mod model;
pub mod request;
pub mod response;

pub use builder::{
    CONFIG_OPTIONS, DEFAULT_PAGE_SIZE, ELB_SERVICE, ElbDriverBuilder, ElbDriverFactory,
};
pub use convert::{EXTRA_KEYS, algorithm_for};
pub use driver::{ELB_ALGORITHMS, ELB_CAPABILITIES, ElbDriver, MAX_LIST_PAGES};
pub use ext::{BalancerRef, MAX_TAG_CALLS_IN_FLIGHT};
/// The AWS plumbing types a caller may need to configure the driver.
pub use lbcloud_aws::{
    Credentials, CredentialsCache, Env, ProvideCredentials, RetryConfig, RetryMode,
    SdkCredentialsProvider, SharedProvider,
};
pub use request::ELB_LIMITS;
