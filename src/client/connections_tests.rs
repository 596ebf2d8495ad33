//! Connection calls against the simulator: life cycle, setup tests, filters, pages and
//! the API's refusals.

use fivetran_sim::SimConfig;
use serde_json::json;

use super::super::test_support::{new_connection, op, start, start_with};
use super::super::{ConnectionUpdate, Error, SetupState, SetupTestStatus};
use crate::client::Connection;

#[tokio::test]
async fn create_read_list_update_test_delete() {
    let (sim, client) = start(SimConfig::instant());
    let group = sim.group_id().to_string();
    let op = op("creating connection \"sales\"");
    let mut new = new_connection(
        &group,
        "sales",
        json!({"host": "db.example.com", "password": "hunter2"}),
    );
    new.sync_frequency = Some(360);
    new.trust_certificates = Some(true);
    let created = client.create_connection(&op, &new).await.expect("created");
    assert_eq!(
        (created.group_id.as_str(), created.schema.as_str()),
        (group.as_str(), "sales")
    );
    assert!(created.paused);
    assert_eq!(created.status.setup_state, Some(SetupState::Incomplete));
    assert_eq!(created.config.get("password"), Some(&json!("******")));
    assert_eq!(created.networking_method.as_deref(), Some("Directly"));
    assert!(created.connected_by.is_some() && created.created_at.is_some());

    let read = client.connection(&op, &created.id).await.expect("read");
    assert_eq!(read.id, created.id);
    assert_eq!(read.sync_frequency, Some(360));

    let tested = client
        .run_setup_tests::<Connection>(&op, &created.id, Some(true), None)
        .await
        .expect("tests");
    assert!(!tested.setup_tests.is_empty());
    assert!(
        tested
            .setup_tests
            .iter()
            .all(|t| t.status == SetupTestStatus::Passed),
        "{:?}",
        tested.setup_tests
    );
    assert_eq!(tested.status.setup_state, Some(SetupState::Connected));

    let update = ConnectionUpdate {
        paused: Some(false),
        sync_frequency: Some(60),
        ..ConnectionUpdate::default()
    };
    let updated = client
        .update_connection(&op, &created.id, &update)
        .await
        .expect("updated");
    assert!(!updated.paused);
    assert_eq!(updated.sync_frequency, Some(60));

    client
        .create_connection(&op, &new_connection(&group, "other", json!({})))
        .await
        .expect("second");
    let all = client.connections(&op, &group, None).await.expect("list");
    assert_eq!(all.len(), 2);
    let one = client
        .connections(&op, &group, Some("sales"))
        .await
        .expect("filtered");
    assert_eq!(
        one.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str()]
    );

    client
        .delete_connection(&op, &created.id)
        .await
        .expect("deleted");
    let gone = client.connection(&op, &created.id).await.expect_err("gone");
    assert!(gone.is_not_found());
    // Connection 404 codes vary (reference doc 3.6): any `NotFound*` code is "gone".
    assert_eq!(gone.code(), Some("NotFound_Connector"));
}

#[tokio::test]
async fn connections_are_listed_across_pages() {
    let (sim, client) = start_with(SimConfig::instant(), |c| c.page_size = 2);
    let op = op("listing connections");
    for i in 0..5 {
        let new = new_connection(sim.group_id(), &format!("s{i}"), json!({}));
        client.create_connection(&op, &new).await.expect("created");
    }
    sim.admin().reset_counters();
    assert_eq!(
        client
            .connections(&op, sim.group_id(), None)
            .await
            .expect("list")
            .len(),
        5
    );
    assert_eq!(sim.admin().count("GET /v1/connections"), 3);
}

#[tokio::test]
async fn refusals_are_typed() {
    let (sim, client) = start(SimConfig::instant());
    let op = op("creating connection \"sales\"");
    let new = new_connection(sim.group_id(), "sales", json!({}));
    client.create_connection(&op, &new).await.expect("created");
    let dup = client.create_connection(&op, &new).await;
    assert!(matches!(dup, Err(Error::Conflict { .. })), "{dup:?}");

    let mut wrong = new_connection(sim.group_id(), "linked", json!({}));
    wrong.private_link_id = Some("some_link".into());
    let err = client
        .create_connection(&op, &wrong)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("Networking method must be PrivateLink"),
        "{err}"
    );

    let orphan = new_connection("no_such_group", "x", json!({}));
    let err = client
        .create_connection(&op, &orphan)
        .await
        .expect_err("404");
    assert!(err.is_not_found(), "{err:?}");

    let err = client
        .update_connection(&op, "nope", &ConnectionUpdate::default())
        .await
        .err();
    assert!(err.is_some_and(|e| e.is_not_found()));
}
