//! Certificates and fingerprints against the simulator: certificate pins resolved through
//! the setup tests, wrong pins, drift, a pin waiting behind a host key. Destinations,
//! fingerprints, explicit hashes and data sources are in `approvals/forms.rs`, import in
//! `approvals/import.rs`, validation in `approvals/validation.rs`.
//!
//! Parent connections are created through the simulator's API (as a user's other tooling
//! would), and their ids written into the configuration as literals.

mod forms;
mod import;
mod validation;

use fivetran_sim::{presented_certificate, presented_host_key, ParentKind, SimConfig, SimServer};
use serde_json::{json, Value};

use std::time::Duration;

use crate::harness::{wait_until, Workspace};

pub fn sim() -> SimServer {
    SimServer::spawn(SimConfig::instant()).expect("simulator starts")
}

/// One request to the simulator's API with its credentials; the answer's JSON.
pub fn api(sim: &SimServer, method: &str, path: &str, body: Option<Value>) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = reqwest::Client::new()
            .request(method, format!("{}{path}", sim.base_url()))
            .basic_auth(sim.api_key(), Some(sim.api_secret()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let answer = req.send().await.expect("the simulator answers");
        answer.json::<Value>().await.unwrap_or(Value::Null)
    })
}

/// A paused connection (setup tests not run) whose config is `config` plus a schema.
pub fn connection(sim: &SimServer, schema: &str, mut config: Value) -> String {
    config["schema_prefix"] = json!(schema);
    let a = api(
        sim,
        "POST",
        "/connections",
        Some(
            json!({"group_id": sim.group_id(), "service": "postgres", "paused": true,
            "run_setup_tests": false, "config": config}),
        ),
    );
    a["data"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("connection created: {a}"))
        .to_string()
}

/// Approves the certificate of `host` for a connection, outside Terraform.
pub fn approve_elsewhere(sim: &SimServer, connection_id: &str, host: &str) {
    let cert = presented_certificate(host);
    let a = api(
        sim,
        "POST",
        &format!("/connections/{connection_id}/certificates"),
        Some(json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert})),
    );
    assert_eq!(a["code"], "Success", "{a}");
}

/// `AB:CD:...`, as `openssl x509 -fingerprint` prints it.
pub fn colon_upper(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// Output with whitespace folded (Terraform wraps long diagnostic lines).
pub fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn write_config(ws: &Workspace, body: &str) {
    ws.rewrite(body);
}

#[track_caller]
pub fn assert_empty_plan(ws: &Workspace) {
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "the plan must be empty:\n{}", plan.output());
}

fn pinned_certificate(name: &str, connection_id: &str, sha256: &str) -> String {
    format!(
        r#"
resource "fivetran_connection_certificate" "{name}" {{
  connection_id = "{connection_id}"
  sha256        = "{sha256}"
}}
"#
    )
}

#[test]
fn a_sha256_pin_approves_exactly_the_presented_certificate_and_destroy_revokes_it() {
    let sim = sim();
    let conn = connection(&sim, "pin_ok", json!({"host": "db.example.com"}));
    let cert = presented_certificate("db.example.com");
    let pin = colon_upper(&cert.sha256);
    let ws = Workspace::with_sim(&sim, &pinned_certificate("db", &conn, &pin));
    ws.apply().assert_success();
    let admin = sim.admin();
    assert_eq!(
        admin.approved_certificates(ParentKind::Connection, &conn),
        vec![cert.hash.clone()]
    );
    let attrs = &ws.resource("fivetran_connection_certificate.db")["attributes"];
    assert_eq!(attrs["hash"], cert.hash.as_str());
    assert_eq!(
        attrs["sha256"],
        pin.as_str(),
        "the written spelling is kept"
    );
    assert_eq!(attrs["sha1"], cert.sha1.as_str());
    assert_eq!(attrs["name"], "CN=db.example.com");
    assert_eq!(attrs["type"], "TLS");
    assert!(attrs["validated_date"].is_string(), "{attrs}");
    assert_eq!(attrs["encoded_cert"], Value::Null);
    assert_eq!(
        attrs["id"],
        format!(
            "{conn}/{}",
            cert.hash.replace('/', "%2F").replace('+', "%2B")
        )
        .as_str()
    );
    // The certificate is trusted now: the connection's tests pass.
    let tested = api(
        &sim,
        "POST",
        &format!("/connections/{conn}/test"),
        Some(json!({})),
    );
    assert_eq!(
        tested["data"]["status"]["setup_state"], "connected",
        "{tested}"
    );
    assert_empty_plan(&ws);
    ws.destroy().assert_success();
    assert!(admin
        .approved_certificates(ParentKind::Connection, &conn)
        .is_empty());
}

#[test]
fn a_wrong_pin_lists_the_presented_certificates_and_approves_nothing() {
    let sim = sim();
    let conn = connection(&sim, "pin_wrong", json!({"host": "db.example.com"}));
    let wrong = presented_certificate("other.example.com").sha256;
    let ws = Workspace::with_sim(&sim, &pinned_certificate("db", &conn, &wrong));
    let run = ws.apply();
    run.assert_failure();
    let out = folded(&run.output());
    let presented = presented_certificate("db.example.com");
    for expected in [
        "Pinned Certificate Not Presented",
        "nothing was approved",
        "CN=db.example.com: SHA-256",
        presented.sha256.as_str(),
        wrong.as_str(),
        "with fivetran_connection_certificate.db",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    assert!(sim
        .admin()
        .approved_certificates(ParentKind::Connection, &conn)
        .is_empty());
    assert_eq!(
        ws.resource("fivetran_connection_certificate.db"),
        Value::Null
    );
}

#[test]
fn approvals_made_elsewhere_cause_no_diff_and_an_out_of_band_revoke_is_recreated() {
    let sim = sim();
    let conn = connection(&sim, "drift", json!({"host": "db.example.com"}));
    let cert = presented_certificate("db.example.com");
    let ws = Workspace::with_sim(&sim, &pinned_certificate("db", &conn, &cert.sha256));
    ws.apply().assert_success();
    approve_elsewhere(&sim, &conn, "replica.example.com");
    assert_empty_plan(&ws);

    sim.admin()
        .revoke_certificate(ParentKind::Connection, &conn, &cert.hash)
        .expect("revoked out of band");
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    ws.apply().assert_success();
    assert_empty_plan(&ws);
    let mut approved = sim
        .admin()
        .approved_certificates(ParentKind::Connection, &conn);
    approved.sort();
    let mut expected = vec![cert.hash, presented_certificate("replica.example.com").hash];
    expected.sort();
    assert_eq!(approved, expected);
    ws.destroy().assert_success();
    assert_eq!(
        sim.admin()
            .approved_certificates(ParentKind::Connection, &conn),
        vec![presented_certificate("replica.example.com").hash],
        "destroy revokes only what this configuration approved"
    );
}

#[test]
fn a_certificate_pin_behind_an_unapproved_host_key_waits_for_it_then_explains() {
    let sim = sim();
    let conn = connection(
        &sim,
        "blocked",
        json!({"host": "db.example.com", "tunnel_host": "bastion.example.com"}),
    );
    let cert = presented_certificate("db.example.com");
    let key = presented_host_key("bastion.example.com");
    let tests = "POST /v1/connections/{connectionId}/test";

    // Nobody approves the host key: after the timeout, the error says what blocks.
    let short = pinned_certificate("db", &conn, &cert.sha256)
        .replace("\n}", "\n  timeouts {\n    create = \"3s\"\n  }\n}");
    let ws = Workspace::with_sim(&sim, &short);
    let run = ws.apply();
    run.assert_failure();
    let out = folded(&run.output());
    assert!(out.contains("Pinned Certificate Not Presented"), "{out}");
    assert!(out.contains("SSH Tunnel Connection"), "{out}");
    assert!(out.contains("stop at the SSH host key check"), "{out}");
    assert!(sim.admin().count(tests) >= 2, "the tests were run again");

    // The host key is approved while the pin waits: the certificate is approved next.
    sim.admin().reset_counters();
    let ws = Workspace::with_sim(&sim, &pinned_certificate("db", &conn, &cert.sha256));
    std::thread::scope(|s| {
        let apply = s.spawn(|| ws.apply());
        assert!(
            wait_until(Duration::from_secs(60), || sim.admin().count(tests) >= 2),
            "the pin must run the setup tests again while blocked"
        );
        let a = api(
            &sim,
            "POST",
            &format!("/connections/{conn}/fingerprints"),
            Some(json!({"hash": key.hash, "public_key": key.public_key})),
        );
        assert_eq!(a["code"], "Success", "{a}");
        apply.join().expect("apply thread").assert_success();
    });
    assert_eq!(
        sim.admin()
            .approved_certificates(ParentKind::Connection, &conn),
        vec![cert.hash]
    );
    assert_empty_plan(&ws);
}
