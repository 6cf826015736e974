//! Injection-proof checks for everything that reaches HAProxy's config file
//! or its line-based CLI.
//!
//! HAProxy's config is whitespace-separated words, `#` starts a comment and
//! quotes and backslashes change how a word is read; its CLI takes one line
//! per command and `;` separates commands. So a value that goes into either
//! is a single word of printable ASCII without space, `#`, `;`, quotes or
//! backslash, and within a length limit. Each check names the field and the
//! rule in an [`ErrorKind::InvalidInput`](lbcloud_core::ErrorKind::InvalidInput)
//! error, before any I/O.
//!
//! ```
//! use lbcloud_haproxy::validate;
//!
//! assert!(validate::name("name", "web_lb-1").is_ok());
//! let err = validate::name("name", "web\nbackend evil").unwrap_err();
//! assert_eq!(err.field(), Some("name"));
//! ```

use std::net::IpAddr;

use lbcloud_core::{Error, Result};

/// The longest balancer or server name accepted.
pub const MAX_NAME_LEN: usize = 64;
/// The longest health-check path or header value accepted.
pub const MAX_PATH_LEN: usize = 1024;
/// The longest file path (certificate, socket, config) accepted.
pub const MAX_FILE_PATH_LEN: usize = 4096;

/// Characters that change how HAProxy reads a config word or a CLI line.
const SPECIAL: &[char] = &['#', ';', '"', '\'', '\\', '`', '$'];

/// Checks that `value` is one safe word: 1 to `max` characters of printable
/// ASCII with no space, `#`, `;`, quote, backquote, `$` or backslash.
///
/// Every other check in this module builds on it.
///
/// ```
/// use lbcloud_haproxy::validate::word;
///
/// assert!(word("path", "/health", 64).is_ok());
/// assert!(word("path", "/a b", 64).is_err());
/// assert!(word("path", "/a;show", 64).is_err());
/// ```
pub fn word(field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if value.len() > max {
        return Err(Error::invalid_input(
            field,
            format!("must be at most {max} bytes long, got {}", value.len()),
        ));
    }
    if let Some(bad) = value.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(Error::invalid_input(
            field,
            format!(
                "may hold only printable ASCII without spaces, found {bad:?} \
                 (newlines, tabs and spaces would start a new config word or CLI command)"
            ),
        ));
    }
    if let Some(bad) = value.chars().find(|c| SPECIAL.contains(c)) {
        return Err(Error::invalid_input(
            field,
            format!(
                "must not hold {bad:?}: `#`, `;`, quotes, `$` and backslashes have a \
                 meaning in HAProxy's config and CLI"
            ),
        ));
    }
    Ok(())
}

/// Checks a balancer, backend or server name: 1 to [`MAX_NAME_LEN`] ASCII
/// letters, digits, `-`, `_` or `.`, starting with a letter or digit.
///
/// ```
/// use lbcloud_haproxy::validate::name;
///
/// assert!(name("name", "api_v2.blue").is_ok());
/// assert!(name("name", "_hidden").is_err());
/// assert!(name("name", "a/b").is_err());
/// ```
pub fn name(field: &str, value: &str) -> Result<()> {
    word(field, value, MAX_NAME_LEN)?;
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(Error::invalid_input(
            field,
            format!("may hold only ASCII letters, digits, `-`, `_` and `.`, found {bad:?}"),
        ));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid_input(
            field,
            "must start with an ASCII letter or digit",
        ));
    }
    Ok(())
}

/// Checks and parses an IP address (v4 or v6). Host names are refused:
/// servers added at run time are never resolved by HAProxy.
///
/// ```
/// use lbcloud_haproxy::validate::address;
///
/// assert!(address("ip", "127.0.0.1").is_ok());
/// assert!(address("ip", "::1").is_ok());
/// assert!(address("ip", "10.0.0.1 backup").is_err());
/// ```
pub fn address(field: &str, value: &str) -> Result<IpAddr> {
    word(field, value, 64)?;
    value.parse::<IpAddr>().map_err(|_| {
        Error::invalid_input(
            field,
            format!(
                "must be an IPv4 or IPv6 address (HAProxy does not resolve names of \
                 servers added at run time), got {value:?}"
            ),
        )
    })
}

/// Checks a TCP port: 1 to 65535.
pub fn port(field: &str, port: u16) -> Result<()> {
    if port == 0 {
        return Err(Error::invalid_input(field, "must be 1 to 65535, got 0"));
    }
    Ok(())
}

/// Checks an HTTP path for a health check: starts with `/`, then one safe
/// [`word`] of at most [`MAX_PATH_LEN`] bytes.
///
/// ```
/// use lbcloud_haproxy::validate::http_path;
///
/// assert!(http_path("health_check.path", "/healthz?full=1").is_ok());
/// assert!(http_path("health_check.path", "healthz").is_err());
/// assert!(http_path("health_check.path", "/x\r\nHost: evil").is_err());
/// ```
pub fn http_path(field: &str, value: &str) -> Result<()> {
    word(field, value, MAX_PATH_LEN)?;
    if !value.starts_with('/') {
        return Err(Error::invalid_input(field, "must start with `/`"));
    }
    Ok(())
}

/// Checks an HTTP header value that goes into the config: one safe [`word`].
pub fn header_value(field: &str, value: &str) -> Result<()> {
    word(field, value, MAX_PATH_LEN)
}

/// Checks a file path (certificate, socket, config file): absolute, one
/// safe [`word`] of at most [`MAX_FILE_PATH_LEN`] bytes, and no `,` (the
/// master CLI's `-S` takes bind options after commas).
///
/// ```
/// use lbcloud_haproxy::validate::file_path;
///
/// assert!(file_path("certificate", "/etc/ssl/site.pem").is_ok());
/// assert!(file_path("certificate", "site.pem").is_err());
/// assert!(file_path("certificate", "/etc/ssl/a pem").is_err());
/// ```
pub fn file_path(field: &str, value: &str) -> Result<()> {
    word(field, value, MAX_FILE_PATH_LEN)?;
    if !value.starts_with('/') {
        return Err(Error::invalid_input(field, "must be an absolute path"));
    }
    if value.contains(',') {
        return Err(Error::invalid_input(field, "must not hold `,`"));
    }
    Ok(())
}

/// Checks an expected-status list for an HTTP health check: comma-separated
/// codes (`200`) or ranges (`200-299`) of three digits each, as
/// `http-check expect status` takes them.
///
/// ```
/// use lbcloud_haproxy::validate::status_codes;
///
/// assert!(status_codes("expected_codes", "200,302,400-499").is_ok());
/// assert!(status_codes("expected_codes", "2xx").is_err());
/// assert!(status_codes("expected_codes", "299-200").is_err());
/// ```
pub fn status_codes(field: &str, value: &str) -> Result<()> {
    word(field, value, 256)?;
    let code = |s: &str| -> Result<u16> {
        match s.parse::<u16>() {
            Ok(n) if s.len() == 3 && (100..=599).contains(&n) => Ok(n),
            _ => Err(Error::invalid_input(
                field,
                format!("must list HTTP status codes 100-599 or ranges like 200-299, got {s:?}"),
            )),
        }
    };
    for part in value.split(',') {
        match part.split_once('-') {
            Some((low, high)) => {
                if code(low)? > code(high)? {
                    return Err(Error::invalid_input(
                        field,
                        format!("range {part:?} must run from low to high"),
                    ));
                }
            }
            None => {
                code(part)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_core::ErrorKind;

    /// Values that would end a config word or a CLI command if let through.
    const INJECTIONS: &[&str] = &[
        "a\nb", "a\rb", "a;b", "a b", "a\tb", "a#b", "a\"b", "a'b", "a\\b", "a\0b", "a\u{7f}b",
        "a`b", "a${X}", "é",
    ];

    #[test]
    fn every_injection_is_refused_by_every_check_naming_the_field() {
        for bad in INJECTIONS {
            let checks: Vec<(&str, Result<()>)> = vec![
                ("word", word("f", bad, 64)),
                ("name", name("f", bad)),
                ("address", address("f", bad).map(|_| ())),
                ("http_path", http_path("f", &format!("/{bad}"))),
                ("header_value", header_value("f", bad)),
                ("file_path", file_path("f", &format!("/{bad}"))),
                ("status_codes", status_codes("f", bad)),
            ];
            for (check, result) in checks {
                let err = result.expect_err(&format!("{check} accepted {bad:?}"));
                assert_eq!(err.kind(), ErrorKind::InvalidInput, "{check} {bad:?}");
                assert_eq!(err.field(), Some("f"), "{check} {bad:?}");
            }
        }
    }

    #[test]
    fn lengths_are_bounded() {
        assert!(name("name", &"a".repeat(MAX_NAME_LEN)).is_ok());
        let err = name("name", &"a".repeat(MAX_NAME_LEN + 1)).unwrap_err();
        assert!(err.message().contains("at most 64"), "{err}");
        assert!(word("w", "", 5).is_err());
        assert!(http_path("p", &format!("/{}", "a".repeat(MAX_PATH_LEN))).is_err());
    }

    #[test]
    fn names_follow_the_haproxy_identifier_rule() {
        for good in ["web", "web_1", "a.b-c", "9lives"] {
            assert!(name("name", good).is_ok(), "{good}");
        }
        for bad in ["-web", ".web", "web/1", "web:1", "web@x", "web,x"] {
            assert!(name("name", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses_must_be_ip_literals() {
        assert_eq!(
            address("ip", "10.1.2.3").unwrap(),
            "10.1.2.3".parse::<IpAddr>().unwrap()
        );
        assert!(address("ip", "fe80::1").is_ok());
        for bad in ["localhost", "10.0.0.256", "10.0.0.1:80", "[::1]", ""] {
            assert!(address("ip", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ports_and_status_codes() {
        assert!(port("port", 0).is_err());
        assert!(port("port", 65535).is_ok());
        for good in ["200", "200-299", "200,302", "100-599,404"] {
            assert!(status_codes("codes", good).is_ok(), "{good}");
        }
        for bad in ["20", "2000", "600", "200-", "-200", "200,,302", "099"] {
            assert!(status_codes("codes", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_paths_must_be_absolute_and_comma_free() {
        assert!(file_path("f", "/tmp/x.sock").is_ok());
        assert!(file_path("f", "tmp/x.sock").is_err());
        assert!(file_path("f", "/tmp/x.sock,mode,777").is_err());
    }
}
