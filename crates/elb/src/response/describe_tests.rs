//! DescribeLoadBalancers parsing, on XML written from the API reference.

use lbcloud_core::{ErrorKind, HealthCheck, Listener, Protocol, Scheme, State};
use serde_json::json;
use time::macros::datetime;

use super::{parse_describe_load_balancers, parse_load_balancer_descriptions};
use crate::model::ElbBalancerDescription;

/// Two balancers: one in a VPC with every field, one EC2-Classic with the
/// fields a classic balancer has (no subnets, VPC or security groups).
const FULL_PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">
  <DescribeLoadBalancersResult>
    <NextMarker>ZmFrZS1tYXJrZXI=</NextMarker>
    <LoadBalancerDescriptions>
      <member>
        <SecurityGroups>
          <member>sg-0123abcd</member>
          <member>sg-4567ef01</member>
        </SecurityGroups>
        <LoadBalancerName>my-vpc-lb</LoadBalancerName>
        <CreatedTime>2013-05-24T21:15:31.280Z</CreatedTime>
        <HealthCheck>
          <Interval>20</Interval>
          <Target>HTTP:8080/health</Target>
          <HealthyThreshold>3</HealthyThreshold>
          <Timeout>5</Timeout>
          <UnhealthyThreshold>5</UnhealthyThreshold>
        </HealthCheck>
        <VPCId>vpc-a01106c2</VPCId>
        <ListenerDescriptions>
          <member>
            <PolicyNames>
              <member>my-app-cookie-policy</member>
            </PolicyNames>
            <Listener>
              <Protocol>HTTP</Protocol>
              <LoadBalancerPort>80</LoadBalancerPort>
              <InstanceProtocol>HTTP</InstanceProtocol>
              <InstancePort>8080</InstancePort>
            </Listener>
          </member>
          <member>
            <PolicyNames>
              <member>ELBSecurityPolicy-2016-08</member>
              <member>my-lb-cookie-policy</member>
            </PolicyNames>
            <Listener>
              <Protocol>HTTPS</Protocol>
              <LoadBalancerPort>443</LoadBalancerPort>
              <InstanceProtocol>HTTP</InstanceProtocol>
              <InstancePort>8443</InstancePort>
              <SSLCertificateId>arn:aws:iam::123456789012:server-certificate/my-server-cert</SSLCertificateId>
            </Listener>
          </member>
        </ListenerDescriptions>
        <Instances>
          <member>
            <InstanceId>i-207d9717</InstanceId>
          </member>
          <member>
            <InstanceId>i-afefb49b</InstanceId>
          </member>
        </Instances>
        <Policies>
          <AppCookieStickinessPolicies>
            <member>
              <PolicyName>my-app-cookie-policy</PolicyName>
              <CookieName>APPCOOKIE</CookieName>
            </member>
          </AppCookieStickinessPolicies>
          <OtherPolicies>
            <member>ELBSecurityPolicy-2016-08</member>
            <member>my-ProxyProtocol-policy</member>
          </OtherPolicies>
          <LBCookieStickinessPolicies>
            <member>
              <PolicyName>my-lb-cookie-policy</PolicyName>
              <CookieExpirationPeriod>60</CookieExpirationPeriod>
            </member>
          </LBCookieStickinessPolicies>
        </Policies>
        <AvailabilityZones>
          <member>us-west-2a</member>
          <member>us-west-2b</member>
        </AvailabilityZones>
        <CanonicalHostedZoneName>my-vpc-lb-1234567890.us-west-2.elb.amazonaws.com</CanonicalHostedZoneName>
        <CanonicalHostedZoneNameID>Z3DZXE0EXAMPLE</CanonicalHostedZoneNameID>
        <Scheme>internet-facing</Scheme>
        <SourceSecurityGroup>
          <OwnerAlias>123456789012</OwnerAlias>
          <GroupName>my-elb-sg</GroupName>
        </SourceSecurityGroup>
        <DNSName>my-vpc-lb-1234567890.us-west-2.elb.amazonaws.com</DNSName>
        <BackendServerDescriptions>
          <member>
            <PolicyNames>
              <member>my-ProxyProtocol-policy</member>
            </PolicyNames>
            <InstancePort>8443</InstancePort>
          </member>
        </BackendServerDescriptions>
        <Subnets>
          <member>subnet-15aaab61</member>
          <member>subnet-2f4d2d5b</member>
        </Subnets>
        <FutureField><Nested>ignored</Nested></FutureField>
      </member>
      <member>
        <LoadBalancerName>classic-lb</LoadBalancerName>
        <DNSName>classic-lb-987654321.us-east-1.elb.amazonaws.com</DNSName>
        <CanonicalHostedZoneName>classic-lb-987654321.us-east-1.elb.amazonaws.com</CanonicalHostedZoneName>
        <CanonicalHostedZoneNameID>Z35SXDOTRQ7X7K</CanonicalHostedZoneNameID>
        <ListenerDescriptions>
          <member>
            <Listener>
              <Protocol>TCP</Protocol>
              <LoadBalancerPort>25</LoadBalancerPort>
              <InstanceProtocol>TCP</InstanceProtocol>
              <InstancePort>2525</InstancePort>
            </Listener>
            <PolicyNames/>
          </member>
        </ListenerDescriptions>
        <Policies>
          <AppCookieStickinessPolicies/>
          <LBCookieStickinessPolicies/>
          <OtherPolicies/>
        </Policies>
        <BackendServerDescriptions/>
        <AvailabilityZones>
          <member>us-east-1a</member>
        </AvailabilityZones>
        <Subnets/>
        <Instances/>
        <HealthCheck>
          <Target>TCP:2525</Target>
          <Interval>30</Interval>
          <Timeout>5</Timeout>
          <UnhealthyThreshold>2</UnhealthyThreshold>
          <HealthyThreshold>10</HealthyThreshold>
        </HealthCheck>
        <SourceSecurityGroup>
          <OwnerAlias>amazon-elb</OwnerAlias>
          <GroupName>amazon-elb-sg</GroupName>
        </SourceSecurityGroup>
        <SecurityGroups/>
        <CreatedTime>2012-01-01T00:00:00Z</CreatedTime>
      </member>
    </LoadBalancerDescriptions>
  </DescribeLoadBalancersResult>
  <ResponseMetadata>
    <RequestId>83c88b9d-12b7-11e3-8b82-87b12EXAMPLE</RequestId>
  </ResponseMetadata>
</DescribeLoadBalancersResponse>"#;

#[test]
fn full_page_reaches_every_field() {
    let page = parse_describe_load_balancers(FULL_PAGE.as_bytes()).unwrap();
    assert_eq!(page.next_marker.as_deref(), Some("ZmFrZS1tYXJrZXI="));
    assert_eq!(page.balancers.len(), 2);
    let vpc = &page.balancers[0];
    assert_eq!(vpc.id, "my-vpc-lb");
    assert_eq!(vpc.name, "my-vpc-lb");
    assert_eq!(vpc.state, State::Running);
    assert_eq!(
        vpc.ip.as_deref(),
        Some("my-vpc-lb-1234567890.us-west-2.elb.amazonaws.com")
    );
    assert_eq!(vpc.port, Some(80));
    assert_eq!(vpc.protocol, Some(Protocol::Http));
    let mut http = Listener::new(80, Protocol::Http, 8080).instance_protocol(Protocol::Http);
    http.policies = vec!["my-app-cookie-policy".into()];
    let mut https = Listener::new(443, Protocol::Https, 8443)
        .instance_protocol(Protocol::Http)
        .certificate("arn:aws:iam::123456789012:server-certificate/my-server-cert");
    https.policies = vec![
        "ELBSecurityPolicy-2016-08".into(),
        "my-lb-cookie-policy".into(),
    ];
    assert_eq!(vpc.listeners, vec![http, https]);
    assert_eq!(
        vpc.health_check,
        Some(
            HealthCheck::new("HTTP:8080/health")
                .unwrap()
                .interval(std::time::Duration::from_secs(20))
                .timeout(std::time::Duration::from_secs(5))
                .healthy_threshold(3)
                .unhealthy_threshold(5)
        )
    );
    assert_eq!(vpc.zones, ["us-west-2a", "us-west-2b"]);
    assert_eq!(vpc.created_at, Some(datetime!(2013-05-24 21:15:31.280 UTC)));
    let expected_extra = json!({
        "CanonicalHostedZoneName": "my-vpc-lb-1234567890.us-west-2.elb.amazonaws.com",
        "CanonicalHostedZoneNameID": "Z3DZXE0EXAMPLE",
        "Policies": {
            "AppCookieStickinessPolicies": [
                {"PolicyName": "my-app-cookie-policy", "CookieName": "APPCOOKIE"}
            ],
            "LBCookieStickinessPolicies": [
                {"PolicyName": "my-lb-cookie-policy", "CookieExpirationPeriod": 60}
            ],
            "OtherPolicies": ["ELBSecurityPolicy-2016-08", "my-ProxyProtocol-policy"]
        },
        "BackendServerDescriptions": [
            {"InstancePort": 8443, "PolicyNames": ["my-ProxyProtocol-policy"]}
        ],
        "Subnets": ["subnet-15aaab61", "subnet-2f4d2d5b"],
        "VPCId": "vpc-a01106c2",
        "Instances": ["i-207d9717", "i-afefb49b"],
        "SourceSecurityGroup": {"OwnerAlias": "123456789012", "GroupName": "my-elb-sg"},
        "SecurityGroups": ["sg-0123abcd", "sg-4567ef01"],
        "Scheme": "internet-facing"
    });
    assert_eq!(serde_json::to_value(&vpc.extra).unwrap(), expected_extra);
    // Compact text, in the order AWS sent the fields.
    assert_eq!(
        vpc.extra.get_raw("SourceSecurityGroup").map(|r| r.get()),
        Some(r#"{"OwnerAlias":"123456789012","GroupName":"my-elb-sg"}"#)
    );
    assert_eq!(
        vpc.algorithm,
        Some(lbcloud_core::Algorithm::LeastOutstandingRequests)
    );
    assert!(vpc.tags.is_empty());

    let classic = &page.balancers[1];
    assert_eq!(classic.name, "classic-lb");
    assert_eq!(
        (classic.port, classic.protocol),
        (Some(25), Some(Protocol::Tcp))
    );
    assert_eq!(classic.listeners[0].policies, Vec::<String>::new());
    assert!(!classic.extra.contains_key("VPCId"));
    assert!(!classic.extra.contains_key("Scheme"));
    assert_eq!(classic.algorithm, Some(lbcloud_core::Algorithm::RoundRobin));
    assert_eq!(classic.extra.get_json("Subnets"), Some(json!([])));
    assert_eq!(
        classic.extra.get_json("Policies").unwrap(),
        json!({"AppCookieStickinessPolicies": [], "LBCookieStickinessPolicies": [], "OtherPolicies": []})
    );
}

#[test]
fn typed_descriptions_round_trip_through_balancer() {
    let typed = parse_load_balancer_descriptions(FULL_PAGE.as_bytes()).unwrap();
    assert_eq!(typed.descriptions.len(), 2);
    let vpc = &typed.descriptions[0];
    assert_eq!(vpc.scheme(), Some(Scheme::InternetFacing));
    assert_eq!(
        vpc.policies.lb_cookie_stickiness[0].cookie_expiration_period,
        Some(60)
    );
    assert_eq!(vpc.backend_server_descriptions[0].instance_port, 8443);
    assert_eq!(vpc.listener_descriptions[1].policy_names.len(), 2);
    assert!(vpc.listener_descriptions[1].listener.policies.is_empty());
    for d in &typed.descriptions {
        let back = ElbBalancerDescription::from_balancer(&d.clone().into_balancer()).unwrap();
        assert_eq!(&back, d);
        // The serde form of the model reads back too.
        let json = serde_json::to_string(d).unwrap();
        assert_eq!(
            &serde_json::from_str::<ElbBalancerDescription>(&json).unwrap(),
            d
        );
    }
}

#[test]
fn empty_result_and_missing_marker() {
    let empty = r#"<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">
  <DescribeLoadBalancersResult>
    <LoadBalancerDescriptions/>
  </DescribeLoadBalancersResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
</DescribeLoadBalancersResponse>"#;
    let page = parse_describe_load_balancers(empty.as_bytes()).unwrap();
    assert!(page.balancers.is_empty());
    assert_eq!(page.next_marker, None);

    let no_marker = FULL_PAGE.replace("<NextMarker>ZmFrZS1tYXJrZXI=</NextMarker>", "");
    let page = parse_describe_load_balancers(no_marker.as_bytes()).unwrap();
    assert_eq!(page.balancers.len(), 2);
    assert_eq!(page.next_marker, None);

    let blank_marker = FULL_PAGE.replace("ZmFrZS1tYXJrZXI=", "");
    let page = parse_describe_load_balancers(blank_marker.as_bytes()).unwrap();
    assert_eq!(page.next_marker, None);
}

#[test]
fn an_invalid_health_target_is_kept_in_extra_not_fatal() {
    let odd = FULL_PAGE.replace("<Target>TCP:2525</Target>", "<Target>UDP:53</Target>");
    let page = parse_describe_load_balancers(odd.as_bytes()).unwrap();
    let classic = &page.balancers[1];
    assert_eq!(classic.health_check, None);
    let raw = classic.extra.get_json("HealthCheck").unwrap();
    assert_eq!(raw["Target"], "UDP:53");
    assert_eq!(raw["Interval"], 30);
    let back = ElbBalancerDescription::from_balancer(classic).unwrap();
    assert_eq!(back.health_check.unwrap().target, "UDP:53");
    // Healthy balancers carry no HealthCheck key.
    assert!(!page.balancers[0].extra.contains_key("HealthCheck"));
}

#[test]
fn emulator_variants_parse() {
    // No offset on the time, an empty InstanceProtocol, lowercase protocols,
    // white space around numbers, a namespace prefix on every element.
    let xml = r#"<e:DescribeLoadBalancersResponse xmlns:e="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">
  <e:DescribeLoadBalancersResult><e:LoadBalancerDescriptions><e:member>
    <e:LoadBalancerName>m</e:LoadBalancerName>
    <e:CreatedTime>2024-03-01T10:20:30.123456</e:CreatedTime>
    <e:ListenerDescriptions><e:member><e:Listener>
      <e:Protocol>http</e:Protocol><e:LoadBalancerPort> 80 </e:LoadBalancerPort>
      <e:InstanceProtocol></e:InstanceProtocol><e:InstancePort>8080</e:InstancePort>
    </e:Listener></e:member></e:ListenerDescriptions>
  </e:member></e:LoadBalancerDescriptions></e:DescribeLoadBalancersResult>
</e:DescribeLoadBalancersResponse>"#;
    let page = parse_describe_load_balancers(xml.as_bytes()).unwrap();
    let b = &page.balancers[0];
    assert_eq!(
        b.created_at,
        Some(datetime!(2024-03-01 10:20:30.123456 UTC))
    );
    assert_eq!(b.listeners, vec![Listener::new(80, Protocol::Http, 8080)]);
    assert_eq!(b.ip, None);
}

fn invalid(body: &[u8]) -> String {
    match parse_describe_load_balancers(body) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
            e.message().to_owned()
        }
        Ok(p) => panic!("accepted {:?}: {p:?}", String::from_utf8_lossy(body)),
    }
}

#[test]
fn hostile_inputs_are_errors_never_panics() {
    // Every prefix of a real page: truncated answers.
    let bytes = FULL_PAGE.as_bytes();
    for cut in (0..bytes.len()).step_by(7) {
        let _ = parse_describe_load_balancers(&bytes[..cut]);
        assert!(
            parse_describe_load_balancers(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    assert!(invalid(b"").contains("no XML element"));
    assert!(invalid(b"<html><body>500</body></html>").contains("DescribeLoadBalancersResponse"));
    assert!(
        invalid(b"<DescribeLoadBalancersResponse></DescribeLoadBalancersResponse>")
            .contains("no <DescribeLoadBalancersResult>")
    );
    // Invalid UTF-8 inside a value.
    let mut bad = FULL_PAGE.as_bytes().to_vec();
    let at = FULL_PAGE.find("my-vpc-lb<").unwrap();
    bad[at] = 0xff;
    invalid(&bad);
    // Wrong shapes and values.
    for (from, to) in [
        (
            "<LoadBalancerPort>80<",
            "<LoadBalancerPort>99999999999999999999<",
        ),
        ("<LoadBalancerPort>80<", "<LoadBalancerPort>65536<"),
        ("<LoadBalancerPort>80<", "<LoadBalancerPort>-1<"),
        ("<Interval>20<", "<Interval>often<"),
        ("<Protocol>HTTP</Protocol>", "<Protocol>GOPHER</Protocol>"),
        ("<Protocol>HTTP</Protocol>", ""),
        (
            "<CreatedTime>2013-05-24T21:15:31.280Z",
            "<CreatedTime>yesterday",
        ),
        ("<LoadBalancerName>my-vpc-lb</LoadBalancerName>", ""),
        (
            "<LoadBalancerName>my-vpc-lb<",
            "<LoadBalancerName><b>x</b><",
        ),
        (
            "<CookieExpirationPeriod>60<",
            "<CookieExpirationPeriod>1e99<",
        ),
        ("<Timeout>5</Timeout>", ""),
        (
            "<InstancePort>8443</InstancePort>\n          </member>",
            "</member>",
        ),
    ] {
        assert!(FULL_PAGE.contains(from), "{from}");
        invalid(FULL_PAGE.replacen(from, to, 1).as_bytes());
    }
}

#[test]
fn deep_junk_and_unknown_elements_are_tolerated() {
    let junk = format!(
        "<Junk a=\"1\">{}deep{}</Junk><!-- c --><?pi x?>",
        "<j>".repeat(50_000),
        "</j>".repeat(50_000)
    );
    let xml = FULL_PAGE.replace("<FutureField>", &format!("{junk}<FutureField>"));
    let page = parse_describe_load_balancers(xml.as_bytes()).unwrap();
    assert_eq!(page.balancers.len(), 2);
    // Unbalanced deep junk is an error, not a stack overflow.
    let xml = FULL_PAGE.replace("<FutureField>", &"<j>".repeat(100_000));
    invalid(xml.as_bytes());
}

#[test]
fn a_generated_400_balancer_page_parses_completely() {
    let xml = crate::fixtures::describe_load_balancers_page(0, 400, Some("m-400"));
    assert!(
        (1_200_000..1_450_000).contains(&xml.len()),
        "{} bytes",
        xml.len()
    );
    eprintln!("400-balancer page: {} bytes", xml.len());
    let page = parse_describe_load_balancers(xml.as_bytes()).unwrap();
    assert_eq!(page.balancers.len(), 400);
    assert_eq!(page.next_marker.as_deref(), Some("m-400"));
    for (i, b) in page.balancers.iter().enumerate() {
        assert_eq!(b.name, crate::fixtures::balancer_name(i));
        assert_eq!(b.listeners.len(), 2);
        assert!(b.ip.is_some() && b.health_check.is_some() && b.created_at.is_some());
        assert_eq!(b.zones.len(), 3);
        for key in crate::EXTRA_KEYS.iter().filter(|k| **k != "HealthCheck") {
            assert!(b.extra.contains_key(key), "{} lacks {key}", b.name);
        }
        assert_eq!(
            b.extra.get::<Vec<String>>("Instances").map(|v| v.len()),
            Some(crate::fixtures::INSTANCES_PER_BALANCER)
        );
        let d = ElbBalancerDescription::from_balancer(b).unwrap();
        assert!(!d.policies.app_cookie_stickiness.is_empty());
        assert!(!d.policies.lb_cookie_stickiness.is_empty());
        assert!(!d.policies.other_policies.is_empty());
        assert!(!d.backend_server_descriptions.is_empty());
        assert_eq!(d.subnets.len(), 3);
        assert_eq!(d.security_groups.len(), 2);
    }
}

#[test]
fn the_varied_fixture_parses_with_every_shape() {
    let xml = crate::fixtures::describe_load_balancers_page_varied(0, 400, Some("v-400"));
    let page = parse_describe_load_balancers(xml.as_bytes()).unwrap();
    assert_eq!(page.balancers.len(), 400);
    assert_eq!(page.next_marker.as_deref(), Some("v-400"));
    let typed = parse_load_balancer_descriptions(xml.as_bytes()).unwrap();
    let mut listener_counts = std::collections::BTreeSet::new();
    let mut instance_counts = std::collections::BTreeSet::new();
    for (i, (b, d)) in page.balancers.iter().zip(&typed.descriptions).enumerate() {
        assert_eq!(b.name, format!("web-{i}"));
        assert_eq!(b.listeners.len(), 1 + i % 4);
        assert_eq!(d.instances.len(), (i * 7) % 13);
        assert_eq!(b.health_check.is_some(), i % 7 != 3, "{}", b.name);
        assert_eq!(d.vpc_id.is_some(), i % 5 != 0);
        listener_counts.insert(b.listeners.len());
        instance_counts.insert(d.instances.len());
        // The Balancer and the typed description say the same.
        let back = ElbBalancerDescription::from_balancer(b).unwrap();
        assert_eq!(&back, d, "{}", b.name);
    }
    assert_eq!(listener_counts.len(), 4);
    assert_eq!(instance_counts.len(), 13);
}
