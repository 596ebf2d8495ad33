//! Connections: request validation, schema naming, secret masking and the JSON form.
//!
//! Rules that need other objects (the group exists, the private link exists) are checked
//! by the route with the store in hand; everything here looks at one request or one
//! connection only.

use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::model::setup_tests::SetupTest;
use crate::model::{is_secret_key, Timeline, MASK};
use crate::time::rfc3339;

/// Sync frequencies (minutes) the API accepts.
pub const SYNC_FREQUENCIES: &[i64] = &[1, 5, 15, 30, 60, 120, 180, 360, 480, 720, 1440];
/// Networking methods accepted in requests.
pub const NETWORKING_METHODS: &[&str] = &["Directly", "PrivateLink", "SshTunnel", "ProxyAgent"];
const SENSITIVITIES: &[&str] = &["LOW", "NORMAL", "HIGH", "CUSTOM", "SYNC_FREQUENCY"];
const SCHEDULE_TYPES: &[&str] = &["auto", "manual"];
const SCHEMA_NAMINGS: &[&str] = &["FIVETRAN_NAMING", "SOURCE_NAMING"];
/// Config keys that name the destination schema; they can only be set at creation.
pub const SCHEMA_KEYS: &[&str] = &["schema", "schema_prefix", "table", "table_group_name"];

/// `incomplete` until the setup tests pass, then `connected`; `broken` when tests fail on
/// a connection that was connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupState {
    /// The setup tests never passed.
    Incomplete,
    /// The last setup tests passed.
    Connected,
    /// The setup tests failed after having passed.
    Broken,
}

impl SetupState {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SetupState::Incomplete => "incomplete",
            SetupState::Connected => "connected",
            SetupState::Broken => "broken",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [
            SetupState::Incomplete,
            SetupState::Connected,
            SetupState::Broken,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Body of `POST /v1/connections` (fields of `NewConnectorRequestV1` plus `config`/`auth`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRequest {
    pub group_id: Option<String>,
    pub service: Option<String>,
    pub trust_certificates: Option<bool>,
    pub trust_fingerprints: Option<bool>,
    pub run_setup_tests: Option<bool>,
    pub paused: Option<bool>,
    pub pause_after_trial: Option<bool>,
    pub sync_frequency: Option<i64>,
    pub data_delay_sensitivity: Option<String>,
    pub data_delay_threshold: Option<i64>,
    pub daily_sync_time: Option<String>,
    pub schedule_type: Option<String>,
    pub connect_card_config: Option<Value>,
    pub proxy_agent_id: Option<String>,
    pub private_link_id: Option<String>,
    pub networking_method: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    pub destination_configuration: Option<Value>,
    pub destination_schema_names: Option<String>,
    pub external_secrets_manager_id: Option<String>,
    pub config: Option<Map<String, Value>>,
    pub auth: Option<Map<String, Value>>,
}

/// Body of `PATCH /v1/connections/{id}` (`UpdateConnectorRequest`). `null` clears the
/// nullable ids.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateRequest {
    pub config: Option<Map<String, Value>>,
    pub auth: Option<Map<String, Value>>,
    pub paused: Option<bool>,
    pub trust_certificates: Option<bool>,
    pub trust_fingerprints: Option<bool>,
    pub sync_frequency: Option<i64>,
    pub data_delay_threshold: Option<i64>,
    pub data_delay_sensitivity: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub daily_sync_time: Option<Option<String>>,
    pub pause_after_trial: Option<bool>,
    pub schema_status: Option<String>,
    pub is_historical_sync: Option<bool>,
    pub schedule_type: Option<String>,
    pub run_setup_tests: Option<bool>,
    pub networking_method: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub hybrid_deployment_agent_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub proxy_agent_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub private_link_id: Option<Option<String>>,
    pub destination_configuration: Option<Value>,
    #[serde(default, deserialize_with = "nullable")]
    pub external_secrets_manager_id: Option<Option<String>>,
    pub external_secrets_keys_config: Option<Value>,
}

impl UpdateRequest {
    /// Whether the request changes anything stored (the API refuses a PATCH that only
    /// carries `run_setup_tests`/`trust_*`).
    pub(crate) fn has_persistent_change(&self) -> bool {
        self.config.is_some()
            || self.auth.is_some()
            || self.paused.is_some()
            || self.sync_frequency.is_some()
            || self.data_delay_threshold.is_some()
            || self.data_delay_sensitivity.is_some()
            || self.daily_sync_time.is_some()
            || self.pause_after_trial.is_some()
            || self.schema_status.is_some()
            || self.is_historical_sync.is_some()
            || self.schedule_type.is_some()
            || self.networking_method.is_some()
            || self.hybrid_deployment_agent_id.is_some()
            || self.proxy_agent_id.is_some()
            || self.private_link_id.is_some()
            || self.destination_configuration.is_some()
            || self.external_secrets_manager_id.is_some()
            || self.external_secrets_keys_config.is_some()
    }
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "Invalid value '{value}' for field '{field}'. Allowed values: {}",
            allowed.join(", ")
        )))
    }
}

pub(crate) fn check_sync_frequency(v: i64) -> Result<(), ApiError> {
    if SYNC_FREQUENCIES.contains(&v) {
        return Ok(());
    }
    let all: Vec<String> = SYNC_FREQUENCIES.iter().map(i64::to_string).collect();
    Err(ApiError::invalid(format!(
        "Invalid value '{v}' for field 'sync_frequency'. Allowed values: {}",
        all.join(", ")
    )))
}

pub(crate) fn check_daily_sync_time(v: &str) -> Result<(), ApiError> {
    let ok = v.len() == 5
        && v.ends_with(":00")
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[..2].chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "Invalid value '{v}' for field 'daily_sync_time': use a whole hour from 00:00 to 23:00"
        )))
    }
}

pub(crate) fn check_enums(
    data_delay_sensitivity: Option<&str>,
    schedule_type: Option<&str>,
    networking_method: Option<&str>,
    schema_names: Option<&str>,
    sync_frequency: Option<i64>,
    daily_sync_time: Option<&str>,
) -> Result<(), ApiError> {
    if let Some(v) = data_delay_sensitivity {
        one_of("data_delay_sensitivity", v, SENSITIVITIES)?;
    }
    if let Some(v) = schedule_type {
        one_of("schedule_type", v, SCHEDULE_TYPES)?;
    }
    if let Some(v) = networking_method {
        one_of("networking_method", v, NETWORKING_METHODS)?;
    }
    if let Some(v) = schema_names {
        one_of("destination_schema_names", v, SCHEMA_NAMINGS)?;
    }
    if let Some(v) = sync_frequency {
        check_sync_frequency(v)?;
    }
    if let Some(v) = daily_sync_time {
        check_daily_sync_time(v)?;
    }
    Ok(())
}

/// `private_link_id` needs `networking_method = PrivateLink`, and the reverse.
pub(crate) fn check_networking(
    method: &str,
    private_link_id: Option<&str>,
) -> Result<(), ApiError> {
    match (method, private_link_id) {
        ("PrivateLink", None) => Err(ApiError::invalid(
            "Field 'private_link_id' is required when networking method is PrivateLink",
        )),
        (m, Some(_)) if m != "PrivateLink" => Err(ApiError::invalid(
            "Networking method must be PrivateLink in order to set private_link_id",
        )),
        _ => Ok(()),
    }
}

fn identifier_ok(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The connection's `schema` from its config: `schema_prefix`, else `schema` or
/// `schema.table`, else `schema.table_group_name`.
pub(crate) fn schema_name(config: &Map<String, Value>) -> Result<String, ApiError> {
    let get = |k: &str| -> Result<Option<&str>, ApiError> {
        match config.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if identifier_ok(s) => Ok(Some(s)),
            Some(_) => Err(ApiError::invalid(format!(
                "Invalid value for config field '{k}': use letters, digits and underscores, starting with a letter or underscore"
            ))),
        }
    };
    let (prefix, schema, table, group) = (
        get("schema_prefix")?,
        get("schema")?,
        get("table")?,
        get("table_group_name")?,
    );
    match (prefix, schema, table.or(group)) {
        (Some(p), _, _) => Ok(p.to_ascii_lowercase()),
        (None, Some(s), Some(t)) => Ok(format!(
            "{}.{}",
            s.to_ascii_lowercase(),
            t.to_ascii_lowercase()
        )),
        (None, Some(s), None) => Ok(s.to_ascii_lowercase()),
        (None, None, _) => Err(ApiError::invalid(
            "Missing required config field 'schema' (or 'schema_prefix' for database sources)",
        )),
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Connection {
    pub id: String,
    pub seq: u64,
    pub group_id: String,
    pub service: String,
    pub schema: String,
    pub paused: bool,
    pub pause_after_trial: bool,
    pub sync_frequency: i64,
    pub schedule_type: String,
    pub daily_sync_time: Option<String>,
    pub data_delay_sensitivity: String,
    pub data_delay_threshold: i64,
    pub networking_method: String,
    pub private_link_id: Option<String>,
    pub proxy_agent_id: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    pub destination_schema_names: Option<String>,
    pub external_secrets_manager_id: Option<String>,
    pub destination_configuration: Option<Value>,
    pub connect_card_config: Option<Value>,
    pub config: Map<String, Value>,
    pub auth: Option<Map<String, Value>>,
    pub connected_by: String,
    pub setup_state: SetupState,
    pub is_historical_sync: bool,
    pub schema_status: Option<String>,
    pub timeline: Timeline,
}

/// Merges a config patch: keys replace, `null` removes.
pub(crate) fn merge_config(config: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (k, v) in patch {
        if v.is_null() {
            config.remove(&k);
        } else {
            config.insert(k, v);
        }
    }
}

/// Config as responses show it: secrets replaced by `"******"`, recursively.
pub(crate) fn masked(config: &Map<String, Value>) -> Map<String, Value> {
    config
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                Value::Null => Value::Null,
                _ if is_secret_key(k) => Value::String(MASK.into()),
                Value::Object(inner) => Value::Object(masked(inner)),
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|i| match i {
                            Value::Object(o) => Value::Object(masked(o)),
                            other => other.clone(),
                        })
                        .collect(),
                ),
                other => other.clone(),
            };
            (k.clone(), shown)
        })
        .collect()
}

impl Connection {
    /// The host the source is reached at (its TLS certificate comes from it).
    pub(crate) fn host(&self) -> Option<&str> {
        self.config
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
    }

    /// The SSH tunnel host, if the source is reached through one.
    pub(crate) fn tunnel_host(&self) -> Option<&str> {
        self.config
            .get("tunnel_host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
    }

    /// The API object. List items (`ConnectorResponse`) leave out `config`; details,
    /// create, update and test answers include it, and `setup_tests` when tests ran.
    pub(crate) fn to_json(&self, with_config: bool, tests: Option<&[SetupTest]>) -> Value {
        let mut v = json!({
            "id": self.id,
            "group_id": self.group_id,
            "service": self.service,
            "service_version": 1,
            "schema": self.schema,
            "connected_by": self.connected_by,
            "created_at": rfc3339(self.timeline.created_at),
            "paused": self.paused,
            "pause_after_trial": self.pause_after_trial,
            "sync_frequency": self.sync_frequency,
            "schedule_type": self.schedule_type,
            "data_delay_sensitivity": self.data_delay_sensitivity,
            "data_delay_threshold": self.data_delay_threshold,
            "networking_method": self.networking_method,
            "status": {
                "setup_state": self.setup_state.as_str(),
                "sync_state": if self.paused { "paused" } else { "scheduled" },
                "update_state": "on_schedule",
                "is_historical_sync": self.is_historical_sync,
                "tasks": [],
                "warnings": [],
            },
        });
        let optional = [
            ("private_link_id", &self.private_link_id),
            ("proxy_agent_id", &self.proxy_agent_id),
            (
                "hybrid_deployment_agent_id",
                &self.hybrid_deployment_agent_id,
            ),
            ("daily_sync_time", &self.daily_sync_time),
            ("destination_schema_names", &self.destination_schema_names),
            (
                "external_secrets_manager_id",
                &self.external_secrets_manager_id,
            ),
        ];
        for (k, val) in optional {
            if let Some(s) = val {
                v[k] = Value::String(s.clone());
            }
        }
        if let Some(d) = &self.destination_configuration {
            v["destination_configuration"] = d.clone();
        }
        if let Some(d) = &self.connect_card_config {
            v["connect_card_config"] = d.clone();
        }
        if let Some(s) = &self.schema_status {
            v["status"]["schema_status"] = Value::String(s.clone());
        }
        if with_config {
            v["config"] = Value::Object(masked(&self.config));
        }
        if let Some(t) = tests {
            v["setup_tests"] = Value::Array(t.iter().map(SetupTest::to_json).collect());
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn names_schemas_like_the_api() {
        assert_eq!(
            schema_name(&cfg(json!({"schema_prefix":"pg"}))).ok(),
            Some("pg".into())
        );
        assert_eq!(
            schema_name(&cfg(json!({"schema":"s","table":"T"}))).ok(),
            Some("s.t".into())
        );
        assert_eq!(
            schema_name(&cfg(json!({"schema":"Sales"}))).ok(),
            Some("sales".into())
        );
        assert!(schema_name(&cfg(json!({"table":"t"}))).is_err());
        assert!(schema_name(&cfg(json!({"schema":"has space"}))).is_err());
        assert!(schema_name(&cfg(json!({"schema":5}))).is_err());
    }

    #[test]
    fn masks_secrets_recursively() {
        let m = masked(&cfg(
            json!({"host":"h","password":"p","nested":{"client_secret":"s"},"api_key":null}),
        ));
        assert_eq!(m["host"], "h");
        assert_eq!(m["password"], MASK);
        assert_eq!(m["nested"]["client_secret"], MASK);
        assert_eq!(m["api_key"], Value::Null);
    }

    #[test]
    fn networking_rules() {
        assert!(check_networking("Directly", Some("pl")).is_err());
        assert!(check_networking("PrivateLink", None).is_err());
        assert!(check_networking("PrivateLink", Some("pl")).is_ok());
        assert!(check_networking("SshTunnel", None).is_ok());
    }

    #[test]
    fn validates_schedule_fields() {
        assert!(check_sync_frequency(7).is_err());
        assert!(check_sync_frequency(1440).is_ok());
        assert!(check_daily_sync_time("03:00").is_ok());
        assert!(check_daily_sync_time("3:00").is_err());
        assert!(check_daily_sync_time("24:00").is_err());
        assert!(check_daily_sync_time("03:30").is_err());
        assert!(check_enums(Some("SOMETIMES"), None, None, None, None, None).is_err());
    }
}
