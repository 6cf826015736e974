//! `ElbBalancerDescription` <-> core `Balancer`.
//!
//! The common fields map onto `Balancer`'s own; every other field goes into
//! `Balancer::extra` under its AWS name, as the JSON form of its model type
//! (see [`crate::model`]). Each value is written straight to its compact
//! JSON text ([`Extra::insert_raw`]) from the parsed model, with no
//! `serde_json::Value` tree in between: this runs for every balancer of
//! every page, and the trees' map nodes cost several times the data.
//! [`from_balancer`] reads the texts back with serde.
//!
//! [`from_balancer`]: ElbBalancerDescription::from_balancer

use lbcloud_core::{Algorithm, Balancer, Error, ErrorKind, Extra, Protocol, Result, State};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{ElbBalancerDescription, HealthCheckDescription, ListenerDescription};

/// The `extra` keys an ELB [`Balancer`] carries, AWS field names all.
///
/// `Policies`, `BackendServerDescriptions`, `Subnets`, `Instances` and
/// `SecurityGroups` are always present (possibly empty); the others only when
/// AWS sent them. `HealthCheck` is present only when the server's health
/// check target could not be parsed into a
/// [`HealthCheck`](lbcloud_core::HealthCheck) (then
/// `Balancer::health_check` is `None` and the raw check is kept here rather
/// than failing the whole page); `CreatedTime` never is (it is
/// `Balancer::created_at`), nor are tags (they are `Balancer::tags`).
pub const EXTRA_KEYS: &[&str] = &[
    "CanonicalHostedZoneName",
    "CanonicalHostedZoneNameID",
    "Policies",
    "BackendServerDescriptions",
    "Subnets",
    "VPCId",
    "Instances",
    "HealthCheck",
    "SourceSecurityGroup",
    "SecurityGroups",
    "Scheme",
];

/// The algorithm classic ELB uses for a listener protocol, as its
/// documentation states: round robin for TCP and SSL listeners, the
/// fewest outstanding requests for HTTP and HTTPS.
///
/// ```
/// use lbcloud_core::{Algorithm, Protocol};
///
/// assert_eq!(lbcloud_elb::algorithm_for(Protocol::Tcp), Algorithm::RoundRobin);
/// assert_eq!(lbcloud_elb::algorithm_for(Protocol::Https), Algorithm::LeastOutstandingRequests);
/// ```
pub fn algorithm_for(protocol: Protocol) -> Algorithm {
    if protocol.is_http() {
        Algorithm::LeastOutstandingRequests
    } else {
        Algorithm::RoundRobin
    }
}

impl ElbBalancerDescription {
    /// The provider-neutral form: id and name are the balancer name, state
    /// `Running` (ELB reports no state), `ip` the DNS name, `port` and
    /// `protocol` those of the first listener, `listeners` with their policy
    /// names, the `algorithm` ELB uses for the first listener's protocol
    /// ([`algorithm_for`]), zones, creation time and health check; the rest
    /// in `extra` under [`EXTRA_KEYS`]. `tags` stay empty:
    /// `DescribeLoadBalancers` does not return them.
    pub fn into_balancer(self) -> Balancer {
        let mut extra = Extra::with_capacity(10);
        put_opt(
            &mut extra,
            "CanonicalHostedZoneName",
            self.canonical_hosted_zone_name.as_deref(),
        );
        put_opt(
            &mut extra,
            "CanonicalHostedZoneNameID",
            self.canonical_hosted_zone_name_id.as_deref(),
        );
        put(&mut extra, "Policies", &self.policies);
        put(
            &mut extra,
            "BackendServerDescriptions",
            &self.backend_server_descriptions,
        );
        put(&mut extra, "Subnets", &self.subnets);
        put_opt(&mut extra, "VPCId", self.vpc_id.as_deref());
        put(&mut extra, "Instances", &self.instances);
        if let Some(g) = &self.source_security_group {
            put(&mut extra, "SourceSecurityGroup", g);
        }
        put(&mut extra, "SecurityGroups", &self.security_groups);
        put_opt(&mut extra, "Scheme", self.scheme.as_deref());

        let health_check = match self.health_check {
            None => None,
            Some(raw) => match raw.to_health_check() {
                Ok(hc) => Some(hc),
                Err(_) => {
                    put(&mut extra, "HealthCheck", &raw);
                    None
                }
            },
        };
        let listeners: Vec<_> = self
            .listener_descriptions
            .into_iter()
            .map(
                |ListenerDescription {
                     mut listener,
                     policy_names,
                 }| {
                    listener.policies = policy_names;
                    listener
                },
            )
            .collect();
        let algorithm = listeners.first().map(|l| algorithm_for(l.protocol));
        let mut b = Balancer::new(self.load_balancer_name.clone(), self.load_balancer_name)
            .with_state(State::Running)
            .with_listeners(listeners)
            .with_zones(self.availability_zones)
            .with_extra(extra);
        b.ip = self.dns_name;
        b.algorithm = algorithm;
        b.health_check = health_check;
        b.created_at = self.created_time;
        b
    }

    /// The typed description back from a [`Balancer`] an ELB driver returned
    /// (the inverse of [`into_balancer`](Self::into_balancer)).
    ///
    /// Fails with `InvalidInput` when an `extra` value does not have its
    /// model type's shape (a balancer built by hand or by another driver),
    /// or when its health check cannot be said in ELB's form.
    pub fn from_balancer(b: &Balancer) -> Result<Self> {
        let health_check = match &b.health_check {
            Some(hc) => Some(HealthCheckDescription::from_health_check(
                hc,
                b.listeners.first().map(|l| l.instance_port),
            )?),
            None => get(&b.extra, "HealthCheck")?,
        };
        Ok(Self {
            load_balancer_name: b.name.clone(),
            dns_name: b.ip.clone(),
            canonical_hosted_zone_name: get(&b.extra, "CanonicalHostedZoneName")?,
            canonical_hosted_zone_name_id: get(&b.extra, "CanonicalHostedZoneNameID")?,
            listener_descriptions: b
                .listeners
                .iter()
                .map(|l| {
                    let mut listener = l.clone();
                    let policy_names = std::mem::take(&mut listener.policies);
                    ListenerDescription {
                        listener,
                        policy_names,
                    }
                })
                .collect(),
            policies: get(&b.extra, "Policies")?.unwrap_or_default(),
            backend_server_descriptions: get(&b.extra, "BackendServerDescriptions")?
                .unwrap_or_default(),
            availability_zones: b.zones.clone(),
            subnets: get(&b.extra, "Subnets")?.unwrap_or_default(),
            vpc_id: get(&b.extra, "VPCId")?,
            instances: get(&b.extra, "Instances")?.unwrap_or_default(),
            health_check,
            source_security_group: get(&b.extra, "SourceSecurityGroup")?,
            security_groups: get(&b.extra, "SecurityGroups")?.unwrap_or_default(),
            created_time: b.created_at,
            scheme: get(&b.extra, "Scheme")?,
        })
    }
}

impl From<ElbBalancerDescription> for Balancer {
    fn from(d: ElbBalancerDescription) -> Self {
        d.into_balancer()
    }
}

/// Reads `extra[key]` as `T`; `None` when absent or null.
fn get<T: DeserializeOwned>(extra: &Extra, key: &str) -> Result<Option<T>> {
    match extra.get_raw(key) {
        None => Ok(None),
        Some(raw) if raw.get() == "null" => Ok(None),
        Some(raw) => serde_json::from_str(raw.get()).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("is not an ELB {key} value: {e}"),
            )
            .with_field(format!("extra.{key}"))
        }),
    }
}

/// Sets `extra[key]` to the compact JSON text of `value`.
///
/// The model types serialize to plain objects with string keys, which
/// serde_json always encodes, so nothing is ever skipped here.
fn put<V: Serialize + ?Sized>(extra: &mut Extra, key: &'static str, value: &V) {
    if let Ok(raw) = serde_json::value::to_raw_value(value) {
        extra.insert_raw(key, raw);
    }
}

fn put_opt(extra: &mut Extra, key: &'static str, value: Option<&str>) {
    if let Some(v) = value {
        put(extra, key, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        AppCookieStickinessPolicy, BackendServerDescription, LbCookieStickinessPolicy, Policies,
        SourceSecurityGroup,
    };

    fn policies() -> Policies {
        Policies {
            app_cookie_stickiness: vec![AppCookieStickinessPolicy {
                policy_name: "app".into(),
                cookie_name: "SESSION \"x\"".into(),
            }],
            lb_cookie_stickiness: vec![
                LbCookieStickinessPolicy {
                    policy_name: "lb".into(),
                    cookie_expiration_period: Some(300),
                },
                LbCookieStickinessPolicy {
                    policy_name: "lb2".into(),
                    cookie_expiration_period: None,
                },
            ],
            other_policies: vec!["ELBSecurityPolicy-2016-08".into()],
        }
    }

    #[test]
    fn extra_values_are_compact_json_that_reads_back() {
        let d = ElbBalancerDescription {
            load_balancer_name: "web".into(),
            policies: policies(),
            backend_server_descriptions: vec![BackendServerDescription {
                instance_port: 8443,
                policy_names: vec!["auth".into()],
            }],
            source_security_group: Some(SourceSecurityGroup {
                owner_alias: "amazon-elb".into(),
                group_name: "amazon-elb-sg".into(),
            }),
            vpc_id: Some("vpc-1".into()),
            health_check: Some(HealthCheckDescription {
                target: "GOPHER:70".into(),
                interval: 30,
                timeout: 5,
                unhealthy_threshold: 2,
                healthy_threshold: 10,
            }),
            ..ElbBalancerDescription::default()
        };
        let b = d.clone().into_balancer();
        assert_eq!(
            b.extra.get_raw("Policies").map(|r| r.get()),
            Some(
                r#"{"AppCookieStickinessPolicies":[{"PolicyName":"app","CookieName":"SESSION \"x\""}],"LBCookieStickinessPolicies":[{"PolicyName":"lb","CookieExpirationPeriod":300},{"PolicyName":"lb2"}],"OtherPolicies":["ELBSecurityPolicy-2016-08"]}"#
            )
        );
        assert_eq!(b.extra.get::<String>("VPCId").as_deref(), Some("vpc-1"));
        // The unparseable health check is kept raw, and everything reads back.
        assert!(b.health_check.is_none());
        assert_eq!(ElbBalancerDescription::from_balancer(&b).unwrap(), d);
        for key in b.extra.keys() {
            assert!(EXTRA_KEYS.contains(&key), "{key}");
        }
    }

    #[test]
    fn algorithm_follows_the_first_listener() {
        let mut d = ElbBalancerDescription::default();
        assert_eq!(d.clone().into_balancer().algorithm, None);
        d.listener_descriptions.push(ListenerDescription {
            listener: lbcloud_core::Listener::new(25, Protocol::Tcp, 25),
            policy_names: vec![],
        });
        assert_eq!(d.into_balancer().algorithm, Some(Algorithm::RoundRobin));
    }

    #[test]
    fn a_bad_extra_value_is_invalid_input() {
        let mut b = Balancer::default();
        b.extra.insert_json("Policies", serde_json::Value::from(3));
        let err = ElbBalancerDescription::from_balancer(&b).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.field(), Some("extra.Policies"));
    }
}
