//! From the typed model to connection requests: the create body (always paused, no setup
//! tests) and the PATCH body with only what changed. Values here are known: they come from
//! the planned state and the apply-time configuration.

use serde_json::Value as Json;

use crate::client::{ConnectionUpdate, NewConnection};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};
use crate::resources::common::config_args;

use super::model::{ConnectionModel, Naming};

/// The API config keys that the naming arguments fill (`config.schema` and so on): this
/// provider has top-level arguments for them, so they are neither written in nor read into
/// `config`.
pub const SCHEMA_KEYS: &[&str] = &["schema", "schema_prefix", "table", "table_group_name"];

fn config_error(detail: String) -> Diagnostics {
    Diagnostic::error(
        "Cannot Send the Connection Config",
        format!("{detail}. This is a bug in the provider if the value was known at apply; please report it."),
    )
    .at(AttributePath::root("config"))
    .into()
}

/// The naming arguments as API config entries.
fn naming_entries(naming: Naming<'_>) -> impl Iterator<Item = (&'static str, &str)> {
    SCHEMA_KEYS
        .iter()
        .copied()
        .zip([
            naming.schema,
            naming.schema_prefix,
            naming.table,
            naming.table_group_name,
        ])
        .filter_map(|(k, v)| v.map(|v| (k, v)))
}

/// `POST /connections`: paused, without setup tests, with the visible config, the schema
/// naming, and both kinds of secrets merged in.
pub fn new_connection(
    planned: &ConnectionModel,
    config: &ConnectionModel,
) -> Result<NewConnection, Diagnostics> {
    let mut merged = config_args::for_create(planned.config_args(), config.config_args())
        .map_err(config_error)?;
    for (k, v) in naming_entries(planned.naming()) {
        merged.insert(k.to_string(), Json::String(v.to_string()));
    }
    Ok(NewConnection {
        group_id: planned.group_id.require("group_id")?.clone(),
        service: planned.service.require("service")?.clone(),
        config: Some(merged),
        paused: Some(true),
        run_setup_tests: Some(false),
        trust_certificates: planned.trust_certificates.get().copied(),
        trust_fingerprints: planned.trust_fingerprints.get().copied(),
        sync_frequency: planned.sync_frequency_minutes(),
        schedule_type: planned.schedule_type.get().cloned(),
        daily_sync_time: planned.daily_sync_time.get().cloned(),
        networking_method: planned.networking_method.get().cloned(),
        private_link_id: planned.private_link_id.get().cloned(),
        proxy_agent_id: planned.proxy_agent_id.get().cloned(),
        hybrid_deployment_agent_id: planned.hybrid_deployment_agent_id.get().cloned(),
        ..NewConnection::default()
    })
}

/// `PATCH /connections/{id}` with what differs between `prior` and `planned`, or `None`
/// when nothing the API stores changed. Write-only secrets (from `config`) are sent when
/// `config_secrets_wo_version` changed.
pub fn update(
    prior: &ConnectionModel,
    planned: &ConnectionModel,
    config: &ConnectionModel,
) -> Result<Option<ConnectionUpdate>, Diagnostics> {
    let mut u = ConnectionUpdate::default();
    let cfg = config_args::changes(
        prior.config_args(),
        planned.config_args(),
        config.config_args(),
    )
    .map_err(config_error)?;
    if !cfg.is_empty() {
        u.config = Some(cfg);
    }
    // A change is sent only once its value is known (never as unknown, never as null: the
    // spec's UpdateConnectorRequest declares none of these fields nullable). A removed
    // `private_link_id` or `proxy_agent_id` goes with a new `networking_method` (planned by
    // `modify_plan`), which is how the API drops them; a removal the API cannot express is
    // refused at plan (see `unclearable_removals`).
    fn changed<T: PartialEq + Clone>(
        prior: &crate::framework::typed::Attr<T>,
        planned: &crate::framework::typed::Attr<T>,
    ) -> Option<T> {
        (prior != planned).then(|| planned.get().cloned()).flatten()
    }
    if prior.sync_frequency != planned.sync_frequency && planned.sync_frequency.is_known() {
        u.sync_frequency = planned.sync_frequency_minutes();
    }
    u.schedule_type = changed(&prior.schedule_type, &planned.schedule_type);
    u.daily_sync_time = changed(&prior.daily_sync_time, &planned.daily_sync_time).map(Some);
    u.networking_method = changed(&prior.networking_method, &planned.networking_method);
    u.private_link_id = changed(&prior.private_link_id, &planned.private_link_id).map(Some);
    u.proxy_agent_id = changed(&prior.proxy_agent_id, &planned.proxy_agent_id).map(Some);
    u.hybrid_deployment_agent_id = changed(
        &prior.hybrid_deployment_agent_id,
        &planned.hybrid_deployment_agent_id,
    )
    .map(Some);
    if u == ConnectionUpdate::default() {
        return Ok(None);
    }
    // The gate runs the setup tests; an update never does (and trust flags alone are refused).
    u.run_setup_tests = Some(false);
    u.trust_certificates = planned.trust_certificates.get().copied();
    u.trust_fingerprints = planned.trust_fingerprints.get().copied();
    Ok(Some(u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::{Attr, Raw};
    use crate::protocol::Value;
    use std::collections::BTreeMap;

    fn base() -> ConnectionModel {
        let cfg = Value::object([("host", Value::from("db")), ("port", Value::from(5432))]);
        ConnectionModel {
            group_id: "g".into(),
            service: "postgres".into(),
            schema_prefix: "Sales_DB".into(),
            config: Raw(Value::Dynamic(
                cfg.infer_type().expect("known"),
                Box::new(cfg),
            )),
            config_secrets: BTreeMap::from([("password".to_string(), Attr::from("pw"))]).into(),
            ..ConnectionModel::default()
        }
    }

    fn with_wo(v: &ConnectionModel, secret: &str) -> ConnectionModel {
        ConnectionModel {
            config_secrets_wo: BTreeMap::from([("client_secret".to_string(), Attr::from(secret))])
                .into(),
            ..v.clone()
        }
    }

    #[test]
    fn create_is_paused_without_tests_and_carries_every_secret() {
        let req = new_connection(&base(), &with_wo(&base(), "wo")).expect("known");
        assert_eq!((req.paused, req.run_setup_tests), (Some(true), Some(false)));
        let cfg = serde_json::to_value(req.config).expect("json");
        assert_eq!(
            cfg,
            serde_json::json!({"host": "db", "port": 5432, "schema_prefix": "Sales_DB",
                "password": "pw", "client_secret": "wo"})
        );
        assert_eq!(
            base().naming().api_schema_name().as_deref(),
            Some("sales_db")
        );
    }

    #[test]
    fn update_sends_only_what_changed() {
        assert_eq!(update(&base(), &base(), &base()).expect("known"), None);
        let next = ConnectionModel {
            sync_frequency: Attr::Known(60.into()),
            ..base()
        };
        let u = update(&base(), &next, &next)
            .expect("known")
            .expect("a change");
        assert_eq!(
            serde_json::to_value(&u).expect("json"),
            serde_json::json!({"sync_frequency": 60, "run_setup_tests": false})
        );
    }

    #[test]
    fn an_update_never_sends_null() {
        // UpdateConnectorRequest declares no field nullable: dropping the private link is
        // sent as the new networking method alone.
        let prior = ConnectionModel {
            networking_method: "PrivateLink".into(),
            private_link_id: "pl_1".into(),
            daily_sync_time: "03:00".into(),
            ..base()
        };
        let next = ConnectionModel {
            networking_method: "Directly".into(),
            ..base()
        };
        let u = update(&prior, &next, &next)
            .expect("known")
            .expect("a change");
        let sent = serde_json::to_value(&u).expect("json");
        assert_eq!(
            sent,
            serde_json::json!({"networking_method": "Directly", "run_setup_tests": false})
        );
    }

    #[test]
    fn write_only_secrets_go_again_only_with_a_new_version() {
        let prior = base();
        let config = with_wo(&base(), "rotated");
        assert_eq!(update(&prior, &base(), &config).expect("known"), None);
        let next = ConnectionModel {
            config_secrets_wo_version: Attr::Known(2.into()),
            ..base()
        };
        let u = update(&prior, &next, &config)
            .expect("known")
            .expect("a change");
        assert_eq!(
            u.config.map(|c| c.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["client_secret".to_string()])
        );
    }
}
