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

pub mod cli;
// Used by the driver, which lands once the new core types are in.
#[allow(dead_code)]
pub(crate) mod config;
#[allow(dead_code)]
pub(crate) mod file;
