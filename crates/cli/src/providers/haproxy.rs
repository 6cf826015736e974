//! `lbcloud haproxy ...`: what only a local HAProxy has. `set-algorithm`
//! takes HAProxy's own words (`roundrobin`, `leastconn`, `source`, ...)
//! beside lbcloud's; `drain` and `ready` set a server's state (HAProxy's
//! `drain` keeps the server's sessions but sends it no new ones);
//! `set-certificate` swaps a TLS listener's PEM through
//! [`HaproxyDriver::ex_set_certificate`]; `show-stat` prints the rows of
//! HAProxy's `show stat` for the balancer, from the sockets the driver
//! was given (`-o admin_socket=...` or `-o master_socket=...`).

use clap::{Args, Subcommand};
use lbcloud::haproxy::HaproxyDriver;
use lbcloud::haproxy::cli::{Cli, Command as CliCommand, StatRow, Target, parse_show_stat};
use lbcloud::{Algorithm, Balancer, Driver, Error, Result, UpdateBalancer};
use serde::Serialize;

use super::concrete;
use crate::commands::{Session, balancer, members};
use crate::exit::Outcome;
use crate::output::{self, Table};
use crate::spec;

/// The provider's registry name.
const PROVIDER: &str = "haproxy";

/// The HAProxy commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Sets the balancing algorithm (lbcloud's names, or HAProxy's:
    /// roundrobin, leastconn, source, random, first).
    SetAlgorithm {
        /// The balancer's name.
        balancer: String,
        /// The algorithm.
        algorithm: String,
    },
    /// Drains a member: it keeps its sessions but gets no new ones.
    Drain(MemberArgs),
    /// Puts a drained or disabled member back in service.
    Ready(MemberArgs),
    /// Swaps the PEM file (certificate and key) of the TLS listener on a port.
    SetCertificate(CertificateArgs),
    /// HAProxy's statistics for the balancer: frontend, backend and each server.
    ShowStat {
        /// The balancer's name.
        balancer: String,
    },
}

/// A member of a balancer.
#[derive(Debug, Args)]
pub(crate) struct MemberArgs {
    /// The balancer's name.
    balancer: String,
    /// The member: its id, or ADDRESS:PORT.
    member: String,
}

/// `lbcloud haproxy set-certificate BALANCER --lb-port 443 --cert PATH`.
#[derive(Debug, Args)]
pub(crate) struct CertificateArgs {
    /// The balancer's name.
    balancer: String,
    /// The TLS listener's port.
    #[arg(long)]
    lb_port: u16,
    /// The PEM file with the certificate and its key, as HAProxy reads it.
    #[arg(long, value_name = "PATH")]
    cert: String,
}

/// One row of `show stat`, as `--output json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Stat {
    /// Which HAProxy process (0 for the first socket given, ...).
    node: usize,
    /// The proxy (the balancer's name).
    proxy: String,
    /// `FRONTEND`, `BACKEND`, or the server's name.
    server: String,
    /// `UP`, `DOWN`, `DRAIN`, `MAINT`, `OPEN`, `no check`, ...
    status: String,
    /// The server's weight.
    weight: Option<u32>,
    /// Sessions now.
    sessions_current: Option<u64>,
    /// Sessions since HAProxy started.
    sessions_total: Option<u64>,
    /// The last health check's status (`L7OK`, `L4CON`, ...).
    check_status: Option<String>,
}

impl Stat {
    fn of(node: usize, row: StatRow) -> Self {
        Self {
            node,
            proxy: row.proxy,
            server: row.server,
            status: row.status,
            weight: row.weight,
            sessions_current: row.sessions_current,
            sessions_total: row.sessions_total,
            check_status: row.check_status,
        }
    }
}

/// Runs a HAProxy command.
pub(crate) async fn run(s: &mut Session, command: Command) -> Outcome {
    match command {
        Command::SetAlgorithm {
            balancer: key,
            algorithm,
        } => {
            let algorithm = algorithm_of(&algorithm)?;
            let (driver, b) = haproxy_and(s, &key).await?;
            let updated = driver
                .update_balancer(&b, UpdateBalancer::new().algorithm(algorithm))
                .await?;
            s.out.one(&updated, output::balancer)
        }
        Command::Drain(m) => {
            haproxy(s.driver()?.as_ref())?;
            members::update(s, &m.balancer, &m.member, None, Some("draining")).await
        }
        Command::Ready(m) => {
            haproxy(s.driver()?.as_ref())?;
            members::update(s, &m.balancer, &m.member, None, Some("enabled")).await
        }
        Command::SetCertificate(a) => {
            let (driver, b) = haproxy_and(s, &a.balancer).await?;
            let updated = haproxy(driver.as_ref())?
                .ex_set_certificate(&b, a.lb_port, &a.cert)
                .await?;
            s.out.one(&updated, output::balancer)
        }
        Command::ShowStat { balancer: key } => show_stat(s, &key).await,
    }
}

/// The HAProxy driver and the balancer `key` names.
async fn haproxy_and(s: &mut Session, key: &str) -> Result<(std::sync::Arc<dyn Driver>, Balancer)> {
    let driver = s.driver()?;
    haproxy(driver.as_ref())?;
    let b = balancer(driver.as_ref(), key).await?;
    Ok((driver, b))
}

/// The HAProxy driver behind the session's `Arc<dyn Driver>`.
fn haproxy(driver: &dyn Driver) -> Result<&HaproxyDriver> {
    concrete::<HaproxyDriver>(driver, PROVIDER)
}

/// An algorithm from lbcloud's name or HAProxy's `balance` word.
fn algorithm_of(text: &str) -> Result<Algorithm> {
    let word = text.trim().to_ascii_lowercase();
    Ok(match word.as_str() {
        "roundrobin" => Algorithm::RoundRobin,
        "leastconn" => Algorithm::LeastConnections,
        "source" => Algorithm::PersistentIp,
        _ => spec::name_of::<Algorithm>("algorithm", &word)?,
    })
}

/// The sockets `show stat` is asked on: every admin socket given, else
/// every master socket (through it, the current worker).
fn stat_sockets(s: &Session) -> Result<Vec<(String, Target)>> {
    let config = s.config()?;
    let split = |key: &str| -> Vec<String> {
        config
            .get_option(key)
            .map(|v| {
                v.split([';', ','])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let admin = split("admin_socket");
    if !admin.is_empty() {
        return Ok(admin.into_iter().map(|p| (p, Target::Direct)).collect());
    }
    let master = split("master_socket");
    if master.is_empty() {
        return Err(Error::invalid_input(
            "master_socket",
            "show-stat needs the driver's sockets: give -o master_socket=PATH (or admin_socket)",
        ));
    }
    Ok(master
        .into_iter()
        .map(|p| (p, Target::CurrentWorker))
        .collect())
}

/// The statistics table.
fn stat_table(list: &[Stat]) -> Table {
    let mut t = Table::new(&[
        "NODE", "PROXY", "SERVER", "STATUS", "WEIGHT", "SESSIONS", "TOTAL", "CHECK",
    ]);
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    for r in list {
        t.row(vec![
            r.node.to_string(),
            r.proxy.clone(),
            r.server.clone(),
            r.status.clone(),
            dash(r.weight.map(|w| w.to_string())),
            dash(r.sessions_current.map(|n| n.to_string())),
            dash(r.sessions_total.map(|n| n.to_string())),
            dash(r.check_status.clone()),
        ]);
    }
    t
}

/// `lbcloud haproxy show-stat BALANCER`.
async fn show_stat(s: &mut Session, key: &str) -> Outcome {
    let (_driver, b) = haproxy_and(s, key).await?;
    let mut rows = Vec::new();
    for (node, (socket, target)) in stat_sockets(s)?.into_iter().enumerate() {
        let text = Cli::new(socket)
            .run(target, &CliCommand::show_stat())
            .await
            .map_err(|e| e.with_provider(PROVIDER))?;
        rows.extend(
            parse_show_stat(&text)?
                .into_iter()
                .filter(|r| r.proxy == b.name)
                .map(|r| Stat::of(node, r)),
        );
    }
    s.out.many(&rows, stat_table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haproxy_words_and_lbcloud_names_both_give_an_algorithm() -> Result<()> {
        assert_eq!(algorithm_of("roundrobin")?, Algorithm::RoundRobin);
        assert_eq!(algorithm_of("LeastConn")?, Algorithm::LeastConnections);
        assert_eq!(algorithm_of("source")?, Algorithm::PersistentIp);
        assert_eq!(algorithm_of("random")?, Algorithm::Random);
        assert_eq!(algorithm_of("first")?, Algorithm::First);
        assert_eq!(
            algorithm_of("weighted_least_connections")?,
            Algorithm::WeightedLeastConnections
        );
        let err = algorithm_of("fastest")
            .err()
            .map(|e| e.field().map(str::to_owned));
        assert_eq!(err, Some(Some("algorithm".to_owned())));
        Ok(())
    }

    #[test]
    fn stat_rows_keep_what_haproxy_counted() {
        let rows = parse_show_stat(
            "# pxname,svname,status,weight,scur,stot,check_status\n\
             web,b0,UP,1,0,7,L7OK\nother,b9,UP,1,0,3,L7OK\n",
        )
        .unwrap_or_default();
        let stat = rows.into_iter().next().map(|r| Stat::of(0, r));
        assert_eq!(
            stat,
            Some(Stat {
                node: 0,
                proxy: "web".into(),
                server: "b0".into(),
                status: "UP".into(),
                weight: Some(1),
                sessions_current: Some(0),
                sessions_total: Some(7),
                check_status: Some("L7OK".into()),
            })
        );
    }
}
