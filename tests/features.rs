//! Built-in providers resolve when their feature is on and answer a clear
//! `Unsupported` naming the feature when it is off (the test script also
//! runs this with `--no-default-features` and with one driver feature at a
//! time, to see both branches). The expectations come from the provider
//! table itself, so adding a provider needs no change here.
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud::{ErrorKind, Provider};

#[test]
fn built_in_providers_resolve_by_enum_and_by_name() {
    for &provider in Provider::ALL {
        let names = std::iter::once(provider.name()).chain(provider.aliases().iter().copied());
        for name in names {
            let by_name = lbcloud::get_driver_by_name(name);
            let by_enum = lbcloud::get_driver(provider);
            for result in [by_name, by_enum] {
                match result {
                    Ok(f) => {
                        assert!(
                            provider.is_compiled(),
                            "{provider} resolved with its feature off"
                        );
                        assert_eq!(f.name(), provider.name());
                    }
                    Err(e) => {
                        assert!(!provider.is_compiled(), "{provider}: {e}");
                        assert_eq!(e.kind(), ErrorKind::Unsupported);
                        let feature = format!("`{}` feature", provider.feature());
                        assert!(e.to_string().contains(&feature), "{e}");
                    }
                }
            }
        }
    }
    let unknown = lbcloud::get_driver_by_name("carrier-pigeon").unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
    assert!(unknown.to_string().contains("known drivers"), "{unknown}");
}

#[test]
fn driver_names_are_the_compiled_providers() {
    let names = lbcloud::driver_names();
    for &provider in Provider::ALL {
        assert_eq!(
            names.contains(&provider.name().to_string()),
            provider.is_compiled(),
            "{provider}"
        );
    }
}

/// Every driver the registry hands out is wrapped in the checking layer:
/// an operation the driver lacks is rejected with no call to it.
#[cfg(feature = "mock")]
#[test]
fn registry_drivers_are_checked() {
    let driver = lbcloud::get_driver(Provider::Mock)
        .unwrap()
        .connect(lbcloud::Config::new())
        .unwrap();
    assert!(
        format!("{driver:?}").starts_with("CheckedDriver"),
        "{driver:?}"
    );
    // The wrapper still reaches the concrete driver for ex_ methods.
    assert!(
        driver
            .as_ref()
            .downcast_ref::<lbcloud::mock::MockDriver>()
            .is_some()
    );
}
