//! Promises the documentation makes that no other test held: `wait_for_ready = false`
//! returns while the link provisions, and an update that ends in `FAIL` is an error that
//! quotes Fivetran's `state_summary`.

use std::time::Duration;

use fivetran_sim::{DurationRange, SimConfig, SimServer};

use crate::harness::Workspace;

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
    ws.write(
        "main.tf",
        &format!(
            "{}\n{}",
            crate::harness::REQUIRED_PROVIDERS,
            link("", "svc-b")
        ),
    );
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
