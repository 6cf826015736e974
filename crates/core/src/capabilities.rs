//! What a driver can do, as plain booleans.

use serde::{Deserialize, Serialize};

/// What a driver supports. Every field defaults to `false`; a driver sets
/// what it has and fills the rest with `..Default::default()`.
///
/// Callers read it to adapt (the tutorial uses instance ids on ELB and
/// addresses on the mock); the conformance kit reads it to know which
/// scenarios to run. An operation a driver lacks fails at once with
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported), before any I/O.
///
/// ```
/// use lbcloud_core::Capabilities;
///
/// let caps = Capabilities { health_check: true, member_by_instance: true, ..Default::default() };
/// assert!(!caps.member_by_address);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(clippy::struct_excessive_bools)]
pub struct Capabilities {
    /// Balancers can be renamed.
    pub update_name: bool,
    /// The main listener's port can be changed.
    pub update_port: bool,
    /// The main listener's protocol can be changed.
    pub update_protocol: bool,
    /// The algorithm can be changed after creation.
    pub update_algorithm: bool,
    /// The caller can choose the algorithm at creation.
    pub choose_algorithm: bool,
    /// Members can be named by compute instance id.
    pub member_by_instance: bool,
    /// Members can be named by address and port.
    pub member_by_address: bool,
    /// Members carry a weight.
    pub member_weight: bool,
    /// Several members are attached or detached in one provider call.
    pub batch_members: bool,
    /// A balancer can have more than one listener.
    pub multiple_listeners: bool,
    /// Health checks can be set and read.
    pub health_check: bool,
    /// Member health (in service / out of service, with a reason) can be read.
    pub member_health: bool,
    /// Balancers are placed in availability zones.
    pub zones: bool,
    /// Listings are paginated by the provider and streamed page by page.
    pub paginated_listing: bool,
}

impl Capabilities {
    /// Whether any field of an update is supported.
    pub fn can_update(&self) -> bool {
        self.update_name || self.update_port || self.update_protocol || self.update_algorithm
    }
}
