//! The objects the simulator keeps, each with its rules and its JSON form.
//!
//! Knows nothing of HTTP or of the store's locking: functions here take the values they
//! need (the current instant, the knobs) and return new values or `ApiError`s.

pub mod approval;
pub mod catalog;
pub(crate) mod connection;
pub(crate) mod connection_rules;
pub(crate) mod destination;
pub mod destination_config;
pub(crate) mod destination_rules;
pub(crate) mod group;
pub(crate) mod private_link;
pub mod test_run;

use std::time::SystemTime;

use serde::Serialize;

use crate::time::{rfc3339, unix_millis};

/// A JSON object literal as a map (tests build configs with `json!`).
#[cfg(test)]
pub(crate) fn test_object(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// When an object was created and when it reached its ready state (`OK` for a private
/// link, `connected` for a connection), with every state it went through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// Creation time.
    pub created_at: SystemTime,
    /// First time the object was ready, if ever.
    pub ready_at: Option<SystemTime>,
    /// Every state in order, with the time it was entered.
    pub history: Vec<StateChange>,
}

/// One entry of a [`Timeline`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    /// The state entered (`CREATING`, `OK`, `incomplete`, `connected`, ...).
    pub state: String,
    /// When it was entered.
    pub at: SystemTime,
}

impl Timeline {
    pub(crate) fn new(created_at: SystemTime, state: &str) -> Self {
        Timeline {
            created_at,
            ready_at: None,
            history: vec![StateChange {
                state: state.to_string(),
                at: created_at,
            }],
        }
    }

    /// Records a state change (a repeat of the current state is not recorded).
    pub(crate) fn enter(&mut self, state: &str, at: SystemTime, ready: bool) {
        if self.history.last().map(|c| c.state.as_str()) != Some(state) {
            self.history.push(StateChange {
                state: state.to_string(),
                at,
            });
        }
        if ready && self.ready_at.is_none() {
            self.ready_at = Some(at);
        }
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Change<'a> {
            state: &'a str,
            at: String,
            at_unix_ms: u64,
        }
        serde_json::json!({
            "created_at": rfc3339(self.created_at),
            "created_at_unix_ms": unix_millis(self.created_at),
            "ready_at": self.ready_at.map(rfc3339),
            "ready_at_unix_ms": self.ready_at.map(unix_millis),
            "history": self.history.iter().map(|c| Change {
                state: &c.state,
                at: rfc3339(c.at),
                at_unix_ms: unix_millis(c.at),
            }).collect::<Vec<_>>(),
        })
    }
}

/// The value the API shows instead of a secret.
pub const MASK: &str = "******";

/// Whether a config key holds a secret that responses mask as `"******"`.
///
/// Derived from the keys the OpenAPI spec marks `format: password`: anything containing
/// `password`, `secret`, `token`, `private_key`, `api_key`, `passphrase`/`pass_phrase`,
/// `connection_string`, `access_key`, `client_key`, `cert_key` or `account_key`, plus
/// `key`, `certificate`, `client_certificate` and `client_cert`. Flags about a secret are no
/// secret: `is_private_key_encrypted` (a `boolean` in the spec's `snowflake_config_V1`,
/// shown in fixtures `destinations-groups/destination_create_201.json` and
/// `destination_create_mapping_tfp_201.json`).
pub fn is_secret_key(key: &str) -> bool {
    const PARTS: &[&str] = &[
        "password",
        "secret",
        "token",
        "private_key",
        "api_key",
        "passphrase",
        "pass_phrase",
        "connection_string",
        "access_key",
        "client_key",
        "cert_key",
        "account_key",
    ];
    const EXACT: &[&str] = &["key", "certificate", "client_certificate", "client_cert"];
    const NOT_SECRET: &[&str] = &["is_private_key_encrypted"];
    let k = key.to_ascii_lowercase();
    if NOT_SECRET.contains(&k.as_str()) {
        return false;
    }
    EXACT.contains(&k.as_str()) || PARTS.iter().any(|p| k.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_secret_keys() {
        for k in [
            "password",
            "client_secret",
            "private_key",
            "api_key",
            "access_token",
            "refresh_token",
            "tunnel_password",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "host",
            "port",
            "user",
            "public_key",
            "database",
            "tunnel_host",
            "is_private_key_encrypted",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn timeline_records_first_ready_time_once() {
        let t0 = SystemTime::UNIX_EPOCH;
        let t1 = t0 + std::time::Duration::from_secs(1);
        let t2 = t0 + std::time::Duration::from_secs(2);
        let mut t = Timeline::new(t0, "CREATING");
        t.enter("OK", t1, true);
        t.enter("UPDATING", t2, false);
        t.enter("OK", t2, true);
        assert_eq!(t.ready_at, Some(t1));
        assert_eq!(t.history.len(), 4);
    }
}
