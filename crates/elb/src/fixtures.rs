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
