//! Runs `examples/tutorial/private-link-tutorial.sh` (the tutorial's curl + jq commands as
//! printed, with only its environment variables set) against a simulator whose link stays
//! `CREATING` for two polls. Skips, saying so, when bash, curl or jq is missing (a failure
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
    // Only the tutorial's environment variables (and the poll interval, an addition).
    let out = Command::new("bash")
        .arg(&script)
        .env("FIVETRAN_BASE_URL", sim.base_url())
        .env("FIVETRAN_API_KEY", sim.api_key())
        .env("FIVETRAN_API_SECRET", sim.api_secret())
        .env("GROUP_ID", sim.group_id())
        .env("POLL_SECONDS", "0.1")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "script failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("Private Link state: CREATING")
            && stdout.contains("Private Link state: OK"),
        "the link was polled while provisioning:\n{stdout}"
    );
    assert!(
        stdout.contains("Approving certificate CN=db-7.example.com"),
        "{stdout}"
    );
    // The setup tests ran twice (before and after the approval), and nothing the
    // tutorial sent was refused.
    let admin = sim.admin();
    assert_eq!(admin.count("POST /v1/connections/{connectionId}/test"), 2);
    let refused: Vec<_> = admin
        .requests()
        .into_iter()
        .filter(|r| r.status >= 400)
        .collect();
    assert!(refused.is_empty(), "{refused:?}\n{stdout}");

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
