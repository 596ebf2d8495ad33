//! Fivetran's documented rate limits, enforced by the simulator, with the provider's default
//! settings (no `requests_per_second`): the client budget alone keeps within them.

use fivetran_sim::{ClassLimit, SimConfig, SimServer};

use crate::harness::Workspace;

fn sim_with(limits: &str) -> SimServer {
    let mut config = SimConfig::instant();
    config.knobs.limits = ClassLimit::parse_list(limits).expect("valid limits");
    SimServer::spawn(config).expect("simulator")
}

#[test]
fn connection_creations_are_spaced_to_the_documented_limit_without_a_429() {
    const N: usize = 22;
    let sim = sim_with("documented");
    let group = sim.group_id().to_string();
    let body = format!(
        r#"
provider "fivetran" {{}}

resource "fivetran_connection" "c" {{
  count         = {N}
  group_id      = "{group}"
  service       = "postgres"
  schema_prefix = "c${{count.index}}"
  config = {{
    port     = 5432
    user     = "fivetran"
    database = "sales"
  }}
}}
"#
    );
    let ws = Workspace::with_sim(&sim, &body);
    let apply = ws.apply();
    apply.assert_success();
    assert!(!apply.output().contains("Error"), "{}", apply.output());
    let creations: Vec<_> = sim
        .admin()
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "POST /v1/connections")
        .collect();
    let refused = creations.iter().filter(|r| r.status == 429).count();
    assert_eq!(refused, 0, "{creations:?}");
    assert_eq!(creations.len(), N);
    // Milliseconds since the epoch: windows that cross midnight compare right.
    let t: Vec<f64> = creations
        .iter()
        .map(|r| r.at_unix_ms as f64 / 1000.0)
        .collect();
    let first = t.iter().cloned().fold(f64::MAX, f64::min);
    let late = t.iter().filter(|x| **x - first >= 59.9).count();
    // 20 in the first rolling minute, the other 2 once it frees.
    assert_eq!(late, N - 20, "{t:?}");
}

#[test]
fn a_trial_limit_fails_naming_the_limit_and_the_next_apply_converges() {
    // The API says 100 requests per hour (X-Rate-Limit); 60 links need more than that.
    let sim = sim_with("none,all=100/1h");
    let body = r#"
provider "fivetran" {}

resource "fivetran_private_link" "l" {
  count   = 60
  name    = "l${count.index}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config  = { connection_service_name = "svc-${count.index}" }
  timeouts {
    create = "30s"
  }
}
"#;
    let ws = Workspace::with_sim(&sim, body);
    let started = std::time::Instant::now();
    let first = ws.apply();
    first.assert_failure();
    let out = first
        .output()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        out.contains("Fivetran's limit of 100 requests per hour") && out.contains("frees in"),
        "{out}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "it fails within the create timeouts"
    );
    // Nothing orphaned: every link the API has is in the state.
    let in_api = sim.admin().inventory()["private_links"]
        .as_array()
        .map_or(0, Vec::len);
    let in_state = ws.state()["resources"][0]["instances"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(in_api, in_state);
    // The hour passes: the simulator's windows start afresh.
    let admin = sim.admin();
    admin.set_knobs(admin.knobs());
    ws.apply().assert_success();
    admin.set_knobs(admin.knobs());
    let plan = ws.terraform(&["plan", "-input=false", "-detailed-exitcode"]);
    plan.assert_success();
}
