//! The `ElbDriver` `ex_` methods against a local moto 5.2.5 server, for
//! every action moto implements correctly. What moto lacks or gets wrong is
//! covered by `crates/elb/tests/ext_unit.rs` on hand-written XML, and
//! [`moto_gaps_are_as_documented`] pins each gap so a moto upgrade that
//! fixes one is noticed:
//!
//! - `DescribeLoadBalancerPolicyTypes` and `DescribeAccountLimits`: HTML 500.
//! - `DeleteLoadBalancerListeners` with two ports: the listener list is
//!   corrupted (listeners duplicated instead of removed); one port per call
//!   works, so these tests delete one port at a time.
//! - `InstanceProtocol` is ignored: moto reports the front protocol.
//! - `CreateLoadBalancerListeners` and `SetLoadBalancerListenerSSLCertificate`
//!   succeed on a missing balancer; most other actions answer it with HTML
//!   500 (which the driver turns into `NotFound`, checked here).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud_peer_tests::moto;

use std::time::Duration;

use lbcloud::elb::ElbDriver;
use lbcloud::elb::model::{
    AccessLog, BalancerAttributes, ConnectionDraining, ConnectionSettings, PolicyAttribute, Tag,
};
use lbcloud::{Balancer, CreateBalancer, Driver, ErrorKind, Listener, Member, Protocol};

const CERT: &str = "arn:aws:iam::123456789012:server-certificate/example";
const CERT2: &str = "arn:aws:iam::123456789012:server-certificate/renewed";

async fn create(d: &ElbDriver, prefix: &str) -> Balancer {
    let name = moto::unique_name(prefix);
    d.create_balancer(
        CreateBalancer::new(name, 80, Protocol::Http)
            .instance_port(8080)
            .zones([moto::ZONES[0]]),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn policies_created_listed_applied_cleared_and_deleted() {
    let d = moto::elb();
    let lb = create(&d, "ext-pol").await;

    let created = d
        .ex_create_balancer_policy(
            &lb,
            "proxy",
            "ProxyProtocolPolicyType",
            &[PolicyAttribute::new("ProxyProtocol", "true")],
        )
        .await
        .unwrap();
    assert_eq!(created.type_name, "ProxyProtocolPolicyType");
    let listed = d.ex_list_balancer_policies(&lb).await.unwrap();
    let proxy = listed.iter().find(|p| p.name == "proxy").unwrap();
    assert_eq!(proxy.type_name, "ProxyProtocolPolicyType");
    assert_eq!(
        proxy.attributes,
        vec![PolicyAttribute::new("ProxyProtocol", "true")]
    );

    d.ex_set_balancer_policies_backend_server(&lb, 8080, &["proxy"])
        .await
        .unwrap();
    d.ex_create_lb_cookie_stickiness_policy(&lb, "lb-sticky", Some(Duration::from_secs(60)))
        .await
        .unwrap();
    d.ex_create_app_cookie_stickiness_policy(&lb.name, "app-sticky", "SESSIONID")
        .await
        .unwrap();
    d.ex_set_balancer_policies_listener(&lb, 80, &["lb-sticky"])
        .await
        .unwrap();

    let desc = d.ex_describe_balancer(&lb).await.unwrap();
    let backend = &desc.backend_server_descriptions;
    assert_eq!(backend.len(), 1, "{backend:?}");
    assert_eq!(backend[0].instance_port, 8080);
    assert_eq!(backend[0].policy_names, ["proxy"]);
    let lbc = &desc.policies.lb_cookie_stickiness;
    assert_eq!(lbc[0].policy_name, "lb-sticky");
    assert_eq!(lbc[0].cookie_expiration_period, Some(60));
    let app = &desc.policies.app_cookie_stickiness;
    assert_eq!(
        (app[0].policy_name.as_str(), app[0].cookie_name.as_str()),
        ("app-sticky", "SESSIONID")
    );
    let l80 = desc
        .listener_descriptions
        .iter()
        .find(|l| l.listener.port == 80)
        .unwrap();
    assert_eq!(l80.policy_names, ["lb-sticky"]);

    // An empty list clears the listener's policies.
    d.ex_set_balancer_policies_listener::<&str>(&lb, 80, &[])
        .await
        .unwrap();
    let desc = d.ex_describe_balancer(&lb).await.unwrap();
    let l80 = desc
        .listener_descriptions
        .iter()
        .find(|l| l.listener.port == 80)
        .unwrap();
    assert!(l80.policy_names.is_empty(), "{:?}", l80.policy_names);

    d.ex_set_balancer_policies_backend_server::<&str>(&lb, 8080, &[])
        .await
        .unwrap();
    d.ex_delete_balancer_policy(&lb, "proxy").await.unwrap();
    let left: Vec<String> = d
        .ex_list_balancer_policies(&lb)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert!(!left.contains(&"proxy".to_owned()), "{left:?}");
    assert!(left.contains(&"lb-sticky".to_owned()), "{left:?}");

    d.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn listeners_created_with_a_certificate_swapped_and_deleted_one_port_at_a_time() {
    let d = moto::elb();
    let lb = create(&d, "ext-lst").await;
    let https = Listener::new(443, Protocol::Https, 8443)
        .instance_protocol(Protocol::Http)
        .certificate(CERT);
    d.ex_create_balancer_listeners(&lb, &[https, Listener::new(25, Protocol::Tcp, 2525)])
        .await
        .unwrap();
    let ports = |desc: &lbcloud::elb::model::ElbBalancerDescription| {
        let mut p: Vec<u16> = desc
            .listener_descriptions
            .iter()
            .map(|l| l.listener.port)
            .collect();
        p.sort_unstable();
        p
    };
    let desc = d.ex_describe_balancer(&lb).await.unwrap();
    assert_eq!(ports(&desc), [25, 80, 443]);
    let l443 = |desc: &lbcloud::elb::model::ElbBalancerDescription| {
        desc.listener_descriptions
            .iter()
            .find(|l| l.listener.port == 443)
            .map(|l| l.listener.clone())
            .unwrap()
    };
    let l = l443(&desc);
    assert_eq!((l.protocol, l.instance_port), (Protocol::Https, 8443));
    assert_eq!(l.certificate_id.as_deref(), Some(CERT));

    // The seed use case: a renewed certificate on port 443.
    d.ex_set_balancer_listener_ssl_certificate(&lb, 443, CERT2)
        .await
        .unwrap();
    let desc = d.ex_describe_balancer(&lb).await.unwrap();
    assert_eq!(l443(&desc).certificate_id.as_deref(), Some(CERT2));

    d.ex_delete_balancer_listeners(&lb, &[443]).await.unwrap();
    assert_eq!(ports(&d.ex_describe_balancer(&lb).await.unwrap()), [25, 80]);
    d.ex_delete_balancer_listeners(&lb, &[25]).await.unwrap();
    assert_eq!(ports(&d.ex_describe_balancer(&lb).await.unwrap()), [80]);

    d.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn zones_enabled_and_disabled_return_the_new_list() {
    let d = moto::elb();
    let lb = create(&d, "ext-az").await;
    let mut zones = d
        .ex_enable_availability_zones(&lb, &[moto::ZONES[1]])
        .await
        .unwrap();
    zones.sort();
    assert_eq!(zones, moto::ZONES);
    let zones = d
        .ex_disable_availability_zones(&lb, &[moto::ZONES[0]])
        .await
        .unwrap();
    assert_eq!(zones, [moto::ZONES[1]]);
    let desc = d.ex_describe_balancer(&lb).await.unwrap();
    assert_eq!(desc.availability_zones, [moto::ZONES[1]]);
    d.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn subnets_attached_and_detached_and_security_groups_applied() {
    let d = moto::elb();
    let subnets = moto::texts(&moto::ec2("DescribeSubnets", &[]).await, "subnetId");
    assert!(subnets.len() >= 2, "moto has default subnets: {subnets:?}");
    let vpc = moto::texts(&moto::ec2("DescribeVpcs", &[]).await, "vpcId")
        .into_iter()
        .next()
        .unwrap();
    let group_name = moto::unique_name("ext-sg");
    let sg = moto::texts(
        &moto::ec2(
            "CreateSecurityGroup",
            &[
                ("GroupName", group_name.as_str()),
                ("GroupDescription", "lbcloud ext test"),
                ("VpcId", vpc.as_str()),
            ],
        )
        .await,
        "groupId",
    )
    .into_iter()
    .next()
    .unwrap();

    let name = moto::unique_name("ext-vpc");
    let lb = d
        .create_balancer(
            CreateBalancer::new(name, 80, Protocol::Http).subnets([subnets[0].clone()]),
        )
        .await
        .unwrap();
    let attached = d
        .ex_attach_balancer_to_subnets(&lb, &[subnets[1].as_str()])
        .await
        .unwrap();
    assert!(
        attached.contains(&subnets[0]) && attached.contains(&subnets[1]),
        "{attached:?}"
    );
    let left = d
        .ex_detach_balancer_from_subnets(&lb, &[subnets[1].as_str()])
        .await
        .unwrap();
    assert_eq!(left, [subnets[0].clone()]);

    let groups = d
        .ex_apply_security_groups(&lb, &[sg.as_str()])
        .await
        .unwrap();
    assert_eq!(groups, std::slice::from_ref(&sg));
    let desc = d.ex_describe_balancer(&lb).await.unwrap();
    assert_eq!(desc.security_groups, [sg]);
    assert_eq!(desc.subnets, [subnets[0].clone()]);

    // A security group that does not exist is refused by moto (as by AWS).
    let err = d
        .ex_apply_security_groups(&lb, &["sg-00000000000000000"])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    d.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn attributes_described_and_modified() {
    let d = moto::elb();
    let lb = create(&d, "ext-attr").await;
    let before = d.ex_describe_balancer_attributes(&lb).await.unwrap();
    assert_eq!(before.cross_zone_load_balancing, Some(false));
    assert_eq!(
        before.connection_settings,
        Some(ConnectionSettings { idle_timeout: 60 })
    );

    let change = BalancerAttributes {
        cross_zone_load_balancing: Some(true),
        connection_draining: Some(ConnectionDraining {
            enabled: true,
            timeout: Some(120),
        }),
        connection_settings: Some(ConnectionSettings { idle_timeout: 90 }),
        access_log: Some(AccessLog {
            enabled: true,
            s3_bucket_name: Some("lbcloud-logs".into()),
            s3_bucket_prefix: Some("web/prod".into()),
            emit_interval: Some(5),
        }),
        additional_attributes: Vec::new(),
    };
    let returned = d.ex_modify_balancer_attributes(&lb, &change).await.unwrap();
    let after = d.ex_describe_balancer_attributes(&lb).await.unwrap();
    for got in [&returned, &after] {
        assert_eq!(
            got.cross_zone_load_balancing,
            change.cross_zone_load_balancing
        );
        assert_eq!(got.connection_draining, change.connection_draining);
        assert_eq!(got.connection_settings, change.connection_settings);
        assert_eq!(got.access_log, change.access_log);
    }
    d.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn tags_added_removed_described_and_listed_with_balancers() {
    let d = moto::elb();
    // More than 20 balancers, so the listing needs two DescribeTags batches.
    let mut mine = Vec::new();
    for _ in 0..21 {
        mine.push(create(&d, "ext-tag").await);
    }
    let lb = &mine[0];
    d.ex_add_tags(lb, &[Tag::new("env", "prod"), Tag::new("team", "web")])
        .await
        .unwrap();
    d.ex_add_tags(&mine[20], &[Tag::new("env", "dev")])
        .await
        .unwrap();
    d.ex_remove_tags(lb, &["team"]).await.unwrap();
    let described = d.ex_describe_tags(&[lb.name.as_str()]).await.unwrap();
    assert_eq!(described.len(), 1);
    assert_eq!(described[0].load_balancer_name, lb.name);
    assert_eq!(described[0].tags, vec![Tag::new("env", "prod")]);

    let names: Vec<&str> = mine.iter().map(|b| b.name.as_str()).collect();
    let all = d.ex_describe_tags(&names).await.unwrap();
    assert_eq!(all.len(), 21);

    let listed = d.ex_list_balancers_with_tags().await.unwrap();
    let find = |name: &str| listed.iter().find(|b| b.name == name).unwrap();
    let tags = |pairs: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(find(&lb.name).tags, tags(&[("env", "prod")]));
    assert_eq!(find(&mine[20].name).tags, tags(&[("env", "dev")]));
    assert!(find(&mine[5].name).tags.is_empty());
    // get_balancer and the listing read the tags back too.
    assert_eq!(
        d.get_balancer(&lb.name).await.unwrap().tags,
        tags(&[("env", "prod")])
    );
    let listed = d.list_balancers().await.unwrap();
    let find = |name: &str| listed.iter().find(|b| b.name == name).unwrap();
    assert_eq!(find(&mine[20].name).tags, tags(&[("env", "dev")]));

    for b in &mine {
        d.destroy_balancer(b).await.unwrap();
    }
}

#[tokio::test]
async fn instance_health_for_chosen_instances() {
    let d = moto::elb();
    let lb = create(&d, "ext-hl").await;
    let ids = moto::run_instances(2).await;
    d.balancer_attach_members(&lb, ids.iter().map(Member::instance).collect())
        .await
        .unwrap();
    let one = d
        .ex_describe_instance_health(&lb, &[ids[1].as_str()])
        .await
        .unwrap();
    assert_eq!(one.len(), 1, "{one:?}");
    assert_eq!(one[0].instance_id, ids[1]);
    assert!(!one[0].state.is_empty());
    let all = d
        .ex_describe_instance_health::<&str>(&lb, &[])
        .await
        .unwrap();
    let mut got: Vec<&str> = all.iter().map(|s| s.instance_id.as_str()).collect();
    got.sort_unstable();
    let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(got, want);
    d.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn a_missing_balancer_is_not_found_for_every_ex_method_moto_answers() {
    let d = moto::elb();
    let gone = moto::unique_name("ext-gone");
    let gone = gone.as_str();
    let checks: Vec<(&str, lbcloud::Result<()>)> = vec![
        ("describe", d.ex_describe_balancer(gone).await.map(drop)),
        (
            "policies",
            d.ex_list_balancer_policies(gone).await.map(drop),
        ),
        // HTML 500 from moto, turned into NotFound by the driver.
        (
            "create policy",
            d.ex_create_balancer_policy(gone, "p", "ProxyProtocolPolicyType", &[])
                .await
                .map(drop),
        ),
        (
            "delete policy",
            d.ex_delete_balancer_policy(gone, "p").await,
        ),
        (
            "listener policies",
            d.ex_set_balancer_policies_listener::<&str>(gone, 80, &[])
                .await,
        ),
        (
            "attributes",
            d.ex_describe_balancer_attributes(gone).await.map(drop),
        ),
        (
            "zones",
            d.ex_enable_availability_zones(gone, &["us-east-1b"])
                .await
                .map(drop),
        ),
        ("add tags", d.ex_add_tags(gone, &[Tag::new("k", "v")]).await),
        ("describe tags", d.ex_describe_tags(&[gone]).await.map(drop)),
        (
            "health",
            d.ex_describe_instance_health::<&str>(gone, &[])
                .await
                .map(drop),
        ),
    ];
    for (what, r) in checks {
        let err = r.expect_err(what);
        assert_eq!(err.kind(), ErrorKind::NotFound, "{what}: {err}");
        assert!(
            err.operation().is_some_and(|op| op.starts_with("ex_")),
            "{what}: {err}"
        );
    }
}

/// Pins moto 5.2.5's gaps, so the table in the lbcloud-elb docs stays true
/// and an upgrade that fixes one is noticed.
#[tokio::test]
async fn moto_gaps_are_as_documented() {
    let d = moto::elb();
    for (what, err) in [
        (
            "DescribeLoadBalancerPolicyTypes",
            d.ex_list_balancer_policy_types().await.map(drop),
        ),
        (
            "DescribeAccountLimits",
            d.ex_describe_account_limits().await.map(drop),
        ),
    ]
    .map(|(w, r)| (w, r.expect_err(w)))
    {
        assert_eq!(err.status(), Some(500), "{what}: {err}");
        assert_eq!(err.kind(), ErrorKind::Provider, "{what}: {err}");
    }

    // Two ports in one DeleteLoadBalancerListeners: moto corrupts the list.
    let lb = create(&d, "ext-gap").await;
    d.ex_create_balancer_listeners(
        &lb,
        &[
            Listener::new(81, Protocol::Tcp, 81),
            Listener::new(82, Protocol::Tcp, 82),
        ],
    )
    .await
    .unwrap();
    d.ex_delete_balancer_listeners(&lb, &[81, 82])
        .await
        .unwrap();
    let ports: Vec<u16> = d
        .ex_describe_balancer(&lb)
        .await
        .unwrap()
        .listener_descriptions
        .iter()
        .map(|l| l.listener.port)
        .collect();
    assert_ne!(
        ports,
        [80],
        "moto now deletes two ports in one call: update the docs table"
    );

    // InstanceProtocol is ignored: an HTTPS->HTTP listener reads back HTTPS->HTTPS.
    let lb2 = create(&d, "ext-gap").await;
    d.ex_create_balancer_listeners(
        &lb2,
        &[Listener::new(443, Protocol::Https, 8080)
            .instance_protocol(Protocol::Http)
            .certificate(CERT)],
    )
    .await
    .unwrap();
    let l = d
        .ex_describe_balancer(&lb2)
        .await
        .unwrap()
        .listener_descriptions
        .into_iter()
        .find(|l| l.listener.port == 443)
        .unwrap();
    assert_ne!(
        l.listener.instance_protocol,
        Some(Protocol::Http),
        "moto now keeps InstanceProtocol: update the docs table"
    );

    // CreateLoadBalancerListeners on a missing balancer succeeds on moto.
    let gone = moto::unique_name("ext-gone");
    assert!(
        d.ex_create_balancer_listeners(gone.as_str(), &[Listener::new(81, Protocol::Tcp, 81)])
            .await
            .is_ok()
    );

    d.destroy_balancer(&lb).await.unwrap();
    d.destroy_balancer(&lb2).await.unwrap();
}
