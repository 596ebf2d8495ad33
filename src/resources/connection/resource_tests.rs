//! `fivetran_connection` without Terraform: states built from API answers (import,
//! refresh), and a create whose answer was lost adopting what it made.

use fivetran_sim::{FaultKind, SimConfig, SimServer};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::*;
use crate::client::test_support::{new_connection, op, start};
use crate::protocol::Value;

fn api_connection(config: serde_json::Value) -> Connection {
    serde_json::from_value(json!({
        "id": "c1", "group_id": "g", "service": "postgres", "schema": "sales", "paused": false,
        "sync_frequency": 360, "schedule_type": "auto", "networking_method": "Directly",
        "status": {"setup_state": "connected", "sync_state": "scheduled"},
        "config": config
    }))
    .expect("a connection")
}

fn imported() -> ConnectionModel {
    ConnectionModel {
        id: "c1".into(),
        ..ConnectionModel::default()
    }
}

#[test]
fn an_import_fills_the_arguments_a_user_would_write() {
    let conn = api_connection(json!({"schema": "Sales", "host": "db", "password": "******"}));
    let s = state_from(&conn, &imported(), Snapshot::Keep);
    assert_eq!(s.schema.as_deref(), Some("Sales"));
    assert_eq!(s.group_id.as_deref(), Some("g"));
    assert_eq!(s.paused, Attr::Known(false));
    assert_eq!(
        config::to_json(s.config.value()).ok(),
        Some(json!({"host": "db"}))
    );
}

#[test]
fn a_refresh_keeps_the_snapshot_and_the_prior_spelling() {
    let conn = api_connection(json!({"schema": "Sales", "host": "db"}));
    let mut prior = state_from(&conn, &imported(), Snapshot::Keep);
    prior.paused = true.into();
    prior.schema = "SALES".into();
    let s = state_from(&conn, &prior, Snapshot::Keep);
    assert_eq!(s.paused, Attr::Known(true));
    assert_eq!(s.schema.as_deref(), Some("SALES"));
}

#[test]
fn an_import_without_naming_keys_splits_the_schema() {
    let mut conn = api_connection(json!({}));
    conn.schema = "s.t".into();
    let s = state_from(&conn, &imported(), Snapshot::Keep);
    assert_eq!(s.schema.as_deref(), Some("s"));
    assert_eq!(s.table.as_deref(), Some("t"));
}

fn planned(group: &str, service: &str) -> ConnectionModel {
    let cfg = Value::object([("host", Value::from("db"))]);
    ConnectionModel {
        group_id: group.into(),
        service: service.into(),
        schema_prefix: "Sales_DB".into(),
        config: Raw(Value::Dynamic(
            cfg.infer_type().expect("known"),
            Box::new(cfg),
        )),
        ..ConnectionModel::default()
    }
}

/// The connection a POST made although its answer was lost (a 500 the client does not
/// retry, since a create is not repeatable), then the create run again by Terraform.
async fn create_after_a_lost_answer(
    service: &str,
) -> (
    SimServer,
    Result<Outcome<ConnectionModel>, Diagnostics>,
    String,
) {
    let (sim, client) = start(SimConfig::instant());
    let made = client
        .create_connection(
            &op("the first, interrupted create"),
            &new_connection(sim.group_id(), "sales_db", json!({"host": "db"})),
        )
        .await
        .expect("created");
    sim.admin()
        .script_fault(Some("POST /v1/connections"), FaultKind::Error500, 1);
    let configured = Configured { api: client };
    let ctx = OpContext {
        client: &configured,
        cancel: CancellationToken::new(),
        private: Default::default(),
    };
    let planned = planned(sim.group_id(), service);
    let outcome = ConnectionResource.create(&ctx, &planned, &planned).await;
    (sim, outcome, made.id)
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_adopts_the_connection_it_made() {
    let (sim, outcome, made) = create_after_a_lost_answer("postgres").await;
    let outcome = outcome.expect("created or adopted");
    assert!(
        !outcome.diagnostics.has_errors(),
        "{:?}",
        outcome.diagnostics
    );
    let state = outcome.state.expect("a state");
    assert_eq!(state.id.get(), Some(&made));
    assert_eq!(state.schema_prefix.as_deref(), Some("Sales_DB"));
    let count = sim.admin().inventory()["connections"]
        .as_array()
        .map(Vec::len);
    assert_eq!(count, Some(1), "no duplicate");
}

#[tokio::test]
async fn a_lost_answer_never_adopts_another_service_s_connection() {
    let (_sim, outcome, _) = create_after_a_lost_answer("mysql").await;
    let refused = outcome.expect_err("nothing adopted, nothing recorded");
    assert!(refused.has_errors());
}
