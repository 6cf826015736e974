//! # lbcloud, the command line
//!
//! One command for the load balancers of every provider lbcloud drives:
//! the base operations of the `Driver` trait for any provider
//! (`lbcloud list`, `lbcloud create ...`), and the provider-only operations
//! under the provider's name (`lbcloud elb describe-lbs`). Drivers are
//! reached only through the `lbcloud` registry, so a driver added to the
//! registry works here too. See `crates/cli/README.md` for the commands,
//! the JSON shapes and the exit codes.
//!
//! Layout (private modules): `cli` declares the arguments, `spec` parses
//! the member, listener and health-check specs (pure functions), `commands`
//! runs the base commands, `providers` the provider commands, `output`
//! prints tables and JSON, and `exit` turns errors into one stderr line and
//! an exit code.
//!
//! The binary is [`run`]; the library exists so that lbcloud's own peer
//! tests can build the same program. It has no other public API.

mod cli;
mod commands;
mod exit;
mod output;
mod providers;
mod spec;

use std::process::ExitCode;

/// Runs the command line on this process's arguments and returns its exit
/// status: what the `lbcloud` binary does. Usage errors print clap's
/// message and exit the process with code 2 (0 for `--help` and
/// `--version`); see the crate README for the other codes.
pub fn run() -> ExitCode {
    let cli = match cli::Cli::read(std::env::args_os()) {
        Ok(cli) => cli,
        // Usage errors exit 2 (clap's own code); --help and --version exit 0.
        Err(e) => e.exit(),
    };
    init_tracing(cli.global.quiet, cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lbcloud: cannot start the async runtime: {e}");
            return ExitCode::from(exit::OTHER);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => exit::report(&failure),
    }
}

/// Tracing to stderr: warnings by default, errors only with `-q`, debug
/// (one line per provider request) with `-v`, trace (bodies) with `-vv`.
fn init_tracing(quiet: bool, verbose: u8) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::DEBUG,
        (false, _) => tracing::Level::TRACE,
    };
    // Fails only if a subscriber is already set, which cannot happen here.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(verbose > 1)
        .try_init();
}
