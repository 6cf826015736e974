//! Parsers of every other action, on XML written from the API reference.

use lbcloud_core::{ErrorKind, HealthCheck};

use super::*;
use crate::model::{
    AccessLog, AdditionalAttribute, Cardinality, ConnectionDraining, ConnectionSettings, Tag,
};

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/";

/// `<{action}Response>` around `<{action}Result>{result}</...>` and metadata.
fn answer(action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NS}\">\n  <{action}Result>\n{result}\n  </{action}Result>\n  \
         <ResponseMetadata>\n    <RequestId>83c88b9d-12b7-11e3-8b82-87b12EXAMPLE</RequestId>\n  \
         </ResponseMetadata>\n</{action}Response>"
    )
}

fn invalid<T: std::fmt::Debug>(r: lbcloud_core::Result<T>) {
    match r {
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}"),
        Ok(v) => panic!("accepted {v:?}"),
    }
}

#[test]
fn empty_results() {
    for action in [
        "AddTags",
        "CreateAppCookieStickinessPolicy",
        "CreateLBCookieStickinessPolicy",
        "CreateLoadBalancerListeners",
        "CreateLoadBalancerPolicy",
        "DeleteLoadBalancer",
        "DeleteLoadBalancerListeners",
        "DeleteLoadBalancerPolicy",
        "RemoveTags",
        "SetLoadBalancerListenerSSLCertificate",
        "SetLoadBalancerPoliciesForBackendServer",
        "SetLoadBalancerPoliciesOfListener",
    ] {
        parse_empty_result(action, answer(action, "").as_bytes()).unwrap();
        // moto leaves the Result element out for some of them.
        let bare =
            format!("<{action}Response xmlns=\"{NS}\"><ResponseMetadata/></{action}Response>");
        parse_empty_result(action, bare.as_bytes()).unwrap();
        invalid(parse_empty_result(action, b"<html>oops</html>"));
        invalid(parse_empty_result(
            action,
            &answer(action, "").as_bytes()[..40],
        ));
    }
}

#[test]
fn create_load_balancer() {
    let body = answer(
        "CreateLoadBalancer",
        "<DNSName>my-lb-1234567890.us-west-2.elb.amazonaws.com</DNSName>",
    );
    assert_eq!(
        parse_create_load_balancer(body.as_bytes())
            .unwrap()
            .as_deref(),
        Some("my-lb-1234567890.us-west-2.elb.amazonaws.com")
    );
    let none = answer("CreateLoadBalancer", "");
    assert_eq!(parse_create_load_balancer(none.as_bytes()).unwrap(), None);
    invalid(parse_create_load_balancer(
        answer("DeleteLoadBalancer", "").as_bytes(),
    ));
}

#[test]
fn configure_health_check() {
    let body = answer(
        "ConfigureHealthCheck",
        "<HealthCheck><Interval>30</Interval><Target>HTTP:80/ping</Target>\
         <HealthyThreshold>2</HealthyThreshold><Timeout>3</Timeout>\
         <UnhealthyThreshold>2</UnhealthyThreshold></HealthCheck>",
    );
    let hc = parse_configure_health_check(body.as_bytes()).unwrap();
    assert_eq!(
        hc,
        HealthCheck::new("HTTP:80/ping")
            .unwrap()
            .interval(std::time::Duration::from_secs(30))
            .timeout(std::time::Duration::from_secs(3))
            .healthy_threshold(2)
            .unhealthy_threshold(2)
    );
    invalid(parse_configure_health_check(
        body.replace("HTTP:80/ping", "HTTP:80").as_bytes(),
    ));
    invalid(parse_configure_health_check(
        answer("ConfigureHealthCheck", "").as_bytes(),
    ));
    invalid(parse_configure_health_check(
        body.replace("<Timeout>3</Timeout>", "").as_bytes(),
    ));
    invalid(parse_configure_health_check(
        body.replace(">30<", ">4294967296<").as_bytes(),
    ));
}

#[test]
fn instances() {
    let list = "<Instances><member><InstanceId>i-315b7e51</InstanceId></member>\
                <member><InstanceId>i-afefb49b</InstanceId></member></Instances>";
    let reg = answer("RegisterInstancesWithLoadBalancer", list);
    assert_eq!(
        parse_register_instances(reg.as_bytes()).unwrap(),
        ["i-315b7e51", "i-afefb49b"]
    );
    let dereg = answer("DeregisterInstancesFromLoadBalancer", "<Instances/>");
    assert!(
        parse_deregister_instances(dereg.as_bytes())
            .unwrap()
            .is_empty()
    );
    // The answer of another action is not accepted.
    invalid(parse_deregister_instances(reg.as_bytes()));
    invalid(parse_register_instances(
        answer(
            "RegisterInstancesWithLoadBalancer",
            "<Instances><member/></Instances>",
        )
        .as_bytes(),
    ));
}

#[test]
fn zones_subnets_groups() {
    let zones = "<AvailabilityZones><member>us-east-1a</member><member>us-east-1c</member></AvailabilityZones>";
    assert_eq!(
        parse_enable_availability_zones(
            answer("EnableAvailabilityZonesForLoadBalancer", zones).as_bytes()
        )
        .unwrap(),
        ["us-east-1a", "us-east-1c"]
    );
    assert_eq!(
        parse_disable_availability_zones(
            answer("DisableAvailabilityZonesForLoadBalancer", zones).as_bytes()
        )
        .unwrap()
        .len(),
        2
    );
    let subnets = "<Subnets><member>subnet-5c11033e</member></Subnets>";
    assert_eq!(
        parse_attach_subnets(answer("AttachLoadBalancerToSubnets", subnets).as_bytes()).unwrap(),
        ["subnet-5c11033e"]
    );
    assert_eq!(
        parse_detach_subnets(answer("DetachLoadBalancerFromSubnets", subnets).as_bytes()).unwrap(),
        ["subnet-5c11033e"]
    );
    let groups = "<SecurityGroups><member>sg-fc448899</member></SecurityGroups>";
    assert_eq!(
        parse_apply_security_groups(answer("ApplySecurityGroupsToLoadBalancer", groups).as_bytes())
            .unwrap(),
        ["sg-fc448899"]
    );
    invalid(parse_attach_subnets(
        answer(
            "AttachLoadBalancerToSubnets",
            "<Subnets><member><x/></member></Subnets>",
        )
        .as_bytes(),
    ));
}

#[test]
fn instance_health() {
    let body = answer(
        "DescribeInstanceHealth",
        "<InstanceStates>
      <member>
        <Description>N/A</Description>
        <InstanceId>i-90d8c2a5</InstanceId>
        <State>InService</State>
        <ReasonCode>N/A</ReasonCode>
      </member>
      <member>
        <Description>Instance has failed at least the UnhealthyThreshold number of health checks consecutively.</Description>
        <InstanceId>i-06ea3e60</InstanceId>
        <State>OutOfService</State>
        <ReasonCode>Instance</ReasonCode>
      </member>
    </InstanceStates>",
    );
    let states = parse_describe_instance_health(body.as_bytes()).unwrap();
    assert_eq!(states.len(), 2);
    assert_eq!(states[0].instance_id, "i-90d8c2a5");
    assert_eq!(
        states[1].health_state(),
        lbcloud_core::HealthState::OutOfService
    );
    assert_eq!(states[1].reason_code.as_deref(), Some("Instance"));
    assert!(
        states[1]
            .description
            .as_deref()
            .unwrap()
            .starts_with("Instance has failed")
    );
    invalid(parse_describe_instance_health(
        body.replace("<InstanceId>i-90d8c2a5</InstanceId>", "")
            .as_bytes(),
    ));
}

#[test]
fn tags() {
    let body = answer(
        "DescribeTags",
        "<TagDescriptions>
      <member>
        <Tags>
          <member><Value>lima</Value><Key>project</Key></member>
          <member><Key>department</Key></member>
        </Tags>
        <LoadBalancerName>my-test-loadbalancer</LoadBalancerName>
      </member>
      <member><LoadBalancerName>other</LoadBalancerName><Tags/></member>
    </TagDescriptions>",
    );
    let d = parse_describe_tags(body.as_bytes()).unwrap();
    assert_eq!(d[0].load_balancer_name, "my-test-loadbalancer");
    assert_eq!(
        d[0].tags,
        [Tag::new("project", "lima"), Tag::new("department", "")]
    );
    assert!(d[1].tags.is_empty());
    invalid(parse_describe_tags(
        body.replace("<Key>department</Key>", "").as_bytes(),
    ));
}

#[test]
fn account_limits() {
    let body = answer(
        "DescribeAccountLimits",
        "<Limits>
      <member><Name>classic-load-balancers</Name><Max>20</Max></member>
      <member><Name>classic-listeners</Name><Max>100</Max></member>
      <member><Name>classic-registered-instances</Name><Max>1000</Max></member>
    </Limits>
    <NextMarker>next</NextMarker>",
    );
    let l = parse_describe_account_limits(body.as_bytes()).unwrap();
    assert_eq!(l.limits.len(), 3);
    assert_eq!(l.limits[2].max_value(), Some(1000));
    assert_eq!(l.next_marker.as_deref(), Some("next"));
    let empty =
        parse_describe_account_limits(answer("DescribeAccountLimits", "").as_bytes()).unwrap();
    assert!(empty.limits.is_empty() && empty.next_marker.is_none());
}

const ATTRIBUTES: &str = "<LoadBalancerAttributes>
      <AccessLog>
        <Enabled>true</Enabled>
        <S3BucketName>my-loadbalancer-logs</S3BucketName>
        <S3BucketPrefix>my-app/prod</S3BucketPrefix>
        <EmitInterval>60</EmitInterval>
      </AccessLog>
      <ConnectionDraining><Enabled>true</Enabled><Timeout>300</Timeout></ConnectionDraining>
      <CrossZoneLoadBalancing><Enabled>true</Enabled></CrossZoneLoadBalancing>
      <ConnectionSettings><IdleTimeout>30</IdleTimeout></ConnectionSettings>
      <AdditionalAttributes>
        <member><Key>elb.http.desyncmitigationmode</Key><Value>defensive</Value></member>
      </AdditionalAttributes>
    </LoadBalancerAttributes>";

#[test]
fn attributes() {
    let body = answer("DescribeLoadBalancerAttributes", ATTRIBUTES);
    let a = parse_describe_load_balancer_attributes(body.as_bytes()).unwrap();
    assert_eq!(a.cross_zone_load_balancing, Some(true));
    assert_eq!(
        a.connection_draining,
        Some(ConnectionDraining {
            enabled: true,
            timeout: Some(300)
        })
    );
    assert_eq!(
        a.connection_settings,
        Some(ConnectionSettings { idle_timeout: 30 })
    );
    assert_eq!(
        a.access_log,
        Some(AccessLog {
            enabled: true,
            s3_bucket_name: Some("my-loadbalancer-logs".into()),
            s3_bucket_prefix: Some("my-app/prod".into()),
            emit_interval: Some(60),
        })
    );
    assert_eq!(
        a.additional_attributes,
        [AdditionalAttribute {
            key: "elb.http.desyncmitigationmode".into(),
            value: "defensive".into()
        }]
    );
    let modified = answer(
        "ModifyLoadBalancerAttributes",
        &format!("<LoadBalancerName>my-lb</LoadBalancerName>{ATTRIBUTES}"),
    );
    assert_eq!(
        parse_modify_load_balancer_attributes(modified.as_bytes()).unwrap(),
        a
    );
    invalid(parse_describe_load_balancer_attributes(
        body.replacen("<Enabled>true</Enabled>", "<Enabled>yes</Enabled>", 1)
            .as_bytes(),
    ));
    invalid(parse_describe_load_balancer_attributes(
        body.replace("<IdleTimeout>30</IdleTimeout>", "").as_bytes(),
    ));
}

#[test]
fn policies() {
    let body = answer(
        "DescribeLoadBalancerPolicies",
        "<PolicyDescriptions>
      <member>
        <PolicyName>my-ProxyProtocol-policy</PolicyName>
        <PolicyTypeName>ProxyProtocolPolicyType</PolicyTypeName>
        <PolicyAttributeDescriptions>
          <member><AttributeName>ProxyProtocol</AttributeName><AttributeValue>true</AttributeValue></member>
        </PolicyAttributeDescriptions>
      </member>
      <member>
        <PolicyTypeName>SSLNegotiationPolicyType</PolicyTypeName>
        <PolicyName>ELBSecurityPolicy-2016-08</PolicyName>
        <PolicyAttributeDescriptions>
          <member><AttributeName>Protocol-TLSv1.2</AttributeName><AttributeValue>true</AttributeValue></member>
          <member><AttributeName>Reference-Security-Policy</AttributeName><AttributeValue>ELBSecurityPolicy-2016-08</AttributeValue></member>
        </PolicyAttributeDescriptions>
      </member>
    </PolicyDescriptions>",
    );
    let p = parse_describe_load_balancer_policies(body.as_bytes()).unwrap();
    assert_eq!(
        p[0],
        crate::model::Policy::new("my-ProxyProtocol-policy", "ProxyProtocolPolicyType")
            .attribute("ProxyProtocol", "true")
    );
    assert_eq!(p[1].attributes.len(), 2);
    invalid(parse_describe_load_balancer_policies(
        body.replace("<PolicyName>my-ProxyProtocol-policy</PolicyName>", "")
            .as_bytes(),
    ));
}

#[test]
fn policy_types() {
    let body = answer(
        "DescribeLoadBalancerPolicyTypes",
        "<PolicyTypeDescriptions>
      <member>
        <PolicyAttributeTypeDescriptions>
          <member>
            <AttributeName>ProxyProtocol</AttributeName>
            <AttributeType>Boolean</AttributeType>
            <Cardinality>ONE</Cardinality>
          </member>
        </PolicyAttributeTypeDescriptions>
        <PolicyTypeName>ProxyProtocolPolicyType</PolicyTypeName>
        <Description>Policy that controls whether to include the IP address and port of the originating request for TCP messages.</Description>
      </member>
      <member>
        <PolicyTypeName>LBCookieStickinessPolicyType</PolicyTypeName>
        <PolicyAttributeTypeDescriptions>
          <member>
            <AttributeName>CookieExpirationPeriod</AttributeName>
            <AttributeType>Long</AttributeType>
            <DefaultValue>0</DefaultValue>
            <Cardinality>ZERO_OR_ONE</Cardinality>
            <Description>Time in seconds</Description>
          </member>
          <member>
            <AttributeName>Future</AttributeName>
            <AttributeType>String</AttributeType>
            <Cardinality>SOME_NEW_VALUE</Cardinality>
          </member>
        </PolicyAttributeTypeDescriptions>
      </member>
    </PolicyTypeDescriptions>",
    );
    let t = parse_describe_load_balancer_policy_types(body.as_bytes()).unwrap();
    assert_eq!(t[0].name, "ProxyProtocolPolicyType");
    assert!(
        t[0].description
            .as_deref()
            .unwrap()
            .starts_with("Policy that")
    );
    assert_eq!(t[0].attributes[0].cardinality, Some(Cardinality::One));
    assert_eq!(t[0].attributes[0].type_name, "Boolean");
    let cookie = &t[1].attributes[0];
    assert_eq!(cookie.default_value.as_deref(), Some("0"));
    assert_eq!(cookie.cardinality, Some(Cardinality::ZeroOrOne));
    assert_eq!(cookie.description.as_deref(), Some("Time in seconds"));
    assert_eq!(
        t[1].attributes[1].cardinality,
        Some(Cardinality::Other("SOME_NEW_VALUE".into()))
    );
    invalid(parse_describe_load_balancer_policy_types(
        answer(
            "DescribeLoadBalancerPolicyTypes",
            "<PolicyTypeDescriptions><member/></PolicyTypeDescriptions>",
        )
        .as_bytes(),
    ));
}

#[test]
fn every_parser_survives_garbage() {
    let inputs: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00<",
        b"<a><b></a>",
        b"<?xml version=\"1.0\"?>",
        b"<DescribeTagsResponse><DescribeTagsResult><TagDescriptions><member><Tags><member><Key>",
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>",
    ];
    for body in inputs {
        invalid(parse_create_load_balancer(body));
        invalid(parse_configure_health_check(body));
        invalid(parse_register_instances(body));
        invalid(parse_describe_instance_health(body));
        invalid(parse_describe_tags(body));
        invalid(parse_describe_account_limits(body));
        invalid(parse_describe_load_balancer_attributes(body));
        invalid(parse_describe_load_balancer_policies(body));
        invalid(parse_describe_load_balancer_policy_types(body));
        invalid(parse_empty_result("AddTags", body));
    }
}
