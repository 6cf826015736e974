//! The plain data types of lbcloud: no driver handles, all `Clone + Debug +
//! PartialEq + Serialize + Deserialize`.

mod balancer;
mod enums;
mod health;
mod listener;
mod member;
mod request;

pub use balancer::Balancer;
pub use enums::{Algorithm, MemberCondition, Protocol, Provider, Scheme, State};
pub use health::{
    HEALTH_INTERVAL_RANGE, HEALTH_THRESHOLD_RANGE, HEALTH_TIMEOUT_RANGE, HealthCheck, HealthTarget,
    MAX_HEALTH_PATH_LEN, MemberHealth,
};
pub use listener::Listener;
pub use member::{MAX_WEIGHT, Member};
pub use request::{CreateBalancer, UpdateBalancer};

/// Provider data beyond the common fields, as JSON values keyed by the
/// provider's own field names.
pub type Extra = serde_json::Map<String, serde_json::Value>;
