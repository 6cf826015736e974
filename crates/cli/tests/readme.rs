//! Runs the offline tutorial of crates/cli/README.md as it stands: the
//! shell block after `<!-- tutorial -->`, with `sh -eu`, the built binary
//! first on PATH and a fresh temp dir for the mock's state file. The root
//! README shows the same block; a test keeps the two identical.

mod support;

use std::process::Command;

/// The shell block after the `<!-- tutorial -->` marker.
fn tutorial() -> String {
    block_of(include_str!("../README.md"))
}

/// The shell block after the `<!-- tutorial -->` marker of `readme`.
fn block_of(readme: &str) -> String {
    let after = readme
        .split_once("<!-- tutorial -->")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("README.md has no <!-- tutorial --> marker"));
    let body = after
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(block, _)| block)
        .unwrap_or_else(|| panic!("no ```sh block after the tutorial marker"));
    body.to_owned()
}

#[test]
fn the_readme_tutorial_runs_offline() {
    let script = tutorial();
    assert!(script.contains("lbcloud create mysite"), "{script}");
    let bin_dir = std::path::Path::new(support::BIN)
        .parent()
        .unwrap_or_else(|| panic!("no directory for {}", support::BIN));
    let tmp = support::temp_path("tutorial-dir").with_extension("");
    std::fs::create_dir_all(&tmp).unwrap_or_else(|e| panic!("{e}"));
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .args(["-eu", "-c", &script])
        .env("PATH", path)
        .env("TMPDIR", &tmp)
        .env_remove("LBCLOUD_PROVIDER")
        .env_remove("LBCLOUD_OPTIONS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the tutorial failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stderr, "", "the tutorial printed errors or warnings");
    for expected in [
        "mysite",
        "web3",
        "draining",
        "HTTP:8080/health",
        "\"name\":\"mysite\"",
        "destroyed mysite (lb-000001)",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected:?} not in the tutorial's output:\n{stdout}"
        );
    }
    // The last `lbcloud list` shows no balancer: only its header.
    assert!(stdout.trim_end().ends_with("LISTENERS"), "{stdout}");
}

#[test]
fn the_root_readme_shows_the_same_tutorial() {
    assert_eq!(block_of(include_str!("../../../README.md")), tutorial());
}
