//! Private links: the object, its states, and the create request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::super::wait::Progress;
use super::{api_enum, null_as_default};

api_enum! {
    /// Where a private link is in its life. `Creating`, `Updating` and `Destroying` are
    /// transitions; `Ok` and `Failed` are where they end.
    PrivateLinkState {
        /// Being provisioned.
        Creating = "CREATING",
        /// Being changed after a config update.
        Updating = "UPDATING",
        /// Being deleted.
        Destroying = "DESTROYING",
        /// Active and usable.
        Ok = "OK",
        /// Provisioning or an update failed; `state_summary` says why.
        Failed = "FAIL",
    }
}

impl PrivateLinkState {
    /// Whether the API accepts a PATCH or DELETE of a link in this state: `OK`, `FAIL` and
    /// `DESTROYING` (which nothing can change).
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            PrivateLinkState::Ok | PrivateLinkState::Failed | PrivateLinkState::Destroying
        )
    }

    /// A transition still under way.
    pub fn is_transition(&self) -> bool {
        matches!(
            self,
            PrivateLinkState::Creating | PrivateLinkState::Updating | PrivateLinkState::Destroying
        )
    }
}

/// `GET /private-links/{id}`; list items have no `config` (it is then empty).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivateLink {
    pub id: String,
    pub name: String,
    pub region: String,
    pub service: String,
    pub cloud_provider: Option<String>,
    pub state: PrivateLinkState,
    pub state_summary: Option<String>,
    /// The endpoint service's DNS name.
    pub host: Option<String>,
    pub account_id: Option<String>,
    pub created_at: Option<String>,
    pub created_by: Option<String>,
    /// Status reported by the cloud provider (values undocumented).
    pub resource_upstream_status: Option<String>,
    /// Service-specific settings, as the API returns them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub config: BTreeMap<String, serde_json::Value>,
}

impl PrivateLink {
    /// Where the link is on its way to `OK`, for [`wait::until`](super::super::wait::until):
    /// `OK` is done; `FAIL` failed (with the summary); `DESTROYING` failed (it will not
    /// come back); `CREATING`, `UPDATING` and states this client does not know are pending.
    pub fn readiness(&self) -> Progress {
        match &self.state {
            PrivateLinkState::Ok => Progress::Done,
            PrivateLinkState::Failed => Progress::Failed {
                reason: format!(
                    "the private link's state is FAIL: {}",
                    self.state_summary
                        .as_deref()
                        .filter(|s| !s.is_empty())
                        .unwrap_or("no summary given")
                ),
            },
            PrivateLinkState::Destroying => Progress::Failed {
                reason: "the private link is being deleted (DESTROYING)".into(),
            },
            other => Progress::Pending {
                state: other.to_string(),
            },
        }
    }
}

impl PrivateLink {
    /// Whether the API accepts a PATCH or DELETE of the link now: `OK` and `FAIL` are
    /// settled, and so is `DESTROYING` (nothing can change it); `CREATING`, `UPDATING` and
    /// unknown states are pending (the API answers `IllegalState` to changes then: fixture
    /// reconstructed_private_link_patch_while_creating.json).
    pub fn settledness(&self) -> Progress {
        if self.state.is_settled() {
            Progress::Done
        } else {
            Progress::Pending {
                state: self.state.to_string(),
            }
        }
    }
}

/// Body of `POST /private-links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPrivateLink {
    pub name: String,
    pub region: String,
    pub service: String,
    pub config: BTreeMap<String, String>,
}

/// Body of `PATCH /private-links/{id}`.
#[derive(Serialize)]
pub(crate) struct PrivateLinkUpdate<'a> {
    pub config: &'a BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn states_round_trip_and_unknown_ones_are_kept() {
        for (text, state) in [
            ("CREATING", PrivateLinkState::Creating),
            ("UPDATING", PrivateLinkState::Updating),
            ("DESTROYING", PrivateLinkState::Destroying),
            ("OK", PrivateLinkState::Ok),
            ("FAIL", PrivateLinkState::Failed),
            (
                "PENDING_ACCEPTANCE",
                PrivateLinkState::Other("PENDING_ACCEPTANCE".into()),
            ),
        ] {
            let parsed: Result<PrivateLinkState, _> = serde_json::from_value(json!(text));
            assert_eq!(parsed.ok(), Some(state.clone()));
            assert_eq!(serde_json::to_value(&state).ok(), Some(json!(text)));
        }
        assert!(PrivateLinkState::Creating.is_transition());
        assert!(!PrivateLinkState::Failed.is_transition());
    }

    #[test]
    fn decodes_with_unknown_fields_and_null_config() {
        let v = json!({
            "id": "pl", "name": "n", "region": "AWS_US_EAST_1", "service": "SOURCE_AWS",
            "state": "OK", "config": null, "brand_new_field": 1
        });
        let pl: Result<PrivateLink, _> = serde_json::from_value(v);
        let pl = pl.map_err(|e| e.to_string());
        assert_eq!(pl.as_ref().map(|p| p.config.is_empty()), Ok(true));
        assert_eq!(pl.map(|p| p.host), Ok(None));
    }
}
