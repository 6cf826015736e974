//! The HTTP clients: TLS backend (cargo features), extra trusted CAs, and
//! proxies.
//!
//! - TLS: feature `rustls-webpki-roots` (default) trusts the bundled
//!   Mozilla roots; `rustls-native-roots` the operating system's store;
//!   `native-tls` uses the platform library (OpenSSL on Linux) and its
//!   store, and wins when enabled together with a rustls feature. With no
//!   TLS feature only `http://` endpoints work.
//! - A CA bundle (PEM, one or more certificates) is trusted *in addition*
//!   to those roots: [`AwsClientBuilder::ca_bundle`](crate::AwsClientBuilder::ca_bundle),
//!   else `AWS_CA_BUNDLE`, else the profile's `ca_bundle`.
//! - Proxies: `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY`
//!   (either case) are read from the *process* environment by reqwest;
//!   [`AwsClientBuilder::proxy`](crate::AwsClientBuilder::proxy) sets one
//!   explicitly (and then the variables are ignored). The instance and
//!   container metadata endpoints are always reached without a proxy.

use std::path::PathBuf;
use std::time::Duration;

use lbcloud_core::{Error, ErrorKind, Result};

/// Connect timeout towards the metadata endpoints (IMDS, ECS): they are
/// on-link and answer at once or are not there.
const METADATA_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// Whole-request timeout towards the metadata endpoints.
const METADATA_TIMEOUT: Duration = Duration::from_secs(5);

/// Where extra trusted certificates come from.
#[derive(Debug, Clone)]
pub(crate) enum CaBundle {
    /// A PEM file; `field` names the setting it came from.
    File { path: PathBuf, field: &'static str },
    /// PEM text given directly.
    Pem(Vec<u8>),
}

/// The network settings shared by every client a builder makes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Network {
    pub(crate) ca_bundle: Option<CaBundle>,
    /// Kept out of `Debug`: a proxy URL may hold a password.
    pub(crate) proxy: Option<ProxyUrl>,
}

/// A proxy URL, never shown.
#[derive(Clone)]
pub(crate) struct ProxyUrl(pub(crate) String);

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProxyUrl(***)")
    }
}

impl Network {
    /// The client for AWS service endpoints (and STS).
    pub(crate) fn service_client(&self, connect_timeout: Duration) -> Result<reqwest::Client> {
        let mut b = base(connect_timeout)?;
        b = self.trust(b)?;
        if let Some(ProxyUrl(url)) = &self.proxy {
            let proxy = reqwest::Proxy::all(url.as_str()).map_err(|_| {
                // The URL is not echoed: it may carry a password.
                Error::invalid_input("proxy", "must be a proxy URL such as http://proxy:3128")
            })?;
            b = b.proxy(proxy);
        }
        build(b)
    }

    /// The client for IMDS and ECS: short timeouts, never a proxy.
    pub(crate) fn metadata_client(&self) -> Result<reqwest::Client> {
        let b = base(METADATA_CONNECT_TIMEOUT)?
            .timeout(METADATA_TIMEOUT)
            .no_proxy();
        build(self.trust(b)?)
    }

    fn trust(&self, b: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
        let Some(bundle) = &self.ca_bundle else {
            return Ok(b);
        };
        let (pem, field, shown) = match bundle {
            CaBundle::File { path, field } => {
                let pem = std::fs::read(path).map_err(|e| {
                    Error::invalid_input(*field, format!("cannot read {}: {e}", path.display()))
                })?;
                (pem, *field, path.display().to_string())
            }
            CaBundle::Pem(pem) => (pem.clone(), "ca_bundle", "the PEM given".to_owned()),
        };
        add_certificates(b, &pem, field, &shown)
    }
}

#[cfg(any(
    feature = "rustls-webpki-roots",
    feature = "rustls-native-roots",
    feature = "native-tls"
))]
fn add_certificates(
    mut b: reqwest::ClientBuilder,
    pem: &[u8],
    field: &str,
    shown: &str,
) -> Result<reqwest::ClientBuilder> {
    let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
        Error::invalid_input(
            field,
            format!("{shown} is not a PEM certificate bundle ({e})"),
        )
    })?;
    if certs.is_empty() {
        return Err(Error::invalid_input(
            field,
            format!("{shown} holds no PEM certificate"),
        ));
    }
    for cert in certs {
        b = b.add_root_certificate(cert);
    }
    Ok(b)
}

#[cfg(not(any(
    feature = "rustls-webpki-roots",
    feature = "rustls-native-roots",
    feature = "native-tls"
)))]
fn add_certificates(
    _b: reqwest::ClientBuilder,
    _pem: &[u8],
    field: &str,
    _shown: &str,
) -> Result<reqwest::ClientBuilder> {
    Err(Error::invalid_input(
        field,
        "needs a TLS feature of lbcloud-aws (rustls-webpki-roots, rustls-native-roots or native-tls)",
    ))
}

fn base(connect_timeout: Duration) -> Result<reqwest::ClientBuilder> {
    let b = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        // A redirected POST would carry a signature for the wrong host;
        // the Query API never redirects, so a 3xx is reported instead.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("lbcloud/", env!("CARGO_PKG_VERSION")));
    Ok(backend(b))
}

#[cfg(feature = "native-tls")]
fn backend(b: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    b.use_native_tls()
}

#[cfg(all(
    not(feature = "native-tls"),
    any(feature = "rustls-webpki-roots", feature = "rustls-native-roots")
))]
fn backend(b: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    b.use_rustls_tls()
}

#[cfg(not(any(
    feature = "rustls-webpki-roots",
    feature = "rustls-native-roots",
    feature = "native-tls"
)))]
fn backend(b: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    b
}

fn build(b: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    b.build().map_err(|e| {
        Error::new(ErrorKind::Transport, "could not create the HTTP client").with_source(e)
    })
}

/// The TLS backend compiled in, for diagnostics: `rustls`, `native-tls` or
/// `none` (then only `http://` endpoints work).
///
/// ```
/// assert!(["rustls", "native-tls", "none"].contains(&lbcloud_aws::tls_backend()));
/// ```
pub fn tls_backend() -> &'static str {
    if cfg!(feature = "native-tls") {
        "native-tls"
    } else if cfg!(any(
        feature = "rustls-webpki-roots",
        feature = "rustls-native-roots"
    )) {
        "rustls"
    } else {
        "none"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bundles_and_proxies_name_the_field() {
        let n = Network {
            ca_bundle: Some(CaBundle::File {
                path: "/nonexistent/ca.pem".into(),
                field: "AWS_CA_BUNDLE",
            }),
            proxy: None,
        };
        let err = n.service_client(Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.field(), Some("AWS_CA_BUNDLE"));
        assert!(err.message().contains("/nonexistent/ca.pem"));
        let n = Network {
            ca_bundle: Some(CaBundle::Pem(b"not a certificate".to_vec())),
            proxy: None,
        };
        assert_eq!(n.metadata_client().unwrap_err().field(), Some("ca_bundle"));
        let n = Network {
            ca_bundle: None,
            proxy: Some(ProxyUrl("http://user:proxy-pass@[bad".into())),
        };
        let err = n.service_client(Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.field(), Some("proxy"));
        assert!(
            !err.to_string().contains("proxy-pass") && !format!("{n:?}").contains("proxy-pass")
        );
        assert_ne!(tls_backend(), "");
    }
}
