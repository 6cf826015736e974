//! Builders for balancers, listeners, instances, health checks, zones,
//! subnets and security groups.

use lbcloud_aws::QueryParams;
use lbcloud_core::{CreateBalancer, Error, HealthCheck, Listener, Result, validate};

use crate::model::HealthCheckDescription;

use super::{
    VERSION, elb_listener, for_balancer, optional_list, owned, push_listeners, required_list,
};
use crate::request::meta::check_tags;

/// `CreateLoadBalancer`: name, listeners, zones and/or subnets, security
/// groups, scheme and tags of `req`.
///
/// The algorithm, members and health check of a [`CreateBalancer`] are not
/// part of this action (ELB has no algorithm to choose; members and the
/// health check are separate calls), so they are ignored here. At least one
/// zone or one subnet is required.
///
/// ```
/// use lbcloud_core::{CreateBalancer, Protocol};
///
/// let req = CreateBalancer::new("web", 80, Protocol::Http).instance_port(8080).zones(["us-east-1a"]);
/// let q = lbcloud_elb::request::create_load_balancer(&req)?;
/// assert_eq!(q.get("Listeners.member.1.InstancePort"), Some("8080"));
/// assert_eq!(q.get("AvailabilityZones.member.1"), Some("us-east-1a"));
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
pub fn create_load_balancer(req: &CreateBalancer) -> Result<QueryParams> {
    let mut q = for_balancer("CreateLoadBalancer", &req.name)?;
    push_listeners(&mut q, &req.listeners)?;
    if req.zones.is_empty() && req.subnets.is_empty() {
        return Err(Error::invalid_input(
            "zones",
            "at least one availability zone or one subnet is required",
        ));
    }
    optional_list("zones", &req.zones)?;
    optional_list("subnets", &req.subnets)?;
    optional_list("security_groups", &req.security_groups)?;
    let tags: Vec<(&str, &str)> = req
        .tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if !tags.is_empty() {
        check_tags(&tags)?;
    }
    if !req.zones.is_empty() {
        q.push_scalar_list("AvailabilityZones", owned(&req.zones));
    }
    if !req.subnets.is_empty() {
        q.push_scalar_list("Subnets", owned(&req.subnets));
    }
    if !req.security_groups.is_empty() {
        q.push_scalar_list("SecurityGroups", owned(&req.security_groups));
    }
    if let Some(scheme) = req.scheme {
        q.push("Scheme", scheme.to_string());
    }
    if !tags.is_empty() {
        q.push_map("Tags", "Key", "Value", tags);
    }
    Ok(q)
}

/// `DeleteLoadBalancer`.
pub fn delete_load_balancer(name: &str) -> Result<QueryParams> {
    for_balancer("DeleteLoadBalancer", name)
}

/// `DescribeLoadBalancers`: the named balancers (all when `names` is
/// empty), from `marker`, at most `page_size` (1-400) per page.
pub fn describe_load_balancers<S: AsRef<str>>(
    names: &[S],
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    let mut q = QueryParams::new("DescribeLoadBalancers", VERSION);
    for (i, n) in names.iter().enumerate() {
        crate::request::check_name(&format!("load_balancer_names[{i}]"), n.as_ref())?;
    }
    optional_list("load_balancer_names", names)?;
    if !names.is_empty() {
        q.push_scalar_list("LoadBalancerNames", owned(names));
    }
    super::marker(&mut q, marker)?;
    super::page_size(&mut q, page_size)?;
    Ok(q)
}

/// `CreateLoadBalancerListeners`: adds listeners (at least one, ports distinct).
pub fn create_load_balancer_listeners(name: &str, listeners: &[Listener]) -> Result<QueryParams> {
    let mut q = for_balancer("CreateLoadBalancerListeners", name)?;
    push_listeners(&mut q, listeners)?;
    Ok(q)
}

/// `DeleteLoadBalancerListeners`: removes the listeners on `ports` (at least one).
pub fn delete_load_balancer_listeners(name: &str, ports: &[u16]) -> Result<QueryParams> {
    let mut q = for_balancer("DeleteLoadBalancerListeners", name)?;
    if ports.is_empty() {
        return Err(Error::invalid_input(
            "load_balancer_ports",
            "must hold at least one port",
        ));
    }
    for (i, p) in ports.iter().enumerate() {
        let field = format!("load_balancer_ports[{i}]");
        validate::port(&field, *p)?;
        if ports.iter().take(i).any(|prev| prev == p) {
            return Err(Error::invalid_input(
                field,
                format!("port {p} is listed twice"),
            ));
        }
    }
    q.push_scalar_list("LoadBalancerPorts", ports.iter().map(u16::to_string));
    Ok(q)
}

/// `SetLoadBalancerListenerSSLCertificate`: the certificate of the listener on `port`.
pub fn set_load_balancer_listener_ssl_certificate(
    name: &str,
    port: u16,
    certificate_id: &str,
) -> Result<QueryParams> {
    let mut q = for_balancer("SetLoadBalancerListenerSSLCertificate", name)?;
    validate::port("load_balancer_port", port)?;
    validate::non_empty("ssl_certificate_id", certificate_id)?;
    q.push("LoadBalancerPort", port.to_string());
    q.push("SSLCertificateId", certificate_id);
    Ok(q)
}

fn instances(
    action: &'static str,
    name: &str,
    ids: &[impl AsRef<str>],
    required: bool,
) -> Result<QueryParams> {
    let mut q = for_balancer(action, name)?;
    if required {
        required_list("instance_ids", ids)?;
    } else {
        optional_list("instance_ids", ids)?;
    }
    if !ids.is_empty() {
        q.push_list(
            "Instances",
            ids.iter()
                .map(|id| vec![("InstanceId", id.as_ref().to_owned())]),
        );
    }
    Ok(q)
}

/// `RegisterInstancesWithLoadBalancer`: registers instances (at least one) in one call.
pub fn register_instances_with_load_balancer<S: AsRef<str>>(
    name: &str,
    instance_ids: &[S],
) -> Result<QueryParams> {
    instances(
        "RegisterInstancesWithLoadBalancer",
        name,
        instance_ids,
        true,
    )
}

/// `DeregisterInstancesFromLoadBalancer`: deregisters instances (at least one) in one call.
pub fn deregister_instances_from_load_balancer<S: AsRef<str>>(
    name: &str,
    instance_ids: &[S],
) -> Result<QueryParams> {
    instances(
        "DeregisterInstancesFromLoadBalancer",
        name,
        instance_ids,
        true,
    )
}

/// `DescribeInstanceHealth`: the chosen instances, or every registered one
/// when `instance_ids` is empty.
pub fn describe_instance_health<S: AsRef<str>>(
    name: &str,
    instance_ids: &[S],
) -> Result<QueryParams> {
    instances("DescribeInstanceHealth", name, instance_ids, false)
}

/// `ConfigureHealthCheck`: the check in ELB's form (see
/// [`HealthCheckDescription::from_health_check`]): checked against
/// [`ELB_LIMITS`](super::ELB_LIMITS), the target text built from the
/// protocol, the port (or `member_port`, the main listener's instance
/// port, when the check has none) and the path, durations in whole seconds.
///
/// ```
/// use lbcloud_core::HealthCheck;
///
/// let q = lbcloud_elb::request::configure_health_check("web", &HealthCheck::http(None, "/ping"), Some(8080))?;
/// assert_eq!(q.get("HealthCheck.Target"), Some("HTTP:8080/ping"));
/// assert_eq!(q.get("HealthCheck.Interval"), Some("30"));
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
pub fn configure_health_check(
    name: &str,
    hc: &HealthCheck,
    member_port: Option<u16>,
) -> Result<QueryParams> {
    let mut q = for_balancer("ConfigureHealthCheck", name)?;
    let d = HealthCheckDescription::from_health_check(hc, member_port)?;
    q.push("HealthCheck.Target", d.target);
    q.push("HealthCheck.Interval", d.interval.to_string());
    q.push("HealthCheck.Timeout", d.timeout.to_string());
    q.push(
        "HealthCheck.UnhealthyThreshold",
        d.unhealthy_threshold.to_string(),
    );
    q.push(
        "HealthCheck.HealthyThreshold",
        d.healthy_threshold.to_string(),
    );
    Ok(q)
}

fn names_list<S: AsRef<str>>(
    action: &'static str,
    name: &str,
    param: &str,
    field: &str,
    items: &[S],
) -> Result<QueryParams> {
    let mut q = for_balancer(action, name)?;
    required_list(field, items)?;
    q.push_scalar_list(param, owned(items));
    Ok(q)
}

/// `EnableAvailabilityZonesForLoadBalancer`: adds zones (at least one).
pub fn enable_availability_zones_for_load_balancer<S: AsRef<str>>(
    name: &str,
    zones: &[S],
) -> Result<QueryParams> {
    names_list(
        "EnableAvailabilityZonesForLoadBalancer",
        name,
        "AvailabilityZones",
        "zones",
        zones,
    )
}

/// `DisableAvailabilityZonesForLoadBalancer`: removes zones (at least one).
pub fn disable_availability_zones_for_load_balancer<S: AsRef<str>>(
    name: &str,
    zones: &[S],
) -> Result<QueryParams> {
    names_list(
        "DisableAvailabilityZonesForLoadBalancer",
        name,
        "AvailabilityZones",
        "zones",
        zones,
    )
}

/// `AttachLoadBalancerToSubnets`: adds subnets (at least one).
pub fn attach_load_balancer_to_subnets<S: AsRef<str>>(
    name: &str,
    subnets: &[S],
) -> Result<QueryParams> {
    names_list(
        "AttachLoadBalancerToSubnets",
        name,
        "Subnets",
        "subnets",
        subnets,
    )
}

/// `DetachLoadBalancerFromSubnets`: removes subnets (at least one).
pub fn detach_load_balancer_from_subnets<S: AsRef<str>>(
    name: &str,
    subnets: &[S],
) -> Result<QueryParams> {
    names_list(
        "DetachLoadBalancerFromSubnets",
        name,
        "Subnets",
        "subnets",
        subnets,
    )
}

/// `ApplySecurityGroupsToLoadBalancer`: replaces the security groups (at least one).
pub fn apply_security_groups_to_load_balancer<S: AsRef<str>>(
    name: &str,
    security_groups: &[S],
) -> Result<QueryParams> {
    names_list(
        "ApplySecurityGroupsToLoadBalancer",
        name,
        "SecurityGroups",
        "security_groups",
        security_groups,
    )
}

/// Checks one listener against ELB's rules without building anything (for
/// callers that validate a whole plan before the first request).
pub fn validate_listener(field: &str, listener: &Listener) -> Result<()> {
    elb_listener(field, listener)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use lbcloud_core::{Member, Protocol, Scheme};

    use super::*;
    use crate::request::testutil::{assert_pairs, rejects};

    fn req() -> CreateBalancer {
        CreateBalancer::new("web", 80, Protocol::Http)
            .instance_port(8080)
            .zones(["us-east-1a", "us-east-1b"])
    }

    #[test]
    fn create_sends_every_part() {
        let r = req()
            .listener(
                Listener::new(443, Protocol::Https, 8443)
                    .instance_protocol(Protocol::Http)
                    .certificate("arn:cert"),
            )
            .subnets(["subnet-1"])
            .security_groups(["sg-1"])
            .scheme(Scheme::Internal)
            .tag("env", "prod")
            .member(Member::instance("i-1"));
        let q = create_load_balancer(&r).unwrap();
        assert_pairs(
            &q,
            "CreateLoadBalancer",
            &[
                ("LoadBalancerName", "web"),
                ("Listeners.member.1.Protocol", "HTTP"),
                ("Listeners.member.1.LoadBalancerPort", "80"),
                ("Listeners.member.1.InstancePort", "8080"),
                ("Listeners.member.2.Protocol", "HTTPS"),
                ("Listeners.member.2.LoadBalancerPort", "443"),
                ("Listeners.member.2.InstancePort", "8443"),
                ("Listeners.member.2.InstanceProtocol", "HTTP"),
                ("Listeners.member.2.SSLCertificateId", "arn:cert"),
                ("AvailabilityZones.member.1", "us-east-1a"),
                ("AvailabilityZones.member.2", "us-east-1b"),
                ("Subnets.member.1", "subnet-1"),
                ("SecurityGroups.member.1", "sg-1"),
                ("Scheme", "internal"),
                ("Tags.member.1.Key", "env"),
                ("Tags.member.1.Value", "prod"),
            ],
        );
    }

    #[test]
    fn create_rejects_bad_input() {
        let mut bad_name = req();
        bad_name.name = "a_b".into();
        rejects(create_load_balancer(&bad_name), "load_balancer_name");
        rejects(
            create_load_balancer(&CreateBalancer::new("web", 80, Protocol::Http)),
            "zones",
        );
        rejects(
            create_load_balancer(&CreateBalancer::new("web", 53, Protocol::Udp).zones(["z"])),
            "listeners[0].protocol",
        );
        rejects(
            create_load_balancer(
                &req().listener(
                    Listener::new(81, Protocol::Http, 81).instance_protocol(Protocol::Udp),
                ),
            ),
            "listeners[1].instance_protocol",
        );
        rejects(
            create_load_balancer(
                &req().listener(
                    Listener::new(81, Protocol::Http, 81).instance_protocol(Protocol::Tcp),
                ),
            ),
            "listeners[1].instance_protocol",
        );
        rejects(
            create_load_balancer(&req().listener(Listener::new(443, Protocol::Https, 80))),
            "listeners[1].certificate_id",
        );
        rejects(
            create_load_balancer(&req().listener(Listener::new(80, Protocol::Tcp, 81))),
            "listeners[1].port",
        );
        rejects(
            create_load_balancer(&req().listener(Listener::new(81, Protocol::Tcp, 0))),
            "listeners[1].instance_port",
        );
        let mut none = req();
        none.listeners.clear();
        rejects(create_load_balancer(&none), "listeners");
        rejects(create_load_balancer(&req().zones(["a", "a"])), "zones[1]");
        rejects(
            create_load_balancer(&req().security_groups([""])),
            "security_groups[0]",
        );
        rejects(
            create_load_balancer(&req().tag("k", "v".repeat(257))),
            "tags[0].value",
        );
        let many = (0..11).fold(req(), |r, i| r.tag(format!("k{i}"), "v"));
        rejects(create_load_balancer(&many), "tags");
    }

    #[test]
    fn describe_pages() {
        let q = describe_load_balancers(&["a", "b"], Some("m1"), Some(7)).unwrap();
        assert_pairs(
            &q,
            "DescribeLoadBalancers",
            &[
                ("LoadBalancerNames.member.1", "a"),
                ("LoadBalancerNames.member.2", "b"),
                ("Marker", "m1"),
                ("PageSize", "7"),
            ],
        );
        let all = describe_load_balancers::<&str>(&[], None, None).unwrap();
        assert_pairs(&all, "DescribeLoadBalancers", &[]);
        rejects(
            describe_load_balancers::<&str>(&[], None, Some(0)),
            "page_size",
        );
        rejects(
            describe_load_balancers::<&str>(&[], None, Some(401)),
            "page_size",
        );
        assert!(describe_load_balancers::<&str>(&[], None, Some(400)).is_ok());
        rejects(
            describe_load_balancers::<&str>(&[], Some(""), None),
            "marker",
        );
        rejects(
            describe_load_balancers(&["bad name"], None, None),
            "load_balancer_names[0]",
        );
    }

    #[test]
    fn delete_and_listeners() {
        assert_pairs(
            &delete_load_balancer("web").unwrap(),
            "DeleteLoadBalancer",
            &[("LoadBalancerName", "web")],
        );
        rejects(delete_load_balancer(""), "load_balancer_name");
        rejects(delete_load_balancer(&"a".repeat(33)), "load_balancer_name");

        let q = create_load_balancer_listeners(
            "web",
            &[
                Listener::new(25, Protocol::Tcp, 2525),
                Listener::new(465, Protocol::Ssl, 25).certificate("arn:c"),
            ],
        )
        .unwrap();
        assert_pairs(
            &q,
            "CreateLoadBalancerListeners",
            &[
                ("LoadBalancerName", "web"),
                ("Listeners.member.1.Protocol", "TCP"),
                ("Listeners.member.1.LoadBalancerPort", "25"),
                ("Listeners.member.1.InstancePort", "2525"),
                ("Listeners.member.2.Protocol", "SSL"),
                ("Listeners.member.2.LoadBalancerPort", "465"),
                ("Listeners.member.2.InstancePort", "25"),
                ("Listeners.member.2.SSLCertificateId", "arn:c"),
            ],
        );
        rejects(create_load_balancer_listeners("web", &[]), "listeners");
        rejects(
            create_load_balancer_listeners("web", &[Listener::new(465, Protocol::Ssl, 25)]),
            "listeners[0].certificate_id",
        );

        let q = delete_load_balancer_listeners("web", &[80, 443]).unwrap();
        assert_pairs(
            &q,
            "DeleteLoadBalancerListeners",
            &[
                ("LoadBalancerName", "web"),
                ("LoadBalancerPorts.member.1", "80"),
                ("LoadBalancerPorts.member.2", "443"),
            ],
        );
        rejects(
            delete_load_balancer_listeners("web", &[]),
            "load_balancer_ports",
        );
        rejects(
            delete_load_balancer_listeners("web", &[0]),
            "load_balancer_ports[0]",
        );
        rejects(
            delete_load_balancer_listeners("web", &[80, 80]),
            "load_balancer_ports[1]",
        );

        let q = set_load_balancer_listener_ssl_certificate("web", 443, "arn:new").unwrap();
        assert_pairs(
            &q,
            "SetLoadBalancerListenerSSLCertificate",
            &[
                ("LoadBalancerName", "web"),
                ("LoadBalancerPort", "443"),
                ("SSLCertificateId", "arn:new"),
            ],
        );
        rejects(
            set_load_balancer_listener_ssl_certificate("web", 0, "arn"),
            "load_balancer_port",
        );
        rejects(
            set_load_balancer_listener_ssl_certificate("web", 443, " "),
            "ssl_certificate_id",
        );
    }

    #[test]
    fn instances_and_health() {
        let q = register_instances_with_load_balancer("web", &["i-1", "i-2"]).unwrap();
        assert_pairs(
            &q,
            "RegisterInstancesWithLoadBalancer",
            &[
                ("LoadBalancerName", "web"),
                ("Instances.member.1.InstanceId", "i-1"),
                ("Instances.member.2.InstanceId", "i-2"),
            ],
        );
        let q = deregister_instances_from_load_balancer("web", &[String::from("i-3")]).unwrap();
        assert_pairs(
            &q,
            "DeregisterInstancesFromLoadBalancer",
            &[
                ("LoadBalancerName", "web"),
                ("Instances.member.1.InstanceId", "i-3"),
            ],
        );
        rejects(
            register_instances_with_load_balancer::<&str>("web", &[]),
            "instance_ids",
        );
        rejects(
            deregister_instances_from_load_balancer("web", &["i-1", ""]),
            "instance_ids[1]",
        );
        rejects(
            register_instances_with_load_balancer("web", &["i-1", "i-1"]),
            "instance_ids[1]",
        );

        let all = describe_instance_health::<&str>("web", &[]).unwrap();
        assert_pairs(
            &all,
            "DescribeInstanceHealth",
            &[("LoadBalancerName", "web")],
        );
        let some = describe_instance_health("web", &["i-9"]).unwrap();
        assert_eq!(some.get("Instances.member.1.InstanceId"), Some("i-9"));

        let hc = HealthCheck::new("HTTP:8080/health")
            .unwrap()
            .interval(Duration::from_secs(20))
            .healthy_threshold(3)
            .unhealthy_threshold(5);
        let q = configure_health_check("web", &hc, None).unwrap();
        assert_pairs(
            &q,
            "ConfigureHealthCheck",
            &[
                ("LoadBalancerName", "web"),
                ("HealthCheck.Target", "HTTP:8080/health"),
                ("HealthCheck.Interval", "20"),
                ("HealthCheck.Timeout", "5"),
                ("HealthCheck.UnhealthyThreshold", "5"),
                ("HealthCheck.HealthyThreshold", "3"),
            ],
        );
        rejects(
            configure_health_check("web", &hc.clone().interval(Duration::from_secs(4)), None),
            "health_check.interval",
        );
        rejects(
            configure_health_check("web", &hc.clone().timeout(Duration::from_secs(20)), None),
            "health_check.timeout",
        );
        rejects(
            configure_health_check(
                "web",
                &hc.clone().interval(Duration::from_millis(20_500)),
                None,
            ),
            "health_check.interval",
        );
        rejects(
            configure_health_check("web", &hc.clone().healthy_threshold(1), None),
            "health_check.healthy_threshold",
        );
        let codes =
            configure_health_check("web", &hc.clone().expected_codes("200-299"), None).unwrap_err();
        assert_eq!(codes.kind(), lbcloud_core::ErrorKind::Unsupported);
        assert_eq!(codes.field(), Some("health_check.expected_codes"));
        assert!(configure_health_check("web", &hc.clone().expected_codes("200"), None).is_ok());
        // Without a port of its own the check probes the member port given.
        let own = HealthCheck::tcp(None);
        let q = configure_health_check("web", &own, Some(8443)).unwrap();
        assert_eq!(q.get("HealthCheck.Target"), Some("TCP:8443"));
        rejects(
            configure_health_check("web", &own, None),
            "health_check.port",
        );
    }

    #[test]
    fn zones_subnets_and_groups() {
        let q = enable_availability_zones_for_load_balancer("web", &["us-east-1b"]).unwrap();
        assert_pairs(
            &q,
            "EnableAvailabilityZonesForLoadBalancer",
            &[
                ("LoadBalancerName", "web"),
                ("AvailabilityZones.member.1", "us-east-1b"),
            ],
        );
        let q = disable_availability_zones_for_load_balancer("web", &["us-east-1a"]).unwrap();
        assert_eq!(q.get("AvailabilityZones.member.1"), Some("us-east-1a"));
        let q = attach_load_balancer_to_subnets("web", &["s-1", "s-2"]).unwrap();
        assert_pairs(
            &q,
            "AttachLoadBalancerToSubnets",
            &[
                ("LoadBalancerName", "web"),
                ("Subnets.member.1", "s-1"),
                ("Subnets.member.2", "s-2"),
            ],
        );
        let q = detach_load_balancer_from_subnets("web", &["s-1"]).unwrap();
        assert_eq!(q.action(), "DetachLoadBalancerFromSubnets");
        let q = apply_security_groups_to_load_balancer("web", &["sg-1"]).unwrap();
        assert_pairs(
            &q,
            "ApplySecurityGroupsToLoadBalancer",
            &[
                ("LoadBalancerName", "web"),
                ("SecurityGroups.member.1", "sg-1"),
            ],
        );
        rejects(
            enable_availability_zones_for_load_balancer::<&str>("web", &[]),
            "zones",
        );
        rejects(
            disable_availability_zones_for_load_balancer("web", &[""]),
            "zones[0]",
        );
        rejects(
            attach_load_balancer_to_subnets::<&str>("web", &[]),
            "subnets",
        );
        rejects(
            detach_load_balancer_from_subnets::<&str>("web", &[]),
            "subnets",
        );
        rejects(
            apply_security_groups_to_load_balancer::<&str>("web", &[]),
            "security_groups",
        );
    }
}
