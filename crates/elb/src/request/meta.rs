//! Builders for tags, balancer attributes and account limits.

use lbcloud_aws::QueryParams;
use lbcloud_core::{Error, Result, validate};

use super::{VERSION, for_balancer, owned, required_list};
use crate::model::{BalancerAttributes, Tag};

/// The most tags a balancer can carry, and so the most one `AddTags` can send.
pub const MAX_TAGS: usize = 10;
/// The longest tag key, in characters.
pub const MAX_TAG_KEY_LEN: usize = 128;
/// The longest tag value, in characters.
pub const MAX_TAG_VALUE_LEN: usize = 256;
/// The most balancer names one `DescribeTags` accepts.
pub const MAX_DESCRIBE_TAGS_NAMES: usize = 20;
/// The most additional attributes one `ModifyLoadBalancerAttributes` accepts.
pub const MAX_ADDITIONAL_ATTRIBUTES: usize = 10;

/// The characters AWS allows in tag keys and values: letters, digits,
/// spaces and `_ . : / = + - @` (the API's `[\p{L}\p{Z}\p{N}_.:/=+\-@]`).
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

fn tag_text(field: &str, text: &str, min: usize, max: usize) -> Result<()> {
    let len = text.chars().count();
    if len < min || len > max {
        return Err(Error::invalid_input(
            field,
            format!("must be {min} to {max} characters long, got {len}"),
        ));
    }
    if let Some(bad) = text.chars().find(|c| !tag_char(*c)) {
        return Err(Error::invalid_input(
            field,
            format!("may hold letters, digits, spaces and _.:/=+-@ only, found {bad:?}"),
        ));
    }
    Ok(())
}

/// Checks tags: 1 to 10, keys 1-128 and values 0-256 allowed characters, no
/// key twice.
pub(crate) fn check_tags(tags: &[(&str, &str)]) -> Result<()> {
    if tags.is_empty() || tags.len() > MAX_TAGS {
        return Err(Error::invalid_input(
            "tags",
            format!("must hold 1 to {MAX_TAGS} tags, got {}", tags.len()),
        ));
    }
    for (i, (k, v)) in tags.iter().enumerate() {
        tag_text(&format!("tags[{i}].key"), k, 1, MAX_TAG_KEY_LEN)?;
        tag_text(&format!("tags[{i}].value"), v, 0, MAX_TAG_VALUE_LEN)?;
        if tags.iter().take(i).any(|(prev, _)| prev == k) {
            return Err(Error::invalid_input(
                format!("tags[{i}].key"),
                format!("key {k:?} is given twice"),
            ));
        }
    }
    Ok(())
}

/// `AddTags`: adds or overwrites tags (1 to 10) on one balancer (the API
/// takes one name per call).
pub fn add_tags(name: &str, tags: &[Tag]) -> Result<QueryParams> {
    let pairs: Vec<(&str, &str)> = tags
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str()))
        .collect();
    check_tags(&pairs)?;
    let mut q = tag_request("AddTags", name)?;
    q.push_map("Tags", "Key", "Value", pairs);
    Ok(q)
}

/// `RemoveTags`: removes the tags with `keys` (1 to 10) from one balancer.
pub fn remove_tags<S: AsRef<str>>(name: &str, keys: &[S]) -> Result<QueryParams> {
    required_list("tag_keys", keys)?;
    if keys.len() > MAX_TAGS {
        return Err(Error::invalid_input(
            "tag_keys",
            format!("must hold at most {MAX_TAGS} keys, got {}", keys.len()),
        ));
    }
    for (i, k) in keys.iter().enumerate() {
        tag_text(&format!("tag_keys[{i}]"), k.as_ref(), 1, MAX_TAG_KEY_LEN)?;
    }
    let mut q = tag_request("RemoveTags", name)?;
    q.push_list(
        "Tags",
        keys.iter().map(|k| vec![("Key", k.as_ref().to_owned())]),
    );
    Ok(q)
}

fn tag_request(action: &'static str, name: &str) -> Result<QueryParams> {
    crate::request::check_name("load_balancer_name", name)?;
    let mut q = QueryParams::new(action, VERSION);
    q.push_scalar_list("LoadBalancerNames", [name]);
    Ok(q)
}

/// `DescribeTags`: the tags of 1 to 20 balancers.
pub fn describe_tags<S: AsRef<str>>(names: &[S]) -> Result<QueryParams> {
    required_list("load_balancer_names", names)?;
    if names.len() > MAX_DESCRIBE_TAGS_NAMES {
        return Err(Error::invalid_input(
            "load_balancer_names",
            format!(
                "must hold at most {MAX_DESCRIBE_TAGS_NAMES} names, got {}",
                names.len()
            ),
        ));
    }
    for (i, n) in names.iter().enumerate() {
        crate::request::check_name(&format!("load_balancer_names[{i}]"), n.as_ref())?;
    }
    let mut q = QueryParams::new("DescribeTags", VERSION);
    q.push_scalar_list("LoadBalancerNames", owned(names));
    Ok(q)
}

/// `DescribeLoadBalancerAttributes`.
pub fn describe_load_balancer_attributes(name: &str) -> Result<QueryParams> {
    for_balancer("DescribeLoadBalancerAttributes", name)
}

/// `ModifyLoadBalancerAttributes`: sets the attributes that are `Some` (at
/// least one). Draining timeout and idle timeout are 1-3600 s, the
/// access-log interval 5 or 60 minutes, and enabling access logs needs a
/// bucket.
pub fn modify_load_balancer_attributes(
    name: &str,
    attrs: &BalancerAttributes,
) -> Result<QueryParams> {
    let mut q = for_balancer("ModifyLoadBalancerAttributes", name)?;
    if attrs.is_empty() {
        return Err(Error::invalid_input(
            "attributes",
            "at least one attribute must be set",
        ));
    }
    const P: &str = "LoadBalancerAttributes";
    if let Some(enabled) = attrs.cross_zone_load_balancing {
        q.push(
            format!("{P}.CrossZoneLoadBalancing.Enabled"),
            enabled.to_string(),
        );
    }
    if let Some(d) = &attrs.connection_draining {
        q.push(
            format!("{P}.ConnectionDraining.Enabled"),
            d.enabled.to_string(),
        );
        if let Some(t) = d.timeout {
            validate::range("connection_draining.timeout", t, 1, 3600)?;
            q.push(format!("{P}.ConnectionDraining.Timeout"), t.to_string());
        }
    }
    if let Some(s) = &attrs.connection_settings {
        validate::range("connection_settings.idle_timeout", s.idle_timeout, 1, 3600)?;
        q.push(
            format!("{P}.ConnectionSettings.IdleTimeout"),
            s.idle_timeout.to_string(),
        );
    }
    if let Some(l) = &attrs.access_log {
        q.push(format!("{P}.AccessLog.Enabled"), l.enabled.to_string());
        match &l.s3_bucket_name {
            Some(b) => validate::non_empty("access_log.s3_bucket_name", b)?,
            None if l.enabled => {
                return Err(Error::invalid_input(
                    "access_log.s3_bucket_name",
                    "is required to enable access logs",
                ));
            }
            None => {}
        }
        q.push_opt(
            format!("{P}.AccessLog.S3BucketName"),
            l.s3_bucket_name.clone(),
        );
        if let Some(i) = l.emit_interval {
            if i != 5 && i != 60 {
                return Err(Error::invalid_input(
                    "access_log.emit_interval",
                    format!("must be 5 or 60 minutes, got {i}"),
                ));
            }
            q.push(format!("{P}.AccessLog.EmitInterval"), i.to_string());
        }
        q.push_opt(
            format!("{P}.AccessLog.S3BucketPrefix"),
            l.s3_bucket_prefix.clone(),
        );
    }
    let extra = &attrs.additional_attributes;
    if extra.len() > MAX_ADDITIONAL_ATTRIBUTES {
        return Err(Error::invalid_input(
            "additional_attributes",
            format!(
                "must hold at most {MAX_ADDITIONAL_ATTRIBUTES} attributes, got {}",
                extra.len()
            ),
        ));
    }
    for (i, a) in extra.iter().enumerate() {
        // The API's pattern for both: ^[a-zA-Z0-9.]+$, at most 256.
        for (part, text) in [("key", &a.key), ("value", &a.value)] {
            let field = format!("additional_attributes[{i}].{part}");
            if text.is_empty() || text.len() > 256 {
                return Err(Error::invalid_input(
                    field,
                    "must be 1 to 256 characters long",
                ));
            }
            if let Some(bad) = text
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '.'))
            {
                return Err(Error::invalid_input(
                    field,
                    format!("may hold ASCII letters, digits and dots only, found {bad:?}"),
                ));
            }
        }
    }
    if !extra.is_empty() {
        q.push_map(
            &format!("{P}.AdditionalAttributes"),
            "Key",
            "Value",
            extra.iter().map(|a| (a.key.as_str(), a.value.as_str())),
        );
    }
    Ok(q)
}

/// `DescribeAccountLimits`: one page of limits from `marker`, at most
/// `page_size` (1-400).
pub fn describe_account_limits(
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    let mut q = QueryParams::new("DescribeAccountLimits", VERSION);
    super::marker(&mut q, marker)?;
    super::page_size(&mut q, page_size)?;
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccessLog, AdditionalAttribute, ConnectionDraining, ConnectionSettings};
    use crate::request::testutil::{assert_pairs, rejects};

    #[test]
    fn tags() {
        let q = add_tags("web", &[Tag::new("env", "prod"), Tag::new("team", "")]).unwrap();
        assert_pairs(
            &q,
            "AddTags",
            &[
                ("LoadBalancerNames.member.1", "web"),
                ("Tags.member.1.Key", "env"),
                ("Tags.member.1.Value", "prod"),
                ("Tags.member.2.Key", "team"),
                ("Tags.member.2.Value", ""),
            ],
        );
        rejects(add_tags("web", &[]), "tags");
        let eleven: Vec<Tag> = (0..11).map(|i| Tag::new(format!("k{i}"), "v")).collect();
        rejects(add_tags("web", &eleven), "tags");
        assert!(add_tags("web", &eleven[..10]).is_ok());
        rejects(add_tags("web", &[Tag::new("", "v")]), "tags[0].key");
        rejects(
            add_tags("web", &[Tag::new("k".repeat(129), "v")]),
            "tags[0].key",
        );
        assert!(add_tags("web", &[Tag::new("k".repeat(128), "v".repeat(256))]).is_ok());
        rejects(
            add_tags("web", &[Tag::new("k", "v".repeat(257))]),
            "tags[0].value",
        );
        rejects(add_tags("web", &[Tag::new("k", "a;b")]), "tags[0].value");
        rejects(
            add_tags("web", &[Tag::new("k", "1"), Tag::new("k", "2")]),
            "tags[1].key",
        );
        rejects(
            add_tags("bad_name", &[Tag::new("k", "v")]),
            "load_balancer_name",
        );

        let q = remove_tags("web", &["env", "team"]).unwrap();
        assert_pairs(
            &q,
            "RemoveTags",
            &[
                ("LoadBalancerNames.member.1", "web"),
                ("Tags.member.1.Key", "env"),
                ("Tags.member.2.Key", "team"),
            ],
        );
        rejects(remove_tags::<&str>("web", &[]), "tag_keys");
        rejects(remove_tags("web", &["ok", ""]), "tag_keys[1]");

        let names: Vec<String> = (0..21).map(|i| format!("lb{i}")).collect();
        let q = describe_tags(&names[..20]).unwrap();
        assert_eq!(q.get("LoadBalancerNames.member.20"), Some("lb19"));
        assert_eq!(q.get("LoadBalancerNames.member.1"), Some("lb0"));
        rejects(describe_tags(&names), "load_balancer_names");
        rejects(describe_tags::<&str>(&[]), "load_balancer_names");
        rejects(describe_tags(&["-x"]), "load_balancer_names[0]");
    }

    #[test]
    fn attributes() {
        let all = BalancerAttributes {
            cross_zone_load_balancing: Some(true),
            connection_draining: Some(ConnectionDraining {
                enabled: true,
                timeout: Some(300),
            }),
            connection_settings: Some(ConnectionSettings { idle_timeout: 60 }),
            access_log: Some(AccessLog {
                enabled: true,
                s3_bucket_name: Some("logs".into()),
                s3_bucket_prefix: Some("web/prod".into()),
                emit_interval: Some(5),
            }),
            additional_attributes: vec![AdditionalAttribute {
                key: "elb.http.desyncmitigationmode".into(),
                value: "strictest".into(),
            }],
        };
        let q = modify_load_balancer_attributes("web", &all).unwrap();
        assert_pairs(
            &q,
            "ModifyLoadBalancerAttributes",
            &[
                ("LoadBalancerName", "web"),
                (
                    "LoadBalancerAttributes.CrossZoneLoadBalancing.Enabled",
                    "true",
                ),
                ("LoadBalancerAttributes.ConnectionDraining.Enabled", "true"),
                ("LoadBalancerAttributes.ConnectionDraining.Timeout", "300"),
                (
                    "LoadBalancerAttributes.ConnectionSettings.IdleTimeout",
                    "60",
                ),
                ("LoadBalancerAttributes.AccessLog.Enabled", "true"),
                ("LoadBalancerAttributes.AccessLog.S3BucketName", "logs"),
                ("LoadBalancerAttributes.AccessLog.EmitInterval", "5"),
                (
                    "LoadBalancerAttributes.AccessLog.S3BucketPrefix",
                    "web/prod",
                ),
                (
                    "LoadBalancerAttributes.AdditionalAttributes.member.1.Key",
                    "elb.http.desyncmitigationmode",
                ),
                (
                    "LoadBalancerAttributes.AdditionalAttributes.member.1.Value",
                    "strictest",
                ),
            ],
        );
        let only = BalancerAttributes {
            cross_zone_load_balancing: Some(false),
            ..Default::default()
        };
        let q = modify_load_balancer_attributes("web", &only).unwrap();
        assert_eq!(q.pairs().count(), 4);
        rejects(
            modify_load_balancer_attributes("web", &BalancerAttributes::default()),
            "attributes",
        );
        let with = |f: fn(&mut BalancerAttributes)| {
            let mut a = all.clone();
            f(&mut a);
            modify_load_balancer_attributes("web", &a)
        };
        rejects(
            with(|a| {
                a.connection_draining = Some(ConnectionDraining {
                    enabled: true,
                    timeout: Some(0),
                })
            }),
            "connection_draining.timeout",
        );
        rejects(
            with(|a| a.connection_settings = Some(ConnectionSettings { idle_timeout: 3601 })),
            "connection_settings.idle_timeout",
        );
        rejects(
            with(|a| {
                if let Some(l) = &mut a.access_log {
                    l.emit_interval = Some(10)
                }
            }),
            "access_log.emit_interval",
        );
        rejects(
            with(|a| {
                if let Some(l) = &mut a.access_log {
                    l.s3_bucket_name = None
                }
            }),
            "access_log.s3_bucket_name",
        );
        rejects(
            with(|a| a.additional_attributes[0].value = "a b".into()),
            "additional_attributes[0].value",
        );
        rejects(
            with(|a| {
                a.additional_attributes = vec![
                    AdditionalAttribute {
                        key: "k".into(),
                        value: "v".into()
                    };
                    11
                ]
            }),
            "additional_attributes",
        );
        assert_pairs(
            &describe_load_balancer_attributes("web").unwrap(),
            "DescribeLoadBalancerAttributes",
            &[("LoadBalancerName", "web")],
        );
    }

    #[test]
    fn account_limits() {
        assert_pairs(
            &describe_account_limits(None, None).unwrap(),
            "DescribeAccountLimits",
            &[],
        );
        assert_pairs(
            &describe_account_limits(Some("m"), Some(400)).unwrap(),
            "DescribeAccountLimits",
            &[("Marker", "m"), ("PageSize", "400")],
        );
        rejects(describe_account_limits(None, Some(401)), "page_size");
    }
}
