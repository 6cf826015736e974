//! [`CredentialsCache`]: credentials fetched once, shared, and refreshed
//! before they expire, with one refresh in flight at a time.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use lbcloud_core::Result;

use super::{Credentials, ProvideCredentials, SharedProvider, format_time};

/// How long before expiry credentials are refreshed by default.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);
/// After a refresh that gave credentials already inside the refresh buffer
/// (or after a failed refresh while the old ones still work), the next try
/// waits at least this long, so a source is not asked on every request.
const RETRY_REFRESH_AFTER: Duration = Duration::from_secs(10);

/// Caches what a [`ProvideCredentials`] returns and asks it again shortly
/// before the credentials expire.
///
/// Clones share one cache. Only one refresh runs at a time: concurrent
/// requests that find the credentials stale wait for that one refresh
/// instead of each asking the source. When a refresh fails but the cached
/// credentials have not expired yet, they keep being used (a warning is
/// logged), so a brief outage of the source does not fail requests.
///
/// ```
/// use lbcloud_aws::{Credentials, CredentialsCache, ProvideCredentials};
/// use std::sync::Arc;
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let cache = CredentialsCache::new(Arc::new(Credentials::new("AKID", "secret")));
/// let a = cache.credentials().await.unwrap();
/// let b = cache.clone().provide_credentials().await.unwrap();
/// assert_eq!(a, b);
/// # }
/// ```
#[derive(Clone)]
pub struct CredentialsCache {
    inner: Arc<Inner>,
}

struct Inner {
    source: SharedProvider,
    refresh_buffer: Duration,
    /// The cached credentials and when to refresh them.
    current: RwLock<Option<Cached>>,
    /// Held while a refresh runs; an async mutex, held across the fetch.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    refresh_at: Option<SystemTime>,
}

impl CredentialsCache {
    /// A cache in front of `source`, refreshing 5 minutes before expiry.
    pub fn new(source: SharedProvider) -> Self {
        Self::with_refresh_buffer(source, DEFAULT_REFRESH_BUFFER)
    }

    /// A cache that refreshes `buffer` before expiry.
    pub fn with_refresh_buffer(source: SharedProvider, buffer: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                source,
                refresh_buffer: buffer,
                current: RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The source behind the cache.
    pub fn source(&self) -> &SharedProvider {
        &self.inner.source
    }

    /// Valid credentials: the cached ones, or fresh ones from the source.
    pub async fn credentials(&self) -> Result<Credentials> {
        if let Some(c) = self.fresh(SystemTime::now()) {
            return Ok(c);
        }
        let _guard = self.inner.refreshing.lock().await;
        // Another task may have refreshed while this one waited.
        let now = SystemTime::now();
        if let Some(c) = self.fresh(now) {
            return Ok(c);
        }
        let old = self.read().clone();
        match self.inner.source.provide_credentials().await {
            Ok(credentials) => {
                let refresh_at = self.refresh_time(&credentials, SystemTime::now());
                tracing::debug!(
                    access_key_id = credentials.access_key_id(),
                    expiry = credentials.expiry().map(format_time).as_deref(),
                    "credentials refreshed"
                );
                *self.write() = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(err) => match old {
                Some(old) if !is_expired(&old.credentials, now) => {
                    tracing::warn!(
                        error = %err,
                        "refreshing credentials failed; using the cached ones until they expire"
                    );
                    let retry_at = now + RETRY_REFRESH_AFTER;
                    *self.write() = Some(Cached {
                        refresh_at: Some(
                            old.credentials
                                .expiry()
                                .map_or(retry_at, |e| e.min(retry_at)),
                        ),
                        ..old.clone()
                    });
                    Ok(old.credentials)
                }
                _ => Err(err),
            },
        }
    }

    /// The cached credentials if they need no refresh at `now`.
    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let current = self.read();
        let cached = current.as_ref()?;
        match cached.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(cached.credentials.clone()),
        }
    }

    fn refresh_time(&self, c: &Credentials, now: SystemTime) -> Option<SystemTime> {
        let expiry = c.expiry()?;
        let planned = expiry
            .checked_sub(self.inner.refresh_buffer)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        if planned > now {
            return Some(planned);
        }
        // Already inside the buffer: use them, and ask again soon (but not
        // on every request), or at expiry, whichever is first.
        Some((now + RETRY_REFRESH_AFTER).min(expiry))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Cached>> {
        self.inner
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Cached>> {
        self.inner
            .current
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn is_expired(c: &Credentials, now: SystemTime) -> bool {
    c.expiry().is_some_and(|e| now >= e)
}

#[async_trait]
impl ProvideCredentials for CredentialsCache {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.credentials().await
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("source", &self.inner.source)
            .field(
                "cached",
                &self.read().as_ref().map(|c| c.credentials.clone()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_core::{Error, ErrorKind};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hands out the scripted answers in order, counting calls.
    #[derive(Debug)]
    struct Script {
        answers: Mutex<Vec<Result<Credentials>>>,
        calls: AtomicUsize,
        delay: Duration,
    }

    impl Script {
        fn new(answers: Vec<Result<Credentials>>) -> Arc<Self> {
            Arc::new(Self {
                answers: Mutex::new(answers),
                calls: AtomicUsize::new(0),
                delay: Duration::from_millis(50),
            })
        }
    }

    #[async_trait]
    impl ProvideCredentials for Script {
        async fn provide_credentials(&self) -> Result<Credentials> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            let mut a = self.answers.lock().unwrap();
            if a.is_empty() {
                return Err(Error::new(ErrorKind::Unauthenticated, "script ran dry"));
            }
            a.remove(0)
        }
    }

    fn expiring_in(key: &str, secs: u64) -> Credentials {
        Credentials::new(key, "s").with_expiry(SystemTime::now() + Duration::from_secs(secs))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_refresh_for_many_concurrent_callers_and_clones_share() {
        let script = Script::new(vec![Ok(expiring_in("K1", 3600))]);
        let cache = CredentialsCache::new(script.clone());
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let c = cache.clone();
            tasks.push(tokio::spawn(async move { c.credentials().await }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().access_key_id(), "K1");
        }
        assert_eq!(script.calls.load(Ordering::SeqCst), 1);
        assert!(format!("{cache:?}").contains("K1"));
    }

    #[tokio::test]
    async fn refreshes_inside_the_buffer_and_keeps_working_creds_on_failure() {
        let script = Script::new(vec![
            Ok(expiring_in("K1", 2)),
            Err(Error::new(ErrorKind::Unauthenticated, "source down")),
            Ok(expiring_in("K2", 3600)),
        ]);
        let cache = CredentialsCache::with_refresh_buffer(script.clone(), Duration::from_secs(1));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "K1");
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "K1");
        assert_eq!(script.calls.load(Ordering::SeqCst), 1, "still fresh");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        // Inside the buffer: the refresh fails, the old ones still work.
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "K1");
        assert_eq!(script.calls.load(Ordering::SeqCst), 2);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        // Now expired: the refresh is forced and succeeds.
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "K2");
    }

    #[tokio::test]
    async fn a_failure_with_nothing_cached_is_returned() {
        let script = Script::new(vec![Err(Error::new(ErrorKind::Unauthenticated, "nope"))]);
        let cache = CredentialsCache::new(script);
        assert_eq!(cache.credentials().await.unwrap_err().message(), "nope");
    }

    #[test]
    fn short_lived_credentials_are_not_refetched_on_every_call() {
        let cache = CredentialsCache::new(Script::new(vec![]));
        let now = SystemTime::now();
        let c = Credentials::new("K", "s").with_expiry(now + Duration::from_secs(60));
        let at = cache.refresh_time(&c, now).unwrap();
        assert_eq!(at, now + RETRY_REFRESH_AFTER);
        let long = Credentials::new("K", "s").with_expiry(now + Duration::from_secs(3600));
        assert_eq!(
            cache.refresh_time(&long, now),
            Some(now + Duration::from_secs(3600) - DEFAULT_REFRESH_BUFFER)
        );
        assert_eq!(cache.refresh_time(&Credentials::new("K", "s"), now), None);
    }
}
