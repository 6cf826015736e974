//! ELB-specific behaviour of `ElbDriver` against a local moto server:
//! multi-page listings, multi-listener balancers read back field by field,
//! health checks, batch membership, instance health, error mapping and
//! credentials from a shared credentials file.
//!
//! # Moto 5.2.5 and a missing balancer
//!
//! Probed action by action (every action with `LoadBalancerName` set to a
//! balancer that does not exist):
//!
//! - `LoadBalancerNotFound` (HTTP 400, AWS error XML):
//!   `DescribeLoadBalancers`, `DescribeInstanceHealth`,
//!   `DescribeLoadBalancerPolicies`, `AddTags`, `DescribeTags`, `RemoveTags`.
//! - **Bare HTML page with HTTP 500** (moto raises a Python `KeyError`):
//!   `RegisterInstancesWithLoadBalancer`,
//!   `DeregisterInstancesFromLoadBalancer`, `ConfigureHealthCheck`,
//!   `DeleteLoadBalancerListeners`, `DescribeLoadBalancerAttributes`,
//!   `ModifyLoadBalancerAttributes`, `EnableAvailabilityZonesForLoadBalancer`,
//!   `DisableAvailabilityZonesForLoadBalancer`,
//!   `CreateLBCookieStickinessPolicy`, `CreateAppCookieStickinessPolicy`,
//!   `CreateLoadBalancerPolicy`, `DeleteLoadBalancerPolicy`,
//!   `SetLoadBalancerPoliciesOfListener`,
//!   `SetLoadBalancerPoliciesForBackendServer`,
//!   `AttachLoadBalancerToSubnets`, `DetachLoadBalancerFromSubnets`.
//! - Success (HTTP 200): `DeleteLoadBalancer` (as on AWS, where deleting a
//!   missing balancer succeeds), and, unlike AWS,
//!   `CreateLoadBalancerListeners` and `SetLoadBalancerListenerSSLCertificate`.
//! - `ValidationError` (HTTP 400): `ApplySecurityGroupsToLoadBalancer`.
//!
//! The transport turns a bare HTML 500 into an `ErrorKind::Provider` error
//! with status 500 and no AWS code (after its retries, since 5xx is
//! retryable). For the `Driver` operations that hit such an answer
//! (attach, detach, set health check, update), `ElbDriver` then asks
//! `DescribeLoadBalancers` whether the balancer exists and returns
//! `NotFound` carrying status 500 and the provider error as its source;
//! [`errors_for_a_missing_balancer`] checks both layers. The `ex_` methods
//! are covered by their own tests.
//!
//! Other moto gaps these tests work around and document:
//! `RegisterInstancesWithLoadBalancer` answers with an empty `<Instances/>`
//! (AWS lists every registered instance; the driver then reads the members
//! back), `DescribeInstanceHealth` sends `N/A` as reason code and
//! description, and `CanonicalHostedZoneNameID` is never sent.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
use lbcloud_peer_tests::moto;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use lbcloud::elb::model::ElbBalancerDescription;
use lbcloud::elb::{ElbDriver, Env, RetryConfig};
use lbcloud::{
    Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, HealthState, Listener, Member,
    Protocol, Scheme, UpdateBalancer,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A region only [`listing_30_balancers_with_page_size_7`] uses, so its
/// page count is exact while other tests create and destroy balancers in
/// [`moto::REGION`] (moto's `Marker` is a balancer name; deleting it between
/// two pages makes moto fail the next page).
const PAGING_REGION: &str = "eu-west-3";

fn driver_in(region: &str, page_size: u32) -> ElbDriver {
    ElbDriver::builder()
        .key("AKIDMOTOTEST")
        .secret("moto-test-secret")
        .region(region)
        .endpoint(moto::endpoint())
        .page_size(page_size)
        .request_timeout(Duration::from_secs(20))
        .retry(RetryConfig::default().with_total_budget(Duration::from_secs(60)))
        .build()
        .unwrap()
}

/// A balancer value naming `name`, for calls on balancers that do not exist.
fn named(name: &str) -> Balancer {
    let mut b = Balancer::new(name, name);
    b.port = Some(80);
    b.protocol = Some(Protocol::Http);
    b
}

fn ids(members: &[Member]) -> Vec<String> {
    let mut v: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn listing_30_balancers_with_page_size_7() {
    let driver = driver_in(PAGING_REGION, 7);
    // The region is this test's alone: clear what a crashed run left.
    for old in driver.list_balancers().await.unwrap() {
        driver.destroy_balancer(&old).await.unwrap();
    }
    let zone = format!("{PAGING_REGION}a");
    let mut names = Vec::new();
    for i in 0..30 {
        let name = moto::unique_name(&format!("pg{i:02}"));
        driver
            .create_balancer(CreateBalancer::new(&name, 80, Protocol::Http).zones([&zone]))
            .await
            .unwrap();
        names.push(name);
    }

    let mut pages = Vec::new();
    let mut stream = driver.list_balancers_pages();
    while let Some(page) = stream.next().await {
        pages.push(page.unwrap());
        assert!(pages.len() <= 10, "the page stream does not end");
    }
    drop(stream);
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [7, 7, 7, 7, 2]);

    let streamed: Vec<Balancer> = pages.into_iter().flatten().collect();
    let listed = driver.list_balancers().await.unwrap();
    assert_eq!(listed, streamed, "Vec form = concatenated pages");
    let listed_names: Vec<String> = listed.iter().map(|b| b.name.clone()).collect();
    assert_eq!(sorted(listed_names.clone()), sorted(names.clone()));
    let unique: HashSet<&String> = listed_names.iter().collect();
    assert_eq!(unique.len(), 30, "every balancer exactly once");

    for b in &listed {
        driver.destroy_balancer(b).await.unwrap();
    }
    assert!(driver.list_balancers().await.unwrap().is_empty());
}

#[tokio::test]
async fn multi_listener_create_reads_back_every_field() {
    let driver = moto::elb();
    let instances = moto::run_instances(2).await;
    let name = moto::unique_name("multi");
    let check = HealthCheck::new("HTTP:8080/ping")
        .unwrap()
        .interval(Duration::from_secs(15))
        .timeout(Duration::from_secs(4))
        .healthy_threshold(3)
        .unhealthy_threshold(6);
    let created = driver
        .create_balancer(
            CreateBalancer::new(&name, 80, Protocol::Http)
                .instance_port(8080)
                .instance_protocol(Protocol::Http)
                .listener(Listener::new(443, Protocol::Tcp, 8443))
                .zones(moto::ZONES)
                .scheme(Scheme::Internal)
                .health_check(check.clone())
                .members(instances.iter().map(Member::instance)),
        )
        .await
        .unwrap();

    let got = driver.get_balancer(&name).await.unwrap();
    assert_eq!(created, got, "create answers with what get reads back");
    assert_eq!((got.id.as_str(), got.name.as_str()), (&*name, &*name));
    let dns = got.ip.clone().expect("the DNS name is the address");
    assert!(dns.starts_with(&name), "{dns}");
    assert_eq!((got.port, got.protocol), (Some(80), Some(Protocol::Http)));
    assert_eq!(
        got.listeners,
        [
            Listener::new(80, Protocol::Http, 8080).instance_protocol(Protocol::Http),
            // ELB fills in the member-side protocol of a TCP listener.
            Listener::new(443, Protocol::Tcp, 8443).instance_protocol(Protocol::Tcp),
        ]
    );
    assert_eq!(got.zones, moto::ZONES);
    assert_eq!(got.health_check, Some(check));
    assert!(got.created_at.is_some());

    let d = ElbBalancerDescription::from_balancer(&got).unwrap();
    assert_eq!(d.scheme(), Some(Scheme::Internal));
    assert_eq!(sorted(d.instances.clone()), sorted(instances.clone()));
    assert_eq!(d.canonical_hosted_zone_name.as_deref(), Some(&*dns));
    assert!(d.vpc_id.as_deref().is_some_and(|v| v.starts_with("vpc-")));
    assert_eq!(d.subnets.len(), 2, "one default subnet per zone");
    assert!(!d.security_groups.is_empty());
    let source = d.source_security_group.clone().unwrap();
    assert!(!source.group_name.is_empty() && !source.owner_alias.is_empty());
    assert!(d.backend_server_descriptions.is_empty());
    assert!(
        d.listener_descriptions
            .iter()
            .all(|l| l.policy_names.is_empty())
    );

    let members = driver.balancer_list_members(&got).await.unwrap();
    assert_eq!(ids(&members), sorted(instances));
    let listed = driver.list_balancers().await.unwrap();
    assert_eq!(listed.iter().find(|b| b.name == name), Some(&got));

    driver.destroy_balancer(&got).await.unwrap();
    let gone = driver.get_balancer(&name).await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn health_check_round_trip() {
    let driver = moto::elb();
    let name = moto::unique_name("hc");
    let b = driver
        .create_balancer(
            CreateBalancer::new(&name, 80, Protocol::Http)
                .instance_port(8080)
                .zones(moto::ZONES),
        )
        .await
        .unwrap();
    assert_eq!(b.health_check, None, "moto sends no default health check");
    assert_eq!(driver.get_health_check(&b).await.unwrap(), None);

    for check in [
        HealthCheck::new("TCP:8080").unwrap(),
        HealthCheck::new("HTTP:8080/health?deep=1")
            .unwrap()
            .interval(Duration::from_secs(20))
            .timeout(Duration::from_secs(3))
            .healthy_threshold(2)
            .unhealthy_threshold(10),
        HealthCheck::new("HTTPS:8443/")
            .unwrap()
            .interval(Duration::from_secs(300))
            .timeout(Duration::from_secs(60)),
    ] {
        let stored = driver.set_health_check(&b, check.clone()).await.unwrap();
        assert_eq!(stored, check, "set_health_check's answer");
        assert_eq!(
            driver.get_health_check(&b).await.unwrap(),
            Some(check.clone())
        );
        let got = driver.get_balancer(&name).await.unwrap();
        assert_eq!(got.health_check, Some(check));
    }
    driver.destroy_balancer(&b).await.unwrap();
}

/// A loopback TCP proxy in front of moto that keeps what clients send, so
/// a test can count the requests of each action.
struct CountingProxy {
    url: String,
    sent: Arc<Mutex<Vec<Kept>>>,
}

/// What one proxied connection sent, shared with its copying task.
type Kept = Arc<Mutex<Vec<u8>>>;

/// The most bytes the proxy keeps per connection.
const PROXY_KEEP: usize = 1 << 20;

impl CountingProxy {
    async fn start() -> Self {
        let upstream = moto::endpoint()
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sent: Arc<Mutex<Vec<Kept>>> = Arc::default();
        let conns = Arc::clone(&sent);
        // Ends with the test's runtime.
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    continue;
                };
                let kept: Kept = Arc::default();
                conns.lock().unwrap().push(Arc::clone(&kept));
                tokio::spawn(pipe(client, server, kept));
            }
        });
        Self { url, sent }
    }

    /// How many requests named `action` went through.
    fn count(&self, action: &str) -> usize {
        let needle = format!("Action={action}");
        let conns = self.sent.lock().unwrap();
        conns
            .iter()
            .map(|c| {
                let bytes = c.lock().unwrap();
                let text = String::from_utf8_lossy(&bytes);
                text.match_indices(&needle)
                    .filter(|(i, _)| {
                        let next = text[i + needle.len()..].chars().next();
                        !next.is_some_and(|c| c.is_ascii_alphanumeric())
                    })
                    .count()
            })
            .sum()
    }

    /// Whether any request carried `text`.
    fn saw(&self, text: &str) -> bool {
        let conns = self.sent.lock().unwrap();
        conns
            .iter()
            .any(|c| String::from_utf8_lossy(&c.lock().unwrap()).contains(text))
    }
}

async fn pipe(client: TcpStream, server: TcpStream, kept: Kept) {
    let (mut client_rx, mut client_tx) = client.into_split();
    let (mut server_rx, mut server_tx) = server.into_split();
    let up = async move {
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = match client_rx.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let data = &chunk[..n];
            {
                let mut k = kept.lock().unwrap();
                if k.len() + n <= PROXY_KEEP {
                    k.extend_from_slice(data);
                }
            }
            if server_tx.write_all(data).await.is_err() {
                break;
            }
        }
        let _ = server_tx.shutdown().await;
    };
    let down = async move {
        let _ = tokio::io::copy(&mut server_rx, &mut client_tx).await;
        let _ = client_tx.shutdown().await;
    };
    tokio::join!(up, down);
}

fn elb_via(url: &str) -> ElbDriver {
    ElbDriver::builder()
        .key("AKIDMOTOTEST")
        .secret("moto-test-secret")
        .region(moto::REGION)
        .endpoint(url)
        .request_timeout(Duration::from_secs(20))
        .retry(RetryConfig::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn batch_register_and_deregister_send_one_request_each() {
    let proxy = CountingProxy::start().await;
    let driver = elb_via(&proxy.url);
    let instances = moto::run_instances(3).await;
    let name = moto::unique_name("batch");
    let b = driver
        .create_balancer(CreateBalancer::new(&name, 80, Protocol::Http).zones(moto::ZONES))
        .await
        .unwrap();
    assert_eq!(proxy.count("RegisterInstancesWithLoadBalancer"), 0);

    let members: Vec<Member> = instances.iter().map(Member::instance).collect();
    let attached = driver
        .balancer_attach_members(&b, members.clone())
        .await
        .unwrap();
    assert_eq!(ids(&attached), sorted(instances.clone()));
    assert_eq!(proxy.count("RegisterInstancesWithLoadBalancer"), 1);
    let listed = driver.balancer_list_members(&b).await.unwrap();
    assert_eq!(ids(&listed), sorted(instances.clone()));

    // Attaching members already attached is a no-op for ELB, in one request.
    let again = driver
        .balancer_attach_members(&b, members[..2].to_vec())
        .await
        .unwrap();
    assert_eq!(ids(&again), sorted(instances[..2].to_vec()));
    assert_eq!(proxy.count("RegisterInstancesWithLoadBalancer"), 2);

    driver
        .balancer_detach_members(&b, &members[..2])
        .await
        .unwrap();
    assert_eq!(proxy.count("DeregisterInstancesFromLoadBalancer"), 1);
    let rest = driver.balancer_list_members(&b).await.unwrap();
    assert_eq!(ids(&rest), [instances[2].clone()]);

    // A batch with one bad member sends nothing.
    let err = driver
        .balancer_attach_members(&b, vec![members[0].clone(), Member::default()])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("members[1].id"));
    assert_eq!(proxy.count("RegisterInstancesWithLoadBalancer"), 2);
    // So does a batch naming a member by address: ELB has none.
    let err = driver
        .balancer_attach_members(&b, vec![Member::address("192.0.2.1", 80)])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert_eq!(proxy.count("RegisterInstancesWithLoadBalancer"), 2);

    driver.destroy_balancer(&b).await.unwrap();
}

#[tokio::test]
async fn instance_health_of_running_instances() {
    let driver = moto::elb();
    let instances = moto::run_instances(2).await;
    let name = moto::unique_name("health");
    let b = driver
        .create_balancer(
            CreateBalancer::new(&name, 80, Protocol::Http)
                .zones(moto::ZONES)
                .members(instances.iter().map(Member::instance)),
        )
        .await
        .unwrap();
    let health = driver.balancer_member_health(&b).await.unwrap();
    let mut reported: Vec<String> = health.iter().map(|h| h.member_id.clone()).collect();
    reported.sort();
    assert_eq!(reported, sorted(instances.clone()));
    for h in &health {
        assert_eq!(h.state, HealthState::InService, "{h:?}");
        assert_eq!(h.provider_state.as_deref(), Some("InService"), "{h:?}");
        // moto sends `N/A` for both; AWS sends them only when out of service.
        for text in [&h.reason_code, &h.description].into_iter().flatten() {
            assert!(!text.trim().is_empty(), "{h:?}");
        }
    }

    driver
        .balancer_detach_member(&b, &Member::instance(&instances[0]))
        .await
        .unwrap();
    let health = driver.balancer_member_health(&b).await.unwrap();
    let reported: Vec<&str> = health.iter().map(|h| h.member_id.as_str()).collect();
    assert_eq!(reported, [instances[1].as_str()]);
    driver.destroy_balancer(&b).await.unwrap();
    let err = driver.balancer_member_health(&b).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn errors_for_a_missing_balancer() {
    let driver = moto::elb();
    let name = moto::unique_name("ghost");
    let ghost = named(&name);
    let instance = Member::instance("i-0123456789abcdef0");

    // Answered by moto with LoadBalancerNotFound (HTTP 400).
    let err = driver.get_balancer(&name).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("LoadBalancerNotFound"));
    assert_eq!(err.operation(), Some("get_balancer"));
    for err in [
        driver.balancer_list_members(&ghost).await.unwrap_err(),
        driver.get_health_check(&ghost).await.unwrap_err(),
        driver.balancer_member_health(&ghost).await.unwrap_err(),
        driver
            .update_balancer(&ghost, UpdateBalancer::new().port(81))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        assert_eq!(err.status(), Some(400), "{err}");
        assert_eq!(err.code(), Some("LoadBalancerNotFound"), "{err}");
    }

    // Answered by moto with a bare HTML 500: NotFound after the driver
    // checked, keeping the status and the provider's error as the source.
    for (operation, err) in [
        (
            "balancer_attach_members",
            driver
                .balancer_attach_member(&ghost, instance.clone())
                .await
                .unwrap_err(),
        ),
        (
            "balancer_detach_members",
            driver
                .balancer_detach_member(&ghost, &instance)
                .await
                .unwrap_err(),
        ),
        (
            "set_health_check",
            driver
                .set_health_check(&ghost, HealthCheck::new("TCP:80").unwrap())
                .await
                .unwrap_err(),
        ),
    ] {
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        assert_eq!(err.status(), Some(500), "{err}");
        assert_eq!(err.operation(), Some(operation), "{err}");
        assert!(err.to_string().contains(&name), "{err}");
        let source = std::error::Error::source(&err)
            .and_then(|s| s.downcast_ref::<lbcloud::Error>())
            .expect("the provider's error is the source");
        assert_eq!(source.kind(), ErrorKind::Provider, "{source}");
        assert_eq!(source.status(), Some(500), "{source}");
        assert_eq!(source.code(), None, "{source}");
    }

    // DeleteLoadBalancer of a missing balancer succeeds, as on AWS.
    driver.destroy_balancer(&ghost).await.unwrap();
}

#[tokio::test]
async fn duplicate_name_is_already_exists() {
    let driver = moto::elb();
    let name = moto::unique_name("dup");
    let b = driver
        .create_balancer(CreateBalancer::new(&name, 80, Protocol::Http).zones(moto::ZONES))
        .await
        .unwrap();
    let err = driver
        .create_balancer(CreateBalancer::new(&name, 81, Protocol::Tcp).zones(moto::ZONES))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err}");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("DuplicateLoadBalancerName"));
    assert_eq!(err.operation(), Some("create_balancer"));
    assert!(!err.is_retryable());
    // The first balancer is untouched.
    let got = driver.get_balancer(&name).await.unwrap();
    assert_eq!(got.listeners, b.listeners);
    let same_name = driver
        .list_balancers()
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.name == name)
        .count();
    assert_eq!(same_name, 1);
    driver.destroy_balancer(&b).await.unwrap();
}

#[tokio::test]
async fn credentials_from_a_named_profile_in_a_credentials_file() {
    let dir = std::env::temp_dir().join(format!("lbcloud-elb-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("credentials");
    let secret = "profile-secret-DO-NOT-PRINT";
    std::fs::write(
        &path,
        format!(
            "[default]\naws_access_key_id = AKIDDEFAULTPROFILE\naws_secret_access_key = other\n\n\
             [moto]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = {secret}\n"
        ),
    )
    .unwrap();
    let env = |profile: &str| {
        Env::from_pairs([
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                path.to_string_lossy().into_owned(),
            ),
            (
                "AWS_CONFIG_FILE",
                dir.join("absent-config").to_string_lossy().into_owned(),
            ),
            ("AWS_PROFILE", profile.to_owned()),
        ])
        .with_home(&dir)
    };

    let proxy = CountingProxy::start().await;
    let driver = ElbDriver::builder()
        .env(env("moto"))
        .region(moto::REGION)
        .endpoint(&proxy.url)
        .build()
        .unwrap();
    assert!(!format!("{driver:?}").contains(secret));
    driver.list_balancers().await.unwrap();
    // moto checks no signature, so look at what was signed with.
    assert!(proxy.saw("Credential=AKIDFROMPROFILE/"));
    assert!(!proxy.saw("AKIDDEFAULTPROFILE"));
    assert!(!proxy.saw(secret));

    // A profile the file does not have fails at build, before any request,
    // naming the profile and the files it looked in, never the secret.
    let err = ElbDriver::builder()
        .env(env("absent"))
        .region(moto::REGION)
        .endpoint(&proxy.url)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
    assert!(err.to_string().contains("`absent`"), "{err}");
    assert!(!err.to_string().contains(secret), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn listing_401_balancers_in_pages_of_400() {
    // Its own region, like the 30-balancer listing; the API's largest page.
    let driver = driver_in("eu-north-1", 400);
    for old in driver.list_balancers().await.unwrap() {
        driver.destroy_balancer(&old).await.unwrap();
    }
    let names: Vec<String> = (0..401).map(|i| format!("big-{i:03}")).collect();
    let created: Vec<_> = futures_util::stream::iter(&names)
        .map(|name| {
            driver.create_balancer(
                CreateBalancer::new(name, 80, Protocol::Http).zones(["eu-north-1a"]),
            )
        })
        .buffer_unordered(4)
        .collect()
        .await;
    assert!(created.iter().all(Result::is_ok));

    let mut sizes = Vec::new();
    let mut stream = driver.list_balancers_pages();
    while let Some(page) = stream.next().await {
        sizes.push(page.unwrap().len());
        assert!(sizes.len() <= 10, "the page stream does not end");
    }
    drop(stream);
    assert_eq!(sizes, [400, 1]);
    let listed = driver.list_balancers().await.unwrap();
    let listed_names: HashSet<String> = listed.iter().map(|b| b.name.clone()).collect();
    assert_eq!(listed.len(), 401);
    assert_eq!(listed_names, names.iter().cloned().collect::<HashSet<_>>());

    let destroyed: Vec<_> = futures_util::stream::iter(&listed)
        .map(|b| driver.destroy_balancer(b))
        .buffer_unordered(4)
        .collect()
        .await;
    assert!(destroyed.iter().all(Result::is_ok));
    assert!(driver.list_balancers().await.unwrap().is_empty());
}
