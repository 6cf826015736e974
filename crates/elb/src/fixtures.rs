//! Generators of realistic `DescribeLoadBalancers` answers, for benchmarks
//! and tests (cargo feature `fixtures`).
//!
//! Each generated balancer has every field AWS returns populated: three
//! listeners with policies, all three kinds of policies, back-end server
//! descriptions, three zones and subnets, a VPC, registered instances, a
//! health check, the source and the VPC security groups, a creation time and
//! a scheme — about 3.3 KB of XML each, so a 400-balancer page is about
//! 1.3 MB, the size of a full real page.
//!
//! ```
//! # #[cfg(feature = "fixtures")] {
//! let xml = lbcloud_elb::fixtures::describe_load_balancers_page(0, 2, Some("next"));
//! let page = lbcloud_elb::response::parse_describe_load_balancers(xml.as_bytes()).unwrap();
//! assert_eq!(page.balancers.len(), 2);
//! # }
//! ```
//!
//! [`describe_load_balancers_page_varied`] is a second, differently shaped
//! answer: fields in another order, no indentation but CRLF line ends and
//! tabs in places, and from balancer to balancer 1 to 4 listeners, 0 to 3
//! policies of each kind, 0 to 12 instances, classic (no VPC) and VPC
//! balancers, some without a health check, with an attribute-laden root —
//! so a parser tuned to the first shape is measured on another.
//!
//! This file uses only `std`, so benchmarks can include it directly.

use std::fmt::Write;

/// The name of the `i`-th generated balancer.
pub fn balancer_name(i: usize) -> String {
    format!("lb-{i:06}")
}

/// How many instances each generated balancer has registered.
pub const INSTANCES_PER_BALANCER: usize = 4;

/// A whole `DescribeLoadBalancersResponse` with balancers `first..first+count`
/// and, when given, a `NextMarker`.
pub fn describe_load_balancers_page(
    first: usize,
    count: usize,
    next_marker: Option<&str>,
) -> String {
    let mut out = String::with_capacity(400 + count * 3400);
    out.push_str(
        "<DescribeLoadBalancersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">\n  \
         <DescribeLoadBalancersResult>\n    <LoadBalancerDescriptions>\n",
    );
    for i in first..first.saturating_add(count) {
        push_balancer(&mut out, i);
    }
    out.push_str("    </LoadBalancerDescriptions>\n");
    if let Some(marker) = next_marker {
        let _ = writeln!(out, "    <NextMarker>{marker}</NextMarker>");
    }
    out.push_str(
        "  </DescribeLoadBalancersResult>\n  <ResponseMetadata>\n    \
         <RequestId>83c88b9d-12b7-11e3-8b82-87b12EXAMPLE</RequestId>\n  \
         </ResponseMetadata>\n</DescribeLoadBalancersResponse>\n",
    );
    out
}

/// Appends the `<member>` describing generated balancer `i`.
pub fn push_balancer(out: &mut String, i: usize) {
    let name = balancer_name(i);
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    // `let _ =`: writing to a String cannot fail.
    let _ = write!(
        out,
        "  <member>
    <LoadBalancerName>{name}</LoadBalancerName>
    <DNSName>{name}-{i:010}.us-east-1.elb.amazonaws.com</DNSName>
    <CanonicalHostedZoneName>{name}-{i:010}.us-east-1.elb.amazonaws.com</CanonicalHostedZoneName>
    <CanonicalHostedZoneNameID>Z35SXDOTRQ7X7K</CanonicalHostedZoneNameID>
    <ListenerDescriptions>
      <member>
        <Listener>
          <Protocol>HTTP</Protocol>
          <LoadBalancerPort>80</LoadBalancerPort>
          <InstanceProtocol>HTTP</InstanceProtocol>
          <InstancePort>8080</InstancePort>
        </Listener>
        <PolicyNames>
          <member>app-cookie-{i}</member>
        </PolicyNames>
      </member>
      <member>
        <Listener>
          <Protocol>HTTPS</Protocol>
          <LoadBalancerPort>443</LoadBalancerPort>
          <InstanceProtocol>HTTP</InstanceProtocol>
          <InstancePort>8443</InstancePort>
          <SSLCertificateId>arn:aws:iam::123456789012:server-certificate/cert-{i}</SSLCertificateId>
        </Listener>
        <PolicyNames>
          <member>lb-cookie-{i}</member>
          <member>ELBSecurityPolicy-2016-08</member>
        </PolicyNames>
      </member>
    </ListenerDescriptions>
    <Policies>
      <AppCookieStickinessPolicies>
        <member>
          <PolicyName>app-cookie-{i}</PolicyName>
          <CookieName>SESSIONID</CookieName>
        </member>
      </AppCookieStickinessPolicies>
      <LBCookieStickinessPolicies>
        <member>
          <PolicyName>lb-cookie-{i}</PolicyName>
          <CookieExpirationPeriod>3600</CookieExpirationPeriod>
        </member>
      </LBCookieStickinessPolicies>
      <OtherPolicies>
        <member>ELBSecurityPolicy-2016-08</member>
        <member>proxy-protocol-{i}</member>
      </OtherPolicies>
    </Policies>
    <BackendServerDescriptions>
      <member>
        <InstancePort>9000</InstancePort>
        <PolicyNames>
          <member>proxy-protocol-{i}</member>
        </PolicyNames>
      </member>
    </BackendServerDescriptions>
    <AvailabilityZones>
"
    );
    for z in zones {
        let _ = writeln!(out, "      <member>{z}</member>");
    }
    out.push_str("    </AvailabilityZones>\n    <Subnets>\n");
    for n in 0..zones.len() {
        let _ = writeln!(out, "      <member>subnet-{:08x}{n:x}</member>", i);
    }
    let _ = write!(
        out,
        "    </Subnets>
    <VPCId>vpc-{i:08x}</VPCId>
    <Instances>
"
    );
    for n in 0..INSTANCES_PER_BALANCER {
        let _ = writeln!(
            out,
            "      <member>\n        <InstanceId>i-{i:08x}{n:09x}</InstanceId>\n      </member>"
        );
    }
    let _ = write!(
        out,
        "    </Instances>
    <HealthCheck>
      <Target>HTTP:8080/health</Target>
      <Interval>30</Interval>
      <Timeout>5</Timeout>
      <UnhealthyThreshold>2</UnhealthyThreshold>
      <HealthyThreshold>10</HealthyThreshold>
    </HealthCheck>
    <SourceSecurityGroup>
      <OwnerAlias>123456789012</OwnerAlias>
      <GroupName>default-elb-{i}</GroupName>
    </SourceSecurityGroup>
    <SecurityGroups>
      <member>sg-{i:08x}a</member>
      <member>sg-{i:08x}b</member>
    </SecurityGroups>
    <CreatedTime>2013-05-24T21:15:31.280Z</CreatedTime>
    <Scheme>internet-facing</Scheme>
  </member>
"
    );
}

/// A `DescribeLoadBalancersResponse` shaped unlike
/// [`describe_load_balancers_page`] (see the module docs), with balancers
/// `first..first+count` and, when given, a `NextMarker` (placed before the
/// descriptions, as the API allows any order).
pub fn describe_load_balancers_page_varied(
    first: usize,
    count: usize,
    next_marker: Option<&str>,
) -> String {
    let mut out = String::with_capacity(400 + count * 3000);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<DescribeLoadBalancersResponse \
         xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\" xml:lang='en'>\r\n\
         <DescribeLoadBalancersResult>",
    );
    if let Some(marker) = next_marker {
        let _ = write!(out, "<NextMarker>{marker}</NextMarker>");
    }
    out.push_str("\r\n<LoadBalancerDescriptions>");
    for i in first..first.saturating_add(count) {
        push_balancer_varied(&mut out, i);
    }
    out.push_str(
        "</LoadBalancerDescriptions>\r\n</DescribeLoadBalancersResult>\r\n\
         <ResponseMetadata><RequestId>5b0e2a3c-0000-4000-8000-varied</RequestId></ResponseMetadata>\r\n\
         </DescribeLoadBalancersResponse>",
    );
    out
}

/// Appends the `<member>` describing varied balancer `i`.
pub fn push_balancer_varied(out: &mut String, i: usize) {
    let name = format!("web-{i}");
    // Small deterministic variations, different for each field.
    let listeners = 1 + i % 4;
    let app = i % 3;
    let lb = (i / 3) % 4;
    let other = (i / 2) % 3;
    let instances = (i * 7) % 13;
    let vpc = !i.is_multiple_of(5);
    let _ = write!(out, "<member>\r\n\t<Instances>");
    for n in 0..instances {
        let _ = write!(
            out,
            "<member><InstanceId>i-{n:04x}{i:013x}</InstanceId></member>"
        );
    }
    let _ = write!(
        out,
        "</Instances>\r\n\t<Scheme>{}</Scheme><CreatedTime>2021-11-0{}T08:{:02}:00.{:03}Z</CreatedTime>\r\n\t<LoadBalancerName>{name}</LoadBalancerName>",
        if i.is_multiple_of(4) {
            "internal"
        } else {
            "internet-facing"
        },
        1 + i % 9,
        i % 60,
        i % 1000
    );
    out.push_str("<Policies><OtherPolicies>");
    for n in 0..other {
        let _ = write!(out, "<member>ELBSecurityPolicy-TLS-1-{n}-2017-01</member>");
    }
    out.push_str("</OtherPolicies><LBCookieStickinessPolicies>");
    for n in 0..lb {
        if n.is_multiple_of(2) {
            let _ = write!(
                out,
                "<member><CookieExpirationPeriod>{}</CookieExpirationPeriod><PolicyName>lbc-{i}-{n}</PolicyName></member>",
                60 * (n + 1)
            );
        } else {
            let _ = write!(out, "<member><PolicyName>lbc-{i}-{n}</PolicyName></member>");
        }
    }
    out.push_str("</LBCookieStickinessPolicies><AppCookieStickinessPolicies>");
    for n in 0..app {
        let _ = write!(
            out,
            "<member><CookieName>JSESSIONID{n}</CookieName><PolicyName>app-{i}-{n}</PolicyName></member>"
        );
    }
    out.push_str("</AppCookieStickinessPolicies></Policies>\r\n\t<ListenerDescriptions>");
    for n in 0..listeners {
        let (proto, back, port) = match n {
            0 => ("HTTP", "HTTP", 80),
            1 => ("HTTPS", "HTTP", 443),
            2 => ("TCP", "TCP", 25),
            _ => ("SSL", "TCP", 465),
        };
        let _ = write!(out, "<member><PolicyNames>");
        if n < lb {
            let _ = write!(out, "<member>lbc-{i}-{n}</member>");
        }
        if proto == "HTTPS" && other > 0 {
            out.push_str("<member>ELBSecurityPolicy-TLS-1-0-2017-01</member>");
        }
        let _ = write!(
            out,
            "</PolicyNames><Listener><InstancePort>{}</InstancePort><LoadBalancerPort>{port}</LoadBalancerPort>",
            8000 + port
        );
        if proto == "HTTPS" || proto == "SSL" {
            let _ = write!(
                out,
                "<SSLCertificateId>arn:aws:acm:us-east-1:123456789012:certificate/{i:08x}-0000-4000-8000-{n:012x}</SSLCertificateId>"
            );
        }
        let _ = write!(
            out,
            "<Protocol>{proto}</Protocol><InstanceProtocol>{back}</InstanceProtocol></Listener></member>"
        );
    }
    out.push_str("</ListenerDescriptions>\r\n\t<BackendServerDescriptions>");
    if i % 3 == 1 {
        let _ = write!(
            out,
            "<member><PolicyNames><member>proxy-{i}</member></PolicyNames><InstancePort>8025</InstancePort></member>"
        );
    }
    out.push_str("</BackendServerDescriptions>");
    if i % 7 != 3 {
        let _ = write!(
            out,
            "<HealthCheck><HealthyThreshold>{}</HealthyThreshold><Interval>{}</Interval><Target>{}</Target><Timeout>{}</Timeout><UnhealthyThreshold>3</UnhealthyThreshold></HealthCheck>",
            2 + i % 9,
            10 + i % 50,
            if i.is_multiple_of(2) {
                "TCP:8080".to_owned()
            } else {
                format!("HTTPS:8443/status/{i}?deep=1")
            },
            2 + i % 8
        );
    }
    let _ = write!(
        out,
        "\r\n\t<DNSName>{}{name}-{i}.us-east-1.elb.amazonaws.com</DNSName><SourceSecurityGroup><GroupName>{}</GroupName><OwnerAlias>{}</OwnerAlias></SourceSecurityGroup>",
        if i.is_multiple_of(4) { "internal-" } else { "" },
        if vpc {
            format!("web-elb-sg-{i}")
        } else {
            "amazon-elb-sg".to_owned()
        },
        if vpc { "123456789012" } else { "amazon-elb" }
    );
    out.push_str("<AvailabilityZones>");
    for z in 0..1 + i % 3 {
        let zone = char::from(b'a' + (z % 4) as u8);
        let _ = write!(out, "<member>us-east-1{zone}</member>");
    }
    out.push_str("</AvailabilityZones>");
    if vpc {
        out.push_str("<Subnets>");
        for z in 0..1 + i % 3 {
            let _ = write!(out, "<member>subnet-{z:x}{i:016x}</member>");
        }
        let _ = write!(
            out,
            "</Subnets><VPCId>vpc-{i:017x}</VPCId><SecurityGroups><member>sg-{i:017x}</member></SecurityGroups>"
        );
    } else {
        out.push_str("<Subnets/><SecurityGroups/>");
    }
    let _ = write!(
        out,
        "<CanonicalHostedZoneNameID>Z35SXDOTRQ7X7K</CanonicalHostedZoneNameID>\r\n</member>"
    );
}
