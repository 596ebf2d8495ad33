//! The provider on the API as the evidence shows it (issue: works against the real
//! Fivetran API): a configuration written the way Fivetran's private-link tutorial writes
//! its requests, and a destroy that meets a link still being created.

use fivetran_sim::{presented_certificate, SimConfig, SimServer};
use serde_json::Value;

use crate::harness::{Workspace, REQUIRED_PROVIDERS};

fn inventory_count(sim: &SimServer, key: &str) -> usize {
    sim.admin().inventory()[key].as_array().map_or(0, Vec::len)
}

fn approvals_count(sim: &SimServer) -> usize {
    sim.admin().inventory()["approvals"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            a["certificates"].as_array().map_or(0, Vec::len)
                + a["fingerprints"].as_array().map_or(0, Vec::len)
        })
        .sum()
}

/// The tutorial's names and values: link `pl-source-aws-prod` (a hyphenated name the
/// provider used to refuse), the port as text (`"port": "<port>"` in the tutorial; the API
/// stores a number), a certificate pinned by a hash holding `/` and `+`.
fn tutorial_config(sim: &SimServer, hash: &str, encoded: &str) -> String {
    format!(
        r#"{REQUIRED_PROVIDERS}
resource "fivetran_private_link" "tutorial" {{
  name    = "pl-source-aws-prod"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {{
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  }}
}}

resource "fivetran_connection" "db" {{
  group_id          = "{group}"
  service           = "postgres_rds"
  schema_prefix     = "tutorial_pg"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.tutorial.id
  config = {{
    host     = "db-7.example.com"
    port     = "5432"
    database = "app"
    user     = "fivetran"
  }}
  config_secrets = {{
    password = "change-me"
  }}
}}

resource "fivetran_connection_certificate" "db" {{
  connection_id = fivetran_connection.db.id
  hash          = "{hash}"
  encoded_cert  = "{encoded}"
}}

resource "fivetran_connection_setup_tests" "db" {{
  connection_id = fivetran_connection.db.id
  paused        = false
  depends_on    = [fivetran_connection_certificate.db]
}}
"#,
        group = sim.group_id()
    )
}

#[test]
fn a_flow_written_like_the_tutorial_applies_plans_empty_twice_and_destroys_clean() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator starts");
    let cert = presented_certificate("db-7.example.com");
    assert!(
        cert.hash.contains('/') && cert.hash.contains('+'),
        "the pinned hash must hold '/' and '+': {}",
        cert.hash
    );
    let ws = Workspace::with_sim(&sim, "");
    ws.write(
        "main.tf",
        &tutorial_config(&sim, &cert.hash, &cert.encoded_cert),
    );
    ws.apply().assert_success();

    let conn = &sim.admin().inventory()["connections"][0];
    assert_eq!(conn["paused"], false, "{conn}");
    assert_eq!(conn["status"]["setup_state"], "connected", "{conn}");
    assert!(
        conn["config"]["port"].is_number(),
        "the API stores the port as a number: {}",
        conn["config"]
    );
    assert_eq!(approvals_count(&sim), 1);
    let state = ws.resource("fivetran_connection.db");
    assert_eq!(state["attributes"]["networking_method"], "PrivateLink");

    let plan = ws.terraform(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 0, "plan after apply:\n{}", plan.output());
    let refresh = ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
        "-no-color",
    ]);
    assert_eq!(refresh.code, 0, "refresh-only plan:\n{}", refresh.output());

    ws.destroy().assert_success();
    assert_eq!(inventory_count(&sim, "private_links"), 0);
    assert_eq!(inventory_count(&sim, "connections"), 0);
    assert_eq!(approvals_count(&sim), 0);
}

#[test]
fn destroy_right_after_a_create_timeout_waits_for_the_link_and_leaves_nothing() {
    let mut config = SimConfig::instant();
    // Provisioning ends with the sixth read of the link, however loaded the machine: the
    // create's 2 s of polling reads it at most three times, so the destroy meets it still
    // CREATING and must wait.
    config.knobs.polls_until_ready = 6;
    let sim = SimServer::spawn(config).expect("simulator starts");
    let ws = Workspace::with_sim(
        &sim,
        r#"
resource "fivetran_private_link" "slow" {
  name    = "pl-slow"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-slow"
  }
  timeouts {
    create = "2s"
  }
}
"#,
    );
    let run = ws.apply();
    run.assert_failure();
    let state: Value = ws.resource("fivetran_private_link.slow");
    assert_eq!(
        state["attributes"]["state"], "CREATING",
        "the link is recorded mid-creation"
    );
    let id = state["attributes"]["id"]
        .as_str()
        .expect("id in state")
        .to_string();
    let before = sim.admin().requests().len();
    let destroy = ws.destroy();
    destroy.assert_success();
    assert!(
        !destroy.output().contains("IllegalState"),
        "IllegalState is waited out, not shown:\n{}",
        destroy.output()
    );
    assert_eq!(inventory_count(&sim, "private_links"), 0);

    // From the simulator's history: the destroy met the link still CREATING, waited until
    // it was OK, and only then sent the DELETE, which removed it.
    let timeline = sim
        .admin()
        .timeline(&id)
        .expect("a deleted link keeps its timeline");
    let entered = |state: &str| {
        timeline
            .history
            .iter()
            .find(|c| c.state == state)
            .map(|c| fivetran_sim::unix_millis(c.at))
            .unwrap_or_else(|| panic!("no {state} in {timeline:?}"))
    };
    let (ok_at, gone_at) = (entered("OK"), entered(fivetran_sim::GONE));
    let destroying: Vec<_> = sim.admin().requests()[before..]
        .iter()
        .filter(|r| r.path.contains(&id))
        .cloned()
        .collect();
    let first = destroying.first().expect("the destroy reads the link");
    assert!(
        first.at_unix_ms < ok_at,
        "the destroy began while the link was CREATING: {destroying:?}"
    );
    let deletes: Vec<_> = destroying.iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(
        deletes.len(),
        1,
        "one DELETE, after the wait: {destroying:?}"
    );
    assert!(
        deletes[0].at_unix_ms >= ok_at && deletes[0].at_unix_ms <= gone_at,
        "the DELETE went out once the link was OK: {destroying:?}"
    );
    assert_eq!(deletes[0].status, 200, "{destroying:?}");
}
