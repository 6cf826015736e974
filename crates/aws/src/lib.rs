//! # lbcloud-aws
//!
//! What every lbcloud AWS driver shares. (Being built.)

mod query;

pub use query::QueryParams;
