//! The `lbcloud` command line, built inside this crate so its tests can run
//! it (`CARGO_BIN_EXE_lbcloud-under-test`); the same program as lbcloud-cli's
//! binary.

use std::process::ExitCode;

fn main() -> ExitCode {
    lbcloud_cli::run()
}
