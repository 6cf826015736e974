//! Harnesses for lbcloud's tests against real peers, shared by the tests
//! in `tests/`:
//!
//! - [`moto`]: the moto server `./scripts/test.sh` starts
//!   (`LBCLOUD_MOTO_ENDPOINT`), ELB drivers on it, EC2 instances to attach;
//! - [`elbv2_moto`]: ELBv2 drivers on moto and a VPC with two subnets;
//! - [`haproxy`]: a real HAProxy in master-worker mode on 127.0.0.1, HTTP
//!   backends that count the requests they answer, and a bounded client.
//!
//! The crate is not published: it is where the peer-backed tests live, so
//! the published crates need no test-only features. A missing peer is a
//! loud failure with the fix in the message, never a skip.

pub mod elbv2_moto;
pub mod haproxy;
pub mod moto;
