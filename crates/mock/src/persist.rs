//! Optional persistence of the mock's whole state to one JSON file.
//!
//! The file is read before every call and written after every change, by
//! writing a temporary file next to it and renaming it over the old one, so
//! a reader never sees half a file. Separate processes (for example
//! successive command-line invocations) therefore share the same balancers.
//! A change (read, modify, write) runs under an exclusive advisory lock on
//! `<file>.lock`, so two processes changing the state at the same instant
//! both keep their change; the operating system releases the lock if a
//! process dies holding it.

use std::io::{ErrorKind as IoKind, Write};
use std::path::Path;

use lbcloud_core::{Error, ErrorKind, Result};

use crate::state::{MockState, STATE_VERSION};

/// An exclusive lock on the state file's `.lock` companion, held for one
/// read-modify-write; released when dropped.
#[derive(Debug)]
pub(crate) struct WriteLock {
    _file: std::fs::File,
}

/// Takes the write lock of the state file at `path`, waiting while another
/// process (or another driver on the same file) holds it. A change holds it
/// for milliseconds, so the wait is short even though it blocks the thread.
pub(crate) fn lock_for_write(path: &Path) -> Result<WriteLock> {
    let lock_path = companion(path, ".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io_error("open the lock of", path, e))?;
    file.lock().map_err(|e| io_error("lock", path, e))?;
    Ok(WriteLock { _file: file })
}

/// `path` with `suffix` added to its file name.
fn companion(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Reads the state from `path`; a missing file is an empty state.
pub(crate) fn load(path: &Path) -> Result<MockState> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == IoKind::NotFound => return Ok(MockState::default()),
        Err(e) => return Err(io_error("read", path, e)),
    };
    let state: MockState = serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("state file {} is not a mock state: {e}", path.display()),
        )
        .with_provider("mock")
        .with_source(e)
    })?;
    if state.version != STATE_VERSION {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            format!(
                "state file {} has version {}, this mock reads version {STATE_VERSION}",
                path.display(),
                state.version
            ),
        )
        .with_provider("mock"));
    }
    Ok(state)
}

/// Writes the state to `path` atomically (temporary file, then rename).
pub(crate) fn save(path: &Path, state: &MockState) -> Result<()> {
    let json = serde_json::to_vec_pretty(state).map_err(|e| {
        Error::new(ErrorKind::Provider, "cannot encode the mock state")
            .with_provider("mock")
            .with_source(e)
    })?;
    let tmp = companion(path, &format!(".tmp.{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        // Best effort: do not leave the temporary file behind.
        let _ = std::fs::remove_file(&tmp);
        io_error("write", path, e)
    })
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Provider,
        format!("cannot {what} state file {}: {e}", path.display()),
    )
    .with_provider("mock")
    .with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_core::{CreateBalancer, Protocol};

    fn temp_path(tag: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("lbcloud-mock-{tag}-{}.json", std::process::id()))
    }

    #[test]
    fn missing_file_is_empty_state_and_round_trip_is_exact() {
        let path = temp_path("roundtrip");
        let _ = std::fs::remove_file(&path);
        assert_eq!(load(&path).unwrap(), MockState::default());
        let mut state = MockState::default();
        state
            .create(CreateBalancer::new("web", 80, Protocol::Http))
            .unwrap();
        save(&path, &state).unwrap();
        assert_eq!(load(&path).unwrap(), state);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_corrupt_or_foreign_file_is_an_error_not_a_panic() {
        let path = temp_path("corrupt");
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(load(&path).unwrap_err().kind(), ErrorKind::InvalidResponse);
        let mut json = serde_json::to_value(MockState::default()).unwrap();
        json["version"] = 99.into();
        std::fs::write(&path, json.to_string()).unwrap();
        let err = load(&path).unwrap_err();
        assert!(err.message().contains("version 99"), "{err}");
        std::fs::remove_file(&path).unwrap();
    }
}
