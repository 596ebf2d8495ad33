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

/// The `terraform import` line of an example's `import.sh`: (address, id as written).
fn import_line(script: &str) -> (String, String) {
    let line = script
        .lines()
        .find(|l| l.trim_start().starts_with("terraform import "))
        .expect("a terraform import line");
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.len(), 4, "terraform import ADDRESS ID: {line}");
    (
        words[2].to_string(),
        words[3].trim_matches('\'').to_string(),
    )
}

/// Creates, through the API, what an example refers to by a literal id; returns the
/// replacements that turn the example's ids into the simulator's.
fn parents_of(example: &str, sim: &SimServer) -> Vec<(&'static str, String)> {
    let g = sim.group_id().to_string();
    let connection = |tunnel: Option<&str>| {
        let mut config = serde_json::json!({
            "schema_prefix": format!("import_{example}"),
            "host": "orders-db.example.com", "port": 5432, "database": "orders",
            "user": "fivetran", "password": "example-secret",
        });
        if let Some(t) = tunnel {
            config["tunnel_host"] = t.into();
        }
        let created = crate::approvals::api(
            sim,
            "POST",
            "/connections",
            Some(
                serde_json::json!({"group_id": g, "service": "postgres", "paused": true,
                "run_setup_tests": false, "config": config}),
            ),
        );
        created["data"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("connection created: {created}"))
            .to_string()
    };
    let destination = |tunnel: Option<&str>| {
        sim.admin()
            .set_destination_host(&g, "warehouse.example.com", tunnel)
            .expect("destination host");
    };
    match example {
        "fivetran_connection_certificate" => vec![("orders_db_connection", connection(None))],
        "fivetran_connection_fingerprint" => vec![(
            "orders_db_connection",
            connection(Some("bastion.example.com")),
        )],
        "fivetran_connection_setup_tests" => vec![("decent_dropsy", g.clone())],
        "fivetran_destination_certificate" => {
            destination(None);
            vec![("warehouse_group", g.clone())]
        }
        "fivetran_destination_fingerprint" => {
            destination(Some("bastion.example.com"));
            vec![("warehouse_group", g.clone())]
        }
        _ => vec![],
    }
}

/// Whether two values are the same as Fivetran means it: a destination's config shows
/// numbers and booleans as text (`443` as `"443"`), so after an import the written number
/// differs from the imported text in Terraform's eyes, and the apply sends nothing for it.
fn same_as_fivetran_means(before: &serde_json::Value, after: &serde_json::Value) -> bool {
    terraform_provider_fivetran::resources::common::config::json_equal(before, after)
}

/// Arguments Fivetran never returns, which an import therefore cannot fill in.
const UNKNOWABLE_ON_IMPORT: [&str; 5] = [
    "timeouts",
    "config_secrets_wo_version",
    "trust_certificates",
    "trust_fingerprints",
    "triggers",
];

#[test]
fn every_import_sh_runs_as_written_and_the_imported_resource_plans_clean() {
    let mut ran = Vec::new();
    let registered = terraform_provider_fivetran::resources::resources();
    for r in &registered {
        let name = r.type_name();
        let dir = examples().join("resources").join(name);
        let mut config = SimConfig::instant();
        // The connection example finds its group by this name.
        config.group_name = "warehouse".to_string();
        let sim = SimServer::spawn(config).expect("simulator");
        let subs = parents_of(name, &sim);
        let substitute = |text: &str| {
            subs.iter()
                .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
        };
        let resource_tf =
            substitute(&std::fs::read_to_string(dir.join("resource.tf")).expect("resource.tf"));
        let script = std::fs::read_to_string(dir.join("import.sh")).expect("import.sh");
        let (address, written_id) = import_line(&script);
        assert!(
            address.starts_with(&format!("{name}.")),
            "{name}: import.sh imports {address}"
        );
        let ws = Workspace::with_sim(&sim, &resource_tf)
            .env("TF_VAR_db_password", "example-secret")
            .env("TF_VAR_warehouse_password", "example-secret");
        // Create the object the script imports (and what it needs), then forget it.
        let target = format!("-target={address}");
        ws.terraform(&["apply", "-auto-approve", "-input=false", &target])
            .assert_success();
        let id = ws.resource(&address)["attributes"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{address} created"))
            .to_string();
        ws.terraform(&["state", "rm", &address]).assert_success();
        assert!(ws.resource(&address).is_null());
        // The script with its placeholders filled in, as a user would.
        let filled: String = substitute(&script)
            .lines()
            .map(|l| {
                if l.trim_start().starts_with('#') {
                    l.to_string()
                } else {
                    l.replace("<private_link_id>", &id)
                        .replace("<connection_id>", &id)
                        .replace("<group_id>", &id)
                        .replace("<destination_id>", &id)
                }
            })
            .map(|l| l + "\n")
            .collect();
        let command = filled
            .lines()
            .find(|l| l.starts_with("terraform import"))
            .unwrap_or_default();
        assert!(
            !command.contains('<'),
            "{name}: a placeholder is left: {command}"
        );
        ws.write("import.sh", &filled);
        let run = ws.bash("import.sh");
        run.assert_success();
        assert!(
            run.stdout.contains("Import successful"),
            "{name}: {}",
            run.output()
        );
        assert_eq!(
            ws.resource(&address)["attributes"]["id"],
            id.as_str(),
            "{name}: the script imported the object it names ({written_id})"
        );
        let plan = ws.terraform(&[
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-out=after-import.tfplan",
            &target,
        ]);
        if plan.code == 2 {
            // What an import cannot know, because Fivetran does not return it: the example's
            // `timeouts` block, the version of the write-only secrets it sets (the apply then
            // sends them, as the import docs say), and how a gate runs the tests (its
            // `trust_*` arguments; the apply runs them once more). Those are the only changes
            // allowed; `timeouts` alone asks nothing of the API.
            let shown = ws.terraform(&["show", "-json", "after-import.tfplan"]);
            let shown: serde_json::Value = serde_json::from_str(&shown.stdout).expect("plan JSON");
            let change = shown["resource_changes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["address"] == address.as_str())
                .map(|c| c["change"].clone())
                .unwrap_or_default();
            assert_eq!(
                change["actions"],
                serde_json::json!(["update"]),
                "{name}: {change}"
            );
            let changed: Vec<&String> = change["after"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, v)| !same_as_fivetran_means(&change["before"][k.as_str()], v))
                .filter(|(k, _)| change["after_unknown"][k.as_str()] != true)
                .map(|(k, _)| k)
                .collect();
            assert!(
                !changed.is_empty()
                    && changed
                        .iter()
                        .all(|k| UNKNOWABLE_ON_IMPORT.contains(&k.as_str())),
                "{name}: only what an import cannot know may differ ({changed:?}):\n{}",
                plan.output()
            );
            let writes = |sim: &SimServer| {
                sim.admin()
                    .requests()
                    .iter()
                    .filter(|r| r.method != "GET")
                    .count()
            };
            let before = writes(&sim);
            ws.terraform(&[
                "apply",
                "-auto-approve",
                "-input=false",
                "after-import.tfplan",
            ])
            .assert_success();
            if changed.iter().all(|k| k.as_str() == "timeouts") {
                assert_eq!(
                    writes(&sim),
                    before,
                    "{name}: recording timeouts sent a request"
                );
            }
            let again = ws.terraform(&["plan", "-detailed-exitcode", "-input=false", &target]);
            assert_eq!(again.code, 0, "{name}:\n{}", again.output());
        } else {
            assert_eq!(
                plan.code,
                0,
                "{name}: the imported resource must plan clean against its example:\n{}",
                plan.output()
            );
        }
        ran.push(name);
    }
    // Every registered resource ran (a missing import.sh fails above, when it is read).
    assert_eq!(ran.len(), registered.len(), "{ran:?}");
}
