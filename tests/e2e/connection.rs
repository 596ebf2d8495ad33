//! `fivetran_connection`, the `fivetran_connection_setup_tests` gate and the group and
//! connection data sources against the simulator: the private link → connection → gate
//! workflow, certificate failures and out-of-band pauses; `connection_state.rs` has
//! secrets, drift, import and validation. The helpers here serve both.

use std::time::Duration;

use fivetran_sim::{presented_certificate, DurationRange, SimConfig, SimServer};
use serde_json::{json, Value};

use crate::harness::Workspace;

pub(crate) fn sim() -> SimServer {
    SimServer::spawn(SimConfig::instant()).expect("simulator starts")
}

pub(crate) const LINK: &str = r#"
resource "fivetran_private_link" "pl" {
  name    = "pl"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-pl"
  }
}
"#;

/// A postgres connection in the simulator's group; `extra` goes inside the block.
pub(crate) fn connection(sim: &SimServer, host: &str, extra: &str) -> String {
    format!(
        r#"
resource "fivetran_connection" "db" {{
  group_id      = "{group}"
  service       = "postgres"
  schema_prefix = "sales_db"
  config = {{
    host     = "{host}"
    port     = 5432
    user     = "fivetran"
    database = "sales"
  }}
  {extra}
}}
"#,
        group = sim.group_id()
    )
}

pub(crate) fn gate(extra: &str) -> String {
    format!(
        r#"
resource "fivetran_connection_setup_tests" "db" {{
  connection_id = fivetran_connection.db.id
  {extra}
}}
"#
    )
}

pub(crate) fn rewrite(ws: &Workspace, body: &str) {
    ws.rewrite(body);
}

pub(crate) fn connection_id(ws: &Workspace) -> String {
    ws.resource("fivetran_connection.db")["attributes"]["id"]
        .as_str()
        .expect("connection id in state")
        .to_string()
}

/// The simulator's view of a connection (config masked).
pub(crate) fn sim_connection(sim: &SimServer, id: &str) -> Value {
    sim.admin().inventory()["connections"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

pub(crate) fn refresh_only(ws: &Workspace) -> crate::harness::Run {
    ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
    ])
}

/// Applies, requires success, and returns the output.
pub(crate) fn applied(ws: &Workspace) -> String {
    let run = ws.apply();
    run.assert_success();
    run.output()
}

pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn one_apply_links_creates_paused_tests_then_unpauses_and_stays_clean() {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(1500));
    let sim = SimServer::spawn(config).expect("simulator starts");
    // The data sources read the live state that the resource keeps as a snapshot.
    let data = r#"
data "fivetran_group" "g" {
  id = fivetran_connection.db.group_id
}
data "fivetran_connection" "live" {
  id = fivetran_connection_setup_tests.db.id
}
data "fivetran_group" "by_name" {
  name = "sim_warehouse"
}
output "group_name" { value = data.fivetran_group.g.name }
output "group_id_by_name" { value = data.fivetran_group.by_name.id }
output "live_paused" { value = data.fivetran_connection.live.paused }
output "live_setup_state" { value = data.fivetran_connection.live.status.setup_state }
"#;
    let main = format!(
        "{LINK}\n{}\n{}\n{data}",
        connection(
            &sim,
            "db.internal.example.com",
            "networking_method = \"PrivateLink\"\n  private_link_id   = fivetran_private_link.pl.id\n  sync_frequency    = 60"
        ),
        gate("trust_certificates = true\n  paused             = false"),
    );
    let ws = Workspace::with_sim(&sim, &main);
    ws.apply().assert_success();

    let id = connection_id(&ws);
    let link_id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("link id")
        .to_string();
    let conn = sim_connection(&sim, &id);
    assert_eq!(conn["paused"], false, "{conn}");
    assert_eq!(conn["status"]["setup_state"], "connected", "{conn}");

    // Order: link OK -> connection created (paused: no "unpaused" at creation) -> tests
    // passed (connected) -> unpaused.
    let link = sim.admin().timeline(&link_id).expect("link timeline");
    let timeline = sim.admin().timeline(&id).expect("connection timeline");
    let link_ok = link.ready_at.expect("the link became OK");
    assert!(
        timeline.created_at >= link_ok,
        "connection created before its link was OK"
    );
    let states: Vec<&str> = timeline.history.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(
        states,
        ["incomplete", "connected", "unpaused"],
        "{timeline:?}"
    );
    assert!(timeline.history.windows(2).all(|w| w[0].at <= w[1].at));

    let attrs = &ws.resource("fivetran_connection.db")["attributes"];
    assert_eq!(attrs["paused"], true, "the snapshot of the create: {attrs}");
    let gate = &ws.resource("fivetran_connection_setup_tests.db")["attributes"];
    assert_eq!(
        (gate["paused"].clone(), gate["setup_state"].clone()),
        (json!(false), json!("connected"))
    );
    assert!(
        gate["results"].as_array().is_some_and(|r| !r.is_empty()),
        "{gate}"
    );
    let outputs = ws.state()["outputs"].clone();
    assert_eq!(outputs["live_paused"]["value"], false, "{outputs}");
    assert_eq!(outputs["live_setup_state"]["value"], "connected");
    assert_eq!(outputs["group_name"]["value"], "sim_warehouse");
    assert_eq!(outputs["group_id_by_name"]["value"], sim.group_id());

    let plan = ws.plan();
    assert_eq!(
        plan.code,
        0,
        "second plan must be empty:\n{}",
        plan.output()
    );
    let refresh = refresh_only(&ws);
    assert_eq!(
        refresh.code,
        0,
        "refresh-only right after apply must be clean:\n{}",
        refresh.output()
    );

    ws.destroy().assert_success();
    assert!(sim.admin().inventory()["connections"]
        .as_array()
        .is_some_and(Vec::is_empty));
}

#[test]
fn an_unapproved_certificate_fails_the_gate_only_and_names_the_certificate() {
    let sim = sim();
    let host = "db-7.example.com";
    let ws = Workspace::with_sim(
        &sim,
        &format!("{}\n{}", connection(&sim, host, ""), gate("")),
    );
    let run = ws.apply();
    run.assert_failure();
    let out = fold(&run.output());
    let cert = presented_certificate(host);
    assert!(out.contains("Connection Setup Tests Failed"), "{out}");
    assert!(
        out.contains(&cert.sha256),
        "the error must give the sha256 {}:\n{out}",
        cert.sha256
    );
    assert!(
        out.contains(&cert.hash),
        "the error must give the hash {}:\n{out}",
        cert.hash
    );
    assert!(
        out.contains("resource \"fivetran_connection_certificate\""),
        "{out}"
    );

    let id = connection_id(&ws);
    assert_eq!(
        sim_connection(&sim, &id)["paused"],
        true,
        "the connection must stay paused"
    );
    assert_eq!(
        ws.resource("fivetran_connection_setup_tests.db")["status"],
        "tainted"
    );
    assert_eq!(
        ws.resource("fivetran_connection.db")["status"],
        Value::Null,
        "only the gate is tainted"
    );

    // Trusting the certificate: the next apply runs the tests again and unpauses.
    rewrite(
        &ws,
        &format!(
            "{}\n{}",
            connection(&sim, host, ""),
            gate("trust_certificates = true")
        ),
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 2);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply().assert_success();
    assert_eq!(sim_connection(&sim, &id)["paused"], false);
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn a_connection_paused_out_of_band_plans_a_new_gate_run() {
    let sim = sim();
    let ws = Workspace::with_sim(
        &sim,
        &format!(
            "{}\n{}",
            connection(&sim, "db.example.com", ""),
            gate("trust_certificates = true")
        ),
    );
    ws.apply().assert_success();
    let id = connection_id(&ws);
    sim.admin().pause_connection(&id, true).expect("pause");
    let plan = ws.plan();
    assert_eq!(plan.code, 2);
    assert!(
        plan.stdout
            .contains("fivetran_connection_setup_tests.db will be updated in-place"),
        "{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("fivetran_connection.db will"),
        "{}",
        plan.stdout
    );
    let tests_before = sim
        .admin()
        .count("POST /v1/connections/{connectionId}/test");
    ws.apply().assert_success();
    assert_eq!(
        sim.admin()
            .count("POST /v1/connections/{connectionId}/test"),
        tests_before + 1
    );
    assert_eq!(sim_connection(&sim, &id)["paused"], false);
    assert_eq!(ws.plan().code, 0);

    // Destroying the gate leaves the connection paused, not deleted.
    rewrite(&ws, &connection(&sim, "db.example.com", ""));
    ws.apply().assert_success();
    assert_eq!(sim_connection(&sim, &id)["paused"], true);
}
