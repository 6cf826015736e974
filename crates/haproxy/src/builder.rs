//! [`HaproxyDriverBuilder`] and [`HaproxyDriverFactory`] (connection from a
//! generic [`Config`]).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use lbcloud_core::{Config, Driver, DriverFactory, Error, Result};

use crate::HaproxyDriver;
use crate::node::{Node, Timeouts};
use crate::validate;

/// The `Config` options the factory reads. Every other option is refused.
pub const OPTIONS: [&str; 8] = [
    "config_file",
    "master_socket",
    "admin_socket",
    "base_config",
    "haproxy_bin",
    "bind_address",
    "cli_timeout_ms",
    "reload_timeout_ms",
];

/// Builds a [`HaproxyDriver`].
///
/// One node is one HAProxy process: its owned config file, its master CLI
/// socket (`haproxy -W -S <socket>`) and optionally its worker's admin
/// stats socket. Give several files and sockets (the same number of each)
/// for a fleet: every change then goes to every node.
///
/// ```
/// use lbcloud_haproxy::HaproxyDriver;
///
/// let err = HaproxyDriver::builder().master_socket("/run/m.sock").build().unwrap_err();
/// assert_eq!(err.field(), Some("config_file"));
/// let err = HaproxyDriver::builder()
///     .config_file("/etc/haproxy/lbcloud.cfg")
///     .master_socket("/run/m sock")
///     .build()
///     .unwrap_err();
/// assert_eq!(err.field(), Some("master_socket"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct HaproxyDriverBuilder {
    config_files: Vec<String>,
    master_sockets: Vec<String>,
    admin_sockets: Vec<String>,
    base_configs: Vec<String>,
    haproxy_bin: Option<String>,
    bind_address: Option<String>,
    cli_timeout: Option<Duration>,
    reload_timeout: Option<Duration>,
}

impl HaproxyDriverBuilder {
    /// Adds a node's owned config file (HAProxy loads it with one more `-f`).
    pub fn config_file(mut self, path: impl Into<String>) -> Self {
        self.config_files.push(path.into());
        self
    }

    /// Adds a node's master CLI socket.
    pub fn master_socket(mut self, path: impl Into<String>) -> Self {
        self.master_sockets.push(path.into());
        self
    }

    /// Adds a node's worker admin socket (`stats socket ... level admin`);
    /// without one, runtime commands go through the master CLI.
    pub fn admin_socket(mut self, path: impl Into<String>) -> Self {
        self.admin_sockets.push(path.into());
        self
    }

    /// Adds a config file HAProxy loads before the owned one (the user's
    /// own `haproxy.cfg`), for `haproxy -c`. One list for every node, or one
    /// file per node.
    pub fn base_config(mut self, path: impl Into<String>) -> Self {
        self.base_configs.push(path.into());
        self
    }

    /// The `haproxy` binary for `haproxy -c` (default: `haproxy` on `PATH`,
    /// then `/usr/sbin/haproxy`).
    pub fn haproxy_bin(mut self, path: impl Into<String>) -> Self {
        self.haproxy_bin = Some(path.into());
        self
    }

    /// The address balancers bind (default `0.0.0.0`).
    pub fn bind_address(mut self, addr: impl Into<String>) -> Self {
        self.bind_address = Some(addr.into());
        self
    }

    /// The time limit of one CLI exchange (default 10 s).
    pub fn cli_timeout(mut self, timeout: Duration) -> Self {
        self.cli_timeout = Some(timeout);
        self
    }

    /// How long a reload may take to show a new worker (default 15 s).
    pub fn reload_timeout(mut self, timeout: Duration) -> Self {
        self.reload_timeout = Some(timeout);
        self
    }

    /// Checks every setting (no I/O beyond finding the binary) and builds.
    pub fn build(self) -> Result<HaproxyDriver> {
        let paths = |field: &str, list: &[String]| -> Result<Vec<PathBuf>> {
            list.iter()
                .map(|p| validate::file_path(field, p).map(|()| PathBuf::from(p)))
                .collect()
        };
        let configs = paths("config_file", &self.config_files)?;
        let masters = paths("master_socket", &self.master_sockets)?;
        let admins = paths("admin_socket", &self.admin_sockets)?;
        let bases = paths("base_config", &self.base_configs)?;
        if configs.is_empty() {
            return Err(Error::invalid_input("config_file", "is required"));
        }
        if masters.len() != configs.len() {
            return Err(Error::invalid_input(
                "master_socket",
                format!(
                    "needs one socket per config_file ({} given for {} files)",
                    masters.len(),
                    configs.len()
                ),
            ));
        }
        if !admins.is_empty() && admins.len() != configs.len() {
            return Err(Error::invalid_input(
                "admin_socket",
                "needs none or one socket per config_file",
            ));
        }
        let per_node_base = bases.len() == configs.len() && configs.len() > 1;
        let nodes = configs
            .into_iter()
            .zip(masters)
            .enumerate()
            .map(|(i, (config_file, master_socket))| Node {
                config_file,
                master_socket,
                admin_socket: admins.get(i).cloned(),
                base_config: if per_node_base {
                    bases.get(i).cloned().into_iter().collect()
                } else {
                    bases.clone()
                },
            })
            .collect();
        let haproxy = match self.haproxy_bin {
            Some(bin) => {
                validate::file_path("haproxy_bin", &bin)?;
                PathBuf::from(bin)
            }
            None => find_haproxy().ok_or_else(|| {
                Error::invalid_input(
                    "haproxy_bin",
                    "no `haproxy` on PATH or in /usr/sbin; install HAProxy or set haproxy_bin",
                )
            })?,
        };
        let bind_address: IpAddr = match &self.bind_address {
            Some(addr) => validate::address("bind_address", addr)?,
            None => IpAddr::from([0, 0, 0, 0]),
        };
        Ok(HaproxyDriver {
            nodes,
            haproxy,
            bind_address,
            timeouts: Timeouts {
                cli: self.cli_timeout.unwrap_or(Duration::from_secs(10)),
                reload: self.reload_timeout.unwrap_or(Duration::from_secs(15)),
            },
            parsed: std::sync::Arc::default(),
        })
    }
}

/// `haproxy` on `PATH`, else in the usual system directories.
fn find_haproxy() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join("haproxy"))
        .find(|p| Path::is_file(p))
}

/// Connects [`HaproxyDriver`]s from a generic [`Config`], for the registry
/// (`lbcloud::get_driver(Provider::Haproxy)`).
///
/// Options (`Config::option`): `config_file` and `master_socket`
/// (required), `admin_socket`, `base_config`, `haproxy_bin`,
/// `bind_address`, `cli_timeout_ms`, `reload_timeout_ms`. A fleet lists
/// several files and sockets separated by `;` (or `,` where the option is
/// not itself inside a comma-separated `LBCLOUD_OPTIONS`); paths can hold
/// neither. Any other option is `InvalidInput` naming it.
///
/// ```
/// use lbcloud_core::{Config, DriverFactory};
/// use lbcloud_haproxy::HaproxyDriverFactory;
///
/// let err = HaproxyDriverFactory
///     .connect(Config::new().option("config_file", "/tmp/lbcloud.cfg").option("colour", "red"))
///     .unwrap_err();
/// assert_eq!(err.field(), Some("colour"));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HaproxyDriverFactory;

impl DriverFactory for HaproxyDriverFactory {
    fn name(&self) -> &str {
        "haproxy"
    }

    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
        if let Some(unknown) = config
            .options()
            .keys()
            .find(|k| !OPTIONS.contains(&k.as_str()))
        {
            return Err(Error::invalid_input(
                unknown.clone(),
                format!(
                    "is not an option of the haproxy driver (known: {})",
                    OPTIONS.join(", ")
                ),
            ));
        }
        let list = |key: &str| -> Vec<String> {
            config
                .get_option(key)
                .map(|v| {
                    v.split([';', ','])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let millis = |key: &str| -> Result<Option<Duration>> {
            config
                .get_option(key)
                .map(|v| {
                    v.parse::<u64>().map(Duration::from_millis).map_err(|_| {
                        Error::invalid_input(key, "must be a whole number of milliseconds")
                    })
                })
                .transpose()
        };
        let mut b = HaproxyDriver::builder();
        b.config_files = list("config_file");
        b.master_sockets = list("master_socket");
        b.admin_sockets = list("admin_socket");
        b.base_configs = list("base_config");
        b.haproxy_bin = config.get_option("haproxy_bin").map(str::to_owned);
        b.bind_address = config.get_option("bind_address").map(str::to_owned);
        b.cli_timeout = millis("cli_timeout_ms")?;
        b.reload_timeout = millis("reload_timeout_ms")?;
        Ok(Arc::new(b.build()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factory_reads_options_and_lists() {
        let config = Config::new()
            .option("config_file", "/tmp/a.cfg; /tmp/b.cfg")
            .option("master_socket", "/tmp/a.sock,/tmp/b.sock")
            .option("base_config", "/etc/haproxy/haproxy.cfg")
            .option("haproxy_bin", "/usr/sbin/haproxy")
            .option("bind_address", "127.0.0.1");
        let driver = HaproxyDriverFactory.connect(config).unwrap();
        let driver = driver.as_any().downcast_ref::<HaproxyDriver>().unwrap();
        assert_eq!(driver.nodes.len(), 2);
        assert_eq!(driver.nodes[1].master_socket, PathBuf::from("/tmp/b.sock"));
        assert_eq!(
            driver.nodes[1].base_config,
            vec![PathBuf::from("/etc/haproxy/haproxy.cfg")]
        );
        assert_eq!(driver.bind_address.to_string(), "127.0.0.1");
    }

    #[test]
    fn bad_settings_name_their_field() {
        let base = || {
            Config::new()
                .option("config_file", "/tmp/a.cfg")
                .option("master_socket", "/tmp/a.sock")
                .option("haproxy_bin", "/usr/sbin/haproxy")
        };
        let cases = [
            (base().option("bind_address", "localhost"), "bind_address"),
            (
                base().option("master_socket", "/tmp/a.sock,/tmp/b.sock"),
                "master_socket",
            ),
            (base().option("config_file", "relative.cfg"), "config_file"),
            (
                base().option("admin_socket", "/tmp/x;reload"),
                "admin_socket",
            ),
            (base().option("cli_timeout_ms", "soon"), "cli_timeout_ms"),
            (base().option("haproxy_bin", "haproxy"), "haproxy_bin"),
            (
                Config::new().option("master_socket", "/tmp/a.sock"),
                "config_file",
            ),
        ];
        for (config, field) in cases {
            let err = HaproxyDriverFactory.connect(config).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
    }
}
