//! A bounded, deterministic fuzz run of every response parser of
//! `lbcloud_elb::response`, of one parser per answer shape of
//! `lbcloud_elbv2::response`, and of `lbcloud_aws::error::parse_error_response`,
//! inside the normal test suite, so a regression fails CI.
//!
//! Inputs: arbitrary bytes, XML-ish token soup, and mutations of real
//! answers (pages from `lbcloud_elb::fixtures` and hand-written answers of
//! every action): truncation, byte flips, insertions, deletions, element
//! duplication and removal, hostile text (huge numbers, entities, CDATA,
//! control characters), deep nesting and splices between answers.
//! Every parser must return, never panic, and every error must be
//! `InvalidResponse`.
//!
//! `in_suite_fuzz_run` runs a fixed seed for a few seconds. The long run:
//!
//! ```text
//! LBCLOUD_FUZZ_ITERS=2000000 cargo test --release --test reliability_fuzz -- --ignored --nocapture
//! ```
//!
//! (`LBCLOUD_FUZZ_SEED` picks another seed.) A crashing input is written to
//! `target/fuzz-crashes/` for replay. The cargo-fuzz targets in `fuzz/`
//! cover the same parsers with coverage guidance (nightly only).
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use lbcloud::{Error, ErrorKind};
use lbcloud_aws::error::parse_error_response;
use lbcloud_elb::{fixtures, response as r};
use lbcloud_elbv2::response as v2;

type Parse = fn(&[u8]) -> Result<(), Error>;

/// Every parser, by name. `parse_empty_result` takes an action: two are fuzzed.
const PARSERS: &[(&str, Parse)] = &[
    ("DeleteLoadBalancer", |b| {
        r::parse_empty_result("DeleteLoadBalancer", b)
    }),
    ("AddTags", |b| r::parse_empty_result("AddTags", b)),
    ("CreateLoadBalancer", |b| {
        r::parse_create_load_balancer(b).map(drop)
    }),
    ("ConfigureHealthCheck", |b| {
        r::parse_configure_health_check(b).map(drop)
    }),
    ("RegisterInstancesWithLoadBalancer", |b| {
        r::parse_register_instances(b).map(drop)
    }),
    ("DeregisterInstancesFromLoadBalancer", |b| {
        r::parse_deregister_instances(b).map(drop)
    }),
    ("EnableAvailabilityZonesForLoadBalancer", |b| {
        r::parse_enable_availability_zones(b).map(drop)
    }),
    ("DisableAvailabilityZonesForLoadBalancer", |b| {
        r::parse_disable_availability_zones(b).map(drop)
    }),
    ("AttachLoadBalancerToSubnets", |b| {
        r::parse_attach_subnets(b).map(drop)
    }),
    ("DetachLoadBalancerFromSubnets", |b| {
        r::parse_detach_subnets(b).map(drop)
    }),
    ("ApplySecurityGroupsToLoadBalancer", |b| {
        r::parse_apply_security_groups(b).map(drop)
    }),
    ("DescribeInstanceHealth", |b| {
        r::parse_describe_instance_health(b).map(drop)
    }),
    ("DescribeTags", |b| r::parse_describe_tags(b).map(drop)),
    ("DescribeAccountLimits", |b| {
        r::parse_describe_account_limits(b).map(drop)
    }),
    ("DescribeLoadBalancerAttributes", |b| {
        r::parse_describe_load_balancer_attributes(b).map(drop)
    }),
    ("ModifyLoadBalancerAttributes", |b| {
        r::parse_modify_load_balancer_attributes(b).map(drop)
    }),
    ("DescribeLoadBalancerPolicies", |b| {
        r::parse_describe_load_balancer_policies(b).map(drop)
    }),
    ("DescribeLoadBalancerPolicyTypes", |b| {
        r::parse_describe_load_balancer_policy_types(b).map(drop)
    }),
    ("DescribeLoadBalancers", |b| {
        r::parse_describe_load_balancers(b).map(drop)
    }),
    ("DescribeLoadBalancers (descriptions)", |b| {
        r::parse_load_balancer_descriptions(b).map(drop)
    }),
    // ELBv2 (lbcloud_elbv2::response), one per answer shape.
    ("v2 DescribeLoadBalancers", |b| {
        v2::parse_load_balancers("DescribeLoadBalancers", b).map(drop)
    }),
    ("v2 DescribeListeners", |b| {
        v2::parse_listeners("DescribeListeners", b).map(drop)
    }),
    ("v2 DescribeRules", |b| {
        v2::parse_rules("DescribeRules", b).map(drop)
    }),
    ("v2 DescribeTargetGroups", |b| {
        v2::parse_target_groups("DescribeTargetGroups", b).map(drop)
    }),
    ("v2 DescribeTargetHealth", |b| {
        v2::parse_target_health(b).map(drop)
    }),
    ("v2 DescribeTags", |b| v2::parse_tags(b).map(drop)),
    ("v2 DescribeTargetGroupAttributes", |b| {
        v2::parse_attributes("DescribeTargetGroupAttributes", b).map(drop)
    }),
    ("v2 DescribeCapacityReservation", |b| {
        v2::parse_capacity_reservation("DescribeCapacityReservation", b).map(drop)
    }),
    ("v2 DescribeSSLPolicies", |b| {
        v2::parse_ssl_policies(b).map(drop)
    }),
    ("v2 DescribeTrustStores", |b| {
        v2::parse_trust_stores("DescribeTrustStores", b).map(drop)
    }),
    ("v2 SetSubnets", |b| v2::parse_subnets(b).map(drop)),
];

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/";

fn answer(action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NS}\"><{action}Result>{result}</{action}Result>\
         <ResponseMetadata><RequestId>5e1d4a52-0000-11e3-8b82-87b12EXAMPLE</RequestId>\
         </ResponseMetadata></{action}Response>"
    )
}

const ATTRIBUTES: &str = "<LoadBalancerAttributes><AccessLog><Enabled>true</Enabled>\
    <S3BucketName>logs</S3BucketName><S3BucketPrefix>p/q</S3BucketPrefix><EmitInterval>60</EmitInterval></AccessLog>\
    <ConnectionDraining><Enabled>true</Enabled><Timeout>300</Timeout></ConnectionDraining>\
    <CrossZoneLoadBalancing><Enabled>false</Enabled></CrossZoneLoadBalancing>\
    <ConnectionSettings><IdleTimeout>60</IdleTimeout></ConnectionSettings>\
    <AdditionalAttributes><member><Key>elb.http.desyncmitigationmode</Key><Value>strictest</Value></member></AdditionalAttributes>\
    </LoadBalancerAttributes>";

/// One valid ELBv2 answer per ELBv2 parser, in PARSERS order.
fn v2_seeds() -> Vec<String> {
    let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
    let forward = format!(
        "<member><Type>forward</Type><Order>1</Order><ForwardConfig><TargetGroups><member>\
         <TargetGroupArn>{arn}:targetgroup/a/1</TargetGroupArn><Weight>90</Weight></member>\
         </TargetGroups><TargetGroupStickinessConfig><Enabled>true</Enabled><DurationSeconds>60\
         </DurationSeconds></TargetGroupStickinessConfig></ForwardConfig></member>"
    );
    vec![
        answer(
            "DescribeLoadBalancers",
            &format!(
                "<LoadBalancers><member><LoadBalancerArn>{arn}:loadbalancer/app/w/1</LoadBalancerArn>\
                 <LoadBalancerName>w</LoadBalancerName><CreatedTime>2024-01-01T00:00:00.000Z</CreatedTime>\
                 <State><Code>active</Code></State><Type>application</Type><AvailabilityZones><member>\
                 <ZoneName>us-east-1a</ZoneName><SubnetId>subnet-1</SubnetId><LoadBalancerAddresses><member>\
                 <IpAddress>203.0.113.1</IpAddress></member></LoadBalancerAddresses></member></AvailabilityZones>\
                 <SecurityGroups><member>sg-1</member></SecurityGroups></member></LoadBalancers>\
                 <NextMarker>m</NextMarker>"
            ),
        ),
        answer(
            "DescribeListeners",
            &format!(
                "<Listeners><member><ListenerArn>{arn}:listener/app/w/1/2</ListenerArn><Port>443</Port>\
                 <Protocol>HTTPS</Protocol><Certificates><member><CertificateArn>arn:c</CertificateArn>\
                 </member></Certificates><DefaultActions>{forward}<member><Type>redirect</Type>\
                 <RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><StatusCode>HTTP_301</StatusCode>\
                 </RedirectConfig></member></DefaultActions></member></Listeners>"
            ),
        ),
        answer(
            "DescribeRules",
            &format!(
                "<Rules><member><RuleArn>{arn}:listener-rule/app/w/1/2/3</RuleArn><Priority>5</Priority>\
                 <Conditions><member><Field>path-pattern</Field><PathPatternConfig><Values><member>/api/*\
                 </member></Values></PathPatternConfig></member><member><Field>query-string</Field>\
                 <QueryStringConfig><Values><member><Key>k</Key><Value>v</Value></member></Values>\
                 </QueryStringConfig></member></Conditions><Actions>{forward}<member><Type>fixed-response\
                 </Type><FixedResponseConfig><StatusCode>503</StatusCode><MessageBody>x</MessageBody>\
                 </FixedResponseConfig></member></Actions><IsDefault>false</IsDefault></member></Rules>"
            ),
        ),
        answer(
            "DescribeTargetGroups",
            &format!(
                "<TargetGroups><member><TargetGroupArn>{arn}:targetgroup/a/1</TargetGroupArn>\
                 <TargetGroupName>a</TargetGroupName><Protocol>HTTP</Protocol><Port>80</Port>\
                 <HealthCheckIntervalSeconds>10</HealthCheckIntervalSeconds><Matcher><HttpCode>200\
                 </HttpCode></Matcher><LoadBalancerArns><member>arn:lb</member></LoadBalancerArns>\
                 </member></TargetGroups>"
            ),
        ),
        answer(
            "DescribeTargetHealth",
            "<TargetHealthDescriptions><member><Target><Id>10.0.0.1</Id><Port>80</Port></Target>\
             <TargetHealth><State>unhealthy</State><Reason>Target.Timeout</Reason></TargetHealth>\
             </member></TargetHealthDescriptions>",
        ),
        answer(
            "DescribeTags",
            "<TagDescriptions><member><ResourceArn>arn:x</ResourceArn><Tags><member><Key>k</Key>\
             <Value>v</Value></member></Tags></member></TagDescriptions>",
        ),
        answer(
            "DescribeTargetGroupAttributes",
            "<Attributes><member><Key>load_balancing.algorithm.type</Key><Value>round_robin</Value>\
             </member></Attributes>",
        ),
        answer(
            "DescribeCapacityReservation",
            "<LastModifiedTime>2024-01-01T00:00:00Z</LastModifiedTime><MinimumLoadBalancerCapacity>\
             <CapacityUnits>10</CapacityUnits></MinimumLoadBalancerCapacity><CapacityReservationState>\
             <member><State><Code>provisioned</Code></State><EffectiveCapacityUnits>5.5\
             </EffectiveCapacityUnits></member></CapacityReservationState>",
        ),
        answer(
            "DescribeSSLPolicies",
            "<SslPolicies><member><Name>p</Name><SslProtocols><member>TLSv1.2</member></SslProtocols>\
             <Ciphers><member><Name>c</Name><Priority>1</Priority></member></Ciphers></member></SslPolicies>",
        ),
        answer(
            "DescribeTrustStores",
            "<TrustStores><member><Name>t</Name><TrustStoreArn>arn:t</TrustStoreArn><Status>ACTIVE</Status>\
             <TotalRevokedEntries>3</TotalRevokedEntries></member></TrustStores>",
        ),
        answer(
            "SetSubnets",
            "<AvailabilityZones><member><ZoneName>us-east-1a</ZoneName></member></AvailabilityZones>\
             <IpAddressType>ipv4</IpAddressType>",
        ),
    ]
}

/// One valid answer per parser (same order as PARSERS), plus error bodies.
fn seeds() -> Vec<(usize, Vec<u8>)> {
    let instances = "<Instances><member><InstanceId>i-0a1b</InstanceId></member><member><InstanceId>i-0c2d</InstanceId></member></Instances>";
    let zones = "<AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>";
    let subnets = "<Subnets><member>subnet-1</member><member>subnet-2</member></Subnets>";
    let texts: Vec<String> = vec![
        answer("DeleteLoadBalancer", ""),
        format!(
            "<AddTagsResponse xmlns=\"{NS}\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AddTagsResponse>"
        ),
        answer(
            "CreateLoadBalancer",
            "<DNSName>web-123.us-east-1.elb.amazonaws.com</DNSName>",
        ),
        answer(
            "ConfigureHealthCheck",
            "<HealthCheck><Interval>30</Interval><Target>HTTP:80/ping</Target><HealthyThreshold>2</HealthyThreshold>\
             <Timeout>3</Timeout><UnhealthyThreshold>2</UnhealthyThreshold></HealthCheck>",
        ),
        answer("RegisterInstancesWithLoadBalancer", instances),
        answer("DeregisterInstancesFromLoadBalancer", instances),
        answer("EnableAvailabilityZonesForLoadBalancer", zones),
        answer("DisableAvailabilityZonesForLoadBalancer", zones),
        answer("AttachLoadBalancerToSubnets", subnets),
        answer("DetachLoadBalancerFromSubnets", subnets),
        answer(
            "ApplySecurityGroupsToLoadBalancer",
            "<SecurityGroups><member>sg-1</member></SecurityGroups>",
        ),
        answer(
            "DescribeInstanceHealth",
            "<InstanceStates><member><Description>N/A</Description><InstanceId>i-0a1b</InstanceId>\
             <State>InService</State><ReasonCode>N/A</ReasonCode></member><member>\
             <Description>failed checks</Description><InstanceId>i-0c2d</InstanceId>\
             <State>OutOfService</State><ReasonCode>Instance</ReasonCode></member></InstanceStates>",
        ),
        answer(
            "DescribeTags",
            "<TagDescriptions><member><Tags><member><Value>lima</Value><Key>project</Key></member>\
             <member><Key>team</Key></member></Tags><LoadBalancerName>web</LoadBalancerName></member></TagDescriptions>",
        ),
        answer(
            "DescribeAccountLimits",
            "<Limits><member><Name>classic-load-balancers</Name><Max>20</Max></member>\
             <member><Name>classic-listeners</Name><Max>100</Max></member></Limits><NextMarker>n</NextMarker>",
        ),
        answer("DescribeLoadBalancerAttributes", ATTRIBUTES),
        answer(
            "ModifyLoadBalancerAttributes",
            &format!("<LoadBalancerName>web</LoadBalancerName>{ATTRIBUTES}"),
        ),
        answer(
            "DescribeLoadBalancerPolicies",
            "<PolicyDescriptions><member><PolicyName>pp</PolicyName><PolicyTypeName>ProxyProtocolPolicyType</PolicyTypeName>\
             <PolicyAttributeDescriptions><member><AttributeName>ProxyProtocol</AttributeName><AttributeValue>true</AttributeValue>\
             </member></PolicyAttributeDescriptions></member></PolicyDescriptions>",
        ),
        answer(
            "DescribeLoadBalancerPolicyTypes",
            "<PolicyTypeDescriptions><member><PolicyAttributeTypeDescriptions><member><AttributeName>CookieExpirationPeriod</AttributeName>\
             <AttributeType>Long</AttributeType><DefaultValue>0</DefaultValue><Cardinality>ZERO_OR_ONE</Cardinality>\
             </member></PolicyAttributeTypeDescriptions><PolicyTypeName>LBCookieStickinessPolicyType</PolicyTypeName>\
             <Description>cookies</Description></member></PolicyTypeDescriptions>",
        ),
        fixtures::describe_load_balancers_page(0, 2, Some("marker-2")),
        fixtures::describe_load_balancers_page(7, 1, None),
    ];
    let mut texts = texts;
    texts.extend(v2_seeds());
    assert_eq!(texts.len(), PARSERS.len());
    let mut out: Vec<(usize, Vec<u8>)> = texts
        .into_iter()
        .map(String::into_bytes)
        .enumerate()
        .collect();
    // An empty page, and error documents (fed to every parser and the error parser).
    out.push((
        18,
        answer("DescribeLoadBalancers", "<LoadBalancerDescriptions/>").into_bytes(),
    ));
    out.push((
        0,
        b"<ErrorResponse><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message>no 'x'</Message></Error><RequestId>r-1</RequestId></ErrorResponse>".to_vec(),
    ));
    out.push((
        1,
        b"<Response><Errors><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></Errors><RequestID>r-2</RequestID></Response>".to_vec(),
    ));
    out
}

/// Text that breaks parsers: numbers out of range, entities, CDATA,
/// control characters, markup where text belongs.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "-1",
    "0",
    "4294967296",
    "18446744073709551616",
    "99999999999999999999999",
    "1e9",
    "NaN",
    "&amp;",
    "&lt;x&gt;",
    "&#0;",
    "&#x110000;",
    "&bogus;",
    "&",
    "<![CDATA[x]]>",
    "<![CDATA[",
    "<!-- c -->",
    "<?pi x?>",
    "\u{0}",
    "\u{feff}",
    "\u{1b}[31m",
    "true",
    "yes",
    "HTTP:0/",
    "HTTP:65536/",
    "TCP:80/x",
    "<x/>",
    "</member>",
    "<member>",
    "]]>",
    "\"'",
    "\r\n",
    "é",
    "\u{10ffff}",
];

struct Fuzzer {
    rng: fastrand::Rng,
    seeds: Vec<(usize, Vec<u8>)>,
}

impl Fuzzer {
    fn new(seed: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
            seeds: seeds(),
        }
    }

    /// One input and the parser it was derived for.
    fn next(&mut self) -> (usize, Vec<u8>) {
        let pick = self.rng.u8(..100);
        if pick < 8 {
            let len = self.rng.usize(..256);
            let bytes = (0..len).map(|_| self.rng.u8(..)).collect();
            return (self.rng.usize(..PARSERS.len()), bytes);
        }
        if pick < 16 {
            return (self.rng.usize(..PARSERS.len()), self.soup());
        }
        let (target, seed) = &self.seeds[self.rng.usize(..self.seeds.len())];
        let (target, mut input) = (*target, seed.clone());
        for _ in 0..self.rng.usize(1..=4) {
            self.mutate(&mut input);
        }
        (target, input)
    }

    /// Random tags, text and hostile pieces.
    fn soup(&mut self) -> Vec<u8> {
        let names = [
            "member",
            "LoadBalancerName",
            "Listener",
            "Instances",
            "HealthCheck",
            "DescribeLoadBalancersResponse",
            "Result",
            "x",
        ];
        let mut s = String::new();
        for _ in 0..self.rng.usize(..40) {
            let name = names[self.rng.usize(..names.len())];
            match self.rng.u8(..4) {
                0 => s.push_str(&format!("<{name}>")),
                1 => s.push_str(&format!("</{name}>")),
                2 => s.push_str(&format!("<{name}/>")),
                _ => s.push_str(HOSTILE[self.rng.usize(..HOSTILE.len())]),
            }
        }
        s.into_bytes()
    }

    /// The byte range of a random element `<name ...>...</name>`, if any.
    fn element(&mut self, input: &[u8]) -> Option<(usize, usize)> {
        let starts: Vec<usize> = input
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] == b'<' && w[1].is_ascii_alphabetic())
            .map(|(i, _)| i)
            .collect();
        let start = *starts.get(self.rng.usize(..starts.len().max(1)))?;
        let name_end = input[start + 1..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())?
            + start
            + 1;
        let close = [b"</", &input[start + 1..name_end], b">"].concat();
        let end = input[start..]
            .windows(close.len())
            .position(|w| w == close)?
            + start
            + close.len();
        Some((start, end))
    }

    fn mutate(&mut self, input: &mut Vec<u8>) {
        let len = input.len();
        match self.rng.u8(..11) {
            // Truncate.
            0 => input.truncate(self.rng.usize(..=len)),
            // Flip bytes.
            1 => {
                for _ in 0..self.rng.usize(1..=8) {
                    if let Some(b) = input.get_mut(self.rng.usize(..len.max(1))) {
                        *b = self.rng.u8(..);
                    }
                }
            }
            // Insert random bytes.
            2 => {
                let at = self.rng.usize(..=len);
                let bytes: Vec<u8> = (0..self.rng.usize(1..16))
                    .map(|_| self.rng.u8(..))
                    .collect();
                input.splice(at..at, bytes);
            }
            // Delete a range.
            3 => {
                let a = self.rng.usize(..=len);
                let b = (a + self.rng.usize(..64)).min(len);
                input.drain(a..b);
            }
            // Duplicate an element in place.
            4 | 5 => {
                if let Some((a, b)) = self.element(input) {
                    let copy = input[a..b].to_vec();
                    input.splice(b..b, copy);
                }
            }
            // Remove an element.
            6 => {
                if let Some((a, b)) = self.element(input) {
                    input.drain(a..b);
                }
            }
            // Replace some text between tags with hostile text.
            7 | 8 => {
                let gaps: Vec<usize> = input
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'>')
                    .map(|(i, _)| i + 1)
                    .collect();
                if let Some(&at) = gaps.get(self.rng.usize(..gaps.len().max(1))) {
                    let end = input[at..]
                        .iter()
                        .position(|b| *b == b'<')
                        .map_or(input.len(), |p| p + at);
                    let text = HOSTILE[self.rng.usize(..HOSTILE.len())].as_bytes().to_vec();
                    input.splice(at..end, text);
                }
            }
            // Deep nesting.
            9 => {
                let at = self.rng.usize(..=len);
                let depth = self.rng.usize(1..2000);
                let mut nest = b"<member>".repeat(depth);
                if self.rng.bool() {
                    nest.extend(b"</member>".repeat(depth));
                }
                input.splice(at..at, nest);
            }
            // Splice in a piece of another answer.
            _ => {
                let other = &self.seeds[self.rng.usize(..self.seeds.len())].1;
                let a = self.rng.usize(..other.len());
                let b = (a + self.rng.usize(..512)).min(other.len());
                let at = self.rng.usize(..=len);
                input.splice(at..at, other[a..b].to_vec());
            }
        }
    }
}

/// Writes a crashing input where a developer can replay it.
fn save_crash(name: &str, input: &[u8]) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!(
        "{}-{:016x}.bin",
        name.replace(' ', "_"),
        fxhash(input)
    ));
    let _ = std::fs::write(&file, input);
    file.display().to_string()
}

fn fxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Default, Debug)]
struct Stats {
    executions: u64,
    inputs: u64,
    ok: u64,
    errors: u64,
}

/// Feeds `iterations` inputs through their parser, one other parser and the
/// error parser. Panics (with the saved input's path) on the first failure.
fn run(seed: u64, iterations: u64) -> Stats {
    let mut fuzzer = Fuzzer::new(seed);
    let mut stats = Stats::default();
    // Quiet the default hook: a caught panic is reported below with its input.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    'outer: for _ in 0..iterations {
        let (target, input) = fuzzer.next();
        stats.inputs += 1;
        let other = fuzzer.rng.usize(..PARSERS.len());
        for index in [target, other] {
            let (name, parse) = PARSERS[index];
            stats.executions += 1;
            match catch_unwind(AssertUnwindSafe(|| parse(&input))) {
                Ok(Ok(())) => stats.ok += 1,
                Ok(Err(e)) if e.kind() == ErrorKind::InvalidResponse => stats.errors += 1,
                Ok(Err(e)) => {
                    failure = Some(format!(
                        "{name}: {:?} instead of InvalidResponse ({e}); input {}",
                        e.kind(),
                        save_crash(name, &input)
                    ));
                    break 'outer;
                }
                Err(_) => {
                    failure = Some(format!(
                        "{name} panicked; input {}",
                        save_crash(name, &input)
                    ));
                    break 'outer;
                }
            }
        }
        let status = 400 + fuzzer.rng.u16(..200);
        stats.executions += 1;
        match catch_unwind(AssertUnwindSafe(|| parse_error_response(status, &input))) {
            Ok(parsed) if parsed.status == status => {}
            Ok(parsed) => {
                failure = Some(format!(
                    "parse_error_response changed the status to {}",
                    parsed.status
                ));
                break;
            }
            Err(_) => {
                failure = Some(format!(
                    "parse_error_response panicked; input {}",
                    save_crash("error", &input)
                ));
                break;
            }
        }
    }
    std::panic::set_hook(hook);
    if let Some(f) = failure {
        panic!("fuzz seed {seed:#x}: {f}");
    }
    stats
}

fn seed_from_env(default: u64) -> u64 {
    std::env::var("LBCLOUD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn every_seed_is_a_valid_answer() {
    // Mutations start from answers the parsers accept, so they reach deep code.
    for (target, seed) in seeds().iter().take(PARSERS.len() + 1) {
        let (name, parse) = PARSERS[*target];
        parse(seed).unwrap_or_else(|e| panic!("seed for {name} does not parse: {e}"));
    }
}

#[test]
fn in_suite_fuzz_run() {
    let start = Instant::now();
    let stats = run(seed_from_env(0x1bc1_0d00), 12_000);
    println!("in-suite fuzz: {stats:?} in {:?}", start.elapsed());
    // The mix must exercise both outcomes, or the mutator is broken.
    assert!(stats.ok > 100 && stats.errors > 1000, "{stats:?}");
}

/// The long run; see the module docs for the command.
#[test]
#[ignore = "long fuzz run: LBCLOUD_FUZZ_ITERS=2000000 cargo test --release --test reliability_fuzz -- --ignored --nocapture"]
fn long_fuzz_run() {
    let iterations = std::env::var("LBCLOUD_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let start = Instant::now();
    let stats = run(seed_from_env(0x5eed_0ff2), iterations);
    println!("long fuzz run: {stats:?} in {:?}", start.elapsed());
}

/// Writes the seed corpus of the cargo-fuzz target `response_parsers`:
/// each seed prefixed with its parser's selector byte (the index in
/// `PARSERS`, the same order as in `fuzz/fuzz_targets/response_parsers.rs`).
#[test]
#[ignore = "writes fuzz/seeds/; run after changing the seeds"]
fn write_cargo_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let parsers = root.join("response_parsers");
    let errors = root.join("error_response");
    std::fs::create_dir_all(&parsers).unwrap();
    std::fs::create_dir_all(&errors).unwrap();
    for (i, (target, body)) in seeds().into_iter().enumerate() {
        let mut input = vec![u8::try_from(target).unwrap()];
        input.extend_from_slice(&body);
        std::fs::write(parsers.join(format!("seed-{i:02}")), input).unwrap();
        let mut error = 400u16.to_be_bytes().to_vec();
        error.extend_from_slice(&body);
        std::fs::write(errors.join(format!("seed-{i:02}")), error).unwrap();
    }
}
