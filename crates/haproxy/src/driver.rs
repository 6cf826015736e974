//! [`HaproxyDriver`]: the [`Driver`] trait over the owned file, the master
//! CLI and the worker's runtime API.

use std::any::Any;
use std::net::IpAddr;
use std::path::PathBuf;

use lbcloud_core::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, Error, ErrorKind,
    HealthCheck, Limits, Member, MemberHealth, Protocol, Result, UpdateBalancer, UpdateMember,
    async_trait, check,
};

use crate::cli::{AdminState, Command, parse_show_stat};
use crate::config::{BalancerConfig, Server};
use crate::convert;
use crate::node::{Node, Timeouts};
use crate::sync::Steps;

const PROVIDER: &str = "haproxy";

/// The HAProxy driver: balancers in a config file it owns, members through
/// HAProxy's runtime API. Build it with [`HaproxyDriver::builder`] or
/// connect it through the registry with `Config` options (see
/// [`HaproxyDriverFactory`](crate::HaproxyDriverFactory)).
///
/// ```no_run
/// # async fn demo() -> lbcloud_core::Result<()> {
/// use lbcloud_core::{CreateBalancer, Driver, Member, Protocol};
/// use lbcloud_haproxy::HaproxyDriver;
///
/// let driver = HaproxyDriver::builder()
///     .config_file("/etc/haproxy/lbcloud.cfg")
///     .master_socket("/run/haproxy-master.sock")
///     .base_config("/etc/haproxy/haproxy.cfg")
///     .build()?;
/// let lb = driver
///     .create_balancer(
///         CreateBalancer::new("web", 8080, Protocol::Http)
///             .member(Member::address("127.0.0.1", 9001))
///             .member(Member::address("127.0.0.1", 9002)),
///     )
///     .await?;
/// println!("{} listens on port {:?}", lb.name, lb.port);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HaproxyDriver {
    pub(crate) nodes: Vec<Node>,
    pub(crate) haproxy: PathBuf,
    pub(crate) bind_address: IpAddr,
    pub(crate) timeouts: Timeouts,
    /// The owned files' last parse, shared by clones.
    pub(crate) parsed: std::sync::Arc<crate::sync::ParsedFiles>,
}

/// Tags an error with the provider and the lbcloud operation.
fn tagged(op: &'static str) -> impl Fn(Error) -> Error {
    move |e| e.with_provider(PROVIDER).with_operation(op)
}

pub(crate) fn not_found(name: &str) -> Error {
    Error::not_found(format!("no balancer named {name:?} in the owned config"))
        .with_code("BalancerNotFound")
}

fn balancer_name(op: &'static str, b: &Balancer) -> Result<String> {
    check::balancer(op, b)?;
    Ok(if b.id.is_empty() {
        b.name.clone()
    } else {
        b.id.clone()
    })
}

impl HaproxyDriver {
    /// A builder; `config_file` and `master_socket` are required.
    pub fn builder() -> crate::HaproxyDriverBuilder {
        crate::HaproxyDriverBuilder::default()
    }

    /// The steps that add `servers` to `b`: every `add server` in one
    /// group, then, once they all succeeded, what must not act on a server
    /// of the same name that was already there (starting its check, a
    /// drain, leaving maintenance).
    fn add_steps(b: &BalancerConfig, servers: &[Server], steps: &mut Steps) -> Result<()> {
        let check = crate::config::check_words(b.check.as_ref());
        let words: Vec<&str> = check.iter().map(String::as_str).collect();
        let mut then = Vec::new();
        for s in servers {
            steps.push(
                Command::add_server(&b.name, &s.name, s.addr, s.port, s.weight, &words)?,
                vec![
                    Command::set_state(&b.name, &s.name, AdminState::Maint)?,
                    Command::del_server(&b.name, &s.name)?,
                ],
            );
            if b.check.is_some() {
                then.push(Command::enable_health(&b.name, &s.name)?);
            }
            // A server added at run time starts in maintenance. (`add server
            // ... enabled` leaves HAProxy 2.6 sending it nothing: it never
            // joins the balancing until `enable server`.)
            match s.state {
                AdminState::Ready => then.push(Command::enable_server(&b.name, &s.name)?),
                AdminState::Drain => {
                    then.push(Command::set_state(&b.name, &s.name, AdminState::Drain)?);
                }
                AdminState::Maint => {}
            }
            // A drained server needs its state-file line; ready and
            // maintenance are in its owned-file line.
            if s.state == AdminState::Drain {
                steps.rewrite_state();
            } else {
                steps.keep_state_unless_named(&b.name, &s.name);
            }
        }
        steps.barrier();
        for command in then {
            steps.push(command, Vec::new());
        }
        Ok(())
    }

    fn servers_for(b: &BalancerConfig, members: &[Member]) -> Result<Vec<Server>> {
        let mut servers: Vec<Server> = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            let field = format!("members[{i}]");
            let s = convert::server_of(&field, m)?;
            let taken = b
                .servers
                .iter()
                .chain(servers.iter())
                .any(|o| o.name == s.name || (o.addr == s.addr && o.port == s.port));
            if taken {
                return Err(Error::new(
                    ErrorKind::AlreadyExists,
                    format!(
                        "{field}: balancer {:?} already has a member {} or at {}",
                        b.name,
                        s.name,
                        crate::config::host_port(s.addr, s.port)
                    ),
                )
                .with_field(field));
            }
            servers.push(s);
        }
        Ok(servers)
    }
}

#[async_trait]
impl Driver for HaproxyDriver {
    fn name(&self) -> &str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::none()
            .with_update_port(true)
            .with_update_protocol(true)
            .with_update_algorithm(true)
            .with_choose_algorithm(true)
            .with_member_by_address(true)
            .with_member_named_address(true)
            .with_member_weight(true)
            .with_member_condition(true)
            .with_batch_members(true)
            .with_multiple_listeners(true)
            .with_health_check(true)
            .with_member_health(true)
    }

    fn limits(&self) -> Limits {
        crate::limits()
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        convert::PROTOCOLS.to_vec()
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        convert::ALGORITHMS.to_vec()
    }

    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        let page = self.read().map(|(_, model)| {
            let file = self.config_label();
            model
                .balancers
                .iter()
                .map(|b| convert::balancer_of(b, &file))
                .collect()
        });
        Box::pin(futures_util::stream::iter([
            page.map_err(tagged("list_balancers"))
        ]))
    }

    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        let b = self.read_balancer(id).map_err(tagged("get_balancer"))?;
        Ok(convert::balancer_of(&b, &self.config_label()))
    }

    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        const OP: &str = "create_balancer";
        check::create_balancer(self, &request).map_err(tagged(OP))?;
        let prepared = (|| {
            crate::validate::name("name", &request.name)?;
            let (mode, binds) = convert::binds_of(self.bind_address, &request.listeners)?;
            let check = request
                .health_check
                .as_ref()
                .map(convert::check_of)
                .transpose()?;
            let mut b = BalancerConfig {
                name: request.name.clone(),
                mode,
                binds,
                balance: convert::balance_of(request.algorithm)?,
                check,
                servers: Vec::new(),
                created: Some(time::OffsetDateTime::now_utc().unix_timestamp()),
            };
            b.servers = Self::servers_for(&b, &request.members)?;
            Ok(b)
        })()
        .map_err(tagged(OP))?;
        let name = prepared.name.clone();
        let (_, model) = self
            .reconfigure(move |model| {
                if model.balancer(&name).is_some() {
                    return Err(Error::new(
                        ErrorKind::AlreadyExists,
                        format!("a balancer named {name:?} exists"),
                    )
                    .with_code("DuplicateBalancerName"));
                }
                model.balancers.push(prepared);
                Ok(())
            })
            .await
            .map_err(tagged(OP))?;
        let b = model
            .balancer(&request.name)
            .ok_or_else(|| not_found(&request.name))?;
        Ok(convert::balancer_of(b, &self.config_label()))
    }

    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        const OP: &str = "update_balancer";
        check::update_balancer(self, &update).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        let balance = update
            .algorithm
            .map(|a| convert::balance_of(Some(a)))
            .transpose()
            .map_err(tagged(OP))?;
        let key = name.clone();
        let (_, model) = self
            .reconfigure(move |model| {
                let b = model.balancer_mut(&key).ok_or_else(|| not_found(&key))?;
                let mut listeners = convert::listeners_of(b);
                if let Some(first) = listeners.first_mut() {
                    if let Some(port) = update.port {
                        first.port = port;
                    }
                    if let Some(protocol) = update.protocol {
                        first.protocol = protocol;
                        first.instance_protocol = None;
                        // Every listener moves to the new layer, keeping TLS where it had it.
                        let http = protocol.is_http();
                        for l in listeners.iter_mut() {
                            l.protocol = match (http, l.certificate_id.is_some()) {
                                (true, true) => Protocol::Https,
                                (true, false) => Protocol::Http,
                                (false, true) => Protocol::Ssl,
                                (false, false) => Protocol::Tcp,
                            };
                        }
                    }
                }
                for (i, l) in listeners.iter().enumerate() {
                    l.validate(&format!("listeners[{i}]"))?;
                }
                let addr = b.binds.first().map_or(self.bind_address, |bind| bind.addr);
                let (mode, binds) = convert::binds_of(addr, &listeners)?;
                b.mode = mode;
                b.binds = binds;
                if let Some(balance) = balance {
                    b.balance = balance;
                }
                Ok(())
            })
            .await
            .map_err(tagged(OP))?;
        let b = model.balancer(&name).ok_or_else(|| not_found(&name))?;
        Ok(convert::balancer_of(b, &self.config_label()))
    }

    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        const OP: &str = "destroy_balancer";
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        self.reconfigure(|model| {
            let before = model.balancers.len();
            model.balancers.retain(|b| b.name != name);
            if model.balancers.len() == before {
                return Err(not_found(&name));
            }
            Ok(())
        })
        .await
        .map_err(tagged(OP))?;
        Ok(())
    }

    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        const OP: &str = "balancer_list_members";
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        let b = self.read_balancer(&name).map_err(tagged(OP))?;
        Ok(b.servers.iter().map(convert::member_of).collect())
    }

    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        const OP: &str = "balancer_attach_members";
        check::members(self, OP, &members).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        for (i, m) in members.iter().enumerate() {
            convert::server_of(&format!("members[{i}]"), m).map_err(tagged(OP))?;
        }
        self.change_members(&name, |b| {
            let servers = Self::servers_for(b, &members)?;
            let mut steps = Steps::default();
            Self::add_steps(b, &servers, &mut steps)?;
            b.servers.extend(servers.iter().cloned());
            Ok((servers.iter().map(convert::member_of).collect(), steps))
        })
        .await
        .map_err(tagged(OP))
    }

    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        const OP: &str = "balancer_detach_members";
        check::detach_members(self, members).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        self.change_members(&name, |b| {
            let mut steps = Steps::default();
            let mut gone = Vec::new();
            for (i, m) in members.iter().enumerate() {
                let s = b
                    .servers
                    .iter()
                    .find(|s| convert::server_matches(s, m))
                    .ok_or_else(|| {
                        Error::not_found(format!("members[{i}] is not a member of {:?}", b.name))
                            .with_field(format!("members[{i}]"))
                    })?;
                steps.push(
                    Command::set_state(&b.name, &s.name, AdminState::Maint)?,
                    vec![Command::set_state(&b.name, &s.name, s.state)?],
                );
                steps.push(Command::del_server(&b.name, &s.name)?, Vec::new());
                gone.push(s.name.clone());
            }
            steps.keep_state();
            b.servers.retain(|s| !gone.contains(&s.name));
            Ok(((), steps))
        })
        .await
        .map_err(tagged(OP))
    }

    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        const OP: &str = "balancer_update_member";
        check::update_member(self, member, &update).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        let state = update
            .condition
            .map(convert::admin_state)
            .transpose()
            .map_err(tagged(OP))?;
        if let Some(w) = update.weight {
            convert::check_weight("update.weight", w).map_err(tagged(OP))?;
        }
        self.change_members(&name, |b| {
            let backend = b.name.clone();
            let s = b
                .servers
                .iter_mut()
                .find(|s| convert::server_matches(s, member))
                .ok_or_else(|| {
                    Error::not_found(format!("member is not in {backend:?}")).with_field("member")
                })?;
            let mut steps = Steps::default();
            if let Some(w) = update.weight {
                steps.push(
                    Command::set_weight(&backend, &s.name, w)?,
                    vec![Command::set_weight(&backend, &s.name, s.weight)?],
                );
                s.weight = w;
            }
            if let Some(state) = state {
                steps.push(
                    Command::set_state(&backend, &s.name, state)?,
                    vec![Command::set_state(&backend, &s.name, s.state)?],
                );
                s.state = state;
            }
            Ok((convert::member_of(s), steps))
        })
        .await
        .map_err(tagged(OP))
    }

    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        const OP: &str = "set_health_check";
        check::health_check(self, OP, &health_check).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        let wanted = convert::check_of(&health_check).map_err(tagged(OP))?;
        let ((), model) = self
            .reconfigure(|model| {
                let b = model.balancer_mut(&name).ok_or_else(|| not_found(&name))?;
                b.check = Some(wanted);
                Ok(())
            })
            .await
            .map_err(tagged(OP))?;
        model
            .balancer(&name)
            .and_then(|b| b.check.as_ref())
            .map(convert::health_check_of)
            .ok_or_else(|| not_found(&name))
    }

    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        const OP: &str = "get_health_check";
        check::get_health_check(self).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        let b = self.read_balancer(&name).map_err(tagged(OP))?;
        Ok(b.check.as_ref().map(convert::health_check_of))
    }

    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        const OP: &str = "balancer_member_health";
        check::member_health(self).map_err(tagged(OP))?;
        let name = balancer_name(OP, balancer).map_err(tagged(OP))?;
        let b = self.read_balancer(&name).map_err(tagged(OP))?;
        let node = self.primary().map_err(tagged(OP))?;
        let text = node
            .worker(self.timeouts, &Command::show_stat())
            .await
            .map_err(tagged(OP))?;
        let rows = parse_show_stat(&text).map_err(tagged(OP))?;
        Ok(b.servers
            .iter()
            .map(|s| {
                let row = rows
                    .iter()
                    .find(|r| r.proxy == b.name && r.server == s.name);
                convert::member_health_of(s, row)
            })
            .collect())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
