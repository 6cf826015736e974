//! What a driver can do, as plain booleans.

use serde::{Deserialize, Serialize};

/// Declares [`Capabilities`]: one `pub bool` field per flag, a `with_`
/// setter for each, and the list of every flag's name, so adding a flag
/// is one line here and nothing can forget it.
macro_rules! capabilities {
    ($($(#[doc = $doc:literal])+ $field:ident, $setter:ident;)+) => {
        /// What a driver supports. Every flag is off in [`Capabilities::none`];
        /// a driver turns on what it has with the `with_*` setters.
        ///
        /// Callers read it to adapt (the tutorial names members by instance
        /// on ELB and by address elsewhere). The checking layer
        /// ([`CheckedDriver`](crate::CheckedDriver), which wraps every
        /// driver the registry hands out) and the [`check`](crate::check)
        /// functions drivers call at their entry read it to reject, before
        /// any I/O, an operation or a field the driver cannot honour: an
        /// operation it lacks is [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported),
        /// nothing is dropped silently. The conformance kit runs a scenario
        /// per flag: a claimed capability must work, an unclaimed one must
        /// be rejected.
        ///
        /// ```
        /// use lbcloud_core::Capabilities;
        ///
        /// let caps = Capabilities::none().with_health_check(true).with_member_by_instance(true);
        /// assert!(caps.health_check && !caps.member_by_address);
        /// assert!(Capabilities::FLAGS.contains(&"member_weight"));
        /// assert_eq!(caps.flags().filter(|(_, on)| *on).count(), 2);
        /// ```
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[allow(clippy::struct_excessive_bools)]
        #[non_exhaustive]
        pub struct Capabilities {
            $($(#[doc = $doc])+ pub $field: bool,)+
        }

        impl Capabilities {
            /// The name of every flag, in declaration order.
            pub const FLAGS: &'static [&'static str] = &[$(stringify!($field)),+];

            /// Every flag with its value, in declaration order.
            pub fn flags(&self) -> impl Iterator<Item = (&'static str, bool)> {
                [$((stringify!($field), self.$field)),+].into_iter()
            }

            /// Nothing supported; turn flags on with the `with_*` setters.
            pub const fn none() -> Self {
                Self { $($field: false,)+ }
            }

            /// Sets the flag named `name`; an unknown name changes nothing.
            pub fn with(mut self, name: &str, on: bool) -> Self {
                match name {
                    $(stringify!($field) => self.$field = on,)+
                    _ => {}
                }
                self
            }

            /// The value of the flag named `name`, `None` for an unknown name.
            pub fn get(&self, name: &str) -> Option<bool> {
                self.flags().find(|(n, _)| *n == name).map(|(_, on)| on)
            }

            $(
                #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
                pub const fn $setter(mut self, on: bool) -> Self {
                    self.$field = on;
                    self
                }
            )+
        }
    };
}

capabilities! {
    /// Balancers can be renamed.
    update_name, with_update_name;
    /// The main listener's port can be changed.
    update_port, with_update_port;
    /// The main listener's protocol can be changed.
    update_protocol, with_update_protocol;
    /// The algorithm can be changed after creation.
    update_algorithm, with_update_algorithm;
    /// The caller can choose the algorithm at creation.
    choose_algorithm, with_choose_algorithm;
    /// Members can be named by compute instance id.
    member_by_instance, with_member_by_instance;
    /// Instance members can carry their own port (ELBv2 instance targets).
    member_instance_port, with_member_instance_port;
    /// Members can be named by address and port.
    member_by_address, with_member_by_address;
    /// The caller can choose the id of an address member (an HAProxy server name).
    member_named_address, with_member_named_address;
    /// Members carry a weight, set at attach time and changed later.
    member_weight, with_member_weight;
    /// A member's condition (enabled, disabled, draining) can be set and read back.
    member_condition, with_member_condition;
    /// Several members are attached or detached in one provider call.
    batch_members, with_batch_members;
    /// A balancer can have more than one listener.
    multiple_listeners, with_multiple_listeners;
    /// Health checks can be set and read.
    health_check, with_health_check;
    /// Member health (in service / out of service, with a reason) can be read.
    member_health, with_member_health;
    /// Balancers are placed in availability zones chosen at creation.
    zones, with_zones;
    /// Balancers are placed in subnets chosen at creation.
    subnets, with_subnets;
    /// Security groups can be given at creation.
    security_groups, with_security_groups;
    /// The scheme (internet-facing or internal) can be chosen at creation.
    scheme, with_scheme;
    /// Tags can be set at creation and are read back on the balancer.
    tags, with_tags;
    /// Listings are paginated by the provider and streamed page by page.
    paginated_listing, with_paginated_listing;
}

impl Capabilities {
    /// Every flag on (the mock's default).
    pub fn all() -> Self {
        Self::FLAGS
            .iter()
            .fold(Self::none(), |caps, name| caps.with(name, true))
    }

    /// Whether any field of an update is supported.
    pub fn can_update(&self) -> bool {
        self.update_name || self.update_port || self.update_protocol || self.update_algorithm
    }

    /// Whether a member can be changed at all (weight or condition).
    pub fn can_update_member(&self) -> bool {
        self.member_weight || self.member_condition
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_has_a_setter_that_sets_only_it() {
        for name in Capabilities::FLAGS {
            let caps = Capabilities::none().with(name, true);
            assert_eq!(caps.get(name), Some(true), "{name}");
            assert_eq!(caps.flags().filter(|(_, on)| *on).count(), 1, "{name}");
        }
        assert_eq!(Capabilities::all().flags().filter(|(_, on)| !on).count(), 0);
        assert_eq!(Capabilities::none(), Capabilities::default());
        assert_eq!(Capabilities::none().get("teleport"), None);
    }
}
