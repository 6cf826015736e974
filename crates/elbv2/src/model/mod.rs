//! The ELBv2 types the `ex_` methods take and return: plain data, one
//! field per element of the API (botocore's `elbv2` 2015-12-01 model),
//! `Clone + Debug + PartialEq + Serialize + Deserialize`.
//!
//! These are this crate's own types, apart from the provider-neutral core
//! types; the conversion to and from those lives in one place, the driver.
//! Enumerations keep an unknown value AWS may add as `Other(text)`.

mod balancer;
mod enums;
mod listener;
mod misc;
mod target;

pub use balancer::*;
pub use enums::*;
pub use listener::*;
pub use misc::*;
pub use target::*;
