//! Runs the built `lbcloud` binary for the tests: with a chosen provider,
//! settings and environment, checking exit codes, the one-line error
//! report, and that JSON output round-trips through lbcloud's types.

#![allow(dead_code, unreachable_pub, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The built binary.
pub const BIN: &str = match option_env!("CARGO_BIN_EXE_lbcloud") {
    Some(path) => path,
    // The same program as crates/peer-tests builds it (see its Cargo.toml).
    None => match option_env!("CARGO_BIN_EXE_lbcloud-under-test") {
        Some(path) => path,
        None => panic!(
            "no lbcloud binary to test: include this module from lbcloud-cli or lbcloud-peer-tests"
        ),
    },
};

/// A fresh path in the temp dir, unique to this process and call.
pub fn temp_path(what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "lbcloud-cli-{what}-{}-{n}.json",
        std::process::id()
    ))
}

/// One way to run `lbcloud`: global arguments and environment.
#[derive(Debug, Clone)]
pub struct Lbcloud {
    /// Arguments put before every command's own.
    pub global: Vec<String>,
    /// Environment variables set for the process.
    pub env: Vec<(String, String)>,
    /// The mock's state file, if the mock is used.
    pub state: Option<PathBuf>,
}

impl Drop for Lbcloud {
    fn drop(&mut self) {
        if let Some(p) = &self.state {
            let _ = std::fs::remove_file(p);
            let _ = std::fs::remove_file(p.with_extension("json.lock"));
        }
    }
}

/// What one run printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Lbcloud {
    /// The mock with a fresh state file, shared by every run of this value.
    pub fn mock() -> Self {
        let state = temp_path("state");
        Self {
            global: vec![
                "--provider".into(),
                "mock".into(),
                "-o".into(),
                format!("state_file={}", state.display()),
            ],
            env: Vec::new(),
            state: Some(state),
        }
    }

    /// `--provider elb` at `endpoint` (see [`aws`](Self::aws)).
    pub fn elb(endpoint: &str) -> Self {
        Self::aws("elb", endpoint)
    }

    /// `--provider elbv2` at `endpoint` (see [`aws`](Self::aws)).
    pub fn elbv2(endpoint: &str) -> Self {
        Self::aws("elbv2", endpoint)
    }

    /// An AWS `provider` at `endpoint` in us-east-1, with test credentials
    /// from the environment only: no secret on the command line, no
    /// shared config or credentials file read, no profile chosen.
    pub fn aws(provider: &str, endpoint: &str) -> Self {
        let nowhere = "/nonexistent/lbcloud-cli-test".to_owned();
        Self {
            global: [
                "--provider",
                provider,
                "--region",
                "us-east-1",
                "--endpoint",
                endpoint,
            ]
            .map(str::to_owned)
            .to_vec(),
            env: vec![
                ("AWS_ACCESS_KEY_ID".into(), "AKIDCLITEST".into()),
                ("AWS_SECRET_ACCESS_KEY".into(), "cli-test-secret".into()),
                ("AWS_CONFIG_FILE".into(), nowhere.clone()),
                ("AWS_SHARED_CREDENTIALS_FILE".into(), nowhere),
            ],
            state: None,
        }
    }

    /// A command for `args`, with a clean environment for lbcloud's own variables.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(&self.global)
            .args(args)
            .env_remove("LBCLOUD_PROVIDER")
            .env_remove("LBCLOUD_OPTIONS")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `lbcloud ARGS` to the end.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code, 0,
            "lbcloud {args:?} failed:\n{}{}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    /// Runs with `--output json`, expects success, and parses stdout as one
    /// `T`, checking that `T` serializes back to the very same JSON.
    pub fn json<T: DeserializeOwned + Serialize>(&self, args: &[&str]) -> T {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        let text = self.ok(&all);
        round_trip(&text, args)
    }

    /// Runs and expects exit `code` with one line on stderr and nothing on
    /// stdout; returns the line.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code, code,
            "lbcloud {args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        assert_eq!(r.stdout, "", "lbcloud {args:?} printed a result and failed");
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "lbcloud {args:?}: not one line on stderr: {:?}",
            r.stderr
        );
        assert!(lines[0].starts_with("lbcloud: "), "{}", lines[0]);
        lines[0].to_owned()
    }

    /// Like [`fails`](Self::fails) with exit 2, and checks that the line
    /// names `field` in backquotes.
    pub fn invalid(&self, args: &[&str], field: &str) -> String {
        let line = self.fails(args, 2);
        assert!(
            line.contains(&format!("`{field}`")),
            "lbcloud {args:?}: the error does not name `{field}`: {line}"
        );
        line
    }
}

/// The `create` flags of an HTTPS listener on 443 to HTTP on 80 with `cert`.
pub fn https_443(cert: &str) -> [&str; 10] {
    [
        "--port",
        "443",
        "--protocol",
        "https",
        "--instance-protocol",
        "http",
        "--instance-port",
        "80",
        "--cert",
        cert,
    ]
}

/// Parses `text` as one `T` and checks that it serializes back to the same JSON.
pub fn round_trip<T: DeserializeOwned + Serialize>(text: &str, what: &[&str]) -> T {
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| {
        panic!("lbcloud {what:?} printed no single JSON document ({e}): {text}")
    });
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("lbcloud {what:?}: JSON is not the core type ({e}): {text}"));
    let back = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, value, "lbcloud {what:?}: JSON does not round-trip");
    typed
}

/// Asserts every line of a table fits 100 columns and returns the lines.
pub fn table_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    for l in &lines {
        assert!(
            l.chars().count() <= 100,
            "{} columns: {l}",
            l.chars().count()
        );
    }
    lines
}

/// `member-health BALANCER --wait-in-service --timeout SECS`, checked to
/// end with every member in service.
pub fn wait_in_service(lb: &Lbcloud, balancer: &str, timeout: &str) -> Vec<lbcloud::MemberHealth> {
    let health: Vec<lbcloud::MemberHealth> = lb.json(&[
        "member-health",
        balancer,
        "--wait-in-service",
        "--timeout",
        timeout,
    ]);
    let out = health
        .iter()
        .filter(|h| h.state != lbcloud::HealthState::InService)
        .count();
    assert_eq!(out, 0, "{health:?}");
    health
}
