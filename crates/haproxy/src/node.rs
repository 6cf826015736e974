//! One HAProxy process the driver manages: its owned file, master CLI and
//! (optionally) its worker's admin socket. Applying a new owned file
//! (check, save server state, replace, reload, confirm) and running
//! runtime commands on the worker live here.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lbcloud_core::{Error, ErrorKind, Result};

use crate::cli::{Cli, Command, ProcList, Target, parse_servers_state, parse_show_proc};
use crate::file::{self, Candidate};

/// One HAProxy process: where its files and sockets are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) config_file: PathBuf,
    pub(crate) master_socket: PathBuf,
    pub(crate) admin_socket: Option<PathBuf>,
    pub(crate) base_config: Vec<PathBuf>,
}

/// Time limits of a node's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) cli: Duration,
    pub(crate) reload: Duration,
}

impl Node {
    /// The server-state file every backend loads on start.
    pub(crate) fn state_file(&self) -> PathBuf {
        file::sibling(&self.config_file, ".state")
    }

    /// A short name for errors.
    pub(crate) fn label(&self) -> String {
        self.master_socket.display().to_string()
    }

    fn master(&self, t: Timeouts) -> Cli {
        Cli::new(&self.master_socket).timeout(t.cli)
    }

    /// Runs a command on the current worker: on the admin socket when one
    /// is configured, else through the master CLI.
    pub(crate) async fn worker(&self, t: Timeouts, command: &Command) -> Result<String> {
        match &self.admin_socket {
            Some(path) => {
                Cli::new(path)
                    .timeout(t.cli)
                    .run(Target::Direct, command)
                    .await
            }
            None => self.master(t).run(Target::CurrentWorker, command).await,
        }
    }

    /// The master's `show proc`.
    pub(crate) async fn procs(&self, t: Timeouts) -> Result<ProcList> {
        let text = self
            .master(t)
            .run(Target::Master, &Command::show_proc())
            .await?;
        parse_show_proc(&text)
    }

    /// Saves the worker's `show servers state` to the state file, so a
    /// reload or a restart keeps weights, drain and maintenance states.
    pub(crate) async fn save_state(&self, t: Timeouts) -> Result<()> {
        let text = self.worker(t, &Command::show_servers_state(None)?).await?;
        // Refuse to write what HAProxy could not read back.
        parse_servers_state(&text)?;
        file::write_atomic(&self.state_file(), &text)
    }

    /// Replaces the owned file with `new_text` and reloads: `haproxy -c`
    /// on the whole set first (a rejection leaves the old file), then the
    /// server state is saved, the file renamed into place, `reload` sent
    /// and a new worker awaited in `show proc`. If HAProxy fails to load
    /// it, the old file is put back (the old worker keeps serving).
    pub(crate) async fn apply(
        &self,
        haproxy: &std::path::Path,
        t: Timeouts,
        old_text: &str,
        new_text: &str,
    ) -> Result<()> {
        let candidate = Candidate::write(&self.config_file, new_text)?;
        file::check(haproxy, &self.base_config, candidate.path()).await?;
        let before = self.procs(t).await?;
        self.save_state(t).await?;
        candidate.commit()?;
        if let Err(e) = self.reload(t, &before).await {
            file::write_atomic(&self.config_file, old_text)?;
            return Err(e);
        }
        Ok(())
    }

    /// Sends `reload` and waits for a worker that was not there `before`.
    async fn reload(&self, t: Timeouts, before: &ProcList) -> Result<()> {
        self.master(t)
            .run(Target::Master, &Command::reload())
            .await?;
        let deadline = Instant::now() + t.reload;
        let failed_before = before.failed_reloads.unwrap_or(0);
        let mut last_error = None;
        while Instant::now() < deadline {
            match self.procs(t).await {
                Ok(now) => {
                    if now.failed_reloads.unwrap_or(0) > failed_before {
                        return Err(Error::new(
                            ErrorKind::Provider,
                            format!(
                                "HAProxy ({}) failed to load the new configuration and keeps \
                                 serving the old one; the old owned file was put back (see \
                                 HAProxy's log for the reason)",
                                self.label()
                            ),
                        )
                        .with_code("ReloadFailed"));
                    }
                    let fresh = !now.workers.is_empty()
                        && now
                            .workers
                            .iter()
                            .all(|w| before.workers.iter().all(|old| old.pid != w.pid));
                    if fresh {
                        return Ok(());
                    }
                }
                // The master re-executes itself during a reload.
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let why = last_error
            .map(|e| format!(" (last: {e})"))
            .unwrap_or_default();
        Err(Error::new(
            ErrorKind::Timeout,
            format!(
                "HAProxy ({}) showed no new worker within {:?} of the reload{why}",
                self.label(),
                t.reload
            ),
        ))
    }
}
