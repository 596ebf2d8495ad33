//! Connection request bodies and the rules that look at one request only: enums,
//! schedule fields, the networking method / private link pairing, and schema naming.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Sync frequencies (minutes) the API accepts.
pub const SYNC_FREQUENCIES: &[i64] = &[1, 5, 15, 30, 60, 120, 180, 360, 480, 720, 1440];
/// Networking methods accepted in requests: the spec's request enum
/// (`#/components/schemas/NewConnectorRequestV1/properties/networking_method`) plus
/// `UnmanagedPrivateLink`, which the API may answer for a connection created with
/// `PrivateLink` (official provider issue #408), so a client may send back what it read.
pub const NETWORKING_METHODS: &[&str] = &[
    "Directly",
    "PrivateLink",
    "UnmanagedPrivateLink",
    "SshTunnel",
    "ProxyAgent",
];

/// Whether the method goes through a private link (`PrivateLink` or the
/// `UnmanagedPrivateLink` the API may store instead, official provider issue #408).
pub fn is_private_link(method: &str) -> bool {
    matches!(method, "PrivateLink" | "UnmanagedPrivateLink")
}
const SENSITIVITIES: &[&str] = &["LOW", "NORMAL", "HIGH", "CUSTOM", "SYNC_FREQUENCY"];
const SCHEDULE_TYPES: &[&str] = &["auto", "manual"];
const SCHEMA_NAMINGS: &[&str] = &["FIVETRAN_NAMING", "SOURCE_NAMING"];
/// Config keys that name the destination schema; they can only be set at creation.
pub const SCHEMA_KEYS: &[&str] = &["schema", "schema_prefix", "table", "table_group_name"];

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
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
    match (is_private_link(method), private_link_id) {
        (true, None) => Err(ApiError::invalid(
            "Field 'private_link_id' is required when networking method is PrivateLink",
        )),
        (false, Some(_)) => Err(ApiError::invalid(
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::model::test_object as cfg;

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
    fn networking_rules() {
        assert!(check_networking("Directly", Some("pl")).is_err());
        assert!(check_networking("PrivateLink", None).is_err());
        assert!(check_networking("PrivateLink", Some("pl")).is_ok());
        assert!(check_networking("UnmanagedPrivateLink", Some("pl")).is_ok());
        assert!(check_networking("UnmanagedPrivateLink", None).is_err());
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
