//! `lbcloud_aws::error::parse_error_response` and the mapping to a public
//! error on arbitrary bytes: the first two bytes are the HTTP status, the
//! rest the body. Must never panic and must keep the status.
#![no_main]

use lbcloud_aws::error::{parse_error_response, to_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]), rest),
        _ => (500, data),
    };
    let parsed = parse_error_response(status, body);
    assert_eq!(parsed.status, status);
    let err = to_error("elb", "Fuzz", parsed, Some("req"));
    assert_eq!(err.status(), Some(status));
    let _ = err.to_string();
});
