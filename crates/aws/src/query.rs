//! AWS Query-protocol parameters: `Action`, `Version`, `Name.member.N` lists
//! and `Name.member.N.Key` / `.Value` maps, form-encoded.
//!
//! Pure data, no I/O: drivers build a [`QueryParams`] per action and the
//! transport encodes and signs it.

use std::borrow::Cow;

/// The parameters of one Query-protocol request, in insertion order.
///
/// ```
/// use lbcloud_aws::QueryParams;
///
/// let mut q = QueryParams::new("RegisterInstancesWithLoadBalancer", "2012-06-01");
/// q.push("LoadBalancerName", "web");
/// q.push_list("Instances", ["i-1", "i-2"].iter().map(|id| vec![("InstanceId", id.to_string())]));
/// assert_eq!(q.get("Instances.member.2.InstanceId"), Some("i-2"));
/// assert_eq!(
///     q.encode(),
///     "Action=RegisterInstancesWithLoadBalancer&Version=2012-06-01&LoadBalancerName=web\
///      &Instances.member.1.InstanceId=i-1&Instances.member.2.InstanceId=i-2"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParams {
    action: &'static str,
    pairs: Vec<(Cow<'static, str>, String)>,
}

impl QueryParams {
    /// Parameters for `action` of API `version`; both are sent first.
    pub fn new(action: &'static str, version: &'static str) -> Self {
        Self {
            action,
            pairs: vec![
                (Cow::Borrowed("Action"), action.to_owned()),
                (Cow::Borrowed("Version"), version.to_owned()),
            ],
        }
    }

    /// The action name.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// Adds one `key=value` pair.
    pub fn push(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> &mut Self {
        self.pairs.push((key.into(), value.into()));
        self
    }

    /// Adds `key=value` when `value` is `Some`.
    pub fn push_opt(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: Option<impl Into<String>>,
    ) -> &mut Self {
        if let Some(v) = value {
            self.push(key, v);
        }
        self
    }

    /// Adds a list of scalars as `name.member.1`, `name.member.2`, ...
    ///
    /// An empty list adds `name=` with no members: in the Query protocol that
    /// is how a caller says "set this list to empty" (for example to clear a
    /// listener's policies), and leaving it out would mean "not given".
    pub fn push_scalar_list<S: Into<String>>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        let before = self.pairs.len();
        for (i, item) in items.into_iter().enumerate() {
            self.pairs
                .push((Cow::Owned(format!("{name}.member.{}", i + 1)), item.into()));
        }
        if self.pairs.len() == before {
            self.pairs
                .push((Cow::Owned(name.to_owned()), String::new()));
        }
        self
    }

    /// Adds a list of structures as `name.member.N.Field=value`, one inner
    /// vector of `(Field, value)` per member. An empty list adds `name=`.
    pub fn push_list<F, I>(&mut self, name: &str, items: I) -> &mut Self
    where
        F: AsRef<str>,
        I: IntoIterator<Item = Vec<(F, String)>>,
    {
        let before = self.pairs.len();
        for (i, fields) in items.into_iter().enumerate() {
            for (field, value) in fields {
                self.pairs.push((
                    Cow::Owned(format!("{name}.member.{}.{}", i + 1, field.as_ref())),
                    value,
                ));
            }
        }
        if self.pairs.len() == before {
            self.pairs
                .push((Cow::Owned(name.to_owned()), String::new()));
        }
        self
    }

    /// Adds a key/value map as `name.member.N.Key` and `name.member.N.Value`
    /// (the ELB tag and attribute shape). `key_field` / `value_field` name
    /// the two members (`Key`/`Value`, or `AttributeName`/`AttributeValue`).
    pub fn push_map<K: Into<String>, V: Into<String>>(
        &mut self,
        name: &str,
        key_field: &str,
        value_field: &str,
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        for (i, (k, v)) in entries.into_iter().enumerate() {
            let n = i + 1;
            self.pairs.push((
                Cow::Owned(format!("{name}.member.{n}.{key_field}")),
                k.into(),
            ));
            self.pairs.push((
                Cow::Owned(format!("{name}.member.{n}.{value_field}")),
                v.into(),
            ));
        }
        self
    }

    /// The value of the first pair named `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// The form-encoded body (`application/x-www-form-urlencoded`).
    pub fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            out.append_pair(k, v);
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_list_is_still_sent() {
        let mut q = QueryParams::new("SetLoadBalancerPoliciesOfListener", "2012-06-01");
        q.push_scalar_list("PolicyNames", Vec::<String>::new());
        assert_eq!(q.get("PolicyNames"), Some(""));
        assert!(q.encode().ends_with("&PolicyNames="));
    }

    #[test]
    fn lists_number_from_one_and_maps_pair_up() {
        let mut q = QueryParams::new("AddTags", "2012-06-01");
        q.push_scalar_list("LoadBalancerNames", ["a", "b"]);
        q.push_map("Tags", "Key", "Value", [("env", "prod"), ("team", "web")]);
        assert_eq!(q.get("LoadBalancerNames.member.1"), Some("a"));
        assert_eq!(q.get("LoadBalancerNames.member.2"), Some("b"));
        assert_eq!(q.get("Tags.member.2.Key"), Some("team"));
        assert_eq!(q.get("Tags.member.2.Value"), Some("web"));
        assert_eq!(q.get("LoadBalancerNames.member.0"), None);
    }

    #[test]
    fn encoding_escapes_reserved_characters() {
        let mut q = QueryParams::new("X", "1");
        q.push("Path", "/health check?a=b&c");
        assert!(q.encode().contains("Path=%2Fhealth+check%3Fa%3Db%26c"));
    }
}
