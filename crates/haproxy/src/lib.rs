//! # lbcloud-haproxy
//!
//! The HAProxy driver of lbcloud. It owns one config file that HAProxy
//! loads beside the user's own (`haproxy -W -S master.sock -f base.cfg -f
//! lbcloud.cfg`), rewrites it atomically for balancer-level changes,
//! checks it with `haproxy -c` and reloads through the master CLI; member
//! changes go through the runtime API and into the file in the same step.
//!
//! Everything that reaches the config file or the line-based CLI is
//! validated first ([`validate`]), so nothing a caller passes can inject a
//! config line or a command.

pub mod validate;

pub(crate) mod cli;
pub(crate) mod config;
pub(crate) mod file;
