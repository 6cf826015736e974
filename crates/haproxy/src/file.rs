//! The owned file on disk: a cross-process lock, atomic replacement, and
//! the `haproxy -c` check of a candidate before it replaces the file.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use lbcloud_core::{Error, ErrorKind, Result};

/// How long a change waits for another process holding the lock.
pub(crate) const LOCK_WAIT: Duration = Duration::from_secs(30);
/// How long `haproxy -c` may run.
pub(crate) const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

fn io_error(what: &str, path: &Path, err: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Transport,
        format!("{what} {}: {err}", path.display()),
    )
    .with_source(err)
}

/// `<file><suffix>` beside `file`.
pub(crate) fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(file.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// An exclusive lock on `<file>.lock`, held until dropped. Two drivers in
/// one process, or two processes, that change the same owned file take it
/// first, so their read-modify-write cycles never interleave.
#[derive(Debug)]
pub(crate) struct FileLock {
    file: File,
}

impl FileLock {
    /// Takes the lock on `<file>.lock`, waiting up to `wait` for another
    /// holder (polling, so a Tokio worker is never blocked for long).
    pub(crate) async fn acquire(file: &Path, wait: Duration) -> Result<FileLock> {
        let path = sibling(file, ".lock");
        let handle = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error("cannot open the lock file", &path, e))?;
        let deadline = Instant::now() + wait;
        loop {
            match handle.try_lock() {
                Ok(()) => return Ok(FileLock { file: handle }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::new(
                        ErrorKind::Timeout,
                        format!(
                            "another lbcloud driver held {} for more than {wait:?}",
                            path.display()
                        ),
                    ));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(io_error("cannot lock", &path, e));
                }
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first is explicit.
        let _ = self.file.unlock();
    }
}

/// Reads the owned file; a missing file is `None` (nothing created yet).
pub(crate) fn read(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("cannot read", path, e)),
    }
}

/// A written and synced temporary file beside its target, removed on drop
/// unless [`commit`](Candidate::commit) renamed it over the target.
#[derive(Debug)]
pub(crate) struct Candidate {
    temp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Candidate {
    /// Writes `text` to a new temporary file in `target`'s directory and
    /// syncs it to disk.
    pub(crate) fn write(target: &Path, text: &str) -> Result<Candidate> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = sibling(target, &format!(".tmp.{}.{n}", std::process::id()));
        let candidate = Candidate {
            temp,
            target: target.to_path_buf(),
            done: false,
        };
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate.temp)
            .map_err(|e| io_error("cannot create", &candidate.temp, e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error("cannot write", &candidate.temp, e))?;
        Ok(candidate)
    }

    /// The temporary file, for `haproxy -c`.
    pub(crate) fn path(&self) -> &Path {
        &self.temp
    }

    /// Renames the candidate over the target and syncs the directory, so
    /// the change survives a crash.
    pub(crate) fn commit(mut self) -> Result<()> {
        fs::rename(&self.temp, &self.target)
            .map_err(|e| io_error("cannot replace", &self.target, e))?;
        self.done = true;
        let dir = match self.target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error("cannot sync directory", dir, e))
    }
}

impl Drop for Candidate {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Writes `text` to `target` atomically: a reader sees the old file or the
/// new one, never a part.
pub(crate) fn write_atomic(target: &Path, text: &str) -> Result<()> {
    Candidate::write(target, text)?.commit()
}

/// Like [`write_atomic`], without waiting for the disk: for member changes,
/// which HAProxy already runs in memory. A reader (a reload, a restart of
/// HAProxy, another driver) still sees the old file or the new one, never
/// a part, because the rename is atomic; only an operating-system crash in
/// the next few seconds could lose the change (the kernel writes it back
/// on its own schedule). Balancer changes, which a reload depends on,
/// keep the synced [`write_atomic`].
pub(crate) fn write_atomic_unsynced(target: &Path, text: &str) -> Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = sibling(target, &format!(".tmp.{}.u{n}", std::process::id()));
    let result = fs::write(&temp, text)
        .map_err(|e| io_error("cannot write", &temp, e))
        .and_then(|()| {
            fs::rename(&temp, target).map_err(|e| io_error("cannot replace", target, e))
        });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Runs `haproxy -c -f <base> -f <candidate>` (no shell; every argument
/// passed on its own) and returns HAProxy's alerts when it rejects the set.
pub(crate) async fn check(haproxy: &Path, base: &[PathBuf], candidate: &Path) -> Result<()> {
    let mut command = tokio::process::Command::new(haproxy);
    command.arg("-c");
    for file in base {
        command.arg("-f").arg(file);
    }
    command
        .arg("-f")
        .arg(candidate)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().map_err(|e| {
        Error::new(
            ErrorKind::Transport,
            format!("cannot run {} -c: {e}", haproxy.display()),
        )
        .with_source(e)
    })?;
    let output = tokio::time::timeout(CHECK_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            Error::new(
                ErrorKind::Timeout,
                format!("{} -c ran longer than {CHECK_TIMEOUT:?}", haproxy.display()),
            )
        })?
        .map_err(|e| io_error("cannot wait for", haproxy, e))?;
    if output.status.success() {
        return Ok(());
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Err(Error::new(
        ErrorKind::Provider,
        format!("HAProxy rejected the configuration: {}", alerts(&text)),
    )
    .with_code("ConfigRejected"))
}

/// The `[ALERT]` lines of HAProxy's output (all of it if there are none),
/// trimmed to a readable length.
pub(crate) fn alerts(output: &str) -> String {
    let lines: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("[ALERT]"))
        .map(str::trim)
        .collect();
    let text = if lines.is_empty() {
        output.trim().to_owned()
    } else {
        lines.join("; ")
    };
    text.chars().take(2000).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lbcloud-haproxy-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = temp_dir("write");
        let target = dir.join("lbcloud.cfg");
        assert_eq!(read(&target).unwrap(), None);
        write_atomic(&target, "one\n").unwrap();
        write_atomic(&target, "two\n").unwrap();
        assert_eq!(read(&target).unwrap().as_deref(), Some("two\n"));
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![OsString::from("lbcloud.cfg")]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dropped_candidate_leaves_the_target_alone() {
        let dir = temp_dir("drop");
        let target = dir.join("lbcloud.cfg");
        write_atomic(&target, "old\n").unwrap();
        let candidate = Candidate::write(&target, "new\n").unwrap();
        assert_eq!(fs::read_to_string(candidate.path()).unwrap(), "new\n");
        let temp = candidate.path().to_path_buf();
        drop(candidate);
        assert!(!temp.exists());
        assert_eq!(read(&target).unwrap().as_deref(), Some("old\n"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn the_lock_excludes_a_second_holder_until_released() {
        let dir = temp_dir("lock");
        let target = dir.join("lbcloud.cfg");
        let first = FileLock::acquire(&target, LOCK_WAIT).await.unwrap();
        let err = FileLock::acquire(&target, Duration::from_millis(50))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout);
        drop(first);
        let again = FileLock::acquire(&target, Duration::from_millis(50)).await;
        assert!(again.is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_missing_haproxy_binary_is_a_transport_error() {
        let err = check(
            Path::new("/nonexistent/haproxy"),
            &[],
            Path::new("/tmp/x.cfg"),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport);
        assert!(err.message().contains("/nonexistent/haproxy"), "{err}");
    }

    #[test]
    fn alerts_keep_only_the_alert_lines() {
        let out = "[NOTICE]   (1) : haproxy version is 2.6.12\n\
                   [ALERT]    (1) : config : parsing [x.cfg:8] : unknown keyword 'garbage' in 'backend' section\n\
                   [ALERT]    (1) : config : Fatal errors found in configuration.\n";
        let text = alerts(out);
        assert!(text.contains("unknown keyword 'garbage'"), "{text}");
        assert!(!text.contains("NOTICE"), "{text}");
        assert_eq!(alerts("  plain failure \n"), "plain failure");
    }
}
