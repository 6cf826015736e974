//! Pure parsers of the `...Result` of every classic ELB action:
//! `&[u8] -> lbcloud_core::Result<T>`.
//!
//! The body is the raw 2xx answer; AWS error bodies never reach these
//! functions (the transport maps them). Anything that is not the expected
//! answer — truncated, not UTF-8, wrong root, wrong shape, numbers out of
//! range, a required field missing — is an
//! [`ErrorKind::InvalidResponse`](lbcloud_core::ErrorKind::InvalidResponse)
//! error; no input makes a parser panic. Unknown elements are skipped and
//! children may come in any order, so newer AWS answers still parse.

mod actions;
mod describe;
mod shared;

pub use actions::*;
pub use describe::{
    DescribePage, DescriptionPage, parse_describe_load_balancers, parse_load_balancer_descriptions,
};

#[cfg(test)]
mod actions_tests;
#[cfg(test)]
mod describe_tests;
