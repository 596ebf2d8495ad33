//! `fivetran_destination` and `fivetran_destination_setup_tests` against the simulator's
//! destinations (modelled from `../shared/api/fixtures/destinations-groups/`): a destination
//! on a private link whose answers rewrite host, cloud, port and enum case plans empty,
//! while a real change shows; a delete refused for connections names them and loses
//! nothing; the gate re-runs a first incomplete run, and names the certificate to pin; import
//! by block and generated configuration plans clean.

use std::time::Duration;

use fivetran_sim::{presented_certificate, unix_millis, DurationRange, SimConfig, SimServer};
use serde_json::json;

use crate::approvals::{api, folded};
use crate::harness::Workspace;

fn refresh_only(ws: &Workspace) -> crate::harness::Run {
    ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
    ])
}

fn destination_id(ws: &Workspace, address: &str) -> String {
    ws.resource(address)["attributes"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{address} in state"))
        .to_string()
}

/// A Databricks workspace on Azure Private Link: the answers replace `server_host_name` by the
/// link's endpoint, `cloud_provider` by `AWS`, the port by text and `connection_type` by
/// upper snake case (behaviours 11-13 of the fixtures README).
fn databricks(host: &str) -> String {
    format!(
        r#"
resource "fivetran_group" "lake" {{
  name = "lakehouse"
}}

resource "fivetran_private_link" "lake" {{
  name    = "lakehouse_link"
  region  = "AZURE_EASTUS"
  service = "DATABRICKS_AZURE"
  config = {{
    connection_service_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls"
    workspace_url         = "{host}"
  }}
}}

resource "fivetran_destination" "lake" {{
  group_id         = fivetran_group.lake.id
  service          = "databricks"
  region           = "AZURE_EASTUS"
  time_zone_offset = "+1"

  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.lake.id

  config = {{
    server_host_name = "{host}"
    cloud_provider   = "AZURE"
    port             = 443
    http_path        = "/sql/1.0/warehouses/abc123"
    catalog          = "main"
    connection_type  = "PrivateLink"
  }}

  config_secrets = {{
    personal_access_token = "dapi-example-secret"
  }}
}}
"#
    )
}

#[test]
fn a_destination_on_a_private_link_plans_empty_despite_every_rewrite_and_shows_real_changes() {
    let mut config = SimConfig::instant();
    // Long enough that a destination created before the link is OK would show in the times.
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(400));
    let sim = SimServer::spawn(config).expect("simulator");
    let host = "adb-1234567890.12.azuredatabricks.net";
    let ws = Workspace::with_sim(&sim, &databricks(host));
    ws.apply().assert_success();
    let id = destination_id(&ws, "fivetran_destination.lake");
    let link_id = ws.resource("fivetran_private_link.lake")["attributes"]["id"]
        .as_str()
        .expect("link id")
        .to_string();

    // Ordered by the provider: the destination was created once its link was OK.
    let link_ready = sim
        .admin()
        .timeline(&link_id)
        .and_then(|t| t.ready_at)
        .expect("link ready");
    let created = sim.admin().timeline(&id).expect("destination").created_at;
    assert!(
        created >= link_ready,
        "destination created before its link was OK"
    );
    let creates: Vec<_> = sim
        .admin()
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "POST /v1/destinations")
        .collect();
    assert_eq!(creates.len(), 1);
    assert!(creates[0].at_unix_ms >= unix_millis(link_ready));

    // The simulator did rewrite what it was sent, as the real API does.
    let stored = sim.admin().destination_config(&id).expect("config");
    assert_ne!(stored["server_host_name"], host, "{stored:?}");
    assert_eq!(stored["cloud_provider"], "AWS");
    assert_eq!(stored["port"], "443");
    assert_eq!(stored["connection_type"], "PRIVATE_LINK");
    // The state keeps what was written.
    let attrs = &ws.resource("fivetran_destination.lake")["attributes"];
    // A dynamic attribute is stored with its type: {"value": ..., "type": ...}.
    assert_eq!(
        attrs["config"]["value"]["server_host_name"], host,
        "{attrs}"
    );
    assert_eq!(attrs["private_link_id"], link_id.as_str());
    assert_eq!(attrs["setup_status"], "incomplete", "created without tests");

    let plan = ws.plan();
    assert_eq!(
        plan.code,
        0,
        "a second plan must be empty:\n{}",
        plan.output()
    );
    let refresh = refresh_only(&ws);
    assert_eq!(refresh.code, 0, "{}", refresh.output());

    // A real change made in Fivetran afterwards shows, and the next apply sets it back.
    sim.admin()
        .set_destination_field(&id, "region", &json!("AZURE_EASTUS2"))
        .expect("region");
    sim.admin()
        .set_destination_config(&id, "catalog", Some(json!("other_catalog")))
        .expect("catalog");
    let refresh = refresh_only(&ws);
    assert_eq!(refresh.code, 2, "{}", refresh.output());
    let shown = folded(&refresh.stdout);
    assert!(
        shown.contains("AZURE_EASTUS2") && shown.contains("other_catalog"),
        "{shown}"
    );
    assert!(
        !shown.contains("server_host_name"),
        "the rewritten host is no change: {shown}"
    );
    let patches = sim.admin().count("PATCH /v1/destinations/{destinationId}");
    ws.apply().assert_success();
    assert_eq!(
        sim.admin().count("PATCH /v1/destinations/{destinationId}"),
        patches + 1
    );
    let stored = sim.admin().destination_config(&id).expect("config");
    assert_eq!(stored["catalog"], "main");
    assert_eq!(ws.plan().code, 0, "converged after the fix");

    ws.destroy().assert_success();
    let inv = sim.admin().inventory();
    assert!(
        inv["destinations"]
            .as_array()
            .is_none_or(|d| d.iter().all(|x| x["id"] != id.as_str())),
        "{inv}"
    );
}

fn snowflake(group: &str) -> String {
    format!(
        r#"
resource "fivetran_group" "wh" {{
  name = "{group}"
}}

resource "fivetran_destination" "wh" {{
  group_id         = fivetran_group.wh.id
  service          = "snowflake"
  time_zone_offset = "-5"

  config = {{
    host     = "warehouse.example.com"
    port     = 443
    database = "ANALYTICS"
    auth     = "PASSWORD"
    user     = "FIVETRAN"
  }}

  config_secrets = {{
    password = "warehouse-secret"
  }}
}}
"#
    )
}

fn held(sim: &SimServer, kind: &str, id: &str) -> bool {
    sim.admin().inventory()[kind]
        .as_array()
        .is_some_and(|items| items.iter().any(|x| x["id"] == id))
}

#[test]
fn a_destroy_refused_for_a_connection_made_outside_terraform_names_it_and_loses_nothing() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, &snowflake("refused_delete"));
    ws.apply().assert_success();
    let id = destination_id(&ws, "fivetran_destination.wh");
    // A connection created in the group outside Terraform.
    let made = api(
        &sim,
        "POST",
        "/connections",
        Some(
            json!({"group_id": id, "service": "postgres", "paused": true,
            "run_setup_tests": false,
            "config": {"schema_prefix": "outside_orders", "host": "db.example.com",
                       "port": 5432, "database": "orders", "user": "u", "password": "p"}}),
        ),
    );
    let conn = made["data"]["id"].as_str().expect("connection").to_string();

    let refused = ws.destroy();
    assert_ne!(refused.code, 0);
    let out = folded(&refused.output());
    assert!(
        out.contains("Destination Still Has Connections")
            && out.contains("outside_orders")
            && out.contains(&conn),
        "{out}"
    );
    // Nothing is lost: both stay in Fivetran and in the state.
    assert!(held(&sim, "destinations", &id) && held(&sim, "groups", &id));
    assert!(!ws.resource("fivetran_destination.wh").is_null());
    assert!(!ws.resource("fivetran_group.wh").is_null());

    api(&sim, "DELETE", &format!("/connections/{conn}"), None);
    ws.destroy().assert_success();
    assert!(!held(&sim, "destinations", &id) && !held(&sim, "groups", &id));
}

#[test]
fn the_metadata_connection_fivetran_adds_on_its_own_is_named_as_such() {
    let mut config = SimConfig::instant();
    config.knobs.destination_metadata_connection = true;
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(&sim, &snowflake("metadata_blocks"));
    ws.apply().assert_success();
    let id = destination_id(&ws, "fivetran_destination.wh");
    let refused = ws.destroy();
    assert_ne!(refused.code, 0);
    let out = folded(&refused.output());
    assert!(
        out.contains("fivetran_metadata")
            && out.contains("Fivetran may have created this one on its own"),
        "{out}"
    );
    let listed = api(&sim, "GET", &format!("/connections?group_id={id}"), None);
    for c in listed["data"]["items"].as_array().into_iter().flatten() {
        api(
            &sim,
            "DELETE",
            &format!("/connections/{}", c["id"].as_str().expect("id")),
            None,
        );
    }
    ws.destroy().assert_success();
    assert!(!held(&sim, "destinations", &id));
}

fn gated(group: &str, gate_extra: &str) -> String {
    format!(
        "{}\nresource \"fivetran_destination_setup_tests\" \"wh\" {{\n  destination_id = fivetran_destination.wh.id\n{gate_extra}}}\n",
        snowflake(group)
    )
}

#[test]
fn the_gate_runs_a_first_incomplete_run_once_more_and_retests_a_broken_destination() {
    let mut config = SimConfig::instant();
    config.knobs.destination_first_setup_tests_incomplete = true;
    let sim = SimServer::spawn(config).expect("simulator");
    // Without the second run the gate would wait for `connected` until its timeout: keep
    // that short, so that a regression fails quickly.
    let ws = Workspace::with_sim(
        &sim,
        &gated(
            "gate_rerun",
            "  trust_certificates = true\n  timeouts {\n    create = \"20s\"\n    update = \"20s\"\n  }\n",
        ),
    );
    ws.apply().assert_success();
    let id = destination_id(&ws, "fivetran_destination.wh");
    let runs = || {
        sim.admin()
            .count("POST /v1/destinations/{destinationId}/test")
    };
    assert_eq!(
        runs(),
        2,
        "the first run was incomplete without a failure: once more"
    );
    assert_eq!(
        ws.resource("fivetran_destination_setup_tests.wh")["attributes"]["setup_status"],
        "connected"
    );
    assert_eq!(
        sim.admin().destination_setup_status(&id).as_deref(),
        Some("connected")
    );
    // The destination's own setup_status is a snapshot: the gate connecting it is no drift.
    assert_eq!(ws.plan().code, 0);
    assert_eq!(refresh_only(&ws).code, 0);

    // Broken outside Terraform: the gate plans a new run, which connects it again.
    sim.admin()
        .set_destination_field(&id, "setup_status", &json!("broken"))
        .expect("status");
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert!(
        plan.stdout.contains("fivetran_destination_setup_tests.wh")
            && !plan.stdout.contains("fivetran_destination.wh will"),
        "{}",
        plan.stdout
    );
    ws.apply().assert_success();
    assert_eq!(runs(), 3);
    assert_eq!(ws.plan().code, 0);
    ws.destroy().assert_success();
}

#[test]
fn a_failed_run_names_the_certificate_block_and_passes_once_it_is_added() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, &gated("gate_pin", ""));
    let failed = ws.apply();
    assert_ne!(failed.code, 0);
    let out = folded(&failed.output());
    let sha256 = presented_certificate("warehouse.example.com").sha256;
    assert!(
        out.contains("Destination Setup Tests Failed")
            && out.contains("resource \"fivetran_destination_certificate\"")
            && out.contains(&sha256),
        "{out}"
    );
    // The destination exists and is recorded; only the gate failed.
    let id = destination_id(&ws, "fivetran_destination.wh");
    assert!(held(&sim, "destinations", &id));

    let pinned = format!(
        "{}\nresource \"fivetran_destination_certificate\" \"wh\" {{\n  destination_id = fivetran_destination.wh.id\n  sha256         = \"{sha256}\"\n}}\n",
        gated(
            "gate_pin",
            "  depends_on = [fivetran_destination_certificate.wh]\n"
        )
    );
    ws.rewrite(&pinned);
    ws.apply().assert_success();
    assert_eq!(
        ws.resource("fivetran_destination_setup_tests.wh")["attributes"]["setup_status"],
        "connected"
    );
    assert_eq!(ws.plan().code, 0);
    ws.destroy().assert_success();
}

#[test]
fn a_destination_imports_by_block_with_generated_configuration_and_plans_clean() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, &snowflake("imported_wh"));
    ws.apply().assert_success();
    let id = destination_id(&ws, "fivetran_destination.wh");
    ws.terraform(&["state", "rm", "fivetran_destination.wh"])
        .assert_success();
    // Keep the group in the configuration; generate the destination's.
    let group_only = snowflake("imported_wh");
    let group_only = &group_only[..group_only
        .find("resource \"fivetran_destination\"")
        .expect("destination block")];
    ws.rewrite(group_only);
    ws.write(
        "import.tf",
        &format!("import {{\n  to = fivetran_destination.wh\n  id = \"{id}\"\n}}\n"),
    );
    let generated = ws.terraform(&["plan", "-input=false", "-generate-config-out=generated.tf"]);
    assert_eq!(generated.code, 0, "{}", generated.output());
    let text = std::fs::read_to_string(ws.dir().join("generated.tf")).expect("generated.tf");
    assert!(
        text.contains("service") && text.contains("snowflake") && text.contains("ANALYTICS"),
        "{text}"
    );
    ws.apply().assert_success();
    assert_eq!(destination_id(&ws, "fivetran_destination.wh"), id);
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.output());
    assert_eq!(refresh_only(&ws).code, 0);
    // The generated configuration has no secrets: Fivetran never shows them.
    assert!(!text.contains("warehouse-secret"));
    ws.terraform(&["destroy", "-auto-approve", "-input=false"])
        .assert_success();
    assert!(!held(&sim, "destinations", &id));
}
