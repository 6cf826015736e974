//! Every `ex_` method of `Elbv2Driver` that moto 5.2.5 implements, against
//! a local moto server, and moto's ELBv2 gaps pinned in `moto_gaps` so an
//! upgrade that fixes one shows up. The actions moto lacks are covered on
//! the loopback server in `crates/elbv2/tests/ext_unit.rs`.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
use lbcloud_peer_tests::elbv2_moto as support;
use lbcloud_peer_tests::moto;

use futures_util::TryStreamExt;
use lbcloud_core::ErrorKind;
use lbcloud_elbv2::Elbv2Driver;
use lbcloud_elbv2::model::*;
use lbcloud_elbv2::request::TargetGroupFilter;

async fn balancer(
    d: &Elbv2Driver,
    net: &support::Network,
    lb_type: LoadBalancerType,
) -> LoadBalancer {
    let name = moto::unique_name("v2");
    d.ex_create_load_balancer(
        &CreateLoadBalancerInput::new(name)
            .subnets(net.subnets.iter().cloned())
            .lb_type(lb_type)
            .tag("env", "test"),
    )
    .await
    .unwrap()
}

async fn group(
    d: &Elbv2Driver,
    net: &support::Network,
    protocol: Elbv2Protocol,
    port: u16,
) -> TargetGroup {
    d.ex_create_target_group(
        &CreateTargetGroupInput::new(moto::unique_name("tg"), protocol, port, &net.vpc_id)
            .target_type(TargetType::Ip)
            .health_check(
                HealthCheckSettings::http("/health")
                    .interval(10)
                    .timeout(5)
                    .thresholds(3, 2),
            ),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn load_balancers_are_created_described_configured_and_deleted() {
    let d = support::elbv2();
    let net = support::network().await;
    let lb = balancer(&d, &net, LoadBalancerType::Application).await;
    assert!(
        lb.arn.starts_with("arn:aws:elasticloadbalancing:"),
        "{}",
        lb.arn
    );
    assert_eq!(lb.lb_type, Some(LoadBalancerType::Application));
    assert_eq!(lb.vpc_id.as_deref(), Some(net.vpc_id.as_str()));
    assert_eq!(lb.availability_zones.len(), 2);

    let got = d.ex_get_load_balancer(&lb.arn).await.unwrap();
    assert_eq!(got.name, lb.name);
    let found = d.ex_find_load_balancer(&lb.name).await.unwrap().unwrap();
    assert_eq!(found.arn, lb.arn);
    assert!(
        d.ex_find_load_balancer("no-such-lb-v2")
            .await
            .unwrap()
            .is_none()
    );
    let by_name = d
        .ex_describe_load_balancers(&[] as &[&str], &[lb.name.as_str()])
        .await
        .unwrap();
    assert_eq!(by_name.len(), 1);
    assert!(
        d.ex_list_load_balancers()
            .await
            .unwrap()
            .iter()
            .any(|l| l.arn == lb.arn)
    );

    let attrs = d
        .ex_modify_load_balancer_attributes(
            &lb.arn,
            &[Attribute::new("idle_timeout.timeout_seconds", "120")],
        )
        .await
        .unwrap();
    assert_eq!(
        attribute(&attrs, "idle_timeout.timeout_seconds"),
        Some("120")
    );
    let attrs = d
        .ex_describe_load_balancer_attributes(&lb.arn)
        .await
        .unwrap();
    assert_eq!(
        attribute(&attrs, "idle_timeout.timeout_seconds"),
        Some("120")
    );

    let sg = moto::texts(
        &moto::ec2(
            "CreateSecurityGroup",
            &[
                ("GroupName", &moto::unique_name("sg")),
                ("GroupDescription", "lbcloud test"),
                ("VpcId", &net.vpc_id),
            ],
        )
        .await,
        "groupId",
    );
    let set = d.ex_set_security_groups(&lb.arn, &sg, None).await.unwrap();
    assert_eq!(set.security_group_ids, sg);

    let subnets = d
        .ex_set_subnets(
            &lb.arn,
            &SetSubnetsInput {
                subnets: net.subnets.clone(),
                ..SetSubnetsInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(subnets.availability_zones.len(), 2);
    let t = d
        .ex_set_ip_address_type(&lb.arn, &IpAddressType::Dualstack)
        .await
        .unwrap();
    assert_eq!(t, Some(IpAddressType::Dualstack));

    d.ex_delete_load_balancer(&lb.arn).await.unwrap();
    let err = d.ex_get_load_balancer(&lb.arn).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn target_groups_targets_health_and_attributes() {
    let d = support::elbv2();
    let net = support::network().await;
    let tg = group(&d, &net, Elbv2Protocol::Http, 8000).await;
    assert_eq!(tg.health_check.path.as_deref(), Some("/health"));
    assert_eq!(tg.health_check.interval_seconds, Some(10));
    assert_eq!(d.ex_get_target_group(&tg.arn).await.unwrap().name, tg.name);
    let names = [tg.name.as_str()];
    let listed = d
        .ex_list_target_groups(TargetGroupFilter::Names(&names))
        .await
        .unwrap();
    assert_eq!(listed[0].arn, tg.arn);

    let modified = d
        .ex_modify_target_group(
            &tg.arn,
            &HealthCheckSettings::http("/ready").interval(30).timeout(10),
        )
        .await
        .unwrap();
    assert_eq!(modified.health_check.path.as_deref(), Some("/ready"));
    assert_eq!(modified.health_check.interval_seconds, Some(30));

    let attrs = d
        .ex_modify_target_group_attributes(
            &tg.arn,
            &[Attribute::new(
                "load_balancing.algorithm.type",
                "least_outstanding_requests",
            )],
        )
        .await
        .unwrap();
    assert_eq!(
        attribute(&attrs, "load_balancing.algorithm.type"),
        Some("least_outstanding_requests")
    );
    let attrs = d
        .ex_describe_target_group_attributes(&tg.arn)
        .await
        .unwrap();
    assert_eq!(
        attribute(&attrs, "load_balancing.algorithm.type"),
        Some("least_outstanding_requests")
    );

    let targets = [
        TargetDescription::with_port("10.0.0.5", 8000),
        TargetDescription::with_port("10.0.0.6", 8080),
    ];
    d.ex_register_targets(&tg.arn, &targets).await.unwrap();
    let health = d
        .ex_describe_target_health(&tg.arn, &[], false)
        .await
        .unwrap();
    let mut seen: Vec<(String, Option<u16>)> = health
        .iter()
        .map(|h| (h.target.id.clone(), h.target.port))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("10.0.0.5".into(), Some(8000)),
            ("10.0.0.6".into(), Some(8080))
        ]
    );
    d.ex_deregister_targets(&tg.arn, &targets[..1])
        .await
        .unwrap();
    let health = d
        .ex_describe_target_health(&tg.arn, &[], false)
        .await
        .unwrap();
    assert_eq!(health.len(), 1);
    assert_eq!(health[0].target.id, "10.0.0.6");

    d.ex_delete_target_group(&tg.arn).await.unwrap();
    let err = d.ex_get_target_group(&tg.arn).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn listeners_certificates_rules_and_priorities() {
    let d = support::elbv2();
    let net = support::network().await;
    let lb = balancer(&d, &net, LoadBalancerType::Application).await;
    let blue = group(&d, &net, Elbv2Protocol::Http, 8000).await;
    let green = group(&d, &net, Elbv2Protocol::Http, 8000).await;

    let cert = "arn:aws:iam::123456789012:server-certificate/lbcloud-test";
    let https = d
        .ex_create_listener(
            &CreateListenerInput::new(
                &lb.arn,
                Elbv2Protocol::Https,
                443,
                Action::weighted_forward([(&blue.arn, 90), (&green.arn, 10)]),
            )
            .certificate(cert),
        )
        .await
        .unwrap();
    let fw = https.default_actions[0].forward.clone().unwrap();
    assert_eq!(
        fw.target_groups
            .iter()
            .map(|g| g.weight)
            .collect::<Vec<_>>(),
        [Some(90), Some(10)]
    );
    let http = d
        .ex_create_listener(&CreateListenerInput::new(
            &lb.arn,
            Elbv2Protocol::Http,
            80,
            Action::redirect(RedirectConfig::to_https(443, RedirectStatusCode::Http301)),
        ))
        .await
        .unwrap();
    assert_eq!(
        http.default_actions[0]
            .redirect
            .as_ref()
            .unwrap()
            .status_code,
        RedirectStatusCode::Http301
    );
    let listed = d.ex_list_listeners(&lb.arn).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(d.ex_get_listener(&http.arn).await.unwrap().port, Some(80));

    // Blue/green: 0/100.
    let flipped = d
        .ex_modify_listener(
            &https.arn,
            &ModifyListenerInput {
                default_actions: vec![Action::weighted_forward([
                    (&blue.arn, 0),
                    (&green.arn, 100),
                ])],
                ..ModifyListenerInput::default()
            },
        )
        .await
        .unwrap();
    let fw = flipped.default_actions[0].forward.clone().unwrap();
    assert_eq!(
        fw.target_groups
            .iter()
            .map(|g| g.weight)
            .collect::<Vec<_>>(),
        [Some(0), Some(100)]
    );

    let extra = "arn:aws:iam::123456789012:server-certificate/lbcloud-extra";
    d.ex_add_listener_certificates(&https.arn, &[Certificate::new(extra)])
        .await
        .unwrap();
    let certs = d
        .ex_describe_listener_certificates(&https.arn)
        .await
        .unwrap();
    assert!(certs.iter().any(|c| c.arn == extra), "{certs:?}");
    d.ex_remove_listener_certificates(&https.arn, &[extra])
        .await
        .unwrap();
    let certs = d
        .ex_describe_listener_certificates(&https.arn)
        .await
        .unwrap();
    assert!(!certs.iter().any(|c| c.arn == extra), "{certs:?}");

    let api = d
        .ex_create_listener_rule(&CreateRuleInput::new(
            &https.arn,
            10,
            RuleCondition::path_pattern(["/api/*"]),
            Action::forward(&green.arn),
        ))
        .await
        .unwrap();
    let down = d
        .ex_create_listener_rule(&CreateRuleInput::new(
            &https.arn,
            20,
            RuleCondition::host_header(["down.example.com"]),
            Action::fixed_response("503", Some("down"), Some("text/plain")),
        ))
        .await
        .unwrap();
    assert_eq!(d.ex_get_rule(&api.arn).await.unwrap().priority, "10");
    let rules = d.ex_list_rules(&https.arn).await.unwrap();
    assert_eq!(rules.len(), 3, "two rules and the default: {rules:?}");
    assert!(rules.iter().any(|r| r.is_default));
    let modified = d
        .ex_modify_listener_rule(
            &api.arn,
            &ModifyRuleInput {
                conditions: vec![RuleCondition::path_pattern(["/v2/*"])],
                ..ModifyRuleInput::default()
            },
        )
        .await
        .unwrap();
    let pattern = &modified.conditions[0];
    let values = pattern
        .path_pattern
        .as_ref()
        .map(|p| p.values.clone())
        .unwrap_or_else(|| pattern.values.clone());
    assert_eq!(values, ["/v2/*"]);
    let reordered = d
        .ex_set_rule_priorities(&[(&api.arn, 30), (&down.arn, 5)])
        .await
        .unwrap();
    assert!(
        reordered
            .iter()
            .any(|r| r.arn == api.arn && r.priority == "30"),
        "{reordered:?}"
    );
    d.ex_delete_listener_rule(&down.arn).await.unwrap();
    assert_eq!(d.ex_list_rules(&https.arn).await.unwrap().len(), 2);

    let attrs = d
        .ex_modify_listener_attributes(
            &http.arn,
            &[Attribute::new("tcp.idle_timeout.seconds", "600")],
        )
        .await
        .unwrap();
    assert_eq!(attribute(&attrs, "tcp.idle_timeout.seconds"), Some("600"));
    let attrs = d.ex_describe_listener_attributes(&http.arn).await.unwrap();
    assert_eq!(attribute(&attrs, "tcp.idle_timeout.seconds"), Some("600"));

    d.ex_delete_listener(&http.arn).await.unwrap();
    assert_eq!(d.ex_list_listeners(&lb.arn).await.unwrap().len(), 1);
    d.ex_delete_load_balancer(&lb.arn).await.unwrap();
    d.ex_delete_target_group(&blue.arn).await.unwrap();
    d.ex_delete_target_group(&green.arn).await.unwrap();
}

#[tokio::test]
async fn tags_limits_and_ssl_policies() {
    let d = support::elbv2();
    let net = support::network().await;
    let lb = balancer(&d, &net, LoadBalancerType::Application).await;
    let tg = group(&d, &net, Elbv2Protocol::Http, 8000).await;
    let arns = [lb.arn.as_str(), tg.arn.as_str()];
    d.ex_add_tags(&arns, &[Tag::new("team", "web")])
        .await
        .unwrap();
    let tags = d.ex_describe_tags(&arns).await.unwrap();
    assert_eq!(tags.len(), 2);
    for t in &tags {
        assert!(t.tags.contains(&Tag::new("team", "web")), "{t:?}");
    }
    d.ex_remove_tags(&arns, &["team"]).await.unwrap();
    let tags = d.ex_describe_tags(&arns).await.unwrap();
    assert!(
        tags.iter().all(|t| !t.tags.iter().any(|x| x.key == "team")),
        "{tags:?}"
    );

    let limits = d.ex_describe_account_limits().await.unwrap();
    assert!(
        limits
            .iter()
            .any(|l| l.name == "application-load-balancers"),
        "{limits:?}"
    );
    let policies = d.ex_describe_ssl_policies(&[], None).await.unwrap();
    assert!(!policies.is_empty());
    assert!(policies.iter().all(|p| !p.ssl_protocols.is_empty()));

    d.ex_delete_load_balancer(&lb.arn).await.unwrap();
    d.ex_delete_target_group(&tg.arn).await.unwrap();
}

#[tokio::test]
async fn moto_gaps() {
    let d = support::elbv2();
    let net = support::network().await;

    // 1. A duplicate balancer name creates a second balancer (AWS answers
    //    DuplicateLoadBalancerName); create_balancer checks the name itself.
    let first = balancer(&d, &net, LoadBalancerType::Application).await;
    let again = d
        .ex_create_load_balancer(
            &CreateLoadBalancerInput::new(&first.name).subnets(net.subnets.iter().cloned()),
        )
        .await;
    match again {
        Ok(second) => {
            if second.arn != first.arn {
                d.ex_delete_load_balancer(&second.arn).await.unwrap();
            }
        }
        Err(e) => panic!("moto now refuses a duplicate name ({e}): drop the gap"),
    }

    // 2. NLB ARNs carry `app/` (AWS: `net/`).
    let nlb = balancer(&d, &net, LoadBalancerType::Network).await;
    assert!(
        nlb.arn.contains(":loadbalancer/app/"),
        "moto fixed NLB ARNs: {}",
        nlb.arn
    );

    // 3. Targets are keyed by id only: two ports of one IP collapse.
    let tg = group(&d, &net, Elbv2Protocol::Http, 8000).await;
    d.ex_register_targets(
        &tg.arn,
        &[
            TargetDescription::with_port("10.0.0.5", 8000),
            TargetDescription::with_port("10.0.0.5", 8080),
        ],
    )
    .await
    .unwrap();
    let health = d
        .ex_describe_target_health(&tg.arn, &[], false)
        .await
        .unwrap();
    assert_eq!(health.len(), 1, "moto keeps both ports now: {health:?}");

    // 4. Every target is healthy at once (AWS: initial first) ...
    let state = health[0].health.as_ref().map(|h| h.state.clone());
    assert_eq!(state, Some(TargetHealthState::Healthy));
    // ... and deregistration skips draining.
    d.ex_deregister_targets(&tg.arn, &[TargetDescription::with_port("10.0.0.5", 8080)])
        .await
        .unwrap();
    let health = d
        .ex_describe_target_health(&tg.arn, &[], false)
        .await
        .unwrap();
    assert!(
        health
            .iter()
            .all(|h| h.health.as_ref().map(|x| &x.state) != Some(&TargetHealthState::Draining)),
        "moto drains now: {health:?}"
    );

    // 5. DescribeTargetGroups by a balancer with none: TargetGroupNotFound
    //    (AWS: an empty list). The page stream shows moto's answer; the
    //    listing works around it.
    let first_page = d
        .ex_target_groups_pages(TargetGroupFilter::LoadBalancer(&nlb.arn))
        .try_next()
        .await;
    assert_eq!(
        first_page.map_err(|e| e.code().map(str::to_owned)).err(),
        Some(Some("TargetGroupNotFound".to_owned())),
        "moto now answers an empty list"
    );
    let none = d
        .ex_list_target_groups(TargetGroupFilter::LoadBalancer(&nlb.arn))
        .await
        .unwrap();
    assert!(none.is_empty());

    // 6. Any attribute key and algorithm value is accepted.
    d.ex_modify_target_group_attributes(
        &tg.arn,
        &[Attribute::new(
            "load_balancing.algorithm.type",
            "fastest_please",
        )],
    )
    .await
    .expect("moto now checks algorithm values");

    // 7. ModifyListener rejects UDP.
    let udp_tg = d
        .ex_create_target_group(&CreateTargetGroupInput::new(
            moto::unique_name("udp"),
            Elbv2Protocol::Udp,
            53,
            &net.vpc_id,
        ))
        .await
        .unwrap();
    let tcp = d
        .ex_create_listener(&CreateListenerInput::new(
            &nlb.arn,
            Elbv2Protocol::Tcp,
            53,
            Action::forward(&udp_tg.arn),
        ))
        .await;
    if let Ok(tcp) = tcp {
        let udp = d
            .ex_modify_listener(
                &tcp.arn,
                &ModifyListenerInput {
                    protocol: Some(Elbv2Protocol::Udp),
                    ..ModifyListenerInput::default()
                },
            )
            .await;
        assert!(udp.is_err(), "moto now accepts UDP in ModifyListener");
        d.ex_delete_listener(&tcp.arn).await.unwrap();
    }

    // 8. CreateTargetGroup needs an existing VPC, CreateLoadBalancer existing subnets.
    let err = d
        .ex_create_target_group(&CreateTargetGroupInput::new(
            moto::unique_name("novpc"),
            Elbv2Protocol::Http,
            80,
            "vpc-00000000",
        ))
        .await
        .unwrap_err();
    assert_ne!(err.kind(), ErrorKind::Transport, "{err}");
    let err = d
        .ex_create_load_balancer(
            &CreateLoadBalancerInput::new(moto::unique_name("nosub")).subnets(["subnet-00000000"]),
        )
        .await
        .unwrap_err();
    assert_ne!(err.kind(), ErrorKind::Transport, "{err}");

    // 9. DescribeCapacityReservation is a stub: one `provisioned` state,
    //    no zone, no units, no reservation.
    let cap = d
        .ex_describe_capacity_reservation(&first.arn)
        .await
        .unwrap();
    assert_eq!(
        cap.states.len(),
        1,
        "moto's capacity answer changed: {cap:?}"
    );
    assert_eq!(
        cap.states[0].code,
        Some(CapacityReservationStateCode::Provisioned)
    );
    assert_eq!(cap.states[0].availability_zone, None);
    assert_eq!(cap.minimum_capacity_units, None);

    for lb in [&first.arn, &nlb.arn] {
        d.ex_delete_load_balancer(lb).await.unwrap();
    }
    for g in [&tg.arn, &udp_tg.arn] {
        d.ex_delete_target_group(g).await.unwrap();
    }
}
