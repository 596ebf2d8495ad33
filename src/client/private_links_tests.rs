//! Private-link calls against the simulator: the whole life cycle with waits, failure,
//! pagination, and the API's refusals.

use std::time::Duration;

use fivetran_sim::{DurationRange, Faults, SimConfig};
use tokio_util::sync::CancellationToken;

use super::super::test_support::{config_for, new_link, op, start, start_with, timed, wait_for};
use super::super::{Client, Error, Op, PrivateLinkState, WaitError};

fn quick_transitions() -> SimConfig {
    let mut c = SimConfig::default();
    c.knobs.provisioning = DurationRange::fixed(Duration::from_millis(200));
    c.knobs.update = DurationRange::fixed(Duration::from_millis(100));
    c.knobs.destroy = DurationRange::fixed(Duration::from_millis(100));
    c
}

#[tokio::test]
async fn create_wait_read_update_delete() {
    let (sim, client) = start(quick_transitions());
    let op = op("creating private link \"pl_one\"");
    let created = client.create_private_link(&op, &new_link("pl_one")).await;
    let created = created.expect("created");
    assert_eq!(created.state, PrivateLinkState::Creating);
    assert_eq!(
        (created.name.as_str(), created.service.as_str()),
        ("pl_one", "SOURCE_AWS")
    );
    assert_eq!(created.cloud_provider.as_deref(), Some("AWS"));

    let ready = client
        .wait_until_private_link_ready(&op, &created.id)
        .await
        .expect("ready");
    assert_eq!(ready.state, PrivateLinkState::Ok);
    assert!(ready
        .host
        .as_deref()
        .is_some_and(|h| h.starts_with(&created.id)));
    assert_eq!(
        ready
            .config
            .get("connection_service_name")
            .and_then(|v| v.as_str()),
        Some("com.amazonaws.vpce.us-east-1.vpce-svc-0123")
    );

    let read = client.private_link(&op, &created.id).await.expect("read");
    assert_eq!(read.id, created.id);
    let all = client.private_links(&op).await.expect("list");
    assert_eq!(
        all.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        vec![created.id.as_str()]
    );

    let config = [(
        "connection_service_name".to_string(),
        "com.amazonaws.vpce.other".to_string(),
    )]
    .into();
    let updated = client
        .update_private_link(&op, &created.id, &config)
        .await
        .expect("update");
    assert_eq!(updated.state, PrivateLinkState::Updating);
    let ready = client
        .wait_until_private_link_ready(&op, &created.id)
        .await
        .expect("updated");
    assert_eq!(
        ready
            .config
            .get("connection_service_name")
            .and_then(|v| v.as_str()),
        Some("com.amazonaws.vpce.other")
    );

    client
        .delete_private_link(&op, &created.id)
        .await
        .expect("delete");
    client
        .wait_until_private_link_deleted(&op, &created.id)
        .await
        .expect("gone");
    assert_eq!(sim.admin().private_link_state(&created.id), None);
    let gone = client.private_link(&op, &created.id).await;
    assert!(gone.as_ref().is_err_and(Error::is_not_found), "{gone:?}");
}

#[tokio::test]
async fn a_failed_link_ends_the_wait_with_its_summary() {
    let mut config = quick_transitions();
    config.knobs.failing_links = vec!["broken_*".into()];
    let (_sim, client) = start(config);
    let op = op("creating private link \"broken_one\"");
    let created = client
        .create_private_link(&op, &new_link("broken_one"))
        .await
        .expect("created");
    match client.wait_until_private_link_ready(&op, &created.id).await {
        Err(e @ WaitError::Failed { .. }) => {
            let text = e.to_string();
            assert!(
                text.starts_with("creating private link \"broken_one\": failed after"),
                "{text}"
            );
            assert!(text.contains("state is FAIL: "), "{text}");
            if let WaitError::Failed { last, .. } = e {
                assert_eq!(last.state, PrivateLinkState::Failed);
            }
        }
        other => panic!("expected a failed wait, got {other:?}"),
    }
}

#[tokio::test]
async fn lists_walk_every_page() {
    let (sim, client) = start_with(SimConfig::instant(), |c| c.page_size = 2);
    let op = op("listing private links");
    for i in 0..5 {
        client
            .create_private_link(&op, &new_link(&format!("pl_{i}")))
            .await
            .expect("created");
    }
    sim.admin().reset_counters();
    let all = client.private_links(&op).await.expect("list");
    let mut names: Vec<String> = all.into_iter().map(|l| l.name).collect();
    names.sort();
    assert_eq!(names, ["pl_0", "pl_1", "pl_2", "pl_3", "pl_4"]);
    assert_eq!(sim.admin().count("GET /v1/private-links"), 3);
}

#[tokio::test]
async fn refusals_are_typed_and_explained() {
    let (_sim, client) = start(SimConfig::instant());
    let op = op("creating private link \"pl1\"");
    let mut bad = new_link("pl1");
    bad.config.clear();
    let err = client.create_private_link(&op, &bad).await.err();
    let err = err.expect("refused");
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("InvalidInput"));
    let text = err.to_string();
    assert!(
        text.starts_with("creating private link \"pl1\": HTTP 400 InvalidInput: "),
        "{text}"
    );
    assert!(text.contains("connection_service_name"), "{text}");
    assert!(text.ends_with("[POST /private-links]"), "{text}");

    client
        .create_private_link(&op, &new_link("pl1"))
        .await
        .expect("created");
    let dup = client.create_private_link(&op, &new_link("pl1")).await;
    assert!(matches!(dup, Err(Error::Conflict { .. })), "{dup:?}");

    let missing = client
        .private_link(&op, "no_such_link")
        .await
        .expect_err("404");
    assert!(matches!(missing, Error::NotFound { .. }) && missing.is_not_found());
    assert_eq!(missing.code(), Some("NotFound"));
}

#[tokio::test]
async fn a_wait_survives_faults_on_its_polls() {
    let mut config = quick_transitions();
    config.seed = Some(7);
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(1));
    let (sim, _) = start(config);
    let mut client_config = config_for(&sim.base_url(), sim.api_key(), sim.api_secret());
    client_config.retry.max_retries = 0; // every fault reaches the waiter
    let client = Client::new(client_config).expect("client");
    let op = op("creating private link \"pl\"");
    let link = client
        .create_private_link(&op, &new_link("pl"))
        .await
        .expect("created");
    sim.admin().update_knobs(|k| {
        k.faults = Faults {
            error_503: 0.3,
            drop: 0.2,
            error_500: 0.2,
            ..Faults::default()
        };
    });
    let ready = client
        .wait_until_private_link_ready(&op, &link.id)
        .await
        .expect("ready despite faults");
    assert_eq!(ready.state, PrivateLinkState::Ok);
    let stats = client.stats();
    assert!(
        stats.server_errors + stats.transport_errors > 0,
        "{stats:?}"
    );
}

#[tokio::test]
async fn a_wait_ends_on_cancellation_or_deadline_with_the_last_state() {
    let mut config = quick_transitions();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(600));
    let (sim, client) = start(config);
    let cancel = CancellationToken::new();
    let op = Op::new(
        "creating private link \"pl\"",
        Duration::from_secs(600),
        cancel.clone(),
    );
    let link = client
        .create_private_link(&op, &new_link("pl"))
        .await
        .expect("created");
    let admin = sim.admin();
    let canceller = tokio::spawn(async move {
        wait_for("two polls", || {
            admin.count("GET /v1/private-links/{privateLinkId}") >= 2
        })
        .await;
        cancel.cancel();
    });
    let (r, took) = timed(client.wait_until_private_link_ready(&op, &link.id)).await;
    let _ = canceller.await;
    assert!(took < Duration::from_secs(5), "{took:?}");
    match r {
        Err(e @ WaitError::Cancelled { .. }) => {
            assert_eq!(
                e.to_string(),
                "creating private link \"pl\": cancelled while waiting (last state CREATING)"
            );
        }
        other => panic!("expected Cancelled, got {other:?}"),
    }

    let short = Op::new(
        "creating private link \"pl\"",
        Duration::from_millis(1500),
        CancellationToken::new(),
    );
    let (r, took) = timed(client.wait_until_private_link_ready(&short, &link.id)).await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    match r {
        Err(e @ WaitError::Timeout { .. }) => {
            let text = e.to_string();
            assert!(
                text.starts_with("creating private link \"pl\": still CREATING after waiting"),
                "{text}"
            );
            assert!(text.contains("raise the timeout"), "{text}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn changes_to_a_link_still_creating_wait_until_the_api_accepts_them() {
    // PATCH and DELETE while CREATING/UPDATING answer IllegalState (fixture
    // reconstructed_private_link_patch_while_creating.json): the client waits them out.
    let mut config = quick_transitions();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(600));
    let (sim, client) = start(config);
    let op = op("changing private link \"pl-busy\"");
    let created = client
        .create_private_link(&op, &new_link("pl-busy"))
        .await
        .expect("created");
    assert_eq!(created.state, PrivateLinkState::Creating);
    let config = [(
        "connection_service_name".to_string(),
        "com.amazonaws.vpce.changed".to_string(),
    )]
    .into();
    let updated = client
        .update_private_link_when_settled(&op, &created.id, &config)
        .await
        .expect("updated once settled");
    assert_eq!(updated.state, PrivateLinkState::Updating);
    assert!(
        sim.admin().count("PATCH /v1/private-links/{privateLinkId}") >= 2,
        "the first PATCH met the link CREATING and was refused"
    );
    client
        .delete_private_link_when_settled(&op, &created.id)
        .await
        .expect("deleted once settled, then gone");
    assert_eq!(sim.admin().private_link_state(&created.id), None);
}

#[tokio::test]
async fn a_link_adopted_by_name_is_read_with_its_config() {
    // List items carry no `config` (fixture private_link_list_200.json): adopting a link
    // found in the list must re-read its details.
    let (_sim, client) = start(SimConfig::instant());
    let op = op("creating private link \"pl-adopt\"");
    let first = client
        .create_private_link(&op, &new_link("pl-adopt"))
        .await
        .expect("created");
    let listed = client.private_links(&op).await.expect("list");
    assert!(listed.iter().all(|l| l.config.is_empty()), "{listed:?}");
    let (adopted, was_adopted) = client
        .create_private_link_by_name(&op, &new_link("pl-adopt"))
        .await
        .expect("adopted");
    assert!(was_adopted);
    assert_eq!(adopted.id, first.id);
    assert_eq!(adopted.config, first.config);
    assert!(!adopted.config.is_empty());
}

#[tokio::test]
async fn a_change_to_a_link_that_never_settles_times_out_naming_the_refusal() {
    let mut config = quick_transitions();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(600));
    let (sim, client) = start(config);
    let created = client
        .create_private_link(&op("creating"), &new_link("pl-stuck"))
        .await
        .expect("created");
    let short = Op::new(
        "deleting private link \"pl-stuck\"",
        Duration::from_millis(1500),
        CancellationToken::new(),
    );
    let (r, took) = timed(client.delete_private_link_when_settled(&short, &created.id)).await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    match r {
        Err(e @ WaitError::Timeout { .. }) => {
            let text = e.to_string();
            assert!(
                text.starts_with(
                    "deleting private link \"pl-stuck\": still busy (IllegalState: Private link in CREATING state"
                ),
                "{text}"
            );
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    // Sent again on the poll schedule (20 ms growing to 500 ms here), not once.
    assert!(
        sim.admin()
            .count("DELETE /v1/private-links/{privateLinkId}")
            >= 3
    );
}
