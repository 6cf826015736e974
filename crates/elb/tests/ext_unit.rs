//! The `ex_` methods (and the base operations) of `ElbDriver` against the
//! scripted loopback server: every one of the 29 actions is sent by some
//! method with the parameters the API reference requires, every answer is
//! read from XML written from the API reference, and bad input never
//! reaches the server.
//!
//! These cover the paths moto cannot: `DescribeLoadBalancerPolicyTypes` and
//! `DescribeAccountLimits` (moto answers HTML 500), several listeners
//! deleted in one call, `InstanceProtocol`, and the HTML 500 moto sends for
//! some missing balancers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Duration;

use lbcloud_core::{
    Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, Listener, Member, Protocol, Result,
};
use lbcloud_elb::model::{
    AccessLog, AdditionalAttribute, BalancerAttributes, Cardinality, ConnectionDraining,
    ConnectionSettings, PolicyAttribute, Tag,
};
use lbcloud_elb::request::ACTIONS;
use lbcloud_elb::{ElbDriver, Env, RetryConfig};
use lbcloud_testserver::{Recorded, Reply, TestServer};

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/";
const CERT: &str = "arn:aws:iam::123456789012:server-certificate/example";

fn driver(server: &TestServer) -> ElbDriver {
    ElbDriver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(server.url())
        .retry(RetryConfig::none())
        .request_timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A 200 answer `<{action}Response><{action}Result>{result}</...>` with
/// request metadata, as the API reference shows them.
fn ok(action: &str, result: &str) -> Reply {
    Reply::status(200)
        .header("content-type", "text/xml")
        .body(lbcloud_testserver::query_answer(NS, action, result))
}

fn members(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("<member>{i}</member>"))
        .collect()
}

/// One `LoadBalancerDescriptions` member, as `DescribeLoadBalancers` sends it.
fn description(name: &str) -> String {
    format!(
        "<member><LoadBalancerName>{name}</LoadBalancerName>\
         <DNSName>{name}-1.us-east-1.elb.amazonaws.com</DNSName>\
         <ListenerDescriptions><member><Listener><Protocol>HTTPS</Protocol>\
         <LoadBalancerPort>443</LoadBalancerPort><InstanceProtocol>HTTP</InstanceProtocol>\
         <InstancePort>8080</InstancePort><SSLCertificateId>{CERT}</SSLCertificateId></Listener>\
         <PolicyNames><member>sticky</member></PolicyNames></member></ListenerDescriptions>\
         <Policies><AppCookieStickinessPolicies/><LBCookieStickinessPolicies><member>\
         <PolicyName>sticky</PolicyName><CookieExpirationPeriod>60</CookieExpirationPeriod>\
         </member></LBCookieStickinessPolicies><OtherPolicies><member>proxy</member></OtherPolicies></Policies>\
         <BackendServerDescriptions><member><InstancePort>8080</InstancePort>\
         <PolicyNames><member>proxy</member></PolicyNames></member></BackendServerDescriptions>\
         <AvailabilityZones><member>us-east-1a</member></AvailabilityZones><Subnets/>\
         <Instances><member><InstanceId>i-1</InstanceId></member></Instances>\
         <CreatedTime>2024-05-01T12:00:00.000Z</CreatedTime><Scheme>internet-facing</Scheme></member>"
    )
}

fn describe_reply(names: &[&str], next: Option<&str>) -> Reply {
    let list: String = names.iter().map(|n| description(n)).collect();
    let marker = next
        .map(|m| format!("<NextMarker>{m}</NextMarker>"))
        .unwrap_or_default();
    ok(
        "DescribeLoadBalancers",
        &format!("<LoadBalancerDescriptions>{list}</LoadBalancerDescriptions>{marker}"),
    )
}

const ATTRIBUTES: &str = "<LoadBalancerAttributes>\
    <CrossZoneLoadBalancing><Enabled>true</Enabled></CrossZoneLoadBalancing>\
    <ConnectionDraining><Enabled>true</Enabled><Timeout>300</Timeout></ConnectionDraining>\
    <ConnectionSettings><IdleTimeout>120</IdleTimeout></ConnectionSettings>\
    <AccessLog><Enabled>true</Enabled><S3BucketName>logs</S3BucketName>\
    <S3BucketPrefix>web/prod</S3BucketPrefix><EmitInterval>60</EmitInterval></AccessLog>\
    <AdditionalAttributes><member><Key>elb.http.desyncmitigationmode</Key>\
    <Value>strictest</Value></member></AdditionalAttributes></LoadBalancerAttributes>";

const POLICY_TYPES: &str = "<PolicyTypeDescriptions><member>\
    <PolicyTypeName>ProxyProtocolPolicyType</PolicyTypeName>\
    <Description>Adds a proxy protocol header to TCP connections.</Description>\
    <PolicyAttributeTypeDescriptions><member><AttributeName>ProxyProtocol</AttributeName>\
    <AttributeType>Boolean</AttributeType><Cardinality>ONE</Cardinality></member>\
    </PolicyAttributeTypeDescriptions></member><member>\
    <PolicyTypeName>LBCookieStickinessPolicyType</PolicyTypeName>\
    <PolicyAttributeTypeDescriptions><member><AttributeName>CookieExpirationPeriod</AttributeName>\
    <AttributeType>Long</AttributeType><DefaultValue>0</DefaultValue>\
    <Cardinality>ZERO_OR_ONE</Cardinality><Description>Seconds a cookie lives.</Description>\
    </member></PolicyAttributeTypeDescriptions></member></PolicyTypeDescriptions>";

/// The scripted answer(s) for the method that sends `action`.
fn replies_for(action: &str) -> Vec<Reply> {
    let empty = |a: &str| ok(a, "");
    match action {
        "ApplySecurityGroupsToLoadBalancer" => vec![ok(
            action,
            &format!(
                "<SecurityGroups>{}</SecurityGroups>",
                members(&["sg-1", "sg-2"])
            ),
        )],
        "AttachLoadBalancerToSubnets" | "DetachLoadBalancerFromSubnets" => vec![ok(
            action,
            &format!("<Subnets>{}</Subnets>", members(&["subnet-1"])),
        )],
        "ConfigureHealthCheck" => vec![ok(
            action,
            "<HealthCheck><Target>HTTP:8080/health</Target><Interval>20</Interval>\
             <Timeout>5</Timeout><UnhealthyThreshold>5</UnhealthyThreshold>\
             <HealthyThreshold>3</HealthyThreshold></HealthCheck>",
        )],
        "CreateLoadBalancer" => vec![
            ok(
                action,
                "<DNSName>web-1.us-east-1.elb.amazonaws.com</DNSName>",
            ),
            describe_reply(&["web"], None),
        ],
        "DescribeAccountLimits" => vec![ok(
            action,
            "<Limits><member><Name>classic-load-balancers</Name><Max>20</Max></member>\
             <member><Name>classic-listeners</Name><Max>100</Max></member></Limits>",
        )],
        "DescribeInstanceHealth" => vec![ok(
            action,
            "<InstanceStates><member><InstanceId>i-1</InstanceId><State>OutOfService</State>\
             <ReasonCode>Instance</ReasonCode><Description>Instance has failed at least the \
             UnhealthyThreshold number of health checks consecutively.</Description></member>\
             </InstanceStates>",
        )],
        "DescribeLoadBalancerAttributes" | "ModifyLoadBalancerAttributes" => {
            vec![ok(
                action,
                &format!("<LoadBalancerName>web</LoadBalancerName>{ATTRIBUTES}"),
            )]
        }
        "DescribeLoadBalancerPolicies" => vec![ok(
            action,
            "<PolicyDescriptions><member><PolicyName>proxy</PolicyName>\
             <PolicyTypeName>ProxyProtocolPolicyType</PolicyTypeName>\
             <PolicyAttributeDescriptions><member><AttributeName>ProxyProtocol</AttributeName>\
             <AttributeValue>true</AttributeValue></member></PolicyAttributeDescriptions>\
             </member></PolicyDescriptions>",
        )],
        "DescribeLoadBalancerPolicyTypes" => vec![ok(action, POLICY_TYPES)],
        "DescribeLoadBalancers" => vec![describe_reply(&["web"], None)],
        "DescribeTags" => vec![ok(
            action,
            "<TagDescriptions><member><LoadBalancerName>web</LoadBalancerName><Tags>\
             <member><Key>env</Key><Value>prod</Value></member></Tags></member></TagDescriptions>",
        )],
        "DisableAvailabilityZonesForLoadBalancer" | "EnableAvailabilityZonesForLoadBalancer" => {
            vec![ok(
                action,
                &format!(
                    "<AvailabilityZones>{}</AvailabilityZones>",
                    members(&["us-east-1b"])
                ),
            )]
        }
        "RegisterInstancesWithLoadBalancer" | "DeregisterInstancesFromLoadBalancer" => vec![ok(
            action,
            "<Instances><member><InstanceId>i-1</InstanceId></member>\
             <member><InstanceId>i-2</InstanceId></member></Instances>",
        )],
        _ => vec![empty(action)],
    }
}

fn web() -> Balancer {
    Balancer::new("web", "web")
}

/// Sends `action` through the method that owns it, with fixed arguments.
async fn send(d: &ElbDriver, action: &str) -> Result<()> {
    let lb = web();
    match action {
        "AddTags" => {
            d.ex_add_tags(&lb, &[Tag::new("env", "prod"), Tag::new("team", "")])
                .await
        }
        "ApplySecurityGroupsToLoadBalancer" => d
            .ex_apply_security_groups(&lb, &["sg-1", "sg-2"])
            .await
            .map(drop),
        "AttachLoadBalancerToSubnets" => d
            .ex_attach_balancer_to_subnets("web", &["subnet-1"])
            .await
            .map(drop),
        "ConfigureHealthCheck" => {
            let hc = HealthCheck::new("HTTP:8080/health")?
                .interval(Duration::from_secs(20))
                .healthy_threshold(3)
                .unhealthy_threshold(5);
            d.set_health_check(&lb, hc).await.map(drop)
        }
        "CreateAppCookieStickinessPolicy" => {
            d.ex_create_app_cookie_stickiness_policy(&lb, "app-sticky", "SESSIONID")
                .await
        }
        "CreateLBCookieStickinessPolicy" => {
            d.ex_create_lb_cookie_stickiness_policy(&lb, "sticky", Some(Duration::from_secs(60)))
                .await
        }
        "CreateLoadBalancer" => d
            .create_balancer(CreateBalancer::new("web", 80, Protocol::Http).zones(["us-east-1a"]))
            .await
            .map(drop),
        "CreateLoadBalancerListeners" => {
            let https = Listener::new(443, Protocol::Https, 8080)
                .instance_protocol(Protocol::Http)
                .certificate(CERT);
            d.ex_create_balancer_listeners(&lb, &[https, Listener::new(25, Protocol::Tcp, 2525)])
                .await
        }
        "CreateLoadBalancerPolicy" => d
            .ex_create_balancer_policy(
                &lb,
                "proxy",
                "ProxyProtocolPolicyType",
                &[PolicyAttribute::new("ProxyProtocol", "true")],
            )
            .await
            .map(drop),
        "DeleteLoadBalancer" => d.destroy_balancer(&lb).await,
        "DeleteLoadBalancerListeners" => d.ex_delete_balancer_listeners(&lb, &[443, 25]).await,
        "DeleteLoadBalancerPolicy" => d.ex_delete_balancer_policy(&lb, "proxy").await,
        "DeregisterInstancesFromLoadBalancer" => {
            d.balancer_detach_members(&lb, &[Member::instance("i-1"), Member::instance("i-2")])
                .await
        }
        "DescribeAccountLimits" => d.ex_describe_account_limits().await.map(drop),
        "DescribeInstanceHealth" => d
            .ex_describe_instance_health(&lb, &["i-1", "i-2"])
            .await
            .map(drop),
        "DescribeLoadBalancerAttributes" => d.ex_describe_balancer_attributes(&lb).await.map(drop),
        "DescribeLoadBalancerPolicies" => d.ex_list_balancer_policies(&lb).await.map(drop),
        "DescribeLoadBalancerPolicyTypes" => d.ex_list_balancer_policy_types().await.map(drop),
        "DescribeLoadBalancers" => d.ex_describe_balancer("web").await.map(drop),
        "DescribeTags" => d.ex_describe_tags(&["web"]).await.map(drop),
        "DetachLoadBalancerFromSubnets" => d
            .ex_detach_balancer_from_subnets(&lb, &["subnet-2"])
            .await
            .map(drop),
        "DisableAvailabilityZonesForLoadBalancer" => d
            .ex_disable_availability_zones(&lb, &["us-east-1a"])
            .await
            .map(drop),
        "EnableAvailabilityZonesForLoadBalancer" => d
            .ex_enable_availability_zones(&lb, &["us-east-1b"])
            .await
            .map(drop),
        "ModifyLoadBalancerAttributes" => d
            .ex_modify_balancer_attributes(&lb, &full_attributes())
            .await
            .map(drop),
        "RegisterInstancesWithLoadBalancer" => d
            .balancer_attach_members(&lb, vec![Member::instance("i-1"), Member::instance("i-2")])
            .await
            .map(drop),
        "RemoveTags" => d.ex_remove_tags(&lb, &["env", "team"]).await,
        "SetLoadBalancerListenerSSLCertificate" => {
            d.ex_set_balancer_listener_ssl_certificate(&lb, 443, CERT)
                .await
        }
        "SetLoadBalancerPoliciesForBackendServer" => {
            d.ex_set_balancer_policies_backend_server(&lb, 8080, &["proxy"])
                .await
        }
        "SetLoadBalancerPoliciesOfListener" => {
            d.ex_set_balancer_policies_listener::<&str>(&lb, 443, &[])
                .await
        }
        other => panic!("no method sends {other}: add one to this table"),
    }
}

fn full_attributes() -> BalancerAttributes {
    BalancerAttributes {
        cross_zone_load_balancing: Some(true),
        connection_draining: Some(ConnectionDraining {
            enabled: true,
            timeout: Some(300),
        }),
        connection_settings: Some(ConnectionSettings { idle_timeout: 120 }),
        access_log: Some(AccessLog {
            enabled: true,
            s3_bucket_name: Some("logs".into()),
            s3_bucket_prefix: Some("web/prod".into()),
            emit_interval: Some(60),
        }),
        additional_attributes: vec![AdditionalAttribute {
            key: "elb.http.desyncmitigationmode".into(),
            value: "strictest".into(),
        }],
    }
}

/// The parameters (after `Action` and `Version`) the API reference requires
/// for the first request of each action as `send` makes it, in any order.
fn expected_params(action: &str) -> Vec<(&'static str, &'static str)> {
    let lb = ("LoadBalancerName", "web");
    match action {
        "AddTags" => vec![
            ("LoadBalancerNames.member.1", "web"),
            ("Tags.member.1.Key", "env"),
            ("Tags.member.1.Value", "prod"),
            ("Tags.member.2.Key", "team"),
            ("Tags.member.2.Value", ""),
        ],
        "ApplySecurityGroupsToLoadBalancer" => vec![
            lb,
            ("SecurityGroups.member.1", "sg-1"),
            ("SecurityGroups.member.2", "sg-2"),
        ],
        "AttachLoadBalancerToSubnets" => vec![lb, ("Subnets.member.1", "subnet-1")],
        "ConfigureHealthCheck" => vec![
            lb,
            ("HealthCheck.Target", "HTTP:8080/health"),
            ("HealthCheck.Interval", "20"),
            ("HealthCheck.Timeout", "5"),
            ("HealthCheck.UnhealthyThreshold", "5"),
            ("HealthCheck.HealthyThreshold", "3"),
        ],
        "CreateAppCookieStickinessPolicy" => vec![
            lb,
            ("PolicyName", "app-sticky"),
            ("CookieName", "SESSIONID"),
        ],
        "CreateLBCookieStickinessPolicy" => vec![
            lb,
            ("PolicyName", "sticky"),
            ("CookieExpirationPeriod", "60"),
        ],
        "CreateLoadBalancer" => vec![
            lb,
            ("Listeners.member.1.Protocol", "HTTP"),
            ("Listeners.member.1.LoadBalancerPort", "80"),
            ("Listeners.member.1.InstancePort", "80"),
            ("AvailabilityZones.member.1", "us-east-1a"),
        ],
        "CreateLoadBalancerListeners" => vec![
            lb,
            ("Listeners.member.1.Protocol", "HTTPS"),
            ("Listeners.member.1.LoadBalancerPort", "443"),
            ("Listeners.member.1.InstancePort", "8080"),
            ("Listeners.member.1.InstanceProtocol", "HTTP"),
            ("Listeners.member.1.SSLCertificateId", CERT),
            ("Listeners.member.2.Protocol", "TCP"),
            ("Listeners.member.2.LoadBalancerPort", "25"),
            ("Listeners.member.2.InstancePort", "2525"),
        ],
        "CreateLoadBalancerPolicy" => vec![
            lb,
            ("PolicyName", "proxy"),
            ("PolicyTypeName", "ProxyProtocolPolicyType"),
            ("PolicyAttributes.member.1.AttributeName", "ProxyProtocol"),
            ("PolicyAttributes.member.1.AttributeValue", "true"),
        ],
        "DeleteLoadBalancer" => vec![lb],
        "DeleteLoadBalancerListeners" => vec![
            lb,
            ("LoadBalancerPorts.member.1", "443"),
            ("LoadBalancerPorts.member.2", "25"),
        ],
        "DeleteLoadBalancerPolicy" => vec![lb, ("PolicyName", "proxy")],
        "DeregisterInstancesFromLoadBalancer"
        | "RegisterInstancesWithLoadBalancer"
        | "DescribeInstanceHealth" => vec![
            lb,
            ("Instances.member.1.InstanceId", "i-1"),
            ("Instances.member.2.InstanceId", "i-2"),
        ],
        "DescribeAccountLimits" | "DescribeLoadBalancerPolicyTypes" => vec![],
        "DescribeLoadBalancerAttributes" | "DescribeLoadBalancerPolicies" => vec![lb],
        "DescribeLoadBalancers" => vec![("LoadBalancerNames.member.1", "web")],
        "DescribeTags" => vec![("LoadBalancerNames.member.1", "web")],
        "DetachLoadBalancerFromSubnets" => vec![lb, ("Subnets.member.1", "subnet-2")],
        "DisableAvailabilityZonesForLoadBalancer" => {
            vec![lb, ("AvailabilityZones.member.1", "us-east-1a")]
        }
        "EnableAvailabilityZonesForLoadBalancer" => {
            vec![lb, ("AvailabilityZones.member.1", "us-east-1b")]
        }
        "ModifyLoadBalancerAttributes" => vec![
            lb,
            (
                "LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled",
                "true",
            ),
            ("LoadBalancerAttributes.ConnectionDraining.Enabled", "true"),
            ("LoadBalancerAttributes.ConnectionDraining.Timeout", "300"),
            (
                "LoadBalancerAttributes.ConnectionSettings.IdleTimeout",
                "120",
            ),
            ("LoadBalancerAttributes.AccessLog.Enabled", "true"),
            ("LoadBalancerAttributes.AccessLog.S3BucketName", "logs"),
            ("LoadBalancerAttributes.AccessLog.EmitInterval", "60"),
            (
                "LoadBalancerAttributes.AccessLog.S3BucketPrefix",
                "web/prod",
            ),
            (
                "LoadBalancerAttributes.AdditionalAttributes.member.1.Key",
                "elb.http.desyncmitigationmode",
            ),
            (
                "LoadBalancerAttributes.AdditionalAttributes.member.1.Value",
                "strictest",
            ),
        ],
        "RemoveTags" => vec![
            ("LoadBalancerNames.member.1", "web"),
            ("Tags.member.1.Key", "env"),
            ("Tags.member.2.Key", "team"),
        ],
        "SetLoadBalancerListenerSSLCertificate" => {
            vec![lb, ("LoadBalancerPort", "443"), ("SSLCertificateId", CERT)]
        }
        "SetLoadBalancerPoliciesForBackendServer" => vec![
            lb,
            ("InstancePort", "8080"),
            ("PolicyNames.member.1", "proxy"),
        ],
        // An empty list clears the policies and is still sent.
        "SetLoadBalancerPoliciesOfListener" => {
            vec![lb, ("LoadBalancerPort", "443"), ("PolicyNames", "")]
        }
        other => panic!("no expected parameters for {other}"),
    }
}

fn params(r: &Recorded) -> Vec<(String, String)> {
    let mut form = r.form();
    form.retain(|(k, _)| k != "Action" && k != "Version");
    form.sort();
    form
}

#[tokio::test]
async fn every_action_is_sent_by_a_method_with_the_parameters_the_api_requires() {
    for action in ACTIONS {
        let replies = replies_for(action);
        let scripted = replies.len();
        let server = TestServer::start(replies).await;
        let d = driver(&server);
        send(&d, action)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), scripted, "{action}: requests sent");
        let first = &reqs[0];
        assert_eq!(first.method, "POST", "{action}");
        assert_eq!(first.form_value("Action").as_deref(), Some(action));
        assert_eq!(
            first.form_value("Version").as_deref(),
            Some("2012-06-01"),
            "{action}"
        );
        let mut want: Vec<(String, String)> = expected_params(action)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        want.sort();
        assert_eq!(params(first), want, "{action}: parameters");
        assert!(
            first
                .header("authorization")
                .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 ")),
            "{action}: not signed"
        );
    }
}

#[tokio::test]
async fn answers_become_rich_types() {
    let server = TestServer::start([
        ok("DescribeLoadBalancerPolicyTypes", POLICY_TYPES),
        replies_for("DescribeLoadBalancerPolicies").remove(0),
        replies_for("DescribeLoadBalancerAttributes").remove(0),
        replies_for("DescribeInstanceHealth").remove(0),
        replies_for("EnableAvailabilityZonesForLoadBalancer").remove(0),
        describe_reply(&["web"], None),
    ])
    .await;
    let d = driver(&server);

    let types = d.ex_list_balancer_policy_types().await.unwrap();
    assert_eq!(types.len(), 2);
    assert_eq!(types[0].name, "ProxyProtocolPolicyType");
    assert!(types[0].description.as_deref().unwrap().contains("proxy"));
    let attr = &types[0].attributes[0];
    assert_eq!(
        (attr.name.as_str(), attr.type_name.as_str()),
        ("ProxyProtocol", "Boolean")
    );
    assert_eq!(attr.cardinality, Some(Cardinality::One));
    let cookie = &types[1].attributes[0];
    assert_eq!(cookie.default_value.as_deref(), Some("0"));
    assert_eq!(cookie.cardinality, Some(Cardinality::ZeroOrOne));
    assert_eq!(
        cookie.description.as_deref(),
        Some("Seconds a cookie lives.")
    );

    let policies = d.ex_list_balancer_policies("web").await.unwrap();
    assert_eq!(policies[0].type_name, "ProxyProtocolPolicyType");
    assert_eq!(
        policies[0].attributes,
        vec![PolicyAttribute::new("ProxyProtocol", "true")]
    );

    assert_eq!(
        d.ex_describe_balancer_attributes("web").await.unwrap(),
        full_attributes()
    );

    let health = d
        .ex_describe_instance_health("web", &["i-1"])
        .await
        .unwrap();
    assert_eq!(health[0].instance_id, "i-1");
    assert_eq!(health[0].state, "OutOfService");
    assert_eq!(health[0].reason_code.as_deref(), Some("Instance"));

    let zones = d
        .ex_enable_availability_zones("web", &["us-east-1b"])
        .await
        .unwrap();
    assert_eq!(zones, ["us-east-1b"]);

    // InstanceProtocol, certificate, policies: moto ignores or drops these.
    let desc = d.ex_describe_balancer("web").await.unwrap();
    let l = &desc.listener_descriptions[0];
    assert_eq!(l.listener.instance_protocol, Some(Protocol::Http));
    assert_eq!(l.listener.certificate_id.as_deref(), Some(CERT));
    assert_eq!(l.policy_names, ["sticky"]);
    assert_eq!(desc.backend_server_descriptions[0].policy_names, ["proxy"]);
    assert_eq!(
        desc.policies.lb_cookie_stickiness[0].cookie_expiration_period,
        Some(60)
    );
    assert_eq!(server.request_count(), 6);
}

#[tokio::test]
async fn account_limits_follow_every_page_and_stop_on_a_repeated_marker() {
    let page = |limits: &str, next: Option<&str>| {
        ok(
            "DescribeAccountLimits",
            &format!(
                "<Limits>{limits}</Limits>{}",
                next.map(|m| format!("<NextMarker>{m}</NextMarker>"))
                    .unwrap_or_default()
            ),
        )
    };
    let server = TestServer::start([
        page(
            "<member><Name>classic-load-balancers</Name><Max>20</Max></member>",
            Some("m1"),
        ),
        page(
            "<member><Name>classic-listeners</Name><Max>100</Max></member>",
            Some("m2"),
        ),
        page(
            "<member><Name>classic-registered-instances</Name><Max>1000</Max></member>",
            None,
        ),
    ])
    .await;
    let limits = driver(&server).ex_describe_account_limits().await.unwrap();
    let names: Vec<_> = limits.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "classic-load-balancers",
            "classic-listeners",
            "classic-registered-instances"
        ]
    );
    assert_eq!(limits[2].max_value(), Some(1000));
    let reqs = server.requests();
    assert_eq!(reqs[0].form_value("Marker"), None);
    assert_eq!(reqs[1].form_value("Marker").as_deref(), Some("m1"));
    assert_eq!(reqs[2].form_value("Marker").as_deref(), Some("m2"));

    let looping = TestServer::start([
        page("", Some("same")),
        page("", Some("same")),
        page("", Some("same")),
    ])
    .await;
    let err = driver(&looping)
        .ex_describe_account_limits()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert_eq!(looping.request_count(), 2);
}

#[tokio::test]
async fn tags_come_with_the_listing_in_one_call_per_twenty_balancers() {
    let names: Vec<String> = (0..45).map(|i| format!("lb-{i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let tag_page = |chunk: &[&str]| {
        let list: String = chunk
            .iter()
            .map(|n| {
                format!(
                    "<member><LoadBalancerName>{n}</LoadBalancerName><Tags><member>\
                     <Key>name</Key><Value>{n}</Value></member></Tags></member>"
                )
            })
            .collect();
        ok(
            "DescribeTags",
            &format!("<TagDescriptions>{list}</TagDescriptions>"),
        )
    };
    let mut replies = vec![describe_reply(&refs, None)];
    replies.extend(refs.chunks(20).map(tag_page));
    let server = TestServer::start(replies).await;
    let balancers = driver(&server).ex_list_balancers_with_tags().await.unwrap();
    assert_eq!(balancers.len(), 45);
    for b in &balancers {
        let expected: std::collections::BTreeMap<String, String> =
            [("name".to_owned(), b.name.clone())].into();
        assert_eq!(b.tags, expected);
        assert!(!b.extra.contains_key("Tags"));
    }
    // The three DescribeTags calls go out together, so they may arrive in
    // any order (and take each other's scripted answers: the tags still
    // land on the right balancers, by name).
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1 + 3, "one listing and three DescribeTags");
    let mut sizes: Vec<usize> = reqs[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.form_value("Action").as_deref(), Some("DescribeTags"));
            r.form()
                .iter()
                .filter(|(k, _)| k.starts_with("LoadBalancerNames.member."))
                .count()
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [5, 20, 20]);
    let mut firsts: Vec<String> = reqs[1..]
        .iter()
        .filter_map(|r| r.form_value("LoadBalancerNames.member.1"))
        .collect();
    firsts.sort();
    assert_eq!(firsts, ["lb-00", "lb-20", "lb-40"]);

    // No balancers: no DescribeTags call at all.
    let empty = TestServer::start([describe_reply(&[], None)]).await;
    assert!(
        driver(&empty)
            .ex_list_balancers_with_tags()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(empty.request_count(), 1);
}

fn not_found_reply(name: &str) -> Reply {
    Reply::status(400).body(format!(
        "<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type>\
         <Code>LoadBalancerNotFound</Code><Message>There is no ACTIVE Load Balancer named '{name}'</Message>\
         </Error><RequestId>r-1</RequestId></ErrorResponse>"
    ))
}

#[tokio::test]
async fn html_500_for_a_missing_balancer_becomes_not_found_naming_the_method() {
    // What moto sends for e.g. CreateLoadBalancerPolicy on a missing balancer.
    let html = || {
        Reply::status(500).header("content-type", "text/html").body(
            "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
             <h1>Internal Server Error</h1>",
        )
    };
    // The balancer is missing: NotFound, keeping the 500.
    let server = TestServer::start([html(), not_found_reply("gone")]).await;
    let err = driver(&server)
        .ex_create_balancer_policy("gone", "proxy", "ProxyProtocolPolicyType", &[])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.status(), Some(500), "{err}");
    assert_eq!(err.operation(), Some("ex_create_balancer_policy"));
    let reqs = server.requests();
    assert_eq!(
        reqs[1].form_value("Action").as_deref(),
        Some("DescribeLoadBalancers")
    );

    // The balancer exists: the provider error stays what it was.
    let server = TestServer::start([html(), describe_reply(&["web"], None)]).await;
    let err = driver(&server)
        .ex_modify_balancer_attributes("web", &full_attributes())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Provider, "{err}");
    assert_eq!(err.status(), Some(500), "{err}");
    assert_eq!(err.operation(), Some("ex_modify_balancer_attributes"));

    // The AWS answer for the same case needs no second request.
    let server = TestServer::start([not_found_reply("gone")]).await;
    let err = driver(&server)
        .ex_delete_balancer_policy("gone", "proxy")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.code(), Some("LoadBalancerNotFound"));
    assert_eq!(err.operation(), Some("ex_delete_balancer_policy"));
    assert_eq!(server.request_count(), 1);
    assert!(!format!("{err:?}").contains("unit-test-secret"));
}

#[tokio::test]
async fn malformed_answers_are_errors_not_panics() {
    let bodies: [&[u8]; 5] = [
        b"",
        b"<DescribeTagsResponse><DescribeTagsResult><TagDescriptions><member>",
        b"\xff\xfe not xml",
        b"<SomethingElse/>",
        b"<html><body>200 but not XML from ELB</body></html>",
    ];
    for body in bodies {
        let server = TestServer::start([Reply::status(200).body(body.to_vec())]).await;
        let r = driver(&server).ex_describe_tags(&["web"]).await;
        let err = r.expect_err("a malformed answer was accepted");
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
        assert_eq!(err.operation(), Some("ex_describe_tags"));
    }
}

/// Asserts `r` failed with InvalidInput about a field containing `field`.
fn rejected<T: std::fmt::Debug>(what: &str, r: Result<T>, field: &str) {
    match r {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{what}: {e}");
            let got = e.field().unwrap_or_default();
            assert!(
                got.contains(field),
                "{what}: field {got:?}, wanted {field:?}"
            );
            assert!(
                e.operation().is_some_and(|op| op.starts_with("ex_")),
                "{what}: operation {:?}",
                e.operation()
            );
        }
        Ok(v) => panic!("{what}: accepted bad input: {v:?}"),
    }
}

#[tokio::test]
async fn bad_input_to_every_ex_method_is_rejected_before_any_request() {
    let server = TestServer::start([]).await;
    let d = driver(&server);
    let none: &[&str] = &[];
    let eleven: Vec<Tag> = (0..11).map(|i| Tag::new(format!("k{i}"), "v")).collect();
    let eleven_keys: Vec<String> = (0..11).map(|i| format!("k{i}")).collect();
    let many_names: Vec<String> = (0..25).map(|i| format!("lb-{i}")).collect();
    let mut bad_names = many_names.clone();
    bad_names[22] = "bad_name!".into();

    // Balancer names.
    rejected(
        "policies of a bad name",
        d.ex_list_balancer_policies("bad name").await,
        "load_balancer_name",
    );
    rejected(
        "empty name",
        d.ex_describe_balancer_attributes("").await,
        "load_balancer_name",
    );
    rejected(
        "name too long",
        d.ex_describe_balancer(&"x".repeat(33)).await,
        "load_balancer_names",
    );
    // Policies.
    rejected(
        "empty policy name",
        d.ex_create_balancer_policy("web", "", "ProxyProtocolPolicyType", &[])
            .await,
        "policy.name",
    );
    rejected(
        "policy name with a space",
        d.ex_create_balancer_policy("web", "my policy", "ProxyProtocolPolicyType", &[])
            .await,
        "policy.name",
    );
    rejected(
        "empty policy type",
        d.ex_create_balancer_policy("web", "p", "", &[]).await,
        "policy.type_name",
    );
    rejected(
        "empty attribute name",
        d.ex_create_balancer_policy("web", "p", "T", &[PolicyAttribute::new("", "x")])
            .await,
        "policy.attributes[0].name",
    );
    rejected(
        "delete empty policy",
        d.ex_delete_balancer_policy("web", "").await,
        "policy_name",
    );
    rejected(
        "listener port 0",
        d.ex_set_balancer_policies_listener("web", 0, &["p"]).await,
        "load_balancer_port",
    );
    rejected(
        "empty listener policy",
        d.ex_set_balancer_policies_listener("web", 80, &[""]).await,
        "policy_names[0]",
    );
    rejected(
        "policy twice",
        d.ex_set_balancer_policies_listener("web", 80, &["p", "p"])
            .await,
        "policy_names[1]",
    );
    rejected(
        "instance port 0",
        d.ex_set_balancer_policies_backend_server("web", 0, none)
            .await,
        "instance_port",
    );
    rejected(
        "empty backend policy",
        d.ex_set_balancer_policies_backend_server("web", 80, &[""])
            .await,
        "policy_names[0]",
    );
    rejected(
        "empty policy-types name",
        d.ex_describe_balancer_policy_types(&[""]).await,
        "policy_type_names[0]",
    );
    rejected(
        "lb cookie empty name",
        d.ex_create_lb_cookie_stickiness_policy("web", "", None)
            .await,
        "policy_name",
    );
    rejected(
        "lb cookie period too long",
        d.ex_create_lb_cookie_stickiness_policy("web", "p", Some(Duration::from_secs(u64::MAX)))
            .await,
        "expiration",
    );
    rejected(
        "app cookie empty cookie",
        d.ex_create_app_cookie_stickiness_policy("web", "p", "")
            .await,
        "cookie_name",
    );
    // Listeners.
    rejected(
        "no listeners",
        d.ex_create_balancer_listeners("web", &[]).await,
        "listeners",
    );
    rejected(
        "unknown protocol",
        d.ex_create_balancer_listeners("web", &[Listener::new(53, Protocol::Udp, 53)])
            .await,
        "listeners[0].protocol",
    );
    rejected(
        "unknown instance protocol",
        d.ex_create_balancer_listeners(
            "web",
            &[Listener::new(53, Protocol::Tcp, 53).instance_protocol(Protocol::Udp)],
        )
        .await,
        "listeners[0].instance_protocol",
    );
    rejected(
        "port 0",
        d.ex_create_balancer_listeners("web", &[Listener::new(0, Protocol::Tcp, 80)])
            .await,
        "listeners[0]",
    );
    rejected(
        "instance port 0",
        d.ex_create_balancer_listeners("web", &[Listener::new(80, Protocol::Tcp, 0)])
            .await,
        "listeners[0]",
    );
    rejected(
        "https without a certificate",
        d.ex_create_balancer_listeners("web", &[Listener::new(443, Protocol::Https, 80)])
            .await,
        "listeners[0]",
    );
    rejected(
        "two listeners on one port",
        d.ex_create_balancer_listeners(
            "web",
            &[
                Listener::new(80, Protocol::Http, 80),
                Listener::new(80, Protocol::Tcp, 81),
            ],
        )
        .await,
        "listeners[1].port",
    );
    rejected(
        "delete no ports",
        d.ex_delete_balancer_listeners("web", &[]).await,
        "load_balancer_ports",
    );
    rejected(
        "delete port 0",
        d.ex_delete_balancer_listeners("web", &[80, 0]).await,
        "load_balancer_ports[1]",
    );
    rejected(
        "certificate port 0",
        d.ex_set_balancer_listener_ssl_certificate("web", 0, CERT)
            .await,
        "load_balancer_port",
    );
    rejected(
        "empty certificate",
        d.ex_set_balancer_listener_ssl_certificate("web", 443, "")
            .await,
        "ssl_certificate_id",
    );
    // Zones, subnets, security groups.
    rejected(
        "enable no zones",
        d.ex_enable_availability_zones("web", none).await,
        "zones",
    );
    rejected(
        "disable empty zone",
        d.ex_disable_availability_zones("web", &[""]).await,
        "zones[0]",
    );
    rejected(
        "attach no subnets",
        d.ex_attach_balancer_to_subnets("web", none).await,
        "subnets",
    );
    rejected(
        "detach a subnet twice",
        d.ex_detach_balancer_from_subnets("web", &["s-1", "s-1"])
            .await,
        "subnets[1]",
    );
    rejected(
        "no security groups",
        d.ex_apply_security_groups("web", none).await,
        "security_groups",
    );
    // Attributes.
    rejected(
        "no attribute",
        d.ex_modify_balancer_attributes("web", &BalancerAttributes::default())
            .await,
        "attributes",
    );
    let mut a = full_attributes();
    a.connection_draining = Some(ConnectionDraining {
        enabled: true,
        timeout: Some(3601),
    });
    rejected(
        "draining timeout",
        d.ex_modify_balancer_attributes("web", &a).await,
        "connection_draining.timeout",
    );
    let mut a = full_attributes();
    a.connection_settings = Some(ConnectionSettings { idle_timeout: 0 });
    rejected(
        "idle timeout",
        d.ex_modify_balancer_attributes("web", &a).await,
        "connection_settings.idle_timeout",
    );
    let mut a = full_attributes();
    if let Some(l) = a.access_log.as_mut() {
        l.emit_interval = Some(15);
    }
    rejected(
        "emit interval",
        d.ex_modify_balancer_attributes("web", &a).await,
        "access_log.emit_interval",
    );
    let mut a = full_attributes();
    if let Some(l) = a.access_log.as_mut() {
        l.s3_bucket_name = None;
    }
    rejected(
        "access log without a bucket",
        d.ex_modify_balancer_attributes("web", &a).await,
        "access_log.s3_bucket_name",
    );
    let mut a = full_attributes();
    a.additional_attributes = (0..11)
        .map(|i| AdditionalAttribute {
            key: format!("k{i}"),
            value: "v".into(),
        })
        .collect();
    rejected(
        "eleven additional attributes",
        d.ex_modify_balancer_attributes("web", &a).await,
        "additional_attributes",
    );
    // Tags.
    rejected("no tags", d.ex_add_tags("web", &[]).await, "tags");
    rejected("eleven tags", d.ex_add_tags("web", &eleven).await, "tags");
    rejected(
        "empty tag key",
        d.ex_add_tags("web", &[Tag::new("", "v")]).await,
        "tags[0].key",
    );
    rejected(
        "tag value too long",
        d.ex_add_tags("web", &[Tag::new("k", "v".repeat(257))])
            .await,
        "tags[0].value",
    );
    rejected(
        "remove no keys",
        d.ex_remove_tags("web", none).await,
        "tag_keys",
    );
    rejected(
        "remove eleven keys",
        d.ex_remove_tags("web", &eleven_keys).await,
        "tag_keys",
    );
    rejected(
        "describe no tags",
        d.ex_describe_tags(none).await,
        "load_balancer_names",
    );
    // A bad name in the second batch of 20 stops the first batch too.
    rejected(
        "bad name among 25",
        d.ex_describe_tags(&bad_names).await,
        "load_balancer_names[22]",
    );
    // Health.
    rejected(
        "empty instance id",
        d.ex_describe_instance_health("web", &[""]).await,
        "instance_ids[0]",
    );
    rejected(
        "instance twice",
        d.ex_describe_instance_health("web", &["i-1", "i-1"]).await,
        "instance_ids[1]",
    );

    assert_eq!(server.request_count(), 0, "bad input reached the server");
}
