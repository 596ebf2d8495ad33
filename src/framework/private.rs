//! [`Private`]: a resource's private state, the bytes Terraform stores beside an instance's
//! state without showing them, passes back with every later call, and never diffs. Here it
//! is a JSON object of named entries, so that resources can keep what users need not see
//! (for example, how the API answered the last values it was sent).
//!
//! Unreadable bytes (written by another provider, or corrupted) read as empty: private
//! state is a cache of hints, never the source of truth, so losing it may cost a diff but
//! never an error.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// A resource instance's private state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Private(Map<String, Json>);

impl Private {
    /// The private state Terraform sent (empty bytes are an empty private state).
    pub fn from_bytes(bytes: &[u8]) -> Private {
        if bytes.is_empty() {
            return Private::default();
        }
        match serde_json::from_slice::<Json>(bytes) {
            Ok(Json::Object(map)) => Private(map),
            _ => {
                tracing::warn!(
                    bytes = bytes.len(),
                    "ignoring private state that is not a JSON object"
                );
                Private::default()
            }
        }
    }

    /// The bytes to give Terraform: nothing when empty.
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.0.is_empty() {
            return Vec::new();
        }
        serde_json::to_vec(&self.0).unwrap_or_default()
    }

    /// Entry `key`, when present and of type `T` (an entry of another shape reads as absent).
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.0
            .get(key)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// Sets entry `key` (a value that does not serialize removes it).
    pub fn set<T: Serialize>(&mut self, key: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.0.insert(key.to_string(), v);
            }
            Err(_) => {
                self.0.remove(key);
            }
        }
    }

    /// The same private state with entry `key` set.
    pub fn with<T: Serialize>(mut self, key: &str, value: &T) -> Private {
        self.set(key, value);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn entries_round_trip_through_bytes() {
        let answered = BTreeMap::from([("port".to_string(), serde_json::json!("443"))]);
        let p = Private::default().with("answered", &answered);
        let back = Private::from_bytes(&p.to_bytes());
        assert_eq!(back, p);
        assert_eq!(
            back.get::<BTreeMap<String, Json>>("answered"),
            Some(answered)
        );
        assert_eq!(back.get::<BTreeMap<String, Json>>("other"), None);
    }

    #[test]
    fn empty_and_foreign_bytes_read_as_empty() {
        assert!(Private::from_bytes(b"").is_empty());
        assert!(Private::from_bytes(b"\x00\x01 not json").is_empty());
        assert!(Private::from_bytes(b"[1,2]").is_empty());
        assert_eq!(Private::default().to_bytes(), Vec::<u8>::new());
        // An entry of another shape reads as absent, not as an error.
        let p = Private::default().with("answered", &7);
        assert_eq!(p.get::<BTreeMap<String, Json>>("answered"), None);
    }
}
