//! The text forms users type, parsed into core types: members, listeners,
//! health checks, durations, `KEY=VALUE` options and enum names. Pure
//! functions, no I/O; every bad spec is `InvalidInput` naming the field
//! and the rule, so it fails before any driver is connected.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use lbcloud::{Error, HealthCheck, Listener, Member, Result, validate};

/// The member forms, for error messages and `--help`.
pub(crate) const MEMBER_FORMS: &str = "i-0abc (an instance), 10.0.0.5:8080 (an address), \
     i-0abc:8080 (an instance on a port) or name=web1,10.0.0.5:8080 (a named address), \
     each optionally followed by ,weight=N";

/// Parses a member spec: `i-0abc`, `10.0.0.5:8080`, `i-0abc:8080`,
/// `name=web1,10.0.0.5:8080`, `[::1]:8080`, each optionally with
/// `,weight=N`; `instance=ID[:PORT]` and `address=HOST:PORT` force the kind.
///
/// Without a forcing key, a target is an address when its host is an IP
/// address or a dotted host name (`web1.internal:8080`), and an instance
/// (or member) id otherwise.
pub(crate) fn member(spec: &str) -> Result<Member> {
    let mut target: Option<(&str, Option<bool>)> = None; // (text, forced address?)
    let mut name = None;
    let mut weight = None;
    if spec.trim().is_empty() {
        return Err(Error::invalid_input(
            "member",
            format!("is empty; use {MEMBER_FORMS}"),
        ));
    }
    for part in spec.split(',') {
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (Some(k.trim()), v.trim()),
            None => (None, part.trim()),
        };
        let slot_taken = |what: &str| {
            Error::invalid_input(
                format!("member.{what}"),
                format!("is given twice in {spec:?}"),
            )
        };
        match key {
            None | Some("instance") | Some("address") => {
                if target.is_some() {
                    return Err(Error::invalid_input(
                        "member",
                        format!("names two targets in {spec:?}; give one per member"),
                    ));
                }
                target = Some((value, key.map(|k| k == "address")));
            }
            Some("name") => {
                if name.replace(value).is_some() {
                    return Err(slot_taken("name"));
                }
            }
            Some("weight") => {
                let w = value.parse::<u32>().map_err(|_| {
                    Error::invalid_input(
                        "member.weight",
                        format!("must be a whole number, got {value:?}"),
                    )
                })?;
                if weight.replace(w).is_some() {
                    return Err(slot_taken("weight"));
                }
            }
            Some(other) => {
                return Err(Error::invalid_input(
                    "member",
                    format!(
                        "has an unknown key {other:?}; the keys are name, weight, instance and \
                         address"
                    ),
                ));
            }
        }
    }
    let Some((text, forced)) = target else {
        return Err(Error::invalid_input(
            "member",
            format!("names no instance or address in {spec:?}; use {MEMBER_FORMS}"),
        ));
    };
    let (host, port) = split_host_port(text)?;
    let address = forced.unwrap_or_else(|| host.parse::<IpAddr>().is_ok() || host.contains('.'));
    if host.chars().any(char::is_whitespace) {
        return Err(Error::invalid_input(
            if address { "member.ip" } else { "member.id" },
            format!("must not contain white space, got {host:?}"),
        ));
    }
    let mut member = if address {
        let port = port.ok_or_else(|| {
            Error::invalid_input(
                "member.port",
                format!("is required for the address member {text:?} (write HOST:PORT)"),
            )
        })?;
        let member = Member::address(host, port);
        match name {
            Some(n) => member.with_id(n),
            None => member,
        }
    } else {
        if name.is_some() {
            return Err(Error::invalid_input(
                "member.name",
                "only an address member takes a name; an instance is named by its id",
            ));
        }
        let member = Member::instance(host);
        match port {
            Some(p) => member.port(p),
            None => member,
        }
    };
    if let Some(w) = weight {
        member = member.weight(w);
    }
    member.validate("member")?;
    Ok(member)
}

/// Splits `HOST[:PORT]`, with IPv6 addresses in brackets (`[::1]:8080`).
fn split_host_port(text: &str) -> Result<(&str, Option<u16>)> {
    let empty = || Error::invalid_input("member", format!("has an empty target in {text:?}"));
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(|| {
            Error::invalid_input("member", format!("has an unclosed '[' in {text:?}"))
        })?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(validate::parse_port("member.port", p)?),
            None if after.is_empty() => None,
            None => {
                return Err(Error::invalid_input(
                    "member",
                    format!("must be [IPV6]:PORT, got {text:?}"),
                ));
            }
        };
        return if host.is_empty() {
            Err(empty())
        } else {
            Ok((host, port))
        };
    }
    let (host, port) = match text.rsplit_once(':') {
        Some((h, _)) if h.contains(':') => {
            return Err(Error::invalid_input(
                "member",
                format!("an IPv6 address goes in brackets, as [::1]:8080, got {text:?}"),
            ));
        }
        Some((h, p)) => (h, Some(validate::parse_port("member.port", p)?)),
        None => (text, None),
    };
    if host.is_empty() {
        return Err(empty());
    }
    Ok((host, port))
}

/// Parses a listener spec: core's form (`http:80->http:8080`,
/// `tcp:443->tcp:8443`, `http:80` for the same port behind) with
/// `,cert=ID` for the certificate of an HTTPS, SSL or TLS listener.
pub(crate) fn listener(spec: &str) -> Result<Listener> {
    let mut parts = spec.split(',');
    let head = parts.next().unwrap_or_default();
    let mut listener: Listener = head.parse()?;
    for part in parts {
        match part.split_once('=') {
            Some(("cert", id)) if !id.trim().is_empty() => {
                if listener
                    .certificate_id
                    .replace(id.trim().to_owned())
                    .is_some()
                {
                    return Err(Error::invalid_input(
                        "listener.cert",
                        format!("is given twice in {spec:?}"),
                    ));
                }
            }
            Some(("cert", _)) => {
                return Err(Error::invalid_input(
                    "listener.cert",
                    "must not be empty: write cert=ID",
                ));
            }
            _ => {
                return Err(Error::invalid_input(
                    "listener",
                    format!("takes only cert=ID after the ports, got {part:?} in {spec:?}"),
                ));
            }
        }
    }
    listener.validate("listener")?;
    Ok(listener)
}

/// Parses a health-check spec: the target form (`TCP:22`, `HTTP:8080/health`)
/// then `,interval=D,timeout=D,healthy=N,unhealthy=N,codes=200-299` in any
/// order, each optional; durations as [`duration`] reads them. The ranges
/// are the driver's and are checked by it, before any request.
pub(crate) fn health_check(spec: &str) -> Result<HealthCheck> {
    let mut parts = spec.split(',');
    let mut hc = HealthCheck::new(parts.next().unwrap_or_default().trim())?;
    for part in parts {
        let (key, value) = part.split_once('=').ok_or_else(|| {
            Error::invalid_input(
                "health_check",
                format!("expects KEY=VALUE after the target, got {part:?}"),
            )
        })?;
        let (key, value) = (key.trim(), value.trim());
        hc = match key {
            "interval" => hc.interval(duration("health_check.interval", value)?),
            "timeout" => hc.timeout(duration("health_check.timeout", value)?),
            "healthy" => hc.healthy_threshold(count("health_check.healthy_threshold", value)?),
            "unhealthy" => {
                hc.unhealthy_threshold(count("health_check.unhealthy_threshold", value)?)
            }
            "codes" => hc.expected_codes(value),
            other => {
                return Err(Error::invalid_input(
                    "health_check",
                    format!(
                        "has an unknown key {other:?}; the keys are interval, timeout, healthy, \
                         unhealthy and codes"
                    ),
                ));
            }
        };
    }
    Ok(hc)
}

/// A whole number for `field`.
fn count(field: &str, text: &str) -> Result<u32> {
    text.parse()
        .map_err(|_| Error::invalid_input(field, format!("must be a whole number, got {text:?}")))
}

/// Parses a duration: whole seconds (`20`, `20s`) or milliseconds (`500ms`).
pub(crate) fn duration(field: &str, text: &str) -> Result<Duration> {
    let bad = || {
        Error::invalid_input(
            field,
            format!("must be whole seconds or milliseconds, like 20, 20s or 500ms, got {text:?}"),
        )
    };
    let (digits, millis) = if let Some(d) = text.strip_suffix("ms") {
        (d, true)
    } else {
        (text.strip_suffix('s').unwrap_or(text), false)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: u64 = digits.parse().map_err(|_| bad())?;
    Ok(if millis {
        Duration::from_millis(n)
    } else {
        Duration::from_secs(n)
    })
}

/// Parses `KEY=VALUE` for `field` (`--tag`, `--attribute`): a non-empty
/// key, any value without control characters.
pub(crate) fn key_value<'a>(field: &str, text: &'a str) -> Result<(&'a str, &'a str)> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| Error::invalid_input(field, format!("must be KEY=VALUE, got {text:?}")))?;
    if k.is_empty() {
        return Err(Error::invalid_input(
            field,
            format!("has an empty key in {text:?}"),
        ));
    }
    validate::plain_text(field, k)?;
    if v.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            field,
            "must not contain control characters",
        ));
    }
    Ok((k, v))
}

/// Words in an option key that mean a secret: the CLI never takes one as
/// an argument (it would sit in shell history and `ps`); drivers read
/// credentials from their own chain (environment, profiles).
const SECRET_WORDS: [&str; 5] = ["secret", "password", "passwd", "token", "credential"];

/// The driver options: `LBCLOUD_OPTIONS` (`key=value,key=value`), then
/// each `-o KEY=VALUE`, which replaces the same key from the environment;
/// a key given twice with `-o` is refused.
///
/// Keys are 1 to 64 lowercase letters, digits and `_`; values carry no
/// control characters (so nothing can inject a config line); a key that
/// names a secret is refused.
pub(crate) fn options(env: Option<&str>, args: &[String]) -> Result<BTreeMap<String, String>> {
    let mut all = BTreeMap::new();
    let mut from_option = std::collections::BTreeSet::new();
    let from_env = env
        .into_iter()
        .flat_map(|text| text.split(','))
        .filter(|item| !item.trim().is_empty())
        .map(|item| ("LBCLOUD_OPTIONS", item.trim()));
    let from_args = args.iter().map(|item| ("option", item.as_str()));
    for (field, item) in from_env.chain(from_args) {
        let (key, value) = item.split_once('=').ok_or_else(|| {
            Error::invalid_input(field, format!("must be KEY=VALUE, got {item:?}"))
        })?;
        let key = key.trim();
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
        if key.is_empty() || key.len() > 64 || !key.chars().all(ok_char) {
            return Err(Error::invalid_input(
                field,
                format!("key must be 1 to 64 lowercase letters, digits or '_', got {key:?}"),
            ));
        }
        if key == "key" || key.ends_with("_key") || SECRET_WORDS.iter().any(|w| key.contains(w)) {
            return Err(Error::invalid_input(
                field,
                format!(
                    "{key:?} looks like a secret, and lbcloud never takes one as an argument; \
                     the driver reads credentials from its own chain (environment variables, \
                     profiles)"
                ),
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(Error::invalid_input(
                field,
                format!("the value of {key:?} must not contain control characters"),
            ));
        }
        if field == "option" && !from_option.insert(key) {
            return Err(Error::invalid_input(
                field,
                format!("{key:?} is given twice; give each option once"),
            ));
        }
        all.insert(key.to_owned(), value.to_owned());
    }
    Ok(all)
}

/// Parses an enum name (`--protocol`, `--algorithm`, `--condition`),
/// naming the accepted values on failure.
pub(crate) fn name_of<T: FromStr + strum::IntoEnumIterator + std::fmt::Display>(
    field: &str,
    text: &str,
) -> Result<T> {
    text.trim().parse().map_err(|_| {
        let names: Vec<String> = T::iter().map(|v| v.to_string()).collect();
        Error::invalid_input(
            field,
            format!("must be one of {}, got {text:?}", names.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud::{MemberKind, Protocol};

    fn field<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => {
                assert_eq!(e.kind(), lbcloud::ErrorKind::InvalidInput, "{e}");
                e.field().unwrap_or_default().to_owned()
            }
        }
    }

    /// Each spec of `cases` fails `parse` on its field.
    fn fields_are<T: std::fmt::Debug>(parse: impl Fn(&str) -> Result<T>, cases: &[(&str, &str)]) {
        for (spec, expected) in cases {
            assert_eq!(field(parse(spec)), *expected, "{spec:?}");
        }
    }

    #[test]
    fn member_forms() -> Result<()> {
        let m = member("i-0abc")?;
        assert_eq!(
            (m.kind, m.id.as_str(), m.port),
            (MemberKind::Instance, "i-0abc", None)
        );
        let m = member("10.0.0.5:8080")?;
        assert_eq!(m.kind, MemberKind::Address);
        assert_eq!(
            (m.ip.as_deref(), m.port, m.id.as_str()),
            (Some("10.0.0.5"), Some(8080), "")
        );
        let m = member("i-0abc:8080")?;
        assert_eq!(
            (m.kind, m.id.as_str(), m.port),
            (MemberKind::Instance, "i-0abc", Some(8080))
        );
        let m = member("name=web1,10.0.0.5:8080")?;
        assert_eq!(
            (m.kind, m.id.as_str(), m.port),
            (MemberKind::Address, "web1", Some(8080))
        );
        let m = member("10.0.0.5:8080,weight=3")?;
        assert_eq!(m.weight, Some(3));
        let m = member("i-0abc,weight=0")?;
        assert_eq!(m.weight, Some(0));
        let m = member("[::1]:8080")?;
        assert_eq!((m.ip.as_deref(), m.port), (Some("::1"), Some(8080)));
        let m = member("web1.internal:80")?;
        assert_eq!(m.kind, MemberKind::Address);
        let m = member("address=backend:80")?;
        assert_eq!(
            (m.kind, m.ip.as_deref()),
            (MemberKind::Address, Some("backend"))
        );
        let m = member("instance=10.0.0.9")?;
        assert_eq!((m.kind, m.id.as_str()), (MemberKind::Instance, "10.0.0.9"));
        Ok(())
    }

    #[test]
    fn bad_members_name_the_field() {
        let cases = [
            ("", "member"),
            ("10.0.0.5", "member.port"),
            ("10.0.0.5:0", "member.port"),
            ("10.0.0.5:99999", "member.port"),
            ("i-0abc:http", "member.port"),
            ("i-0abc,weight=heavy", "member.weight"),
            ("i-0abc,weight=-1", "member.weight"),
            ("i-0abc,weight=1,weight=2", "member.weight"),
            ("name=web1,i-0abc", "member.name"),
            ("name=web1", "member"),
            ("i-1,i-2", "member"),
            ("i-0abc,colour=red", "member"),
            ("::1:8080", "member"),
            ("[::1:8080", "member"),
            (":8080", "member"),
            ("i-0 abc", "member.id"),
            ("weight=3", "member"),
        ];
        fields_are(member, &cases);
    }

    #[test]
    fn listener_forms() -> Result<()> {
        let l = listener("http:80->http:8080")?;
        assert_eq!(
            (l.port, l.protocol, l.instance_port),
            (80, Protocol::Http, 8080)
        );
        let l =
            listener("https:443->http:8080,cert=arn:aws:iam::123456789012:server-certificate/web")?;
        assert_eq!(l.protocol, Protocol::Https);
        assert_eq!(
            l.certificate_id.as_deref(),
            Some("arn:aws:iam::123456789012:server-certificate/web")
        );
        assert_eq!(listener("tcp:443->tcp:8443")?.instance_port, 8443);
        assert_eq!(listener("tcp:25")?.instance_port, 25);
        Ok(())
    }

    #[test]
    fn bad_listeners_name_the_field() {
        let cases = [
            ("", "listener"),
            ("http80", "listener"),
            ("gopher:70->tcp:70", "listener.front.protocol"),
            ("http:0->http:80", "listener.front.port"),
            ("http:80->http:x", "listener.instance.port"),
            ("https:443->http:80", "listener.certificate_id"),
            ("http:80->http:80,cert=arn:x", "listener.certificate_id"),
            ("https:443->http:80,cert=", "listener.cert"),
            ("https:443->http:80,cert=a,cert=b", "listener.cert"),
            ("http:80->http:80,sticky=yes", "listener"),
            ("http:80->tcp:80", "listener.instance_protocol"),
        ];
        fields_are(listener, &cases);
    }

    #[test]
    fn health_check_forms() -> Result<()> {
        let hc = health_check("HTTP:8080/health,interval=20,timeout=5,healthy=3,unhealthy=5")?;
        assert_eq!(hc.target().as_deref(), Some("HTTP:8080/health"));
        assert_eq!(hc.interval, Duration::from_secs(20));
        assert_eq!(hc.timeout, Duration::from_secs(5));
        assert_eq!((hc.healthy_threshold, hc.unhealthy_threshold), (3, 5));
        let hc = health_check("TCP:22,timeout=500ms,interval=2s")?;
        assert_eq!(hc.timeout, Duration::from_millis(500));
        assert_eq!(hc.interval, Duration::from_secs(2));
        let hc = health_check("HTTPS:443/,codes=200-299")?;
        assert_eq!(hc.expected_codes.as_deref(), Some("200-299"));
        // Defaults stay when not given.
        let plain = health_check("TCP:22")?;
        assert_eq!(plain, HealthCheck::new("TCP:22")?);
        Ok(())
    }

    #[test]
    fn bad_health_checks_name_the_field() {
        let cases = [
            ("", "health_check.target"),
            ("HTTP:8080", "health_check.target"),
            ("UDP:53", "health_check.target"),
            ("TCP:22,interval=soon", "health_check.interval"),
            ("TCP:22,interval=5m", "health_check.interval"),
            ("TCP:22,timeout=-1", "health_check.timeout"),
            ("TCP:22,healthy=many", "health_check.healthy_threshold"),
            ("TCP:22,unhealthy=2.5", "health_check.unhealthy_threshold"),
            ("TCP:22,retries=3", "health_check"),
            ("TCP:22,interval", "health_check"),
        ];
        fields_are(health_check, &cases);
    }

    #[test]
    fn durations() -> Result<()> {
        assert_eq!(duration("d", "20")?, Duration::from_secs(20));
        assert_eq!(duration("d", "20s")?, Duration::from_secs(20));
        assert_eq!(duration("d", "500ms")?, Duration::from_millis(500));
        assert_eq!(duration("d", "0")?, Duration::ZERO);
        for bad in [
            "",
            "s",
            "ms",
            "1.5s",
            "5m",
            " 5",
            "99999999999999999999999",
            "-3",
        ] {
            assert_eq!(field(duration("d", bad)), "d", "{bad:?}");
        }
        Ok(())
    }

    #[test]
    fn options_merge_env_then_arguments() -> Result<()> {
        let args = vec![
            "page_size=5".to_owned(),
            "state_file=/tmp/a=b.json".to_owned(),
        ];
        let all = options(Some("page_size=50, latency_ms=3,"), &args)?;
        assert_eq!(all.get("page_size").map(String::as_str), Some("5"));
        assert_eq!(all.get("latency_ms").map(String::as_str), Some("3"));
        assert_eq!(
            all.get("state_file").map(String::as_str),
            Some("/tmp/a=b.json")
        );
        assert!(options(None, &[])?.is_empty());
        Ok(())
    }

    #[test]
    fn bad_options_name_where_they_came_from() {
        let arg = |s: &str| vec![s.to_owned()];
        assert_eq!(field(options(Some("page_size"), &[])), "LBCLOUD_OPTIONS");
        assert_eq!(field(options(None, &arg("nothing"))), "option");
        assert_eq!(field(options(None, &arg("Page=1"))), "option");
        assert_eq!(field(options(None, &arg("=1"))), "option");
        assert_eq!(field(options(None, &arg("a=1\nb=2"))), "option");
        let twice = vec!["a=1".to_owned(), "a=2".to_owned()];
        assert_eq!(field(options(None, &twice)), "option");
        for secret in [
            "secret=x",
            "key=x",
            "aws_secret_access_key=x",
            "session_token=x",
            "password=x",
        ] {
            let e = options(None, &arg(secret)).err();
            let text = e.map(|e| e.to_string()).unwrap_or_default();
            assert!(
                text.contains("never takes one as an argument"),
                "{secret}: {text}"
            );
            // The value itself is never echoed.
            assert!(!text.contains("=x"), "{text}");
        }
    }

    #[test]
    fn key_values_and_names() -> Result<()> {
        assert_eq!(key_value("tag", "env=prod")?, ("env", "prod"));
        assert_eq!(key_value("tag", "empty=")?, ("empty", ""));
        assert_eq!(field(key_value("tag", "env")), "tag");
        assert_eq!(field(key_value("tag", "=prod")), "tag");
        assert_eq!(name_of::<Protocol>("protocol", "HTTP")?, Protocol::Http);
        let e = name_of::<Protocol>("protocol", "gopher")
            .err()
            .map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("tcp, ssl, http"));
        Ok(())
    }
}
