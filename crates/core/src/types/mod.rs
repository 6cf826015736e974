//! The plain data types of lbcloud: no driver handles, all `Clone + Debug +
//! PartialEq + Serialize + Deserialize`.

mod balancer;
mod enums;
mod extra;
mod health;
mod listener;
mod member;
mod request;

pub use balancer::Balancer;
pub use enums::{Algorithm, HealthState, MemberCondition, MemberKind, Protocol, Scheme, State};
pub use extra::Extra;
pub use health::{HealthCheck, MemberHealth};
pub use listener::Listener;
pub use member::{Member, UpdateMember};
pub use request::{CreateBalancer, UpdateBalancer};

/// Serde for a [`std::time::Duration`] as whole milliseconds, the JSON form
/// of every duration in the data model (`"interval_ms": 500`).
pub(crate) mod duration_ms {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}
