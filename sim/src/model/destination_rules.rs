//! Destination request bodies and the rules that look at one request only: required
//! fields, the spec's enums (service, region, time zone, networking method), and the
//! networking method / private link pairing. Rules that need other objects (the group,
//! its destination, the private link) are checked by the route with the store in hand.
//! "Behaviour N" is the numbered list of `../shared/api/fixtures/destinations-groups/README.md`.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::model::catalog::{
    DESTINATION_NETWORKING_METHODS, DESTINATION_SERVICES, REGIONS, TIME_ZONE_OFFSETS,
};
use crate::model::connection_rules::{check_networking, nullable};

/// The region of a destination created without one (behaviour 15 [e2e]: go-fivetran's
/// create e2e sends no region and reads `GCP_US_EAST4`).
pub const DEFAULT_REGION: &str = "GCP_US_EAST4";

/// `run_setup_tests` when a create or update leaves it out: `true`. Evidence: the spec's
/// examples of `POST /v1/destinations` and `PATCH /v1/destinations/{destinationId}` send no
/// `run_setup_tests` and answer `setup_tests`; the official provider's code comment "the
/// run_setup_tests default value is true" (PR #66) for destinations. (Connections default to
/// false: official provider issue #339.)
pub const RUN_SETUP_TESTS_DEFAULT: bool = true;

/// Body of `POST /v1/destinations` (`NewDestinationRequest` plus `config`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRequest {
    pub group_id: Option<String>,
    pub service: Option<String>,
    pub region: Option<String>,
    pub time_zone_offset: Option<String>,
    pub daylight_saving_time_enabled: Option<bool>,
    pub config: Option<Map<String, Value>>,
    pub trust_certificates: Option<bool>,
    pub trust_fingerprints: Option<bool>,
    pub run_setup_tests: Option<bool>,
    pub networking_method: Option<String>,
    pub private_link_id: Option<String>,
    pub proxy_agent_id: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    pub external_secrets_manager_id: Option<String>,
}

/// Body of `PATCH /v1/destinations/{id}` (`UpdateDestinationRequest`). `null` clears the
/// nullable ids.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateRequest {
    pub region: Option<String>,
    pub time_zone_offset: Option<String>,
    pub daylight_saving_time_enabled: Option<bool>,
    pub config: Option<Map<String, Value>>,
    pub trust_certificates: Option<bool>,
    pub trust_fingerprints: Option<bool>,
    pub run_setup_tests: Option<bool>,
    pub networking_method: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub private_link_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub proxy_agent_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub hybrid_deployment_agent_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub external_secrets_manager_id: Option<Option<String>>,
    /// Accepted (the spec's `UpdateDestinationRequest`) and not modelled: no answer shows it.
    #[allow(dead_code)]
    pub external_secrets_keys_config: Option<Value>,
}

/// A create request that passed the one-request rules.
#[derive(Debug)]
pub(crate) struct NewDestination {
    pub group_id: String,
    pub service: String,
    pub region: String,
    pub time_zone_offset: String,
    pub daylight_saving_time_enabled: bool,
    pub networking_method: String,
    pub private_link_id: Option<String>,
    pub proxy_agent_id: Option<String>,
    pub hybrid_deployment_agent_id: Option<String>,
    pub external_secrets_manager_id: Option<String>,
    pub config: Map<String, Value>,
    pub run_setup_tests: bool,
    pub trust_certificates: bool,
    pub trust_fingerprints: bool,
}

/// `Field '<name>' is required`: the spec's examples `invalid_input_group_id` and
/// `invalid_input_service` of `POST /v1/destinations`.
fn required(name: &str, v: Option<String>) -> Result<String, ApiError> {
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid(format!("Field '{name}' is required")))
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

/// An explicit empty region is refused: `400 InvalidInput` "region cannot be empty"
/// (behaviour 15, fixture `destination_create_400_empty_region_tfp.json`); any other value
/// must be in the spec's enum. ASSUMPTION: `PATCH` refuses `""` the same way.
pub(crate) fn check_region(region: &str) -> Result<(), ApiError> {
    if region.is_empty() {
        return Err(ApiError::invalid("region cannot be empty"));
    }
    one_of("region", region, REGIONS)
}

/// The spec's enum of `time_zone_offset`.
pub(crate) fn check_time_zone_offset(tz: &str) -> Result<(), ApiError> {
    one_of("time_zone_offset", tz, TIME_ZONE_OFFSETS)
}

/// The spec's enum of a destination's `networking_method`.
pub(crate) fn check_networking_method(method: &str) -> Result<(), ApiError> {
    one_of("networking_method", method, DESTINATION_NETWORKING_METHODS)
}

/// `""` sent for an id means "none": the API answers unset ids as `""` at times (PR #483's
/// mock), so a client may send back what it read.
fn id(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

impl CreateRequest {
    /// Checks the one-request rules and fills the defaults.
    ///
    /// * `group_id`, `service` required ("Field '…' is required", spec examples);
    ///   `time_zone_offset` required too (the spec's `NewDestinationRequest.required`;
    ///   every recorded create sends it; thin evidence, strict);
    /// * `service` one of [`DESTINATION_SERVICES`], else "Unsupported service '<service>'"
    ///   (the spec's example `service_not_supported`);
    /// * `region` defaults to [`DEFAULT_REGION`], `""` refused ([`check_region`]);
    /// * `networking_method` defaults to `Directly` (behaviour 18 [e2e]);
    /// * `private_link_id` needs `networking_method = PrivateLink` and the reverse, with
    ///   the messages connections answer. ASSUMPTION: no evidence for destinations either
    ///   way (behaviour 22); the simulator is as strict as it is for connections;
    /// * `daylight_saving_time_enabled` defaults to `false`. ASSUMPTION: no evidence
    ///   (behaviour 17; the official provider always sends it, default false);
    /// * `run_setup_tests` defaults to [`RUN_SETUP_TESTS_DEFAULT`]; `trust_*` to false
    ///   (the spec: "The default value is FALSE").
    pub(crate) fn validate(self) -> Result<NewDestination, ApiError> {
        let group_id = required("group_id", self.group_id)?;
        let service = required("service", self.service)?;
        if !DESTINATION_SERVICES.contains(&service.as_str()) {
            return Err(ApiError::invalid(format!(
                "Unsupported service '{service}'"
            )));
        }
        let time_zone_offset = self
            .time_zone_offset
            .ok_or_else(|| ApiError::invalid("Field 'time_zone_offset' is required"))?;
        check_time_zone_offset(&time_zone_offset)?;
        let region = self.region.unwrap_or_else(|| DEFAULT_REGION.to_string());
        check_region(&region)?;
        let networking_method = self
            .networking_method
            .unwrap_or_else(|| "Directly".to_string());
        check_networking_method(&networking_method)?;
        let private_link_id = id(self.private_link_id);
        check_networking(&networking_method, private_link_id.as_deref())?;
        Ok(NewDestination {
            group_id,
            service,
            region,
            time_zone_offset,
            daylight_saving_time_enabled: self.daylight_saving_time_enabled.unwrap_or(false),
            networking_method,
            private_link_id,
            proxy_agent_id: id(self.proxy_agent_id),
            hybrid_deployment_agent_id: id(self.hybrid_deployment_agent_id),
            external_secrets_manager_id: id(self.external_secrets_manager_id),
            config: self.config.unwrap_or_default(),
            run_setup_tests: self.run_setup_tests.unwrap_or(RUN_SETUP_TESTS_DEFAULT),
            trust_certificates: self.trust_certificates.unwrap_or(false),
            trust_fingerprints: self.trust_fingerprints.unwrap_or(false),
        })
    }
}

impl UpdateRequest {
    /// Checks the enums of the fields present. `time_zone_offset` may be left out although
    /// the spec marks it required (behaviour 16: the official provider omits it when
    /// unchanged, and its hybrid-deployment e2e patches only `hybrid_deployment_agent_id`).
    pub(crate) fn check(&self) -> Result<(), ApiError> {
        if let Some(r) = &self.region {
            check_region(r)?;
        }
        if let Some(tz) = &self.time_zone_offset {
            check_time_zone_offset(tz)?;
        }
        if let Some(m) = &self.networking_method {
            check_networking_method(m)?;
        }
        Ok(())
    }
}

/// `id` for the nullable ids of an update (`""` clears like `null`).
pub(crate) fn update_id(v: &Option<Option<String>>) -> Option<Option<String>> {
    v.clone().map(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn create(v: Value) -> Result<NewDestination, ApiError> {
        serde_json::from_value::<CreateRequest>(v)
            .map_err(|e| ApiError::invalid(e.to_string()))?
            .validate()
    }

    fn message(r: Result<NewDestination, ApiError>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn defaults_follow_the_evidence() {
        let d = create(json!({"group_id": "g", "service": "snowflake", "time_zone_offset": "+10"}));
        let Ok(d) = d else { panic!("valid: {d:?}") };
        assert_eq!(d.region, "GCP_US_EAST4");
        assert_eq!(d.networking_method, "Directly");
        assert!(d.run_setup_tests);
        assert!(!d.trust_certificates && !d.daylight_saving_time_enabled);
    }

    #[test]
    fn refuses_what_the_api_refuses() {
        assert_eq!(
            message(create(
                json!({"service": "snowflake", "time_zone_offset": "0"})
            )),
            "Field 'group_id' is required"
        );
        assert_eq!(
            message(create(json!({"group_id": "g", "time_zone_offset": "0"}))),
            "Field 'service' is required"
        );
        assert_eq!(
            message(create(
                json!({"group_id": "g", "service": "nope", "time_zone_offset": "0"})
            )),
            "Unsupported service 'nope'"
        );
        assert_eq!(
            message(create(
                json!({"group_id": "g", "service": "snowflake", "time_zone_offset": "0", "region": ""})
            )),
            "region cannot be empty"
        );
        assert!(create(json!({"group_id": "g", "service": "snowflake"})).is_err());
        assert!(create(
            json!({"group_id": "g", "service": "snowflake", "time_zone_offset": "+13"})
        )
        .is_err());
        assert!(create(json!({"group_id": "g", "service": "snowflake", "time_zone_offset": "0", "networking_method": "UnmanagedPrivateLink", "private_link_id": "pl"})).is_err());
        assert_eq!(
            message(create(
                json!({"group_id": "g", "service": "snowflake", "time_zone_offset": "0", "private_link_id": "pl"})
            )),
            "Networking method must be PrivateLink in order to set private_link_id"
        );
        assert!(create(json!({"group_id": "g", "service": "snowflake", "time_zone_offset": "0", "networking_method": "PrivateLink"})).is_err());
    }

    #[test]
    fn an_update_may_leave_out_the_time_zone() {
        let u: UpdateRequest =
            serde_json::from_value(json!({"region": "GCP_US_WEST1"})).unwrap_or_default();
        assert!(u.check().is_ok());
        let u: UpdateRequest = serde_json::from_value(json!({"region": ""})).unwrap_or_default();
        assert!(u.check().is_err());
        let u: UpdateRequest =
            serde_json::from_value(json!({"private_link_id": ""})).unwrap_or_default();
        assert_eq!(update_id(&u.private_link_id), Some(None));
    }
}
