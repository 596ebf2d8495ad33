//! From Terraform values to connection requests: the create body (always paused, no setup
//! tests) and the PATCH body with only what changed. Values here are known: they come from
//! the planned state and the apply-time configuration.

use serde_json::{Map, Value as Json};

use crate::client::{ConnectionUpdate, NewConnection};
use crate::framework::model::{attr, boolean, string, string_map};
use crate::protocol::{AttributePath, Diagnostics, Value};

use super::connection_config::{all_entries, changed_entries, SCHEMA_KEYS};

fn config_error(detail: String) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.attribute_error(
        AttributePath::root("config"),
        "Cannot Send the Connection Config",
        format!("{detail}. This is a bug in the provider if the value was known at apply; please report it."),
    );
    d
}

fn number(v: &Value, name: &str) -> Option<u32> {
    attr(v, name)
        .as_number()
        .and_then(|n| n.as_i64())
        .and_then(|n| u32::try_from(n).ok())
}

/// The destination schema name Fivetran derives from the naming arguments (lower-cased
/// `schema_prefix`, else `schema` or `schema.table`), to find a connection by it.
pub fn api_schema_name(planned: &Value) -> Option<String> {
    let get = |k: &str| string(planned, k);
    let name = match (
        get("schema_prefix"),
        get("schema"),
        get("table").or(get("table_group_name")),
    ) {
        (Some(p), _, _) => p,
        (None, Some(s), Some(t)) => format!("{s}.{t}"),
        (None, Some(s), None) => s,
        (None, None, _) => return None,
    };
    Some(name.to_ascii_lowercase())
}

/// `POST /connections`: paused, without setup tests, with the visible config, the schema
/// naming, and both kinds of secrets merged in.
pub fn new_connection(planned: &Value, config: &Value) -> Result<NewConnection, Diagnostics> {
    let mut merged = all_entries(attr(planned, "config")).map_err(config_error)?;
    for key in SCHEMA_KEYS {
        if let Some(v) = string(planned, key) {
            merged.insert((*key).to_string(), Json::String(v));
        }
    }
    merge_secrets(&mut merged, string_map(planned, "config_secrets"));
    merge_secrets(&mut merged, string_map(config, "config_secrets_wo"));
    Ok(NewConnection {
        group_id: string(planned, "group_id").unwrap_or_default(),
        service: string(planned, "service").unwrap_or_default(),
        config: Some(merged),
        paused: Some(true),
        run_setup_tests: Some(false),
        trust_certificates: boolean(planned, "trust_certificates"),
        trust_fingerprints: boolean(planned, "trust_fingerprints"),
        sync_frequency: number(planned, "sync_frequency"),
        schedule_type: string(planned, "schedule_type"),
        daily_sync_time: string(planned, "daily_sync_time"),
        networking_method: string(planned, "networking_method"),
        private_link_id: string(planned, "private_link_id"),
        proxy_agent_id: string(planned, "proxy_agent_id"),
        hybrid_deployment_agent_id: string(planned, "hybrid_deployment_agent_id"),
        ..NewConnection::default()
    })
}

fn merge_secrets(
    into: &mut Map<String, Json>,
    secrets: Option<std::collections::BTreeMap<String, String>>,
) {
    for (k, v) in secrets.into_iter().flatten() {
        into.insert(k, Json::String(v));
    }
}

/// `PATCH /connections/{id}` with what differs between `prior` and `planned`, or `None`
/// when nothing the API stores changed. Write-only secrets (from `config`) are sent when
/// `config_secrets_wo_version` changed.
pub fn update(
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> Result<Option<ConnectionUpdate>, Diagnostics> {
    let mut u = ConnectionUpdate::default();
    let mut cfg =
        changed_entries(attr(prior, "config"), attr(planned, "config")).map_err(config_error)?;
    let before = string_map(prior, "config_secrets").unwrap_or_default();
    for (k, v) in string_map(planned, "config_secrets").unwrap_or_default() {
        if before.get(&k) != Some(&v) {
            cfg.insert(k, Json::String(v));
        }
    }
    if attr(prior, "config_secrets_wo_version") != attr(planned, "config_secrets_wo_version") {
        merge_secrets(&mut cfg, string_map(config, "config_secrets_wo"));
    }
    if !cfg.is_empty() {
        u.config = Some(cfg);
    }
    let changed =
        |name: &str| attr(prior, name) != attr(planned, name) && !attr(planned, name).is_unknown();
    if changed("sync_frequency") {
        u.sync_frequency = number(planned, "sync_frequency");
    }
    if changed("schedule_type") {
        u.schedule_type = string(planned, "schedule_type");
    }
    // No null is ever sent: the spec's UpdateConnectorRequest declares none of these
    // fields nullable. A removed `private_link_id` or `proxy_agent_id` goes with a new
    // `networking_method` (planned by `modify_plan`), which is how the API drops them; a
    // removal the API cannot express is refused at plan (see `unclearable_removals`).
    if changed("daily_sync_time") {
        u.daily_sync_time = string(planned, "daily_sync_time").map(Some);
    }
    if changed("networking_method") {
        u.networking_method = string(planned, "networking_method");
    }
    if changed("private_link_id") {
        u.private_link_id = string(planned, "private_link_id").map(Some);
    }
    if changed("proxy_agent_id") {
        u.proxy_agent_id = string(planned, "proxy_agent_id").map(Some);
    }
    if changed("hybrid_deployment_agent_id") {
        u.hybrid_deployment_agent_id = string(planned, "hybrid_deployment_agent_id").map(Some);
    }
    if u == ConnectionUpdate::default() {
        return Ok(None);
    }
    // The gate runs the setup tests; an update never does (and trust flags alone are refused).
    u.run_setup_tests = Some(false);
    u.trust_certificates = boolean(planned, "trust_certificates");
    u.trust_fingerprints = boolean(planned, "trust_fingerprints");
    Ok(Some(u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::{null_object, set};
    use std::collections::BTreeMap;

    fn base() -> Value {
        let mut v = null_object(&super::super::connection_schema::schema().block);
        set(&mut v, "group_id", Value::from("g"));
        set(&mut v, "service", Value::from("postgres"));
        set(&mut v, "schema_prefix", Value::from("Sales_DB"));
        let cfg = Value::object([("host", Value::from("db")), ("port", Value::from(5432))]);
        set(
            &mut v,
            "config",
            Value::Dynamic(cfg.infer_type().expect("known"), Box::new(cfg)),
        );
        let secrets = BTreeMap::from([("password".to_string(), Value::from("pw"))]);
        set(&mut v, "config_secrets", Value::Map(secrets));
        v
    }

    fn with_wo(v: &Value, secret: &str) -> Value {
        let mut c = v.clone();
        let wo = BTreeMap::from([("client_secret".to_string(), Value::from(secret))]);
        set(&mut c, "config_secrets_wo", Value::Map(wo));
        c
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
        assert_eq!(api_schema_name(&base()).as_deref(), Some("sales_db"));
    }

    #[test]
    fn update_sends_only_what_changed() {
        assert_eq!(update(&base(), &base(), &base()).expect("known"), None);
        let mut next = base();
        set(&mut next, "sync_frequency", Value::from(60));
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
        let mut prior = base();
        set(&mut prior, "networking_method", Value::from("PrivateLink"));
        set(&mut prior, "private_link_id", Value::from("pl_1"));
        set(&mut prior, "daily_sync_time", Value::from("03:00"));
        let mut next = base();
        set(&mut next, "networking_method", Value::from("Directly"));
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
        let mut next = base();
        set(&mut next, "config_secrets_wo_version", Value::from(2));
        let u = update(&prior, &next, &config)
            .expect("known")
            .expect("a change");
        assert_eq!(
            u.config.map(|c| c.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["client_secret".to_string()])
        );
    }
}
