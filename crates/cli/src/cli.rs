//! The arguments: global options and commands, declared with clap's derive.
//!
//! Specs and enum names are taken as text here and parsed by [`crate::spec`]
//! when the command runs, so a bad one is an lbcloud `InvalidInput` naming
//! the field (exit 2), reported like every other error.

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::exit;
use crate::providers::ProviderCommand;

/// The member, listener and health-check forms, for `--help`.
const SPECS_HELP: &str = "\
Specs:
  MEMBER        i-0abc | 10.0.0.5:8080 | i-0abc:8080 | name=web1,10.0.0.5:8080 | [::1]:8080
                then optionally ,weight=N. A word without dots is an instance (or member)
                id; an IP or a dotted host name is an address; instance=ID or
                address=HOST:PORT forces the kind.
  LISTENER      PROTO:PORT->PROTO:PORT, e.g. http:80->http:8080, tcp:443->tcp:8443,
                https:443->http:8080,cert=arn:aws:iam::123456789012:server-certificate/web
  HEALTH_CHECK  TCP:PORT | SSL:PORT | HTTP:PORT/PATH | HTTPS:PORT/PATH, then optionally
                ,interval=D,timeout=D,healthy=N,unhealthy=N,codes=200-299
                where D is whole seconds (20, 20s) or milliseconds (500ms).
  BALANCER      a balancer's id or its name.";

/// The whole `--help` epilogue: specs, then exit codes.
fn after_help() -> String {
    format!("{SPECS_HELP}\n\n{}", exit::HELP)
}

/// lbcloud: manage load balancers on any provider lbcloud drives.
///
/// Credentials come from the driver's own chain (for AWS: the environment,
/// then the shared config and credentials files and `--profile`); lbcloud
/// never takes a secret as an argument.
#[derive(Debug, Parser)]
// bin_name: messages say `lbcloud` whatever the executable is called (the
// peer tests build it as `lbcloud-under-test`).
#[command(name = "lbcloud", bin_name = "lbcloud", version, after_help = after_help(), max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes, before or after the command name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    /// The provider: a registered driver name (mock, elb, ...). Default:
    /// the provider of a provider command (`lbcloud elb ...`), else mock.
    #[arg(long, env = "LBCLOUD_PROVIDER", global = true, value_name = "NAME")]
    pub(crate) provider: Option<String>,
    /// The provider's region (for example us-east-1).
    #[arg(long, global = true)]
    pub(crate) region: Option<String>,
    /// The provider's endpoint URL, instead of the one the region gives.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    /// The credentials profile (the driver option `profile`).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// A driver option, repeatable: the mock's state_file, ELB's page_size,
    /// ... Also from LBCLOUD_OPTIONS as key=value,key=value (-o wins).
    #[arg(
        short = 'o',
        long = "option",
        value_name = "KEY=VALUE",
        global = true,
        value_parser = record_option
    )]
    pub(crate) options: Vec<String>,
    /// How to print results: aligned tables, or the JSON form of lbcloud's
    /// types (one document per command).
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub(crate) output: Format,
    /// Print nothing but results and errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    /// Log to stderr: -v each provider request, -vv their bodies too.
    #[arg(short, long, action = ArgAction::Count, global = true, conflicts_with = "quiet")]
    pub(crate) verbose: u8,
}

thread_local! {
    /// Every `-o` value in the order parsed, wherever it stood.
    static OPTIONS_SEEN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The value parser of `-o`: records each occurrence. clap keeps only the
/// values given at the deepest level of a global option (`-o a=1 list -o
/// b=2` would lose `a=1`), so [`Cli::read`] takes them from here instead.
/// The order is clap's, not the command line's, which is why a key given
/// twice with `-o` is refused (see [`crate::spec::options`]).
fn record_option(value: &str) -> Result<String, std::convert::Infallible> {
    OPTIONS_SEEN.with(|seen| seen.borrow_mut().push(value.to_owned()));
    Ok(value.to_owned())
}

impl Cli {
    /// Parses the arguments, keeping every `-o` before and after the command.
    pub(crate) fn read<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        OPTIONS_SEEN.with(|seen| seen.borrow_mut().clear());
        let mut cli = <Self as Parser>::try_parse_from(args)?;
        cli.global.options = OPTIONS_SEEN.with(|seen| seen.take());
        Ok(cli)
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns, at most 100 wide.
    Table,
    /// One JSON document: the serde form of lbcloud's core types.
    Json,
}

/// The commands. Their names are stable, so scripts can rely on them.
// Parsed once per process: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The providers this build knows, and whether each is compiled in.
    Providers,
    /// The listener protocols the provider offers.
    Protocols,
    /// The balancing algorithms the provider offers.
    Algorithms,
    /// What the provider supports.
    Capabilities,
    /// Every balancer, printed page by page as the provider returns them.
    List,
    /// One balancer.
    Get {
        /// The balancer's id or name.
        balancer: String,
    },
    /// Creates a balancer, with its members and health check.
    Create(CreateArgs),
    /// Changes a balancer's name, port, protocol or algorithm.
    Update(UpdateArgs),
    /// Destroys a balancer (asks first on a terminal, unless --yes).
    Destroy {
        /// The balancer's id or name.
        balancer: String,
        /// Do not ask; required when stdin is not a terminal.
        #[arg(long)]
        yes: bool,
    },
    /// A balancer's members.
    Members {
        /// The balancer's id or name.
        balancer: String,
    },
    /// Attaches members to a balancer.
    Attach {
        /// The balancer's id or name.
        balancer: String,
        /// The members (see Specs below).
        #[arg(required = true)]
        members: Vec<String>,
    },
    /// Detaches members from a balancer.
    Detach {
        /// The balancer's id or name.
        balancer: String,
        /// The members, as attached (see Specs below) or by member id.
        #[arg(required = true)]
        members: Vec<String>,
    },
    /// Changes a member's weight or condition.
    UpdateMember {
        /// The balancer's id or name.
        balancer: String,
        /// The member, as attached (see Specs below) or by member id.
        member: String,
        /// The new weight.
        #[arg(long)]
        weight: Option<u32>,
        /// The new condition: enabled, disabled or draining.
        #[arg(long)]
        condition: Option<String>,
    },
    /// The health of a balancer's members.
    MemberHealth {
        /// The balancer's id or name.
        balancer: String,
        /// Wait until every member is in service (exit 1 after --timeout).
        #[arg(long)]
        wait_in_service: bool,
        /// How long to wait, in seconds.
        #[arg(
            long,
            value_name = "SECS",
            default_value_t = 300,
            requires = "wait_in_service"
        )]
        timeout: u64,
    },
    /// A balancer's health check.
    #[command(subcommand)]
    HealthCheck(HealthCheckCommand),
    /// Prints a shell completion script.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    #[command(flatten)]
    Provider(ProviderCommand),
}

impl Command {
    /// The provider a provider command belongs to, the default for `--provider`.
    pub(crate) fn provider(&self) -> Option<&'static str> {
        match self {
            Self::Provider(p) => Some(p.provider()),
            _ => None,
        }
    }
}

/// `lbcloud create`.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The new balancer's name.
    pub(crate) name: String,
    /// The first listener's port.
    #[arg(long)]
    pub(crate) port: u16,
    /// The first listener's protocol (tcp, ssl, http, https, ...).
    #[arg(long)]
    pub(crate) protocol: String,
    /// The port on the members (default: --port).
    #[arg(long)]
    pub(crate) instance_port: Option<u16>,
    /// The protocol to the members (default: from --protocol).
    #[arg(long)]
    pub(crate) instance_protocol: Option<String>,
    /// The certificate of an HTTPS, SSL or TLS first listener.
    #[arg(long, value_name = "ID")]
    pub(crate) cert: Option<String>,
    /// The algorithm (round_robin, least_connections, ...).
    #[arg(long)]
    pub(crate) algorithm: Option<String>,
    /// More listeners (repeatable; see Specs below).
    #[arg(long = "listener", value_name = "LISTENER")]
    pub(crate) listeners: Vec<String>,
    /// A member (repeatable; see Specs below).
    #[arg(long = "member", value_name = "MEMBER")]
    pub(crate) members: Vec<String>,
    /// The health check (see Specs below).
    #[arg(long, value_name = "HEALTH_CHECK")]
    pub(crate) health_check: Option<String>,
    /// An availability zone (repeatable).
    #[arg(long = "zone", value_name = "ZONE")]
    pub(crate) zones: Vec<String>,
    /// A subnet (repeatable).
    #[arg(long = "subnet", value_name = "SUBNET")]
    pub(crate) subnets: Vec<String>,
    /// A security group (repeatable).
    #[arg(long = "security-group", value_name = "GROUP")]
    pub(crate) security_groups: Vec<String>,
    /// internet-facing or internal.
    #[arg(long)]
    pub(crate) scheme: Option<String>,
    /// A tag KEY=VALUE (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub(crate) tags: Vec<String>,
}

/// `lbcloud update`.
#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// The balancer's id or name.
    pub(crate) balancer: String,
    /// The new name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// The new port.
    #[arg(long)]
    pub(crate) port: Option<u16>,
    /// The new protocol.
    #[arg(long)]
    pub(crate) protocol: Option<String>,
    /// The new algorithm.
    #[arg(long)]
    pub(crate) algorithm: Option<String>,
}

/// `lbcloud health-check ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum HealthCheckCommand {
    /// Prints the balancer's health check (none if it has none).
    Get {
        /// The balancer's id or name.
        balancer: String,
    },
    /// Sets the balancer's health check.
    Set {
        /// The balancer's id or name.
        balancer: String,
        /// The health check (see Specs below).
        spec: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_documents_exit_codes_and_specs() {
        let help = Cli::command().render_long_help().to_string();
        for needle in [
            "Exit codes:",
            "5  unsupported",
            "name=web1,10.0.0.5:8080",
            "500ms",
        ] {
            assert!(help.contains(needle), "{needle} missing from --help");
        }
    }

    #[test]
    fn the_command_names_are_the_documented_ones() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        for name in [
            "providers",
            "protocols",
            "algorithms",
            "capabilities",
            "list",
            "get",
            "create",
            "update",
            "destroy",
            "members",
            "attach",
            "detach",
            "update-member",
            "member-health",
            "health-check",
            "completions",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
        }
    }

    // It parses an `elb` provider command.
    #[cfg(feature = "elb")]
    #[test]
    fn global_options_go_anywhere_and_every_option_is_kept() -> Result<(), clap::Error> {
        let cli = Cli::read([
            "lbcloud",
            "-o",
            "a=1",
            "list",
            "--output",
            "json",
            "-o",
            "b=2",
            "--provider",
            "mock",
        ])?;
        assert_eq!(cli.global.output, Format::Json);
        assert_eq!(cli.global.provider.as_deref(), Some("mock"));
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(sorted(cli.global.options), ["a=1", "b=2"]);
        let cli = Cli::read([
            "lbcloud", "-o", "a=1", "elb", "policies", "-o", "c=3", "list", "x",
        ])?;
        assert_eq!(sorted(cli.global.options), ["a=1", "c=3"]);
        assert!(Cli::read(["lbcloud", "list"])?.global.options.is_empty());
        assert!(Cli::read(["lbcloud", "-q", "-v", "list"]).is_err());
        Ok(())
    }
}
