//! Exit codes and the one-line error report on stderr.

use std::io;
use std::process::ExitCode;

use lbcloud::{Error, ErrorKind};

/// Any failure other than the ones below (provider, network, credentials,
/// timeout, a declined confirmation).
pub(crate) const OTHER: u8 = 1;
/// A usage error or invalid input.
pub(crate) const INVALID: u8 = 2;
/// The balancer, member or policy does not exist.
pub(crate) const NOT_FOUND: u8 = 3;
/// It already exists, or the change conflicts with its state.
pub(crate) const CONFLICT: u8 = 4;
/// The provider does not support it; nothing was sent.
pub(crate) const UNSUPPORTED: u8 = 5;

/// The exit codes, as `--help` prints them.
pub(crate) const HELP: &str = "\
Exit codes:
  0  success
  1  any other failure (provider, network, credentials, timeout, not confirmed)
  2  usage error or invalid input (the message names the field and the rule)
  3  not found (balancer, member, policy)
  4  already exists, or conflicts with the resource's state
  5  unsupported by this provider (nothing was sent)";

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An lbcloud error: from a driver, or from the CLI's own input checks.
    Lb(Error),
    /// Standard output was closed early (`lbcloud list | head -1`): not an error.
    BrokenPipe,
    /// Standard output could not be written.
    Io(io::Error),
    /// The user answered no to a confirmation; nothing was changed.
    Declined(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Lb(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Self::BrokenPipe
        } else {
            Self::Io(e)
        }
    }
}

/// The result of a command.
pub(crate) type Outcome<T = ()> = Result<T, Failure>;

/// The exit code for an error kind.
pub(crate) fn code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidInput => INVALID,
        ErrorKind::NotFound => NOT_FOUND,
        ErrorKind::AlreadyExists | ErrorKind::Conflict => CONFLICT,
        ErrorKind::Unsupported => UNSUPPORTED,
        _ => OTHER,
    }
}

/// The one stderr line for an error: its kind, the field, the rule, and the
/// provider's context (provider, operation, code, HTTP status, request id).
/// Control characters a provider sent are replaced, so it stays one line
/// and cannot drive the terminal.
pub(crate) fn line(e: &Error) -> String {
    format!("lbcloud: {}", one_line(&e.to_string()))
}

/// `text` with every control character replaced by a space.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Prints the failure on stderr and returns its exit code.
pub(crate) fn report(failure: &Failure) -> ExitCode {
    match failure {
        Failure::Lb(e) => {
            eprintln!("{}", line(e));
            ExitCode::from(code(e.kind()))
        }
        Failure::BrokenPipe => ExitCode::SUCCESS,
        Failure::Io(e) => {
            eprintln!("lbcloud: cannot write the output: {e}");
            ExitCode::from(OTHER)
        }
        Failure::Declined(what) => {
            eprintln!("lbcloud: {}", one_line(what));
            ExitCode::from(OTHER)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_documented_code() {
        let cases = [
            (ErrorKind::InvalidInput, 2),
            (ErrorKind::NotFound, 3),
            (ErrorKind::AlreadyExists, 4),
            (ErrorKind::Conflict, 4),
            (ErrorKind::Unsupported, 5),
            (ErrorKind::Provider, 1),
            (ErrorKind::Timeout, 1),
            (ErrorKind::Transport, 1),
            (ErrorKind::Unauthenticated, 1),
        ];
        for (kind, expected) in cases {
            assert_eq!(code(kind), expected, "{kind}");
            assert!(HELP.contains(&format!("  {expected}  ")), "{expected}");
        }
    }

    #[test]
    fn the_line_names_field_rule_code_and_request_id_on_one_line() {
        let e = Error::invalid_input("member.port", "must be 1 to 65535\nor else")
            .with_provider("elb")
            .with_code("ValidationError")
            .with_request_id("req-9");
        let text = line(&e);
        assert_eq!(
            text,
            "lbcloud: invalid input: `member.port` must be 1 to 65535 or else (provider elb, \
             code ValidationError, request id req-9)"
        );
        assert!(!line(&Error::not_found("a\u{1b}[31mb")).contains('\u{1b}'));
    }

    #[test]
    fn a_closed_pipe_is_not_a_failure() {
        let f = Failure::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(matches!(f, Failure::BrokenPipe));
        assert!(matches!(
            Failure::from(io::Error::other("disk full")),
            Failure::Io(_)
        ));
    }
}
