//! `lbcloud elb ...`: what only AWS classic ELB has, through
//! [`ElbDriver`]'s `ex_` methods. `describe-lbs` and
//! `set-lb-listener-ssl-cert` keep the names, flags and output of the old
//! ELB command-line tools (`elb-describe-lbs`, `elb-set-lb-listener-ssl-cert`).

use clap::{ArgGroup, Args, Subcommand};
use futures_util::TryStreamExt;
use lbcloud::elb::ElbDriver;
use lbcloud::elb::model::{Policy, PolicyAttribute};
use lbcloud::{Balancer, Listener, Result};
use serde::Serialize;

use super::concrete;
use crate::commands::{Session, balancer};
use crate::exit::Outcome;
use crate::output::{self, Table};
use crate::spec;

/// The provider's registry name.
const PROVIDER: &str = "elb";

/// The ELB commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Every balancer as `LOAD_BALANCER  NAME  CREATED`, page by page.
    DescribeLbs,
    /// Puts a certificate on the HTTPS or SSL listener of a port.
    SetLbListenerSslCert(SslCertArgs),
    /// Policies of a balancer: list, create, delete, set on a port.
    #[command(subcommand)]
    Policies(PolicyCommand),
    /// Listeners of a balancer: create, delete.
    #[command(subcommand)]
    Listeners(ListenerCommand),
}

/// `lbcloud elb set-lb-listener-ssl-cert NAME --lb-port 443 --cert-id ARN`.
#[derive(Debug, Args)]
pub(crate) struct SslCertArgs {
    /// The balancer's name.
    name: String,
    /// The listener's port.
    #[arg(long)]
    lb_port: u16,
    /// The certificate's ARN (arn:aws:iam::ACCOUNT:server-certificate/NAME).
    #[arg(long, value_name = "ARN")]
    cert_id: String,
}

/// `lbcloud elb policies ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// The balancer's policies, with their types and attributes.
    List {
        /// The balancer's name.
        balancer: String,
    },
    /// Creates a policy.
    Create {
        /// The balancer's name.
        balancer: String,
        /// The new policy's name.
        policy: String,
        /// Its type, for example ProxyProtocolPolicyType.
        #[arg(long = "type", value_name = "TYPE")]
        policy_type: String,
        /// An attribute NAME=VALUE (repeatable), for example ProxyProtocol=true.
        #[arg(long = "attribute", value_name = "NAME=VALUE")]
        attributes: Vec<String>,
    },
    /// Deletes a policy the balancer no longer uses.
    Delete {
        /// The balancer's name.
        balancer: String,
        /// The policy's name.
        policy: String,
    },
    /// Sets the policies of a listener (--lb-port) or of an instance port
    /// (--backend-port); no POLICY clears them.
    Set(SetPoliciesArgs),
}

/// `lbcloud elb policies set`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("port").required(true).args(["lb_port", "backend_port"])))]
pub(crate) struct SetPoliciesArgs {
    /// The balancer's name.
    balancer: String,
    /// The front port of the listener.
    #[arg(long)]
    lb_port: Option<u16>,
    /// The port on the instances.
    #[arg(long)]
    backend_port: Option<u16>,
    /// The policies, replacing the ones there.
    policies: Vec<String>,
}

/// `lbcloud elb listeners ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ListenerCommand {
    /// Adds listeners (LISTENER specs, see `lbcloud --help`).
    Create {
        /// The balancer's name.
        balancer: String,
        /// The listeners, as http:80->http:8080 or https:443->http:8080,cert=ARN.
        #[arg(required = true, value_name = "LISTENER")]
        listeners: Vec<String>,
    },
    /// Removes the listeners on these front ports.
    Delete {
        /// The balancer's name.
        balancer: String,
        /// A front port (repeatable).
        #[arg(long = "lb-port", required = true, value_name = "PORT")]
        ports: Vec<u16>,
    },
}

/// What `policies delete` prints in JSON.
#[derive(Debug, Serialize)]
struct PolicyDeleted<'a> {
    balancer: &'a str,
    policy: &'a str,
    deleted: bool,
}

/// What `policies set` prints in JSON.
#[derive(Debug, Serialize)]
struct PoliciesSet<'a> {
    balancer: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lb_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backend_port: Option<u16>,
    policies: &'a [String],
}

/// Runs an ELB command.
pub(crate) async fn run(s: &mut Session, command: Command) -> Outcome {
    match command {
        Command::DescribeLbs => describe_lbs(s).await,
        Command::SetLbListenerSslCert(a) => set_ssl_cert(s, a).await,
        Command::Policies(p) => policies(s, p).await,
        Command::Listeners(l) => listeners(s, l).await,
    }
}

/// The ELB driver and the balancer `key` names (an extra lookup, so a
/// missing balancer is `NotFound` even where the peer would accept it).
async fn elb_and(
    s: &mut Session,
    key: &str,
) -> Result<(std::sync::Arc<dyn lbcloud::Driver>, Balancer)> {
    let driver = s.driver()?;
    elb(driver.as_ref())?;
    let b = balancer(driver.as_ref(), key).await?;
    Ok((driver, b))
}

/// The ELB driver behind the session's `Arc<dyn Driver>`.
fn elb(driver: &dyn lbcloud::Driver) -> Result<&ElbDriver> {
    concrete::<ElbDriver>(driver, PROVIDER)
}

/// One row of `describe-lbs`, as `elb-describe-lbs` printed it.
fn describe_row(b: &Balancer) -> Vec<String> {
    vec![
        "LOAD_BALANCER".to_owned(),
        b.name.clone(),
        output::time(b.created_at),
    ]
}

/// `lbcloud elb describe-lbs`.
async fn describe_lbs(s: &mut Session) -> Outcome {
    let driver = s.driver()?;
    elb(driver.as_ref())?;
    let mut pages = driver.list_balancers_pages();
    let mut stream = s.out.stream(None, &[13, 20, 24], describe_row);
    while let Some(page) = pages.try_next().await? {
        stream.page(&page)?;
    }
    stream.end()
}

/// `lbcloud elb set-lb-listener-ssl-cert NAME --lb-port P --cert-id ARN`:
/// prints `OK-Setting SSL Certificate`, or in JSON the listener as ELB
/// now reports it.
async fn set_ssl_cert(s: &mut Session, a: SslCertArgs) -> Outcome {
    let (driver, b) = elb_and(s, &a.name).await?;
    elb(driver.as_ref())?
        .ex_set_balancer_listener_ssl_certificate(&b, a.lb_port, &a.cert_id)
        .await?;
    if !s.out.is_json() {
        return s.out.done("OK-Setting SSL Certificate", &());
    }
    let now = driver.get_balancer(&b.id).await?;
    let listener = now.listener(a.lb_port).cloned();
    s.out
        .one(&listener, |_| Table::text("OK-Setting SSL Certificate"))
}

/// The policies table.
fn policy_table(list: &[Policy]) -> Table {
    let mut t = Table::new(&["POLICY", "TYPE", "ATTRIBUTES"]);
    for p in list {
        let attrs: Vec<String> = p
            .attributes
            .iter()
            .map(|a| format!("{}={}", a.name, a.value))
            .collect();
        t.row(vec![p.name.clone(), p.type_name.clone(), attrs.join(",")]);
    }
    t
}

/// `lbcloud elb policies ...`.
async fn policies(s: &mut Session, command: PolicyCommand) -> Outcome {
    match command {
        PolicyCommand::List { balancer } => {
            let (driver, b) = elb_and(s, &balancer).await?;
            let list = elb(driver.as_ref())?.ex_list_balancer_policies(&b).await?;
            s.out.many(&list, policy_table)
        }
        PolicyCommand::Create {
            balancer,
            policy,
            policy_type,
            attributes,
        } => {
            let attrs = attributes
                .iter()
                .map(|a| spec::key_value("attribute", a).map(|(k, v)| PolicyAttribute::new(k, v)))
                .collect::<Result<Vec<_>>>()?;
            let (driver, b) = elb_and(s, &balancer).await?;
            let created = elb(driver.as_ref())?
                .ex_create_balancer_policy(&b, &policy, &policy_type, &attrs)
                .await?;
            s.out
                .one(&created, |p| policy_table(std::slice::from_ref(p)))
        }
        PolicyCommand::Delete { balancer, policy } => {
            let (driver, b) = elb_and(s, &balancer).await?;
            elb(driver.as_ref())?
                .ex_delete_balancer_policy(&b, &policy)
                .await?;
            let text = format!("deleted policy {policy} of {}", b.name);
            let json = PolicyDeleted {
                balancer: &b.name,
                policy: &policy,
                deleted: true,
            };
            s.out.done(&text, &json)
        }
        PolicyCommand::Set(a) => {
            let (driver, b) = elb_and(s, &a.balancer).await?;
            let driver = elb(driver.as_ref())?;
            // clap's group lets exactly one of the two ports through.
            let target = match (a.lb_port, a.backend_port) {
                (Some(port), _) => {
                    driver
                        .ex_set_balancer_policies_listener(&b, port, &a.policies)
                        .await?;
                    format!("listener {port}")
                }
                (None, Some(port)) => {
                    driver
                        .ex_set_balancer_policies_backend_server(&b, port, &a.policies)
                        .await?;
                    format!("instance port {port}")
                }
                (None, None) => {
                    let e = lbcloud::Error::invalid_input(
                        "lb_port",
                        "give --lb-port or --backend-port",
                    );
                    return Err(e.into());
                }
            };
            let text = if a.policies.is_empty() {
                format!("cleared the policies of {target} of {}", b.name)
            } else {
                format!(
                    "set the policies of {target} of {}: {}",
                    b.name,
                    a.policies.join(",")
                )
            };
            let json = PoliciesSet {
                balancer: &b.name,
                lb_port: a.lb_port,
                backend_port: a.backend_port,
                policies: &a.policies,
            };
            s.out.done(&text, &json)
        }
    }
}

/// The listeners table.
fn listener_table(list: &[Listener]) -> Table {
    let mut t = Table::new(&[
        "PORT",
        "PROTOCOL",
        "INSTANCE_PORT",
        "INSTANCE_PROTOCOL",
        "CERTIFICATE",
        "POLICIES",
    ]);
    for l in list {
        t.row(vec![
            l.port.to_string(),
            l.protocol.to_string(),
            l.instance_port.to_string(),
            l.effective_instance_protocol().to_string(),
            l.certificate_id.clone().unwrap_or_else(|| "-".to_owned()),
            if l.policies.is_empty() {
                "-".to_owned()
            } else {
                l.policies.join(",")
            },
        ]);
    }
    t
}

/// `lbcloud elb listeners ...`: prints the balancer's listeners afterwards.
async fn listeners(s: &mut Session, command: ListenerCommand) -> Outcome {
    let (driver, b) = match &command {
        ListenerCommand::Create {
            balancer,
            listeners,
        } => {
            let parsed = listeners
                .iter()
                .map(|l| spec::listener(l))
                .collect::<Result<Vec<_>>>()?;
            let (driver, b) = elb_and(s, balancer).await?;
            elb(driver.as_ref())?
                .ex_create_balancer_listeners(&b, &parsed)
                .await?;
            (driver, b)
        }
        ListenerCommand::Delete { balancer, ports } => {
            let (driver, b) = elb_and(s, balancer).await?;
            elb(driver.as_ref())?
                .ex_delete_balancer_listeners(&b, ports)
                .await?;
            (driver, b)
        }
    };
    let now = driver.get_balancer(&b.id).await?;
    s.out.many(&now.listeners, listener_table)
}
