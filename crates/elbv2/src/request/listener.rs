//! Builders for listeners, their certificates and attributes, actions,
//! and listener rules.

use lbcloud_aws::QueryParams;
use lbcloud_core::Result;

use super::balancer::{modify_attributes, write_tags};
use super::{Fields, build, by_arn, check, check_paging, paging};
use crate::model::{
    Action, ActionType, Attribute, Certificate, CreateListenerInput, CreateRuleInput,
    ModifyListenerInput, ModifyRuleInput, MutualAuthentication, RuleCondition, RuleTransform,
};

/// The most target groups one weighted `forward` takes.
pub const MAX_FORWARD_TARGET_GROUPS: usize = 5;
/// The largest weight of a target group in a `forward`.
pub const MAX_WEIGHT: u32 = 999;
/// The highest rule priority and action order.
pub const MAX_PRIORITY: u32 = 50_000;
/// The content types a fixed response may have.
pub const FIXED_RESPONSE_CONTENT_TYPES: [&str; 5] = [
    "text/plain",
    "text/css",
    "text/html",
    "application/javascript",
    "application/json",
];

fn check_certificates(field: &str, certs: &[Certificate], required: bool) -> Result<()> {
    if required && certs.is_empty() {
        return Err(check::invalid(field, "must hold at least one certificate"));
    }
    for (i, c) in certs.iter().enumerate() {
        check::arn(&format!("{field}[{i}].arn"), &c.arn)?;
    }
    let arns: Vec<&str> = certs.iter().map(|c| c.arn.as_str()).collect();
    check::distinct(field, &arns)
}

fn write_certificates(f: &mut Fields<'_>, certs: &[Certificate]) {
    f.list("Certificates", certs, |m, c| {
        m.set("CertificateArn", &c.arn);
        m.opt("IsDefault", c.is_default);
    });
}

fn check_redirect_part(field: &str, value: Option<&str>, min: usize) -> Result<()> {
    value.map_or(Ok(()), |v| check::max_len(field, v, min, 128))
}

/// Checks one action: its type is known and the matching config is set.
fn check_action(field: &str, a: &Action) -> Result<()> {
    check::opt_range(&format!("{field}.order"), a.order, 1, MAX_PRIORITY)?;
    let t = &a.action_type;
    check::known(&format!("{field}.action_type"), t.is_known(), t.as_str())?;
    let missing = |what: &str| {
        Err(check::invalid(
            &format!("{field}.{what}"),
            format!("is required by a {t} action"),
        ))
    };
    match t {
        ActionType::Forward => {
            if let Some(arn) = &a.target_group_arn {
                check::arn(&format!("{field}.target_group_arn"), arn)?;
            }
            match (&a.target_group_arn, &a.forward) {
                (None, None) => return missing("target_group_arn"),
                (_, Some(fw)) => {
                    let f = format!("{field}.forward.target_groups");
                    let n = fw.target_groups.len();
                    if n == 0 || n > MAX_FORWARD_TARGET_GROUPS {
                        return Err(check::invalid(
                            &f,
                            format!(
                                "must hold 1 to {MAX_FORWARD_TARGET_GROUPS} target groups, got {n}"
                            ),
                        ));
                    }
                    for (i, g) in fw.target_groups.iter().enumerate() {
                        check::arn(&format!("{f}[{i}].target_group_arn"), &g.target_group_arn)?;
                        check::opt_range(&format!("{f}[{i}].weight"), g.weight, 0, MAX_WEIGHT)?;
                    }
                    let arns: Vec<&str> = fw
                        .target_groups
                        .iter()
                        .map(|g| g.target_group_arn.as_str())
                        .collect();
                    check::distinct(&f, &arns)?;
                    if let Some(s) = &fw.stickiness {
                        let field = format!("{field}.forward.stickiness.duration_seconds");
                        check::opt_range(&field, s.duration_seconds, 1, 604_800)?;
                        if s.enabled == Some(true) && s.duration_seconds.is_none() {
                            return Err(check::invalid(
                                &field,
                                "is required when stickiness is on",
                            ));
                        }
                    }
                }
                (Some(_), None) => {}
            }
        }
        ActionType::Redirect => {
            let Some(r) = &a.redirect else {
                return missing("redirect");
            };
            let f = format!("{field}.redirect");
            check::known(
                &format!("{f}.status_code"),
                r.status_code.is_known(),
                r.status_code.as_str(),
            )?;
            if let Some(p) = &r.protocol
                && !matches!(p.as_str(), "HTTP" | "HTTPS" | "#{protocol}")
            {
                return Err(check::invalid(
                    &format!("{f}.protocol"),
                    format!("must be HTTP, HTTPS or #{{protocol}}, got {p:?}"),
                ));
            }
            if let Some(p) = &r.port
                && p != "#{port}"
                && !p.parse::<u16>().is_ok_and(|n| n > 0)
            {
                return Err(check::invalid(
                    &format!("{f}.port"),
                    format!("must be 1 to 65535 or #{{port}}, got {p:?}"),
                ));
            }
            check_redirect_part(&format!("{f}.host"), r.host.as_deref(), 1)?;
            check_redirect_part(&format!("{f}.path"), r.path.as_deref(), 1)?;
            if let Some(p) = &r.path
                && !p.starts_with('/')
            {
                return Err(check::invalid(&format!("{f}.path"), "must start with /"));
            }
            check_redirect_part(&format!("{f}.query"), r.query.as_deref(), 0)?;
        }
        ActionType::FixedResponse => {
            let Some(r) = &a.fixed_response else {
                return missing("fixed_response");
            };
            let f = format!("{field}.fixed_response");
            let code = r.status_code.as_bytes();
            if !(code.len() == 3
                && matches!(code.first(), Some(b'2' | b'4' | b'5'))
                && code.iter().all(u8::is_ascii_digit))
            {
                return Err(check::invalid(
                    &format!("{f}.status_code"),
                    format!("must be a 2XX, 4XX or 5XX code, got {:?}", r.status_code),
                ));
            }
            if let Some(b) = &r.message_body {
                check::max_len(&format!("{f}.message_body"), b, 0, 1024)?;
            }
            if let Some(ct) = &r.content_type
                && !FIXED_RESPONSE_CONTENT_TYPES.contains(&ct.as_str())
            {
                return Err(check::invalid(
                    &format!("{f}.content_type"),
                    format!(
                        "must be one of {}, got {ct:?}",
                        FIXED_RESPONSE_CONTENT_TYPES.join(", ")
                    ),
                ));
            }
        }
        ActionType::AuthenticateOidc => {
            let Some(o) = &a.authenticate_oidc else {
                return missing("authenticate_oidc");
            };
            let f = format!("{field}.authenticate_oidc");
            for (name, v) in [
                ("issuer", &o.issuer),
                ("authorization_endpoint", &o.authorization_endpoint),
                ("token_endpoint", &o.token_endpoint),
                ("user_info_endpoint", &o.user_info_endpoint),
                ("client_id", &o.client_id),
            ] {
                check::non_empty(&format!("{f}.{name}"), v)?;
            }
        }
        ActionType::AuthenticateCognito => {
            let Some(c) = &a.authenticate_cognito else {
                return missing("authenticate_cognito");
            };
            let f = format!("{field}.authenticate_cognito");
            check::arn(&format!("{f}.user_pool_arn"), &c.user_pool_arn)?;
            check::non_empty(&format!("{f}.user_pool_client_id"), &c.user_pool_client_id)?;
            check::non_empty(&format!("{f}.user_pool_domain"), &c.user_pool_domain)?;
        }
        ActionType::JwtValidation => {
            let Some(j) = &a.jwt_validation else {
                return missing("jwt_validation");
            };
            let f = format!("{field}.jwt_validation");
            check::non_empty(&format!("{f}.jwks_endpoint"), &j.jwks_endpoint)?;
            check::non_empty(&format!("{f}.issuer"), &j.issuer)?;
        }
        ActionType::Other(_) => {}
    }
    Ok(())
}

/// Checks actions: at least one (when `required`), each valid, orders
/// distinct.
pub(crate) fn check_actions(field: &str, actions: &[Action], required: bool) -> Result<()> {
    if required && actions.is_empty() {
        return Err(check::invalid(field, "must hold at least one action"));
    }
    for (i, a) in actions.iter().enumerate() {
        check_action(&format!("{field}[{i}]"), a)?;
        if a.order.is_some() && actions.iter().take(i).any(|p| p.order == a.order) {
            return Err(check::invalid(
                &format!("{field}[{i}].order"),
                "two actions have the same order",
            ));
        }
    }
    Ok(())
}

fn write_actions(f: &mut Fields<'_>, name: &str, actions: &[Action]) {
    f.list(name, actions, |m, a| {
        m.set("Type", &a.action_type);
        m.opt("TargetGroupArn", a.target_group_arn.as_deref());
        m.opt("Order", a.order);
        if let Some(fw) = &a.forward {
            let mut c = m.nested("ForwardConfig");
            c.list("TargetGroups", &fw.target_groups, |t, g| {
                t.set("TargetGroupArn", &g.target_group_arn);
                t.opt("Weight", g.weight);
            });
            if let Some(s) = &fw.stickiness {
                let mut s2 = c.nested("TargetGroupStickinessConfig");
                s2.opt("Enabled", s.enabled);
                s2.opt("DurationSeconds", s.duration_seconds);
            }
        }
        if let Some(r) = &a.redirect {
            let mut c = m.nested("RedirectConfig");
            c.opt("Protocol", r.protocol.as_deref());
            c.opt("Port", r.port.as_deref());
            c.opt("Host", r.host.as_deref());
            c.opt("Path", r.path.as_deref());
            c.opt("Query", r.query.as_deref());
            c.set("StatusCode", &r.status_code);
        }
        if let Some(r) = &a.fixed_response {
            let mut c = m.nested("FixedResponseConfig");
            c.opt("MessageBody", r.message_body.as_deref());
            c.set("StatusCode", &r.status_code);
            c.opt("ContentType", r.content_type.as_deref());
        }
        if let Some(o) = &a.authenticate_oidc {
            let mut c = m.nested("AuthenticateOidcConfig");
            c.set("Issuer", &o.issuer);
            c.set("AuthorizationEndpoint", &o.authorization_endpoint);
            c.set("TokenEndpoint", &o.token_endpoint);
            c.set("UserInfoEndpoint", &o.user_info_endpoint);
            c.set("ClientId", &o.client_id);
            c.opt("ClientSecret", o.client_secret.as_ref().map(|s| s.expose()));
            c.opt("SessionCookieName", o.session_cookie_name.as_deref());
            c.opt("Scope", o.scope.as_deref());
            c.opt("SessionTimeout", o.session_timeout);
            c.map(
                "AuthenticationRequestExtraParams",
                &o.authentication_request_extra_params,
            );
            c.opt(
                "OnUnauthenticatedRequest",
                o.on_unauthenticated_request.as_deref(),
            );
            c.opt("UseExistingClientSecret", o.use_existing_client_secret);
        }
        if let Some(o) = &a.authenticate_cognito {
            let mut c = m.nested("AuthenticateCognitoConfig");
            c.set("UserPoolArn", &o.user_pool_arn);
            c.set("UserPoolClientId", &o.user_pool_client_id);
            c.set("UserPoolDomain", &o.user_pool_domain);
            c.opt("SessionCookieName", o.session_cookie_name.as_deref());
            c.opt("Scope", o.scope.as_deref());
            c.opt("SessionTimeout", o.session_timeout);
            c.map(
                "AuthenticationRequestExtraParams",
                &o.authentication_request_extra_params,
            );
            c.opt(
                "OnUnauthenticatedRequest",
                o.on_unauthenticated_request.as_deref(),
            );
        }
        if let Some(j) = &a.jwt_validation {
            let mut c = m.nested("JwtValidationConfig");
            c.set("JwksEndpoint", &j.jwks_endpoint);
            c.set("Issuer", &j.issuer);
            c.list("AdditionalClaims", &j.additional_claims, |cl, claim| {
                cl.set("Format", &claim.format);
                cl.set("Name", &claim.name);
                cl.strings("Values", &claim.values);
            });
        }
    });
}

fn write_mutual(f: &mut Fields<'_>, m: Option<&MutualAuthentication>) {
    if let Some(m) = m {
        let mut c = f.nested("MutualAuthentication");
        c.opt("Mode", m.mode.as_deref());
        c.opt("TrustStoreArn", m.trust_store_arn.as_deref());
        c.opt(
            "IgnoreClientCertificateExpiry",
            m.ignore_client_certificate_expiry,
        );
        c.opt(
            "AdvertiseTrustStoreCaNames",
            m.advertise_trust_store_ca_names.as_deref(),
        );
    }
}

fn check_mutual(m: Option<&MutualAuthentication>) -> Result<()> {
    let Some(m) = m else { return Ok(()) };
    if let Some(mode) = &m.mode
        && !matches!(mode.as_str(), "off" | "passthrough" | "verify")
    {
        return Err(check::invalid(
            "mutual_authentication.mode",
            format!("must be off, passthrough or verify, got {mode:?}"),
        ));
    }
    if let Some(arn) = &m.trust_store_arn {
        check::arn("mutual_authentication.trust_store_arn", arn)?;
    }
    check::on_off(
        "mutual_authentication.advertise_trust_store_ca_names",
        m.advertise_trust_store_ca_names.as_deref(),
    )
}

/// The listener fields `CreateListener` and `ModifyListener` share.
struct ListenerFields<'a> {
    protocol: Option<&'a crate::model::Elbv2Protocol>,
    port: Option<u16>,
    ssl_policy: Option<&'a str>,
    certificates: &'a [Certificate],
    default_actions: &'a [Action],
    alpn_policy: &'a [String],
    mutual_authentication: Option<&'a MutualAuthentication>,
}

impl ListenerFields<'_> {
    fn check(&self, creating: bool) -> Result<()> {
        if let Some(p) = self.protocol {
            check::known("protocol", p.is_known(), p.as_str())?;
        }
        check::opt_port("port", self.port)?;
        if let Some(s) = self.ssl_policy {
            check::non_empty("ssl_policy", s)?;
        }
        check_certificates("certificates", self.certificates, false)?;
        use crate::model::Elbv2Protocol::{Https, Tls};
        if creating && matches!(self.protocol, Some(Https | Tls)) && self.certificates.is_empty() {
            return Err(check::invalid(
                "certificates",
                "an HTTPS or TLS listener needs a default certificate",
            ));
        }
        if self.certificates.len() > 1 {
            return Err(check::invalid(
                "certificates",
                "takes exactly one (the default); add more with AddListenerCertificates",
            ));
        }
        check_actions("default_actions", self.default_actions, creating)?;
        if self.alpn_policy.len() > 1 {
            return Err(check::invalid("alpn_policy", "takes at most one policy"));
        }
        check::strings("alpn_policy", self.alpn_policy, false)?;
        check_mutual(self.mutual_authentication)
    }

    fn write(&self, f: &mut Fields<'_>) {
        f.opt("Protocol", self.protocol);
        f.opt("Port", self.port);
        f.opt("SslPolicy", self.ssl_policy);
        write_certificates(f, self.certificates);
        write_actions(f, "DefaultActions", self.default_actions);
        f.strings("AlpnPolicy", self.alpn_policy);
        write_mutual(f, self.mutual_authentication);
    }
}

/// `CreateListener`: at least one default action; a certificate on HTTPS
/// and TLS.
pub fn create_listener(input: &CreateListenerInput) -> Result<QueryParams> {
    check::arn("load_balancer_arn", &input.load_balancer_arn)?;
    let fields = ListenerFields {
        protocol: input.protocol.as_ref(),
        port: input.port,
        ssl_policy: input.ssl_policy.as_deref(),
        certificates: &input.certificates,
        default_actions: &input.default_actions,
        alpn_policy: &input.alpn_policy,
        mutual_authentication: input.mutual_authentication.as_ref(),
    };
    fields.check(true)?;
    check::tags("tags", &input.tags, false)?;
    Ok(build("CreateListener", |f| {
        f.set("LoadBalancerArn", &input.load_balancer_arn);
        fields.write(f);
        write_tags(f, &input.tags);
    }))
}

/// `ModifyListener`: what is given changes; something must be.
pub fn modify_listener(arn: &str, input: &ModifyListenerInput) -> Result<QueryParams> {
    check::arn("listener_arn", arn)?;
    if *input == ModifyListenerInput::default() {
        return Err(check::invalid("input", "changes nothing"));
    }
    let fields = ListenerFields {
        protocol: input.protocol.as_ref(),
        port: input.port,
        ssl_policy: input.ssl_policy.as_deref(),
        certificates: &input.certificates,
        default_actions: &input.default_actions,
        alpn_policy: &input.alpn_policy,
        mutual_authentication: input.mutual_authentication.as_ref(),
    };
    fields.check(false)?;
    Ok(build("ModifyListener", |f| {
        f.set("ListenerArn", arn);
        fields.write(f);
    }))
}

/// `DeleteListener`.
pub fn delete_listener(arn: &str) -> Result<QueryParams> {
    by_arn("DeleteListener", "listener_arn", "ListenerArn", arn)
}

/// `DescribeListeners`: the listeners of a load balancer, or by ARNs
/// (exactly one of the two).
pub fn describe_listeners<S: AsRef<str>>(
    load_balancer_arn: Option<&str>,
    listener_arns: &[S],
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    let parent = ("load_balancer_arn", "LoadBalancerArn", load_balancer_arn);
    let arns = ("listener_arns", "ListenerArns", listener_arns);
    children_of("DescribeListeners", parent, arns, marker, page_size)
}

/// A describe request for the children of one parent (a load balancer's
/// listeners, a listener's rules) or for children by ARN: exactly one of
/// the two, each given as (field, wire name, value).
fn children_of<S: AsRef<str>>(
    action: &'static str,
    (parent_field, parent_wire, parent): (&str, &str, Option<&str>),
    (list_field, list_wire, arns): (&str, &str, &[S]),
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    match (parent, arns.is_empty()) {
        (Some(p), true) => check::arn(parent_field, p)?,
        (None, false) => check::arns(list_field, arns, 400)?,
        _ => {
            return Err(check::invalid(
                parent_field,
                format!("give {parent_field} or {list_field} (exactly one)"),
            ));
        }
    }
    check_paging(marker, page_size)?;
    let arns: Vec<&str> = arns.iter().map(AsRef::as_ref).collect();
    Ok(build(action, |f| {
        f.opt(parent_wire, parent);
        f.strings(list_wire, &arns);
        paging(f, marker, page_size);
    }))
}

/// `AddListenerCertificates`: one or more certificates beyond the default.
pub fn add_listener_certificates(arn: &str, certs: &[Certificate]) -> Result<QueryParams> {
    check::arn("listener_arn", arn)?;
    check_certificates("certificates", certs, true)?;
    Ok(build("AddListenerCertificates", |f| {
        f.set("ListenerArn", arn);
        write_certificates(f, certs);
    }))
}

/// `RemoveListenerCertificates`: certificates by ARN.
pub fn remove_listener_certificates<S: AsRef<str>>(
    arn: &str,
    certificate_arns: &[S],
) -> Result<QueryParams> {
    check::arn("listener_arn", arn)?;
    check::arns("certificate_arns", certificate_arns, usize::MAX)?;
    let certs: Vec<Certificate> = certificate_arns
        .iter()
        .map(|a| Certificate::new(a.as_ref()))
        .collect();
    Ok(build("RemoveListenerCertificates", |f| {
        f.set("ListenerArn", arn);
        write_certificates(f, &certs);
    }))
}

/// `DescribeListenerCertificates`.
pub fn describe_listener_certificates(
    arn: &str,
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    check::arn("listener_arn", arn)?;
    check_paging(marker, page_size)?;
    Ok(build("DescribeListenerCertificates", |f| {
        f.set("ListenerArn", arn);
        paging(f, marker, page_size);
    }))
}

/// `DescribeListenerAttributes`.
pub fn describe_listener_attributes(arn: &str) -> Result<QueryParams> {
    by_arn(
        "DescribeListenerAttributes",
        "listener_arn",
        "ListenerArn",
        arn,
    )
}

/// `ModifyListenerAttributes`: at least one attribute.
pub fn modify_listener_attributes(arn: &str, attributes: &[Attribute]) -> Result<QueryParams> {
    modify_attributes(
        "ModifyListenerAttributes",
        "listener_arn",
        "ListenerArn",
        arn,
        attributes,
        usize::MAX,
    )
}

const CONDITION_FIELDS: [&str; 6] = [
    "host-header",
    "path-pattern",
    "http-header",
    "query-string",
    "http-request-method",
    "source-ip",
];

fn check_condition(field: &str, c: &RuleCondition) -> Result<()> {
    if !CONDITION_FIELDS.contains(&c.field.as_str()) {
        return Err(check::invalid(
            &format!("{field}.field"),
            format!(
                "must be one of {}, got {:?}",
                CONDITION_FIELDS.join(", "),
                c.field
            ),
        ));
    }
    let lists: [(&str, Option<&[String]>); 6] = [
        ("values", Some(&c.values)),
        (
            "host_header.values",
            c.host_header.as_ref().map(|h| h.values.as_slice()),
        ),
        (
            "path_pattern.values",
            c.path_pattern.as_ref().map(|h| h.values.as_slice()),
        ),
        (
            "http_header.values",
            c.http_header.as_ref().map(|h| h.values.as_slice()),
        ),
        ("http_request_method", c.http_request_method.as_deref()),
        ("source_ip", c.source_ip.as_deref()),
    ];
    for (name, list) in lists {
        for (i, v) in list.unwrap_or_default().iter().enumerate() {
            check::max_len(&format!("{field}.{name}[{i}]"), v, 1, 128)?;
        }
    }
    if let Some(h) = &c.http_header {
        check::max_len(&format!("{field}.http_header.name"), &h.name, 1, 40)?;
    }
    let has_config = c.host_header.is_some()
        || c.path_pattern.is_some()
        || c.http_header.is_some()
        || c.query_string.is_some()
        || c.http_request_method.is_some()
        || c.source_ip.is_some();
    if !has_config && c.values.is_empty() && c.regex_values.is_empty() {
        return Err(check::invalid(
            &format!("{field}.values"),
            "a condition needs values or a matching config",
        ));
    }
    Ok(())
}

fn check_conditions(conditions: &[RuleCondition], required: bool) -> Result<()> {
    if required && conditions.is_empty() {
        return Err(check::invalid(
            "conditions",
            "must hold at least one condition",
        ));
    }
    for (i, c) in conditions.iter().enumerate() {
        check_condition(&format!("conditions[{i}]"), c)?;
    }
    Ok(())
}

fn write_values(f: &mut Fields<'_>, name: &str, values: &[String], regex: &[String]) {
    let mut c = f.nested(name);
    c.strings("Values", values);
    c.strings("RegexValues", regex);
}

fn write_conditions(f: &mut Fields<'_>, conditions: &[RuleCondition]) {
    f.list("Conditions", conditions, |m, c| {
        m.set("Field", &c.field);
        m.strings("Values", &c.values);
        m.strings("RegexValues", &c.regex_values);
        if let Some(h) = &c.host_header {
            write_values(m, "HostHeaderConfig", &h.values, &h.regex_values);
        }
        if let Some(h) = &c.path_pattern {
            write_values(m, "PathPatternConfig", &h.values, &h.regex_values);
        }
        if let Some(h) = &c.http_header {
            let mut n = m.nested("HttpHeaderConfig");
            n.set("HttpHeaderName", &h.name);
            n.strings("Values", &h.values);
            n.strings("RegexValues", &h.regex_values);
        }
        if let Some(q) = &c.query_string {
            m.nested("QueryStringConfig").list("Values", q, |p, pair| {
                p.opt("Key", pair.key.as_deref());
                p.set("Value", &pair.value);
            });
        }
        if let Some(v) = &c.http_request_method {
            m.nested("HttpRequestMethodConfig").strings("Values", v);
        }
        if let Some(v) = &c.source_ip {
            m.nested("SourceIpConfig").strings("Values", v);
        }
    });
}

fn check_transforms(transforms: &[RuleTransform]) -> Result<()> {
    for (i, t) in transforms.iter().enumerate() {
        let field = format!("transforms[{i}]");
        let rewrites = match t.transform_type.as_str() {
            "host-header-rewrite" => &t.host_header_rewrites,
            "url-rewrite" => &t.url_rewrites,
            other => {
                return Err(check::invalid(
                    &format!("{field}.transform_type"),
                    format!("must be host-header-rewrite or url-rewrite, got {other:?}"),
                ));
            }
        };
        if rewrites.is_empty() {
            return Err(check::invalid(
                &format!("{field}.rewrites"),
                "must hold at least one rewrite",
            ));
        }
        for (j, r) in rewrites.iter().enumerate() {
            check::non_empty(&format!("{field}.rewrites[{j}].regex"), &r.regex)?;
        }
    }
    Ok(())
}

fn write_transforms(f: &mut Fields<'_>, transforms: &[RuleTransform]) {
    f.list("Transforms", transforms, |m, t| {
        m.set("Type", &t.transform_type);
        for (name, rewrites) in [
            ("HostHeaderRewriteConfig", &t.host_header_rewrites),
            ("UrlRewriteConfig", &t.url_rewrites),
        ] {
            if !rewrites.is_empty() {
                m.nested(name).list("Rewrites", rewrites, |r, rw| {
                    r.set("Regex", &rw.regex);
                    r.set("Replace", &rw.replace);
                });
            }
        }
    });
}

/// `CreateRule`: a priority 1-50000, at least one condition and action.
pub fn create_rule(input: &CreateRuleInput) -> Result<QueryParams> {
    check::arn("listener_arn", &input.listener_arn)?;
    check::range("priority", input.priority, 1, MAX_PRIORITY)?;
    check_conditions(&input.conditions, true)?;
    check_actions("actions", &input.actions, true)?;
    check_transforms(&input.transforms)?;
    check::tags("tags", &input.tags, false)?;
    Ok(build("CreateRule", |f| {
        f.set("ListenerArn", &input.listener_arn);
        write_conditions(f, &input.conditions);
        f.set("Priority", input.priority);
        write_actions(f, "Actions", &input.actions);
        write_tags(f, &input.tags);
        write_transforms(f, &input.transforms);
    }))
}

/// `ModifyRule`: what is given changes; something must be.
pub fn modify_rule(arn: &str, input: &ModifyRuleInput) -> Result<QueryParams> {
    check::arn("rule_arn", arn)?;
    if *input == ModifyRuleInput::default() {
        return Err(check::invalid("input", "changes nothing"));
    }
    check_conditions(&input.conditions, false)?;
    check_actions("actions", &input.actions, false)?;
    check_transforms(&input.transforms)?;
    Ok(build("ModifyRule", |f| {
        f.set("RuleArn", arn);
        write_conditions(f, &input.conditions);
        write_actions(f, "Actions", &input.actions);
        write_transforms(f, &input.transforms);
        f.opt("ResetTransforms", input.reset_transforms);
    }))
}

/// `DeleteRule`.
pub fn delete_rule(arn: &str) -> Result<QueryParams> {
    by_arn("DeleteRule", "rule_arn", "RuleArn", arn)
}

/// `DescribeRules`: the rules of a listener, or by ARNs (exactly one).
pub fn describe_rules<S: AsRef<str>>(
    listener_arn: Option<&str>,
    rule_arns: &[S],
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    let parent = ("listener_arn", "ListenerArn", listener_arn);
    let arns = ("rule_arns", "RuleArns", rule_arns);
    children_of("DescribeRules", parent, arns, marker, page_size)
}

/// `SetRulePriorities`: rule ARN and new priority (1-50000) pairs; no rule
/// or priority twice.
pub fn set_rule_priorities(priorities: &[(&str, u32)]) -> Result<QueryParams> {
    if priorities.is_empty() {
        return Err(check::invalid(
            "rule_priorities",
            "must hold at least one rule",
        ));
    }
    for (i, (arn, p)) in priorities.iter().enumerate() {
        check::arn(&format!("rule_priorities[{i}].rule_arn"), arn)?;
        check::range(
            &format!("rule_priorities[{i}].priority"),
            *p,
            1,
            MAX_PRIORITY,
        )?;
        if priorities.iter().take(i).any(|(_, q)| q == p) {
            return Err(check::invalid(
                &format!("rule_priorities[{i}].priority"),
                format!("priority {p} is given twice"),
            ));
        }
    }
    let arns: Vec<&str> = priorities.iter().map(|(a, _)| *a).collect();
    check::distinct("rule_priorities", &arns)?;
    Ok(build("SetRulePriorities", |f| {
        f.list("RulePriorities", priorities, |m, (arn, p)| {
            m.set("RuleArn", arn);
            m.set("Priority", p);
        });
    }))
}
