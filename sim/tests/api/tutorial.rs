//! Runs `examples/tutorial/private-link-tutorial.sh` (curl + jq) against a simulator with
//! a short provisioning time. Skips, saying so, when bash, curl or jq is missing (a failure
//! under `FIVETRAN_TESTS_NO_SKIP=1`, as in CI).

use fivetran_sim::{SimConfig, SimServer};
use std::path::PathBuf;
use std::process::Command;

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn private_link_tutorial_script_succeeds() {
    let missing: Vec<&str> = ["bash", "curl", "jq"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    if !missing.is_empty() {
        fivetran_sim::skips::skip(
            "private_link_tutorial_script_succeeds",
            &format!("{missing:?} not installed (tutorial_requests.rs sends the same requests from Rust)"),
        );
        return;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/tutorial/private-link-tutorial.sh");
    // No timing: the link stays CREATING for two detail reads, whatever the machine's load.
    let mut config = SimConfig::instant();
    config.knobs.polls_until_ready = 2;
    let sim = SimServer::spawn(config).expect("simulator starts");
    let out = Command::new("bash")
        .arg(&script)
        .env("FIVETRAN_API_URL", sim.base_url())
        .env("FIVETRAN_APIKEY", sim.api_key())
        .env("FIVETRAN_APISECRET", sim.api_secret())
        .env("FIVETRAN_GROUP_ID", sim.group_id())
        .env("POLL_INTERVAL", "0.1")
        .env("TIMEOUT", "30")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "script failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("state CREATING"),
        "the link was polled while provisioning:\n{stdout}"
    );
    assert!(
        stdout.contains("approving certificate CN=db-7.example.com"),
        "{stdout}"
    );

    let admin = sim.admin();
    assert!(admin.count("GET /v1/private-links/{privateLinkId}") >= 2);
    assert_eq!(
        admin.count("POST /v1/connections/{connectionId}/certificates"),
        1
    );
    assert_eq!(
        admin.count("GET /v1/connections/{connectionId}/certificates/{hash}"),
        1,
        "approval found by its id"
    );
    let inv = admin.inventory();
    let conn = &inv["connections"][0];
    assert_eq!(conn["paused"], false);
    assert_eq!(conn["status"]["setup_state"], "connected");
    // Official provider issue #408: stored as UnmanagedPrivateLink (the default knob).
    assert_eq!(conn["networking_method"], "UnmanagedPrivateLink");
    assert_eq!(conn["service"], "postgres_rds");
    assert_eq!(
        conn["config"]["port"], 5432,
        "sent as text, stored as a number"
    );
    assert_eq!(inv["private_links"][0]["name"], "pl-source-aws-prod");
    // Ordering: link OK, then connection created, then connected, then unpaused.
    let link_ok = inv["private_links"][0]["timeline"]["ready_at_unix_ms"]
        .as_u64()
        .unwrap_or(u64::MAX);
    let created = conn["timeline"]["created_at_unix_ms"].as_u64().unwrap_or(0);
    assert!(link_ok <= created, "{link_ok} <= {created}");
    let states: Vec<&str> = conn["timeline"]["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["state"].as_str())
        .collect();
    assert_eq!(states, ["incomplete", "connected", "unpaused"]);
}
