//! Provider commands: what only one provider has, under its name
//! (`lbcloud elb describe-lbs`).
//!
//! Each provider is one module with a clap `Subcommand` enum and a `run`
//! function, plus one variant and two match arms here. A module reaches
//! its driver only through the registry (the session's driver) and
//! [`concrete`], which downcasts it to reach the `ex_` methods. Adding
//! a provider's commands is `mod NAME;`, a variant `Name(NAME::Command)`
//! and its arms in [`ProviderCommand::provider`] and [`ProviderCommand::run`], as
//! `elbv2` and `haproxy` are.

#[cfg(feature = "elb")]
mod elb;
#[cfg(feature = "elbv2")]
mod elbv2;
#[cfg(feature = "haproxy")]
mod haproxy;

use clap::Subcommand;
use lbcloud::{Driver, Error, Result};

use crate::commands::Session;
use crate::exit::Outcome;

/// The provider commands compiled into this build.
#[derive(Debug, Subcommand)]
pub(crate) enum ProviderCommand {
    /// AWS classic ELB only: describe-lbs, set-lb-listener-ssl-cert, policies, listeners.
    #[cfg(feature = "elb")]
    #[command(subcommand)]
    Elb(elb::Command),
    /// AWS ELBv2 (ALB / NLB) only: target groups, targets, rules, listener certificates.
    #[cfg(feature = "elbv2")]
    #[command(subcommand)]
    Elbv2(elbv2::Command),
    /// A local HAProxy only: set-algorithm, drain, ready, set-certificate, show-stat.
    #[cfg(feature = "haproxy")]
    #[command(subcommand)]
    Haproxy(haproxy::Command),
}

impl ProviderCommand {
    /// The registry name of the provider the command is for.
    pub(crate) fn provider(&self) -> &'static str {
        match *self {
            #[cfg(feature = "elb")]
            Self::Elb(_) => "elb",
            #[cfg(feature = "elbv2")]
            Self::Elbv2(_) => "elbv2",
            #[cfg(feature = "haproxy")]
            Self::Haproxy(_) => "haproxy",
        }
    }

    /// Runs the command on the session's driver.
    #[cfg_attr(
        not(any(feature = "elb", feature = "elbv2", feature = "haproxy")),
        allow(unused_variables)
    )]
    pub(crate) async fn run(self, s: &mut Session) -> Outcome {
        match self {
            #[cfg(feature = "elb")]
            Self::Elb(c) => elb::run(s, c).await,
            #[cfg(feature = "elbv2")]
            Self::Elbv2(c) => elbv2::run(s, c).await,
            #[cfg(feature = "haproxy")]
            Self::Haproxy(c) => haproxy::run(s, c).await,
        }
    }
}

/// The session's driver as the concrete type `D` of provider `provider`,
/// for its `ex_` methods; `Unsupported` (exit 5) when `--provider` chose
/// another driver.
#[cfg_attr(
    not(any(feature = "elb", feature = "elbv2", feature = "haproxy")),
    allow(dead_code)
)]
pub(crate) fn concrete<'d, D: Driver>(driver: &'d dyn Driver, provider: &str) -> Result<&'d D> {
    driver.downcast_ref::<D>().ok_or_else(|| {
        Error::unsupported(
            format!("lbcloud {provider}"),
            format!(
                "the `{provider}` commands need the {provider} driver, and --provider chose {}",
                driver.name()
            ),
        )
        .with_provider(driver.name())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud::Config;

    #[test]
    fn the_concrete_driver_is_reached_through_the_registry() -> Result<()> {
        let mock = lbcloud::get_driver_by_name("mock")?.connect(Config::new())?;
        assert!(concrete::<lbcloud::mock::MockDriver>(mock.as_ref(), "mock").is_ok());
        #[cfg(feature = "elb")]
        {
            let err = concrete::<lbcloud::elb::ElbDriver>(mock.as_ref(), "elb").err();
            let err = err.map(|e| (e.kind(), e.to_string()));
            assert!(
                matches!(&err, Some((lbcloud::ErrorKind::Unsupported, t)) if t.contains("chose mock")),
                "{err:?}"
            );
        }
        Ok(())
    }
}
