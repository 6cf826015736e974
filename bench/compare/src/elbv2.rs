//! Canned ELBv2 (API 2015-12-01) answers for the stub, written from the
//! API reference (field names and enums from botocore's
//! `elbv2/2015-12-01/service-2.json`): every field of `LoadBalancer` and
//! `TargetHealthDescription`, and the answers `create_balancer` needs.

use std::fmt::Write;

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
const ACCOUNT: &str = "123456789012";
/// The VPC the stub places everything in. lbcloud's client is told it up
/// front (`Elbv2DriverBuilder::vpc_id`); the SDK program reads it from the
/// `CreateLoadBalancer` answer, as code written one call after another does.
pub const VPC: &str = "vpc-0a1b2c3d4e5f60718";

/// Wraps a result in the query protocol's envelope.
fn envelope(action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NS}\"><{action}Result>{result}</{action}Result>\
         <ResponseMetadata><RequestId>0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0</RequestId>\
         </ResponseMetadata></{action}Response>"
    )
}

/// The ARN of load balancer `i` (application for even `i`, network for odd).
pub fn load_balancer_arn(i: usize) -> String {
    let kind = if i % 2 == 0 { "app" } else { "net" };
    format!(
        "arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/{kind}/lb-{i:06}/{:016x}",
        0x50dc6c495c0c9188u64 ^ i as u64
    )
}

/// One `<member>` of `LoadBalancers` with every field the API defines.
fn load_balancer(out: &mut String, i: usize) {
    let (kind, scheme, nlb) = if i % 2 == 0 {
        ("application", "internet-facing", false)
    } else {
        ("network", "internal", true)
    };
    let (state, reason) = match i % 4 {
        0 | 1 => ("active", ""),
        2 => ("provisioning", ""),
        _ => (
            "active_impaired",
            "<Reason>One or more zones are impaired</Reason>",
        ),
    };
    let _ = write!(
        out,
        "<member><LoadBalancerArn>{arn}</LoadBalancerArn>\
         <DNSName>lb-{i:06}-{i:010}.us-east-1.elb.amazonaws.com</DNSName>\
         <CanonicalHostedZoneId>Z35SXDOTRQ7X7K</CanonicalHostedZoneId>\
         <CreatedTime>2026-11-{day:02}T08:{min:02}:13.250Z</CreatedTime>\
         <LoadBalancerName>lb-{i:06}</LoadBalancerName><Scheme>{scheme}</Scheme>\
         <VpcId>{VPC}</VpcId><State><Code>{state}</Code>{reason}</State><Type>{kind}</Type>\
         <AvailabilityZones>",
        arn = load_balancer_arn(i),
        day = 1 + i % 28,
        min = i % 60,
    );
    for (z, zone) in ["us-east-1a", "us-east-1b", "us-east-1c"]
        .iter()
        .enumerate()
    {
        let _ = write!(
            out,
            "<member><ZoneName>{zone}</ZoneName><SubnetId>subnet-{z}{i:016x}</SubnetId>\
             <OutpostId>op-{z}{i:016x}</OutpostId><LoadBalancerAddresses>"
        );
        if nlb {
            let _ = write!(
                out,
                "<member><IpAddress>198.51.{z}.{host}</IpAddress>\
                 <AllocationId>eipalloc-{z}{i:016x}</AllocationId>\
                 <PrivateIPv4Address>10.0.{z}.{host}</PrivateIPv4Address>\
                 <IPv6Address>2600:1f18:{z:x}::{i:x}</IPv6Address></member>",
                host = 1 + i % 250
            );
        }
        let _ = write!(
            out,
            "</LoadBalancerAddresses><SourceNatIpv6Prefixes>\
             <member>2600:1f18:{z:x}:{i:x}::/80</member></SourceNatIpv6Prefixes></member>"
        );
    }
    let _ = write!(
        out,
        "</AvailabilityZones><SecurityGroups><member>sg-0a{i:015x}</member>\
         <member>sg-0b{i:015x}</member></SecurityGroups>\
         <IpAddressType>dualstack</IpAddressType>\
         <CustomerOwnedIpv4Pool>ipv4pool-coip-{i:017x}</CustomerOwnedIpv4Pool>\
         <EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>on\
         </EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>\
         <EnablePrefixForIpv6SourceNat>off</EnablePrefixForIpv6SourceNat>\
         <IpamPools><Ipv4IpamPoolId>ipam-pool-{i:017x}</Ipv4IpamPoolId></IpamPools></member>"
    );
}

/// A `DescribeLoadBalancers` answer with `count` balancers and no `NextMarker`.
pub fn describe_load_balancers(count: usize) -> String {
    let mut list = String::with_capacity(count * 2600);
    for i in 0..count {
        load_balancer(&mut list, i);
    }
    envelope(
        "DescribeLoadBalancers",
        &format!("<LoadBalancers>{list}</LoadBalancers>"),
    )
}

/// A `DescribeTargetHealth` answer for `count` targets, cycling through
/// all seven states with their reason codes, every field present.
pub fn describe_target_health(count: usize) -> String {
    const STATES: [(&str, &str); 7] = [
        ("initial", "Elb.InitialHealthChecking"),
        ("healthy", ""),
        ("unhealthy", "Target.ResponseCodeMismatch"),
        ("unhealthy.draining", "Target.DeregistrationInProgress"),
        ("unused", "Target.NotInUse"),
        ("draining", "Target.DeregistrationInProgress"),
        ("unavailable", "Target.HealthCheckDisabled"),
    ];
    let mut list = String::with_capacity(count * 900);
    for i in 0..count {
        let (state, reason) = STATES[i % STATES.len()];
        let reason = if reason.is_empty() {
            String::new()
        } else {
            format!(
                "<Reason>{reason}</Reason><Description>Health checks failed with these codes: [502]</Description>"
            )
        };
        let _ = write!(
            list,
            "<member><Target><Id>10.0.{a}.{b}</Id><Port>{port}</Port>\
             <AvailabilityZone>us-east-1{zone}</AvailabilityZone>\
             <QuicServerId>0x{i:016x}</QuicServerId></Target>\
             <HealthCheckPort>traffic-port</HealthCheckPort>\
             <TargetHealth><State>{state}</State>{reason}</TargetHealth>\
             <AnomalyDetection><Result>{anomaly}</Result><MitigationInEffect>no</MitigationInEffect></AnomalyDetection>\
             <AdministrativeOverride><State>no_override</State>\
             <Reason>AdministrativeOverride.NoOverride</Reason>\
             <Description>No override is currently active on target</Description>\
             </AdministrativeOverride></member>",
            a = i / 250,
            b = 1 + i % 250,
            port = 8000 + i % 100,
            zone = ["a", "b", "c"][i % 3],
            anomaly = if i % 10 == 0 { "anomalous" } else { "normal" },
        );
    }
    envelope(
        "DescribeTargetHealth",
        &format!("<TargetHealthDescriptions>{list}</TargetHealthDescriptions>"),
    )
}

/// The value of the first form field `key` (still URL-encoded).
fn field<'f>(form: &'f str, key: &str) -> Option<&'f str> {
    form.split('&')
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
}

/// The stub's answer to any action `create_balancer` sends, by the form's
/// `Action`: lookups find nothing, creations echo what was asked.
pub fn create_flow_answer(form: &str) -> String {
    let action = field(form, "Action").unwrap_or("");
    let name = field(form, "Name").unwrap_or("bench");
    let lb_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/{name}/0123456789abcdef"
    );
    let tg_arn = format!(
        "arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/{name}/fedcba9876543210"
    );
    match action {
        "DescribeLoadBalancers" => envelope(action, "<LoadBalancers/>"),
        "DescribeTargetGroups" => envelope(action, "<TargetGroups/>"),
        "CreateLoadBalancer" => envelope(
            action,
            &format!(
                "<LoadBalancers><member><LoadBalancerArn>{lb_arn}</LoadBalancerArn>\
                 <DNSName>{name}-1234567890.us-east-1.elb.amazonaws.com</DNSName>\
                 <CanonicalHostedZoneId>Z35SXDOTRQ7X7K</CanonicalHostedZoneId>\
                 <CreatedTime>2026-12-01T09:00:00.000Z</CreatedTime>\
                 <LoadBalancerName>{name}</LoadBalancerName><Scheme>internet-facing</Scheme>\
                 <VpcId>{VPC}</VpcId><State><Code>provisioning</Code></State>\
                 <Type>application</Type><AvailabilityZones>\
                 <member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-0a</SubnetId></member>\
                 <member><ZoneName>us-east-1b</ZoneName><SubnetId>subnet-0b</SubnetId></member>\
                 </AvailabilityZones><SecurityGroups><member>sg-0a</member></SecurityGroups>\
                 <IpAddressType>ipv4</IpAddressType></member></LoadBalancers>"
            ),
        ),
        "CreateTargetGroup" => envelope(
            action,
            &format!(
                "<TargetGroups><member><TargetGroupArn>{tg_arn}</TargetGroupArn>\
                 <TargetGroupName>{name}</TargetGroupName><Protocol>HTTP</Protocol>\
                 <Port>{port}</Port><VpcId>{VPC}</VpcId><HealthCheckProtocol>HTTP</HealthCheckProtocol>\
                 <HealthCheckPort>traffic-port</HealthCheckPort><HealthCheckEnabled>true</HealthCheckEnabled>\
                 <HealthCheckIntervalSeconds>30</HealthCheckIntervalSeconds>\
                 <HealthCheckTimeoutSeconds>5</HealthCheckTimeoutSeconds>\
                 <HealthyThresholdCount>5</HealthyThresholdCount>\
                 <UnhealthyThresholdCount>2</UnhealthyThresholdCount>\
                 <HealthCheckPath>/health</HealthCheckPath><Matcher><HttpCode>200</HttpCode></Matcher>\
                 <TargetType>instance</TargetType><ProtocolVersion>HTTP1</ProtocolVersion>\
                 <IpAddressType>ipv4</IpAddressType></member></TargetGroups>",
                port = field(form, "Port").unwrap_or("80"),
            ),
        ),
        "RegisterTargets" => envelope(action, ""),
        "CreateListener" => {
            let port = field(form, "Port").unwrap_or("80");
            envelope(
                action,
                &format!(
                    "<Listeners><member><ListenerArn>{}/{port:0>16}</ListenerArn>\
                     <LoadBalancerArn>{lb_arn}</LoadBalancerArn><Port>{port}</Port>\
                     <Protocol>HTTP</Protocol><DefaultActions><member><Type>forward</Type>\
                     <TargetGroupArn>{tg_arn}</TargetGroupArn></member></DefaultActions>\
                     </member></Listeners>",
                    lb_arn.replace(":loadbalancer/", ":listener/"),
                ),
            )
        }
        _ => envelope(action, ""),
    }
}
