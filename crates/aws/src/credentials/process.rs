//! `credential_process`: runs a program and reads credentials from its
//! standard output (JSON with `Version: 1`, `AccessKeyId`,
//! `SecretAccessKey`, optional `SessionToken` and `Expiration`).
//!
//! The command line is split here and the program started directly,
//! **never through a shell**: no variables, globs, pipes or `;` are
//! interpreted. Splitting follows POSIX shell quoting only: words are
//! separated by blanks; `'...'` keeps everything literally; inside `"..."`
//! a backslash escapes `"` and `\`; outside quotes a backslash escapes the
//! next character. A leading `~/` of the program is the home directory.
//! The program's standard error passes through to ours (for prompts);
//! its standard output is read, up to 64 KiB, and never logged.

use std::fmt;
use std::process::Stdio;
use std::time::Duration;

use async_trait::async_trait;
use lbcloud_core::{Error, Result};
use tokio::io::AsyncReadExt;

use super::http::parse_credentials_json;
use super::{Credentials, ProvideCredentials, source_error};

/// The longest a credential process may run.
const TIMEOUT: Duration = Duration::from_secs(60);
const MAX_OUTPUT: u64 = 64 * 1024;

/// Runs one configured program.
#[derive(Clone)]
pub(crate) struct CredentialProcess {
    argv: Vec<String>,
    what: String,
}

impl fmt::Debug for CredentialProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Arguments may hold secrets (a vault token on the command line).
        f.debug_struct("CredentialProcess")
            .field("program", &self.argv.first())
            .field("args", &self.argv.len().saturating_sub(1))
            .finish()
    }
}

impl CredentialProcess {
    /// Parses `command` (from profile `profile`); `InvalidInput` naming
    /// `credential_process` for an empty command or an open quote.
    pub(crate) fn new(
        command: &str,
        profile: &str,
        home: Option<&std::path::Path>,
    ) -> Result<Self> {
        let mut argv = split_command_line(command)
            .map_err(|rule| Error::invalid_input("credential_process", rule))?;
        let Some(program) = argv.first_mut() else {
            return Err(Error::invalid_input(
                "credential_process",
                "must name a program",
            ));
        };
        if let (Some(rest), Some(home)) = (program.strip_prefix("~/"), home) {
            *program = home.join(rest).display().to_string();
        }
        Ok(Self {
            what: format!("credential_process of profile `{profile}`"),
            argv,
        })
    }
}

/// Splits a command line into words; see the module docs for the rules.
pub(crate) fn split_command_line(line: &str) -> std::result::Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("has an unterminated single quote"),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("has an unterminated double quote"),
                        },
                        Some(c) => word.push(c),
                        None => return Err("has an unterminated double quote"),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("ends with a lone backslash"),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[async_trait]
impl ProvideCredentials for CredentialProcess {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let what = self.what.as_str();
        let (program, args) = self
            .argv
            .split_first()
            .ok_or_else(|| source_error(what, "no program"))?;
        let mut child = tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| source_error(what, format!("cannot start `{program}`: {e}")))?;
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| source_error(what, "no standard output"))?;
        let run = async {
            let mut out = Vec::new();
            (&mut stdout).take(MAX_OUTPUT).read_to_end(&mut out).await?;
            let status = child.wait().await?;
            Ok::<_, std::io::Error>((status, out))
        };
        let (status, out) = match tokio::time::timeout(TIMEOUT, run).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return Err(source_error(what, format!("`{program}` failed: {e}"))),
            Err(_) => {
                return Err(source_error(
                    what,
                    format!("`{program}` did not finish within {} s", TIMEOUT.as_secs()),
                ));
            }
        };
        if !status.success() {
            return Err(source_error(
                what,
                format!("`{program}` exited with {status}"),
            ));
        }
        check_version(what, &out)?;
        parse_credentials_json(what, &out, "SessionToken")?.check_complete(what)
    }
}

/// The output must declare `"Version": 1`, the only format defined.
fn check_version(what: &str, out: &[u8]) -> Result<()> {
    let doc: serde_json::Value = serde_json::from_slice(out)
        .map_err(|e| source_error(what, format!("the output is not JSON ({e})")))?;
    match doc.get("Version").and_then(serde_json::Value::as_u64) {
        Some(1) => Ok(()),
        _ => Err(source_error(what, "the output must have \"Version\": 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_posix_shell_without_interpreting_anything() {
        let ok = |s: &str| split_command_line(s).unwrap();
        assert_eq!(
            ok("  /bin/tool  --profile dev "),
            ["/bin/tool", "--profile", "dev"]
        );
        assert_eq!(
            ok(r#"'/opt/my tool' "a \"b\" c" d\ e"#),
            ["/opt/my tool", r#"a "b" c"#, "d e"]
        );
        assert_eq!(
            ok("tool $HOME; rm -rf / | x"),
            ["tool", "$HOME;", "rm", "-rf", "/", "|", "x"]
        );
        assert_eq!(ok(r#"tool '' "x\n""#), ["tool", "", "x\\n"]);
        assert_eq!(ok(""), Vec::<String>::new());
        for bad in ["tool 'open", "tool \"open", "tool \\"] {
            assert!(split_command_line(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn empty_commands_and_open_quotes_are_invalid_input() {
        let e = CredentialProcess::new("   ", "dev", None).unwrap_err();
        assert_eq!(e.field(), Some("credential_process"));
        let e = CredentialProcess::new("x 'y", "dev", None).unwrap_err();
        assert!(e.message().contains("unterminated"));
        let p = CredentialProcess::new(
            "~/bin/creds --token vault-secret",
            "dev",
            Some("/home/u".as_ref()),
        )
        .unwrap();
        assert_eq!(p.argv[0], "/home/u/bin/creds");
        assert!(!format!("{p:?}").contains("vault-secret"));
    }
}
