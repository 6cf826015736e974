//! Built-in providers resolve when their feature is on and answer a clear
//! `Unsupported` naming the feature when it is off (run with
//! `--no-default-features` to see the second branch).
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud::{ErrorKind, Provider};

#[test]
fn built_in_providers_resolve_by_enum_and_by_name() {
    for provider in [Provider::Mock, Provider::Elb] {
        let result = lbcloud::get_driver(provider);
        let feature = if provider == Provider::Mock {
            "mock"
        } else {
            "elb"
        };
        let enabled = enabled_features().contains(&feature);
        match result {
            Ok(f) => {
                assert!(enabled, "{provider} resolved with its feature off");
                assert_eq!(f.name(), provider.to_string());
            }
            Err(e) => {
                assert!(!enabled, "{provider}: {e}");
                assert_eq!(e.kind(), ErrorKind::Unsupported);
                assert!(
                    e.to_string().contains(&format!("`{provider}` feature")),
                    "{e}"
                );
            }
        }
    }
    let unknown = lbcloud::get_driver_by_name("carrier-pigeon").unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
    assert!(unknown.to_string().contains("known drivers"), "{unknown}");
}

/// The driver features this test binary was compiled with.
fn enabled_features() -> Vec<&'static str> {
    let mut on = Vec::new();
    if cfg!(feature = "mock") {
        on.push("mock");
    }
    if cfg!(feature = "elb") {
        on.push("elb");
    }
    on
}
