//! Fault injection: make the next calls of an operation fail, or slow every
//! call down, so users can test their own retry and error paths.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use lbcloud_core::{Error, ErrorKind};

/// An operation of the mock driver that faults can target.
///
/// The names are those of the [`Driver`](lbcloud_core::Driver) methods.
/// `balancer_attach_member` and `balancer_detach_member` go through the
/// batch forms, so [`MockOp::AttachMembers`] and [`MockOp::DetachMembers`]
/// cover them too.
///
/// ```
/// use lbcloud_mock::MockOp;
///
/// assert_eq!("create_balancer".parse::<MockOp>().unwrap(), MockOp::CreateBalancer);
/// assert_eq!(MockOp::ListBalancers.to_string(), "list_balancers");
/// assert!("create_balancers".parse::<MockOp>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MockOp {
    /// Each page of `list_balancers` / `list_balancers_pages`.
    ListBalancers,
    /// `get_balancer`.
    GetBalancer,
    /// `create_balancer`.
    CreateBalancer,
    /// `update_balancer`.
    UpdateBalancer,
    /// `destroy_balancer`.
    DestroyBalancer,
    /// `balancer_list_members`.
    ListMembers,
    /// `balancer_attach_members` (and `balancer_attach_member`).
    AttachMembers,
    /// `balancer_detach_members` (and `balancer_detach_member`).
    DetachMembers,
    /// `balancer_update_member`.
    UpdateMember,
    /// `set_health_check`.
    SetHealthCheck,
    /// `get_health_check`.
    GetHealthCheck,
    /// `balancer_member_health`.
    MemberHealth,
}

impl MockOp {
    /// Every operation, in trait order.
    pub const ALL: [MockOp; 12] = [
        Self::ListBalancers,
        Self::GetBalancer,
        Self::CreateBalancer,
        Self::UpdateBalancer,
        Self::DestroyBalancer,
        Self::ListMembers,
        Self::AttachMembers,
        Self::DetachMembers,
        Self::UpdateMember,
        Self::SetHealthCheck,
        Self::GetHealthCheck,
        Self::MemberHealth,
    ];

    /// The operation's name: the `Driver` method it stands for.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ListBalancers => "list_balancers",
            Self::GetBalancer => "get_balancer",
            Self::CreateBalancer => "create_balancer",
            Self::UpdateBalancer => "update_balancer",
            Self::DestroyBalancer => "destroy_balancer",
            Self::ListMembers => "balancer_list_members",
            Self::AttachMembers => "balancer_attach_members",
            Self::DetachMembers => "balancer_detach_members",
            Self::UpdateMember => "balancer_update_member",
            Self::SetHealthCheck => "set_health_check",
            Self::GetHealthCheck => "get_health_check",
            Self::MemberHealth => "balancer_member_health",
        }
    }
}

impl fmt::Display for MockOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MockOp {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|op| op.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|op| op.as_str()).collect();
                Error::invalid_input(
                    "operation",
                    format!("must be one of {}, got {s:?}", names.join(", ")),
                )
            })
    }
}

/// The pending faults and the added latency of one driver.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: HashMap<MockOp, (u32, ErrorKind)>,
    latency: Duration,
}

impl Faults {
    /// Fails the next `times` calls of `op` with `kind` (replacing any
    /// fault already pending for `op`; `times == 0` clears it).
    pub(crate) fn fail_next(&mut self, op: MockOp, times: u32, kind: ErrorKind) {
        if times == 0 {
            self.pending.remove(&op);
        } else {
            self.pending.insert(op, (times, kind));
        }
    }

    /// Clears every pending fault (the latency stays).
    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }

    /// Sets the latency added before every call.
    pub(crate) fn set_latency(&mut self, latency: Duration) {
        self.latency = latency;
    }

    /// The latency added before every call.
    pub(crate) fn latency(&self) -> Duration {
        self.latency
    }

    /// Consumes one pending fault of `op`, if any, as the error to return.
    pub(crate) fn take(&mut self, op: MockOp) -> Option<Error> {
        let (left, kind) = self.pending.get_mut(&op)?;
        let kind = *kind;
        *left = left.saturating_sub(1);
        let remaining = *left;
        if remaining == 0 {
            self.pending.remove(&op);
        }
        let mut err = Error::new(
            kind,
            format!("injected fault ({remaining} more pending for this operation)"),
        )
        .with_provider("mock")
        .with_operation(op.as_str())
        .with_code("InjectedFault");
        if kind == ErrorKind::Provider {
            // A server fault, so `is_retryable` answers as for a real 5xx.
            err = err.with_status(500);
        }
        Some(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_fires_exactly_n_times() {
        let mut f = Faults::default();
        f.fail_next(MockOp::GetBalancer, 2, ErrorKind::Throttled);
        assert!(f.take(MockOp::CreateBalancer).is_none());
        let first = f.take(MockOp::GetBalancer).unwrap();
        assert_eq!(first.kind(), ErrorKind::Throttled);
        assert_eq!(first.operation(), Some("get_balancer"));
        assert!(first.is_retryable());
        assert!(f.take(MockOp::GetBalancer).is_some());
        assert!(f.take(MockOp::GetBalancer).is_none());
    }

    #[test]
    fn zero_times_and_clear_remove_faults() {
        let mut f = Faults::default();
        f.fail_next(MockOp::GetBalancer, 3, ErrorKind::Timeout);
        f.fail_next(MockOp::GetBalancer, 0, ErrorKind::Timeout);
        assert!(f.take(MockOp::GetBalancer).is_none());
        f.fail_next(MockOp::ListMembers, 1, ErrorKind::Provider);
        f.clear();
        assert!(f.take(MockOp::ListMembers).is_none());
    }

    #[test]
    fn provider_faults_look_like_server_errors() {
        let mut f = Faults::default();
        f.fail_next(MockOp::ListBalancers, 1, ErrorKind::Provider);
        let err = f.take(MockOp::ListBalancers).unwrap();
        assert_eq!(err.status(), Some(500));
        assert!(err.is_retryable());
    }

    #[test]
    fn every_name_parses_back() {
        for op in MockOp::ALL {
            assert_eq!(op.as_str().parse::<MockOp>().unwrap(), op);
        }
        let err = "nope".parse::<MockOp>().unwrap_err();
        assert_eq!(err.field(), Some("operation"));
    }
}
