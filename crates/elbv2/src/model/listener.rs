//! Listeners, their certificates and actions, and listener rules.

use std::collections::BTreeMap;

use lbcloud_core::Secret;
use serde::{Deserialize, Serialize};

use super::{ActionType, Elbv2Protocol, RedirectStatusCode, Tag};

/// A listener as `DescribeListeners` reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Listener {
    /// Its ARN.
    pub arn: String,
    /// Its load balancer's ARN.
    pub load_balancer_arn: Option<String>,
    /// The port it listens on (absent for Gateway Load Balancers).
    pub port: Option<u16>,
    /// Its protocol.
    pub protocol: Option<Elbv2Protocol>,
    /// Its default certificate (HTTPS and TLS).
    pub certificates: Vec<Certificate>,
    /// Its security policy (HTTPS and TLS).
    pub ssl_policy: Option<String>,
    /// What it does with a request no rule matches.
    pub default_actions: Vec<Action>,
    /// ALPN policies (TLS).
    pub alpn_policy: Vec<String>,
    /// Mutual TLS settings (HTTPS).
    pub mutual_authentication: Option<MutualAuthentication>,
}

/// A certificate of a listener.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// The ACM or IAM certificate ARN.
    pub arn: String,
    /// Whether it is the listener's default (answers only).
    pub is_default: Option<bool>,
}

impl Certificate {
    /// A certificate by ARN.
    pub fn new(arn: impl Into<String>) -> Self {
        Self {
            arn: arn.into(),
            is_default: None,
        }
    }
}

/// Mutual TLS settings of an HTTPS listener.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutualAuthentication {
    /// `off`, `passthrough` or `verify`.
    pub mode: Option<String>,
    /// The trust store (mode `verify`).
    pub trust_store_arn: Option<String>,
    /// Whether expired client certificates are accepted.
    pub ignore_client_certificate_expiry: Option<bool>,
    /// `active` or `removed` (answers only).
    pub trust_store_association_status: Option<String>,
    /// `on` / `off`: whether the trust store's CA names are advertised.
    pub advertise_trust_store_ca_names: Option<String>,
}

/// A listener or rule action.
///
/// ```
/// use lbcloud_elbv2::model::{Action, ActionType};
///
/// let blue_green = Action::weighted_forward([("arn:tg/blue", 90), ("arn:tg/green", 10)]);
/// assert_eq!(blue_green.action_type, ActionType::Forward);
/// assert_eq!(blue_green.forward.unwrap().target_groups[1].weight, Some(10));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// What the action does; the matching config below is set.
    pub action_type: ActionType,
    /// Order among the actions of one listener or rule (1-50000).
    pub order: Option<u32>,
    /// The one target group of a plain `forward`.
    pub target_group_arn: Option<String>,
    /// Forward to weighted target groups (`forward`).
    pub forward: Option<ForwardConfig>,
    /// Redirect (`redirect`).
    pub redirect: Option<RedirectConfig>,
    /// Fixed response (`fixed-response`).
    pub fixed_response: Option<FixedResponseConfig>,
    /// OpenID Connect (`authenticate-oidc`).
    pub authenticate_oidc: Option<AuthenticateOidcConfig>,
    /// Amazon Cognito (`authenticate-cognito`).
    pub authenticate_cognito: Option<AuthenticateCognitoConfig>,
    /// JWT validation (`jwt-validation`).
    pub jwt_validation: Option<JwtValidationConfig>,
}

impl Action {
    /// An action of `action_type` with no configuration.
    pub fn of_type(action_type: ActionType) -> Self {
        Self {
            action_type,
            order: None,
            target_group_arn: None,
            forward: None,
            redirect: None,
            fixed_response: None,
            authenticate_oidc: None,
            authenticate_cognito: None,
            jwt_validation: None,
        }
    }

    /// Forward to one target group.
    pub fn forward(target_group_arn: impl Into<String>) -> Self {
        Self {
            target_group_arn: Some(target_group_arn.into()),
            ..Self::of_type(ActionType::Forward)
        }
    }

    /// Forward to several target groups by weight (each 0-999).
    pub fn weighted_forward<S: Into<String>>(groups: impl IntoIterator<Item = (S, u32)>) -> Self {
        Self {
            forward: Some(ForwardConfig {
                target_groups: groups
                    .into_iter()
                    .map(|(arn, w)| WeightedTargetGroup {
                        target_group_arn: arn.into(),
                        weight: Some(w),
                    })
                    .collect(),
                stickiness: None,
            }),
            ..Self::of_type(ActionType::Forward)
        }
    }

    /// Redirect.
    pub fn redirect(config: RedirectConfig) -> Self {
        Self {
            redirect: Some(config),
            ..Self::of_type(ActionType::Redirect)
        }
    }

    /// Answer with a fixed status (2XX, 4XX or 5XX), body and content type.
    pub fn fixed_response(
        status_code: impl Into<String>,
        body: Option<&str>,
        content_type: Option<&str>,
    ) -> Self {
        Self {
            fixed_response: Some(FixedResponseConfig {
                status_code: status_code.into(),
                message_body: body.map(str::to_owned),
                content_type: content_type.map(str::to_owned),
            }),
            ..Self::of_type(ActionType::FixedResponse)
        }
    }

    /// Sets the order.
    pub fn order(mut self, order: u32) -> Self {
        self.order = Some(order);
        self
    }
}

/// Where a `forward` action sends requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardConfig {
    /// One to five target groups with weights.
    pub target_groups: Vec<WeightedTargetGroup>,
    /// Target group stickiness.
    pub stickiness: Option<TargetGroupStickiness>,
}

/// A target group and its weight in a `forward` action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedTargetGroup {
    /// The target group.
    pub target_group_arn: String,
    /// Its weight, 0-999.
    pub weight: Option<u32>,
}

/// Keeps a client on one target group of a weighted forward.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroupStickiness {
    /// Whether it is on.
    pub enabled: Option<bool>,
    /// For how long, 1-604800 seconds.
    pub duration_seconds: Option<u32>,
}

/// A redirect. Each part may use `#{protocol}`, `#{host}`, `#{port}`,
/// `#{path}` and `#{query}` to keep the request's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedirectConfig {
    /// `HTTP`, `HTTPS` or `#{protocol}`.
    pub protocol: Option<String>,
    /// 1-65535 or `#{port}`.
    pub port: Option<String>,
    /// The host, 1-128 characters.
    pub host: Option<String>,
    /// The path, 1-128 characters, starting with `/`.
    pub path: Option<String>,
    /// The query, 0-128 characters, without the `?`.
    pub query: Option<String>,
    /// 301 or 302.
    pub status_code: RedirectStatusCode,
}

impl RedirectConfig {
    /// A redirect to HTTPS on `port`, keeping host, path and query.
    pub fn to_https(port: u16, status_code: RedirectStatusCode) -> Self {
        Self {
            protocol: Some("HTTPS".into()),
            port: Some(port.to_string()),
            host: None,
            path: None,
            query: None,
            status_code,
        }
    }
}

/// A fixed response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedResponseConfig {
    /// The status, 2XX, 4XX or 5XX.
    pub status_code: String,
    /// The body, at most 1024 characters.
    pub message_body: Option<String>,
    /// `text/plain`, `text/css`, `text/html`, `application/javascript` or
    /// `application/json`.
    pub content_type: Option<String>,
}

/// OpenID Connect authentication. The client secret never appears in
/// `Debug` output and is not serialized.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthenticateOidcConfig {
    /// The issuer URL.
    pub issuer: String,
    /// The authorization endpoint.
    pub authorization_endpoint: String,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The user info endpoint.
    pub user_info_endpoint: String,
    /// The client id.
    pub client_id: String,
    /// The client secret (required on create unless
    /// `use_existing_client_secret`).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// The session cookie name.
    pub session_cookie_name: Option<String>,
    /// The scope.
    pub scope: Option<String>,
    /// The session lifetime in seconds.
    pub session_timeout: Option<u64>,
    /// Extra query parameters of the authorization request.
    pub authentication_request_extra_params: BTreeMap<String, String>,
    /// `deny`, `allow` or `authenticate`.
    pub on_unauthenticated_request: Option<String>,
    /// Keep the secret already set (on modify).
    pub use_existing_client_secret: Option<bool>,
}

/// Amazon Cognito authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticateCognitoConfig {
    /// The user pool ARN.
    pub user_pool_arn: String,
    /// The user pool client id.
    pub user_pool_client_id: String,
    /// The user pool domain.
    pub user_pool_domain: String,
    /// The session cookie name.
    pub session_cookie_name: Option<String>,
    /// The scope.
    pub scope: Option<String>,
    /// The session lifetime in seconds.
    pub session_timeout: Option<u64>,
    /// Extra query parameters of the authorization request.
    pub authentication_request_extra_params: BTreeMap<String, String>,
    /// `deny`, `allow` or `authenticate`.
    pub on_unauthenticated_request: Option<String>,
}

/// JSON web token validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtValidationConfig {
    /// Where the signing keys are.
    pub jwks_endpoint: String,
    /// The expected issuer.
    pub issuer: String,
    /// Claims a token must also carry.
    pub additional_claims: Vec<JwtClaim>,
}

/// A claim a token must carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtClaim {
    /// `single-string`, `string-array` or `space-separated-values`.
    pub format: String,
    /// The claim's name.
    pub name: String,
    /// The values accepted.
    pub values: Vec<String>,
}

/// The input of `CreateListener`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateListenerInput {
    /// The load balancer.
    pub load_balancer_arn: String,
    /// The protocol (HTTP/HTTPS on ALBs; TCP, TLS, UDP, TCP_UDP, QUIC,
    /// TCP_QUIC on NLBs; none on GWLBs).
    pub protocol: Option<Elbv2Protocol>,
    /// The port (none on GWLBs).
    pub port: Option<u16>,
    /// The security policy (HTTPS and TLS).
    pub ssl_policy: Option<String>,
    /// The default certificate (exactly one for HTTPS and TLS).
    pub certificates: Vec<Certificate>,
    /// At least one action.
    pub default_actions: Vec<Action>,
    /// ALPN policy (TLS), at most one.
    pub alpn_policy: Vec<String>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Mutual TLS (HTTPS).
    pub mutual_authentication: Option<MutualAuthentication>,
}

impl CreateListenerInput {
    /// A listener on `port` speaking `protocol` with one default action.
    pub fn new(
        load_balancer_arn: impl Into<String>,
        protocol: Elbv2Protocol,
        port: u16,
        default_action: Action,
    ) -> Self {
        Self {
            load_balancer_arn: load_balancer_arn.into(),
            protocol: Some(protocol),
            port: Some(port),
            ssl_policy: None,
            certificates: Vec::new(),
            default_actions: vec![default_action],
            alpn_policy: Vec::new(),
            tags: Vec::new(),
            mutual_authentication: None,
        }
    }

    /// Sets the default certificate.
    pub fn certificate(mut self, arn: impl Into<String>) -> Self {
        self.certificates = vec![Certificate::new(arn)];
        self
    }

    /// Sets the security policy.
    pub fn ssl_policy(mut self, policy: impl Into<String>) -> Self {
        self.ssl_policy = Some(policy.into());
        self
    }
}

/// The input of `ModifyListener`: only what is `Some` (or non-empty)
/// changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModifyListenerInput {
    /// A new port.
    pub port: Option<u16>,
    /// A new protocol.
    pub protocol: Option<Elbv2Protocol>,
    /// A new security policy.
    pub ssl_policy: Option<String>,
    /// A new default certificate.
    pub certificates: Vec<Certificate>,
    /// New default actions.
    pub default_actions: Vec<Action>,
    /// A new ALPN policy.
    pub alpn_policy: Vec<String>,
    /// New mutual TLS settings.
    pub mutual_authentication: Option<MutualAuthentication>,
}

/// A listener rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Its ARN.
    pub arn: String,
    /// Its priority: a number 1-50000, or `default`.
    pub priority: String,
    /// What a request must match.
    pub conditions: Vec<RuleCondition>,
    /// What happens to a matching request.
    pub actions: Vec<Action>,
    /// Whether it is the listener's default rule.
    pub is_default: bool,
    /// Host or URL rewrites.
    pub transforms: Vec<RuleTransform>,
}

/// A condition of a rule. Set `field` and exactly one matching config
/// (or `values` for `host-header` / `path-pattern`).
///
/// ```
/// use lbcloud_elbv2::model::RuleCondition;
///
/// let api = RuleCondition::path_pattern(["/api/*"]);
/// assert_eq!(api.field, "path-pattern");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCondition {
    /// `host-header`, `path-pattern`, `http-header`, `query-string`,
    /// `http-request-method` or `source-ip`.
    pub field: String,
    /// Plain values (`host-header` and `path-pattern` only).
    pub values: Vec<String>,
    /// Regular expressions (`host-header`, `path-pattern`, `http-header`).
    pub regex_values: Vec<String>,
    /// Host names (`host-header`).
    pub host_header: Option<ValuesCondition>,
    /// Paths (`path-pattern`).
    pub path_pattern: Option<ValuesCondition>,
    /// A header and its values (`http-header`).
    pub http_header: Option<HttpHeaderCondition>,
    /// Query pairs (`query-string`).
    pub query_string: Option<Vec<QueryStringPair>>,
    /// Methods (`http-request-method`).
    pub http_request_method: Option<Vec<String>>,
    /// Client CIDR blocks (`source-ip`).
    pub source_ip: Option<Vec<String>>,
}

impl RuleCondition {
    fn field(field: &str) -> Self {
        Self {
            field: field.to_owned(),
            ..Self::default()
        }
    }

    /// Matches the path against patterns (`*` and `?` wildcards).
    pub fn path_pattern<S: Into<String>>(patterns: impl IntoIterator<Item = S>) -> Self {
        Self {
            path_pattern: Some(ValuesCondition::of(patterns)),
            ..Self::field("path-pattern")
        }
    }

    /// Matches the Host header against names.
    pub fn host_header<S: Into<String>>(hosts: impl IntoIterator<Item = S>) -> Self {
        Self {
            host_header: Some(ValuesCondition::of(hosts)),
            ..Self::field("host-header")
        }
    }

    /// Matches a header against values.
    pub fn http_header<S: Into<String>>(
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            http_header: Some(HttpHeaderCondition {
                name: name.into(),
                values: values.into_iter().map(Into::into).collect(),
                regex_values: Vec::new(),
            }),
            ..Self::field("http-header")
        }
    }

    /// Matches query pairs (a `None` key matches any key).
    pub fn query_string(pairs: impl IntoIterator<Item = QueryStringPair>) -> Self {
        Self {
            query_string: Some(pairs.into_iter().collect()),
            ..Self::field("query-string")
        }
    }

    /// Matches the request method.
    pub fn http_request_method<S: Into<String>>(methods: impl IntoIterator<Item = S>) -> Self {
        Self {
            http_request_method: Some(methods.into_iter().map(Into::into).collect()),
            ..Self::field("http-request-method")
        }
    }

    /// Matches the client address against CIDR blocks.
    pub fn source_ip<S: Into<String>>(cidrs: impl IntoIterator<Item = S>) -> Self {
        Self {
            source_ip: Some(cidrs.into_iter().map(Into::into).collect()),
            ..Self::field("source-ip")
        }
    }
}

/// Plain and regular-expression values of a host or path condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValuesCondition {
    /// Plain values with wildcards.
    pub values: Vec<String>,
    /// Regular expressions.
    pub regex_values: Vec<String>,
}

impl ValuesCondition {
    fn of<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        Self {
            values: values.into_iter().map(Into::into).collect(),
            regex_values: Vec::new(),
        }
    }
}

/// A header condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpHeaderCondition {
    /// The header name.
    pub name: String,
    /// Values with wildcards.
    pub values: Vec<String>,
    /// Regular expressions.
    pub regex_values: Vec<String>,
}

/// A query-string pair to match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryStringPair {
    /// The key; `None` matches any key.
    pub key: Option<String>,
    /// The value (wildcards allowed).
    pub value: String,
}

/// A rewrite a rule applies before forwarding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTransform {
    /// `host-header-rewrite` or `url-rewrite`.
    pub transform_type: String,
    /// Host rewrites (`host-header-rewrite`).
    pub host_header_rewrites: Vec<Rewrite>,
    /// URL rewrites (`url-rewrite`).
    pub url_rewrites: Vec<Rewrite>,
}

/// One regular-expression rewrite.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rewrite {
    /// What to match.
    pub regex: String,
    /// What to put instead.
    pub replace: String,
}

/// The input of `CreateRule`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateRuleInput {
    /// The listener.
    pub listener_arn: String,
    /// 1-50000, unique on the listener.
    pub priority: u32,
    /// At least one condition.
    pub conditions: Vec<RuleCondition>,
    /// At least one action.
    pub actions: Vec<Action>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Rewrites.
    pub transforms: Vec<RuleTransform>,
}

impl CreateRuleInput {
    /// A rule with one condition and one action.
    pub fn new(
        listener_arn: impl Into<String>,
        priority: u32,
        condition: RuleCondition,
        action: Action,
    ) -> Self {
        Self {
            listener_arn: listener_arn.into(),
            priority,
            conditions: vec![condition],
            actions: vec![action],
            tags: Vec::new(),
            transforms: Vec::new(),
        }
    }
}

/// The input of `ModifyRule`: only what is non-empty changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModifyRuleInput {
    /// New conditions.
    pub conditions: Vec<RuleCondition>,
    /// New actions.
    pub actions: Vec<Action>,
    /// New rewrites.
    pub transforms: Vec<RuleTransform>,
    /// Remove every rewrite.
    pub reset_transforms: Option<bool>,
}
