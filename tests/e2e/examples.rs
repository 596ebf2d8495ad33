//! The quickstart and the reusable module are applied and destroyed for real against the
//! simulator: the one-apply private-link flow (link -> connection -> pin -> gate).

use std::path::PathBuf;
use std::time::Duration;

use fivetran_sim::{presented_certificate, DurationRange, SimConfig, SimServer};

use crate::harness::Workspace;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn sim() -> SimServer {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(500));
    SimServer::spawn(config).expect("simulator")
}

fn inventory_is_empty(sim: &SimServer) -> bool {
    let inv = sim.admin().inventory();
    ["private_links", "connections"]
        .iter()
        .all(|k| inv[*k].as_array().is_none_or(Vec::is_empty))
}

#[test]
fn the_quickstart_runs_the_whole_flow_in_one_apply() {
    let sim = sim();
    let main_tf =
        std::fs::read_to_string(examples().join("quickstart/main.tf")).expect("quickstart");
    let host = "orders-db.internal.example.com";
    let ws = Workspace::new(&main_tf)
        .env("FIVETRAN_APIKEY", sim.api_key())
        .env("FIVETRAN_APISECRET", sim.api_secret())
        .env("FIVETRAN_API_URL", &sim.base_url())
        .env("TF_VAR_group_id", sim.group_id())
        .env("TF_VAR_database_host", host)
        .env("TF_VAR_database_password", "quickstart-secret")
        .env(
            "TF_VAR_database_certificate_sha256",
            &presented_certificate(host).sha256,
        );
    ws.apply().assert_success();

    let inv = sim.admin().inventory();
    let connection = &inv["connections"][0];
    let id = connection["id"].as_str().expect("connection id");
    assert_eq!(
        connection["paused"], false,
        "the gate unpaused the connection: {connection}"
    );
    assert_eq!(
        sim.admin().connection_setup_state(id).as_deref(),
        Some("connected")
    );
    let link_id = inv["private_links"][0]["id"].as_str().expect("link id");
    let link_ready = sim
        .admin()
        .timeline(link_id)
        .and_then(|t| t.ready_at)
        .expect("link ready");
    let created = sim
        .admin()
        .timeline(id)
        .expect("connection timeline")
        .created_at;
    assert!(
        created >= link_ready,
        "the connection was created before the link was OK"
    );

    assert_eq!(ws.plan().code, 0, "a second plan must be empty");
    let refresh = ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
    ]);
    assert_eq!(refresh.code, 0, "{}", refresh.output());
    ws.destroy().assert_success();
    assert!(
        inventory_is_empty(&sim),
        "destroy left objects: {}",
        sim.admin().inventory()
    );
}

#[test]
fn the_private_connection_module_applies_and_destroys() {
    let sim = sim();
    let host = "module-db.internal.example.com";
    let module = examples().join("modules/private-connection");
    let root = format!(
        r#"
module "orders" {{
  source = "{}"

  name        = "orders_module"
  region      = "AWS_US_EAST_1"
  link_config = {{ connection_service_name = "svc-module" }}

  group_id      = "{}"
  service       = "postgres"
  schema_prefix = "orders_module"
  config        = {{ host = "{host}", port = 5432, database = "orders", user = "fivetran" }}
  secrets       = {{ password = "module-secret" }}

  certificate_sha256 = ["{}"]
}}

output "setup_state" {{
  value = module.orders.setup_state
}}
"#,
        module.display(),
        sim.group_id(),
        presented_certificate(host).sha256
    );
    let ws = Workspace::with_sim(&sim, &root);
    ws.terraform(&["get"]).assert_success();
    ws.apply().assert_success();
    let out = ws.terraform(&["output", "-raw", "setup_state"]);
    assert_eq!(out.stdout.trim(), "connected");
    assert_eq!(ws.plan().code, 0, "a second plan must be empty");
    ws.destroy().assert_success();
    assert!(
        inventory_is_empty(&sim),
        "destroy left objects: {}",
        sim.admin().inventory()
    );
}
