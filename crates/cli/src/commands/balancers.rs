//! Balancers: list, get, create, update, destroy.

use std::io::{BufRead, IsTerminal, Write};

use futures_util::TryStreamExt;
use lbcloud::{Algorithm, CreateBalancer, Error, Protocol, Result, Scheme, UpdateBalancer};

use super::{Session, balancer};
use crate::cli::{CreateArgs, UpdateArgs};
use crate::exit::Outcome;
use crate::output;
use crate::spec;

/// `lbcloud list`: each page is printed as it arrives.
pub(crate) async fn list(s: &mut Session) -> Outcome {
    let driver = s.driver()?;
    let mut pages = driver.list_balancers_pages();
    let mut stream = s.out.stream(
        Some(output::BALANCER_HEADER),
        output::BALANCER_MIN,
        output::balancer_row,
    );
    while let Some(page) = pages.try_next().await? {
        stream.page(&page)?;
    }
    stream.end()
}

/// `lbcloud get BALANCER`.
pub(crate) async fn get(s: &mut Session, key: &str) -> Outcome {
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    s.out.one(&b, output::balancer)
}

/// The create request the arguments describe, or the first bad spec.
pub(crate) fn create_request(args: CreateArgs) -> Result<CreateBalancer> {
    let protocol: Protocol = spec::name_of("protocol", &args.protocol)?;
    let mut req = CreateBalancer::new(args.name, args.port, protocol);
    if let Some(port) = args.instance_port {
        req = req.instance_port(port);
    }
    if let Some(p) = &args.instance_protocol {
        req = req.instance_protocol(spec::name_of("instance_protocol", p)?);
    }
    if let Some(cert) = args.cert {
        req = req.certificate(cert);
    }
    if let Some(a) = &args.algorithm {
        req = req.algorithm(spec::name_of::<Algorithm>("algorithm", a)?);
    }
    for l in &args.listeners {
        req = req.listener(spec::listener(l)?);
    }
    for m in &args.members {
        req = req.member(spec::member(m)?);
    }
    if let Some(hc) = &args.health_check {
        req = req.health_check(spec::health_check(hc)?);
    }
    if let Some(scheme) = &args.scheme {
        req = req.scheme(spec::name_of::<Scheme>("scheme", scheme)?);
    }
    for t in &args.tags {
        let (k, v) = spec::key_value("tag", t)?;
        req = req.tag(k, v);
    }
    Ok(req
        .zones(args.zones)
        .subnets(args.subnets)
        .security_groups(args.security_groups))
}

/// `lbcloud create NAME --port P --protocol PROTO ...`.
pub(crate) async fn create(s: &mut Session, args: CreateArgs) -> Outcome {
    let req = create_request(args)?;
    let driver = s.driver()?;
    let b = driver.create_balancer(req).await?;
    s.out.one(&b, output::balancer)
}

/// `lbcloud update BALANCER --name/--port/--protocol/--algorithm`.
pub(crate) async fn update(s: &mut Session, args: UpdateArgs) -> Outcome {
    let mut change = UpdateBalancer::new();
    if let Some(n) = args.name {
        change = change.name(n);
    }
    if let Some(p) = args.port {
        change = change.port(p);
    }
    if let Some(p) = &args.protocol {
        change = change.protocol(spec::name_of("protocol", p)?);
    }
    if let Some(a) = &args.algorithm {
        change = change.algorithm(spec::name_of("algorithm", a)?);
    }
    if change.is_empty() {
        return Err(super::nothing_to_change(
            "--name, --port, --protocol or --algorithm",
        ));
    }
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), &args.balancer).await?;
    let b = driver.update_balancer(&b, change).await?;
    s.out.one(&b, output::balancer)
}

/// Whether an answer to "destroy?" is yes (`y` or `yes`, any case).
pub(crate) fn confirmed(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// `lbcloud destroy BALANCER [--yes]`: without `--yes`, asks on a terminal
/// and refuses (before any request) when stdin is not one.
pub(crate) async fn destroy(s: &mut Session, key: &str, yes: bool) -> Outcome {
    let ask = !yes;
    if ask && !std::io::stdin().is_terminal() {
        return Err(Error::invalid_input(
            "yes",
            "is required to destroy a balancer when stdin is not a terminal",
        )
        .into());
    }
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    if ask {
        let mut err = std::io::stderr().lock();
        write!(err, "Destroy balancer {} ({})? [y/N] ", b.name, b.id)?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !confirmed(&answer) {
            return Err(crate::exit::Failure::Declined(format!(
                "not confirmed: balancer {} ({}) was not destroyed",
                b.name, b.id
            )));
        }
    }
    driver.destroy_balancer(&b).await?;
    let text = format!("destroyed {} ({})", b.name, b.id);
    s.out.done(&text, &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn args(extra: &[&str]) -> CreateArgs {
        let mut all = vec![
            "lbcloud",
            "create",
            "web",
            "--port",
            "80",
            "--protocol",
            "http",
        ];
        all.extend_from_slice(extra);
        match Cli::try_parse_from(all).map(|c| c.command) {
            Ok(Command::Create(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn create_arguments_become_one_request() -> Result<()> {
        let req = create_request(args(&[
            "--instance-port",
            "8080",
            "--algorithm",
            "least_connections",
            "--listener",
            "https:443->http:8080,cert=arn:c",
            "--member",
            "i-1",
            "--member",
            "10.0.0.5:8080,weight=3",
            "--health-check",
            "HTTP:8080/health,interval=20",
            "--zone",
            "us-east-1a",
            "--tag",
            "env=prod",
            "--scheme",
            "internal",
        ]))?;
        assert_eq!(req.listeners.len(), 2);
        assert_eq!(req.listeners.first().map(|l| l.instance_port), Some(8080));
        assert_eq!(req.algorithm, Some(Algorithm::LeastConnections));
        assert_eq!(req.members.len(), 2);
        assert_eq!(req.zones, ["us-east-1a"]);
        assert_eq!(req.tags.get("env").map(String::as_str), Some("prod"));
        assert_eq!(req.scheme, Some(Scheme::Internal));
        assert!(req.health_check.is_some());
        Ok(())
    }

    #[test]
    fn bad_create_arguments_name_the_field() {
        let field = |extra: &[&str]| {
            create_request(args(extra))
                .err()
                .and_then(|e| e.field().map(str::to_owned))
        };
        let cases: [(&[&str], &str); 7] = [
            (&["--algorithm", "fastest"], "algorithm"),
            (&["--member", "10.0.0.1"], "member.port"),
            (&["--listener", "http:80->"], "listener"),
            (
                &["--health-check", "HTTP:80/,healthy=x"],
                "health_check.healthy_threshold",
            ),
            (&["--tag", "novalue"], "tag"),
            (&["--scheme", "sideways"], "scheme"),
            (&["--instance-protocol", "smtp"], "instance_protocol"),
        ];
        for (extra, expected) in cases {
            assert_eq!(field(extra).as_deref(), Some(expected), "{extra:?}");
        }
    }

    #[test]
    fn only_yes_confirms() {
        for yes in ["y", "Y", "yes", " YES\n"] {
            assert!(confirmed(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "sure"] {
            assert!(!confirmed(no), "{no:?}");
        }
    }
}
