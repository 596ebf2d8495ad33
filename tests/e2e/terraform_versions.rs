//! The version matrix: the core flows on every Terraform in [`terraforms`] (the one on `PATH`,
//! 1.11 here, and 1.0.3 when it can be fetched). Each test starts one simulator and runs its
//! flow on each binary in turn; features a Terraform lacks take that version's way (the
//! `terraform import` command instead of `import` blocks before 1.5) or are checked to fail
//! clearly (write-only attributes before 1.11).

use std::time::Duration;

use fivetran_sim::{presented_certificate, DurationRange, SimConfig, SimServer};

use crate::harness::{terraforms, Terraform, Workspace, REQUIRED_PROVIDERS};

fn sim() -> SimServer {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(300));
    SimServer::spawn(config).expect("simulator")
}

fn inventory(sim: &SimServer, kind: &str) -> Vec<serde_json::Value> {
    sim.admin().inventory()[kind]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn workspace(sim: &SimServer, tf: &Terraform, body: &str) -> Workspace {
    Workspace::with_sim(sim, body).using(tf)
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `plan -refresh-only -detailed-exitcode` finds nothing to record.
///
/// Before Terraform 1.2 it exits 2 without a change whenever a resource with two or more
/// dependencies gets them back in another order: Terraform collects dependencies in a Go
/// map, stores them as a list in random order, and its refresh-only exit code compares the
/// refreshed state with the last one byte for byte (`Plan.CanApply` ->
/// `State.ManagedResourcesEqual`, a `reflect.DeepEqual`). Terraform 1.2 sorts them
/// (hashicorp/terraform commit 9b449bec, "Sort dependencies when encoding
/// `ResourceInstanceObject`"). So on an older Terraform an exit 2 is accepted only when the
/// saved plan proves it is that: no resource change, no output change, every resource's
/// values as in the state, and its dependencies the same set in another order.
#[track_caller]
pub(crate) fn assert_refresh_finds_nothing(ws: &Workspace, tf: &Terraform) {
    let refresh = ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
        "-out=refresh.tfplan",
    ]);
    if refresh.code == 0 {
        return;
    }
    assert!(
        refresh.code == 2 && !tf.at_least(1, 2),
        "the refresh-only plan must find nothing (exit {}):\n{}",
        refresh.code,
        refresh.output()
    );
    let show = ws.terraform(&["show", "-json", "refresh.tfplan"]);
    show.assert_success();
    let plan: serde_json::Value = serde_json::from_str(&show.stdout).expect("plan JSON");
    let noop = |changes: &serde_json::Value| {
        changes
            .as_array()
            .map(|a| {
                a.iter()
                    .all(|c| c["change"]["actions"] == serde_json::json!(["no-op"]))
            })
            .or_else(|| {
                changes.as_object().map(|o| {
                    o.values()
                        .all(|c| c["actions"] == serde_json::json!(["no-op"]))
                })
            })
            .unwrap_or(true)
    };
    assert!(
        noop(&plan["resource_changes"]) && noop(&plan["output_changes"]),
        "exit 2 with a change:\n{}",
        show.stdout
    );
    let state = ws.state();
    let mut reordered = 0;
    for r in module_resources(&plan["prior_state"]["values"]["root_module"]) {
        let address = r["address"].as_str().unwrap_or_default();
        // The module part of the address (older plans have no `module_address`).
        let local = format!(
            "{}.{}",
            r["type"].as_str().unwrap_or_default(),
            r["name"].as_str().unwrap_or_default()
        );
        let module = address
            .find(&local)
            .map(|at| address[..at].trim_end_matches('.'))
            .filter(|m| !m.is_empty());
        let stored = state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| {
                s["type"] == r["type"] && s["name"] == r["name"] && s["module"].as_str() == module
            })
            .and_then(|s| {
                s["instances"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|i| i["index_key"] == r["index"])
                    .cloned()
            })
            .unwrap_or_else(|| panic!("{address} is not in the state"));
        // The state file writes a `dynamic` attribute as `{"type", "value"}`; the plan
        // shows the value alone.
        let mut attributes = stored["attributes"].clone();
        if let Some(attrs) = attributes.as_object_mut() {
            for v in attrs.values_mut() {
                let dynamic = v.as_object().is_some_and(|o| {
                    o.len() == 2 && o.contains_key("type") && o.contains_key("value")
                });
                if dynamic {
                    *v = v["value"].clone();
                }
            }
        }
        assert_eq!(
            r["values"], attributes,
            "{address}: refreshed values differ from the state"
        );
        let list = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d.as_str().map(str::to_string))
                .collect()
        };
        let (refreshed, recorded) = (list(&r["depends_on"]), list(&stored["dependencies"]));
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(
            sorted(refreshed.clone()),
            sorted(recorded.clone()),
            "{address}: other dependencies"
        );
        if refreshed != recorded {
            reordered += 1;
        }
    }
    assert!(
        reordered > 0,
        "exit 2, yet no resource's dependencies changed order: something else changed\n{}",
        refresh.output()
    );
    eprintln!(
        "Terraform {}: refresh-only exit 2 from {reordered} resource(s) whose dependencies came back in another order (fixed in Terraform 1.2)",
        tf.version
    );
}

/// The resources of a plan's module and of its child modules, recursively.
fn module_resources(module: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut all: Vec<serde_json::Value> =
        module["resources"].as_array().cloned().unwrap_or_default();
    for child in module["child_modules"].as_array().into_iter().flatten() {
        all.extend(module_resources(child));
    }
    all
}

#[track_caller]
fn assert_empty_plan(ws: &Workspace, what: &str) {
    let plan = ws.plan();
    assert_eq!(
        plan.code,
        0,
        "{what}: the plan must be empty:\n{}",
        plan.output()
    );
}

/// The quickstart (private link, connection, pinned certificate, setup-tests gate): apply,
/// empty plan, empty refresh-only plan, import of the link, destroy.
#[test]
fn the_quickstart_applies_plans_empty_imports_and_destroys_on_every_terraform() {
    let sim = sim();
    let main_tf = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart/main.tf"),
    )
    .expect("quickstart");
    let host = "orders-db.internal.example.com";
    let sha256 = presented_certificate(host).sha256;
    for tf in terraforms("the quickstart") {
        tf.leg("the quickstart", |tf| {
            let ws = Workspace::new(&main_tf)
                .using(tf)
                .env("FIVETRAN_APIKEY", sim.api_key())
                .env("FIVETRAN_APISECRET", sim.api_secret())
                .env("FIVETRAN_API_URL", &sim.base_url())
                .env("TF_VAR_group_id", sim.group_id())
                .env("TF_VAR_database_host", host)
                .env("TF_VAR_database_password", "quickstart-secret")
                .env("TF_VAR_database_certificate_sha256", &sha256);
            ws.apply().assert_success();
            let connections = inventory(&sim, "connections");
            assert_eq!(connections.len(), 1, "{connections:?}");
            assert_eq!(connections[0]["paused"], false, "the gate unpaused it");
            let pin = &ws.resource("fivetran_connection_certificate.orders_db")["attributes"];
            let hex = |s: &str| s.replace(':', "").to_ascii_lowercase();
            assert_eq!(
                pin["sha256"].as_str().map(hex),
                Some(hex(&sha256)),
                "the pinned certificate is in state: {pin}"
            );
            let approved = sim.admin().inventory().to_string().to_ascii_lowercase();
            assert!(
                approved.contains(&hex(&sha256)),
                "the simulator has the pinned certificate: {approved}"
            );
            assert_empty_plan(&ws, "after apply");
            assert_refresh_finds_nothing(&ws, tf);

            // Import the link back under its address, the way this Terraform can.
            let link = "fivetran_private_link.orders_db";
            let id = ws.resource(link)["attributes"]["id"]
                .as_str()
                .expect("link id")
                .to_string();
            ws.terraform(&["state", "rm", link]).assert_success();
            if tf.has_import_blocks() {
                ws.write(
                    "import.tf",
                    &format!("import {{\n  to = {link}\n  id = \"{id}\"\n}}\n"),
                );
                ws.apply().assert_success();
                std::fs::remove_file(ws.dir().join("import.tf")).expect("remove import.tf");
            } else {
                ws.terraform(&["import", "-input=false", link, &id])
                    .assert_success();
                // `state rm` nulled the outputs that use the link and `terraform import` does
                // not recompute them: the plan changes outputs only, no resource.
                let plan = ws.plan();
                assert!(
                    plan.code == 2
                        && plan.stdout.contains("Changes to Outputs")
                        && !plan.stdout.contains("Plan:"),
                    "only outputs may change after import:\n{}",
                    plan.output()
                );
                ws.terraform(&["apply", "-refresh-only", "-auto-approve", "-input=false"])
                    .assert_success();
            }
            assert_eq!(ws.resource(link)["attributes"]["id"], id.as_str());
            assert_empty_plan(&ws, "after import");
            assert_eq!(inventory(&sim, "private_links").len(), 1, "no duplicate");

            ws.destroy().assert_success();
            assert!(inventory(&sim, "private_links").is_empty());
            assert!(inventory(&sim, "connections").is_empty());
        });
    }
}

/// A link Fivetran fails: the error quotes Fivetran's reason and the link is tainted.
#[test]
fn a_failing_link_is_reported_and_tainted_on_every_terraform() {
    let sim = sim();
    sim.admin()
        .update_knobs(|k| k.failing_links.push("broken*".into()));
    for tf in terraforms("a failing link") {
        tf.leg("a failing link", |tf| {
            let name = format!("broken_{}", tf.version.replace('.', "_"));
            let ws = workspace(
                &sim,
                tf,
                &format!(
                    r#"
resource "fivetran_private_link" "broken" {{
  name    = "{name}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {{
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-{name}"
  }}
}}
"#
                ),
            );
            let run = ws.apply();
            run.assert_failure();
            let out = run.output();
            let summary = inventory(&sim, "private_links")
                .iter()
                .find(|l| l["name"] == name.as_str())
                .and_then(|l| l["state_summary"].as_str().map(str::to_string))
                .expect("the failed link and its summary");
            assert!(
                fold(&out).contains(&fold(&summary)),
                "the error quotes {summary:?}:\n{out}"
            );
            assert!(!out.contains("bug in the provider"), "{out}");
            assert_eq!(
                ws.resource("fivetran_private_link.broken")["status"],
                "tainted"
            );
            ws.destroy().assert_success();
        });
    }
}

/// `config_secrets_wo` where Terraform knows write-only attributes, and a clear refusal, on
/// that attribute, where it does not; never a secret in state, and destroy works once the
/// attribute is gone.
#[test]
fn write_only_secrets_work_from_1_11_and_are_refused_clearly_before() {
    let sim = sim();
    // Through a sensitive variable, so Terraform's source snippets never show it.
    let secret = "wo-secret-must-not-reach-state";
    let variable = "variable \"pw\" {\n  type      = string\n  sensitive = true\n}\n";
    for tf in terraforms("write-only secrets") {
        tf.leg("write-only secrets", |tf| {
            let schema = format!("wo_{}", tf.version.replace('.', "_"));
            let connection = |secrets: &str| {
                format!(
                    r#"
resource "fivetran_connection" "db" {{
  group_id      = "{group}"
  service       = "postgres"
  schema_prefix = "{schema}"
  config = {{
    host     = "db.internal.example.com"
    port     = 5432
    user     = "fivetran"
    database = "sales"
  }}
  {secrets}
}}
"#,
                    group = sim.group_id()
                )
            };
            let write_only = format!(
                "{variable}{}",
                connection(
                    "config_secrets_wo = { password = var.pw }\n  config_secrets_wo_version = 1"
                )
            );
            let ws = workspace(&sim, tf, &write_only).env("TF_VAR_pw", secret);
            let no_secret_in_state = |ws: &Workspace| {
                assert!(
                    !ws.state_text().contains(secret),
                    "the write-only secret reached the state"
                );
            };
            if tf.has_write_only() {
                ws.terraform(&["validate"]).assert_success();
                ws.apply().assert_success();
                no_secret_in_state(&ws);
                assert_empty_plan(&ws, "after a write-only apply");
                ws.destroy().assert_success();
                no_secret_in_state(&ws);
                return;
            }

            // This Terraform does not know write-only attributes: validate says so.
            for run in [ws.terraform(&["validate"]), ws.plan(), ws.apply()] {
                run.assert_failure();
                let out = fold(&run.output());
                assert!(
                    out.contains("`config_secrets_wo` needs Terraform 1.11 or later"),
                    "{out}"
                );
                assert!(out.contains("Use `config_secrets` instead"), "{out}");
                assert!(
                    out.contains("config_secrets_wo = {"),
                    "the diagnostic points at the attribute: {out}"
                );
                assert!(!out.contains("bug in the provider"), "{out}");
                assert!(!out.contains(secret), "the secret is never shown: {out}");
            }
            no_secret_in_state(&ws);
            assert!(inventory(&sim, "connections")
                .iter()
                .all(|c| c["schema"] != schema.as_str()));

            // With what it suggests instead, the connection applies, plans empty, destroys.
            let sensitive = connection("config_secrets = { password = \"stored-sensitive\" }");
            ws.rewrite(&sensitive);
            ws.apply().assert_success();
            assert!(
                inventory(&sim, "connections")
                    .iter()
                    .any(|c| c["schema"] == schema.as_str()),
                "the connection exists now"
            );
            assert_empty_plan(&ws, "with config_secrets");
            // Putting the write-only attribute back is refused again; destroy needs it gone.
            ws.rewrite(&write_only);
            let refused = ws.destroy();
            refused.assert_failure();
            assert!(
                fold(&refused.output()).contains("`config_secrets_wo` needs Terraform 1.11"),
                "{}",
                refused.output()
            );
            let without = connection("");
            ws.rewrite(&without);
            ws.destroy().assert_success();
            no_secret_in_state(&ws);
            assert!(inventory(&sim, "connections")
                .iter()
                .all(|c| c["schema"] != schema.as_str()));
        });
    }
}

/// Credentials never travel in clear text: http:// only for a loopback host. And the
/// simulator's loopback URL works, with the Terraform version logged at configure.
#[test]
fn a_plain_http_api_url_to_a_remote_host_fails_validate_on_every_terraform() {
    let sim = sim();
    for tf in terraforms("plain-http api_url") {
        tf.leg("plain-http api_url", |tf| {
            let remote = Workspace::new(&format!(
                "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{\n  api_url = \"http://api.example.com/v1\"\n}}\ndata \"fivetran_private_links\" \"all\" {{}}\n"
            ))
            .using(tf);
            let run = remote.terraform(&["validate"]);
            run.assert_failure();
            let out = fold(&run.output());
            assert!(out.contains("Invalid api_url"), "{out}");
            assert!(out.contains("clear text"), "{out}");
            assert!(
                out.contains("api_url = \"http://api.example.com/v1\""),
                "the diagnostic points at api_url: {out}"
            );

            let local = Workspace::new(&format!(
                "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{\n  api_url = \"{}\"\n  api_key = \"{}\"\n  api_secret = \"{}\"\n}}\ndata \"fivetran_private_links\" \"all\" {{}}\n",
                sim.base_url(),
                sim.api_key(),
                sim.api_secret()
            ))
            .using(tf)
            .env("TF_LOG_PROVIDER", "INFO");
            local.terraform(&["validate"]).assert_success();
            let applied = local.apply();
            applied.assert_success();
            // Configure reported this Terraform's version, and the provider logged it.
            let configured = applied
                .stderr
                .lines()
                .find(|l| l.contains("configuring the provider"))
                .unwrap_or_else(|| panic!("no configure log line:\n{}", applied.stderr));
            assert!(
                configured.contains(&format!("terraform_version={}", tf.version)),
                "{configured}"
            );
        });
    }
}
