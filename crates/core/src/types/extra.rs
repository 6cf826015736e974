//! [`Extra`]: what a provider returns beyond the common fields, kept
//! compact.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::{Error, ErrorKind, Result};

/// Provider data beyond the common fields: the provider's own field names
/// mapped to JSON values, in the order the provider sent them.
///
/// Each value is kept as its JSON text (one allocation, however deeply
/// nested), not as a tree of maps: a page of 400 ELB balancers carries
/// thousands of small nested objects, and tree nodes would cost several
/// times the data. Keys that are `'static` (a driver's field names) are
/// not copied at all. Read a value back typed with [`Extra::get`].
///
/// Its serde form is a plain JSON object.
///
/// ```
/// use lbcloud_core::Extra;
///
/// let mut extra = Extra::new();
/// extra.insert_str("VPCId", "vpc-1");
/// extra.insert("Policies", &serde_json::json!({"OtherPolicies": ["p1"]}))?;
/// assert_eq!(extra.get::<String>("VPCId").as_deref(), Some("vpc-1"));
/// assert_eq!(extra.get_raw("Policies").map(|r| r.get()), Some(r#"{"OtherPolicies":["p1"]}"#));
/// assert_eq!(serde_json::to_string(&extra).unwrap(), r#"{"VPCId":"vpc-1","Policies":{"OtherPolicies":["p1"]}}"#);
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    entries: Vec<(Cow<'static, str>, Box<RawValue>)>,
}

impl Extra {
    /// An empty set.
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// An empty set with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            entries: Vec::with_capacity(n),
        }
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Sets `key` to the JSON text `raw`, replacing an earlier value.
    pub fn insert_raw(&mut self, key: impl Into<Cow<'static, str>>, raw: Box<RawValue>) {
        let key = key.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = raw,
            None => self.entries.push((key, raw)),
        }
    }

    /// Sets `key` to `value` serialized as JSON, replacing an earlier value.
    ///
    /// Fails only where serde_json cannot encode the value (a map with
    /// keys that are not strings).
    pub fn insert<V: Serialize + ?Sized>(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: &V,
    ) -> Result<()> {
        let raw = serde_json::value::to_raw_value(value).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("cannot encode an extra value as JSON: {e}"),
            )
        })?;
        self.insert_raw(key, raw);
        Ok(())
    }

    /// Sets `key` to a JSON string.
    pub fn insert_str(&mut self, key: impl Into<Cow<'static, str>>, value: &str) {
        self.insert_json(key, serde_json::Value::String(value.to_owned()));
    }

    /// Sets `key` to a JSON value.
    pub fn insert_json(&mut self, key: impl Into<Cow<'static, str>>, value: serde_json::Value) {
        // A `Value` always encodes: its map keys are strings.
        if let Ok(raw) = serde_json::value::to_raw_value(&value) {
            self.insert_raw(key, raw);
        }
    }

    /// The JSON text of `key`, if present.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    /// The value of `key` read as `T`; `None` if absent or not a `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_str(self.get_raw(key)?.get()).ok()
    }

    /// The value of `key` as a JSON value tree, if present.
    pub fn get_json(&self, key: &str) -> Option<serde_json::Value> {
        self.get(key)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_raw(key).is_some()
    }

    /// Removes `key`, returning its JSON text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(at).1)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// The entries, in order, as key and JSON text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.entries.iter().map(|(k, v)| (&**k, &**v))
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v.get())))
            .finish()
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ExtraVisitor;

        impl<'de> Visitor<'de> for ExtraVisitor {
            type Value = Extra;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Extra, A::Error> {
                let mut extra = Extra::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    extra.insert_raw(k, v);
                }
                Ok(extra)
            }
        }

        d.deserialize_map(ExtraVisitor)
    }
}

impl<K: Into<Cow<'static, str>>> FromIterator<(K, serde_json::Value)> for Extra {
    fn from_iter<I: IntoIterator<Item = (K, serde_json::Value)>>(iter: I) -> Self {
        let mut extra = Extra::new();
        for (k, v) in iter {
            extra.insert_json(k, v);
        }
        extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_replaces_and_keeps_order() {
        let mut e = Extra::new();
        e.insert_str("b", "1");
        e.insert_str("a", "2");
        e.insert_str("b", "3");
        assert_eq!(e.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(e.get::<String>("b").as_deref(), Some("3"));
        assert_eq!(e.get::<u32>("b"), None);
        assert!(e.remove("b").is_some());
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn json_round_trip() {
        let text = r#"{"x":{"y":[1,2,{"z":null}]},"n":3}"#;
        let e: Extra = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(serde_json::to_string(&e).unwrap_or_default(), text);
        let back: Extra = serde_json::from_str(&serde_json::to_string(&e).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(back, e);
        assert!(serde_json::from_str::<Extra>("[1]").is_err());
        assert_eq!(
            format!("{e:?}"),
            r#"{"x": "{\"y\":[1,2,{\"z\":null}]}", "n": "3"}"#
        );
    }
}
