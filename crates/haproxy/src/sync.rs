//! How a change reaches HAProxy: the owned files are locked and read, the
//! model edited, and every node either reloaded on a checked new file
//! (balancer changes, or a node that missed a change) or given the member
//! steps at run time and its new file.

use std::path::Path;

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

/// One runtime command of a member change and the commands that undo it.
struct Step {
    command: Command,
    undo: Vec<Command>,
}

/// What a member change does on the running worker: groups of steps, each
/// group sent in one exchange (HAProxy runs every command of a group), a
/// group only when every step before it succeeded.
#[derive(Default)]
pub(crate) struct Steps {
    groups: Vec<Vec<Step>>,
    /// The servers (backend, server) whose state-file line, if the state
    /// file has one, would contradict the change; `None`: the state file
    /// is rewritten whatever it holds.
    state_unless: Option<Vec<(String, String)>>,
    /// The state file is rewritten in any case.
    state_forced: bool,
}

impl Steps {
    /// Adds a step to the current group.
    pub(crate) fn push(&mut self, command: Command, undo: Vec<Command>) {
        let step = Step { command, undo };
        match self.groups.last_mut() {
            Some(group) => group.push(step),
            None => self.groups.push(vec![step]),
        }
    }

    /// Ends the current group: what is pushed next runs only once all of
    /// it succeeded (a command that would act on another server of the
    /// same name if an `add server` failed).
    pub(crate) fn barrier(&mut self) {
        if self.groups.last().is_some_and(|g| !g.is_empty()) {
            self.groups.push(Vec::new());
        }
    }

    /// Lets the change leave the server-state file as it is when it has no
    /// line for `server` of `backend`: a server the file does not name
    /// starts, on a reload or a restart, as its line in the owned file
    /// says, which is what the change set (ready or in maintenance, at its
    /// weight). Without this call (a drain, a weight or a state change),
    /// HAProxy's `show servers state` is written after the change.
    pub(crate) fn keep_state_unless_named(&mut self, backend: &str, server: &str) {
        self.state_unless
            .get_or_insert_with(Vec::new)
            .push((backend.to_owned(), server.to_owned()));
    }

    /// The change needs the state file rewritten (a drain).
    pub(crate) fn rewrite_state(&mut self) {
        self.state_forced = true;
    }

    /// Whether the change must rewrite `node`'s state file.
    fn needs_state(&self, node: &Node) -> bool {
        match &self.state_unless {
            _ if self.state_forced => true,
            None => true,
            Some(servers) => node.state_names_any(servers),
        }
    }

    /// A change that adds nothing the owned file does not hold (a detach:
    /// a state-file line for a server the owned file no longer has is
    /// ignored by HAProxy).
    pub(crate) fn keep_state(&mut self) {
        self.state_unless.get_or_insert_with(Vec::new);
    }
}

/// The last text read or written of an owned file and its parse, so an
/// unchanged file is not parsed again. The key is the whole text, read on
/// every call: a file's times move in steps of the kernel's clock tick
/// (milliseconds), so a same-size rewrite by another process within one
/// tick would keep size, times and (written in place) inode, and reading
/// a few kilobytes costs microseconds.
#[derive(Debug, Default)]
pub(crate) struct ParsedFiles {
    entries: std::sync::Mutex<Vec<(std::path::PathBuf, Parsed)>>,
}

#[derive(Debug)]
struct Parsed {
    text: String,
    model: OwnedConfig,
}

impl ParsedFiles {
    fn get(&self, path: &Path, text: &str) -> Option<OwnedConfig> {
        let entries = self.entries.lock().ok()?;
        let (_, parsed) = entries.iter().find(|(p, _)| p == path)?;
        (parsed.text == text).then(|| parsed.model.clone())
    }

    fn put(&self, path: &Path, text: String, model: OwnedConfig) {
        // A poisoned lock only loses the cache, never a change.
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let parsed = Parsed { text, model };
        match entries.iter_mut().find(|(p, _)| p == path) {
            Some(entry) => entry.1 = parsed,
            None => entries.push((path.to_path_buf(), parsed)),
        }
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
        let model = self.parse_file(&node.config_file, &text)?;
        Ok((text, model))
    }

    /// `text`, the content of `path`, parsed, or the parse kept from the
    /// last time the file had this content.
    fn parse_file(&self, path: &Path, text: &str) -> Result<OwnedConfig> {
        if let Some(model) = self.parsed.get(path, text) {
            return Ok(model);
        }
        let model = OwnedConfig::parse(text).map_err(|e| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("{}: {}", path.display(), e.message()),
            )
        })?;
        self.parsed.put(path, text.to_owned(), model.clone());
        Ok(model)
    }

    /// Replaces a node's owned file with `text`, the rendering of `model`,
    /// and keeps the pair for the next read.
    fn write_owned(&self, node: &Node, text: String, model: &OwnedConfig) -> Result<()> {
        file::write_atomic_unsynced(&node.config_file, &text)?;
        debug_assert_eq!(
            OwnedConfig::parse(&text).ok().as_ref(),
            Some(model),
            "the owned file reads back as the model it was rendered from"
        );
        self.parsed.put(&node.config_file, text, model.clone());
        Ok(())
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
        let primary = self.primary()?;
        let wanted_old = self.parse_file(&primary.config_file, old_text)?.balancers;
        let mut failures: Vec<(String, Error)> = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            model.state_file = Some(node.state_file().display().to_string());
            let new_text = model.render();
            let result = async {
                let node_old = file::read(&node.config_file)?.unwrap_or_default();
                let same = self
                    .parse_file(&node.config_file, &node_old)
                    .is_ok_and(|m| m.balancers == wanted_old);
                match steps {
                    Some(steps) if same => self.run_steps(node, steps, new_text, model).await,
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

    /// Runs member `steps` on a node's worker, each group in one exchange,
    /// undoing the done steps when one fails; then writes the node's owned
    /// file and, unless the steps leave it right, its server state (the
    /// `show servers state` rides in the last group's exchange).
    pub(crate) async fn run_steps(
        &self,
        node: &Node,
        steps: &Steps,
        new_text: String,
        model: &OwnedConfig,
    ) -> Result<()> {
        let save_state = steps.needs_state(node);
        let mut done: Vec<&Step> = Vec::new();
        let mut state = None;
        for (g, group) in steps.groups.iter().enumerate() {
            let mut commands: Vec<Command> = group.iter().map(|s| s.command.clone()).collect();
            let with_state = save_state && g + 1 == steps.groups.len();
            if with_state {
                commands.push(Command::show_servers_state(None)?);
            }
            let answers = match node.worker_batch(self.timeouts, &commands).await {
                Ok(answers) => answers,
                Err(e) => {
                    // Which of the group ran is unknown: undo it all too.
                    done.extend(group.iter());
                    self.undo(node, &done).await;
                    return Err(e);
                }
            };
            let mut answers = answers.into_iter();
            let mut failed = None;
            for step in group {
                let answer = answers.next().unwrap_or_else(|| {
                    Err(Error::new(
                        ErrorKind::InvalidResponse,
                        "no answer to a step",
                    ))
                });
                match self.retry_busy(node, &step.command, answer).await {
                    Ok(_) => done.push(step),
                    Err(e) => {
                        failed.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = failed {
                self.undo(node, &done).await;
                return Err(e);
            }
            if with_state {
                state = answers.next();
            }
        }
        self.write_owned(node, new_text, model)?;
        match state {
            Some(Ok(text)) => node.write_state(&text),
            // No dump came with the steps: ask for it on its own.
            _ if save_state => node.save_state(self.timeouts).await,
            _ => Ok(()),
        }
    }

    /// Undoes `done` steps, last first, in one exchange; failures are
    /// ignored (the step may not have run).
    async fn undo(&self, node: &Node, done: &[&Step]) {
        let commands: Vec<Command> = done
            .iter()
            .rev()
            .flat_map(|s| s.undo.iter().cloned())
            .collect();
        if !commands.is_empty() {
            let _ = node.worker_batch(self.timeouts, &commands).await;
        }
    }

    /// `del server` is refused while the server still has connections
    /// finishing: given the first `answer`, retry it for a few seconds.
    async fn retry_busy(
        &self,
        node: &Node,
        command: &Command,
        mut answer: Result<String>,
    ) -> Result<String> {
        let retry = command.as_str().starts_with("del server");
        let mut attempts = 0;
        loop {
            match answer {
                Err(e) if retry && still_busy(&e) && attempts < 50 => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    answer = node.worker(self.timeouts, command).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_parse_serves_only_the_same_text_of_the_same_file() {
        let files = ParsedFiles::default();
        let (a, b) = (Path::new("/x/a.cfg"), Path::new("/x/b.cfg"));
        let one = OwnedConfig {
            state_file: Some("/x/a.cfg.state".into()),
            balancers: Vec::new(),
        };
        assert_eq!(files.get(a, "text"), None);
        files.put(a, "text".into(), one.clone());
        assert_eq!(files.get(a, "text"), Some(one.clone()));
        // Another text (one byte differs, same length) or another file: no.
        assert_eq!(files.get(a, "texT"), None);
        assert_eq!(files.get(b, "text"), None);
        let two = OwnedConfig::default();
        files.put(a, "other".into(), two.clone());
        assert_eq!(files.get(a, "text"), None);
        assert_eq!(files.get(a, "other"), Some(two));
    }
}
