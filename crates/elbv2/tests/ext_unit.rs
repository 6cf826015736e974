//! The `ex_` methods of `Elbv2Driver` against the scripted loopback
//! server: every one of the 51 actions is sent by a method with the
//! parameters the API reference requires (names, `.member.N` from 1,
//! dotted nesting, required fields), every answer is read from XML written
//! from the API reference, paging and tag batching work, and bad input
//! never reaches the server.
//!
//! These also cover what moto 5.2.5 lacks: the 11 trust-store actions,
//! `GetResourcePolicy`, `ModifyCapacityReservation`, `ModifyIpPools`, and
//! a real `DescribeCapacityReservation` answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Duration;

use lbcloud_core::{ErrorKind, Result};
use lbcloud_elbv2::model::*;
use lbcloud_elbv2::request::{ACTIONS, TargetGroupFilter};
use lbcloud_elbv2::{Elbv2Driver, Env, RetryConfig};
use lbcloud_testserver::{Recorded, Reply, TestServer};

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
const LB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067";
const TG2: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/83e2d6bc24d8a067";
const LIS: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const RULE: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
const RULE2: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/1683b2d02a6cabee";
const TS: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:truststore/ts-1/73e2d6bc24d8a067";
const CERT: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557";
const CERT2: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/5ecb0a41-bd72-4774-9ad9-756919c40557";
const POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

fn driver(server: &TestServer) -> Elbv2Driver {
    Elbv2Driver::builder()
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

fn load_balancer_xml(name: &str) -> String {
    format!(
        "<member><LoadBalancerArn>{LB}</LoadBalancerArn><LoadBalancerName>{name}</LoadBalancerName>\
         <DNSName>{name}-1234567890.us-east-1.elb.amazonaws.com</DNSName>\
         <CanonicalHostedZoneId>Z35SXDOTRQ7X7K</CanonicalHostedZoneId>\
         <CreatedTime>2016-03-25T21:26:12.920Z</CreatedTime><Scheme>internet-facing</Scheme>\
         <VpcId>vpc-3ac0fb5f</VpcId><State><Code>provisioning</Code></State><Type>application</Type>\
         <AvailabilityZones><member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-8360a9e7</SubnetId>\
         </member><member><ZoneName>us-east-1b</ZoneName><SubnetId>subnet-b7d581c0</SubnetId>\
         <LoadBalancerAddresses><member><IpAddress>203.0.113.7</IpAddress>\
         <AllocationId>eipalloc-1</AllocationId></member></LoadBalancerAddresses></member>\
         </AvailabilityZones><SecurityGroups><member>sg-5943793c</member></SecurityGroups>\
         <IpAddressType>ipv4</IpAddressType></member>"
    )
}

const LISTENER_XML: &str = "<member><ListenerArn>LIS</ListenerArn><LoadBalancerArn>LB</LoadBalancerArn>\
     <Port>443</Port><Protocol>HTTPS</Protocol><SslPolicy>POLICY</SslPolicy>\
     <Certificates><member><CertificateArn>CERT</CertificateArn></member></Certificates>\
     <DefaultActions><member><Type>forward</Type><ForwardConfig><TargetGroups>\
     <member><TargetGroupArn>TG</TargetGroupArn><Weight>90</Weight></member>\
     <member><TargetGroupArn>TG2</TargetGroupArn><Weight>10</Weight></member></TargetGroups>\
     <TargetGroupStickinessConfig><Enabled>true</Enabled><DurationSeconds>3600</DurationSeconds>\
     </TargetGroupStickinessConfig></ForwardConfig></member></DefaultActions></member>";

const RULE_XML: &str = "<member><RuleArn>RULE</RuleArn><Priority>10</Priority>\
     <Conditions><member><Field>path-pattern</Field><PathPatternConfig><Values>\
     <member>/api/*</member></Values></PathPatternConfig></member></Conditions>\
     <Actions><member><Type>fixed-response</Type><FixedResponseConfig><StatusCode>503</StatusCode>\
     <ContentType>application/json</ContentType><MessageBody>{\"down\":true}</MessageBody>\
     </FixedResponseConfig></member></Actions><IsDefault>false</IsDefault></member>";

const TARGET_GROUP_XML: &str = "<member><TargetGroupArn>TG</TargetGroupArn><TargetGroupName>web</TargetGroupName>\
     <Protocol>HTTP</Protocol><Port>8000</Port><VpcId>vpc-3ac0fb5f</VpcId>\
     <HealthCheckProtocol>HTTP</HealthCheckProtocol><HealthCheckPort>traffic-port</HealthCheckPort>\
     <HealthCheckEnabled>true</HealthCheckEnabled><HealthCheckIntervalSeconds>10</HealthCheckIntervalSeconds>\
     <HealthCheckTimeoutSeconds>5</HealthCheckTimeoutSeconds><HealthyThresholdCount>3</HealthyThresholdCount>\
     <UnhealthyThresholdCount>2</UnhealthyThresholdCount><HealthCheckPath>/health</HealthCheckPath>\
     <Matcher><HttpCode>200-299</HttpCode></Matcher><LoadBalancerArns><member>LB</member></LoadBalancerArns>\
     <TargetType>ip</TargetType><ProtocolVersion>HTTP1</ProtocolVersion><IpAddressType>ipv4</IpAddressType></member>";

const TRUST_STORE_XML: &str = "<TrustStores><member><Name>ts-1</Name><TrustStoreArn>TS</TrustStoreArn>\
     <Status>ACTIVE</Status><NumberOfCaCertificates>2</NumberOfCaCertificates>\
     <TotalRevokedEntries>7</TotalRevokedEntries></member></TrustStores>";

const REVOCATIONS_XML: &str = "<TrustStoreRevocations><member><TrustStoreArn>TS</TrustStoreArn>\
     <RevocationId>1</RevocationId><RevocationType>CRL</RevocationType>\
     <NumberOfRevokedEntries>7</NumberOfRevokedEntries></member></TrustStoreRevocations>";

const CAPACITY_XML: &str = "<LastModifiedTime>2024-11-01T10:00:00Z</LastModifiedTime>\
     <DecreaseRequestsRemaining>4</DecreaseRequestsRemaining>\
     <MinimumLoadBalancerCapacity><CapacityUnits>100</CapacityUnits></MinimumLoadBalancerCapacity>\
     <CapacityReservationState><member><State><Code>provisioned</Code></State>\
     <AvailabilityZone>us-east-1a</AvailabilityZone><EffectiveCapacityUnits>50.0</EffectiveCapacityUnits>\
     </member><member><State><Code>pending</Code><Reason>scaling</Reason></State>\
     <AvailabilityZone>us-east-1b</AvailabilityZone><EffectiveCapacityUnits>25.5</EffectiveCapacityUnits>\
     </member></CapacityReservationState>";

const HEALTH_XML: &str = "<TargetHealthDescriptions>\
     <member><Target><Id>10.0.0.5</Id><Port>8000</Port><AvailabilityZone>us-east-1a</AvailabilityZone></Target>\
     <HealthCheckPort>8000</HealthCheckPort><TargetHealth><State>healthy</State></TargetHealth></member>\
     <member><Target><Id>10.0.0.5</Id><Port>8080</Port></Target><HealthCheckPort>8080</HealthCheckPort>\
     <TargetHealth><State>unhealthy.draining</State><Reason>Target.DeregistrationInProgress</Reason>\
     <Description>Target deregistration is in progress</Description></TargetHealth>\
     <AnomalyDetection><Result>anomalous</Result><MitigationInEffect>yes</MitigationInEffect></AnomalyDetection>\
     <AdministrativeOverride><State>no_override</State><Reason>AdministrativeOverride.NoOverride</Reason>\
     </AdministrativeOverride></member></TargetHealthDescriptions>";

/// Replaces the placeholders with the ARNs.
fn arns(xml: &str) -> String {
    xml.replace("TG2", TG2)
        .replace("LIS", LIS)
        .replace("RULE", RULE)
        .replace("CERT", CERT)
        .replace("POLICY", POLICY)
        .replace(">TG<", &format!(">{TG}<"))
        .replace(">LB<", &format!(">{LB}<"))
        .replace(">TS<", &format!(">{TS}<"))
}

fn attributes_xml() -> String {
    "<Attributes><member><Key>load_balancing.algorithm.type</Key>\
     <Value>least_outstanding_requests</Value></member><member><Key>stickiness.enabled</Key>\
     <Value>false</Value></member></Attributes>"
        .to_owned()
}

/// The scripted answer for the method that sends `action`.
fn reply_for(action: &str) -> Reply {
    let result = match action {
        "CreateLoadBalancer" | "DescribeLoadBalancers" => {
            format!("<LoadBalancers>{}</LoadBalancers>", load_balancer_xml("web"))
        }
        "CreateListener" | "ModifyListener" | "DescribeListeners" => {
            format!("<Listeners>{}</Listeners>", arns(LISTENER_XML))
        }
        "CreateRule" | "ModifyRule" | "DescribeRules" | "SetRulePriorities" => {
            format!("<Rules>{}</Rules>", arns(RULE_XML))
        }
        "CreateTargetGroup" | "ModifyTargetGroup" | "DescribeTargetGroups" => {
            format!("<TargetGroups>{}</TargetGroups>", arns(TARGET_GROUP_XML))
        }
        "DescribeLoadBalancerAttributes"
        | "ModifyLoadBalancerAttributes"
        | "DescribeTargetGroupAttributes"
        | "ModifyTargetGroupAttributes"
        | "DescribeListenerAttributes"
        | "ModifyListenerAttributes" => attributes_xml(),
        "AddListenerCertificates" | "DescribeListenerCertificates" => format!(
            "<Certificates><member><CertificateArn>{CERT}</CertificateArn><IsDefault>true</IsDefault>\
             </member><member><CertificateArn>{CERT2}</CertificateArn><IsDefault>false</IsDefault>\
             </member></Certificates>"
        ),
        "DescribeTargetHealth" => HEALTH_XML.to_owned(),
        "DescribeTags" => format!(
            "<TagDescriptions><member><ResourceArn>{LB}</ResourceArn><Tags><member><Key>env</Key>\
             <Value>prod</Value></member></Tags></member></TagDescriptions>"
        ),
        "DescribeAccountLimits" => "<Limits><member><Name>application-load-balancers</Name>\
             <Max>50</Max></member><member><Name>target-groups</Name><Max>3000</Max></member></Limits>"
            .to_owned(),
        "DescribeSSLPolicies" => format!(
            "<SslPolicies><member><Name>{POLICY}</Name><SslProtocols><member>TLSv1.2</member>\
             <member>TLSv1.3</member></SslProtocols><Ciphers><member><Name>TLS_AES_128_GCM_SHA256</Name>\
             <Priority>1</Priority></member></Ciphers><SupportedLoadBalancerTypes><member>application\
             </member><member>network</member></SupportedLoadBalancerTypes></member></SslPolicies>"
        ),
        "CreateTrustStore" | "ModifyTrustStore" | "DescribeTrustStores" => arns(TRUST_STORE_XML),
        "AddTrustStoreRevocations" | "DescribeTrustStoreRevocations" => arns(REVOCATIONS_XML),
        "DescribeTrustStoreAssociations" => format!(
            "<TrustStoreAssociations><member><ResourceArn>{LIS}</ResourceArn></member>\
             </TrustStoreAssociations>"
        ),
        "GetTrustStoreCaCertificatesBundle" | "GetTrustStoreRevocationContent" => {
            "<Location>https://s3.example/bundle.pem?X-Amz-Signature=abc&amp;x=1</Location>".to_owned()
        }
        "GetResourcePolicy" => {
            "<Policy>{\"Version\":\"2012-10-17\",\"Statement\":[]}</Policy>".to_owned()
        }
        "DescribeCapacityReservation" | "ModifyCapacityReservation" => CAPACITY_XML.to_owned(),
        "ModifyIpPools" => "<IpamPools><Ipv4IpamPoolId>ipam-pool-1</Ipv4IpamPoolId></IpamPools>".to_owned(),
        "SetIpAddressType" => "<IpAddressType>dualstack</IpAddressType>".to_owned(),
        "SetSecurityGroups" => "<SecurityGroupIds><member>sg-1</member><member>sg-2</member>\
             </SecurityGroupIds><EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>on\
             </EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>"
            .to_owned(),
        "SetSubnets" => "<AvailabilityZones><member><ZoneName>us-east-1c</ZoneName>\
             <SubnetId>subnet-3</SubnetId></member></AvailabilityZones><IpAddressType>ipv4</IpAddressType>"
            .to_owned(),
        _ => String::new(),
    };
    ok(action, &result)
}

fn weighted() -> Action {
    let mut a = Action::weighted_forward([(TG, 90), (TG2, 10)]);
    if let Some(f) = a.forward.as_mut() {
        f.stickiness = Some(TargetGroupStickiness {
            enabled: Some(true),
            duration_seconds: Some(3600),
        });
    }
    a
}

fn ips() -> Vec<TargetDescription> {
    vec![
        TargetDescription::with_port("10.0.0.5", 8000),
        TargetDescription::with_port("10.0.0.5", 8080),
    ]
}

/// Sends `action` through the method that owns it, with fixed arguments.
async fn send(d: &Elbv2Driver, action: &str) -> Result<()> {
    match action {
        "AddListenerCertificates" => d
            .ex_add_listener_certificates(LIS, &[Certificate::new(CERT2)])
            .await
            .map(drop),
        "AddTags" => {
            d.ex_add_tags(&[LB, TG], &[Tag::new("env", "prod"), Tag::new("team", "")])
                .await
        }
        "AddTrustStoreRevocations" => d
            .ex_add_trust_store_revocations(
                TS,
                &[RevocationContent {
                    s3: S3Object::new("crls", "ca.crl"),
                    revocation_type: Some(RevocationType::Crl),
                }],
            )
            .await
            .map(drop),
        "CreateListener" => d
            .ex_create_listener(
                &CreateListenerInput::new(LB, Elbv2Protocol::Https, 443, weighted())
                    .certificate(CERT)
                    .ssl_policy(POLICY),
            )
            .await
            .map(drop),
        "CreateLoadBalancer" => {
            let mut input = CreateLoadBalancerInput::new("web")
                .subnets(["subnet-1", "subnet-2"])
                .security_groups(["sg-1"])
                .scheme(Scheme::Internal)
                .lb_type(LoadBalancerType::Application)
                .tag("lbcloud", "web");
            input.ip_address_type = Some(IpAddressType::Dualstack);
            d.ex_create_load_balancer(&input).await.map(drop)
        }
        "CreateRule" => {
            let rule = CreateRuleInput::new(
                LIS,
                10,
                RuleCondition::path_pattern(["/api/*"]),
                Action::fixed_response("503", Some("{\"down\":true}"), Some("application/json")),
            );
            d.ex_create_listener_rule(&rule).await.map(drop)
        }
        "CreateTargetGroup" => d
            .ex_create_target_group(
                &CreateTargetGroupInput::new("web", Elbv2Protocol::Http, 8000, "vpc-1")
                    .target_type(TargetType::Ip)
                    .health_check(
                        HealthCheckSettings::http("/health")
                            .interval(10)
                            .timeout(5)
                            .thresholds(3, 2)
                            .http_codes("200-299"),
                    ),
            )
            .await
            .map(drop),
        "CreateTrustStore" => d
            .ex_create_trust_store(&CreateTrustStoreInput {
                name: "ts-1".into(),
                ca_certificates_bundle: S3Object {
                    bucket: "cas".into(),
                    key: "bundle.pem".into(),
                    version: Some("v3".into()),
                },
                tags: vec![Tag::new("env", "prod")],
            })
            .await
            .map(drop),
        "DeleteListener" => d.ex_delete_listener(LIS).await,
        "DeleteLoadBalancer" => d.ex_delete_load_balancer(LB).await,
        "DeleteRule" => d.ex_delete_listener_rule(RULE).await,
        "DeleteSharedTrustStoreAssociation" => {
            d.ex_delete_shared_trust_store_association(TS, LIS).await
        }
        "DeleteTargetGroup" => d.ex_delete_target_group(TG).await,
        "DeleteTrustStore" => d.ex_delete_trust_store(TS).await,
        "DeregisterTargets" => d.ex_deregister_targets(TG, &ips()).await,
        "DescribeAccountLimits" => d.ex_describe_account_limits().await.map(drop),
        "DescribeCapacityReservation" => d.ex_describe_capacity_reservation(LB).await.map(drop),
        "DescribeListenerAttributes" => d.ex_describe_listener_attributes(LIS).await.map(drop),
        "DescribeListenerCertificates" => d.ex_describe_listener_certificates(LIS).await.map(drop),
        "DescribeListeners" => d.ex_list_listeners(LB).await.map(drop),
        "DescribeLoadBalancerAttributes" => {
            d.ex_describe_load_balancer_attributes(LB).await.map(drop)
        }
        "DescribeLoadBalancers" => d.ex_list_load_balancers().await.map(drop),
        "DescribeRules" => d.ex_list_rules(LIS).await.map(drop),
        "DescribeSSLPolicies" => d
            .ex_describe_ssl_policies(&[POLICY], Some(&LoadBalancerType::Application))
            .await
            .map(drop),
        "DescribeTags" => d.ex_describe_tags(&[LB]).await.map(drop),
        "DescribeTargetGroupAttributes" => {
            d.ex_describe_target_group_attributes(TG).await.map(drop)
        }
        "DescribeTargetGroups" => d
            .ex_list_target_groups(TargetGroupFilter::LoadBalancer(LB))
            .await
            .map(drop),
        "DescribeTargetHealth" => d
            .ex_describe_target_health(TG, &ips(), true)
            .await
            .map(drop),
        "DescribeTrustStoreAssociations" => {
            d.ex_describe_trust_store_associations(TS).await.map(drop)
        }
        "DescribeTrustStoreRevocations" => d
            .ex_describe_trust_store_revocations(TS, &[1, 2])
            .await
            .map(drop),
        "DescribeTrustStores" => d
            .ex_describe_trust_stores(&[] as &[&str], &["ts-1"])
            .await
            .map(drop),
        "GetResourcePolicy" => d.ex_get_resource_policy(TS).await.map(drop),
        "GetTrustStoreCaCertificatesBundle" => d
            .ex_get_trust_store_ca_certificates_bundle(TS)
            .await
            .map(drop),
        "GetTrustStoreRevocationContent" => d
            .ex_get_trust_store_revocation_content(TS, 1)
            .await
            .map(drop),
        "ModifyCapacityReservation" => d
            .ex_modify_capacity_reservation(LB, Some(100), false)
            .await
            .map(drop),
        "ModifyIpPools" => d
            .ex_modify_ip_pools(
                LB,
                Some(&IpamPools {
                    ipv4_ipam_pool_id: Some("ipam-pool-1".into()),
                }),
                false,
            )
            .await
            .map(drop),
        "ModifyListener" => d
            .ex_modify_listener(
                LIS,
                &ModifyListenerInput {
                    port: Some(80),
                    protocol: Some(Elbv2Protocol::Http),
                    default_actions: vec![Action::redirect(RedirectConfig::to_https(
                        443,
                        RedirectStatusCode::Http301,
                    ))],
                    ..ModifyListenerInput::default()
                },
            )
            .await
            .map(drop),
        "ModifyListenerAttributes" => d
            .ex_modify_listener_attributes(
                LIS,
                &[Attribute::new("tcp.idle_timeout.seconds", "600")],
            )
            .await
            .map(drop),
        "ModifyLoadBalancerAttributes" => d
            .ex_modify_load_balancer_attributes(
                LB,
                &[
                    Attribute::new("idle_timeout.timeout_seconds", "120"),
                    Attribute::new("deletion_protection.enabled", "true"),
                ],
            )
            .await
            .map(drop),
        "ModifyRule" => d
            .ex_modify_listener_rule(
                RULE,
                &ModifyRuleInput {
                    conditions: vec![
                        RuleCondition::host_header(["api.example.com"]),
                        RuleCondition::http_header("X-Canary", ["yes"]),
                    ],
                    actions: vec![Action::forward(TG2)],
                    ..ModifyRuleInput::default()
                },
            )
            .await
            .map(drop),
        "ModifyTargetGroup" => d
            .ex_modify_target_group(TG, &HealthCheckSettings::tcp().port(8080).interval(30))
            .await
            .map(drop),
        "ModifyTargetGroupAttributes" => d
            .ex_modify_target_group_attributes(
                TG,
                &[Attribute::new(
                    "load_balancing.algorithm.type",
                    "least_outstanding_requests",
                )],
            )
            .await
            .map(drop),
        "ModifyTrustStore" => d
            .ex_modify_trust_store(TS, &S3Object::new("cas", "bundle-2.pem"))
            .await
            .map(drop),
        "RegisterTargets" => d.ex_register_targets(TG, &ips()).await,
        "RemoveListenerCertificates" => d.ex_remove_listener_certificates(LIS, &[CERT2]).await,
        "RemoveTags" => d.ex_remove_tags(&[LB], &["env", "team"]).await,
        "RemoveTrustStoreRevocations" => d.ex_remove_trust_store_revocations(TS, &[1]).await,
        "SetIpAddressType" => d
            .ex_set_ip_address_type(LB, &IpAddressType::Dualstack)
            .await
            .map(drop),
        "SetRulePriorities" => d
            .ex_set_rule_priorities(&[(RULE, 10), (RULE2, 20)])
            .await
            .map(drop),
        "SetSecurityGroups" => d
            .ex_set_security_groups(LB, &["sg-1", "sg-2"], Some("on"))
            .await
            .map(drop),
        "SetSubnets" => d
            .ex_set_subnets(
                LB,
                &SetSubnetsInput {
                    subnet_mappings: vec![SubnetMapping {
                        allocation_id: Some("eipalloc-1".into()),
                        ..SubnetMapping::new("subnet-3")
                    }],
                    ..SetSubnetsInput::default()
                },
            )
            .await
            .map(drop),
        other => panic!("no method sends {other}: add one to this table"),
    }
}

/// The parameters (after `Action` and `Version`) the API reference
/// requires for the request `send` makes for `action`, in any order.
fn expected_params(action: &str) -> Vec<(&'static str, &'static str)> {
    let lb = ("LoadBalancerArn", LB);
    let lis = ("ListenerArn", LIS);
    let tg = ("TargetGroupArn", TG);
    let ts = ("TrustStoreArn", TS);
    let paged = ("PageSize", "400");
    let targets = [
        ("Targets.member.1.Id", "10.0.0.5"),
        ("Targets.member.1.Port", "8000"),
        ("Targets.member.2.Id", "10.0.0.5"),
        ("Targets.member.2.Port", "8080"),
    ];
    match action {
        "AddListenerCertificates" => vec![lis, ("Certificates.member.1.CertificateArn", CERT2)],
        "AddTags" => vec![
            ("ResourceArns.member.1", LB),
            ("ResourceArns.member.2", TG),
            ("Tags.member.1.Key", "env"),
            ("Tags.member.1.Value", "prod"),
            ("Tags.member.2.Key", "team"),
            ("Tags.member.2.Value", ""),
        ],
        "AddTrustStoreRevocations" => vec![
            ts,
            ("RevocationContents.member.1.S3Bucket", "crls"),
            ("RevocationContents.member.1.S3Key", "ca.crl"),
            ("RevocationContents.member.1.RevocationType", "CRL"),
        ],
        "CreateListener" => vec![
            lb,
            ("Protocol", "HTTPS"),
            ("Port", "443"),
            ("SslPolicy", POLICY),
            ("Certificates.member.1.CertificateArn", CERT),
            ("DefaultActions.member.1.Type", "forward"),
            (
                "DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn",
                TG,
            ),
            (
                "DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight",
                "90",
            ),
            (
                "DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn",
                TG2,
            ),
            (
                "DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight",
                "10",
            ),
            (
                "DefaultActions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled",
                "true",
            ),
            (
                "DefaultActions.member.1.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds",
                "3600",
            ),
        ],
        "CreateLoadBalancer" => vec![
            ("Name", "web"),
            ("Subnets.member.1", "subnet-1"),
            ("Subnets.member.2", "subnet-2"),
            ("SecurityGroups.member.1", "sg-1"),
            ("Scheme", "internal"),
            ("Tags.member.1.Key", "lbcloud"),
            ("Tags.member.1.Value", "web"),
            ("Type", "application"),
            ("IpAddressType", "dualstack"),
        ],
        "CreateRule" => vec![
            lis,
            ("Conditions.member.1.Field", "path-pattern"),
            (
                "Conditions.member.1.PathPatternConfig.Values.member.1",
                "/api/*",
            ),
            ("Priority", "10"),
            ("Actions.member.1.Type", "fixed-response"),
            ("Actions.member.1.FixedResponseConfig.StatusCode", "503"),
            (
                "Actions.member.1.FixedResponseConfig.MessageBody",
                "{\"down\":true}",
            ),
            (
                "Actions.member.1.FixedResponseConfig.ContentType",
                "application/json",
            ),
        ],
        "CreateTargetGroup" => vec![
            ("Name", "web"),
            ("Protocol", "HTTP"),
            ("Port", "8000"),
            ("VpcId", "vpc-1"),
            ("HealthCheckProtocol", "HTTP"),
            ("HealthCheckPath", "/health"),
            ("HealthCheckIntervalSeconds", "10"),
            ("HealthCheckTimeoutSeconds", "5"),
            ("HealthyThresholdCount", "3"),
            ("UnhealthyThresholdCount", "2"),
            ("Matcher.HttpCode", "200-299"),
            ("TargetType", "ip"),
        ],
        "CreateTrustStore" => vec![
            ("Name", "ts-1"),
            ("CaCertificatesBundleS3Bucket", "cas"),
            ("CaCertificatesBundleS3Key", "bundle.pem"),
            ("CaCertificatesBundleS3ObjectVersion", "v3"),
            ("Tags.member.1.Key", "env"),
            ("Tags.member.1.Value", "prod"),
        ],
        "DeleteListener" | "DescribeListenerAttributes" => vec![lis],
        "DeleteLoadBalancer" | "DescribeLoadBalancerAttributes" | "DescribeCapacityReservation" => {
            vec![lb]
        }
        "DeleteRule" => vec![("RuleArn", RULE)],
        "DeleteSharedTrustStoreAssociation" => vec![ts, ("ResourceArn", LIS)],
        "DeleteTargetGroup" | "DescribeTargetGroupAttributes" => vec![tg],
        "DeleteTrustStore" | "GetTrustStoreCaCertificatesBundle" => vec![ts],
        "DeregisterTargets" | "RegisterTargets" => {
            let mut v = vec![tg];
            v.extend(targets);
            v
        }
        "DescribeTargetHealth" => {
            let mut v = vec![tg, ("Include.member.1", "AnomalyDetection")];
            v.extend(targets);
            v
        }
        "DescribeAccountLimits" | "DescribeLoadBalancers" => vec![paged],
        "DescribeListenerCertificates" => vec![lis, paged],
        "DescribeListeners" => vec![lb, paged],
        "DescribeRules" => vec![lis, paged],
        "DescribeSSLPolicies" => vec![
            ("Names.member.1", POLICY),
            paged,
            ("LoadBalancerType", "application"),
        ],
        "DescribeTags" => vec![("ResourceArns.member.1", LB)],
        "DescribeTargetGroups" => vec![lb, paged],
        "DescribeTrustStoreAssociations" => vec![ts, paged],
        "DescribeTrustStoreRevocations" => vec![
            ts,
            ("RevocationIds.member.1", "1"),
            ("RevocationIds.member.2", "2"),
            paged,
        ],
        "DescribeTrustStores" => vec![("Names.member.1", "ts-1"), paged],
        "GetResourcePolicy" => vec![("ResourceArn", TS)],
        "GetTrustStoreRevocationContent" => vec![ts, ("RevocationId", "1")],
        "ModifyCapacityReservation" => {
            vec![lb, ("MinimumLoadBalancerCapacity.CapacityUnits", "100")]
        }
        "ModifyIpPools" => vec![lb, ("IpamPools.Ipv4IpamPoolId", "ipam-pool-1")],
        "ModifyListener" => vec![
            lis,
            ("Protocol", "HTTP"),
            ("Port", "80"),
            ("DefaultActions.member.1.Type", "redirect"),
            ("DefaultActions.member.1.RedirectConfig.Protocol", "HTTPS"),
            ("DefaultActions.member.1.RedirectConfig.Port", "443"),
            (
                "DefaultActions.member.1.RedirectConfig.StatusCode",
                "HTTP_301",
            ),
        ],
        "ModifyListenerAttributes" => vec![
            lis,
            ("Attributes.member.1.Key", "tcp.idle_timeout.seconds"),
            ("Attributes.member.1.Value", "600"),
        ],
        "ModifyLoadBalancerAttributes" => vec![
            lb,
            ("Attributes.member.1.Key", "idle_timeout.timeout_seconds"),
            ("Attributes.member.1.Value", "120"),
            ("Attributes.member.2.Key", "deletion_protection.enabled"),
            ("Attributes.member.2.Value", "true"),
        ],
        "ModifyRule" => vec![
            ("RuleArn", RULE),
            ("Conditions.member.1.Field", "host-header"),
            (
                "Conditions.member.1.HostHeaderConfig.Values.member.1",
                "api.example.com",
            ),
            ("Conditions.member.2.Field", "http-header"),
            (
                "Conditions.member.2.HttpHeaderConfig.HttpHeaderName",
                "X-Canary",
            ),
            (
                "Conditions.member.2.HttpHeaderConfig.Values.member.1",
                "yes",
            ),
            ("Actions.member.1.Type", "forward"),
            ("Actions.member.1.TargetGroupArn", TG2),
        ],
        "ModifyTargetGroup" => vec![
            tg,
            ("HealthCheckProtocol", "TCP"),
            ("HealthCheckPort", "8080"),
            ("HealthCheckIntervalSeconds", "30"),
        ],
        "ModifyTargetGroupAttributes" => vec![
            tg,
            ("Attributes.member.1.Key", "load_balancing.algorithm.type"),
            ("Attributes.member.1.Value", "least_outstanding_requests"),
        ],
        "ModifyTrustStore" => vec![
            ts,
            ("CaCertificatesBundleS3Bucket", "cas"),
            ("CaCertificatesBundleS3Key", "bundle-2.pem"),
        ],
        "RemoveListenerCertificates" => vec![lis, ("Certificates.member.1.CertificateArn", CERT2)],
        "RemoveTags" => vec![
            ("ResourceArns.member.1", LB),
            ("TagKeys.member.1", "env"),
            ("TagKeys.member.2", "team"),
        ],
        "RemoveTrustStoreRevocations" => vec![ts, ("RevocationIds.member.1", "1")],
        "SetIpAddressType" => vec![lb, ("IpAddressType", "dualstack")],
        "SetRulePriorities" => vec![
            ("RulePriorities.member.1.RuleArn", RULE),
            ("RulePriorities.member.1.Priority", "10"),
            ("RulePriorities.member.2.RuleArn", RULE2),
            ("RulePriorities.member.2.Priority", "20"),
        ],
        "SetSecurityGroups" => vec![
            lb,
            ("SecurityGroups.member.1", "sg-1"),
            ("SecurityGroups.member.2", "sg-2"),
            ("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "on"),
        ],
        "SetSubnets" => vec![
            lb,
            ("SubnetMappings.member.1.SubnetId", "subnet-3"),
            ("SubnetMappings.member.1.AllocationId", "eipalloc-1"),
        ],
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
        let server = TestServer::start([reply_for(action)]).await;
        let d = driver(&server);
        send(&d, action)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 1, "{action}: requests sent");
        let first = &reqs[0];
        assert_eq!(first.method, "POST", "{action}");
        assert_eq!(first.form_value("Action").as_deref(), Some(action));
        assert_eq!(
            first.form_value("Version").as_deref(),
            Some("2015-12-01"),
            "{action}"
        );
        let mut want: Vec<(String, String)> = expected_params(action)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        want.sort();
        assert_eq!(params(first), want, "{action}: parameters");
        let auth = first.header("authorization").unwrap_or_default();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 ")
                && auth.contains("/elasticloadbalancing/aws4_request"),
            "{action}: not signed for elasticloadbalancing: {auth}"
        );
    }
}

#[tokio::test]
async fn answers_become_rich_types() {
    let replies = [
        "DescribeLoadBalancers",
        "DescribeListeners",
        "DescribeRules",
        "DescribeTargetGroups",
        "DescribeTargetHealth",
        "DescribeCapacityReservation",
        "DescribeSSLPolicies",
        "DescribeListenerCertificates",
        "GetTrustStoreCaCertificatesBundle",
    ]
    .map(reply_for);
    let server = TestServer::start(replies).await;
    let d = driver(&server);

    let lb = &d.ex_list_load_balancers().await.unwrap()[0];
    assert_eq!(lb.arn, LB);
    assert_eq!(lb.name, "web");
    assert_eq!(lb.lb_type, Some(LoadBalancerType::Application));
    assert_eq!(lb.scheme, Some(Scheme::InternetFacing));
    let state = lb.state.as_ref().unwrap();
    assert_eq!(state.code, LoadBalancerStateCode::Provisioning);
    assert_eq!(lb.availability_zones.len(), 2);
    assert_eq!(
        lb.availability_zones[1].load_balancer_addresses[0]
            .ip_address
            .as_deref(),
        Some("203.0.113.7")
    );
    assert_eq!(lb.created_time.unwrap().year(), 2016);

    let l = &d.ex_list_listeners(LB).await.unwrap()[0];
    assert_eq!(
        (l.port, l.protocol.clone()),
        (Some(443), Some(Elbv2Protocol::Https))
    );
    let fw = l.default_actions[0].forward.as_ref().unwrap();
    let weights: Vec<_> = fw.target_groups.iter().map(|g| g.weight).collect();
    assert_eq!(weights, [Some(90), Some(10)]);
    assert_eq!(fw.stickiness.as_ref().unwrap().duration_seconds, Some(3600));

    let r = &d.ex_list_rules(LIS).await.unwrap()[0];
    assert_eq!(r.priority, "10");
    assert_eq!(
        r.conditions[0].path_pattern.as_ref().unwrap().values,
        ["/api/*"]
    );
    let fixed = r.actions[0].fixed_response.as_ref().unwrap();
    assert_eq!(fixed.status_code, "503");
    assert_eq!(fixed.message_body.as_deref(), Some("{\"down\":true}"));

    let tg = &d
        .ex_list_target_groups(TargetGroupFilter::All)
        .await
        .unwrap()[0];
    assert_eq!(tg.health_check.interval_seconds, Some(10));
    assert_eq!(tg.health_check.path.as_deref(), Some("/health"));
    assert_eq!(
        tg.health_check
            .matcher
            .as_ref()
            .unwrap()
            .http_code
            .as_deref(),
        Some("200-299")
    );
    assert_eq!(tg.load_balancer_arns, [LB]);
    assert_eq!(tg.target_type, Some(TargetType::Ip));

    let health = d.ex_describe_target_health(TG, &[], false).await.unwrap();
    assert_eq!(health.len(), 2, "two ports of one IP are two targets");
    assert_eq!(health[0].target.port, Some(8000));
    assert_eq!(
        health[0].health.as_ref().unwrap().state,
        TargetHealthState::Healthy
    );
    let h = health[1].health.as_ref().unwrap();
    assert_eq!(h.state, TargetHealthState::UnhealthyDraining);
    assert_eq!(h.reason, Some(TargetHealthReason::DeregistrationInProgress));
    assert_eq!(
        health[1].anomaly_detection.as_ref().unwrap().result,
        Some(AnomalyResult::Anomalous)
    );

    let cap = d.ex_describe_capacity_reservation(LB).await.unwrap();
    assert_eq!(cap.minimum_capacity_units, Some(100));
    assert_eq!(cap.decrease_requests_remaining, Some(4));
    assert_eq!(
        cap.states[1].code,
        Some(CapacityReservationStateCode::Pending)
    );
    assert_eq!(cap.states[1].effective_capacity_units, Some(25.5));

    let policies = d.ex_describe_ssl_policies(&[], None).await.unwrap();
    assert_eq!(policies[0].ssl_protocols, ["TLSv1.2", "TLSv1.3"]);
    assert_eq!(policies[0].ciphers[0].priority, Some(1));

    let certs = d.ex_describe_listener_certificates(LIS).await.unwrap();
    assert_eq!(certs[0].is_default, Some(true));
    assert_eq!(certs[1].arn, CERT2);

    let url = d
        .ex_get_trust_store_ca_certificates_bundle(TS)
        .await
        .unwrap();
    assert!(url.ends_with("X-Amz-Signature=abc&x=1"), "{url}");
    assert_eq!(server.request_count(), 9);
}

fn lb_page(names: &[&str], next: Option<&str>) -> Reply {
    let list: String = names.iter().map(|n| load_balancer_xml(n)).collect();
    let marker = next
        .map(|m| format!("<NextMarker>{m}</NextMarker>"))
        .unwrap_or_default();
    ok(
        "DescribeLoadBalancers",
        &format!("<LoadBalancers>{list}</LoadBalancers>{marker}"),
    )
}

#[tokio::test]
async fn pages_follow_markers_with_the_page_size_and_stop_at_the_cap() {
    use futures_util::TryStreamExt;

    let server = TestServer::start([
        lb_page(&["a", "b"], Some("m1")),
        lb_page(&["c", "d"], Some("m2")),
        lb_page(&["e"], None),
    ])
    .await;
    let d = Elbv2Driver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(server.url())
        .retry(RetryConfig::none())
        .page_size(2)
        .build()
        .unwrap();
    let pages: Vec<Vec<LoadBalancer>> = d.ex_load_balancers_pages().try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1], "streamed page by page");
    let reqs = server.requests();
    let markers: Vec<_> = reqs.iter().map(|r| r.form_value("Marker")).collect();
    assert_eq!(markers, [None, Some("m1".into()), Some("m2".into())]);
    assert!(
        reqs.iter()
            .all(|r| r.form_value("PageSize").as_deref() == Some("2"))
    );

    // A server that never stops: the cap ends it with InvalidResponse.
    let endless = TestServer::start((0..5).map(|i| lb_page(&["x"], Some(&format!("m{i}"))))).await;
    let capped = Elbv2Driver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(endless.url())
        .retry(RetryConfig::none())
        .max_pages(3)
        .build()
        .unwrap();
    let err = capped.ex_list_load_balancers().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert_eq!(err.operation(), Some("ex_load_balancers_pages"));
    assert_eq!(endless.request_count(), 3);

    // The same marker twice: stop after the second page.
    let looping = TestServer::start([
        lb_page(&["x"], Some("same")),
        lb_page(&["y"], Some("same")),
        lb_page(&["z"], None),
    ])
    .await;
    let err = driver(&looping).ex_list_load_balancers().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert_eq!(looping.request_count(), 2);
}

#[tokio::test]
async fn every_paged_action_follows_its_marker() {
    // Each paged describe action, two pages: the second request carries
    // the first answer's NextMarker.
    let paged: [(&str, &str); 6] = [
        ("DescribeListeners", "Listeners"),
        ("DescribeRules", "Rules"),
        ("DescribeTargetGroups", "TargetGroups"),
        ("DescribeSSLPolicies", "SslPolicies"),
        ("DescribeAccountLimits", "Limits"),
        ("DescribeTrustStores", "TrustStores"),
    ];
    for (action, list) in paged {
        let first = ok(
            action,
            &format!("<{list}/><NextMarker>next-{action}</NextMarker>"),
        );
        let server = TestServer::start([first, reply_for(action)]).await;
        send(&driver(&server), action)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 2, "{action}");
        assert_eq!(reqs[0].form_value("Marker"), None, "{action}");
        assert_eq!(
            reqs[1].form_value("Marker").as_deref(),
            Some(format!("next-{action}").as_str()),
            "{action}"
        );
    }
}

#[tokio::test]
async fn tags_go_twenty_arns_a_call() {
    let arns: Vec<String> = (0..45)
        .map(|i| format!("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg-{i}/x"))
        .collect();
    let tag_page = |chunk: &[String]| {
        let list: String = chunk
            .iter()
            .map(|a| {
                format!(
                    "<member><ResourceArn>{a}</ResourceArn><Tags><member><Key>k</Key>\
                     <Value>v</Value></member></Tags></member>"
                )
            })
            .collect();
        ok(
            "DescribeTags",
            &format!("<TagDescriptions>{list}</TagDescriptions>"),
        )
    };
    let server = TestServer::start(arns.chunks(20).map(tag_page)).await;
    let d = driver(&server);
    let tags = d.ex_describe_tags(&arns).await.unwrap();
    assert_eq!(tags.len(), 45);
    let mut sizes: Vec<usize> = server
        .requests()
        .iter()
        .map(|r| {
            r.form()
                .iter()
                .filter(|(k, _)| k.starts_with("ResourceArns.member."))
                .count()
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [5, 20, 20]);

    let adds = TestServer::start((0..3).map(|_| ok("AddTags", ""))).await;
    driver(&adds)
        .ex_add_tags(&arns, &[Tag::new("k", "v")])
        .await
        .unwrap();
    assert_eq!(adds.request_count(), 3);
    let removes = TestServer::start((0..3).map(|_| ok("RemoveTags", ""))).await;
    driver(&removes)
        .ex_remove_tags(&arns, &["k"])
        .await
        .unwrap();
    assert_eq!(removes.request_count(), 3);

    // A bad ARN in the third batch: no batch is sent, and the error names
    // its index in the whole list.
    let mut bad = arns.clone();
    bad[43] = "not-an-arn".into();
    let none = TestServer::start([]).await;
    let err = driver(&none)
        .ex_add_tags(&bad, &[Tag::new("k", "v")])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("resource_arns[43]"));
    assert_eq!(none.request_count(), 0);
}

#[tokio::test]
async fn aws_errors_map_to_kinds_and_name_the_method() {
    let error = |code: &str| {
        Reply::status(400).body(format!(
            "<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>nope</Message></Error><RequestId>r-9</RequestId></ErrorResponse>"
        ))
    };
    let cases = [
        ("TargetGroupNotFound", ErrorKind::NotFound),
        ("DuplicateTargetGroupName", ErrorKind::AlreadyExists),
        ("PriorityInUse", ErrorKind::Conflict),
        ("TooManyTargets", ErrorKind::QuotaExceeded),
    ];
    for (code, kind) in cases {
        let server = TestServer::start([error(code)]).await;
        let err = driver(&server).ex_get_target_group(TG).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{code}: {err}");
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.provider(), Some("elbv2"));
        assert_eq!(err.operation(), Some("ex_get_target_group"));
        assert_eq!(err.request_id(), Some("r-9"));
    }
    // An empty answer to a get by ARN is NotFound too.
    let server = TestServer::start([ok("DescribeRules", "<Rules/>")]).await;
    let err = driver(&server).ex_get_rule(RULE).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn malformed_answers_are_errors_not_panics() {
    let bodies: [&[u8]; 6] = [
        b"",
        b"<DescribeTargetHealthResponse><DescribeTargetHealthResult><TargetHealthDescriptions><member>",
        b"\xff\xfe not xml",
        b"<SomethingElse/>",
        b"<DescribeTargetHealthResponse><DescribeTargetHealthResult><TargetHealthDescriptions>\
          <member><HealthCheckPort>80</HealthCheckPort></member></TargetHealthDescriptions>\
          </DescribeTargetHealthResult></DescribeTargetHealthResponse>",
        b"<html><body>200 but not XML from ELB</body></html>",
    ];
    for body in bodies {
        let server = TestServer::start([Reply::status(200).body(body.to_vec())]).await;
        let err = driver(&server)
            .ex_describe_target_health(TG, &[], false)
            .await
            .expect_err("a malformed answer was accepted");
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
        assert_eq!(err.operation(), Some("ex_describe_target_health"));
        assert_eq!(err.provider(), Some("elbv2"));
    }
}

/// Asserts `r` failed with InvalidInput about a field containing `field`,
/// from an `ex_` method.
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
            assert_eq!(e.provider(), Some("elbv2"), "{what}");
        }
        Ok(v) => panic!("{what}: accepted bad input: {v:?}"),
    }
}

#[tokio::test]
async fn bad_input_to_every_ex_method_is_rejected_before_any_request() {
    let server = TestServer::start([]).await;
    let d = driver(&server);
    let none: &[&str] = &[];
    let tgs = |n: usize| -> Vec<(String, u32)> {
        (0..n)
            .map(|i| {
                (
                    format!("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t{i}/x"),
                    1,
                )
            })
            .collect()
    };
    let hc = |f: fn(HealthCheckSettings) -> HealthCheckSettings| f(HealthCheckSettings::http("/"));

    // Load balancers.
    let input = CreateLoadBalancerInput::new("internal-web").subnets(["subnet-1"]);
    rejected(
        "internal- name",
        d.ex_create_load_balancer(&input).await,
        "name",
    );
    let input = CreateLoadBalancerInput::new("-web").subnets(["subnet-1"]);
    rejected(
        "hyphen first",
        d.ex_create_load_balancer(&input).await,
        "name",
    );
    let input = CreateLoadBalancerInput::new("a".repeat(33)).subnets(["subnet-1"]);
    rejected(
        "33 characters",
        d.ex_create_load_balancer(&input).await,
        "name",
    );
    let input = CreateLoadBalancerInput::new("web");
    rejected(
        "no subnets",
        d.ex_create_load_balancer(&input).await,
        "subnets",
    );
    let mut input = CreateLoadBalancerInput::new("web").subnets(["subnet-1"]);
    input.lb_type = Some(LoadBalancerType::Other("classic".into()));
    rejected(
        "unknown type",
        d.ex_create_load_balancer(&input).await,
        "lb_type",
    );
    rejected(
        "bad arn",
        d.ex_get_load_balancer("web").await,
        "load_balancer_arn",
    );
    rejected(
        "no filter",
        d.ex_describe_load_balancers(none, none).await,
        "arns",
    );
    rejected(
        "bad name",
        d.ex_find_load_balancer("bad name").await,
        "names[0]",
    );
    rejected(
        "delete",
        d.ex_delete_load_balancer("").await,
        "load_balancer_arn",
    );
    rejected(
        "attrs",
        d.ex_describe_load_balancer_attributes("x").await,
        "load_balancer_arn",
    );
    let many: Vec<Attribute> = (0..21)
        .map(|i| Attribute::new(format!("k{i}"), "v"))
        .collect();
    rejected(
        "21 attributes",
        d.ex_modify_load_balancer_attributes(LB, &many).await,
        "attributes",
    );
    rejected(
        "attribute twice",
        d.ex_modify_load_balancer_attributes(
            LB,
            &[Attribute::new("a", "1"), Attribute::new("a", "2")],
        )
        .await,
        "attributes[1]",
    );
    rejected(
        "empty group",
        d.ex_set_security_groups(LB, &[""], None).await,
        "security_groups[0]",
    );
    rejected(
        "enforce",
        d.ex_set_security_groups(LB, &["sg-1"], Some("yes")).await,
        "enforce",
    );
    rejected(
        "no subnets",
        d.ex_set_subnets(LB, &SetSubnetsInput::default()).await,
        "subnets",
    );
    rejected(
        "ip type",
        d.ex_set_ip_address_type(LB, &IpAddressType::Other("ipv6".into()))
            .await,
        "ip_address_type",
    );
    rejected(
        "capacity arn",
        d.ex_describe_capacity_reservation("x").await,
        "load_balancer_arn",
    );
    rejected(
        "units and reset",
        d.ex_modify_capacity_reservation(LB, Some(5), true).await,
        "capacity_units",
    );
    rejected(
        "nothing",
        d.ex_modify_capacity_reservation(LB, None, false).await,
        "capacity_units",
    );
    rejected(
        "no pool",
        d.ex_modify_ip_pools(LB, None, false).await,
        "ipam_pools",
    );

    // Listeners and certificates.
    let https = CreateListenerInput::new(LB, Elbv2Protocol::Https, 443, Action::forward(TG));
    rejected(
        "HTTPS without certificate",
        d.ex_create_listener(&https).await,
        "certificates",
    );
    let port0 = CreateListenerInput::new(LB, Elbv2Protocol::Http, 0, Action::forward(TG));
    rejected("port 0", d.ex_create_listener(&port0).await, "port");
    let six = CreateListenerInput::new(
        LB,
        Elbv2Protocol::Http,
        80,
        Action::weighted_forward(tgs(6)),
    );
    rejected(
        "six target groups",
        d.ex_create_listener(&six).await,
        "default_actions[0].forward.target_groups",
    );
    let mut heavy = tgs(2);
    heavy[1].1 = 1000;
    let heavy =
        CreateListenerInput::new(LB, Elbv2Protocol::Http, 80, Action::weighted_forward(heavy));
    rejected(
        "weight 1000",
        d.ex_create_listener(&heavy).await,
        "target_groups[1].weight",
    );
    let mut no_actions = CreateListenerInput::new(LB, Elbv2Protocol::Http, 80, Action::forward(TG));
    no_actions.default_actions.clear();
    rejected(
        "no actions",
        d.ex_create_listener(&no_actions).await,
        "default_actions",
    );
    let empty_forward = Action::of_type(ActionType::Forward);
    let l = CreateListenerInput::new(LB, Elbv2Protocol::Http, 80, empty_forward);
    rejected(
        "forward nowhere",
        d.ex_create_listener(&l).await,
        "default_actions[0].target_group_arn",
    );
    let teapot = Action::fixed_response("418x", None, None);
    let l = CreateListenerInput::new(LB, Elbv2Protocol::Http, 80, teapot);
    rejected(
        "bad status",
        d.ex_create_listener(&l).await,
        "fixed_response.status_code",
    );
    let xml = Action::fixed_response("200", None, Some("text/xml"));
    let l = CreateListenerInput::new(LB, Elbv2Protocol::Http, 80, xml);
    rejected(
        "bad content type",
        d.ex_create_listener(&l).await,
        "fixed_response.content_type",
    );
    let mut redirect = RedirectConfig::to_https(443, RedirectStatusCode::Http301);
    redirect.path = Some("no-slash".into());
    let l = CreateListenerInput::new(LB, Elbv2Protocol::Http, 80, Action::redirect(redirect));
    rejected(
        "redirect path",
        d.ex_create_listener(&l).await,
        "redirect.path",
    );
    rejected(
        "modify nothing",
        d.ex_modify_listener(LIS, &ModifyListenerInput::default())
            .await,
        "input",
    );
    rejected(
        "delete listener",
        d.ex_delete_listener("x").await,
        "listener_arn",
    );
    rejected(
        "get listener",
        d.ex_get_listener("").await,
        "listener_arns[0]",
    );
    rejected(
        "list listeners",
        d.ex_list_listeners("lb").await,
        "load_balancer_arn",
    );
    rejected(
        "no certificates",
        d.ex_add_listener_certificates(LIS, &[]).await,
        "certificates",
    );
    rejected(
        "bad cert",
        d.ex_remove_listener_certificates(LIS, &["cert"]).await,
        "certificate_arns[0]",
    );
    rejected(
        "describe certs",
        d.ex_describe_listener_certificates("x").await,
        "listener_arn",
    );
    rejected(
        "listener attrs",
        d.ex_describe_listener_attributes("x").await,
        "listener_arn",
    );
    rejected(
        "no listener attrs",
        d.ex_modify_listener_attributes(LIS, &[]).await,
        "attributes",
    );

    // Rules.
    let rule = CreateRuleInput::new(
        LIS,
        0,
        RuleCondition::path_pattern(["/"]),
        Action::forward(TG),
    );
    rejected(
        "priority 0",
        d.ex_create_listener_rule(&rule).await,
        "priority",
    );
    let rule = CreateRuleInput::new(
        LIS,
        50_001,
        RuleCondition::path_pattern(["/"]),
        Action::forward(TG),
    );
    rejected(
        "priority 50001",
        d.ex_create_listener_rule(&rule).await,
        "priority",
    );
    let mut rule = CreateRuleInput::new(
        LIS,
        5,
        RuleCondition::path_pattern(["/"]),
        Action::forward(TG),
    );
    rule.conditions[0].field = "cookie".into();
    rejected(
        "unknown field",
        d.ex_create_listener_rule(&rule).await,
        "conditions[0].field",
    );
    let long = RuleCondition::path_pattern(["/".repeat(129)]);
    let rule = CreateRuleInput::new(LIS, 5, long, Action::forward(TG));
    rejected(
        "long path",
        d.ex_create_listener_rule(&rule).await,
        "path_pattern.values[0]",
    );
    rejected(
        "modify rule",
        d.ex_modify_listener_rule(RULE, &ModifyRuleInput::default())
            .await,
        "input",
    );
    rejected(
        "delete rule",
        d.ex_delete_listener_rule("r").await,
        "rule_arn",
    );
    rejected("get rule", d.ex_get_rule("r").await, "rule_arns[0]");
    rejected("list rules", d.ex_list_rules("l").await, "listener_arn");
    rejected(
        "priority twice",
        d.ex_set_rule_priorities(&[(RULE, 5), (RULE2, 5)]).await,
        "rule_priorities[1].priority",
    );

    // Target groups and targets.
    let tg = |hc: HealthCheckSettings| {
        CreateTargetGroupInput::new("web", Elbv2Protocol::Http, 80, "vpc-1").health_check(hc)
    };
    rejected(
        "interval 4",
        d.ex_create_target_group(&tg(hc(|h| h.interval(4)))).await,
        "interval_seconds",
    );
    rejected(
        "interval 301",
        d.ex_create_target_group(&tg(hc(|h| h.interval(301)))).await,
        "interval_seconds",
    );
    rejected(
        "timeout 1",
        d.ex_create_target_group(&tg(hc(|h| h.timeout(1)))).await,
        "timeout_seconds",
    );
    rejected(
        "timeout 121",
        d.ex_create_target_group(&tg(hc(|h| h.timeout(121)))).await,
        "timeout_seconds",
    );
    rejected(
        "threshold 1",
        d.ex_create_target_group(&tg(hc(|h| h.thresholds(1, 2))))
            .await,
        "healthy_threshold",
    );
    rejected(
        "threshold 11",
        d.ex_create_target_group(&tg(hc(|h| h.thresholds(2, 11))))
            .await,
        "unhealthy_threshold",
    );
    rejected(
        "timeout not below interval",
        d.ex_create_target_group(&tg(hc(|h| h.interval(10).timeout(10))))
            .await,
        "timeout_seconds",
    );
    let mut no_slash = HealthCheckSettings::http("health");
    no_slash.interval_seconds = Some(10);
    rejected(
        "path",
        d.ex_create_target_group(&tg(no_slash)).await,
        "health_check.path",
    );
    let mut bad_name = tg(HealthCheckSettings::default());
    bad_name.name = "web_1".into();
    rejected(
        "target group name",
        d.ex_create_target_group(&bad_name).await,
        "name",
    );
    let mut no_vpc = tg(HealthCheckSettings::default());
    no_vpc.vpc_id = None;
    rejected("no vpc", d.ex_create_target_group(&no_vpc).await, "vpc_id");
    let mut lambda = tg(HealthCheckSettings::default());
    lambda.target_type = Some(TargetType::Lambda);
    rejected(
        "lambda with port",
        d.ex_create_target_group(&lambda).await,
        "target_type",
    );
    rejected(
        "modify nothing",
        d.ex_modify_target_group(TG, &HealthCheckSettings::default())
            .await,
        "health_check",
    );
    rejected(
        "delete tg",
        d.ex_delete_target_group("tg").await,
        "target_group_arn",
    );
    rejected(
        "get tg",
        d.ex_get_target_group("tg").await,
        "target_group_arns[0]",
    );
    rejected(
        "list by bad name",
        d.ex_list_target_groups(TargetGroupFilter::Names(&["-x"]))
            .await,
        "names[0]",
    );
    rejected(
        "tg attrs",
        d.ex_describe_target_group_attributes("x").await,
        "target_group_arn",
    );
    rejected(
        "no tg attrs",
        d.ex_modify_target_group_attributes(TG, &[]).await,
        "attributes",
    );
    rejected(
        "no targets",
        d.ex_register_targets(TG, &[]).await,
        "targets",
    );
    let twice = [
        TargetDescription::with_port("10.0.0.1", 80),
        TargetDescription::with_port("10.0.0.1", 80),
    ];
    rejected(
        "target twice",
        d.ex_register_targets(TG, &twice).await,
        "targets[1]",
    );
    let zero = [TargetDescription::with_port("10.0.0.1", 0)];
    rejected(
        "target port 0",
        d.ex_deregister_targets(TG, &zero).await,
        "targets[0].port",
    );
    rejected(
        "health of bad group",
        d.ex_describe_target_health("x", &[], false).await,
        "target_group_arn",
    );

    // Tags, limits, SSL policies.
    rejected("no tags", d.ex_add_tags(&[LB], &[]).await, "tags");
    rejected(
        "bad tag key",
        d.ex_add_tags(&[LB], &[Tag::new("a,b", "v")]).await,
        "tags[0].key",
    );
    let long_value = "v".repeat(257);
    rejected(
        "long value",
        d.ex_add_tags(&[LB], &[Tag::new("k", long_value)]).await,
        "tags[0].value",
    );
    rejected("no keys", d.ex_remove_tags(&[LB], none).await, "tag_keys");
    rejected("no arns", d.ex_describe_tags(none).await, "resource_arns");
    rejected(
        "ssl type",
        d.ex_describe_ssl_policies(&[], Some(&LoadBalancerType::Other("x".into())))
            .await,
        "load_balancer_type",
    );

    // Trust stores, revocations, resource policy.
    let store = CreateTrustStoreInput {
        name: "ts--1".into(),
        ca_certificates_bundle: S3Object::new("b", "k"),
        tags: vec![],
    };
    rejected(
        "double hyphen",
        d.ex_create_trust_store(&store).await,
        "name",
    );
    let store = CreateTrustStoreInput {
        name: "ts-1".into(),
        ca_certificates_bundle: S3Object::new("", "k"),
        tags: vec![],
    };
    rejected(
        "no bucket",
        d.ex_create_trust_store(&store).await,
        "ca_certificates_bundle.bucket",
    );
    rejected(
        "modify store",
        d.ex_modify_trust_store(TS, &S3Object::new("b", "")).await,
        "ca_certificates_bundle.key",
    );
    rejected(
        "delete store",
        d.ex_delete_trust_store("ts").await,
        "trust_store_arn",
    );
    rejected(
        "describe stores",
        d.ex_describe_trust_stores(none, &["bad name"]).await,
        "names[0]",
    );
    rejected(
        "associations",
        d.ex_describe_trust_store_associations("x").await,
        "trust_store_arn",
    );
    rejected(
        "shared",
        d.ex_delete_shared_trust_store_association(TS, "x").await,
        "resource_arn",
    );
    rejected(
        "bundle",
        d.ex_get_trust_store_ca_certificates_bundle("x").await,
        "trust_store_arn",
    );
    rejected(
        "no revocations",
        d.ex_add_trust_store_revocations(TS, &[]).await,
        "revocation_contents",
    );
    rejected(
        "no ids",
        d.ex_remove_trust_store_revocations(TS, &[]).await,
        "revocation_ids",
    );
    rejected(
        "id twice",
        d.ex_describe_trust_store_revocations(TS, &[3, 3]).await,
        "revocation_ids[1]",
    );
    rejected(
        "content",
        d.ex_get_trust_store_revocation_content("x", 1).await,
        "trust_store_arn",
    );
    rejected(
        "policy",
        d.ex_get_resource_policy("x").await,
        "resource_arn",
    );

    assert_eq!(server.request_count(), 0, "bad input reached the server");
}

#[tokio::test]
async fn transport_faults_become_typed_errors_naming_the_method() {
    let good = || reply_for("DescribeTargetGroups");
    let cases: Vec<(&str, Reply, &[ErrorKind])> = vec![
        ("reset", Reply::reset(), &[ErrorKind::Transport]),
        ("close", Reply::close(), &[ErrorKind::Transport]),
        (
            "truncated",
            good().truncate_after(40),
            &[ErrorKind::Transport, ErrorKind::InvalidResponse],
        ),
        (
            "html 500",
            Reply::status(500)
                .header("content-type", "text/html")
                .body("<html>oops</html>"),
            &[ErrorKind::Provider],
        ),
        (
            "throttled",
            Reply::status(400).body(format!(
                "<ErrorResponse xmlns=\"{NS}\"><Error><Code>Throttling</Code><Message>slow down\
                 </Message></Error><RequestId>r</RequestId></ErrorResponse>"
            )),
            &[ErrorKind::Throttled],
        ),
        (
            "empty 200",
            Reply::status(200),
            &[ErrorKind::InvalidResponse],
        ),
        (
            "wrong document",
            ok("DescribeLoadBalancers", "<LoadBalancers/>"),
            &[ErrorKind::InvalidResponse],
        ),
    ];
    for (what, reply, kinds) in cases {
        let server = TestServer::start([reply]).await;
        let err = driver(&server).ex_get_target_group(TG).await.unwrap_err();
        assert!(kinds.contains(&err.kind()), "{what}: {err}");
        assert_eq!(err.provider(), Some("elbv2"), "{what}");
        assert_eq!(err.operation(), Some("ex_get_target_group"), "{what}");
        assert_eq!(
            server.request_count(),
            1,
            "{what}: no retries were asked for"
        );
    }
    // With retries, a throttled answer then a good one succeeds.
    let server = TestServer::start([
        Reply::status(503).body("busy"),
        reply_for("DescribeTargetGroups"),
    ])
    .await;
    let d = Elbv2Driver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(server.url())
        .retry(
            RetryConfig::default().with_delays(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    assert_eq!(d.ex_get_target_group(TG).await.unwrap().arn, TG);
    assert_eq!(server.request_count(), 2);
}
