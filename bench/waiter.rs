//! The client's waiter benchmark: detection lag (from the private link turning `OK` to the
//! wait returning) and detail requests, the adaptive schedule against the tutorial's fixed
//! 10-second loop, run for real against the simulator for 5 s, 30 s and 120 s of
//! provisioning (about 2.5 minutes): `cargo bench --bench waiter`. Fails when a lag passes
//! the goal, 1 s + 10% of the provisioning time. (BENCHMARKS.md section 4 measures the
//! same through Terraform, with `bench/run.py`.)

use std::time::{Duration, SystemTime};

use fivetran_sim::{DurationRange, SimConfig, SimServer};
use terraform_provider_fivetran::client::{
    Client, ClientConfig, NewPrivateLink, Op, PollPolicy, RetryPolicy,
};
use tokio_util::sync::CancellationToken;

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
        base_url: sim.base_url().parse().expect("the simulator's URL"),
        api_key: Some(sim.api_key().to_string()),
        api_secret: Some(sim.api_secret().to_string()),
        poll,
        retry: RetryPolicy::default(),
        ..ClientConfig::default()
    })
    .expect("client");
    let op = Op::new(
        "creating private link \"bench\"",
        Duration::from_secs(900),
        CancellationToken::new(),
    );
    let new = NewPrivateLink {
        name: "bench".into(),
        region: "AWS_US_EAST_1".into(),
        service: "SOURCE_AWS".into(),
        config: [(
            "connection_service_name".to_string(),
            "com.amazonaws.vpce.us-east-1.vpce-svc-0123".to_string(),
        )]
        .into(),
    };
    let link = client
        .create_private_link(&op, &new)
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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let times = [5u64, 30, 120];
    let mut runs = Vec::new();
    for &s in &times {
        let p = Duration::from_secs(s);
        runs.push(tokio::spawn(measure(p, PollPolicy::default())));
        runs.push(tokio::spawn(measure(p, fixed_ten_seconds())));
    }
    let mut results = Vec::new();
    for run in runs {
        results.push(run.await.expect("benchmark task"));
    }
    eprintln!(
        "provisioning | adaptive lag | adaptive GETs | fixed-10s lag | fixed-10s GETs | goal lag"
    );
    let mut over = Vec::new();
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
        if a.0 > goal {
            over.push(format!("{s} s: lag {:?} over the goal {goal:?}", a.0));
        }
    }
    assert!(over.is_empty(), "{over:?}");
}
