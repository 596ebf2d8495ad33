//! Promises the documentation makes that no other test held: `wait_for_ready = false`
//! returns while the link provisions; a connection waits for a link that is not `OK` yet (the
//! Azure flow); an update that ends in `FAIL` is an error that quotes Fivetran's
//! `state_summary`; update and delete timeouts stop the wait and keep what was done; each
//! wait's progress shows at `TF_LOG_PROVIDER=DEBUG`.

use std::time::Duration;

use fivetran_sim::{DurationRange, SimConfig, SimServer};

use crate::harness::{wait_until, Workspace};

/// Whitespace folded: Terraform wraps diagnostic text.
fn flat(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn link(extra: &str, service_name: &str) -> String {
    format!(
        r#"
resource "fivetran_private_link" "pl" {{
  name    = "promised"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {{
    connection_service_name = "{service_name}"
  }}
  {extra}
}}
"#
    )
}

#[test]
fn wait_for_ready_false_returns_while_the_link_is_still_creating() {
    // Ten minutes of provisioning: an apply that waited would not have returned.
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(600));
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(&sim, &link("wait_for_ready = false", "svc-a"));
    ws.apply().assert_success();
    let state = ws.resource("fivetran_private_link.pl");
    let id = state["attributes"]["id"].as_str().expect("id in state");
    assert_eq!(state["attributes"]["state"], "CREATING", "{state}");
    assert_eq!(
        sim.admin().private_link_state(id).as_deref(),
        Some("CREATING"),
        "the apply returned before the link was ready"
    );
    let polls = sim.admin().count("GET /v1/private-links/{privateLinkId}");
    assert!(
        polls <= 1,
        "no wait: at most the read that completes the created object ({polls} reads)"
    );
}

#[test]
fn an_update_that_ends_in_fail_is_an_error_quoting_the_summary() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, &link("", "svc-a"));
    ws.apply().assert_success();
    sim.admin()
        .update_knobs(|k| k.failing_links = vec!["promised".into()]);
    ws.rewrite(&link("", "svc-b"));
    let run = ws.apply();
    run.assert_failure();
    let out = run.output();
    assert!(out.contains("Error:"), "{out}");
    assert!(
        out.to_lowercase().contains("fail"),
        "the FAIL state is named:\n{out}"
    );
    let id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .map(str::to_string)
        .expect("the link stays in state");
    assert_eq!(sim.admin().private_link_state(&id).as_deref(), Some("FAIL"));
    let history: Vec<String> = sim
        .admin()
        .timeline(&id)
        .map(|t| t.history.into_iter().map(|c| c.state).collect())
        .unwrap_or_default();
    assert_eq!(history, ["CREATING", "OK", "UPDATING", "FAIL"]);
    let summary = sim.admin().inventory()["private_links"][0]["state_summary"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Terraform wraps diagnostic text: compare with whitespace collapsed.
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !summary.is_empty() && flat(&out).contains(&flat(&summary)),
        "the error quotes Fivetran's state_summary {summary:?}:\n{out}"
    );
    let recorded = ws.resource("fivetran_private_link.pl")["attributes"]["state"].clone();
    assert_eq!(recorded, "FAIL", "the state shows the failure");
}

/// A link and a connection on it, for the flows where the link is not `OK` when the
/// connection's turn comes.
fn link_and_connection(sim: &SimServer, link_extra: &str, connection_extra: &str) -> String {
    format!(
        r#"{}
resource "fivetran_connection" "c" {{
  group_id          = "{}"
  service           = "postgres"
  schema_prefix     = "behind_link"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.pl.id
  config            = {{ host = "db.example.com", port = 5432, database = "db", user = "fivetran" }}
  {connection_extra}
}}
"#,
        link(link_extra, "svc-azure"),
        sim.group_id()
    )
}

#[test]
fn a_connection_waits_for_a_link_that_is_not_ok_yet() {
    // The Azure flow: the link is created without waiting (its endpoint is accepted on the
    // customer's side meanwhile); the connection is what waits. The link stays CREATING
    // until three detail reads have seen it so, whatever the clock says.
    let mut config = SimConfig::instant();
    config.knobs.polls_until_ready = 3;
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(
        &sim,
        &link_and_connection(&sim, "wait_for_ready = false", ""),
    );
    ws.apply().assert_success();
    let link_id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("link in state")
        .to_string();
    let connection_id = ws.resource("fivetran_connection.c")["attributes"]["id"]
        .as_str()
        .expect("connection in state")
        .to_string();
    let ready = sim
        .admin()
        .timeline(&link_id)
        .and_then(|t| t.ready_at)
        .expect("the link became OK");
    let created = sim
        .admin()
        .timeline(&connection_id)
        .expect("connection timeline")
        .created_at;
    assert!(
        created >= ready,
        "the connection was created before its link was OK"
    );
    let reads = sim.admin().count("GET /v1/private-links/{privateLinkId}");
    assert!(reads >= 3, "the connection polled the link ({reads} reads)");
    assert_eq!(sim.admin().count("POST /v1/connections"), 1);
}

#[test]
fn a_connection_whose_link_fails_is_not_created_and_says_why() {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(300));
    config.knobs.failing_links = vec!["promised".into()];
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(
        &sim,
        &link_and_connection(&sim, "wait_for_ready = false", ""),
    );
    let run = ws.apply();
    run.assert_failure();
    let out = flat(&run.output());
    let link_id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("link in state")
        .to_string();
    assert!(
        out.contains(&format!("The private link \"{link_id}\" Failed")),
        "the error names the link and its failure: {out}"
    );
    assert_eq!(sim.admin().count("POST /v1/connections"), 0, "{out}");
    assert!(ws.resource("fivetran_connection.c").is_null());
}

#[test]
fn a_connection_gives_up_on_its_link_at_its_create_timeout_and_creates_nothing() {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(600));
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(
        &sim,
        &link_and_connection(
            &sim,
            "wait_for_ready = false",
            "timeouts {\n    create = \"3s\"\n  }",
        ),
    );
    let started = std::time::Instant::now();
    let run = ws.apply();
    run.assert_failure();
    let out = flat(&run.output());
    assert!(
        out.contains("Timed Out Waiting for the private link")
            && out.contains("Nothing was created yet"),
        "{out}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "stopped at the timeout, not the provisioning"
    );
    assert_eq!(sim.admin().count("POST /v1/connections"), 0, "{out}");
    assert!(ws.resource("fivetran_connection.c").is_null());
}

#[test]
fn update_and_delete_timeouts_stop_the_wait_keep_the_link_and_the_next_run_converges() {
    let mut config = SimConfig::instant();
    config.knobs.update = DurationRange::fixed(Duration::from_secs(8));
    config.knobs.destroy = DurationRange::fixed(Duration::from_secs(8));
    let sim = SimServer::spawn(config).expect("simulator");
    let timeouts = "timeouts {\n    update = \"2s\"\n    delete = \"2s\"\n  }";
    let ws = Workspace::with_sim(&sim, &link(timeouts, "svc-a"));
    ws.apply().assert_success();
    let id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();

    // Update: the PATCH is sent, the wait stops at 2 s of 8, the change stays recorded.
    ws.rewrite(&link(timeouts, "svc-b"));
    let update = ws.apply();
    update.assert_failure();
    let out = flat(&update.output());
    assert!(
        out.contains("Timed Out Waiting for the private link \"promised\"")
            && out.contains("The change was sent and is recorded in the state"),
        "{out}"
    );
    assert!(
        !out.contains("replaces it"),
        "an update is not replaced: {out}"
    );
    assert_eq!(
        sim.admin().private_link_state(&id).as_deref(),
        Some("UPDATING")
    );
    let recorded = ws.resource("fivetran_private_link.pl");
    assert_eq!(recorded["attributes"]["id"], id.as_str());
    assert_eq!(
        recorded["attributes"]["config"]["connection_service_name"], "svc-b",
        "{recorded}"
    );
    assert_eq!(recorded["attributes"]["state"], "UPDATING", "{recorded}");
    assert_eq!(
        recorded["status"],
        serde_json::Value::Null,
        "not tainted: {recorded}"
    );
    assert!(
        wait_until(Duration::from_secs(60), || {
            sim.admin().private_link_state(&id).as_deref() == Some("OK")
        }),
        "the update finishes on the API's side"
    );
    let plan = ws.plan();
    assert_eq!(
        plan.code,
        0,
        "converged once the update finished:\n{}",
        plan.output()
    );

    // Delete: the DELETE is sent, the wait stops at 2 s of 8, the link stays in state.
    let destroy = ws.destroy();
    destroy.assert_failure();
    let out = flat(&destroy.output());
    assert!(
        out.contains("Timed Out Waiting for the private link \"promised\"")
            && out.contains("The object stays in the state"),
        "{out}"
    );
    assert_eq!(
        ws.resource("fivetran_private_link.pl")["attributes"]["id"],
        id.as_str()
    );
    assert!(
        wait_until(Duration::from_secs(60), || {
            sim.admin().private_link_state(&id).is_none()
        }),
        "the deletion finishes on the API's side"
    );
    ws.destroy().assert_success();
    assert!(ws.resource("fivetran_private_link.pl").is_null());
    assert_eq!(
        sim.admin()
            .count("DELETE /v1/private-links/{privateLinkId}"),
        1
    );
}

#[test]
fn each_wait_s_progress_shows_at_tf_log_provider_debug() {
    let mut config = SimConfig::instant();
    config.knobs.polls_until_ready = 2;
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(&sim, &link("", "svc-a"));
    let log = ws.dir().join("provider.log");
    let ws = ws
        .env("TF_LOG_PROVIDER", "DEBUG")
        .env("TF_LOG_PATH", &log.display().to_string());
    ws.apply().assert_success();
    let text = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
    let progress: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("still waiting"))
        .collect();
    assert!(
        progress.iter().any(|l| {
            l.contains("creating private link")
                && l.contains("state=CREATING")
                && l.contains("waited_s=")
                && l.contains("polls=")
        }),
        "a progress line names the wait, its state, the time waited and the polls:\n{}",
        progress.join("\n")
    );
    assert!(
        text.lines()
            .any(|l| l.contains("creating private link") && l.contains(": ready")),
        "the end of the wait is logged"
    );
    assert!(!text.contains(sim.api_secret()), "no secret in the log");
}
