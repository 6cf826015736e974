//! `lbcloud`, the command line: everything is in the library
//! ([`lbcloud_cli::run`]); see `crates/cli/README.md`.

use std::process::ExitCode;

fn main() -> ExitCode {
    lbcloud_cli::run()
}
