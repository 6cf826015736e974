//! `ElbBalancerDescription` <-> core `Balancer`.
//!
//! The common fields map onto `Balancer`'s own; every other field goes into
//! `Balancer::extra` under its AWS name, as the JSON form of its model type
//! (see [`crate::model`]). The values are built by hand, moving the parsed
//! strings instead of serializing them (which would copy each one): this runs
//! for every balancer of every page. A test checks the hand-built values
//! equal `serde_json::to_value` of the model, so [`from_balancer`] can read
//! them back with serde.
//!
//! [`from_balancer`]: ElbBalancerDescription::from_balancer

use lbcloud_core::{Balancer, Error, ErrorKind, Extra, Result, State};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::{
    BackendServerDescription, ElbBalancerDescription, HealthCheckDescription, ListenerDescription,
    Policies, SourceSecurityGroup,
};

/// The `extra` keys an ELB [`Balancer`] carries, AWS field names all.
///
/// `Policies`, `BackendServerDescriptions`, `Subnets`, `Instances` and
/// `SecurityGroups` are always present (possibly empty); the others only when
/// AWS sent them. `HealthCheck` is present only when the server's health
/// check target could not be parsed into a
/// [`HealthCheck`](lbcloud_core::HealthCheck) (then
/// `Balancer::health_check` is `None` and the raw check is kept here rather
/// than failing the whole page); `CreatedTime` never is (it is
/// `Balancer::created_at`).
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

impl ElbBalancerDescription {
    /// The provider-neutral form: id and name are the balancer name, state
    /// `Running` (ELB reports no state), `ip` the DNS name, `port` and
    /// `protocol` those of the first listener, `listeners` with their policy
    /// names, zones, creation time and health check; the rest in `extra`
    /// under [`EXTRA_KEYS`].
    pub fn into_balancer(self) -> Balancer {
        let mut extra = Extra::new();
        put_opt(
            &mut extra,
            "CanonicalHostedZoneName",
            self.canonical_hosted_zone_name,
        );
        put_opt(
            &mut extra,
            "CanonicalHostedZoneNameID",
            self.canonical_hosted_zone_name_id,
        );
        extra.insert("Policies".into(), policies_value(self.policies));
        extra.insert(
            "BackendServerDescriptions".into(),
            Value::Array(
                self.backend_server_descriptions
                    .into_iter()
                    .map(backend_value)
                    .collect(),
            ),
        );
        extra.insert("Subnets".into(), strings(self.subnets));
        put_opt(&mut extra, "VPCId", self.vpc_id);
        extra.insert("Instances".into(), strings(self.instances));
        if let Some(g) = self.source_security_group {
            extra.insert("SourceSecurityGroup".into(), source_group_value(g));
        }
        extra.insert("SecurityGroups".into(), strings(self.security_groups));
        put_opt(&mut extra, "Scheme", self.scheme);

        let health_check = match self.health_check {
            None => None,
            Some(raw) => match raw.to_health_check() {
                Ok(hc) => Some(hc),
                Err(_) => {
                    extra.insert("HealthCheck".into(), health_value(raw));
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
        let first = listeners.first();
        Balancer {
            id: self.load_balancer_name.clone(),
            name: self.load_balancer_name,
            state: State::Running,
            ip: self.dns_name,
            port: first.map(|l| l.port),
            protocol: first.map(|l| l.protocol),
            health_check,
            zones: self.availability_zones,
            created_at: self.created_time,
            extra,
            listeners,
        }
    }

    /// The typed description back from a [`Balancer`] an ELB driver returned
    /// (the inverse of [`into_balancer`](Self::into_balancer)).
    ///
    /// Fails with `InvalidInput` when an `extra` value does not have its
    /// model type's shape (a balancer built by hand or by another driver).
    pub fn from_balancer(b: &Balancer) -> Result<Self> {
        let health_check = match &b.health_check {
            Some(hc) => Some(HealthCheckDescription::from(hc)),
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
    match extra.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("is not an ELB {key} value: {e}"),
            )
            .with_field(format!("extra.{key}"))
        }),
    }
}

fn put_opt(extra: &mut Extra, key: &str, value: Option<String>) {
    if let Some(v) = value {
        extra.insert(key.into(), Value::String(v));
    }
}

fn strings(items: Vec<String>) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    let mut m = Map::new();
    for (k, v) in fields {
        m.insert(k.into(), v);
    }
    Value::Object(m)
}

fn policies_value(p: Policies) -> Value {
    let app = p
        .app_cookie_stickiness
        .into_iter()
        .map(|a| {
            object([
                ("PolicyName", Value::String(a.policy_name)),
                ("CookieName", Value::String(a.cookie_name)),
            ])
        })
        .collect();
    let lb = p
        .lb_cookie_stickiness
        .into_iter()
        .map(|l| {
            let mut m = Map::new();
            m.insert("PolicyName".into(), Value::String(l.policy_name));
            if let Some(e) = l.cookie_expiration_period {
                m.insert("CookieExpirationPeriod".into(), Value::from(e));
            }
            Value::Object(m)
        })
        .collect();
    object([
        ("AppCookieStickinessPolicies", Value::Array(app)),
        ("LBCookieStickinessPolicies", Value::Array(lb)),
        ("OtherPolicies", strings(p.other_policies)),
    ])
}

fn backend_value(b: BackendServerDescription) -> Value {
    object([
        ("InstancePort", Value::from(b.instance_port)),
        ("PolicyNames", strings(b.policy_names)),
    ])
}

fn source_group_value(g: SourceSecurityGroup) -> Value {
    object([
        ("OwnerAlias", Value::String(g.owner_alias)),
        ("GroupName", Value::String(g.group_name)),
    ])
}

fn health_value(h: HealthCheckDescription) -> Value {
    object([
        ("Target", Value::String(h.target)),
        ("Interval", Value::from(h.interval)),
        ("Timeout", Value::from(h.timeout)),
        ("UnhealthyThreshold", Value::from(h.unhealthy_threshold)),
        ("HealthyThreshold", Value::from(h.healthy_threshold)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppCookieStickinessPolicy, LbCookieStickinessPolicy};

    fn policies() -> Policies {
        Policies {
            app_cookie_stickiness: vec![AppCookieStickinessPolicy {
                policy_name: "app".into(),
                cookie_name: "SESSION".into(),
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
    fn hand_built_values_equal_the_serde_form() {
        let p = policies();
        assert_eq!(policies_value(p.clone()), serde_json::to_value(&p).unwrap());
        let b = BackendServerDescription {
            instance_port: 8443,
            policy_names: vec!["auth".into()],
        };
        assert_eq!(backend_value(b.clone()), serde_json::to_value(&b).unwrap());
        let g = SourceSecurityGroup {
            owner_alias: "amazon-elb".into(),
            group_name: "amazon-elb-sg".into(),
        };
        assert_eq!(
            source_group_value(g.clone()),
            serde_json::to_value(&g).unwrap()
        );
        let h = HealthCheckDescription {
            target: "GOPHER:70".into(),
            interval: 30,
            timeout: 5,
            unhealthy_threshold: 2,
            healthy_threshold: 10,
        };
        assert_eq!(health_value(h.clone()), serde_json::to_value(&h).unwrap());
    }

    #[test]
    fn a_bad_extra_value_is_invalid_input() {
        let mut b = Balancer::default();
        b.extra.insert("Policies".into(), Value::from(3));
        let err = ElbBalancerDescription::from_balancer(&b).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.field(), Some("extra.Policies"));
    }
}
