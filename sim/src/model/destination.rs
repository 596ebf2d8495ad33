//! Destinations: the stored object (its id is its group's), its setup status, what its
//! setup tests look at, and its JSON forms (create/details/update, the setup-test answer,
//! list items). Request bodies and their rules live in `destination_rules.rs`, the config
//! rewrites in `destination_config.rs`. Fixtures named here are in
//! `../shared/api/fixtures/destinations-groups/`; "behaviour N" is that folder's README.

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use crate::model::connection::SetupState;
use crate::model::destination_config::shown;
use crate::model::test_run::{SetupTest, Target, TestOutcome};
use crate::model::Timeline;

/// A destination; `id == group_id` (behaviour 1).
#[derive(Clone, Debug)]
pub(crate) struct Destination {
    pub id: String,
    pub seq: u64,
    pub service: String,
    pub region: String,
    pub time_zone_offset: String,
    pub daylight_saving_time_enabled: bool,
    /// `None`: answered without `networking_method`, as some existing destinations are
    /// (behaviour 18: official provider issue #563, `destination_create_big_query_tfp_201.json`);
    /// only the admin API makes one so. The setup tests then reach it directly.
    pub networking_method: Option<String>,
    pub private_link_id: Option<String>,
    pub proxy_agent_id: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    pub external_secrets_manager_id: Option<String>,
    /// As stored after the API's rewrites (secrets in clear; answers mask them).
    pub config: Map<String, Value>,
    pub setup_status: SetupState,
    /// The starting destination answers `setup_status` in the spec's upper case
    /// (`CONNECTED`, the enum of `DestinationExtendedResponse` and go-fivetran's / the
    /// official provider's list mocks), as it always did: the provider's e2e tests compare
    /// it. Destinations created through the API answer lower case, as the real API does
    /// (behaviour 9 [e2e]). Clients must accept both (the fixtures README says so).
    pub upper_case_status: bool,
    /// The last setup tests run; details answers show them (behaviour 8, fixture
    /// `destination_details_tfp_200.json`: `setup_tests` on `GET`).
    pub last_setup_tests: Option<Vec<SetupTest>>,
    /// How many setup-test runs this destination had (the knob
    /// `destination_first_setup_tests_incomplete` looks at the first).
    pub setup_runs: u32,
    pub timeline: Timeline,
}

/// Which answer a destination is shown in.
#[derive(Clone, Copy, Debug)]
pub(crate) enum View<'a> {
    /// Create, details and update answers: everything, with `setup_tests` when given.
    Full(Option<&'a [SetupTest]>),
    /// `POST /v1/destinations/{id}/test`: no `private_link_id` (behaviour 20: official
    /// provider issue #482, PR #483's mock, `destination_setup_tests_private_link_tfp_200.json`).
    /// With `legacy`, also no `networking_method` and no `config`
    /// (`reconstructed_destination_setup_tests_no_networking_pr483.json`).
    Tested {
        tests: &'a [SetupTest],
        legacy: bool,
    },
    /// `GET /v1/destinations` items: no `config`, no `setup_tests` (behaviour 26), and
    /// `daylight_saving_time_enabled` always `false` (behaviour 17 [e2e]: a destination
    /// created with `true` is listed with `false`).
    ListItem,
}

impl Destination {
    /// The starting group's destination: a Snowflake warehouse whose host presents a
    /// certificate, connected, answering its status in upper case.
    pub(crate) fn starting(group_id: &str, seq: u64, at: SystemTime) -> Self {
        let config = json!({
            "host": format!("{group_id}.snowflakecomputing.com"),
            "port": "443",
            "database": "fivetran",
            "auth": "PASSWORD",
            "user": "fivetran_user",
            "password": "sim-warehouse-password",
        });
        Destination {
            id: group_id.to_string(),
            seq,
            service: "snowflake".into(),
            region: "GCP_US_EAST4".into(),
            time_zone_offset: "0".into(),
            daylight_saving_time_enabled: false,
            networking_method: Some("Directly".into()),
            private_link_id: None,
            proxy_agent_id: None,
            hybrid_deployment_agent_id: None,
            external_secrets_manager_id: None,
            config: config.as_object().cloned().unwrap_or_default(),
            setup_status: SetupState::Connected,
            upper_case_status: true,
            last_setup_tests: None,
            // Connected, so it was tested: the knob on first runs leaves it alone.
            setup_runs: 1,
            timeline: Timeline::new(at, SetupState::Connected.as_str()),
        }
    }

    fn config_str(&self, key: &str) -> Option<&str> {
        self.config
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The config key that names the host the destination is reached at: `host`, or
    /// Databricks' `server_host_name` (spec `databricks_config_V1`).
    pub(crate) fn host_key(&self) -> &'static str {
        if !self.config.contains_key("host") && self.config.contains_key("server_host_name") {
            "server_host_name"
        } else {
            "host"
        }
    }

    /// The networking method, `Directly` when it has none.
    pub(crate) fn method(&self) -> &str {
        self.networking_method.as_deref().unwrap_or("Directly")
    }

    /// What the setup tests look at: the private link, the tunnel host (presents
    /// [`crate::presented_host_key`]) and the host (presents
    /// [`crate::presented_certificate`]).
    pub(crate) fn target(&self) -> Target<'_> {
        Target {
            networking_method: self.method(),
            private_link_id: self.private_link_id.as_deref(),
            tunnel_host: self.config_str("tunnel_host"),
            host: self.config_str(self.host_key()),
        }
    }

    /// Sets `setup_status` from a test run: connected when every test passed, else
    /// incomplete (or broken if it was connected), as for connections.
    pub(crate) fn settle(&mut self, outcome: &TestOutcome, at: SystemTime) {
        let next = if outcome.passed() {
            SetupState::Connected
        } else if self.setup_status == SetupState::Incomplete {
            SetupState::Incomplete
        } else {
            SetupState::Broken
        };
        self.setup_status = next;
        self.setup_runs += 1;
        self.timeline
            .enter(next.as_str(), at, next == SetupState::Connected);
    }

    /// A run whose tests all passed that leaves the destination `incomplete` anyway: the
    /// knob `destination_first_setup_tests_incomplete` on a first run (behaviour 6: official
    /// provider issue #177 shows a destination `incomplete` after a create that ran the tests,
    /// connected by a later manual test; the tests' own results are not recorded, so they are
    /// answered as they came out: passed).
    pub(crate) fn settle_held_back(&mut self, at: SystemTime) {
        self.setup_status = SetupState::Incomplete;
        self.setup_runs += 1;
        self.timeline
            .enter(SetupState::Incomplete.as_str(), at, false);
    }

    /// `setup_status` as answers spell it.
    pub(crate) fn status_text(&self) -> String {
        let s = self.setup_status.as_str();
        if self.upper_case_status {
            s.to_ascii_uppercase()
        } else {
            s.to_string()
        }
    }

    pub(crate) fn to_json(&self, view: View<'_>) -> Value {
        let mut v = json!({
            "id": self.id,
            "group_id": self.id,
            "service": self.service,
            "region": self.region,
            "time_zone_offset": self.time_zone_offset,
            "setup_status": self.status_text(),
            "daylight_saving_time_enabled": self.daylight_saving_time_enabled,
        });
        if let Some(m) = &self.networking_method {
            v["networking_method"] = Value::String(m.clone());
        }
        // Unset ids are left out: the spec types them as non-nullable strings, and the
        // e2e evidence accepts absent, null or "" alike (fixture
        // reconstructed_destination_create_e2e_observed.json).
        let optional = [
            ("private_link_id", &self.private_link_id),
            ("proxy_agent_id", &self.proxy_agent_id),
            (
                "hybrid_deployment_agent_id",
                &self.hybrid_deployment_agent_id,
            ),
            // The spec: "(Deprecated) The unique identifier for the hybrid deployment
            // agent"; go-fivetran's list mock (destination_list_200.json) carries both.
            (
                "local_processing_agent_id",
                &self.hybrid_deployment_agent_id,
            ),
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
        match view {
            View::Full(tests) => {
                v["config"] = Value::Object(shown(&self.config));
                if let Some(t) = tests {
                    v["setup_tests"] = tests_json(t);
                }
            }
            View::Tested { tests, legacy } => {
                if let Some(o) = v.as_object_mut() {
                    o.remove("private_link_id");
                    if legacy {
                        o.remove("networking_method");
                    }
                }
                if !legacy {
                    v["config"] = Value::Object(shown(&self.config));
                }
                v["setup_tests"] = tests_json(tests);
            }
            View::ListItem => {
                v["daylight_saving_time_enabled"] = Value::Bool(false);
            }
        }
        v
    }
}

fn tests_json(tests: &[SetupTest]) -> Value {
    Value::Array(tests.iter().map(SetupTest::to_json).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest() -> Destination {
        let mut d = Destination::starting("g_1", 1, SystemTime::UNIX_EPOCH);
        d.upper_case_status = false;
        d.private_link_id = Some("pl".into());
        d.daylight_saving_time_enabled = true;
        d
    }

    #[test]
    fn views_leave_out_what_the_api_leaves_out() {
        let d = dest();
        let full = d.to_json(View::Full(None));
        assert_eq!(full["private_link_id"], "pl");
        assert_eq!(full["config"]["password"], crate::model::MASK);
        assert!(full.get("setup_tests").is_none());
        let tested = d.to_json(View::Tested {
            tests: &[],
            legacy: false,
        });
        assert!(tested.get("private_link_id").is_none());
        assert_eq!(tested["networking_method"], "Directly");
        assert_eq!(tested["setup_tests"], json!([]));
        let legacy = d.to_json(View::Tested {
            tests: &[],
            legacy: true,
        });
        assert!(legacy.get("networking_method").is_none() && legacy.get("config").is_none());
        let item = d.to_json(View::ListItem);
        assert!(item.get("config").is_none() && item.get("setup_tests").is_none());
        assert_eq!(item["daylight_saving_time_enabled"], false);
        assert_eq!(full["daylight_saving_time_enabled"], true);
    }

    #[test]
    fn status_case_follows_the_destination() {
        let mut d = dest();
        assert_eq!(d.status_text(), "connected");
        d.upper_case_status = true;
        assert_eq!(d.status_text(), "CONNECTED");
    }

    #[test]
    fn the_host_is_host_or_databricks_server_host_name() {
        let mut d = dest();
        assert_eq!(d.target().host, Some("g_1.snowflakecomputing.com"));
        d.config.remove("host");
        d.config
            .insert("server_host_name".into(), json!("adb.example.com"));
        assert_eq!(d.host_key(), "server_host_name");
        assert_eq!(d.target().host, Some("adb.example.com"));
    }
}
