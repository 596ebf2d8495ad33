//! From the typed model to destination requests: the create body (never running the setup
//! tests: the gate does) and the PATCH body with only what changed. Values here are known:
//! they come from the planned state and the apply-time configuration.

use crate::client::{DestinationUpdate, NewDestination};
use crate::framework::typed::Attr;
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};
use crate::resources::common::config_args;

use super::model::DestinationModel;

fn config_error(detail: String) -> Diagnostics {
    Diagnostic::error(
        "Cannot Send the Destination Config",
        format!("{detail}. This is a bug in the provider if the value was known at apply; please report it."),
    )
    .at(AttributePath::root("config"))
    .into()
}

/// `POST /destinations`: without setup tests, with the visible config and both kinds of
/// secrets merged in. Arguments left out are Fivetran's to default.
pub fn new_destination(
    planned: &DestinationModel,
    config: &DestinationModel,
) -> Result<NewDestination, Diagnostics> {
    let merged = config_args::for_create(planned.config_args(), config.config_args())
        .map_err(config_error)?;
    Ok(NewDestination {
        group_id: planned.group_id.require("group_id")?.clone(),
        service: planned.service.require("service")?.clone(),
        settings: DestinationUpdate {
            region: planned.region.get().cloned(),
            time_zone_offset: planned.time_zone_offset.get().cloned(),
            daylight_saving_time_enabled: planned.daylight_saving_time_enabled.get().copied(),
            config: Some(merged),
            run_setup_tests: Some(false),
            networking_method: planned.networking_method.get().cloned(),
            private_link_id: planned.private_link_id.get().cloned(),
            proxy_agent_id: planned.proxy_agent_id.get().cloned(),
            hybrid_deployment_agent_id: planned.hybrid_deployment_agent_id.get().cloned(),
            ..DestinationUpdate::default()
        },
    })
}

/// The planned value when it differs from the prior one and is known (a change is never
/// sent as unknown, nor as null: `UpdateDestinationRequest` declares no field nullable).
fn changed<T: PartialEq + Clone>(prior: &Attr<T>, planned: &Attr<T>) -> Option<T> {
    (prior != planned).then(|| planned.get().cloned()).flatten()
}

/// `PATCH /destinations/{id}` with what differs between `prior` and `planned`, or `None`
/// when nothing the API stores changed. `time_zone_offset` goes only when it changed: the
/// spec marks it required on PATCH, the real API takes a PATCH without it (the official
/// provider's hybrid-deployment end-to-end test sends one).
pub fn update(
    prior: &DestinationModel,
    planned: &DestinationModel,
    config: &DestinationModel,
) -> Result<Option<DestinationUpdate>, Diagnostics> {
    let cfg = config_args::changes(
        prior.config_args(),
        planned.config_args(),
        config.config_args(),
    )
    .map_err(config_error)?;
    let u = DestinationUpdate {
        config: (!cfg.is_empty()).then_some(cfg),
        region: changed(&prior.region, &planned.region),
        time_zone_offset: changed(&prior.time_zone_offset, &planned.time_zone_offset),
        daylight_saving_time_enabled: changed(
            &prior.daylight_saving_time_enabled,
            &planned.daylight_saving_time_enabled,
        ),
        networking_method: changed(&prior.networking_method, &planned.networking_method),
        private_link_id: changed(&prior.private_link_id, &planned.private_link_id),
        proxy_agent_id: changed(&prior.proxy_agent_id, &planned.proxy_agent_id),
        hybrid_deployment_agent_id: changed(
            &prior.hybrid_deployment_agent_id,
            &planned.hybrid_deployment_agent_id,
        ),
        ..DestinationUpdate::default()
    };
    if u == DestinationUpdate::default() {
        return Ok(None);
    }
    Ok(Some(DestinationUpdate {
        // The gate runs the setup tests; an update never does.
        run_setup_tests: Some(false),
        ..u
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::Raw;
    use crate::protocol::Value;
    use std::collections::BTreeMap;

    fn base() -> DestinationModel {
        let cfg = Value::object([
            ("host", Value::from("acme.snowflakecomputing.com")),
            ("port", Value::from(443)),
        ]);
        DestinationModel {
            group_id: "g".into(),
            service: "snowflake".into(),
            time_zone_offset: "0".into(),
            config: Raw(Value::Dynamic(
                cfg.infer_type().expect("known"),
                Box::new(cfg),
            )),
            config_secrets: BTreeMap::from([("password".to_string(), Attr::from("pw"))]).into(),
            ..DestinationModel::default()
        }
    }

    #[test]
    fn create_runs_no_tests_and_leaves_unset_arguments_to_fivetran() {
        let req = new_destination(&base(), &base()).expect("known");
        let sent = serde_json::to_value(&req).expect("json");
        assert_eq!(
            sent,
            serde_json::json!({
                "group_id": "g", "service": "snowflake", "time_zone_offset": "0",
                "run_setup_tests": false,
                "config": {"host": "acme.snowflakecomputing.com", "port": 443, "password": "pw"}
            })
        );
    }

    #[test]
    fn update_sends_only_what_changed_and_never_null() {
        assert_eq!(update(&base(), &base(), &base()).expect("known"), None);
        let prior = DestinationModel {
            networking_method: "PrivateLink".into(),
            private_link_id: "pl_1".into(),
            region: "AWS_US_EAST_1".into(),
            ..base()
        };
        let next = DestinationModel {
            networking_method: "Directly".into(),
            region: "AWS_US_WEST_2".into(),
            ..base()
        };
        let u = update(&prior, &next, &next)
            .expect("known")
            .expect("a change");
        assert_eq!(
            serde_json::to_value(&u).expect("json"),
            serde_json::json!({"region": "AWS_US_WEST_2", "networking_method": "Directly",
                "run_setup_tests": false})
        );
    }
}
