//! A small parser for the AWS shared `credentials` and `config` files.
//!
//! The files are INI: `[section]` headers, `key = value` lines, and full-line
//! comments starting with `#` or `;`. The parser is a pure function so every
//! rule is unit-tested without touching the file system.
//!
//! Rules, chosen to match how the AWS CLI reads these files:
//! - keys and section names are trimmed; a value is trimmed on both ends;
//! - a `#` or `;` inside a value is kept, because secrets and URLs may
//!   contain them and the AWS tools do not strip inline comments there;
//! - an indented line after a `key =` line with no value is a nested
//!   sub-setting (the `s3 =` style); it is kept as `parent.key`, so it
//!   never overrides a key of the section itself (a real key has no dot).
//!   The `[services NAME]` sections use it: `elastic_load_balancing_v2 =`
//!   then an indented `endpoint_url = ...`
//!   ([`ProfileFiles::service_get`]);
//! - a line that is neither a header, a comment nor `key = value` is ignored
//!   rather than rejected, so one odd line never hides valid credentials;
//! - when a key repeats in a section, the last value wins; when a section
//!   repeats, its keys merge;
//! - the config file's `[sso-session NAME]` sections (shared IAM Identity
//!   Center settings) are read like profiles, through
//!   [`ProfileFiles::sso_session_get`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::Env;

/// One parsed INI file: section name -> (key -> value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ini {
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl Ini {
    /// The keys of section `name`, if the file has it.
    pub(crate) fn section(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.sections.get(name)
    }

    /// The value of `key` in section `name`, if both exist and the value is not empty.
    pub(crate) fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.section(section)
            .and_then(|s| s.get(key))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Parses the text of a shared credentials or config file.
pub(crate) fn parse_ini(text: &str) -> Ini {
    let mut ini = Ini::default();
    let mut current: Option<String> = None;
    // The last key line's key when its value was empty: indented lines
    // below it are its nested block rather than keys of the section.
    let mut nested_parent: Option<String> = None;
    for raw in text.lines() {
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            nested_parent = None;
            // A header may carry a trailing comment: `[default] # main`.
            current = rest.split_once(']').map(|(name, _)| name.trim().to_owned());
            if let Some(name) = &current {
                ini.sections.entry(name.clone()).or_default();
            }
            continue;
        }
        let parent = if indented {
            nested_parent.clone()
        } else {
            None
        };
        let Some(section) = &current else {
            // Keys before any header belong to no profile.
            continue;
        };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        let value = value.trim();
        let key = match parent {
            Some(parent) => format!("{parent}.{key}"),
            None => {
                nested_parent = value.is_empty().then(|| key.to_owned());
                key.to_owned()
            }
        };
        ini.sections
            .entry(section.clone())
            .or_default()
            .insert(key, value.to_owned());
    }
    ini
}

/// The section name of profile `profile` in the *config* file: `[default]`
/// for the default profile, `[profile NAME]` for the others.
pub(crate) fn config_section_name(profile: &str) -> String {
    if profile == "default" {
        "default".to_owned()
    } else {
        format!("profile {profile}")
    }
}

/// Looks `key` up for `profile` in a parsed config file, accepting both
/// `[profile NAME]` and, for the default profile, `[profile default]`.
pub(crate) fn config_get<'a>(config: &'a Ini, profile: &str, key: &str) -> Option<&'a str> {
    config
        .get(&config_section_name(profile), key)
        .or_else(|| config.get(&format!("profile {profile}"), key))
}

/// The section name of the `sso-session` `name` in the config file:
/// `[sso-session NAME]`, which holds what several IAM Identity Center
/// (SSO) profiles share (`sso_start_url`, `sso_region`,
/// `sso_registration_scopes`).
pub(crate) fn sso_session_section_name(name: &str) -> String {
    format!("sso-session {name}")
}

/// The chosen profile and what the shared files say about it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProfileFiles {
    /// The profile name in use (`default` unless chosen).
    pub(crate) name: String,
    /// Whether the name was chosen (by the builder or `AWS_PROFILE`)
    /// rather than the implicit `default`.
    pub(crate) chosen: bool,
    credentials: Option<Ini>,
    config: Option<Ini>,
    /// Human descriptions of the files looked at, for error messages.
    pub(crate) looked_at: Vec<String>,
}

impl ProfileFiles {
    /// Reads the shared files for `profile` (or `AWS_PROFILE`, or `default`).
    ///
    /// A missing or unreadable file counts as empty: the files are optional,
    /// and an error about credentials later names every place looked at.
    pub(crate) fn load(env: &Env, profile: Option<&str>) -> Self {
        let chosen_name = profile
            .map(str::to_owned)
            .or_else(|| env.var("AWS_PROFILE"));
        let chosen = chosen_name.is_some();
        let name = chosen_name.unwrap_or_else(|| "default".to_owned());
        let mut looked_at = Vec::new();
        let credentials = read_file(
            env,
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
            &mut looked_at,
        );
        let config = read_file(env, "AWS_CONFIG_FILE", "config", &mut looked_at);
        Self {
            name,
            chosen,
            credentials,
            config,
            looked_at,
        }
    }

    /// From already-parsed file texts; for tests.
    #[cfg(test)]
    pub(crate) fn from_texts(name: &str, credentials: Option<&str>, config: Option<&str>) -> Self {
        Self {
            name: name.to_owned(),
            chosen: false,
            credentials: credentials.map(parse_ini),
            config: config.map(parse_ini),
            looked_at: Vec::new(),
        }
    }

    /// `key` for this profile: the credentials file first, then the config file.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.get_for(&self.name, key)
    }

    /// `key` for profile `profile` (a role's `source_profile`, say).
    pub(crate) fn get_for(&self, profile: &str, key: &str) -> Option<&str> {
        self.credentials
            .as_ref()
            .and_then(|c| c.get(profile, key))
            .or_else(|| {
                self.config
                    .as_ref()
                    .and_then(|c| config_get(c, profile, key))
            })
    }

    /// `key` of the `[sso-session NAME]` section; only the config file has
    /// these sections, as for the AWS CLI.
    pub(crate) fn sso_session_get(&self, session: &str, key: &str) -> Option<&str> {
        self.config
            .as_ref()
            .and_then(|c| c.get(&sso_session_section_name(session), key))
    }

    /// The nested `key` of `service` (its endpoint identifier, such as
    /// `elastic_load_balancing_v2`) in the `[services NAME]` section the
    /// profile's `services` names; only the config file has these
    /// sections. With the section's name, for error messages.
    pub(crate) fn service_get(&self, service: &str, key: &str) -> Option<(&str, &str)> {
        let name = self.get("services")?;
        let value = self
            .config
            .as_ref()?
            .get(&format!("services {name}"), &format!("{service}.{key}"))?;
        Some((name, value))
    }

    /// Whether the config file has an `[sso-session NAME]` section.
    pub(crate) fn has_sso_session(&self, session: &str) -> bool {
        self.config
            .as_ref()
            .is_some_and(|c| c.section(&sso_session_section_name(session)).is_some())
    }

    /// Whether either file has a section for this profile.
    pub(crate) fn exists(&self) -> bool {
        self.has_profile(&self.name)
    }

    /// Whether either file has a section for profile `profile`.
    pub(crate) fn has_profile(&self, profile: &str) -> bool {
        self.credentials
            .as_ref()
            .is_some_and(|c| c.section(profile).is_some())
            || self.config.as_ref().is_some_and(|c| {
                c.section(&config_section_name(profile)).is_some()
                    || c.section(&format!("profile {profile}")).is_some()
            })
    }
}

/// Reads one shared file: the path from `var`, else `~/.aws/<default_name>`.
fn read_file(env: &Env, var: &str, default_name: &str, looked_at: &mut Vec<String>) -> Option<Ini> {
    let path = match env.var(var) {
        Some(p) => expand_home(env, &p),
        None => env.home().map(|h| h.join(".aws").join(default_name)),
    };
    let Some(path) = path else {
        looked_at.push(format!("~/.aws/{default_name} (no home directory)"));
        return None;
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            looked_at.push(path.display().to_string());
            // Invalid UTF-8 is replaced rather than fatal: only the bad
            // bytes' line can be affected.
            Some(parse_ini(&String::from_utf8_lossy(&bytes)))
        }
        Err(e) => {
            looked_at.push(format!("{} ({})", path.display(), io_reason(&e)));
            None
        }
    }
}

fn io_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not found",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "unreadable",
    }
}

/// Expands a leading `~/` as the AWS tools do for these variables.
fn expand_home(env: &Env, path: &str) -> Option<PathBuf> {
    match path.strip_prefix("~/") {
        Some(rest) => env.home().map(|h| h.join(rest)),
        None => Some(PathBuf::from(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_keys_and_trims_whitespace() {
        let ini = parse_ini(
            "[default]\naws_access_key_id = AKID1\n  aws_secret_access_key=  s3cr#t;x  \n\n[ work ]\nregion=eu-west-1\n",
        );
        assert_eq!(ini.get("default", "aws_access_key_id"), Some("AKID1"));
        assert_eq!(
            ini.get("default", "aws_secret_access_key"),
            Some("s3cr#t;x")
        );
        assert_eq!(ini.get("work", "region"), Some("eu-west-1"));
        assert_eq!(ini.get("work", "aws_access_key_id"), None);
    }

    #[test]
    fn skips_comments_junk_and_keys_before_any_section() {
        let ini = parse_ini(
            "orphan = 1\n# comment\n; other comment\n[default] # trailing\nthis line has no equals\n= novalue\nregion = us-east-2\n",
        );
        assert_eq!(ini.get("default", "region"), Some("us-east-2"));
        assert!(ini.section("default").is_some_and(|s| s.len() == 1));
        assert_eq!(ini.sections.len(), 1);
    }

    #[test]
    fn nested_blocks_are_skipped_and_last_value_wins() {
        let ini = parse_ini(
            "[profile dev]\ns3 =\n  max_concurrent_requests = 10\n  region = wrong-1\nregion = us-west-1\nregion = us-west-2\n",
        );
        assert_eq!(ini.get("profile dev", "region"), Some("us-west-2"));
        assert_eq!(ini.get("profile dev", "max_concurrent_requests"), None);
        assert_eq!(
            ini.get("profile dev", "s3.max_concurrent_requests"),
            Some("10")
        );
        assert_eq!(ini.get("profile dev", "s3.region"), Some("wrong-1"));
        assert_eq!(
            ini.get("profile dev", "s3"),
            None,
            "empty values read as absent"
        );
    }

    #[test]
    fn repeated_sections_merge_and_crlf_is_fine() {
        let ini = parse_ini("[a]\r\nx = 1\r\n[b]\r\ny = 2\r\n[a]\r\nz = 3\r\n");
        assert_eq!(ini.get("a", "x"), Some("1"));
        assert_eq!(ini.get("a", "z"), Some("3"));
        assert_eq!(ini.get("b", "y"), Some("2"));
    }

    #[test]
    fn unterminated_header_opens_no_section() {
        let ini = parse_ini("[broken\nkey = v\n");
        assert_eq!(ini, Ini::default());
    }

    #[test]
    fn config_file_uses_profile_prefix_except_for_default() {
        let ini = parse_ini(
            "[default]\nregion = a-1\n[profile dev]\nregion = b-2\n[dev]\nregion = wrong\n",
        );
        assert_eq!(config_get(&ini, "default", "region"), Some("a-1"));
        assert_eq!(config_get(&ini, "dev", "region"), Some("b-2"));
        let only_prefixed = parse_ini("[profile default]\nregion = c-3\n");
        assert_eq!(config_get(&only_prefixed, "default", "region"), Some("c-3"));
    }

    #[test]
    fn sso_session_sections_are_read_from_the_config_file_only() {
        let config = "[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n\
                      sso_start_url = https://d-1.awsapps.com/start\n[sso-session  spaced]\nsso_region = us-east-2\n";
        let creds = "[sso-session other]\nsso_region = us-west-2\n";
        let files = ProfileFiles::from_texts("dev", Some(creds), Some(config));
        assert!(files.has_sso_session("corp"));
        assert_eq!(
            files.sso_session_get("corp", "sso_region"),
            Some("eu-west-1")
        );
        assert_eq!(
            files.sso_session_get("corp", "sso_start_url"),
            Some("https://d-1.awsapps.com/start")
        );
        assert_eq!(files.sso_session_get("corp", "sso_account_id"), None);
        assert!(
            !files.has_sso_session("other"),
            "the credentials file has no sso-session sections"
        );
        assert!(!files.has_sso_session("dev"), "a profile is not a session");
        // As for `[profile NAME]`, the name follows one space.
        assert_eq!(files.sso_session_get("spaced", "sso_region"), None);
    }

    #[test]
    fn files_are_read_from_home_or_overrides_and_credentials_win() {
        let dir = std::env::temp_dir().join(format!("lbcloud-aws-profile-{}", std::process::id()));
        let aws = dir.join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(aws.join("credentials"), "[dev]\nregion = from-creds-1\n").unwrap();
        std::fs::write(
            aws.join("config"),
            "[profile dev]\nregion = from-config-1\nx = y\n",
        )
        .unwrap();
        let env = Env::from_pairs([("AWS_PROFILE", "dev")]).with_home(&dir);
        let files = ProfileFiles::load(&env, None);
        assert_eq!(files.name, "dev");
        assert!(files.exists());
        assert_eq!(files.get("region"), Some("from-creds-1"));
        assert_eq!(files.get("x"), Some("y"));
        // An explicit profile beats AWS_PROFILE; an override path that does not exist is noted.
        let env = Env::from_pairs([("AWS_PROFILE", "dev"), ("AWS_CONFIG_FILE", "~/nope")])
            .with_home(&dir);
        let files = ProfileFiles::load(&env, Some("other"));
        assert_eq!(files.name, "other");
        assert!(!files.exists());
        assert!(
            files
                .looked_at
                .iter()
                .any(|l| l.contains("nope") && l.contains("not found")),
            "{:?}",
            files.looked_at
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn services_sections_give_per_service_settings() {
        let config = "[profile dev]\nservices = local\n[services local]\n\
                      elastic_load_balancing_v2 =\n  endpoint_url = http://127.0.0.1:9\n\
                      sts =\n\tendpoint_url = http://127.0.0.1:8\nendpoint_url = http://wrong\n\
                      [profile bare]\nregion = us-east-1\n";
        let dev = ProfileFiles::from_texts("dev", None, Some(config));
        assert_eq!(
            dev.service_get("elastic_load_balancing_v2", "endpoint_url"),
            Some(("local", "http://127.0.0.1:9"))
        );
        assert_eq!(
            dev.service_get("sts", "endpoint_url"),
            Some(("local", "http://127.0.0.1:8"))
        );
        assert_eq!(
            dev.service_get("elastic_load_balancing", "endpoint_url"),
            None
        );
        let bare = ProfileFiles::from_texts("bare", None, Some(config));
        assert_eq!(bare.service_get("sts", "endpoint_url"), None);
        // The credentials file holds no services sections.
        let creds = "[services local]\nsts =\n  endpoint_url = http://127.0.0.1:7\n[dev]\nservices = local\n";
        let only_creds = ProfileFiles::from_texts("dev", Some(creds), None);
        assert_eq!(only_creds.service_get("sts", "endpoint_url"), None);
    }
}
