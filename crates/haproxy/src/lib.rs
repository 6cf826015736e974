//! # lbcloud-haproxy
//!
//! The HAProxy driver of lbcloud. It owns one config file that HAProxy
//! loads beside the user's own (`haproxy -W -S master.sock -f base.cfg -f
//! lbcloud.cfg`), rewrites it atomically for balancer-level changes,
//! checks it with `haproxy -c` and reloads through the master CLI,
//! confirming a new worker in `show proc`; member changes go through the
//! runtime API (`add server`, `set server`, `del server`) and into the
//! file and a server-state file in the same step, so a reload or a
//! restart loses nothing.
//!
//! Everything that reaches the config file or the line-based CLI is
//! validated first ([`validate`]), so nothing a caller passes can inject a
//! config line or a command. No shell is ever run.
//!
//! A balancer is a `frontend` and a `backend` of the balancer's name;
//! members are servers (address and port) named by the driver
//! (`s-<addr>-<port>`) unless the member has an id.

pub mod cli;
pub mod validate;

mod builder;
mod config;
mod convert;
mod driver;
mod ext;
mod file;
mod limits;
mod node;
mod sync;

pub use builder::{HaproxyDriverBuilder, HaproxyDriverFactory, OPTIONS};
pub use driver::HaproxyDriver;
pub use limits::limits;
