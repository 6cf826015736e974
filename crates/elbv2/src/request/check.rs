//! Input checks shared by the builders; each names the field and the rule.

use lbcloud_core::{Error, Result};

use crate::model::Tag;

/// The longest name of a load balancer, target group or trust store.
pub const MAX_NAME_LEN: usize = 32;
/// The most ARNs one `DescribeTags`, `AddTags` or `RemoveTags` takes.
pub const MAX_TAG_ARNS: usize = 20;
/// The most tags one resource can carry, and so one `AddTags` can send.
pub const MAX_TAGS: usize = 50;
/// The most attributes one `ModifyLoadBalancerAttributes` takes.
pub const MAX_LB_ATTRIBUTES: usize = 20;

pub(crate) fn invalid(field: &str, rule: impl Into<String>) -> Error {
    Error::invalid_input(field, rule)
}

pub(crate) fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    Ok(())
}

pub(crate) fn range(field: &str, value: u32, min: u32, max: u32) -> Result<()> {
    if value < min || value > max {
        return Err(invalid(
            field,
            format!("must be {min} to {max}, got {value}"),
        ));
    }
    Ok(())
}

pub(crate) fn opt_range(field: &str, value: Option<u32>, min: u32, max: u32) -> Result<()> {
    value.map_or(Ok(()), |v| range(field, v, min, max))
}

pub(crate) fn port(field: &str, port: u16) -> Result<()> {
    if port == 0 {
        return Err(invalid(field, "must be 1 to 65535, got 0"));
    }
    Ok(())
}

pub(crate) fn opt_port(field: &str, value: Option<u16>) -> Result<()> {
    value.map_or(Ok(()), |p| port(field, p))
}

pub(crate) fn max_len(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(invalid(
            field,
            format!("must be {min} to {max} characters long, got {len}"),
        ));
    }
    Ok(())
}

/// An ARN: starts with `arn:`, no white space or control characters.
pub(crate) fn arn(field: &str, value: &str) -> Result<()> {
    if !value.starts_with("arn:") || value.len() <= 4 {
        return Err(invalid(
            field,
            format!("must be an ARN (arn:...), got {value:?}"),
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            field,
            "must not hold white space or control characters",
        ));
    }
    Ok(())
}

/// 1 to `max` ARNs, each valid, none twice.
pub(crate) fn arns<S: AsRef<str>>(field: &str, values: &[S], max: usize) -> Result<()> {
    if values.is_empty() || values.len() > max {
        return Err(invalid(
            field,
            format!("must hold 1 to {max} ARNs, got {}", values.len()),
        ));
    }
    for (i, v) in values.iter().enumerate() {
        arn(&format!("{field}[{i}]"), v.as_ref())?;
    }
    distinct(field, values)
}

/// No item twice.
pub(crate) fn distinct<S: AsRef<str>>(field: &str, values: &[S]) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        if values.iter().take(i).any(|p| p.as_ref() == v.as_ref()) {
            return Err(invalid(
                &format!("{field}[{i}]"),
                format!("{:?} is listed twice", v.as_ref()),
            ));
        }
    }
    Ok(())
}

/// At least one item (when `required`), none empty, none twice.
pub(crate) fn strings<S: AsRef<str>>(field: &str, values: &[S], required: bool) -> Result<()> {
    if required && values.is_empty() {
        return Err(invalid(field, "must hold at least one item"));
    }
    for (i, v) in values.iter().enumerate() {
        non_empty(&format!("{field}[{i}]"), v.as_ref())?;
    }
    distinct(field, values)
}

/// Letters, digits and hyphens, 1-32, no hyphen at either end.
pub(crate) fn resource_name(field: &str, name: &str) -> Result<()> {
    max_len(field, name, 1, MAX_NAME_LEN)?;
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(invalid(
            field,
            format!("may hold letters, digits and hyphens only, found {bad:?}"),
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(invalid(field, "must not begin or end with a hyphen"));
    }
    Ok(())
}

/// A load balancer name: a resource name not starting with `internal-`.
pub(crate) fn load_balancer_name(field: &str, name: &str) -> Result<()> {
    resource_name(field, name)?;
    if name.starts_with("internal-") {
        return Err(invalid(field, "must not begin with \"internal-\""));
    }
    Ok(())
}

/// A trust store name: a resource name with no two hyphens in a row.
pub(crate) fn trust_store_name(field: &str, name: &str) -> Result<()> {
    resource_name(field, name)?;
    if name.contains("--") {
        return Err(invalid(field, "must not hold two hyphens in a row"));
    }
    Ok(())
}

/// The characters AWS allows in tag keys and values: letters, digits,
/// spaces and `_ . : / = + - @` (the API's `[\p{L}\p{Z}\p{N}_.:/=+\-@]`).
fn tag_text(field: &str, text: &str, min: usize, max: usize) -> Result<()> {
    max_len(field, text, min, max)?;
    if let Some(bad) = text.chars().find(|c| {
        !(c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(*c))
    }) {
        return Err(invalid(
            field,
            format!("may hold letters, digits, spaces and _.:/=+-@ only, found {bad:?}"),
        ));
    }
    Ok(())
}

/// A tag key: 1-128 allowed characters.
pub(crate) fn tag_key(field: &str, key: &str) -> Result<()> {
    tag_text(field, key, 1, 128)
}

/// Tags: at most 50 (at least one when `required`), keys 1-128 and values
/// 0-256 allowed characters, no key twice.
pub(crate) fn tags(field: &str, tags: &[Tag], required: bool) -> Result<()> {
    if (required && tags.is_empty()) || tags.len() > MAX_TAGS {
        let min = usize::from(required);
        return Err(invalid(
            field,
            format!("must hold {min} to {MAX_TAGS} tags, got {}", tags.len()),
        ));
    }
    for (i, t) in tags.iter().enumerate() {
        tag_key(&format!("{field}[{i}].key"), &t.key)?;
        tag_text(&format!("{field}[{i}].value"), &t.value, 0, 256)?;
        if tags.iter().take(i).any(|p| p.key == t.key) {
            return Err(invalid(
                &format!("{field}[{i}].key"),
                format!("key {:?} is given twice", t.key),
            ));
        }
    }
    Ok(())
}

/// An `on` / `off` switch.
pub(crate) fn on_off(field: &str, value: Option<&str>) -> Result<()> {
    match value {
        None | Some("on" | "off") => Ok(()),
        Some(other) => Err(invalid(
            field,
            format!("must be \"on\" or \"off\", got {other:?}"),
        )),
    }
}

/// A known value of a wire enumeration (not `Other`).
pub(crate) fn known(field: &str, known: bool, text: &str) -> Result<()> {
    if known {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{text:?} is not a value the API accepts"),
        ))
    }
}
