//! HTTPS to a local server whose certificate is signed by a CA made in the
//! test: trusted through a CA bundle (builder, `AWS_CA_BUNDLE`, profile
//! `ca_bundle`), rejected without one.

// Needs a TLS backend; every feature combination with one runs it.
#![cfg(any(
    feature = "rustls-webpki-roots",
    feature = "rustls-native-roots",
    feature = "native-tls"
))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lbcloud_aws::{AwsClient, Credentials, RetryConfig};
use lbcloud_core::ErrorKind;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose, SanType};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

struct Pki {
    ca_pem: String,
    cert_der: Vec<u8>,
    key_der: Vec<u8>,
}

fn pki() -> Pki {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "lbcloud test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let mut leaf = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    leaf.subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    leaf.distinguished_name
        .push(DnType::CommonName, "localhost");
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        cert_der: leaf_cert.der().to_vec(),
        key_der: leaf_key.serialize_der(),
    }
}

/// An HTTPS server on 127.0.0.1 answering every request with `OK`;
/// counts the requests that completed a handshake.
async fn https_server(pki: &Pki) -> (String, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![pki.cert_der.clone().into()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(pki.key_der.clone().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        // Bounded: a few connections per test at most.
        for _ in 0..32 {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let count = count.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 16 * 1024];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tokio::time::timeout(
                        std::time::Duration::from_secs(5),
                        tls.read(&mut buf),
                    )
                    .await
                    {
                        Ok(Ok(n)) if n > 0 => seen.extend_from_slice(&buf[..n]),
                        _ => return,
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{OK}",
                    OK.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, served)
}

/// Builds the client and sends one request, which must succeed.
async fn send_ok(b: lbcloud_aws::AwsClientBuilder) {
    b.build().unwrap().send(describe()).await.unwrap();
}

fn builder(url: &str, e: lbcloud_aws::Env) -> lbcloud_aws::AwsClientBuilder {
    AwsClient::builder(ELB)
        .env(e)
        .credentials(Credentials::new("AKIDTLS", "tls-secret"))
        .region("us-east-1")
        .endpoint(url)
        .retry(RetryConfig::none())
}

#[tokio::test]
async fn a_private_ca_is_trusted_through_a_bundle_and_rejected_without() {
    let pki = pki();
    let (url, served) = https_server(&pki).await;
    let dir = temp_dir("tls");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let ca = ca_file.display().to_string();

    let err = builder(&url, env(&[]))
        .build()
        .unwrap()
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(
        served.load(Ordering::SeqCst),
        0,
        "no request passes an untrusted handshake"
    );

    send_ok(builder(&url, env(&[])).ca_bundle(&ca_file)).await;
    send_ok(builder(&url, env(&[])).ca_bundle_pem(pki.ca_pem.clone())).await;
    send_ok(builder(&url, env(&[("AWS_CA_BUNDLE", &ca)]))).await;
    let config = dir.join("config");
    std::fs::write(&config, format!("[default]\nca_bundle = {ca}\n")).unwrap();
    let config = config.display().to_string();
    send_ok(builder(&url, env(&[("AWS_CONFIG_FILE", &config)]))).await;
    assert_eq!(served.load(Ordering::SeqCst), 4);

    // localhost matches the certificate's DNS name too.
    let by_name = url.replace("127.0.0.1", "localhost");
    send_ok(builder(&by_name, env(&[])).ca_bundle(&ca_file)).await;

    // A bundle that cannot be read is caught at build, naming its source.
    let err = builder(&url, env(&[("AWS_CA_BUNDLE", "/nonexistent/ca.pem")]))
        .build()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("AWS_CA_BUNDLE"))
    );
    std::fs::remove_dir_all(&dir).ok();
}
