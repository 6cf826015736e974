//! The base commands, for every provider: the session they share (the
//! driver, connected through the registry on first use, and the printer),
//! the lookup of a balancer by id or name, and the dispatch.

mod balancers;
mod info;
pub(crate) mod members;

use std::sync::Arc;

use lbcloud::{Balancer, Config, Driver, Error, ErrorKind, Result};

use crate::cli::{Cli, Command, Global, HealthCheckCommand};
use crate::exit::Outcome;
use crate::output::Printer;
use crate::spec;

/// The provider when neither `--provider` nor `LBCLOUD_PROVIDER` names one.
pub(crate) const DEFAULT_PROVIDER: &str = "mock";

/// What a command runs with: the printer, the settings, and the driver,
/// connected on first use (so specs are parsed before anything is opened,
/// and `providers` or `completions` need no valid driver settings).
pub(crate) struct Session {
    /// Where results go.
    pub(crate) out: Printer,
    /// Whether `-q` was given.
    pub(crate) quiet: bool,
    provider: String,
    global: Global,
    env_options: Option<String>,
    driver: Option<Arc<dyn Driver>>,
}

impl Session {
    /// The driver, connected through the registry the first time.
    pub(crate) fn driver(&mut self) -> Result<Arc<dyn Driver>> {
        if let Some(d) = &self.driver {
            return Ok(Arc::clone(d));
        }
        let factory = lbcloud::get_driver_by_name(&self.provider).map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                Error::invalid_input(
                    "provider",
                    format!(
                        "no driver is named {:?}; this build has {}",
                        self.provider,
                        lbcloud::driver_names().join(", ")
                    ),
                )
            } else {
                e
            }
        })?;
        let driver = factory.connect(self.config()?)?;
        self.driver = Some(Arc::clone(&driver));
        Ok(driver)
    }

    /// The driver settings this session connects with (for a provider
    /// command that reads one of its options, such as HAProxy's sockets).
    pub(crate) fn config(&self) -> Result<Config> {
        config(&self.global, self.env_options.as_deref())
    }
}

/// The generic driver settings from the global options and `LBCLOUD_OPTIONS`.
/// Never a key or a secret: drivers read credentials from their own chain.
pub(crate) fn config(global: &Global, env_options: Option<&str>) -> Result<Config> {
    let mut config = Config::new();
    for (k, v) in spec::options(env_options, &global.options)? {
        config = config.option(k, v);
    }
    for (field, value) in [
        ("region", &global.region),
        ("endpoint", &global.endpoint),
        ("profile", &global.profile),
    ] {
        if let Some(v) = value {
            lbcloud::validate::non_empty(field, v)?;
            lbcloud::validate::plain_text(field, v)?;
        }
    }
    if let Some(r) = &global.region {
        config = config.region(r);
    }
    if let Some(e) = &global.endpoint {
        config = config.endpoint(e);
    }
    if let Some(p) = &global.profile {
        config = config.option("profile", p);
    }
    Ok(config)
}

/// Runs the command line.
pub(crate) async fn run(cli: Cli) -> Outcome {
    let Cli { global, command } = cli;
    let env_options = std::env::var("LBCLOUD_OPTIONS").ok();
    let provider = global
        .provider
        .clone()
        .or_else(|| command.provider().map(str::to_owned))
        .unwrap_or_else(|| DEFAULT_PROVIDER.to_owned());
    let mut s = Session {
        out: Printer::stdout(global.output),
        quiet: global.quiet,
        provider,
        global,
        env_options,
        driver: None,
    };
    match command {
        Command::Providers => info::providers(&mut s),
        Command::Completions { shell } => info::completions(shell),
        Command::Protocols => info::protocols(&mut s),
        Command::Algorithms => info::algorithms(&mut s),
        Command::Capabilities => info::capabilities(&mut s),
        Command::List => balancers::list(&mut s).await,
        Command::Get { balancer } => balancers::get(&mut s, &balancer).await,
        Command::Create(args) => balancers::create(&mut s, args).await,
        Command::Update(args) => balancers::update(&mut s, args).await,
        Command::Destroy { balancer, yes } => balancers::destroy(&mut s, &balancer, yes).await,
        Command::Members { balancer } => members::list(&mut s, &balancer).await,
        Command::Attach { balancer, members } => members::attach(&mut s, &balancer, &members).await,
        Command::Detach { balancer, members } => members::detach(&mut s, &balancer, &members).await,
        Command::UpdateMember {
            balancer,
            member,
            weight,
            condition,
        } => members::update(&mut s, &balancer, &member, weight, condition.as_deref()).await,
        Command::MemberHealth {
            balancer,
            wait_in_service,
            timeout,
        } => {
            let wait = wait_in_service.then(|| std::time::Duration::from_secs(timeout));
            members::health(&mut s, &balancer, wait).await
        }
        Command::HealthCheck(HealthCheckCommand::Get { balancer }) => {
            members::get_health_check(&mut s, &balancer).await
        }
        Command::HealthCheck(HealthCheckCommand::Set { balancer, spec }) => {
            members::set_health_check(&mut s, &balancer, &spec).await
        }
        Command::Provider(p) => p.run(&mut s).await,
    }
}

/// The error for an update that changes nothing; `flags` names what to give.
pub(crate) fn nothing_to_change(flags: &str) -> crate::exit::Failure {
    Error::invalid_input("update", format!("changes nothing; give {flags}")).into()
}

/// The balancer `key` names: the one with that id, else the one with that
/// name. `NotFound` (field `balancer`) if none; `InvalidInput` if the name
/// is shared by several (give the id then).
pub(crate) async fn balancer(driver: &dyn Driver, key: &str) -> Result<Balancer> {
    use futures_util::TryStreamExt;

    lbcloud::validate::non_empty("balancer", key)?;
    lbcloud::validate::plain_text("balancer", key)?;
    match driver.get_balancer(key).await {
        Ok(b) => return Ok(b),
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut found: Vec<Balancer> = Vec::new();
    let mut pages = driver.list_balancers_pages();
    while let Some(page) = pages.try_next().await? {
        found.extend(page.into_iter().filter(|b| b.name == key));
    }
    match found.len() {
        0 => Err(
            Error::not_found(format!("no balancer has the id or the name {key:?}"))
                .with_field("balancer")
                .with_provider(driver.name()),
        ),
        1 => Ok(found.remove(0)),
        _ => {
            let ids: Vec<&str> = found.iter().map(|b| b.id.as_str()).collect();
            Err(Error::invalid_input(
                "balancer",
                format!(
                    "{key:?} names {} balancers ({}); give an id instead",
                    ids.len(),
                    ids.join(", ")
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(args: &[&str]) -> Global {
        let mut all = vec!["lbcloud"];
        all.extend_from_slice(args);
        all.push("list");
        match Cli::read(all) {
            Ok(cli) => cli.global,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn config_maps_every_global_option() -> Result<()> {
        let g = global(&[
            "--region",
            "eu-west-1",
            "--endpoint",
            "http://127.0.0.1:5000",
            "--profile",
            "ops",
            "-o",
            "page_size=10",
        ]);
        let c = config(&g, Some("page_size=50,max_attempts=2"))?;
        assert_eq!(c.get_region(), Some("eu-west-1"));
        assert_eq!(c.get_endpoint(), Some("http://127.0.0.1:5000"));
        assert_eq!(c.get_option("profile"), Some("ops"));
        assert_eq!(c.get_option("page_size"), Some("10"));
        assert_eq!(c.get_option("max_attempts"), Some("2"));
        assert!(c.get_key().is_none() && c.get_secret().is_none());
        Ok(())
    }

    #[test]
    fn bad_settings_name_the_field() {
        let field = |g: &Global, env: Option<&str>| {
            config(g, env)
                .err()
                .and_then(|e| e.field().map(str::to_owned))
        };
        assert_eq!(
            field(&global(&["--region", ""]), None).as_deref(),
            Some("region")
        );
        assert_eq!(
            field(&global(&["--profile", " ops"]), None).as_deref(),
            Some("profile")
        );
        assert_eq!(
            field(&global(&[]), Some("oops")).as_deref(),
            Some("LBCLOUD_OPTIONS")
        );
        assert_eq!(
            field(&global(&["-o", "secret=x"]), None).as_deref(),
            Some("option")
        );
    }
}
