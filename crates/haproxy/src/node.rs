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

    /// The current worker's CLI: the admin socket when one is configured,
    /// else the master CLI with `@1`.
    fn worker_cli(&self, t: Timeouts) -> (Cli, Target) {
        match &self.admin_socket {
            Some(path) => (Cli::new(path).timeout(t.cli), Target::Direct),
            None => (self.master(t), Target::CurrentWorker),
        }
    }

    /// Runs a command on the current worker.
    pub(crate) async fn worker(&self, t: Timeouts, command: &Command) -> Result<String> {
        let (cli, target) = self.worker_cli(t);
        cli.run(target, command).await
    }

    /// Runs `commands` on the current worker in one exchange (see
    /// [`Cli::run_batch`]).
    pub(crate) async fn worker_batch(
        &self,
        t: Timeouts,
        commands: &[Command],
    ) -> Result<Vec<Result<String>>> {
        let (cli, target) = self.worker_cli(t);
        cli.run_batch(target, commands).await
    }

    /// Writes a `show servers state` answer to the state file, once it
    /// reads back.
    pub(crate) fn write_state(&self, text: &str) -> Result<()> {
        // Refuse to write what HAProxy could not read back.
        parse_servers_state(text)?;
        // What it records is already live in HAProxy's memory; the owned
        // file's synced write before a reload orders the two on disk.
        file::write_atomic_unsynced(&self.state_file(), text)
    }

    /// Whether the state file has a line for any of `servers` (backend,
    /// server). A missing file has none; an unreadable one counts as
    /// having them all, so it is rewritten.
    pub(crate) fn state_names_any(&self, servers: &[(String, String)]) -> bool {
        if servers.is_empty() {
            return false;
        }
        let text = match file::read(&self.state_file()) {
            Ok(Some(text)) => text,
            Ok(None) => return false,
            Err(_) => return true,
        };
        match parse_servers_state(&text) {
            Ok(rows) => rows.iter().any(|r| {
                servers
                    .iter()
                    .any(|(b, s)| r.backend == *b && r.server == *s)
            }),
            Err(_) => true,
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
        self.write_state(&text)
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
                    last_error = None;
                }
                // The master re-executes itself during a reload.
                Err(e) => {
                    last_error = Some(e);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        match last_error {
            // Unreachable to the end: HAProxy died or never came back.
            Some(e) if e.kind() == ErrorKind::Transport => Err(Error::new(
                ErrorKind::Transport,
                format!(
                    "HAProxy ({}) did not come back within {:?} of the reload; the old owned \
                     file was put back: {e}",
                    self.label(),
                    t.reload
                ),
            )),
            _ => Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "HAProxy ({}) showed no new worker within {:?} of the reload; the old \
                     owned file was put back",
                    self.label(),
                    t.reload
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::UnixListener;

    const PROCS: &str = "#<PID> <type> <reloads> <uptime> <version>\n\
                         100 master 0 [failed: 0] 0d00h00m01s 2.6.12\n# workers\n\
                         101 worker 0 0d00h00m01s 2.6.12\n";
    const STATE: &str = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state \
                         srv_admin_state srv_uweight\n";

    /// A master CLI that answers `show proc` and `show servers state`, and
    /// dies (closes and removes its socket) on `reload`.
    async fn dying_master(path: PathBuf) -> tokio::task::JoinHandle<()> {
        let listener = UnixListener::bind(&path).unwrap();
        tokio::spawn(async move {
            loop {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut buf = vec![0u8; 1024];
                let n = stream.read(&mut buf).await.unwrap();
                let line = String::from_utf8_lossy(&buf[..n]).into_owned();
                if line.starts_with("reload") {
                    drop(stream);
                    let _ = std::fs::remove_file(&path);
                    return;
                }
                let answer = if line.contains("show servers state") {
                    STATE
                } else {
                    PROCS
                };
                let _ = stream.write_all(answer.as_bytes()).await;
            }
        })
    }

    #[tokio::test]
    async fn haproxy_dying_during_a_reload_is_transport_and_restores_the_file() {
        let dir = std::env::temp_dir().join(format!("lbcloud-node-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let node = Node {
            config_file: dir.join("lbcloud.cfg"),
            master_socket: dir.join("master.sock"),
            admin_socket: None,
            base_config: Vec::new(),
        };
        std::fs::write(&node.config_file, "old\n").unwrap();
        let server = dying_master(node.master_socket.clone()).await;
        let t = Timeouts {
            cli: Duration::from_secs(1),
            reload: Duration::from_millis(300),
        };
        // `true -c -f ...` accepts any config: the check passes.
        let err = node
            .apply(std::path::Path::new("/bin/true"), t, "old\n", "new\n")
            .await
            .unwrap_err();
        server.await.unwrap();
        assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
        assert!(err.message().contains("did not come back"), "{err}");
        assert_eq!(std::fs::read_to_string(&node.config_file).unwrap(), "old\n");
        assert_eq!(std::fs::read_to_string(node.state_file()).unwrap(), STATE);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
