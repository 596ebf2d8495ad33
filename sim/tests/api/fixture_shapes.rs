//! Shapes: for each real-API fixture in `../shared/api/fixtures` (or `$FIVETRAN_API_FIXTURES`)
//! that answers an endpoint the simulator serves, the simulator's answer to the same kind of
//! request has the fixture's status and every key of the fixture's `data` with the same
//! JSON type (recursively; arrays by their first element; `null` on either side matches
//! anything; a key the fixture holds as `null` may be absent; a setup test's `details` may be
//! a string, array or object). Keys the fixtures' README says are absent (private-link list
//! items have no `config`) must be absent. Every fixture is checked but those of endpoints
//! the simulator does not serve (`NOT_SERVED`, with the reason).
//! Skips, saying so, when the fixtures are not there.

use std::path::PathBuf;

use fivetran_sim::{presented_certificate, presented_host_key, SimConfig};
use serde_json::{json, Value};

use crate::common::{Answer, Api};

/// Fixtures of the top folder that answer an endpoint the simulator does not serve yet,
/// with the reason. Every other fixture must be checked.
const NOT_SERVED: &[(&str, &str)] = &[(
    "destination_create_setup_tests_tfp.json",
    "POST /v1/destinations is served now; this fixture is checked with the destinations-groups/ fixtures, which need the destination knobs",
)];

fn fixtures_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("FIVETRAN_API_FIXTURES") {
        return Some(PathBuf::from(d));
    }
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/api/fixtures");
    d.is_dir().then_some(d)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `fixture` must be in `sim` with the same type; problems go to `out`.
fn compare(fixture: &Value, sim: &Value, path: &str, out: &mut Vec<String>) {
    if fixture.is_null() || sim.is_null() {
        return;
    }
    if path.ends_with("details") {
        return; // string, array or object (fixtures connection_create_tfp_201.json et al.)
    }
    if kind(fixture) != kind(sim) {
        out.push(format!(
            "{path}: fixture {} vs sim {}",
            kind(fixture),
            kind(sim)
        ));
        return;
    }
    match (fixture, sim) {
        (Value::Object(f), Value::Object(s)) => {
            for (k, fv) in f {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match s.get(k) {
                    Some(sv) => compare(fv, sv, &p, out),
                    // Absent and null say the same (the spec's nullable ids, a last page's
                    // cursor); absent where the fixture holds a value is a difference.
                    None if fv.is_null() => {}
                    None => out.push(format!("{p}: missing in the sim's answer")),
                }
            }
        }
        (Value::Array(f), Value::Array(s)) => {
            if let (Some(fv), Some(sv)) = (f.first(), s.first()) {
                compare(fv, sv, &format!("{path}[]"), out);
            } else if !f.is_empty() {
                out.push(format!("{path}: the sim's array is empty"));
            }
        }
        _ => {}
    }
}

fn expected_status(file: &str) -> u16 {
    // Reconstructed fixtures without a status in their name: the README's table.
    match file {
        "reconstructed_setup_tests_certificate_and_ssh.json"
        | "reconstructed_connection_create_e2e_observed.json" => return 201,
        // Status not recorded ("non-2xx"); the sim's choice, see ApiError::IllegalState.
        "reconstructed_private_link_patch_while_creating.json" => return 409,
        _ => {}
    }
    ["_201", "_200", "_404", "_429"]
        .iter()
        .find(|s| file.contains(*s))
        .and_then(|s| s[1..].parse().ok())
        .unwrap_or(0)
}

/// The fixture's config as a request would send it (masked secrets get a value).
fn request_config(fixture: &Value) -> Value {
    let mut c = fixture["data"]["config"].clone();
    if let Some(m) = c.as_object_mut() {
        for v in m.values_mut() {
            if v == "******" {
                *v = json!("s3cret");
            }
        }
    }
    c
}

struct Run {
    api: Api,
    link: String,
    conn: String,
    checked: Vec<String>,
    problems: Vec<String>,
}

impl Run {
    fn check(&mut self, file: &str, fixture: &Value, a: &Answer) {
        self.checked.push(file.to_string());
        let want = expected_status(file);
        if a.status != want {
            self.problems.push(format!(
                "{file}: status {} (fixture {want}): {}",
                a.status, a.text
            ));
            return;
        }
        let mut out = Vec::new();
        match fixture.get("data") {
            Some(d) => compare(d, a.data(), "", &mut out),
            None => {
                if kind(&fixture["code"]) == "string" && a.code().is_empty() {
                    out.push("code missing".into());
                }
                if fixture["code"] != "TooManyRequests" && fixture["code"] != a.body["code"] {
                    out.push(format!("code {} vs {}", fixture["code"], a.body["code"]));
                }
            }
        }
        self.problems
            .extend(out.into_iter().map(|p| format!("{file}: {p}")));
    }

    /// A connection created from a connection fixture: its service, its config, and a
    /// tunnel host so the first setup test fails with details.
    async fn connection_like(&self, fixture: &Value, prefix: &str, tests: bool) -> Answer {
        let d = &fixture["data"];
        let mut config = request_config(fixture);
        config["schema"] = json!(prefix);
        if tests {
            config["tunnel_host"] = json!("bastion.example.com");
            config["host"] = json!("db-7.example.com");
        }
        let mut body = json!({"group_id": self.api.sim.group_id(), "service": d["service"],
            "paused": d["paused"], "run_setup_tests": tests, "config": config});
        for k in [
            "daily_sync_time",
            "hybrid_deployment_agent_id",
            "proxy_agent_id",
            "data_delay_sensitivity",
            "data_delay_threshold",
            "pause_after_trial",
        ] {
            if !d[k].is_null() {
                body[k] = d[k].clone();
            }
        }
        if d["sync_frequency"].is_number() {
            body["sync_frequency"] = d["sync_frequency"].clone();
            if d["daily_sync_time"].is_string() {
                body["sync_frequency"] = json!(1440);
            }
        }
        if d["private_link_id"].is_string() {
            body["networking_method"] = json!("PrivateLink");
            body["private_link_id"] = json!(self.link);
        }
        self.api.post("/connections", body).await
    }
}

#[tokio::test]
async fn simulator_answers_have_the_fixtures_shapes() {
    let Some(dir) = fixtures_dir() else {
        fivetran_sim::skips::skip(
            "simulator_answers_have_the_fixtures_shapes",
            "no fixtures at ../shared/api/fixtures (set FIVETRAN_API_FIXTURES)",
        );
        return;
    };
    let api = Api::start(SimConfig::instant());
    let link = api.create_link("fixture-link").await;
    api.wait_link_state(&link, "OK").await;
    api.create_link("fixture-link-2").await;
    let mut run = Run {
        api,
        link,
        conn: String::new(),
        checked: Vec::new(),
        problems: Vec::new(),
    };
    let cert = presented_certificate("db-7.example.com");
    let key = presented_host_key("bastion.example.com");

    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.retain(|f| f.ends_with(".json"));
    files.sort();
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        let Ok(fixture) = serde_json::from_str::<Value>(&text) else {
            run.problems.push(format!("{file}: not JSON"));
            continue;
        };
        let prefix = format!("fixture_{i}");
        let a = match file.as_str() {
            "private_link_create_201.json" => {
                run.api
                    .post(
                        "/private-links",
                        crate::common::link_body("fixture-created"),
                    )
                    .await
            }
            f if f.starts_with("private_link_details") => {
                run.api.get(&format!("/private-links/{}", run.link)).await
            }
            "private_link_list_200.json" => {
                let a = run.api.get("/private-links").await;
                // The README: list items have no `config`.
                for item in a.data()["items"].as_array().into_iter().flatten() {
                    if item.get("config").is_some() {
                        run.problems.push(format!("{file}: a list item has config"));
                    }
                }
                a
            }
            f if f.starts_with("connection_create") => {
                run.connection_like(&fixture, &prefix, true).await
            }
            "connection_details_200.json" | "connection_missing_setup_state_200.json" => {
                let a = run.connection_like(&fixture, &prefix, true).await;
                let id = a.data()["id"].as_str().unwrap_or_default().to_string();
                run.api.get(&format!("/connections/{id}")).await
            }
            "connection_setup_tests_200.json" => {
                let a = run.connection_like(&fixture, &prefix, false).await;
                let id = a.data()["id"].as_str().unwrap_or_default().to_string();
                // A tunnel host, so the first test fails with details as in the fixture.
                run.api
                    .admin()
                    .set_connection_config(&id, "tunnel_host", Some(json!("bastion.example.com")))
                    .ok();
                run.api
                    .post(&format!("/connections/{id}/test"), json!({}))
                    .await
            }
            "reconstructed_setup_tests_certificate_and_ssh.json" => {
                // Its SSH and certificate tests both fail; the sim stops at the first
                // failure, so the two shapes come from two connections.
                let ssh = run
                    .connection_like(
                        &json!({"data": {"service": "postgres_rds", "paused": true, "config": {}}}),
                        &prefix,
                        true,
                    )
                    .await;
                let mut direct = run.connection_like(&json!({"data": {"service": "postgres_rds", "paused": true, "config": {"host": "db-7.example.com"}}}), &format!("{prefix}_b"), false).await;
                let id = direct.data()["id"].as_str().unwrap_or_default().to_string();
                let tested = run
                    .api
                    .post(&format!("/connections/{id}/test"), json!({}))
                    .await;
                let cert_test = tested.data()["setup_tests"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|t| t["title"] == "Validate Certificate")
                    .cloned()
                    .unwrap_or_default();
                let ssh_test = ssh.data()["setup_tests"][0].clone();
                direct.status = 201;
                direct.body["data"]["setup_tests"] = json!([ssh_test, cert_test]);
                for (i, title) in ["SSH Tunnel Connection", "Validate Certificate"]
                    .iter()
                    .enumerate()
                {
                    if direct.data()["setup_tests"][i]["title"] != *title {
                        run.problems.push(format!(
                            "{file}: test {i} is not '{title}': {}",
                            direct.data()["setup_tests"][i]
                        ));
                    }
                }
                let kinds = (
                    kind(&direct.data()["setup_tests"][0]["details"]),
                    kind(&direct.data()["setup_tests"][1]["details"]),
                );
                if kinds != ("object", "array") {
                    run.problems.push(format!(
                        "{file}: details kinds {kinds:?}, fixture (object, array)"
                    ));
                }
                direct
            }
            "reconstructed_connection_create_e2e_observed.json" => {
                // go-fivetran e2e: created without `paused`, run_setup_tests=false.
                let body = json!({"group_id": run.api.sim.group_id(), "service": "itunes_connect",
                    "run_setup_tests": false, "config": {"schema": prefix, "username": "fivetran", "password": "p"}});
                let a = run.api.post("/connections", body).await;
                if (
                    a.data()["paused"].clone(),
                    a.data()["status"]["setup_state"].clone(),
                ) != (json!(false), json!("incomplete"))
                {
                    run.problems.push(format!(
                        "{file}: not created unpaused and incomplete: {}",
                        a.text
                    ));
                }
                a
            }
            "reconstructed_private_link_patch_while_creating.json" => {
                let id = run.api.create_link("fixture-creating").await;
                run.api
                    .admin()
                    .set_private_link_state(&id, "CREATING", None)
                    .ok();
                run.api
                    .patch(
                        &format!("/private-links/{id}"),
                        json!({"config": {"connection_service_name": "x"}}),
                    )
                    .await
            }
            "connection_delete_404.json" => run.api.delete("/connections/connection_id").await,
            "reconstructed_429_too_many_requests.json" => {
                run.api.admin().script_fault(
                    Some("GET /v1/groups"),
                    fivetran_sim::FaultKind::TooManyRequests,
                    1,
                );
                let a = run.api.get("/groups").await;
                if a.headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .is_none()
                {
                    run.problems.push(format!("{file}: no Retry-After seconds"));
                }
                a
            }
            f if f.starts_with("certificate_") || f.starts_with("fingerprint_") => {
                if run.conn.is_empty() {
                    let c = run
                        .connection_like(
                            &json!({"data": {"service": "postgres", "paused": true, "config": {}}}),
                            "fixture_approvals",
                            false,
                        )
                        .await;
                    run.conn = c.data()["id"].as_str().unwrap_or_default().to_string();
                }
                let base = format!("/connections/{}", run.conn);
                let (what, body, hash) = if f.starts_with("certificate_") {
                    (
                        "certificates",
                        json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert}),
                        cert.hash.clone(),
                    )
                } else {
                    (
                        "fingerprints",
                        json!({"hash": key.hash, "public_key": key.public_key}),
                        key.hash.clone(),
                    )
                };
                let approved = run.api.post(&format!("{base}/{what}"), body).await;
                if f.contains("_approve_") {
                    approved
                } else if f.contains("_details_") {
                    let id = approved.data()["id"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| {
                            use base64::Engine;
                            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash.as_bytes())
                        });
                    run.api.get(&format!("{base}/{what}/{id}")).await
                } else {
                    // A second approval and a page of one, so `next_cursor` is a string as
                    // in the fixture.
                    let other = presented_certificate("db2.example.com");
                    let body = if what == "certificates" {
                        json!({"hash": other.hash, "encoded_cert": other.encoded_cert})
                    } else {
                        json!({"hash": "second", "public_key": key.public_key})
                    };
                    run.api.post(&format!("{base}/{what}"), body).await;
                    run.api.get(&format!("{base}/{what}?limit=1")).await
                }
            }
            f if NOT_SERVED.iter().any(|(n, _)| *n == f) => continue,
            _ => {
                run.problems.push(format!(
                    "{file}: no simulator request is known for this fixture"
                ));
                continue;
            }
        };
        run.check(file, &fixture, &a);
    }
    eprintln!("fixture shapes: checked {:?}", run.checked);
    let mut expected: Vec<&String> = files
        .iter()
        .filter(|f| !NOT_SERVED.iter().any(|(n, _)| n == f))
        .collect();
    expected.sort();
    assert_eq!(
        run.checked.iter().collect::<Vec<_>>(),
        expected,
        "every fixture of an endpoint the simulator serves is checked"
    );
    assert!(
        run.problems.is_empty(),
        "{} problems:\n{}",
        run.problems.len(),
        run.problems.join("\n")
    );
}
