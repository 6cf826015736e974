//! How a change reaches HAProxy: the owned files are locked and read, the
//! model edited, and every node either reloaded on a checked new file
//! (balancer changes, or a node that missed a change) or given the member
//! steps at run time and its new file.

use lbcloud_core::{Error, ErrorKind, Result};

use crate::HaproxyDriver;
use crate::cli::Command;
use crate::config::{BalancerConfig, OwnedConfig};
use crate::driver::not_found;
use crate::file::{self, FileLock, LOCK_WAIT};
use crate::node::Node;

/// Whether HAProxy refused `del server` because the server still has
/// connections or a queue (it may once they finish).
fn still_busy(e: &Error) -> bool {
    let text = e.message().to_ascii_lowercase();
    e.kind() == ErrorKind::Provider && (text.contains("connection") || text.contains("queue"))
}

/// What a member change does on the running worker, in order: each step
/// with the commands that undo it when a later step fails.
#[derive(Default)]
pub(crate) struct Steps {
    run: Vec<(Command, Vec<Command>)>,
}

impl Steps {
    pub(crate) fn push(&mut self, command: Command, undo: Vec<Command>) {
        self.run.push((command, undo));
    }
}

impl HaproxyDriver {
    pub(crate) fn primary(&self) -> Result<&Node> {
        self.nodes
            .first()
            .ok_or_else(|| Error::invalid_input("config_file", "no HAProxy node configured"))
    }

    pub(crate) fn config_label(&self) -> String {
        self.nodes
            .first()
            .map(|n| n.config_file.display().to_string())
            .unwrap_or_default()
    }

    /// The owned file of the primary node, parsed (missing: empty).
    pub(crate) fn read(&self) -> Result<(String, OwnedConfig)> {
        let node = self.primary()?;
        let text = file::read(&node.config_file)?.unwrap_or_default();
        let model = OwnedConfig::parse(&text).map_err(|e| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("{}: {}", node.config_file.display(), e.message()),
            )
        })?;
        Ok((text, model))
    }

    pub(crate) fn read_balancer(&self, name: &str) -> Result<BalancerConfig> {
        let (_, model) = self.read()?;
        model.balancer(name).cloned().ok_or_else(|| not_found(name))
    }

    /// Locks every node's file (in order, so two drivers cannot deadlock).
    pub(crate) async fn lock_all(&self) -> Result<Vec<FileLock>> {
        let mut locks = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            locks.push(FileLock::acquire(&node.config_file, LOCK_WAIT).await?);
        }
        Ok(locks)
    }

    /// A balancer-level change: `edit` the model, then every node checks,
    /// saves state, replaces its file and reloads.
    pub(crate) async fn reconfigure<T>(
        &self,
        edit: impl FnOnce(&mut OwnedConfig) -> Result<T>,
    ) -> Result<(T, OwnedConfig)> {
        let _locks = self.lock_all().await?;
        let (old_text, mut model) = self.read()?;
        let out = edit(&mut model)?;
        self.sync_all(&old_text, &mut model, None).await?;
        Ok((out, model))
    }

    /// Writes `model` to every node. A node whose file matches `old_text`
    /// gets `steps` at run time (when given) and then the new file; any
    /// other node (one that missed a change), and every node for a
    /// balancer change, gets a checked file and a reload. The first node
    /// is the source of truth: its failure fails the change; the others'
    /// failures are collected per node.
    pub(crate) async fn sync_all(
        &self,
        old_text: &str,
        model: &mut OwnedConfig,
        steps: Option<&Steps>,
    ) -> Result<()> {
        let without_state = |text: &str| {
            OwnedConfig::parse(text).ok().map(|mut m| {
                m.state_file = None;
                m
            })
        };
        let wanted_old = without_state(old_text);
        let mut failures: Vec<(String, Error)> = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            model.state_file = Some(node.state_file().display().to_string());
            let new_text = model.render();
            let result = async {
                let node_old = file::read(&node.config_file)?.unwrap_or_default();
                match steps {
                    Some(steps) if without_state(&node_old) == wanted_old => {
                        self.run_steps(node, steps, &new_text).await
                    }
                    _ => self.node_apply(node, &node_old, &new_text).await,
                }
            }
            .await;
            if let Err(e) = result {
                if i == 0 {
                    return Err(e);
                }
                failures.push((node.label(), e));
            }
        }
        match failures.first() {
            None => Ok(()),
            Some((_, first)) => {
                let list: Vec<String> = failures.iter().map(|(n, e)| format!("{n}: {e}")).collect();
                Err(Error::new(
                    first.kind(),
                    format!(
                        "the change reached the first node but failed on {} of {} nodes \
                         (they are brought in line on the next change): {}",
                        failures.len(),
                        self.nodes.len(),
                        list.join("; ")
                    ),
                )
                .with_code("FleetPartialFailure"))
            }
        }
    }

    pub(crate) async fn node_apply(&self, node: &Node, old: &str, new: &str) -> Result<()> {
        if old == new {
            return Ok(());
        }
        node.apply(&self.haproxy, self.timeouts, old, new).await
    }

    /// Runs member `steps` on a node's worker, undoing the done ones when
    /// one fails, then writes its file and its server state.
    pub(crate) async fn run_steps(&self, node: &Node, steps: &Steps, new_text: &str) -> Result<()> {
        for (done, (command, _)) in steps.run.iter().enumerate() {
            if let Err(e) = self.run_with_retry(node, command).await {
                for (_, undo) in steps.run.iter().take(done).rev() {
                    for command in undo {
                        let _ = node.worker(self.timeouts, command).await;
                    }
                }
                return Err(e);
            }
        }
        file::write_atomic_unsynced(&node.config_file, new_text)?;
        node.save_state(self.timeouts).await
    }

    /// `del server` is refused while the server still has connections
    /// finishing: retry it for a few seconds.
    pub(crate) async fn run_with_retry(&self, node: &Node, command: &Command) -> Result<String> {
        let retry = command.as_str().starts_with("del server");
        let mut attempts = 0;
        loop {
            match node.worker(self.timeouts, command).await {
                Err(e) if retry && still_busy(&e) && attempts < 50 => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    }

    /// A member-level change on balancer `name`: `edit` changes the
    /// balancer's servers and returns the runtime steps.
    pub(crate) async fn change_members<T>(
        &self,
        name: &str,
        edit: impl FnOnce(&mut BalancerConfig) -> Result<(T, Steps)>,
    ) -> Result<T> {
        let _locks = self.lock_all().await?;
        let (old_text, mut model) = self.read()?;
        let b = model.balancer_mut(name).ok_or_else(|| not_found(name))?;
        let (out, steps) = edit(b)?;
        self.sync_all(&old_text, &mut model, Some(&steps)).await?;
        Ok(out)
    }
}
