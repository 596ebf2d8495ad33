//! The retry loop against the simulator's injected faults and rate limits, checked with
//! its request counters: what is re-sent, what is not, and how long the client waits.

use std::time::Duration;

use fivetran_sim::{FaultKind, RateLimit, SimConfig};
use tokio_util::sync::CancellationToken;

use super::super::test_support::{new_connection, new_link, op, start, timed, wait_for};
use super::super::{Error, Op};
use crate::client::Connection;

const FAULTS: [FaultKind; 4] = [
    FaultKind::Error500,
    FaultKind::Error502,
    FaultKind::Error503,
    FaultKind::Drop,
];
const ONE_LINK: &str = "/v1/private-links/{privateLinkId}";

#[tokio::test]
async fn get_patch_and_delete_are_retried_after_every_fault() {
    let (sim, client) = start(SimConfig::instant());
    let admin = sim.admin();
    let op = op("testing retries");
    let config = [("connection_service_name".to_string(), "svc".to_string())].into();
    for (i, kind) in FAULTS.into_iter().enumerate() {
        let link = client
            .create_private_link(&op, &new_link(&format!("pl_{i}")))
            .await
            .expect("created");
        client.private_link(&op, &link.id).await.expect("settled");
        admin.reset_counters();

        admin.script_fault(Some(&format!("GET {ONE_LINK}")), kind, 1);
        client
            .private_link(&op, &link.id)
            .await
            .expect("read after a fault");
        assert_eq!(
            admin.count(&format!("GET {ONE_LINK}")),
            2,
            "GET after {kind:?}"
        );

        admin.script_fault(Some(&format!("PATCH {ONE_LINK}")), kind, 1);
        client
            .update_private_link(&op, &link.id, &config)
            .await
            .expect("updated after a fault");
        assert_eq!(
            admin.count(&format!("PATCH {ONE_LINK}")),
            2,
            "PATCH after {kind:?}"
        );

        admin.script_fault(Some(&format!("DELETE {ONE_LINK}")), kind, 1);
        client
            .delete_private_link(&op, &link.id)
            .await
            .expect("deleted after a fault");
        assert_eq!(
            admin.count(&format!("DELETE {ONE_LINK}")),
            2,
            "DELETE after {kind:?}"
        );
    }
    let stats = client.stats();
    assert_eq!(stats.retries, 12);
    assert_eq!((stats.server_errors, stats.transport_errors), (9, 3));
}

#[tokio::test]
async fn a_create_post_is_never_resent_after_a_500_or_a_drop() {
    let (sim, client) = start(SimConfig::instant());
    let admin = sim.admin();
    let op = op("creating private link \"pl\"");
    for kind in [FaultKind::Error500, FaultKind::Error503, FaultKind::Drop] {
        admin.reset_counters();
        admin.script_fault(Some("POST /v1/private-links"), kind, 1);
        let err = client
            .create_private_link(&op, &new_link("pl"))
            .await
            .expect_err("failed");
        assert_eq!(admin.count("POST /v1/private-links"), 1, "{kind:?}");
        match (&err, kind) {
            (
                Error::Transport {
                    ambiguous: true, ..
                },
                FaultKind::Drop,
            )
            | (Error::Server { .. }, _) => {}
            other => panic!("unexpected error for {kind:?}: {other:?}"),
        }
        assert!(
            err.to_string()
                .contains("look it up before creating it again"),
            "{err}"
        );
        if kind == FaultKind::Drop {
            let text = err.to_string();
            assert!(
                text.contains("the connection to the API failed: "),
                "{text}"
            );
            assert!(
                text.contains("the request may have reached the API"),
                "{text}"
            );
        }
    }
    let conn = new_connection(sim.group_id(), "sales", serde_json::json!({}));
    admin.script_fault(Some("POST /v1/connections"), FaultKind::Error500, 1);
    assert!(client.create_connection(&op, &conn).await.is_err());
    assert_eq!(admin.count("POST /v1/connections"), 1);
    assert_eq!(client.stats().retries, 0);
}

#[tokio::test]
async fn setup_tests_and_approvals_are_resent() {
    let (sim, client) = start(SimConfig::instant());
    let admin = sim.admin();
    let op = op("running setup tests");
    let conn = new_connection(sim.group_id(), "sales", serde_json::json!({}));
    let conn = client.create_connection(&op, &conn).await.expect("created");
    admin.script_fault(
        Some("POST /v1/connections/{connectionId}/test"),
        FaultKind::Drop,
        1,
    );
    client
        .run_setup_tests::<Connection>(&op, &conn.id, None, None)
        .await
        .expect("tested");
    assert_eq!(admin.count("POST /v1/connections/{connectionId}/test"), 2);
    let parent = super::super::Parent::Connection(conn.id.clone());
    let cert = fivetran_sim::presented_certificate("db-7.example.com");
    admin.script_fault(
        Some("POST /v1/connections/{connectionId}/certificates"),
        FaultKind::Error503,
        1,
    );
    client
        .approve_certificate(&op, &parent, &cert.hash, &cert.encoded_cert)
        .await
        .expect("approved");
    assert_eq!(
        admin.count("POST /v1/connections/{connectionId}/certificates"),
        2
    );
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_even_for_a_create() {
    let (sim, client) = start(SimConfig::instant());
    let admin = sim.admin();
    admin.script_fault(
        Some("POST /v1/private-links"),
        FaultKind::TooManyRequests,
        1,
    );
    let (r, took) = timed(client.create_private_link(&op("creating"), &new_link("pl"))).await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(admin.count("POST /v1/private-links"), 2);
    // The simulator's scripted 429 says `Retry-After: 1`.
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(
        (client.stats().rate_limited, client.stats().retries),
        (1, 1)
    );
}

#[tokio::test]
async fn retry_after_beyond_the_deadline_fails_fast() {
    let mut config = SimConfig::instant();
    let limit = RateLimit {
        max: 1,
        window_secs: 3600,
    };
    config
        .knobs
        .endpoint_rate_limits
        .insert("POST /v1/private-links".into(), limit);
    let (sim, client) = start(config);
    let op = Op::new(
        "creating private link \"pl2\"",
        Duration::from_secs(60),
        CancellationToken::new(),
    );
    client
        .create_private_link(&op, &new_link("pl1"))
        .await
        .expect("first");
    let (r, took) = timed(client.create_private_link(&op, &new_link("pl2"))).await;
    // Retry-After is an hour: failing at once, not after the wait, is all that matters.
    assert!(took < Duration::from_secs(10), "{took:?}");
    let err = r.expect_err("rate limited");
    let Error::RateLimited {
        retry_after: Some(wait),
        ..
    } = &err
    else {
        panic!("expected RateLimited, got {err:?}")
    };
    assert!(*wait > Duration::from_secs(3500), "{wait:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("creating private link \"pl2\": HTTP 429 TooManyRequests"),
        "{text}"
    );
    assert!(
        text.contains(
            "frees a request slot in 1h0m0s (Retry-After), after the operation's deadline"
        ),
        "{text}"
    );
    assert_eq!(sim.admin().count("POST /v1/private-links"), 2);
}

#[tokio::test]
async fn cancellation_interrupts_a_retry_sleep() {
    let mut config = SimConfig::instant();
    let limit = RateLimit {
        max: 1,
        window_secs: 60,
    };
    config
        .knobs
        .endpoint_rate_limits
        .insert("GET /v1/groups/{groupId}".into(), limit);
    let (sim, client) = start(config);
    let cancel = CancellationToken::new();
    let op = Op::new("reading group", Duration::from_secs(600), cancel.clone());
    client.group(&op, sim.group_id()).await.expect("first");
    // Cancel once the client has decided to sleep before retrying the 429 (the simulator's
    // counter would fire while the request is still in flight).
    let watched = client.clone();
    let canceller = tokio::spawn(async move {
        wait_for("the retry after the 429", || watched.stats().retries >= 1).await;
        cancel.cancel();
    });
    let (r, took) = timed(client.group(&op, sim.group_id())).await;
    let _ = canceller.await;
    assert!(took < Duration::from_secs(5), "{took:?}");
    let err = r.expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled { .. }), "{err:?}");
    assert!(
        err.to_string().contains("cancelled while waiting to retry"),
        "{err}"
    );
}

/// A crowd of requests held back by a 429's Retry-After leaves the hold spaced by the
/// configured rate (`requests_per_second`), not all at once (which would overrun the API's
/// window again and earn the next 429).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_held_by_a_429_leave_the_hold_spaced_by_the_bucket() {
    let sim = fivetran_sim::SimServer::spawn(SimConfig::instant()).expect("the simulator starts");
    let client = super::super::Client::new(super::super::ClientConfig {
        requests_per_second: 10.0,
        burst: 1,
        ..super::super::test_support::config_for(&sim.base_url(), sim.api_key(), sim.api_secret())
    })
    .expect("client");
    sim.admin().script_fault(
        Some("GET /v1/groups/{groupId}"),
        FaultKind::TooManyRequests,
        1,
    );
    let group = sim.group_id().to_string();
    let reads: Vec<_> = (0..8)
        .map(|_| {
            let (client, group) = (client.clone(), group.clone());
            tokio::spawn(async move { client.group(&op("reading the group"), &group).await })
        })
        .collect();
    for r in reads {
        r.await.expect("joined").expect("read despite the 429");
    }
    let log = sim.admin().requests();
    let refused = log.iter().position(|r| r.status == 429).expect("the 429");
    // Seconds into the day of an RFC 3339 UTC time (`…T21:02:24.692877Z`).
    let at = |r: &fivetran_sim::RequestRecord| -> f64 {
        let time =
            r.at.trim_end_matches('Z')
                .rsplit('T')
                .next()
                .unwrap_or_default();
        time.split(':')
            .map(|p| p.parse::<f64>().unwrap_or(0.0))
            .fold(0.0, |acc, p| acc * 60.0 + p)
    };
    let after: Vec<f64> = log[refused + 1..].iter().map(at).collect();
    assert_eq!(after.len(), 8, "{log:?}");
    // 10 per second: 100 ms apart. Load can only make the gaps longer. (A gap across
    // midnight is a day short.)
    let gaps: Vec<f64> = after
        .windows(2)
        .map(|w| (w[1] - w[0]).rem_euclid(86_400.0))
        .collect();
    assert!(
        gaps.iter().all(|g| *g >= 0.05),
        "released together instead of spaced: gaps {gaps:?}"
    );
}
