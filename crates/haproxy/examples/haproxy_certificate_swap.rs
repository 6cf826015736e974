//! The EC2 article's "associate a different SSL certificate" step, done
//! on HAProxy: an HTTPS balancer over the demo backends terminates TLS
//! with one certificate, then `ex_set_certificate` swaps in another, and
//! a TLS client sees the new one. The two certificates are made here,
//! self-signed, with the `openssl` program.
//!
//! ```sh
//! ./scripts/haproxy-demo.sh     # in one shell; then, with its LBCLOUD_OPTIONS:
//! cargo run -p lbcloud-haproxy --example haproxy_certificate_swap
//! ```

#[allow(dead_code)] // each example uses part of the shared set-up
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use lbcloud_core::{CreateBalancer, Protocol};
use lbcloud_haproxy::HaproxyDriver;

/// A self-signed certificate and its key in one PEM file, as HAProxy's
/// `crt` takes it.
fn make_pem(dir: &Path, name: &str) -> Result<PathBuf, String> {
    let (key, crt) = (
        dir.join(format!("{name}.key")),
        dir.join(format!("{name}.crt")),
    );
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .arg("-subj")
        .arg(format!("/CN={name}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    if !status.success() {
        return Err("openssl req failed".into());
    }
    let pem = dir.join(format!("{name}.pem"));
    let text =
        std::fs::read_to_string(&crt).and_then(|c| std::fs::read_to_string(&key).map(|k| c + &k));
    text.and_then(|t| std::fs::write(&pem, t))
        .map_err(|e| format!("cannot write {}: {e}", pem.display()))?;
    Ok(pem)
}

/// The subject of the certificate a TLS client gets on 127.0.0.1:`port`.
fn served_subject(port: u16) -> String {
    let out = Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(out) => String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("subject="))
            .unwrap_or("(no certificate)")
            .to_owned(),
        Err(e) => format!("(cannot run openssl s_client: {e})"),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (driver, port) = match support::driver() {
        Ok(d) => (d, support::free_port()),
        Err(code) => return code,
    };
    let Some(haproxy) = driver.as_ref().downcast_ref::<HaproxyDriver>() else {
        eprintln!("the driver is not the HAProxy driver");
        return ExitCode::FAILURE;
    };
    let dir = std::env::temp_dir().join(format!("lbcloud-certswap-{}", std::process::id()));
    let pems = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| Ok((make_pem(&dir, "site-2026")?, make_pem(&dir, "site-2027")?)));
    let (old, new) = match pems {
        Ok(p) => p,
        Err(e) => {
            eprintln!("certificates: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = async {
        let lb = driver
            .create_balancer(
                CreateBalancer::new("certswap", port, Protocol::Https)
                    .certificate(old.display().to_string())
                    .members(support::backends()),
            )
            .await?;
        println!("1. HTTPS balancer {} on 127.0.0.1:{port}", lb.name);
        println!("   serves {}", served_subject(port));
        let lb = haproxy
            .ex_set_certificate(&lb, port, &new.display().to_string())
            .await?;
        println!("2. certificate swapped to {}", new.display());
        let after = served_subject(port);
        println!("   serves {after}");
        driver.destroy_balancer(&lb).await?;
        println!("3. destroyed {}", lb.name);
        Ok::<bool, lbcloud_core::Error>(after.contains("site-2027"))
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("the client did not see the new certificate");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("haproxy_certificate_swap: {e}");
            ExitCode::FAILURE
        }
    }
}
