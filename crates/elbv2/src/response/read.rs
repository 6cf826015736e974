//! Readers of the structures answers share, one per API structure, on the
//! shared XML cursor. Unknown elements are skipped; any order is fine; a
//! required element missing is an `InvalidResponse` error.

use std::collections::BTreeMap;
use std::str::FromStr;

use lbcloud_aws::xml::Cursor;
use lbcloud_core::Result;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::model::*;

/// The element's name as text, for error messages.
fn what(name: &[u8]) -> &str {
    std::str::from_utf8(name).unwrap_or("element")
}

/// Reads an enumeration (any text is accepted: unknown values are `Other`).
pub(super) fn wire<T: FromStr<Err = std::convert::Infallible>>(
    c: &mut Cursor<'_>,
) -> Result<Option<T>> {
    let text = c.text_cow()?;
    let t = text.trim();
    Ok(if t.is_empty() { None } else { t.parse().ok() })
}

/// Reads a number; an empty element is `None`.
pub(super) fn num<T: FromStr>(c: &mut Cursor<'_>, name: &[u8]) -> Result<Option<T>> {
    let text = c.text_cow()?;
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        c.error(format_args!(
            "<{}> holds {text:?}, not a valid number",
            what(name)
        ))
    })
}

/// Reads `true` / `false`.
pub(super) fn flag(c: &mut Cursor<'_>, name: &[u8]) -> Result<Option<bool>> {
    c.bool(what(name)).map(Some)
}

/// Reads an ISO 8601 timestamp (with an offset, or UTC without one).
pub(super) fn timestamp(c: &mut Cursor<'_>, name: &[u8]) -> Result<Option<OffsetDateTime>> {
    let text = c.text_cow()?;
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(ts) = OffsetDateTime::parse(t, &Rfc3339) {
        return Ok(Some(ts));
    }
    let naive = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(t, naive)
        .map(|p| Some(p.assume_utc()))
        .map_err(|_| {
            c.error(format_args!(
                "<{}> holds {text:?}, not a timestamp",
                what(name)
            ))
        })
}

/// Reads a list of `<member>` structures with `f`.
pub(super) fn list<T>(
    c: &mut Cursor<'_>,
    f: impl FnMut(&mut Cursor<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    c.members(f)
}

/// A required text field, or an error naming the structure.
fn required(value: Option<String>, structure: &str, field: &str, c: &Cursor<'_>) -> Result<String> {
    value.ok_or_else(|| c.error(format_args!("a <{structure}> lacks its {field}")))
}

pub(super) fn load_balancer(c: &mut Cursor<'_>) -> Result<LoadBalancer> {
    let mut lb = LoadBalancer::default();
    let mut arn = None;
    c.for_each_child(|c, name| {
        match name {
            b"LoadBalancerArn" => arn = c.opt_text()?,
            b"LoadBalancerName" => lb.name = c.text()?,
            b"DNSName" => lb.dns_name = c.opt_text()?,
            b"CanonicalHostedZoneId" => lb.canonical_hosted_zone_id = c.opt_text()?,
            b"CreatedTime" => lb.created_time = timestamp(c, name)?,
            b"Scheme" => lb.scheme = wire(c)?,
            b"VpcId" => lb.vpc_id = c.opt_text()?,
            b"State" => lb.state = load_balancer_state(c)?,
            b"Type" => lb.lb_type = wire(c)?,
            b"AvailabilityZones" => lb.availability_zones = list(c, availability_zone)?,
            b"SecurityGroups" => lb.security_groups = c.text_members()?,
            b"IpAddressType" => lb.ip_address_type = wire(c)?,
            b"CustomerOwnedIpv4Pool" => lb.customer_owned_ipv4_pool = c.opt_text()?,
            b"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic" => {
                lb.enforce_security_group_inbound_rules_on_private_link_traffic = c.opt_text()?;
            }
            b"EnablePrefixForIpv6SourceNat" => {
                lb.enable_prefix_for_ipv6_source_nat = c.opt_text()?
            }
            b"IpamPools" => lb.ipam_pools = Some(ipam_pools(c)?),
            _ => {}
        }
        Ok(())
    })?;
    lb.arn = required(arn, "LoadBalancer", "LoadBalancerArn", c)?;
    Ok(lb)
}

fn load_balancer_state(c: &mut Cursor<'_>) -> Result<Option<LoadBalancerState>> {
    let mut code = None;
    let mut reason = None;
    c.for_each_child(|c, name| {
        match name {
            b"Code" => code = wire(c)?,
            b"Reason" => reason = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(code.map(|code| LoadBalancerState { code, reason }))
}

pub(super) fn ipam_pools(c: &mut Cursor<'_>) -> Result<IpamPools> {
    let mut p = IpamPools::default();
    c.for_each_child(|c, name| {
        if name == b"Ipv4IpamPoolId" {
            p.ipv4_ipam_pool_id = c.opt_text()?;
        }
        Ok(())
    })?;
    Ok(p)
}

pub(super) fn availability_zone(c: &mut Cursor<'_>) -> Result<AvailabilityZone> {
    let mut z = AvailabilityZone::default();
    c.for_each_child(|c, name| {
        match name {
            b"ZoneName" => z.zone_name = c.opt_text()?,
            b"SubnetId" => z.subnet_id = c.opt_text()?,
            b"OutpostId" => z.outpost_id = c.opt_text()?,
            b"LoadBalancerAddresses" => z.load_balancer_addresses = list(c, address)?,
            b"SourceNatIpv6Prefixes" => z.source_nat_ipv6_prefixes = c.text_members()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(z)
}

fn address(c: &mut Cursor<'_>) -> Result<LoadBalancerAddress> {
    let mut a = LoadBalancerAddress::default();
    c.for_each_child(|c, name| {
        match name {
            b"IpAddress" => a.ip_address = c.opt_text()?,
            b"AllocationId" => a.allocation_id = c.opt_text()?,
            b"PrivateIPv4Address" => a.private_ipv4_address = c.opt_text()?,
            b"IPv6Address" => a.ipv6_address = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(a)
}

pub(super) fn certificate(c: &mut Cursor<'_>) -> Result<Certificate> {
    let mut cert = Certificate::default();
    let mut arn = None;
    c.for_each_child(|c, name| {
        match name {
            b"CertificateArn" => arn = c.opt_text()?,
            b"IsDefault" => cert.is_default = flag(c, name)?,
            _ => {}
        }
        Ok(())
    })?;
    cert.arn = required(arn, "Certificate", "CertificateArn", c)?;
    Ok(cert)
}

pub(super) fn listener(c: &mut Cursor<'_>) -> Result<Listener> {
    let mut l = Listener::default();
    let mut arn = None;
    c.for_each_child(|c, name| {
        match name {
            b"ListenerArn" => arn = c.opt_text()?,
            b"LoadBalancerArn" => l.load_balancer_arn = c.opt_text()?,
            b"Port" => l.port = num(c, name)?,
            b"Protocol" => l.protocol = wire(c)?,
            b"Certificates" => l.certificates = list(c, certificate)?,
            b"SslPolicy" => l.ssl_policy = c.opt_text()?,
            b"DefaultActions" => l.default_actions = list(c, action)?,
            b"AlpnPolicy" => l.alpn_policy = c.text_members()?,
            b"MutualAuthentication" => l.mutual_authentication = Some(mutual(c)?),
            _ => {}
        }
        Ok(())
    })?;
    l.arn = required(arn, "Listener", "ListenerArn", c)?;
    Ok(l)
}

fn mutual(c: &mut Cursor<'_>) -> Result<MutualAuthentication> {
    let mut m = MutualAuthentication::default();
    c.for_each_child(|c, name| {
        match name {
            b"Mode" => m.mode = c.opt_text()?,
            b"TrustStoreArn" => m.trust_store_arn = c.opt_text()?,
            b"IgnoreClientCertificateExpiry" => m.ignore_client_certificate_expiry = flag(c, name)?,
            b"TrustStoreAssociationStatus" => m.trust_store_association_status = c.opt_text()?,
            b"AdvertiseTrustStoreCaNames" => m.advertise_trust_store_ca_names = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(m)
}

/// Reads a Query-protocol map: `<entry><key>..</key><value>..</value></entry>`.
fn string_map(c: &mut Cursor<'_>) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    c.for_each_child(|c, name| {
        if name == b"entry" {
            let (mut k, mut v) = (None, String::new());
            c.for_each_child(|c, name| {
                match name {
                    b"key" => k = Some(c.text()?),
                    b"value" => v = c.text()?,
                    _ => {}
                }
                Ok(())
            })?;
            if let Some(k) = k {
                out.insert(k, v);
            }
        }
        Ok(())
    })?;
    Ok(out)
}

pub(super) fn action(c: &mut Cursor<'_>) -> Result<Action> {
    let mut a = Action::of_type(ActionType::Other(String::new()));
    let mut typ = None;
    c.for_each_child(|c, name| {
        match name {
            b"Type" => typ = wire(c)?,
            b"TargetGroupArn" => a.target_group_arn = c.opt_text()?,
            b"Order" => a.order = num(c, name)?,
            b"ForwardConfig" => a.forward = Some(forward(c)?),
            b"RedirectConfig" => a.redirect = Some(redirect(c)?),
            b"FixedResponseConfig" => a.fixed_response = Some(fixed(c)?),
            b"AuthenticateOidcConfig" => a.authenticate_oidc = Some(oidc(c)?),
            b"AuthenticateCognitoConfig" => a.authenticate_cognito = Some(cognito(c)?),
            b"JwtValidationConfig" => a.jwt_validation = Some(jwt(c)?),
            _ => {}
        }
        Ok(())
    })?;
    a.action_type = typ.ok_or_else(|| c.error("an <Action> lacks its Type"))?;
    Ok(a)
}

fn forward(c: &mut Cursor<'_>) -> Result<ForwardConfig> {
    let mut f = ForwardConfig::default();
    c.for_each_child(|c, name| {
        match name {
            b"TargetGroups" => {
                f.target_groups = list(c, |c| {
                    let mut g = WeightedTargetGroup::default();
                    c.for_each_child(|c, name| {
                        match name {
                            b"TargetGroupArn" => g.target_group_arn = c.text()?,
                            b"Weight" => g.weight = num(c, name)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    Ok(g)
                })?;
            }
            b"TargetGroupStickinessConfig" => {
                let mut s = TargetGroupStickiness::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"Enabled" => s.enabled = flag(c, name)?,
                        b"DurationSeconds" => s.duration_seconds = num(c, name)?,
                        _ => {}
                    }
                    Ok(())
                })?;
                f.stickiness = Some(s);
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(f)
}

fn redirect(c: &mut Cursor<'_>) -> Result<RedirectConfig> {
    let mut r = RedirectConfig {
        protocol: None,
        port: None,
        host: None,
        path: None,
        query: None,
        status_code: RedirectStatusCode::Other(String::new()),
    };
    let mut status = None;
    c.for_each_child(|c, name| {
        match name {
            b"Protocol" => r.protocol = c.opt_text()?,
            b"Port" => r.port = c.opt_text()?,
            b"Host" => r.host = c.opt_text()?,
            b"Path" => r.path = c.opt_text()?,
            b"Query" => r.query = Some(c.text()?),
            b"StatusCode" => status = wire(c)?,
            _ => {}
        }
        Ok(())
    })?;
    r.status_code = status.ok_or_else(|| c.error("a <RedirectConfig> lacks its StatusCode"))?;
    Ok(r)
}

fn fixed(c: &mut Cursor<'_>) -> Result<FixedResponseConfig> {
    let mut f = FixedResponseConfig::default();
    let mut status = None;
    c.for_each_child(|c, name| {
        match name {
            b"MessageBody" => f.message_body = Some(c.text()?),
            b"StatusCode" => status = c.opt_text()?,
            b"ContentType" => f.content_type = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    f.status_code = required(status, "FixedResponseConfig", "StatusCode", c)?;
    Ok(f)
}

fn oidc(c: &mut Cursor<'_>) -> Result<AuthenticateOidcConfig> {
    let mut o = AuthenticateOidcConfig::default();
    c.for_each_child(|c, name| {
        match name {
            b"Issuer" => o.issuer = c.text()?,
            b"AuthorizationEndpoint" => o.authorization_endpoint = c.text()?,
            b"TokenEndpoint" => o.token_endpoint = c.text()?,
            b"UserInfoEndpoint" => o.user_info_endpoint = c.text()?,
            b"ClientId" => o.client_id = c.text()?,
            // AWS never returns the secret; if a server does, keep it secret.
            b"ClientSecret" => o.client_secret = c.opt_text()?.map(Into::into),
            b"SessionCookieName" => o.session_cookie_name = c.opt_text()?,
            b"Scope" => o.scope = c.opt_text()?,
            b"SessionTimeout" => o.session_timeout = num(c, name)?,
            b"AuthenticationRequestExtraParams" => {
                o.authentication_request_extra_params = string_map(c)?;
            }
            b"OnUnauthenticatedRequest" => o.on_unauthenticated_request = c.opt_text()?,
            b"UseExistingClientSecret" => o.use_existing_client_secret = flag(c, name)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(o)
}

fn cognito(c: &mut Cursor<'_>) -> Result<AuthenticateCognitoConfig> {
    let mut o = AuthenticateCognitoConfig::default();
    c.for_each_child(|c, name| {
        match name {
            b"UserPoolArn" => o.user_pool_arn = c.text()?,
            b"UserPoolClientId" => o.user_pool_client_id = c.text()?,
            b"UserPoolDomain" => o.user_pool_domain = c.text()?,
            b"SessionCookieName" => o.session_cookie_name = c.opt_text()?,
            b"Scope" => o.scope = c.opt_text()?,
            b"SessionTimeout" => o.session_timeout = num(c, name)?,
            b"AuthenticationRequestExtraParams" => {
                o.authentication_request_extra_params = string_map(c)?;
            }
            b"OnUnauthenticatedRequest" => o.on_unauthenticated_request = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(o)
}

fn jwt(c: &mut Cursor<'_>) -> Result<JwtValidationConfig> {
    let mut j = JwtValidationConfig::default();
    c.for_each_child(|c, name| {
        match name {
            b"JwksEndpoint" => j.jwks_endpoint = c.text()?,
            b"Issuer" => j.issuer = c.text()?,
            b"AdditionalClaims" => {
                j.additional_claims = list(c, |c| {
                    let mut claim = JwtClaim::default();
                    c.for_each_child(|c, name| {
                        match name {
                            b"Format" => claim.format = c.text()?,
                            b"Name" => claim.name = c.text()?,
                            b"Values" => claim.values = c.text_members()?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    Ok(claim)
                })?;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(j)
}

pub(super) fn rule(c: &mut Cursor<'_>) -> Result<Rule> {
    let mut r = Rule::default();
    let mut arn = None;
    c.for_each_child(|c, name| {
        match name {
            b"RuleArn" => arn = c.opt_text()?,
            b"Priority" => r.priority = c.text()?,
            b"Conditions" => r.conditions = list(c, condition)?,
            b"Actions" => r.actions = list(c, action)?,
            b"IsDefault" => r.is_default = c.bool("IsDefault")?,
            b"Transforms" => r.transforms = list(c, transform)?,
            _ => {}
        }
        Ok(())
    })?;
    r.arn = required(arn, "Rule", "RuleArn", c)?;
    Ok(r)
}

fn values_condition(c: &mut Cursor<'_>) -> Result<ValuesCondition> {
    let mut v = ValuesCondition::default();
    c.for_each_child(|c, name| {
        match name {
            b"Values" => v.values = c.text_members()?,
            b"RegexValues" => v.regex_values = c.text_members()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(v)
}

/// The `Values` list of a one-list config (methods, source IPs).
fn values_only(c: &mut Cursor<'_>) -> Result<Vec<String>> {
    values_condition(c).map(|v| v.values)
}

fn condition(c: &mut Cursor<'_>) -> Result<RuleCondition> {
    let mut r = RuleCondition::default();
    c.for_each_child(|c, name| {
        match name {
            b"Field" => r.field = c.text()?,
            b"Values" => r.values = c.text_members()?,
            b"RegexValues" => r.regex_values = c.text_members()?,
            b"HostHeaderConfig" => r.host_header = Some(values_condition(c)?),
            b"PathPatternConfig" => r.path_pattern = Some(values_condition(c)?),
            b"HttpHeaderConfig" => {
                let mut h = HttpHeaderCondition::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"HttpHeaderName" => h.name = c.text()?,
                        b"Values" => h.values = c.text_members()?,
                        b"RegexValues" => h.regex_values = c.text_members()?,
                        _ => {}
                    }
                    Ok(())
                })?;
                r.http_header = Some(h);
            }
            b"QueryStringConfig" => {
                let mut pairs = Vec::new();
                c.for_each_child(|c, name| {
                    if name == b"Values" {
                        pairs = list(c, |c| {
                            let mut p = QueryStringPair::default();
                            c.for_each_child(|c, name| {
                                match name {
                                    b"Key" => p.key = c.opt_text()?,
                                    b"Value" => p.value = c.text()?,
                                    _ => {}
                                }
                                Ok(())
                            })?;
                            Ok(p)
                        })?;
                    }
                    Ok(())
                })?;
                r.query_string = Some(pairs);
            }
            b"HttpRequestMethodConfig" => r.http_request_method = Some(values_only(c)?),
            b"SourceIpConfig" => r.source_ip = Some(values_only(c)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(r)
}

fn rewrites(c: &mut Cursor<'_>) -> Result<Vec<Rewrite>> {
    let mut out = Vec::new();
    c.for_each_child(|c, name| {
        if name == b"Rewrites" {
            out = list(c, |c| {
                let mut r = Rewrite::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"Regex" => r.regex = c.text()?,
                        b"Replace" => r.replace = c.text()?,
                        _ => {}
                    }
                    Ok(())
                })?;
                Ok(r)
            })?;
        }
        Ok(())
    })?;
    Ok(out)
}

fn transform(c: &mut Cursor<'_>) -> Result<RuleTransform> {
    let mut t = RuleTransform::default();
    c.for_each_child(|c, name| {
        match name {
            b"Type" => t.transform_type = c.text()?,
            b"HostHeaderRewriteConfig" => t.host_header_rewrites = rewrites(c)?,
            b"UrlRewriteConfig" => t.url_rewrites = rewrites(c)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(t)
}

pub(super) fn target_group(c: &mut Cursor<'_>) -> Result<TargetGroup> {
    let mut g = TargetGroup::default();
    let mut arn = None;
    c.for_each_child(|c, name| {
        let hc = &mut g.health_check;
        match name {
            b"TargetGroupArn" => arn = c.opt_text()?,
            b"TargetGroupName" => g.name = c.text()?,
            b"Protocol" => g.protocol = wire(c)?,
            b"Port" => g.port = num(c, name)?,
            b"VpcId" => g.vpc_id = c.opt_text()?,
            b"HealthCheckProtocol" => hc.protocol = wire(c)?,
            b"HealthCheckPort" => hc.port = c.opt_text()?,
            b"HealthCheckEnabled" => hc.enabled = flag(c, name)?,
            b"HealthCheckIntervalSeconds" => hc.interval_seconds = num(c, name)?,
            b"HealthCheckTimeoutSeconds" => hc.timeout_seconds = num(c, name)?,
            b"HealthyThresholdCount" => hc.healthy_threshold = num(c, name)?,
            b"UnhealthyThresholdCount" => hc.unhealthy_threshold = num(c, name)?,
            b"HealthCheckPath" => hc.path = c.opt_text()?,
            b"Matcher" => {
                let mut m = Matcher::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"HttpCode" => m.http_code = c.opt_text()?,
                        b"GrpcCode" => m.grpc_code = c.opt_text()?,
                        _ => {}
                    }
                    Ok(())
                })?;
                hc.matcher = Some(m);
            }
            b"LoadBalancerArns" => g.load_balancer_arns = c.text_members()?,
            b"TargetType" => g.target_type = wire(c)?,
            b"ProtocolVersion" => g.protocol_version = c.opt_text()?,
            b"IpAddressType" => g.ip_address_type = wire(c)?,
            b"TargetControlPort" => g.target_control_port = num(c, name)?,
            _ => {}
        }
        Ok(())
    })?;
    g.arn = required(arn, "TargetGroup", "TargetGroupArn", c)?;
    Ok(g)
}

pub(super) fn target(c: &mut Cursor<'_>) -> Result<TargetDescription> {
    let mut t = TargetDescription::default();
    let mut id = None;
    c.for_each_child(|c, name| {
        match name {
            b"Id" => id = c.opt_text()?,
            b"Port" => t.port = num(c, name)?,
            b"AvailabilityZone" => t.availability_zone = c.opt_text()?,
            b"QuicServerId" => t.quic_server_id = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    t.id = required(id, "Target", "Id", c)?;
    Ok(t)
}

pub(super) fn target_health_description(c: &mut Cursor<'_>) -> Result<TargetHealthDescription> {
    let mut d = TargetHealthDescription::default();
    let mut target_seen = false;
    c.for_each_child(|c, name| {
        match name {
            b"Target" => {
                d.target = target(c)?;
                target_seen = true;
            }
            b"HealthCheckPort" => d.health_check_port = c.opt_text()?,
            b"TargetHealth" => {
                let (mut state, mut reason, mut description) = (None, None, None);
                c.for_each_child(|c, name| {
                    match name {
                        b"State" => state = wire(c)?,
                        b"Reason" => reason = wire(c)?,
                        b"Description" => description = c.opt_text()?,
                        _ => {}
                    }
                    Ok(())
                })?;
                d.health = state.map(|state| TargetHealth {
                    state,
                    reason,
                    description,
                });
            }
            b"AnomalyDetection" => {
                let mut a = AnomalyDetection {
                    result: None,
                    mitigation_in_effect: None,
                };
                c.for_each_child(|c, name| {
                    match name {
                        b"Result" => a.result = wire(c)?,
                        b"MitigationInEffect" => a.mitigation_in_effect = c.opt_text()?,
                        _ => {}
                    }
                    Ok(())
                })?;
                d.anomaly_detection = Some(a);
            }
            b"AdministrativeOverride" => {
                let mut o = AdministrativeOverride::default();
                c.for_each_child(|c, name| {
                    match name {
                        b"State" => o.state = c.opt_text()?,
                        b"Reason" => o.reason = c.opt_text()?,
                        b"Description" => o.description = c.opt_text()?,
                        _ => {}
                    }
                    Ok(())
                })?;
                d.administrative_override = Some(o);
            }
            _ => {}
        }
        Ok(())
    })?;
    if !target_seen {
        return Err(c.error("a <TargetHealthDescription> lacks its Target"));
    }
    Ok(d)
}

/// Reads a `Key` / `Value` pair (tags and attributes).
pub(super) fn key_value(c: &mut Cursor<'_>) -> Result<(String, String)> {
    let (mut key, mut value) = (None, String::new());
    c.for_each_child(|c, name| {
        match name {
            b"Key" => key = Some(c.text()?),
            b"Value" => value = c.text()?,
            _ => {}
        }
        Ok(())
    })?;
    let key = required(key, "Tag or Attribute", "Key", c)?;
    Ok((key, value))
}

pub(super) fn tag_description(c: &mut Cursor<'_>) -> Result<TagDescription> {
    let mut d = TagDescription::default();
    c.for_each_child(|c, name| {
        match name {
            b"ResourceArn" => d.resource_arn = c.text()?,
            b"Tags" => {
                d.tags = list(c, |c| key_value(c).map(|(key, value)| Tag { key, value }))?;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(d)
}

pub(super) fn limit(c: &mut Cursor<'_>) -> Result<Limit> {
    let mut l = Limit::default();
    c.for_each_child(|c, name| {
        match name {
            b"Name" => l.name = c.text()?,
            b"Max" => l.max = c.text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(l)
}

pub(super) fn ssl_policy(c: &mut Cursor<'_>) -> Result<SslPolicy> {
    let mut p = SslPolicy::default();
    c.for_each_child(|c, name| {
        match name {
            b"Name" => p.name = c.text()?,
            b"SslProtocols" => p.ssl_protocols = c.text_members()?,
            b"Ciphers" => {
                p.ciphers = list(c, |c| {
                    let mut ci = Cipher::default();
                    c.for_each_child(|c, name| {
                        match name {
                            b"Name" => ci.name = c.text()?,
                            b"Priority" => ci.priority = num(c, name)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    Ok(ci)
                })?;
            }
            b"SupportedLoadBalancerTypes" => p.supported_load_balancer_types = c.text_members()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(p)
}

pub(super) fn trust_store(c: &mut Cursor<'_>) -> Result<TrustStore> {
    let mut t = TrustStore::default();
    let mut arn = None;
    c.for_each_child(|c, name| {
        match name {
            b"Name" => t.name = c.text()?,
            b"TrustStoreArn" => arn = c.opt_text()?,
            b"Status" => t.status = wire(c)?,
            b"NumberOfCaCertificates" => t.number_of_ca_certificates = num(c, name)?,
            b"TotalRevokedEntries" => t.total_revoked_entries = num(c, name)?,
            _ => {}
        }
        Ok(())
    })?;
    t.arn = required(arn, "TrustStore", "TrustStoreArn", c)?;
    Ok(t)
}

pub(super) fn revocation(c: &mut Cursor<'_>) -> Result<TrustStoreRevocation> {
    let mut r = TrustStoreRevocation::default();
    let mut id = None;
    c.for_each_child(|c, name| {
        match name {
            b"TrustStoreArn" => r.trust_store_arn = c.opt_text()?,
            b"RevocationId" => id = num(c, name)?,
            b"RevocationType" => r.revocation_type = wire(c)?,
            b"NumberOfRevokedEntries" => r.number_of_revoked_entries = num(c, name)?,
            _ => {}
        }
        Ok(())
    })?;
    r.revocation_id =
        id.ok_or_else(|| c.error("a <TrustStoreRevocation> lacks its RevocationId"))?;
    Ok(r)
}

pub(super) fn zonal_capacity(c: &mut Cursor<'_>) -> Result<ZonalCapacityReservationState> {
    let mut z = ZonalCapacityReservationState::default();
    c.for_each_child(|c, name| {
        match name {
            b"State" => {
                c.for_each_child(|c, name| {
                    match name {
                        b"Code" => z.code = wire(c)?,
                        b"Reason" => z.reason = c.opt_text()?,
                        _ => {}
                    }
                    Ok(())
                })?;
            }
            b"AvailabilityZone" => z.availability_zone = c.opt_text()?,
            b"EffectiveCapacityUnits" => z.effective_capacity_units = num(c, name)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(z)
}
