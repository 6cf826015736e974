//! [`Driver`] for [`Elbv2Driver`]: a libcloud balancer is one ELBv2 load
//! balancer, its listeners, and the target group lbcloud created for it
//! (named like the balancer, tagged `lbcloud:balancer` = the balancer's
//! ARN, found again through the listeners' forward actions and that tag).

use std::any::Any;
use std::collections::BTreeMap;

use futures_util::future::{join_all, try_join, try_join_all};
use futures_util::{StreamExt, TryStreamExt};
use lbcloud_core::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, Error, ErrorKind,
    HealthCheck, Limits, Listener as CoreListener, Member, MemberHealth, MemberKind, Protocol,
    Result, UpdateBalancer, async_trait, check,
};

use lbcloud_core::limits::{DurationRange, NameRule, Range};

use crate::convert::{self, ALGORITHM_ATTRIBUTE};
use crate::driver::{Elbv2Driver, tag};
use crate::model::{
    Action, Attribute, CreateListenerInput, CreateLoadBalancerInput, CreateTargetGroupInput,
    Elbv2Protocol, Listener, LoadBalancer, LoadBalancerType, ModifyListenerInput, Scheme, Tag,
    TargetGroup, TargetType,
};
use crate::request::TargetGroupFilter;
use crate::{PROVIDER, request};

/// The tag that marks a target group as lbcloud's, with its balancer's ARN.
pub const OWNER_TAG: &str = "lbcloud:balancer";

/// What ELBv2 can do through the core contract: members by instance id
/// (each with its own port) and by address and port, registered in
/// batches; several listeners; health checks and member health; the
/// algorithm chosen and changed (Application Load Balancers); the main
/// listener's port and protocol changed; subnets, security groups, the
/// scheme and tags at creation; paginated listing. Not: renaming (ELBv2
/// names are fixed), member weights or conditions (targets carry none),
/// zones (ELBv2 places a balancer by subnet).
pub const ELBV2_CAPABILITIES: Capabilities = Capabilities::none()
    .with_update_port(true)
    .with_update_protocol(true)
    .with_update_algorithm(true)
    .with_choose_algorithm(true)
    .with_member_by_instance(true)
    .with_member_instance_port(true)
    .with_member_by_address(true)
    .with_batch_members(true)
    .with_multiple_listeners(true)
    .with_health_check(true)
    .with_member_health(true)
    .with_subnets(true)
    .with_security_groups(true)
    .with_scheme(true)
    .with_tags(true)
    .with_paginated_listing(true);

/// ELBv2's rules: names of 1-32 letters, digits and hyphens with no hyphen
/// at either end; health checks every 5-300 s with a 2-120 s timeout
/// shorter than the interval, thresholds 2-10, paths up to 1024
/// characters; no weights; 50 listeners per balancer.
pub const ELBV2_LIMITS: Limits = Limits::new()
    .with_name(NameRule::new(32, "-"))
    .with_health_interval(DurationRange::secs(5, 300))
    .with_health_timeout(DurationRange::secs(2, 120))
    .with_timeout_below_interval(true)
    .with_health_threshold(Range::new(2, 10))
    .with_health_path_max_len(1024)
    .with_weight(None)
    .with_members_per_call(None)
    .with_listeners_per_balancer(50);

/// The protocols ELBv2 listeners speak through the core contract (HTTP and
/// HTTPS on ALBs; TCP, TLS, UDP and TCP_UDP on NLBs).
pub const ELBV2_PROTOCOLS: [Protocol; 6] = [
    Protocol::Http,
    Protocol::Https,
    Protocol::Tcp,
    Protocol::Tls,
    Protocol::Udp,
    Protocol::TcpUdp,
];

/// The algorithms of Application Load Balancers (`round_robin`,
/// `least_outstanding_requests`, `weighted_random` as `Random`).
pub const ELBV2_ALGORITHMS: [Algorithm; 3] = [
    Algorithm::RoundRobin,
    Algorithm::LeastOutstandingRequests,
    Algorithm::Random,
];

fn at(operation: &'static str) -> impl Fn(Error) -> Error {
    move |e| tag(e, operation)
}

fn invalid(operation: &'static str, field: &str, rule: impl Into<String>) -> Error {
    tag(Error::invalid_input(field, rule), operation)
}

/// What lbcloud reads about one balancer besides the load balancer itself.
struct Parts {
    lb: LoadBalancer,
    listeners: Vec<Listener>,
    group: Option<TargetGroup>,
    /// lbcloud's other target groups (one per further instance port).
    others: Vec<TargetGroup>,
    algorithm: Option<Algorithm>,
    tags: BTreeMap<String, String>,
}

/// The target groups a listener's default actions forward to.
fn forwarded(listeners: &[Listener]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in listeners {
        for a in &l.default_actions {
            let arns = a.target_group_arn.iter().cloned().chain(
                a.forward
                    .iter()
                    .flat_map(|f| f.target_groups.iter().map(|g| g.target_group_arn.clone())),
            );
            for arn in arns {
                if !out.contains(&arn) {
                    out.push(arn);
                }
            }
        }
    }
    out
}

/// The successes of calls sent together, each one's ARN recorded in
/// `made` (to undo), or the first error when any failed.
fn settle<T>(
    results: Vec<Result<T>>,
    made: &mut Vec<String>,
    arn: impl Fn(&T) -> &str,
) -> Result<Vec<T>> {
    let mut ok = Vec::with_capacity(results.len());
    let mut first_error = None;
    for r in results {
        match r {
            Ok(v) => {
                made.push(arn(&v).to_owned());
                ok.push(v);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(tag(e, "create_balancer")),
        None => Ok(ok),
    }
}

/// The target groups a create makes: one per distinct (instance port,
/// protocol), in listener order, the main listener's first (named like the
/// balancer, the others `NAME-PORT`), each with the health check. The VPC
/// and the owner tag are filled in when the groups are sent.
struct GroupPlan {
    lb_type: LoadBalancerType,
    backs: Vec<(u16, Elbv2Protocol)>,
    inputs: Vec<CreateTargetGroupInput>,
}

fn plan_groups(request: &CreateBalancer, lb_type: &LoadBalancerType) -> Result<GroupPlan> {
    const OP: &str = "create_balancer";
    let target_type = match request.members.first().map(|m| m.kind) {
        Some(MemberKind::Address) => TargetType::Ip,
        _ => TargetType::Instance,
    };
    let health = match &request.health_check {
        Some(hc) => convert::health_to_wire(hc, lb_type).map_err(at(OP))?,
        None => Default::default(),
    };
    let mut backs: Vec<(u16, Elbv2Protocol)> = Vec::new();
    for (i, l) in request.listeners.iter().enumerate() {
        let protocol =
            convert::target_protocol(l.protocol, l.instance_protocol).ok_or_else(|| {
                invalid(
                    OP,
                    &format!("listeners[{i}].instance_protocol"),
                    "has no ELBv2 name",
                )
            })?;
        if !backs.contains(&(l.instance_port, protocol.clone())) {
            backs.push((l.instance_port, protocol));
        }
    }
    let inputs = backs
        .iter()
        .enumerate()
        .map(|(i, (port, protocol))| {
            let name = if i == 0 {
                request.name.clone()
            } else {
                let suffix = format!("-{port}");
                let keep = request.name.len().min(32 - suffix.len());
                let stem = request.name.get(..keep).unwrap_or(&request.name);
                format!("{}{suffix}", stem.trim_end_matches('-'))
            };
            let mut g = CreateTargetGroupInput::new(name, protocol.clone(), *port, String::new())
                .target_type(target_type.clone());
            g.health_check = health.clone();
            g
        })
        .collect();
    Ok(GroupPlan {
        lb_type: lb_type.clone(),
        backs,
        inputs,
    })
}

fn to_balancer(parts: Parts) -> Balancer {
    let Parts {
        lb,
        mut listeners,
        group,
        others,
        algorithm,
        tags,
    } = parts;
    listeners.sort_by_key(|l| l.port);
    let groups: Vec<&TargetGroup> = group.iter().chain(others.iter()).collect();
    let core_listeners: Vec<CoreListener> = listeners
        .iter()
        .filter_map(|l| {
            let protocol = convert::protocol_from_wire(l.protocol.as_ref()?)?;
            let port = l.port?;
            let arns = forwarded(std::slice::from_ref(l));
            let back = groups
                .iter()
                .find(|g| arns.contains(&g.arn))
                .copied()
                .or(group.as_ref());
            let mut out =
                CoreListener::new(port, protocol, back.and_then(|g| g.port).unwrap_or(port));
            out.instance_protocol = back
                .and_then(|g| g.protocol.as_ref())
                .and_then(convert::protocol_from_wire);
            out.certificate_id = l.certificates.first().map(|c| c.arn.clone());
            Some(out)
        })
        .collect();
    let mut b = Balancer::new(lb.arn.clone(), lb.name.clone())
        .with_state(convert::state(lb.state.as_ref().map(|s| &s.code)))
        .with_listeners(core_listeners)
        .with_zones(
            lb.availability_zones
                .iter()
                .filter_map(|z| z.zone_name.clone()),
        )
        .with_tags(tags);
    b.ip = lb.dns_name.clone();
    b.health_check = group
        .as_ref()
        .and_then(|g| convert::health_from_wire(&g.health_check));
    b.algorithm = algorithm;
    b.created_at = lb.created_time;
    let subnets: Vec<String> = lb
        .availability_zones
        .iter()
        .filter_map(|z| z.subnet_id.clone())
        .collect();
    b.extra.insert_str("load_balancer_arn", &lb.arn);
    if let Some(t) = &lb.lb_type {
        b.extra.insert_str("type", t.as_str());
    }
    if let Some(s) = &lb.scheme {
        b.extra.insert_str("scheme", s.as_str());
    }
    if let Some(v) = &lb.vpc_id {
        b.extra.insert_str("vpc_id", v);
    }
    let _ = b.extra.insert("subnets", &subnets);
    let _ = b.extra.insert("security_groups", &lb.security_groups);
    if let Some(g) = &group {
        b.extra.insert_str("target_group_arn", &g.arn);
        if let Some(t) = &g.target_type {
            b.extra.insert_str("target_type", t.as_str());
        }
    }
    let arns: Vec<&str> = listeners.iter().map(|l| l.arn.as_str()).collect();
    let _ = b.extra.insert("listener_arns", &arns);
    b
}

impl Elbv2Driver {
    /// The ARN of a balancer given as its id (an ARN) or its name.
    async fn resolve(&self, operation: &'static str, id: &str) -> Result<LoadBalancer> {
        if id.starts_with("arn:") {
            return self.ex_get_load_balancer(id).await.map_err(at(operation));
        }
        request::check::load_balancer_name("id", id).map_err(at(operation))?;
        self.ex_find_load_balancer(id)
            .await
            .map_err(at(operation))?
            .ok_or_else(|| {
                tag(
                    Error::not_found(format!("there is no load balancer named {id:?}")),
                    operation,
                )
            })
    }

    /// lbcloud's target groups among `candidates`: those tagged with the
    /// balancer's ARN. Also returns the balancer's own tags (asked in the
    /// same `DescribeTags` call).
    async fn owned_groups(
        &self,
        operation: &'static str,
        lb_arn: &str,
        candidates: &[String],
    ) -> Result<(Vec<String>, BTreeMap<String, String>)> {
        let mut arns = vec![lb_arn.to_owned()];
        arns.extend(candidates.iter().cloned());
        let described = self.ex_describe_tags(&arns).await.map_err(at(operation))?;
        let mut owned = Vec::new();
        let mut lb_tags = BTreeMap::new();
        for d in described {
            if d.resource_arn == lb_arn {
                lb_tags = d.tags.into_iter().map(|t| (t.key, t.value)).collect();
            } else if d
                .tags
                .iter()
                .any(|t| t.key == OWNER_TAG && t.value == lb_arn)
            {
                owned.push(d.resource_arn);
            }
        }
        Ok((owned, lb_tags))
    }

    /// Every part of a balancer: its listeners, then its tags and default
    /// target group (with attributes), two rounds of requests sent together.
    async fn parts(&self, operation: &'static str, lb: LoadBalancer) -> Result<Parts> {
        self.learn_vpc(&lb);
        let listeners = self
            .ex_list_listeners(&lb.arn)
            .await
            .map_err(at(operation))?;
        let candidates = forwarded(&listeners);
        let (owned, tags) = self.owned_groups(operation, &lb.arn, &candidates).await?;
        // The default group: the one the main (lowest-port) listener
        // forwards to, else any of lbcloud's.
        let mut by_port: Vec<&Listener> = listeners.iter().collect();
        by_port.sort_by_key(|l| l.port);
        let main = by_port
            .first()
            .map(|l| forwarded(std::slice::from_ref(*l)))
            .unwrap_or_default();
        let default = owned
            .iter()
            .find(|g| main.contains(g))
            .or(owned.first())
            .cloned();
        let (group, others, algorithm) = match default {
            Some(arn) => {
                let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
                let (groups, attrs) = try_join(
                    self.ex_list_target_groups(TargetGroupFilter::Arns(&refs)),
                    self.ex_describe_target_group_attributes(&arn),
                )
                .await
                .map_err(at(operation))?;
                let algo = crate::model::attribute(&attrs, ALGORITHM_ATTRIBUTE)
                    .and_then(convert::algorithm_from_wire);
                let (main, others): (Vec<_>, Vec<_>) =
                    groups.into_iter().partition(|g| g.arn == arn);
                (main.into_iter().next(), others, algo)
            }
            None => (None, Vec::new(), None),
        };
        Ok(Parts {
            lb,
            listeners,
            group,
            others,
            algorithm,
            tags,
        })
    }

    /// The balancer's default target group (lbcloud's), or `NotFound`.
    async fn default_group(
        &self,
        operation: &'static str,
        balancer: &Balancer,
    ) -> Result<TargetGroup> {
        self.groups(operation, balancer).await.map(|(g, _)| g)
    }

    /// The balancer's default target group and lbcloud's others.
    async fn groups(
        &self,
        operation: &'static str,
        balancer: &Balancer,
    ) -> Result<(TargetGroup, Vec<TargetGroup>)> {
        check::balancer(operation, balancer).map_err(at(operation))?;
        let lb = self.resolve(operation, &balancer.id).await?;
        let parts = self.parts(operation, lb).await?;
        let others = parts.others;
        parts.group.map(|g| (g, others)).ok_or_else(|| {
            tag(
                Error::not_found(format!(
                    "balancer {} has no target group created by lbcloud",
                    balancer.name
                )),
                operation,
            )
        })
    }

    /// Deletes, in reverse order, what a failed create made; errors while
    /// cleaning up are dropped (the first error is what the caller sees).
    async fn undo(&self, listeners: &[String], groups: &[String], lb: Option<&str>) {
        let _ = join_all(listeners.iter().map(|l| self.ex_delete_listener(l))).await;
        if let Some(lb) = lb {
            let _ = self.ex_delete_load_balancer(lb).await;
        }
        let _ = join_all(groups.iter().map(|g| self.ex_delete_target_group(g))).await;
    }

    /// Sends the plan's `CreateTargetGroup`s together in `vpc`, tagged with
    /// the owner's ARN when it is known already; records what it made.
    async fn create_groups(
        &self,
        plan: &GroupPlan,
        vpc: &str,
        owner: Option<&str>,
        made: &mut Vec<String>,
    ) -> Result<Vec<TargetGroup>> {
        let inputs: Vec<CreateTargetGroupInput> = plan
            .inputs
            .iter()
            .map(|g| {
                let mut g = g.clone();
                g.vpc_id = Some(vpc.to_owned());
                match owner {
                    Some(arn) => g.tag(OWNER_TAG, arn),
                    None => g,
                }
            })
            .collect();
        let created = join_all(inputs.iter().map(|g| self.ex_create_target_group(g))).await;
        settle(created, made, |g| &g.arn)
    }

    /// The create chain once the load balancer and its target groups
    /// exist: targets (in every group), listeners, the algorithm and, for
    /// groups made before the balancer, the owner tag, all together.
    /// Records the listeners it made in `made` so the caller can undo them.
    async fn finish_create(
        &self,
        request: &CreateBalancer,
        lb: &LoadBalancer,
        plan: &GroupPlan,
        groups: Vec<TargetGroup>,
        tag_groups: bool,
        made: &mut Vec<String>,
    ) -> Result<(TargetGroup, Vec<TargetGroup>, Vec<Listener>)> {
        const OP: &str = "create_balancer";
        let group_for = |port: u16, protocol: &Elbv2Protocol| {
            plan.backs
                .iter()
                .position(|b| b.0 == port && &b.1 == protocol)
                .and_then(|i| groups.get(i))
        };

        // Targets: with their own ports in the default group, on the
        // group's port in the others.
        let registrations = groups.iter().enumerate().map(|(i, g)| {
            let targets: Vec<_> = request
                .members
                .iter()
                .map(|m| {
                    let mut t = convert::target_of(m);
                    if i > 0 {
                        t.port = None;
                    }
                    t
                })
                .collect();
            async move {
                if targets.is_empty() {
                    Ok(())
                } else {
                    self.ex_register_targets(&g.arn, &targets).await
                }
            }
        });
        let register = try_join_all(registrations);
        let default_arn = groups.first().map(|g| g.arn.clone()).unwrap_or_default();
        let algorithm = async {
            match request.algorithm.and_then(convert::algorithm_to_wire) {
                Some(value) if plan.lb_type == LoadBalancerType::Application => self
                    .ex_modify_target_group_attributes(
                        &default_arn,
                        &[Attribute::new(ALGORITHM_ATTRIBUTE, value)],
                    )
                    .await
                    .map(drop),
                _ => Ok(()),
            }
        };
        let owner_tag = async {
            if tag_groups {
                let arns: Vec<&str> = groups.iter().map(|g| g.arn.as_str()).collect();
                self.ex_add_tags(&arns, &[Tag::new(OWNER_TAG, &lb.arn)])
                    .await
            } else {
                Ok(())
            }
        };
        let mut listener_inputs = Vec::new();
        for l in &request.listeners {
            let protocol = convert::target_protocol(l.protocol, l.instance_protocol)
                .unwrap_or(Elbv2Protocol::Tcp);
            let target = group_for(l.instance_port, &protocol)
                .map_or_else(|| default_arn.clone(), |g| g.arn.clone());
            let mut input = CreateListenerInput::new(
                &lb.arn,
                convert::protocol_to_wire(l.protocol).unwrap_or(Elbv2Protocol::Tcp),
                l.port,
                Action::forward(target),
            );
            if let Some(c) = &l.certificate_id {
                input = input.certificate(c);
            }
            listener_inputs.push(input);
        }
        let listeners = join_all(listener_inputs.iter().map(|i| self.ex_create_listener(i)));
        let (registered, algorithm, owner_tag, listeners) =
            futures_util::future::join4(register, algorithm, owner_tag, listeners).await;
        let created = settle(listeners, made, |l| &l.arn)?;
        registered.map_err(at(OP))?;
        algorithm.map_err(at(OP))?;
        owner_tag.map_err(at(OP))?;
        let mut groups = groups.into_iter();
        let default = groups
            .next()
            .ok_or_else(|| invalid(OP, "listeners", "at least one listener is required"))?;
        Ok((default, groups.collect(), created))
    }

    fn check_create(
        &self,
        request: &CreateBalancer,
    ) -> Result<(LoadBalancerType, CreateLoadBalancerInput)> {
        const OP: &str = "create_balancer";
        let protocols: Vec<Protocol> = request.listeners.iter().map(|l| l.protocol).collect();
        let lb_type = convert::balancer_type(&protocols).map_err(at(OP))?;
        let subnets = if request.subnets.is_empty() {
            self.default_subnets()
        } else {
            &request.subnets
        };
        if subnets.is_empty() {
            return Err(invalid(
                OP,
                "subnets",
                "an ELBv2 balancer is placed in subnets: give CreateBalancer::subnets or the \
                 driver's default subnets (Elbv2DriverBuilder::subnets, option `subnets`)",
            ));
        }
        if let Some(a) = request.algorithm {
            let ok = if lb_type == LoadBalancerType::Application {
                convert::algorithm_to_wire(a).is_some()
            } else {
                false
            };
            if !ok {
                return Err(invalid(
                    OP,
                    "algorithm",
                    format!("an {lb_type} load balancer cannot use {a}"),
                ));
            }
        }
        let kinds: Vec<MemberKind> = request.members.iter().map(|m| m.kind).collect();
        if let Some(i) = kinds.iter().position(|k| Some(k) != kinds.first()) {
            return Err(invalid(
                OP,
                &format!("members[{i}]"),
                "one target group holds instance targets or IP targets, not both",
            ));
        }
        if let Some(hc) = &request.health_check {
            convert::health_to_wire(hc, &lb_type).map_err(at(OP))?;
        }
        for (i, l) in request.listeners.iter().enumerate() {
            let https = matches!(l.protocol, Protocol::Https | Protocol::Tls | Protocol::Ssl);
            if https && l.certificate_id.is_none() {
                return Err(invalid(
                    OP,
                    &format!("listeners[{i}].certificate_id"),
                    "an HTTPS or TLS listener needs a certificate",
                ));
            }
        }
        let mut input = CreateLoadBalancerInput::new(&request.name)
            .subnets(subnets.iter().cloned())
            .security_groups(request.security_groups.iter().cloned())
            .lb_type(lb_type.clone());
        input.scheme = request.scheme.map(|s| match s {
            lbcloud_core::Scheme::Internal => Scheme::Internal,
            _ => Scheme::InternetFacing,
        });
        input.tags = request
            .tags
            .iter()
            .map(|(k, v)| Tag::new(k.clone(), v.clone()))
            .collect();
        request::create_load_balancer(&input).map_err(at(OP))?;
        Ok((lb_type, input))
    }

    /// Registers (or deregisters) targets in the default group with their
    /// ports and in lbcloud's other groups on each group's own port, all
    /// at once.
    async fn in_every_group(
        &self,
        default: &TargetGroup,
        others: &[TargetGroup],
        targets: &[crate::model::TargetDescription],
        register: bool,
    ) -> Result<()> {
        let portless: Vec<_> = targets
            .iter()
            .map(|t| crate::model::TargetDescription {
                port: None,
                ..t.clone()
            })
            .collect();
        let calls = std::iter::once((default, targets))
            .chain(others.iter().map(|g| (g, portless.as_slice())))
            .map(|(g, t)| async move {
                if register {
                    self.ex_register_targets(&g.arn, t).await
                } else {
                    self.ex_deregister_targets(&g.arn, t).await
                }
            });
        try_join_all(calls).await.map(drop)
    }

    /// A page of balancers, each read in full (listeners, tags, target
    /// groups, algorithm: the balancers of a page are read together). A
    /// balancer deleted meanwhile is left out.
    async fn full_page(&self, lbs: Vec<LoadBalancer>) -> Result<Vec<Balancer>> {
        const OP: &str = "list_balancers";
        let parts = join_all(lbs.into_iter().map(|lb| self.parts(OP, lb))).await;
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                Ok(p) => out.push(to_balancer(p)),
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl Driver for Elbv2Driver {
    fn name(&self) -> &str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        ELBV2_CAPABILITIES
    }

    fn limits(&self) -> Limits {
        ELBV2_LIMITS
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        ELBV2_PROTOCOLS.to_vec()
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        ELBV2_ALGORITHMS.to_vec()
    }

    /// `DescribeLoadBalancers` page by page, each balancer read in full as
    /// [`get_balancer`](Driver::get_balancer) reads it.
    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        self.ex_load_balancers_pages()
            .map_err(at("list_balancers"))
            .and_then(move |lbs| self.full_page(lbs))
            .boxed()
    }

    /// The balancer by ARN (its id) or name, with listeners, tags, health
    /// check and algorithm.
    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        const OP: &str = "get_balancer";
        let lb = self.resolve(OP, id).await?;
        Ok(to_balancer(self.parts(OP, lb).await?))
    }

    /// `CreateLoadBalancer` -> `CreateTargetGroup` (with the health check)
    /// -> `RegisterTargets`, one `CreateListener` per listener and the
    /// algorithm attribute, sent together. On any failure everything made
    /// so far is deleted. A name already in use is `AlreadyExists` (checked
    /// first: some servers, moto among them, would create a second one).
    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        const OP: &str = "create_balancer";
        check::create_balancer(self, &request).map_err(at(OP))?;
        let (lb_type, input) = self.check_create(&request)?;
        let plan = plan_groups(&request, &lb_type)?;
        let names = [request.name.as_str()];
        let (lb_exists, tg_exists) = try_join(self.ex_find_load_balancer(&request.name), async {
            match self
                .ex_list_target_groups(TargetGroupFilter::Names(&names))
                .await
            {
                Ok(groups) => Ok(!groups.is_empty()),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            }
        })
        .await
        .map_err(at(OP))?;
        if lb_exists.is_some() || tg_exists {
            let what = if lb_exists.is_some() {
                "load balancer"
            } else {
                "target group"
            };
            return Err(tag(
                Error::new(
                    ErrorKind::AlreadyExists,
                    format!("a {what} named {:?} already exists", request.name),
                ),
                OP,
            ));
        }
        let mut made_groups = Vec::new();
        let mut made_listeners = Vec::new();
        // Two waves when the VPC is known up front (the groups go with the
        // balancer and are tagged after it), three when the groups must
        // wait for the balancer's answer to learn it.
        let (lb, groups, tag_groups) = match self.vpc_before_create(&input.subnets) {
            Some(vpc) => {
                let (lb, groups) = futures_util::future::join(
                    self.ex_create_load_balancer(&input),
                    self.create_groups(&plan, &vpc, None, &mut made_groups),
                )
                .await;
                let lb = match lb {
                    Ok(lb) => lb,
                    Err(e) => {
                        self.undo(&[], &made_groups, None).await;
                        return Err(tag(e, OP));
                    }
                };
                self.learn_vpc(&lb);
                let checked = match (groups, lb.vpc_id.as_deref()) {
                    (Ok(groups), Some(actual)) if actual == vpc => Ok(groups),
                    (Ok(_), actual) => Err(invalid(
                        OP,
                        "vpc_id",
                        format!(
                            "is {vpc:?}, but the balancer's subnets are in {:?}",
                            actual.unwrap_or("no VPC")
                        ),
                    )),
                    (Err(e), _) => Err(e),
                };
                match checked {
                    Ok(groups) => (lb, groups, true),
                    Err(e) => {
                        self.undo(&[], &made_groups, Some(&lb.arn)).await;
                        return Err(e);
                    }
                }
            }
            None => {
                let lb = self.ex_create_load_balancer(&input).await.map_err(at(OP))?;
                self.learn_vpc(&lb);
                let vpc = lb.vpc_id.clone().unwrap_or_default();
                match self
                    .create_groups(&plan, &vpc, Some(&lb.arn), &mut made_groups)
                    .await
                {
                    Ok(groups) => (lb, groups, false),
                    Err(e) => {
                        self.undo(&[], &made_groups, Some(&lb.arn)).await;
                        return Err(e);
                    }
                }
            }
        };
        let finished = self
            .finish_create(
                &request,
                &lb,
                &plan,
                groups,
                tag_groups,
                &mut made_listeners,
            )
            .await;
        match finished {
            Ok((group, others, listeners)) => {
                let algorithm = match lb_type {
                    LoadBalancerType::Application => {
                        Some(request.algorithm.unwrap_or(Algorithm::RoundRobin))
                    }
                    _ => None,
                };
                Ok(to_balancer(Parts {
                    lb,
                    listeners,
                    group: Some(group),
                    others,
                    algorithm,
                    tags: request.tags.clone(),
                }))
            }
            Err(e) => {
                self.undo(&made_listeners, &made_groups, Some(&lb.arn))
                    .await;
                Err(e)
            }
        }
    }

    /// The main listener's port or protocol (`ModifyListener`) and the
    /// algorithm (`ModifyTargetGroupAttributes`); renaming is unsupported.
    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        const OP: &str = "update_balancer";
        check::update_balancer(self, &update).map_err(at(OP))?;
        check::balancer(OP, balancer).map_err(at(OP))?;
        let lb = self.resolve(OP, &balancer.id).await?;
        let parts = self.parts(OP, lb.clone()).await?;
        if update.port.is_some() || update.protocol.is_some() {
            let main = parts
                .listeners
                .iter()
                .min_by_key(|l| l.port)
                .ok_or_else(|| invalid(OP, "port", "the balancer has no listener to change"))?;
            let protocol = match update.protocol {
                Some(p) => Some(convert::protocol_to_wire(p).ok_or_else(|| {
                    invalid(OP, "protocol", format!("{p} is not an ELBv2 protocol"))
                })?),
                None => None,
            };
            let change = ModifyListenerInput {
                port: update.port,
                protocol,
                ..ModifyListenerInput::default()
            };
            self.ex_modify_listener(&main.arn, &change)
                .await
                .map_err(at(OP))?;
        }
        if let Some(a) = update.algorithm {
            let value = match (&parts.lb.lb_type, convert::algorithm_to_wire(a)) {
                (Some(LoadBalancerType::Application), Some(v)) => v,
                _ => {
                    return Err(invalid(
                        OP,
                        "algorithm",
                        format!("this balancer cannot use {a}"),
                    ));
                }
            };
            let group = parts.group.as_ref().ok_or_else(|| {
                invalid(OP, "algorithm", "the balancer has no lbcloud target group")
            })?;
            self.ex_modify_target_group_attributes(
                &group.arn,
                &[Attribute::new(ALGORITHM_ATTRIBUTE, value)],
            )
            .await
            .map_err(at(OP))?;
        }
        Ok(to_balancer(self.parts(OP, lb).await?))
    }

    /// Deletes the listeners, the load balancer, then only the target
    /// groups lbcloud created for it.
    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        const OP: &str = "destroy_balancer";
        check::balancer(OP, balancer).map_err(at(OP))?;
        let lb = self.resolve(OP, &balancer.id).await?;
        let listeners = self.ex_list_listeners(&lb.arn).await.map_err(at(OP))?;
        let mut candidates = forwarded(&listeners);
        let names = [lb.name.as_str()];
        if let Ok(same_name) = self
            .ex_list_target_groups(TargetGroupFilter::Names(&names))
            .await
        {
            for g in same_name {
                if !candidates.contains(&g.arn) {
                    candidates.push(g.arn);
                }
            }
        }
        let (owned, _) = self.owned_groups(OP, &lb.arn, &candidates).await?;
        try_join_all(listeners.iter().map(|l| self.ex_delete_listener(&l.arn)))
            .await
            .map_err(at(OP))?;
        self.ex_delete_load_balancer(&lb.arn)
            .await
            .map_err(at(OP))?;
        try_join_all(owned.iter().map(|g| self.ex_delete_target_group(g)))
            .await
            .map_err(at(OP))?;
        Ok(())
    }

    /// The default target group's targets (`DescribeTargetHealth`).
    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        const OP: &str = "balancer_list_members";
        let group = self.default_group(OP, balancer).await?;
        let health = self
            .ex_describe_target_health(&group.arn, &[], false)
            .await
            .map_err(at(OP))?;
        Ok(health
            .iter()
            .map(|t| convert::member_of(t, group.port))
            .collect())
    }

    /// `RegisterTargets` with each member's id (instance id or address)
    /// and port, in one call.
    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        const OP: &str = "balancer_attach_members";
        check::members(self, OP, &members).map_err(at(OP))?;
        let (group, others) = self.groups(OP, balancer).await?;
        let want = match group.target_type {
            Some(TargetType::Ip) => MemberKind::Address,
            _ => MemberKind::Instance,
        };
        if let Some(i) = members.iter().position(|m| m.kind != want) {
            return Err(invalid(
                OP,
                &format!("members[{i}]"),
                format!(
                    "this balancer's target group holds {} targets",
                    group
                        .target_type
                        .as_ref()
                        .map_or("instance", TargetType::as_str)
                ),
            ));
        }
        let targets: Vec<_> = members.iter().map(convert::target_of).collect();
        if !targets.is_empty() {
            self.in_every_group(&group, &others, &targets, true)
                .await
                .map_err(at(OP))?;
        }
        Ok(members
            .into_iter()
            .map(|mut m| {
                if m.kind == MemberKind::Address && m.id.is_empty() {
                    m.id = convert::address_id(m.ip.as_deref().unwrap_or_default(), m.port);
                }
                m
            })
            .collect())
    }

    /// `DeregisterTargets` with each member's id and port, in one call.
    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        const OP: &str = "balancer_detach_members";
        check::detach_members(self, members).map_err(at(OP))?;
        let (group, others) = self.groups(OP, balancer).await?;
        let targets: Vec<_> = members.iter().map(convert::target_of).collect();
        if targets.is_empty() {
            return Ok(());
        }
        self.in_every_group(&group, &others, &targets, false)
            .await
            .map_err(at(OP))
    }

    /// `ModifyTargetGroup` on the default target group.
    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        const OP: &str = "set_health_check";
        check::health_check(self, OP, &health_check).map_err(at(OP))?;
        let lb_type = balancer
            .extra
            .get::<String>("type")
            .map_or(LoadBalancerType::Application, |t| {
                LoadBalancerType::from(t.as_str())
            });
        let group = self.default_group(OP, balancer).await?;
        let settings = convert::health_to_wire(&health_check, &lb_type).map_err(at(OP))?;
        let updated = self
            .ex_modify_target_group(&group.arn, &settings)
            .await
            .map_err(at(OP))?;
        Ok(convert::health_from_wire(&updated.health_check).unwrap_or(health_check))
    }

    /// The default target group's health check.
    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        const OP: &str = "get_health_check";
        check::get_health_check(self).map_err(at(OP))?;
        let group = self.default_group(OP, balancer).await?;
        Ok(convert::health_from_wire(&group.health_check))
    }

    /// `DescribeTargetHealth`: the seven target states onto
    /// [`HealthState`](lbcloud_core::HealthState), with the reason code.
    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        const OP: &str = "balancer_member_health";
        check::member_health(self).map_err(at(OP))?;
        let group = self.default_group(OP, balancer).await?;
        let health = self
            .ex_describe_target_health(&group.arn, &[], false)
            .await
            .map_err(at(OP))?;
        Ok(health
            .iter()
            .map(|t| convert::health_of(t, group.port))
            .collect())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
