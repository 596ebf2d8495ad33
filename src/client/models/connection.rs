//! Connections: the object with its status and setup-test results, and the create and
//! update requests. Configs may hold secrets: `Debug` shows their keys only.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{api_enum, null_as_default, redacted_keys};

api_enum! {
    /// Whether a connection is set up well enough to sync.
    SetupState {
        /// Setup not finished (tests not run or not passed yet).
        Incomplete = "incomplete",
        /// Setup tests passed: the connection can sync.
        Connected = "connected",
        /// It was connected and is failing now.
        Broken = "broken",
    }
}

api_enum! {
    /// Result of one setup test.
    SetupTestStatus {
        Passed = "PASSED",
        Skipped = "SKIPPED",
        Warning = "WARNING",
        Failed = "FAILED",
        JobFailed = "JOB_FAILED",
    }
}

/// A task or warning in a connection's status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub code: Option<String>,
    pub message: Option<String>,
}

/// The `status` object of a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    /// Absent for services whose setup Fivetran does not track (fixture
    /// connection_missing_setup_state_200.json, an unsupported service).
    #[serde(default)]
    pub setup_state: Option<SetupState>,
    pub sync_state: Option<String>,
    pub update_state: Option<String>,
    pub is_historical_sync: Option<bool>,
    pub schema_status: Option<String>,
    pub rescheduled_for: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tasks: Vec<Alert>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub warnings: Vec<Alert>,
}

/// One setup test result. `details` is free-form JSON (a string, an object, or a list
/// such as the certificates a test could not trust).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupTest {
    pub title: String,
    pub status: SetupTestStatus,
    pub message: Option<String>,
    #[serde(default)]
    pub details: Value,
}

/// `GET /connections/{id}`, and the answer to create, update and run-setup-tests.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub id: String,
    pub group_id: String,
    pub service: String,
    /// The destination schema name (the connection's name in the UI).
    pub schema: String,
    pub paused: bool,
    pub pause_after_trial: Option<bool>,
    pub service_version: Option<i64>,
    pub connected_by: Option<String>,
    pub created_at: Option<String>,
    pub succeeded_at: Option<String>,
    pub failed_at: Option<String>,
    /// Minutes between syncs.
    pub sync_frequency: Option<u32>,
    pub schedule_type: Option<String>,
    pub daily_sync_time: Option<String>,
    pub data_delay_sensitivity: Option<String>,
    pub data_delay_threshold: Option<i64>,
    pub networking_method: Option<String>,
    pub private_link_id: Option<String>,
    pub proxy_agent_id: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    pub destination_schema_names: Option<String>,
    pub external_secrets_manager_id: Option<String>,
    pub status: ConnectionStatus,
    /// Results of the setup tests this answer ran (create, update, run tests).
    #[serde(default, deserialize_with = "null_as_default")]
    pub setup_tests: Vec<SetupTest>,
    /// Service settings; secrets come back masked (`******`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub config: Map<String, Value>,
}

/// Body of `POST /connections`. Unset fields are not sent.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewConnection {
    pub group_id: String,
    pub service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_after_trial: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_setup_tests: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_certificates: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_fingerprints: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_frequency: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_sync_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_delay_sensitivity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_delay_threshold: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networking_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_link_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_agent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hybrid_deployment_agent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_schema_names: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_secrets_manager_id: Option<String>,
}

/// Body of `PATCH /connections/{id}`. Only the fields set are sent (and changed); for
/// the ids and `daily_sync_time`, `Some(None)` sends `null`, which clears the field.
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct ConnectionUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_after_trial: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_setup_tests: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_certificates: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_fingerprints: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_frequency: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_sync_time: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_delay_sensitivity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_delay_threshold: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networking_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_link_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_agent_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hybrid_deployment_agent_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_secrets_manager_id: Option<Option<String>>,
}

/// Body of `POST /connections/{id}/test` (the API refuses a missing body; `{}` is fine).
#[derive(Serialize)]
pub(crate) struct RunSetupTests {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_certificates: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_fingerprints: Option<bool>,
}

/// `Name { field: value, ..., config: {"key": <redacted>} }` from the serialized form, so
/// that `Debug` never shows a config or auth value.
fn debug_redacted<T: Serialize>(name: &str, value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let Ok(Value::Object(fields)) = serde_json::to_value(value) else {
        return write!(f, "{name} {{ .. }}");
    };
    let mut s = f.debug_struct(name);
    for (k, v) in &fields {
        match (k.as_str(), v) {
            ("config" | "auth", Value::Object(m)) => {
                s.field(k, &format_args!("{}", redacted_keys(m.keys())))
            }
            _ => s.field(k, &format_args!("{v}")),
        };
    }
    s.finish()
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_redacted("Connection", self, f)
    }
}

impl fmt::Debug for NewConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_redacted("NewConnection", self, f)
    }
}

impl fmt::Debug for ConnectionUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_redacted("ConnectionUpdate", self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_never_shows_config_or_auth_values() {
        let mut config = Map::new();
        config.insert("password".into(), json!("hunter2"));
        let mut auth = Map::new();
        auth.insert("client_secret".into(), json!("s3cr3t"));
        let new = NewConnection {
            group_id: "g".into(),
            service: "postgres".into(),
            config: Some(config.clone()),
            auth: Some(auth),
            ..NewConnection::default()
        };
        let update = ConnectionUpdate {
            config: Some(config),
            ..ConnectionUpdate::default()
        };
        for text in [format!("{new:?}"), format!("{update:?}")] {
            assert!(
                !text.contains("hunter2") && !text.contains("s3cr3t"),
                "{text}"
            );
            assert!(text.contains("\"password\": <redacted>"), "{text}");
        }
    }

    #[test]
    fn only_set_fields_are_serialized() {
        let update = ConnectionUpdate {
            paused: Some(false),
            ..ConnectionUpdate::default()
        };
        assert_eq!(
            serde_json::to_value(&update).ok(),
            Some(json!({"paused": false}))
        );
    }

    #[test]
    fn decodes_setup_tests_with_any_details() {
        let v = json!({
            "id": "c", "group_id": "g", "service": "postgres", "schema": "s", "paused": true,
            "status": {"setup_state": "incomplete", "sync_state": "paused", "update_state": "on_schedule",
                       "is_historical_sync": false, "tasks": null, "warnings": []},
            "setup_tests": [
                {"title": "Connecting", "status": "PASSED"},
                {"title": "Certificate", "status": "FAILED", "message": "untrusted",
                 "details": [{"hash": "a/b+c"}]},
                {"title": "New kind", "status": "BLOCKED", "details": "text"}
            ],
            "config": {"host": "db", "password": "******"}
        });
        let c: Result<Connection, _> = serde_json::from_value(v);
        let c = c.map_err(|e| e.to_string());
        let tests = c
            .as_ref()
            .map(|c| c.setup_tests.clone())
            .unwrap_or_default();
        assert_eq!(tests.len(), 3);
        assert_eq!(tests[1].status, SetupTestStatus::Failed);
        assert_eq!(tests[2].status, SetupTestStatus::Other("BLOCKED".into()));
        assert_eq!(
            c.map(|c| c.status.setup_state),
            Ok(Some(SetupState::Incomplete))
        );
    }
}
