//! `lbcloud elbv2 ...`: what only AWS ELBv2 (Application and Network Load
//! Balancers) has, through [`Elbv2Driver`]'s `ex_` methods: target groups
//! and their targets, listener rules (a path pattern forwarded to a target
//! group) and a listener's extra certificates.
//!
//! A balancer is named as in the base commands (its name or ARN), a
//! listener by its balancer and front port (`--lb-port`), a target group
//! by its name or ARN, a rule by its ARN (`rules list` prints them).

use clap::{Args, Subcommand};
use lbcloud::elbv2::Elbv2Driver;
use lbcloud::elbv2::model::{
    Action, Certificate, CreateRuleInput, CreateTargetGroupInput, Elbv2Protocol,
    HealthCheckSettings, Listener, Rule, RuleCondition, TargetDescription, TargetGroup,
    TargetHealthDescription, TargetType,
};
use lbcloud::elbv2::request::TargetGroupFilter;
use lbcloud::{Driver, Error, ErrorKind, HealthCheck, Protocol, Result};
use serde::Serialize;

use super::concrete;
use crate::commands::{Session, balancer};
use crate::exit::Outcome;
use crate::output::Table;
use crate::spec;

/// The provider's registry name.
const PROVIDER: &str = "elbv2";

/// The ELBv2 commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Target groups: list, create, delete.
    #[command(subcommand)]
    TargetGroups(GroupCommand),
    /// The targets of a target group, with their health: list, register, deregister.
    #[command(subcommand)]
    Targets(TargetCommand),
    /// The rules of a listener: list, create (a path pattern forwarded to a
    /// target group), delete.
    #[command(subcommand)]
    Rules(RuleCommand),
    /// The certificates of an HTTPS or TLS listener: list, add, remove.
    #[command(subcommand)]
    ListenerCertificates(CertificateCommand),
}

/// `lbcloud elbv2 target-groups ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// Every target group, or those of one balancer.
    List {
        /// Only the groups this balancer (name or ARN) forwards to.
        #[arg(long)]
        balancer: Option<String>,
    },
    /// Creates a target group.
    Create(CreateGroupArgs),
    /// Deletes a target group no listener or rule forwards to.
    Delete {
        /// The group's name or ARN.
        group: String,
    },
}

/// `lbcloud elbv2 target-groups create`.
#[derive(Debug, Args)]
pub(crate) struct CreateGroupArgs {
    /// The new group's name (1-32 letters, digits and hyphens).
    name: String,
    /// The protocol to the targets: HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, ...
    #[arg(long)]
    protocol: String,
    /// The port on the targets.
    #[arg(long)]
    port: u16,
    /// The VPC the targets are in.
    #[arg(long, value_name = "VPC")]
    vpc_id: String,
    /// What a target is: instance (the default), ip, lambda or alb.
    #[arg(long, value_name = "TYPE")]
    target_type: Option<String>,
    /// The health check, as HTTP:8080/health,interval=30s,timeout=5s,healthy=3,unhealthy=2
    /// (the form of `lbcloud health-check set`).
    #[arg(long, value_name = "SPEC")]
    health_check: Option<String>,
}

/// `lbcloud elbv2 targets ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum TargetCommand {
    /// The group's targets and their health.
    List {
        /// The group's name or ARN.
        group: String,
    },
    /// Registers targets (i-0abc, i-0abc:8080 or 10.0.0.5:8080) and prints the group's targets.
    Register {
        /// The group's name or ARN.
        group: String,
        /// The targets.
        #[arg(required = true, value_name = "TARGET")]
        targets: Vec<String>,
    },
    /// Deregisters targets and prints the group's targets.
    Deregister {
        /// The group's name or ARN.
        group: String,
        /// The targets.
        #[arg(required = true, value_name = "TARGET")]
        targets: Vec<String>,
    },
}

/// A listener: its balancer and front port.
#[derive(Debug, Args)]
pub(crate) struct ListenerArgs {
    /// The balancer's name or ARN.
    balancer: String,
    /// The listener's front port.
    #[arg(long)]
    lb_port: u16,
}

/// `lbcloud elbv2 rules ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum RuleCommand {
    /// The listener's rules, the default one last.
    List(ListenerArgs),
    /// Forwards requests whose path matches a pattern to a target group.
    Create {
        #[command(flatten)]
        listener: ListenerArgs,
        /// The rule's priority (1-50000; lower goes first).
        #[arg(long)]
        priority: u32,
        /// A path pattern such as /api/* (repeatable: any of them matches).
        #[arg(long = "path", required = true, value_name = "PATTERN")]
        paths: Vec<String>,
        /// The target group (name or ARN) matching requests go to.
        #[arg(long, value_name = "GROUP")]
        target_group: String,
    },
    /// Deletes a rule: by its ARN, or by its balancer, --lb-port and --priority.
    Delete {
        /// The rule's ARN, or the balancer's name or ARN with --lb-port and --priority.
        rule: String,
        /// The listener's front port (with --priority).
        #[arg(long, requires = "priority")]
        lb_port: Option<u16>,
        /// The rule's priority (with --lb-port).
        #[arg(long, requires = "lb_port")]
        priority: Option<u32>,
    },
}

/// `lbcloud elbv2 listener-certificates ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum CertificateCommand {
    /// The listener's certificates (the default one and the extra ones).
    List(ListenerArgs),
    /// Adds extra certificates (for SNI) and prints the listener's certificates.
    Add {
        #[command(flatten)]
        listener: ListenerArgs,
        /// The certificates' ARNs.
        #[arg(required = true, value_name = "ARN")]
        certificates: Vec<String>,
    },
    /// Removes extra certificates and prints the listener's certificates.
    Remove {
        #[command(flatten)]
        listener: ListenerArgs,
        /// The certificates' ARNs.
        #[arg(required = true, value_name = "ARN")]
        certificates: Vec<String>,
    },
}

/// What a delete prints in JSON.
#[derive(Debug, Serialize)]
struct Deleted<'a> {
    /// `target_group` or `rule`.
    kind: &'a str,
    /// The ARN of what was deleted.
    arn: &'a str,
    deleted: bool,
}

/// Runs an ELBv2 command.
pub(crate) async fn run(s: &mut Session, command: Command) -> Outcome {
    match command {
        Command::TargetGroups(c) => groups(s, c).await,
        Command::Targets(c) => targets(s, c).await,
        Command::Rules(c) => rules(s, c).await,
        Command::ListenerCertificates(c) => certificates(s, c).await,
    }
}

/// The session's driver, checked to be the ELBv2 one.
fn driver(s: &mut Session) -> Result<std::sync::Arc<dyn Driver>> {
    let driver = s.driver()?;
    elbv2(driver.as_ref())?;
    Ok(driver)
}

/// The ELBv2 driver behind the session's `Arc<dyn Driver>`.
fn elbv2(driver: &dyn Driver) -> Result<&Elbv2Driver> {
    concrete::<Elbv2Driver>(driver, PROVIDER)
}

/// The target group `key` names: an ARN, or a name.
async fn group(d: &Elbv2Driver, key: &str) -> Result<TargetGroup> {
    lbcloud::validate::non_empty("target_group", key)?;
    lbcloud::validate::plain_text("target_group", key)?;
    let missing = || {
        Error::not_found(format!("no target group has the name or the ARN {key:?}"))
            .with_field("target_group")
            .with_provider(PROVIDER)
    };
    let found = if key.starts_with("arn:") {
        d.ex_get_target_group(key).await.map(Some)
    } else {
        let names = [key];
        d.ex_list_target_groups(TargetGroupFilter::Names(&names))
            .await
            .map(|list| list.into_iter().next())
    };
    match found {
        Ok(Some(g)) => Ok(g),
        Ok(None) => Err(missing()),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(missing()),
        Err(e) => Err(e),
    }
}

/// The listener on front port `port` of the balancer `key` names.
async fn listener(driver: &dyn Driver, args: &ListenerArgs) -> Result<Listener> {
    let b = balancer(driver, &args.balancer).await?;
    let listeners = elbv2(driver)?.ex_list_listeners(&b.id).await?;
    listeners
        .into_iter()
        .find(|l| l.port == Some(args.lb_port))
        .ok_or_else(|| {
            Error::not_found(format!(
                "{} has no listener on port {}",
                b.name, args.lb_port
            ))
            .with_field("lb_port")
            .with_provider(PROVIDER)
        })
}

/// The rule of priority `priority` on the listener `l` names.
async fn rule_at(driver: &dyn Driver, l: &ListenerArgs, priority: u32) -> Result<Rule> {
    let listener = listener(driver, l).await?;
    let rules = elbv2(driver)?.ex_list_rules(&listener.arn).await?;
    let wanted = priority.to_string();
    rules
        .into_iter()
        .find(|r| !r.is_default && r.priority == wanted)
        .ok_or_else(|| {
            Error::not_found(format!(
                "the listener on port {} of {} has no rule of priority {priority}",
                l.lb_port, l.balancer
            ))
            .with_field("priority")
            .with_provider(PROVIDER)
        })
}

/// A wire enumeration value from what a user typed, refused unless known.
fn known<T: AsRef<str>>(field: &str, ok: bool, text: &str, all: &[T]) -> Result<()> {
    if ok {
        return Ok(());
    }
    let names: Vec<&str> = all.iter().map(AsRef::as_ref).collect();
    Err(Error::invalid_input(
        field,
        format!("{text:?} is not one of {}", names.join(", ")),
    ))
}

/// The group's health check from a `health-check set` spec.
fn health_settings(text: &str) -> Result<HealthCheckSettings> {
    let hc: HealthCheck = spec::health_check(text)?;
    let secs = |field: &str, d: std::time::Duration| {
        u32::try_from(d.as_secs()).map_err(|_| Error::invalid_input(field, "is too long for ELBv2"))
    };
    let protocol = match hc.protocol {
        Protocol::Http => Elbv2Protocol::Http,
        Protocol::Https => Elbv2Protocol::Https,
        Protocol::Tcp => Elbv2Protocol::Tcp,
        other => {
            return Err(Error::invalid_input(
                "health_check",
                format!("a target group checks by HTTP, HTTPS or TCP, not {other}"),
            ));
        }
    };
    let mut settings = HealthCheckSettings {
        protocol: Some(protocol),
        path: hc.path.clone(),
        ..HealthCheckSettings::default()
    }
    .interval(secs("health_check.interval", hc.interval)?)
    .timeout(secs("health_check.timeout", hc.timeout)?)
    .thresholds(hc.healthy_threshold, hc.unhealthy_threshold);
    if let Some(port) = hc.port {
        settings = settings.port(port);
    }
    if let Some(codes) = hc.expected_codes {
        settings = settings.http_codes(codes);
    }
    Ok(settings)
}

/// The create request from the arguments, checked before any request.
fn create_group_input(a: CreateGroupArgs) -> Result<CreateTargetGroupInput> {
    let protocol = Elbv2Protocol::from(a.protocol.to_ascii_uppercase().as_str());
    known(
        "protocol",
        protocol.is_known(),
        &a.protocol,
        &Elbv2Protocol::ALL
            .iter()
            .map(Elbv2Protocol::as_str)
            .collect::<Vec<_>>(),
    )?;
    let mut input = CreateTargetGroupInput::new(a.name, protocol, a.port, a.vpc_id);
    if let Some(t) = &a.target_type {
        let target_type = TargetType::from(t.to_ascii_lowercase().as_str());
        known(
            "target_type",
            target_type.is_known(),
            t,
            &TargetType::ALL
                .iter()
                .map(TargetType::as_str)
                .collect::<Vec<_>>(),
        )?;
        input = input.target_type(target_type);
    }
    if let Some(hc) = &a.health_check {
        input = input.health_check(health_settings(hc)?);
    }
    Ok(input)
}

/// The last part of an ARN's resource (`targetgroup/web/0123` -> `web`).
fn arn_name(arn: &str) -> &str {
    let resource = arn.rsplit(':').next().unwrap_or(arn);
    resource.split('/').nth(1).unwrap_or(resource)
}

/// `-` for nothing.
fn dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The target groups table.
fn group_table(list: &[TargetGroup]) -> Table {
    let mut t = Table::new(&["NAME", "PROTOCOL", "PORT", "TYPE", "VPC", "BALANCERS"]);
    for g in list {
        let lbs: Vec<&str> = g.load_balancer_arns.iter().map(|a| arn_name(a)).collect();
        t.row(vec![
            g.name.clone(),
            dash(g.protocol.as_ref()),
            dash(g.port),
            dash(g.target_type.as_ref()),
            dash(g.vpc_id.as_ref()),
            if lbs.is_empty() {
                "-".to_owned()
            } else {
                lbs.join(",")
            },
        ]);
    }
    t
}

/// `lbcloud elbv2 target-groups ...`.
async fn groups(s: &mut Session, command: GroupCommand) -> Outcome {
    match command {
        GroupCommand::List { balancer: key } => {
            let driver = driver(s)?;
            let d = elbv2(driver.as_ref())?;
            let list = match key {
                Some(key) => {
                    let b = balancer(driver.as_ref(), &key).await?;
                    d.ex_list_target_groups(TargetGroupFilter::LoadBalancer(&b.id))
                        .await?
                }
                None => d.ex_list_target_groups(TargetGroupFilter::All).await?,
            };
            s.out.many(&list, group_table)
        }
        GroupCommand::Create(a) => {
            let input = create_group_input(a)?;
            let driver = driver(s)?;
            let created = elbv2(driver.as_ref())?
                .ex_create_target_group(&input)
                .await?;
            s.out
                .one(&created, |g| group_table(std::slice::from_ref(g)))
        }
        GroupCommand::Delete { group: key } => {
            let driver = driver(s)?;
            let d = elbv2(driver.as_ref())?;
            let g = group(d, &key).await?;
            d.ex_delete_target_group(&g.arn).await?;
            let json = Deleted {
                kind: "target_group",
                arn: &g.arn,
                deleted: true,
            };
            s.out
                .done(&format!("deleted target group {}", g.name), &json)
        }
    }
}

/// A target as `i-0abc`, `i-0abc:8080` or `10.0.0.5:8080`.
fn target(text: &str) -> Result<TargetDescription> {
    lbcloud::validate::non_empty("target", text)?;
    lbcloud::validate::plain_text("target", text)?;
    // One colon is a port; an IPv6 address (several colons) is taken whole.
    match text.split_once(':') {
        Some((id, port)) if !port.contains(':') => {
            let port = port.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                Error::invalid_input(
                    "target",
                    format!("{text:?}: the port after ':' must be 1 to 65535"),
                )
            })?;
            lbcloud::validate::non_empty("target", id)?;
            Ok(TargetDescription::with_port(id, port))
        }
        _ => Ok(TargetDescription::new(text)),
    }
}

/// The targets table.
fn target_table(list: &[TargetHealthDescription]) -> Table {
    let mut t = Table::new(&["TARGET", "PORT", "STATE", "REASON", "DESCRIPTION"]);
    for h in list {
        let health = h.health.as_ref();
        t.row(vec![
            h.target.id.clone(),
            dash(h.target.port),
            dash(health.map(|h| &h.state)),
            dash(health.and_then(|h| h.reason.as_ref())),
            dash(health.and_then(|h| h.description.as_ref())),
        ]);
    }
    t
}

/// `lbcloud elbv2 targets ...`: prints the group's targets afterwards.
async fn targets(s: &mut Session, command: TargetCommand) -> Outcome {
    let (key, change) = match command {
        TargetCommand::List { group } => (group, None),
        TargetCommand::Register { group, targets } => (group, Some((true, targets))),
        TargetCommand::Deregister { group, targets } => (group, Some((false, targets))),
    };
    let change = match change {
        Some((register, list)) => Some((
            register,
            list.iter().map(|t| target(t)).collect::<Result<Vec<_>>>()?,
        )),
        None => None,
    };
    let driver = driver(s)?;
    let d = elbv2(driver.as_ref())?;
    let g = group(d, &key).await?;
    match change {
        Some((true, list)) => d.ex_register_targets(&g.arn, &list).await?,
        Some((false, list)) => d.ex_deregister_targets(&g.arn, &list).await?,
        None => {}
    }
    let none: &[TargetDescription] = &[];
    let health = d.ex_describe_target_health(&g.arn, none, false).await?;
    s.out.many(&health, target_table)
}

/// A rule's conditions as `path-pattern=/api/*,/v2/*`.
fn conditions_text(r: &Rule) -> String {
    if r.is_default {
        return "(default)".to_owned();
    }
    r.conditions
        .iter()
        .map(|c| {
            let values = c
                .path_pattern
                .as_ref()
                .or(c.host_header.as_ref())
                .map_or(&c.values, |v| &v.values);
            format!("{}={}", c.field, values.join(","))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A rule's actions as `forward:web` or `fixed-response:503`.
fn actions_text(r: &Rule) -> String {
    r.actions
        .iter()
        .map(|a| {
            let kind = a.action_type.as_str();
            if let Some(arn) = &a.target_group_arn {
                return format!("{kind}:{}", arn_name(arn));
            }
            if let Some(fw) = &a.forward {
                let groups: Vec<String> = fw
                    .target_groups
                    .iter()
                    .map(|g| match g.weight {
                        Some(w) => format!("{}={w}", arn_name(&g.target_group_arn)),
                        None => arn_name(&g.target_group_arn).to_owned(),
                    })
                    .collect();
                return format!("{kind}:{}", groups.join(","));
            }
            if let Some(f) = &a.fixed_response {
                return format!("{kind}:{}", f.status_code);
            }
            kind.to_owned()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rules table.
fn rule_table(list: &[Rule]) -> Table {
    let mut t = Table::new(&["PRIORITY", "CONDITIONS", "ACTIONS", "ARN"]);
    for r in list {
        t.row(vec![
            r.priority.clone(),
            conditions_text(r),
            actions_text(r),
            r.arn.clone(),
        ]);
    }
    t
}

/// `lbcloud elbv2 rules ...`.
async fn rules(s: &mut Session, command: RuleCommand) -> Outcome {
    match command {
        RuleCommand::List(l) => {
            let driver = driver(s)?;
            let listener = listener(driver.as_ref(), &l).await?;
            let mut list = elbv2(driver.as_ref())?.ex_list_rules(&listener.arn).await?;
            // The default rule goes last, as the listener applies it.
            list.sort_by_key(|r| r.is_default);
            s.out.many(&list, rule_table)
        }
        RuleCommand::Create {
            listener: l,
            priority,
            paths,
            target_group,
        } => {
            for (i, p) in paths.iter().enumerate() {
                lbcloud::validate::non_empty(&format!("path[{i}]"), p)?;
                lbcloud::validate::plain_text(&format!("path[{i}]"), p)?;
            }
            let driver = driver(s)?;
            let d = elbv2(driver.as_ref())?;
            let listener = listener(driver.as_ref(), &l).await?;
            let g = group(d, &target_group).await?;
            let input = CreateRuleInput::new(
                &listener.arn,
                priority,
                RuleCondition::path_pattern(paths),
                Action::forward(&g.arn),
            );
            let rule = d.ex_create_listener_rule(&input).await?;
            s.out.one(&rule, |r| rule_table(std::slice::from_ref(r)))
        }
        RuleCommand::Delete {
            rule,
            lb_port,
            priority,
        } => {
            lbcloud::validate::non_empty("rule", &rule)?;
            lbcloud::validate::plain_text("rule", &rule)?;
            let driver = driver(s)?;
            let arn = match (lb_port, priority) {
                (Some(lb_port), Some(priority)) => {
                    let l = ListenerArgs {
                        balancer: rule,
                        lb_port,
                    };
                    rule_at(driver.as_ref(), &l, priority).await?.arn
                }
                _ if rule.starts_with("arn:") => rule,
                _ => {
                    let e = Error::invalid_input(
                        "rule",
                        "give the rule's ARN, or its balancer with --lb-port and --priority",
                    );
                    return Err(e.into());
                }
            };
            elbv2(driver.as_ref())?
                .ex_delete_listener_rule(&arn)
                .await?;
            let json = Deleted {
                kind: "rule",
                arn: &arn,
                deleted: true,
            };
            s.out.done(&format!("deleted rule {arn}"), &json)
        }
    }
}

/// The certificates table.
fn certificate_table(list: &[Certificate]) -> Table {
    let mut t = Table::new(&["CERTIFICATE", "DEFAULT"]);
    for c in list {
        let default = match c.is_default {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        t.row(vec![c.arn.clone(), default.to_owned()]);
    }
    t
}

/// `lbcloud elbv2 listener-certificates ...`: prints the listener's
/// certificates afterwards.
async fn certificates(s: &mut Session, command: CertificateCommand) -> Outcome {
    let (l, change) = match command {
        CertificateCommand::List(l) => (l, None),
        CertificateCommand::Add {
            listener,
            certificates,
        } => (listener, Some((true, certificates))),
        CertificateCommand::Remove {
            listener,
            certificates,
        } => (listener, Some((false, certificates))),
    };
    if let Some((_, arns)) = &change {
        for (i, a) in arns.iter().enumerate() {
            lbcloud::validate::non_empty(&format!("certificate[{i}]"), a)?;
            lbcloud::validate::plain_text(&format!("certificate[{i}]"), a)?;
        }
    }
    let driver = driver(s)?;
    let d = elbv2(driver.as_ref())?;
    let listener = listener(driver.as_ref(), &l).await?;
    match change {
        Some((true, arns)) => {
            let certs: Vec<Certificate> = arns.into_iter().map(Certificate::new).collect();
            d.ex_add_listener_certificates(&listener.arn, &certs)
                .await?;
        }
        Some((false, arns)) => {
            d.ex_remove_listener_certificates(&listener.arn, &arns)
                .await?;
        }
        None => {}
    }
    let list = d.ex_describe_listener_certificates(&listener.arn).await?;
    s.out.many(&list, certificate_table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_and_without_a_port() -> Result<()> {
        assert_eq!(target("i-0abc")?, TargetDescription::new("i-0abc"));
        assert_eq!(
            target("10.0.0.5:8080")?,
            TargetDescription::with_port("10.0.0.5", 8080)
        );
        assert_eq!(target("fd00::5")?, TargetDescription::new("fd00::5"));
        for bad in ["", "i-1:0", "i-1:http", ":80", "i-1\n"] {
            let err = target(bad)
                .err()
                .map(|e| (e.kind(), e.field().map(str::to_owned)));
            assert_eq!(
                err,
                Some((ErrorKind::InvalidInput, Some("target".to_owned()))),
                "{bad:?}"
            );
        }
        Ok(())
    }

    fn create_args(protocol: &str, target_type: Option<&str>, hc: Option<&str>) -> CreateGroupArgs {
        CreateGroupArgs {
            name: "web".into(),
            protocol: protocol.into(),
            port: 8080,
            vpc_id: "vpc-1".into(),
            target_type: target_type.map(str::to_owned),
            health_check: hc.map(str::to_owned),
        }
    }

    #[test]
    fn a_group_request_is_built_and_checked_before_any_request() -> Result<()> {
        let input = create_group_input(create_args(
            "http",
            Some("IP"),
            Some("HTTP:8081/health,interval=10s,timeout=4s,healthy=2,unhealthy=3"),
        ))?;
        assert_eq!(input.protocol, Some(Elbv2Protocol::Http));
        assert_eq!(input.target_type, Some(TargetType::Ip));
        let hc = &input.health_check;
        assert_eq!(hc.protocol, Some(Elbv2Protocol::Http));
        assert_eq!(hc.port.as_deref(), Some("8081"));
        assert_eq!(hc.path.as_deref(), Some("/health"));
        assert_eq!(
            (hc.interval_seconds, hc.timeout_seconds),
            (Some(10), Some(4))
        );
        assert_eq!(
            (hc.healthy_threshold, hc.unhealthy_threshold),
            (Some(2), Some(3))
        );

        let field = |a| {
            create_group_input(a)
                .err()
                .and_then(|e| e.field().map(str::to_owned))
        };
        assert_eq!(
            field(create_args("sctp", None, None)).as_deref(),
            Some("protocol")
        );
        assert_eq!(
            field(create_args("HTTP", Some("container"), None)).as_deref(),
            Some("target_type")
        );
        assert_eq!(
            field(create_args("HTTP", None, Some("SSL:443"))).as_deref(),
            Some("health_check")
        );
        Ok(())
    }

    #[test]
    fn rules_and_arns_read_as_short_text() {
        let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/73e2d6bc24d8a067";
        assert_eq!(arn_name(tg), "green");
        let rule = Rule {
            priority: "10".into(),
            conditions: vec![RuleCondition::path_pattern(["/api/*", "/v2/*"])],
            actions: vec![Action::forward(tg)],
            ..Rule::default()
        };
        assert_eq!(conditions_text(&rule), "path-pattern=/api/*,/v2/*");
        assert_eq!(actions_text(&rule), "forward:green");
        let weighted = Rule {
            actions: vec![Action::weighted_forward([(tg, 90)])],
            is_default: true,
            ..Rule::default()
        };
        assert_eq!(conditions_text(&weighted), "(default)");
        assert_eq!(actions_text(&weighted), "forward:green=90");
    }
}
