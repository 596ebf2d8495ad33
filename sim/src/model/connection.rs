//! Connections: the stored object, its setup state, secret masking and the JSON form.
//! Request bodies and their rules live in `connection_rules.rs`; rules that need other
//! objects (the group exists, the private link exists) are checked by the route with the
//! store in hand.

use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::model::test_run::SetupTest;
use crate::model::{is_secret_key, Timeline, MASK};
use crate::time::rfc3339;

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
    /// The last setup tests run; details answers show them (fixture
    /// `connection_details_200.json`: `setup_tests` on `GET /v1/connections/{id}`).
    pub last_setup_tests: Option<Vec<SetupTest>>,
    pub timeline: Timeline,
}

/// Config keys the spec types `integer`: stored as JSON numbers when sent as decimal text.
/// Evidence: `#/components/schemas/postgres_rds_config_V1/properties/config/properties/port`
/// and `.../tunnel_port` (`type: integer`, `format: int32`); the same in `postgres_config_V1`
/// and in every connector config schema of the spec that has these keys (57 for `port`, 49
/// for `tunnel_port`), so the rule applies whatever the service.
pub const INTEGER_KEYS: &[&str] = &["port", "tunnel_port"];
/// Config keys the spec types `boolean`: stored as booleans when sent as `"true"`/`"false"`.
/// Evidence: `#/components/schemas/postgres_rds_config_V1/properties/config/properties/always_encrypted`
/// and `.../delete_capture_enabled` (`type: boolean`; boolean in every connector schema
/// that has them).
pub const BOOLEAN_KEYS: &[&str] = &["always_encrypted", "delete_capture_enabled"];

/// The API rewrites what it stores (fixture `connection_setup_tests_200.json` shows values
/// whose type differs from what was sent, `reconstructed_connection_create_e2e_observed.json`
/// shows values added; official provider issue #408): typed keys sent as text are stored
/// with the spec's type, and answers show the stored value.
///
/// Text that is not a valid value of the type is refused with `400 InvalidInput` (thin
/// evidence: strict).
///
/// Defaults: only those a real answer shows ([`CONFIG_DEFAULTS_SEEN`], added on create by
/// [`add_config_defaults`]). The spec declares no `default` for any key of the postgres
/// config schemas (`postgres_config_V1`, `postgres_rds_config_V1`); `connection_type`'s
/// description says what is *used* when omitted, but that is not a stored default we can
/// cite, so the simulator adds nothing there.
pub(crate) fn normalize_config(config: &mut Map<String, Value>) -> Result<(), ApiError> {
    for (k, v) in config.iter_mut() {
        let Value::String(text) = v else { continue };
        let t = text.trim();
        if INTEGER_KEYS.contains(&k.as_str()) {
            let n: i64 = t.parse().map_err(|_| {
                ApiError::invalid(format!(
                    "Invalid value '{text}' for config field '{k}': expected an integer"
                ))
            })?;
            *v = Value::from(n);
        } else if BOOLEAN_KEYS.contains(&k.as_str()) {
            *v = match t {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    return Err(ApiError::invalid(format!(
                        "Invalid value '{text}' for config field '{k}': expected true or false"
                    )))
                }
            };
        }
    }
    Ok(())
}

/// Config values the real API added to a connection created without them, per service.
/// Evidence: `reconstructed_connection_create_e2e_observed.json` (go-fivetran's e2e
/// `connection_create_test.go` / `connection_details_test.go`, run against the real API,
/// assert that an `itunes_connect` connection created with only `username` and `password`
/// answers `timeframe_months: "TWELVE"` and `app_sync_mode: "AllApps"`). Both are values
/// of the spec's enums for `itunes_connect_config_V1`. No other service's defaults are
/// recorded, so none are added for them.
pub const CONFIG_DEFAULTS_SEEN: &[(&str, &[(&str, &str)])] = &[(
    "itunes_connect",
    &[("timeframe_months", "TWELVE"), ("app_sync_mode", "AllApps")],
)];

/// Adds the [`CONFIG_DEFAULTS_SEEN`] of `service` that `config` does not set.
pub(crate) fn add_config_defaults(service: &str, config: &mut Map<String, Value>) {
    let defaults = CONFIG_DEFAULTS_SEEN
        .iter()
        .filter(|(s, _)| *s == service)
        .flat_map(|(_, d)| d.iter());
    for (key, value) in defaults {
        config
            .entry(key.to_string())
            .or_insert_with(|| Value::String(value.to_string()));
    }
}

/// Services whose answers carry `status.schema_status`, and its value on create. The spec
/// (`ConnectorStatusResponse.schema_status`): "Returned only for connectors that support
/// Universal Column Masking flow"; fixture `connection_create_tfp_201.json` shows
/// `workday_adaptive` created with `"schema_status": "ready"`. Other services get none
/// until a PATCH sets it.
pub const SCHEMA_STATUS_SERVICES: &[(&str, &str)] = &[("workday_adaptive", "ready")];

/// The `schema_status` a new connection of `service` starts with.
pub(crate) fn initial_schema_status(service: &str) -> Option<String> {
    SCHEMA_STATUS_SERVICES
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, v)| v.to_string())
}

/// The networking method the API stores for a requested one: `PrivateLink` becomes
/// `UnmanagedPrivateLink` when the knob `private_link_networking_rewrite` is on (official
/// provider issue #408: the API may answer `UnmanagedPrivateLink` for a connection created
/// with `PrivateLink`).
pub(crate) fn stored_networking_method(requested: &str, rewrite: bool) -> String {
    if rewrite && requested == "PrivateLink" {
        "UnmanagedPrivateLink".to_string()
    } else {
        requested.to_string()
    }
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
                // A list of named secrets (spec: `secrets_list` items `{key, value}` with
                // `value` of `format: password`; fixtures `connection_create_201.json`,
                // `connection_details_200.json` answer it as that list): the names stay,
                // each value is masked.
                Value::Array(items) if k == "secrets_list" => Value::Array(
                    items
                        .iter()
                        .map(|i| match i {
                            Value::Object(o) => Value::Object(
                                o.iter()
                                    .map(|(ik, iv)| {
                                        let iv = if ik == "value" && !iv.is_null() {
                                            Value::String(MASK.into())
                                        } else {
                                            iv.clone()
                                        };
                                        (ik.clone(), iv)
                                    })
                                    .collect(),
                            ),
                            _ => Value::String(MASK.into()),
                        })
                        .collect(),
                ),
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

/// The service and schema of the connection Fivetran may add to a group when its
/// destination is created: a `fivetran_metadata` (Fivetran Platform) connection (official
/// provider issue #369; fixtures README `destinations-groups`, behaviour 23). ASSUMPTION: its
/// service is `fivetran_log`, the spec's connector service of that name; the issue names
/// only the schema.
pub const METADATA_CONNECTION: (&str, &str) = ("fivetran_log", "fivetran_metadata");

impl Connection {
    /// The `fivetran_metadata` connection ([`METADATA_CONNECTION`]) Fivetran adds on its
    /// own: unpaused and connected, as a connection Fivetran runs itself.
    pub(crate) fn metadata(
        id: String,
        seq: u64,
        group_id: &str,
        connected_by: &str,
        at: std::time::SystemTime,
    ) -> Self {
        let (service, schema) = METADATA_CONNECTION;
        let mut config = Map::new();
        config.insert("schema".into(), Value::String(schema.into()));
        let mut timeline = Timeline::new(at, SetupState::Incomplete.as_str());
        timeline.enter(SetupState::Connected.as_str(), at, true);
        timeline.enter("unpaused", at, false);
        Connection {
            id,
            seq,
            group_id: group_id.to_string(),
            service: service.into(),
            schema: schema.into(),
            paused: false,
            pause_after_trial: false,
            sync_frequency: 360,
            schedule_type: "auto".into(),
            daily_sync_time: None,
            data_delay_sensitivity: "NORMAL".into(),
            data_delay_threshold: 0,
            networking_method: "Directly".into(),
            private_link_id: None,
            proxy_agent_id: None,
            hybrid_deployment_agent_id: None,
            destination_schema_names: None,
            external_secrets_manager_id: None,
            destination_configuration: None,
            connect_card_config: None,
            config,
            auth: None,
            connected_by: connected_by.to_string(),
            setup_state: SetupState::Connected,
            is_historical_sync: false,
            schema_status: None,
            last_setup_tests: None,
            timeline,
        }
    }

    /// The host the source is reached at (its TLS certificate comes from it).
    pub(crate) fn host(&self) -> Option<&str> {
        self.config
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
    }

    /// What the setup tests look at.
    pub(crate) fn target(&self) -> crate::model::test_run::Target<'_> {
        crate::model::test_run::Target {
            networking_method: &self.networking_method,
            private_link_id: self.private_link_id.as_deref(),
            tunnel_host: self.tunnel_host(),
            host: self.host(),
        }
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
            // The simulator never syncs: `null`, as the spec describes for a connection that
            // never synced and as fixtures connection_details_200.json and
            // reconstructed_connection_create_e2e_observed.json show.
            "succeeded_at": null,
            "failed_at": null,
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

    use crate::model::test_object as cfg;

    #[test]
    fn typed_keys_sent_as_text_are_stored_typed() {
        let mut c = cfg(
            json!({"port":"5432","tunnel_port":22,"always_encrypted":"true","host":"h","database":"5"}),
        );
        assert!(normalize_config(&mut c).is_ok());
        assert_eq!(
            Value::Object(c),
            json!({"port":5432,"tunnel_port":22,"always_encrypted":true,"host":"h","database":"5"})
        );
        assert!(normalize_config(&mut cfg(json!({"port":"fifty"}))).is_err());
        assert!(normalize_config(&mut cfg(json!({"delete_capture_enabled":"yes"}))).is_err());
    }

    #[test]
    fn private_link_is_stored_as_unmanaged_when_the_knob_is_on() {
        assert_eq!(
            stored_networking_method("PrivateLink", true),
            "UnmanagedPrivateLink"
        );
        assert_eq!(
            stored_networking_method("PrivateLink", false),
            "PrivateLink"
        );
        assert_eq!(stored_networking_method("Directly", true), "Directly");
    }

    #[test]
    fn a_secrets_list_keeps_its_names_and_masks_its_values() {
        let config = json!({"secrets_list": [{"key": "api_user", "value": "s3cret"}, {"key": "k", "value": null}]});
        let m = masked(config.as_object().expect("object"));
        assert_eq!(
            m["secrets_list"],
            json!([{"key": "api_user", "value": MASK}, {"key": "k", "value": null}])
        );
    }

    #[test]
    fn defaults_are_added_only_for_the_services_they_were_seen_on() {
        let mut c = Map::new();
        c.insert("timeframe_months".into(), json!("SIX"));
        add_config_defaults("itunes_connect", &mut c);
        assert_eq!(c["timeframe_months"], "SIX", "a value sent is kept");
        assert_eq!(c["app_sync_mode"], "AllApps");
        let mut p = Map::new();
        add_config_defaults("postgres", &mut p);
        assert!(p.is_empty());
        assert_eq!(
            initial_schema_status("workday_adaptive").as_deref(),
            Some("ready")
        );
        assert_eq!(initial_schema_status("postgres"), None);
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
}
