//! The two benchmarks of the client's issue, as ignored tests that print their figures:
//! `cargo test bench -- --ignored --nocapture`.
//!
//! 1. Waiter: detection lag (from the link turning `OK` to the wait returning) and
//!    request count, adaptive schedule vs the tutorial's fixed 10-second loop; run for
//!    real against the simulator for 5 s, 30 s and 120 s provisioning, and computed from
//!    the schedule for longer ones.
//! 2. Budget: 50 concurrent operations against a simulator limited to 10 requests/s.

use std::time::{Duration, SystemTime};

use fivetran_sim::{DurationRange, RateLimit, SimConfig, SimServer};
use tokio_util::sync::CancellationToken;

use super::test_support::{config_for, new_link};
use super::wait::tests::{simulate, simulate_fixed};
use super::{Client, ClientConfig, Op, PollPolicy, RetryPolicy};

/// The tutorial's loop: sleep 10 s, look, repeat.
fn fixed_ten_seconds() -> PollPolicy {
    PollPolicy {
        first_poll: Duration::from_secs(10),
        base_interval: Duration::from_secs(10),
        growth: 0.0,
        max_interval: Duration::from_secs(10),
        jitter: 0.0,
    }
}

/// Creates a link on a fresh simulator, waits for it with `poll`, and returns
/// (detection lag, detail requests).
async fn measure(provisioning: Duration, poll: PollPolicy) -> (Duration, u64) {
    let mut config = SimConfig::default();
    config.knobs.provisioning = DurationRange::fixed(provisioning);
    let sim = SimServer::spawn(config).expect("the simulator starts");
    let client = Client::new(ClientConfig {
        poll,
        retry: RetryPolicy::default(),
        ..config_for(&sim.base_url(), sim.api_key(), sim.api_secret())
    })
    .expect("client");
    let op = Op::new(
        "creating private link \"bench\"",
        Duration::from_secs(900),
        CancellationToken::new(),
    );
    let link = client
        .create_private_link(&op, &new_link("bench"))
        .await
        .expect("created");
    client
        .wait_until_private_link_ready(&op, &link.id)
        .await
        .expect("ready");
    let returned = SystemTime::now();
    let ready_at = sim
        .admin()
        .timeline(&link.id)
        .and_then(|t| t.ready_at)
        .expect("ready time");
    let lag = returned.duration_since(ready_at).unwrap_or_default();
    (
        lag,
        sim.admin().count("GET /v1/private-links/{privateLinkId}"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: about 2.5 minutes of real time"]
async fn bench_waiter_lag_and_requests() {
    let times = [5u64, 30, 120];
    let runs = times.iter().flat_map(|&s| {
        let p = Duration::from_secs(s);
        [
            tokio::spawn(measure(p, PollPolicy::default())),
            tokio::spawn(measure(p, fixed_ten_seconds())),
        ]
    });
    let results: Vec<(Duration, u64)> = futures_join(runs.collect()).await;
    eprintln!(
        "provisioning | adaptive lag | adaptive GETs | fixed-10s lag | fixed-10s GETs | goal lag"
    );
    for (i, s) in times.iter().enumerate() {
        let (a, f) = (results[2 * i], results[2 * i + 1]);
        let goal = Duration::from_secs(1) + Duration::from_secs(*s) / 10;
        eprintln!(
            "{s:>10} s | {:>10.2} s | {:>13} | {:>11.2} s | {:>14} | {:>6.1} s",
            a.0.as_secs_f64(),
            a.1,
            f.0.as_secs_f64(),
            f.1,
            goal.as_secs_f64()
        );
        assert!(a.0 <= goal, "{s} s: lag {:?} over the goal {goal:?}", a.0);
    }
}

async fn futures_join<T: Send + 'static>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("benchmark task"));
    }
    out
}

/// Mean and largest of some durations, in seconds.
fn mean_max(values: &[Duration]) -> (f64, f64) {
    let max = values.iter().max().copied().unwrap_or_default();
    let sum: Duration = values.iter().sum();
    (
        sum.as_secs_f64() / values.len().max(1) as f64,
        max.as_secs_f64(),
    )
}

#[test]
#[ignore = "benchmark (computed): prints the schedule's figures"]
fn bench_waiter_schedule_math() {
    let policy = PollPolicy::default();
    eprintln!("provisioning P (each P within ±10%, 10 ms steps) | adaptive polls | adaptive lag mean / max | fixed-10s polls | fixed-10s lag mean / max | goal 1 s + P/10");
    for s in [5u64, 30, 120, 600, 1800] {
        let around: Vec<Duration> = (s * 90..=s * 110)
            .map(|cs| Duration::from_millis(cs * 10))
            .collect();
        let adaptive: Vec<(u32, Duration)> = around
            .iter()
            .flat_map(|&p| [simulate(&policy, p, 0.0), simulate(&policy, p, 1.0)])
            .collect();
        let fixed: Vec<(u32, Duration)> = around
            .iter()
            .map(|&p| simulate_fixed(Duration::from_secs(10), p))
            .map(|(n, lag)| (n - 1, lag))
            .collect();
        let polls = |v: &[(u32, Duration)]| {
            let min = v.iter().map(|x| x.0).min().unwrap_or(0);
            let max = v.iter().map(|x| x.0).max().unwrap_or(0);
            format!("{min}–{max}")
        };
        let lags = |v: &[(u32, Duration)]| mean_max(&v.iter().map(|x| x.1).collect::<Vec<_>>());
        let (am, ax) = lags(&adaptive);
        let (fm, fx) = lags(&fixed);
        eprintln!(
            "{s:>6} s | {:>9} | {am:>6.2} / {ax:>6.2} s | {:>9} | {fm:>6.2} / {fx:>6.2} s | {:.1}–{:.1} s",
            polls(&adaptive),
            polls(&fixed),
            1.0 + 0.09 * s as f64,
            1.0 + 0.11 * s as f64
        );
    }
}

/// Runs 50 operations (create a link, wait until `OK`, delete it) at once against a
/// simulator that allows 10 requests per second; prints time, requests and 429s.
async fn fifty_operations(requests_per_second: f64, burst: u32) {
    let mut config = SimConfig::default();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(2));
    config.knobs.rate_limit = Some(RateLimit {
        max: 10,
        window_secs: 1,
    });
    let sim = SimServer::spawn(config).expect("the simulator starts");
    let client = Client::new(ClientConfig {
        requests_per_second,
        burst,
        retry: RetryPolicy::default(),
        poll: PollPolicy::default(),
        ..config_for(&sim.base_url(), sim.api_key(), sim.api_secret())
    })
    .expect("client");
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let op = Op::new(
                format!("creating private link \"op_{i}\""),
                Duration::from_secs(600),
                CancellationToken::new(),
            );
            let link = client
                .create_private_link(&op, &new_link(&format!("op_{i}")))
                .await?;
            client
                .wait_until_private_link_ready(&op, &link.id)
                .await
                .map_err(|e| match e {
                    super::WaitError::Api(e) => e,
                    other => panic!("{other}"),
                })?;
            client.delete_private_link(&op, &link.id).await
        }));
    }
    let results = futures_join(tasks).await;
    let failures: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    let stats = client.stats();
    eprintln!(
        "client {requests_per_second}/s burst {burst}: {} of 50 succeeded in {:.1} s; {} requests ({:.1}/s), {} answered 429 and retried, {} waits for the budget, {} errors reached callers",
        50 - failures.len(),
        start.elapsed().as_secs_f64(),
        stats.requests,
        stats.requests as f64 / start.elapsed().as_secs_f64(),
        stats.rate_limited,
        stats.throttled,
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: about a minute of real time"]
async fn bench_fifty_concurrent_operations_under_10_rps() {
    fifty_operations(10.0, 10).await;
    fifty_operations(9.0, 1).await;
}
