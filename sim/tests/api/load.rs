//! Load: 2,000 requests from 50 concurrent clients, every answer checked; prints the
//! throughput (run with `--nocapture` to see it).

use std::time::Instant;

use fivetran_sim::SimConfig;
use serde_json::json;

use crate::common::{answer, Api};

const CLIENTS: usize = 50;
const PER_CLIENT: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_from_fifty_clients() {
    let api = Api::start(SimConfig::instant());
    let base = api.sim.base_url();
    let (key, secret) = (
        api.sim.api_key().to_string(),
        api.sim.api_secret().to_string(),
    );
    let group = api.sim.group_id().to_string();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (base, key, secret, group) = (base.clone(), key.clone(), secret.clone(), group.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut last_link = String::new();
            let mut ok = 0usize;
            for i in 0..PER_CLIENT {
                let req = match i % 4 {
                    0 => client.post(format!("{base}/private-links")).json(&json!({
                        "name": format!("load_{c}_{i}"), "region": "AWS_US_EAST_1", "service": "SOURCE_AWS",
                        "config": {"connection_service_name": "svc"}})),
                    1 => client.get(format!("{base}/private-links/{last_link}")),
                    2 => client.get(format!("{base}/groups")),
                    _ => client.post(format!("{base}/connections")).json(&json!({
                        "group_id": group, "service": "postgres", "paused": true, "run_setup_tests": false,
                        "config": {"schema_prefix": format!("l{c}_{i}"), "password": "x"}})),
                };
                let a = answer(req.basic_auth(&key, Some(&secret)).send().await.expect("answered")).await;
                let correct = match i % 4 {
                    0 => {
                        last_link = a.data()["id"].as_str().unwrap_or_default().to_string();
                        a.status == 201 && a.data()["state"] == "CREATING" && a.data()["name"] == format!("load_{c}_{i}").as_str()
                    }
                    1 => a.status == 200 && a.data()["id"] == last_link.as_str() && a.data()["state"] == "OK",
                    2 => a.status == 200 && a.data()["items"][0]["id"] == group.as_str(),
                    _ => a.status == 201 && a.data()["schema"] == format!("l{c}_{i}").as_str() && a.data()["config"]["password"] == "******",
                };
                assert!(correct, "client {c} request {i}: {a:?}");
                ok += 1;
            }
            ok
        }));
    }
    let mut answered = 0;
    for t in tasks {
        answered += t.await.expect("client task");
    }
    let elapsed = started.elapsed();
    assert_eq!(answered, CLIENTS * PER_CLIENT);
    assert_eq!(api.admin().counters().total, (CLIENTS * PER_CLIENT) as u64);
    let inv = api.admin().inventory();
    assert_eq!(
        inv["private_links"].as_array().map(Vec::len),
        Some(CLIENTS * PER_CLIENT / 4)
    );
    assert_eq!(
        inv["connections"].as_array().map(Vec::len),
        Some(CLIENTS * PER_CLIENT / 4)
    );
    eprintln!(
        "load: {answered} requests from {CLIENTS} clients answered correctly in {:.2?}: {:.0} requests/s",
        elapsed,
        answered as f64 / elapsed.as_secs_f64()
    );
}
