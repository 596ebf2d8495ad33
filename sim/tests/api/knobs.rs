//! Knobs: rate limits, faults (scripted and random), latency, seeds, all switchable at
//! run time.

use std::time::{Duration, Instant};

use fivetran_sim::{ClassLimit, DurationRange, FaultKind, Faults, RateLimit, SimConfig};
use serde_json::json;

use crate::common::Api;

#[tokio::test]
async fn endpoint_rate_limits_answer_429_with_retry_after() {
    let api = Api::instant();
    api.create_link("before_limit").await;
    api.admin().update_knobs(|k| {
        k.endpoint_rate_limits.insert(
            "POST /v1/private-links".into(),
            RateLimit {
                max: 2,
                window_secs: 3600,
            },
        );
    });
    api.create_link("first").await;
    api.create_link("second").await;
    let a = api
        .post("/private-links", crate::common::link_body("third"))
        .await;
    assert_eq!((a.status, a.code()), (429, "TooManyRequests"));
    let retry: u64 = a
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((3590..=3600).contains(&retry), "{retry}");
    assert!(a.message().contains("POST /v1/private-links"));
    assert_eq!(
        api.get("/private-links").await.status,
        200,
        "other endpoints are not limited"
    );
    let names: Vec<String> = api.admin().inventory()["private_links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["name"].as_str().map(str::to_string))
        .collect();
    assert!(
        !names.iter().any(|n| n == "third"),
        "a refused create makes nothing: {names:?}"
    );
    assert_eq!(names.len(), 3, "{names:?}");
    // Lifting the limit at run time.
    api.admin().update_knobs(|k| k.endpoint_rate_limits.clear());
    assert_eq!(
        api.post("/private-links", crate::common::link_body("third"))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn global_rate_limit_counts_every_request_and_sets_headers() {
    let api = Api::instant();
    api.admin().update_knobs(|k| {
        k.rate_limit = Some(RateLimit {
            max: 3,
            window_secs: 3600,
        })
    });
    let a = api.get("/groups").await;
    assert_eq!(
        a.headers.get("x-rate-limit").and_then(|v| v.to_str().ok()),
        Some("3")
    );
    assert_eq!(
        a.headers
            .get("x-rate-limit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    api.get("/private-links").await;
    api.get("/connections").await;
    let a = api.get("/groups").await;
    assert_eq!(a.status, 429);
    assert!(a.headers.contains_key("retry-after"));
}

/// The docs give `X-Rate-Limit` / `X-Rate-Limit-Remaining` for "the current one-hour rolling
/// time period"; a knob counting a shorter window must not pass its count off as that.
#[tokio::test]
async fn a_global_limit_over_a_short_window_sends_no_hourly_headers() {
    let api = Api::instant();
    api.admin().update_knobs(|k| {
        k.rate_limit = Some(RateLimit {
            max: 2,
            window_secs: 60,
        })
    });
    let a = api.get("/groups").await;
    assert_eq!(a.status, 200);
    assert!(
        !a.headers.contains_key("x-rate-limit")
            && !a.headers.contains_key("x-rate-limit-remaining"),
        "{:?}",
        a.headers
    );
    api.get("/groups").await;
    assert_eq!(
        api.get("/groups").await.status,
        429,
        "the limit itself still holds"
    );
}

#[tokio::test]
async fn documented_limits_refuse_excess_connection_creations_with_the_api_message() {
    let api = Api::instant();
    let limits = ClassLimit::parse_list("documented,connection-create=2/1m").unwrap_or_default();
    api.admin().update_knobs(|k| k.limits = limits);
    let g = api.sim.group_id().to_string();
    let body = |p: &str| {
        json!({"group_id": g, "service": "postgres", "paused": true, "run_setup_tests": false,
               "config": {"schema_prefix": p, "user": "u", "password": "p", "database": "d", "port": 5432}})
    };
    let a = api.post("/connections", body("one")).await;
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(
        a.headers.get("x-rate-limit").and_then(|v| v.to_str().ok()),
        Some("20000"),
        "the overall hourly quota"
    );
    assert_eq!(
        a.headers
            .get("x-rate-limit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("19999")
    );
    assert_eq!(api.post("/connections", body("two")).await.status, 201);
    let a = api.post("/connections", body("three")).await;
    assert_eq!((a.status, a.code()), (429, "TooManyRequests"));
    assert_eq!(
        a.message(),
        "No more than 2 connectors can be created in one-minute time period"
    );
    let retry: u64 = a
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((55..=60).contains(&retry), "{retry}");
    assert_eq!(
        api.get("/groups").await.status,
        200,
        "other classes unaffected"
    );
}

#[tokio::test]
async fn scripted_faults_hit_the_next_matching_requests() {
    let api = Api::instant();
    let admin = api.admin();
    admin.script_fault(Some("GET /v1/groups"), FaultKind::Error503, 2);
    admin.script_fault(Some("GET /v1/groups"), FaultKind::Error502, 1);
    admin.script_fault(Some("GET /v1/groups"), FaultKind::Error500, 1);
    admin.script_fault(Some("GET /v1/groups"), FaultKind::TooManyRequests, 1);
    assert_eq!(
        api.get("/private-links").await.status,
        200,
        "other endpoint unaffected"
    );
    let a = api.get("/groups").await;
    assert_eq!(a.status, 503);
    assert!(a.text.contains("<html>"), "a proxy-style HTML page");
    assert_eq!(api.get("/groups").await.status, 503);
    assert_eq!(api.get("/groups").await.status, 502);
    let a = api.get("/groups").await;
    assert_eq!((a.status, a.code()), (500, "InternalServerError"));
    let a = api.get("/groups").await;
    assert_eq!(
        (
            a.status,
            a.headers.get("retry-after").and_then(|v| v.to_str().ok())
        ),
        (429, Some("1"))
    );
    assert_eq!(api.get("/groups").await.status, 200);
    admin.script_fault(None, FaultKind::Error500, 3);
    admin.clear_scripted_faults();
    assert_eq!(api.get("/groups").await.status, 200);
}

#[tokio::test]
async fn dropped_connections_close_without_an_answer() {
    let api = Api::instant();
    api.admin()
        .script_fault(Some("GET /v1/groups"), FaultKind::Drop, 1);
    let r = api
        .client
        .get(api.url("/groups"))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .send()
        .await;
    let e = r.expect_err("no answer");
    assert!(!e.is_status(), "{e:?}");
    assert_eq!(api.get("/groups").await.status, 200, "the server goes on");
    let log = api.admin().requests();
    assert!(log
        .iter()
        .any(|r| r.status == 0 && r.endpoint == "GET /v1/groups"));
}

#[tokio::test]
async fn random_fault_rates_are_scoped_and_reproducible() {
    let mut config = SimConfig::instant();
    config.seed = Some(42);
    let api = Api::start(config);
    api.admin().update_knobs(|k| {
        k.faults = Faults {
            error_503: 0.5,
            endpoints: vec!["GET /v1/groups".into()],
            ..Faults::default()
        };
    });
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(api.get("/groups").await.status);
    }
    let failures = statuses.iter().filter(|s| **s == 503).count();
    assert!((5..=35).contains(&failures), "{failures}");
    assert!(statuses.iter().all(|s| *s == 503 || *s == 200));
    for _ in 0..10 {
        assert_eq!(api.get("/private-links").await.status, 200);
    }
    api.admin().update_knobs(|k| k.faults = Faults::default());
    assert_eq!(api.get("/groups").await.status, 200);

    // The same seed draws the same sequence.
    let mut config = SimConfig::instant();
    config.seed = Some(42);
    let again = Api::start(config);
    again.admin().update_knobs(|k| {
        k.faults = Faults {
            error_503: 0.5,
            endpoints: vec!["GET /v1/groups".into()],
            ..Faults::default()
        };
    });
    let mut second = Vec::new();
    for _ in 0..40 {
        second.push(again.get("/groups").await.status);
    }
    assert_eq!(statuses, second);
    assert_eq!(
        api.sim.group_id(),
        again.sim.group_id(),
        "ids come from the seed too"
    );
}

#[tokio::test]
async fn latency_is_added_to_each_request() {
    let api = Api::instant();
    api.admin()
        .update_knobs(|k| k.latency = DurationRange::fixed(Duration::from_millis(150)));
    let start = Instant::now();
    assert_eq!(api.get("/groups").await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(150));
    let log = api.admin().requests();
    assert!(log.last().is_some_and(|r| r.millis >= 150));
}

#[tokio::test]
async fn provisioning_ranges_stay_within_bounds() {
    let mut config = SimConfig::instant();
    config.knobs.provisioning =
        DurationRange::between(Duration::from_millis(50), Duration::from_millis(250));
    let api = Api::start(config);
    let id = api.create_link("ranged").await;
    api.wait_link_state(&id, "OK").await;
    let t = api.admin().timeline(&id).expect("timeline");
    let took = t
        .ready_at
        .and_then(|r| r.duration_since(t.created_at).ok())
        .unwrap_or_default();
    assert!(
        took >= Duration::from_millis(50) && took <= Duration::from_millis(250),
        "{took:?}"
    );
    let _ = json!({});
}
