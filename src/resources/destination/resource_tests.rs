//! The destination's state rules on answers shaped like the fixtures in
//! `../shared/api/fixtures/destinations-groups/` (cited per test).

use super::*;
use crate::framework::Private;
use crate::protocol::Value;

fn answer(json: serde_json::Value) -> Destination {
    serde_json::from_value(json).expect("a destination")
}

/// A Databricks destination on a private link, as configured.
fn planned() -> DestinationModel {
    let cfg = Value::object([
        ("server_host_name", Value::from("adb-1.azuredatabricks.net")),
        ("cloud_provider", Value::from("AZURE")),
        ("port", Value::from(443)),
        ("connection_type", Value::from("PrivateLink")),
    ]);
    DestinationModel {
        group_id: "grp".into(),
        service: "databricks".into(),
        time_zone_offset: "0".into(),
        region: Attr::Unknown,
        networking_method: "PrivateLink".into(),
        private_link_id: "pl_1".into(),
        daylight_saving_time_enabled: Attr::Unknown,
        config: Raw(Value::Dynamic(
            cfg.infer_type().expect("known"),
            Box::new(cfg),
        )),
        setup_status: Attr::Unknown,
        ..DestinationModel::default()
    }
}

/// The create answer of `reconstructed_destination_create_databricks_private_link_pr483.json`
/// in substance: host replaced by the endpoint, cloud changed, port as text, enum upper case,
/// networking answered `Directly` with an empty link, status lower case, region defaulted.
fn rewritten() -> Destination {
    answer(serde_json::json!({
        "id": "grp", "group_id": "grp", "service": "databricks", "region": "GCP_US_EAST4",
        "time_zone_offset": "0", "daylight_saving_time_enabled": false,
        "setup_status": "incomplete", "networking_method": "Directly", "private_link_id": "",
        "config": {
            "server_host_name": "pls-prod-fivetran-eastus-pls-1.eastus.azure.fivetran.com",
            "cloud_provider": "AWS", "port": "443", "connection_type": "PRIVATE_LINK",
            "personal_access_token": "******"
        }
    }))
}

#[test]
fn after_a_write_the_plan_is_kept_and_fivetran_fills_what_it_left_open() {
    let state = after_write(&rewritten(), &planned());
    assert_eq!(state.id, Attr::from("grp"));
    assert_eq!(
        state.region,
        Attr::from("GCP_US_EAST4"),
        "defaulted by Fivetran"
    );
    assert_eq!(state.daylight_saving_time_enabled, Attr::Known(false));
    assert_eq!(
        state.networking_method,
        Attr::from("PrivateLink"),
        "as sent"
    );
    assert_eq!(
        state.private_link_id,
        Attr::from("pl_1"),
        "never taken from nothing"
    );
    assert_eq!(state.config, planned().config);
    assert_eq!(state.setup_status, Attr::from("incomplete"));
}

#[test]
fn rewritten_values_are_not_drift_but_a_later_change_is() {
    let d = rewritten();
    let state = after_write(&d, &planned());
    let private = answered(&d, &planned()).into_private(&Private::default());
    let remembered = Answered::from_private(&Private::from_bytes(&private.to_bytes()));
    assert_eq!(refreshed(&d, &state, &remembered), state, "plans empty");
    // The test answer leaves out networking fields (fixture
    // destination_setup_tests_private_link_tfp_200.json): still no drift.
    let mut sparse = d.clone();
    sparse.networking_method = None;
    sparse.private_link_id = None;
    assert_eq!(refreshed(&sparse, &state, &remembered), state);
    // Changed in Fivetran afterwards: shows.
    let mut moved = d.clone();
    moved.region = Some("AWS_US_WEST_2".into());
    moved.config.insert(
        "server_host_name".into(),
        serde_json::json!("elsewhere.example.com"),
    );
    let fresh = refreshed(&moved, &state, &remembered);
    assert_eq!(fresh.region, Attr::from("AWS_US_WEST_2"));
    assert_ne!(fresh.config, state.config);
    // Without the remembered answer (state written by an older version), the rewrites
    // would show: the record is what makes them quiet.
    assert_ne!(refreshed(&d, &state, &Answered::default()), state);
}

#[test]
fn an_import_takes_every_value_fivetran_shows() {
    let current = DestinationModel {
        id: "grp".into(),
        ..DestinationModel::default()
    };
    let state = refreshed(&rewritten(), &current, &Answered::default());
    assert_eq!(state.group_id, Attr::from("grp"));
    assert_eq!(state.service, Attr::from("databricks"));
    assert_eq!(state.networking_method, Attr::from("Directly"));
    assert_eq!(state.setup_status, Attr::from("incomplete"));
    let cfg = state.config.value();
    assert!(
        cfg.get("personal_access_token").is_none(),
        "masked values are left out"
    );
    assert_eq!(
        cfg.get("port").and_then(|v| v.as_str().map(str::to_string)),
        Some("443".to_string())
    );
}

#[test]
fn only_values_answered_otherwise_than_sent_are_contradictions() {
    let found = contradictions(&rewritten(), &planned());
    assert_eq!(
        found,
        ["networking_method: sent \"PrivateLink\", answered \"Directly\""]
    );
    let mut unmanaged = rewritten();
    unmanaged.networking_method = Some("UnmanagedPrivateLink".into());
    unmanaged.private_link_id = Some("pl_1".into());
    assert!(contradictions(&unmanaged, &planned()).is_empty());
}

#[test]
fn the_refused_delete_names_each_connection() {
    let conns: Vec<Connection> = serde_json::from_value(serde_json::json!([
        {"id": "c1", "group_id": "grp", "service": "postgres", "schema": "orders",
         "paused": true, "status": {}},
        {"id": "c2", "group_id": "grp", "service": "fivetran_log", "schema": "fivetran_metadata",
         "paused": false, "status": {}}
    ]))
    .expect("connections");
    let text = connection_lines(&conns);
    assert!(text.contains("- orders (postgres, id c1)\n"), "{text}");
    assert!(
        text.contains("fivetran_metadata (fivetran_log, id c2) (Fivetran may have created"),
        "{text}"
    );
}
