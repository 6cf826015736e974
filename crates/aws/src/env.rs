//! Where the builder reads environment variables and the home directory.
//!
//! Resolution reads the process environment only through [`Env`], so tests
//! can hand it a fixed map instead of mutating the (process-wide, shared by
//! parallel test threads) real environment.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A source of environment variables and of the home directory.
///
/// [`Env::process`] (the default) reads the real process environment;
/// [`Env::from_pairs`] and [`Env::from_fn`] make resolution testable.
/// An empty variable counts as unset, as in the AWS tools.
///
/// ```
/// use lbcloud_aws::Env;
///
/// let env = Env::from_pairs([("AWS_REGION", "eu-west-1"), ("AWS_PROFILE", "")])
///     .with_home("/home/alice");
/// assert_eq!(env.var("AWS_REGION").as_deref(), Some("eu-west-1"));
/// assert_eq!(env.var("AWS_PROFILE"), None);
/// assert_eq!(env.home().map(|p| p.display().to_string()).as_deref(), Some("/home/alice"));
/// ```
#[derive(Clone)]
pub struct Env {
    lookup: Lookup,
    home: Option<PathBuf>,
}

impl Env {
    /// The real process environment; the home directory from `HOME`
    /// (or `USERPROFILE` on Windows).
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Self {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            home,
        }
    }

    /// No variables and no home directory: nothing is read from the process.
    pub fn empty() -> Self {
        Self::from_fn(|_| None)
    }

    /// A fixed set of variables and no home directory (add one with [`Env::with_home`]).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let map: BTreeMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self::from_fn(move |name| map.get(name).cloned())
    }

    /// Variables from a lookup function and no home directory.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self {
            lookup: Arc::new(lookup),
            home: None,
        }
    }

    /// Sets the home directory the `~/.aws/...` files are found under.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The value of variable `name`, or `None` when unset or empty.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.is_empty())
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&std::path::Path> {
        self.home.as_deref()
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for Env {
    // Values are never printed: the environment holds secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}
