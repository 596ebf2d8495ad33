//! Destinations: the object (its id is its group's), and the create and update requests.
//! Configs may hold secrets: `Debug` shows their keys only.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{null_as_default, redacted_keys, SetupTest};

/// Reads a text the API sends as a string or as a number (`time_zone_offset` is `"+3"` in
/// real answers, a number in some mocks).
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// `GET /destinations/{id}`, and the answer to create, update and run-setup-tests (the
/// last one may lack `private_link_id`, `networking_method` and `config`: fixture
/// `reconstructed_destination_setup_tests_no_networking_pr483.json`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Destination {
    /// The destination's id, which is its group's id.
    pub id: String,
    pub group_id: Option<String>,
    pub service: Option<String>,
    pub region: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub time_zone_offset: Option<String>,
    pub daylight_saving_time_enabled: Option<bool>,
    /// `incomplete`, `connected` or `broken` (lower case in real answers, upper case in the
    /// spec and in list items).
    pub setup_status: Option<String>,
    pub networking_method: Option<String>,
    pub private_link_id: Option<String>,
    pub proxy_agent_id: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    /// Service settings as the API shows them (secrets masked, values it retypes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub config: Map<String, Value>,
    /// Results of the setup tests this answer ran.
    #[serde(default, deserialize_with = "null_as_default")]
    pub setup_tests: Vec<SetupTest>,
}

impl Destination {
    /// Whether Fivetran reports the destination connected (its setup tests passed).
    pub fn is_connected(&self) -> bool {
        self.setup_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("connected"))
    }
}

impl fmt::Debug for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Destination")
            .field("id", &self.id)
            .field("service", &self.service)
            .field("region", &self.region)
            .field("setup_status", &self.setup_status)
            .field("networking_method", &self.networking_method)
            .field("private_link_id", &self.private_link_id)
            .field(
                "config",
                &format_args!("{}", redacted_keys(self.config.keys())),
            )
            .field("setup_tests", &self.setup_tests)
            .finish_non_exhaustive()
    }
}

/// Body of `POST /destinations`: the destination's group and service, and its settings.
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct NewDestination {
    pub group_id: String,
    pub service: String,
    #[serde(flatten)]
    pub settings: DestinationUpdate,
}

impl fmt::Debug for NewDestination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewDestination")
            .field("group_id", &self.group_id)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .finish()
    }
}

/// The settings a destination is created with, and the body of
/// `PATCH /destinations/{id}` (only what changes; the spec's `NewDestinationRequest` and
/// `UpdateDestinationRequest` hold the same fields but for the create's group and
/// service). `time_zone_offset` may be left out of a PATCH although the spec marks it
/// required (the real API takes a PATCH without it: behaviour 16 of the
/// destinations-groups fixtures).
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct DestinationUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone_offset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daylight_saving_time_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_certificates: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_fingerprints: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_setup_tests: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networking_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_link_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_agent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hybrid_deployment_agent_id: Option<String>,
}

impl fmt::Debug for DestinationUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DestinationUpdate")
            .field("region", &self.region)
            .field("networking_method", &self.networking_method)
            .field("private_link_id", &self.private_link_id)
            .field(
                "config",
                &format_args!(
                    "{}",
                    redacted_keys(self.config.iter().flat_map(|c| c.keys()))
                ),
            )
            .finish_non_exhaustive()
    }
}
