//! `fivetran_private_link` against the simulator: waiting, failures, timeouts, updates,
//! replacement, drift, import and validation.

use std::time::Duration;

use fivetran_sim::{DurationRange, SimConfig, SimServer};

use crate::harness::Workspace;

fn sim_with_provisioning(provisioning: Duration) -> SimServer {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(provisioning);
    SimServer::spawn(config).expect("simulator starts")
}

fn link(name: &str, extra: &str) -> String {
    format!(
        r#"
resource "fivetran_private_link" "{name}" {{
  name    = "{name}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {{
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-{name}"
  }}
  {extra}
}}
"#
    )
}

fn links_in(sim: &SimServer) -> Vec<serde_json::Value> {
    sim.admin().inventory()["private_links"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn create_blocks_until_ok_and_a_second_plan_is_empty() {
    let sim = sim_with_provisioning(Duration::from_secs(3));
    let ws = Workspace::with_sim(&sim, &link("pl", ""));
    ws.apply().assert_success();
    let attrs = &ws.resource("fivetran_private_link.pl")["attributes"];
    assert_eq!(attrs["state"], "OK", "state: {attrs}");
    assert_eq!(attrs["cloud_provider"], "AWS");
    let id = attrs["id"].as_str().expect("id");
    let timeline = sim.admin().timeline(id).expect("timeline");
    assert!(
        timeline.ready_at.is_some(),
        "the link must have become ready before apply returned"
    );
    let plan = ws.plan();
    assert_eq!(
        plan.code,
        0,
        "second plan must be empty:\n{}",
        plan.output()
    );
}

#[test]
fn a_failed_link_reports_its_summary_and_is_replaced_next_run() {
    let sim = sim_with_provisioning(Duration::from_millis(200));
    sim.admin()
        .update_knobs(|k| k.failing_links.push("broken*".into()));
    let ws = Workspace::with_sim(&sim, &link("broken", ""));
    let run = ws.apply();
    run.assert_failure();
    let out = run.output();
    assert!(out.contains("Failed"), "{out}");
    let summary = links_in(&sim)[0]["state_summary"]
        .as_str()
        .expect("summary")
        .to_string();
    // Terraform wraps long diagnostic lines; compare with whitespace folded.
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        fold(&out).contains(&fold(&summary)),
        "the error must quote state_summary {summary:?}:\n{out}"
    );
    assert_eq!(
        ws.resource("fivetran_private_link.broken")["status"],
        "tainted"
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 2);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
}

#[test]
fn a_create_timeout_keeps_the_id_and_the_next_apply_converges_without_duplicates() {
    let sim = sim_with_provisioning(Duration::from_secs(10));
    let ws = Workspace::with_sim(&sim, &link("slow", r#"timeouts { create = "2s" }"#));
    let run = ws.apply();
    run.assert_failure();
    let out = run.output();
    assert!(
        out.contains("Timed Out") && out.contains("CREATING"),
        "{out}"
    );
    let id = ws.resource("fivetran_private_link.slow")["attributes"]["id"]
        .as_str()
        .map(str::to_string);
    assert!(id.is_some(), "the id must be in state after a timeout");
    sim.admin()
        .update_knobs(|k| k.provisioning = DurationRange::ZERO);
    ws.rewrite(&link("slow", ""));
    ws.apply().assert_success();
    assert_eq!(
        links_in(&sim).len(),
        1,
        "exactly one link must exist: {:?}",
        links_in(&sim)
    );
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn config_updates_wait_renames_replace_and_destroy_waits_until_gone() {
    let sim = sim_with_provisioning(Duration::ZERO);
    sim.admin().update_knobs(|k| {
        k.update = DurationRange::fixed(Duration::from_secs(1));
        k.destroy = DurationRange::fixed(Duration::from_secs(1));
    });
    let ws = Workspace::with_sim(&sim, &link("pl", ""));
    ws.apply().assert_success();
    let id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();

    let updated = link("pl", "").replace("vpce-svc-pl", "vpce-svc-changed");
    ws.rewrite(&updated);
    let plan = ws.plan();
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    ws.apply().assert_success();
    let attrs = &ws.resource("fivetran_private_link.pl")["attributes"];
    assert_eq!(attrs["state"], "OK");
    assert_eq!(
        attrs["id"],
        id.as_str(),
        "a config change is an update, not a replacement"
    );
    let states: Vec<String> = sim
        .admin()
        .timeline(&id)
        .expect("timeline")
        .history
        .into_iter()
        .map(|c| c.state)
        .collect();
    assert!(
        states.contains(&"UPDATING".to_string()),
        "history: {states:?}"
    );
    assert_eq!(states.last().map(String::as_str), Some("OK"));
    assert_eq!(ws.plan().code, 0);

    let renamed = updated.replace("name    = \"pl\"", "name    = \"pl_renamed\"");
    ws.rewrite(&renamed);
    ws.apply().assert_success();
    let new_id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_ne!(new_id, id, "a name change replaces the link");

    ws.destroy().assert_success();
    assert!(
        links_in(&sim).is_empty(),
        "inventory after destroy: {:?}",
        links_in(&sim)
    );
}

#[test]
fn drift_is_detected_and_out_of_band_deletion_is_recreated() {
    let sim = sim_with_provisioning(Duration::ZERO);
    let ws = Workspace::with_sim(&sim, &link("pl", ""));
    ws.apply().assert_success();
    let id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    // A key Fivetran adds by itself is not drift.
    sim.admin()
        .set_private_link_config(&id, "added_by_fivetran", Some("x"))
        .expect("change");
    assert_eq!(
        ws.terraform(&[
            "plan",
            "-refresh-only",
            "-detailed-exitcode",
            "-input=false"
        ])
        .code,
        0
    );
    sim.admin()
        .set_private_link_config(&id, "connection_service_name", Some("changed-out-of-band"))
        .expect("change");
    let drift = ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
    ]);
    assert_eq!(drift.code, 2, "{}", drift.output());
    ws.apply().assert_success();
    sim.admin().delete_object(&id).expect("delete");
    let plan = ws.plan();
    assert_eq!(plan.code, 2);
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
    ws.apply().assert_success();
    assert_eq!(ws.plan().code, 0);
    ws.destroy().assert_success();
}

#[test]
fn import_by_id_by_block_and_generated_config_all_plan_clean() {
    let sim = sim_with_provisioning(Duration::ZERO);
    let creator = Workspace::with_sim(&sim, &link("pl", ""));
    creator.apply().assert_success();
    let id = creator.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();

    let by_cli = Workspace::with_sim(&sim, &link("pl", ""));
    by_cli
        .terraform(&["import", "-input=false", "fivetran_private_link.pl", &id])
        .assert_success();
    assert_eq!(by_cli.plan().code, 0, "{}", by_cli.plan().output());

    let by_block = Workspace::with_sim(
        &sim,
        &format!(
            "import {{\n  to = fivetran_private_link.pl\n  id = \"{id}\"\n}}\n{}",
            link("pl", "")
        ),
    );
    let plan = by_block.plan();
    assert!(
        plan.stdout
            .contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );

    let generated = Workspace::with_sim(
        &sim,
        &format!("import {{\n  to = fivetran_private_link.pl\n  id = \"{id}\"\n}}\n"),
    );
    generated
        .terraform(&["plan", "-input=false", "-generate-config-out=generated.tf"])
        .assert_success();
    generated.apply().assert_success();
    let again = generated.plan();
    assert_eq!(
        again.code,
        0,
        "generated config must plan clean:\n{}",
        again.output()
    );
    assert_eq!(links_in(&sim).len(), 1);
}

#[test]
fn invalid_arguments_fail_before_any_request_with_the_attribute_pointed_at() {
    let sim = sim_with_provisioning(Duration::ZERO);
    // (replace, with, summary, the source line Terraform must quote: the attribute's own line,
    // which it shows only when the diagnostic carries the attribute's path; without a path it
    // quotes the `resource` line).
    let cases = [
        (
            "name    = \"pl\"",
            "name    = \"\"",
            "Invalid private link name",
            "name    = \"\"",
        ),
        (
            "region  = \"AWS_US_EAST_1\"",
            "region  = \"AZURE_EASTUS2\"",
            "Region does not match",
            "region  = \"AZURE_EASTUS2\"",
        ),
        (
            "connection_service_name = ",
            "other_key = ",
            "Missing private link config key",
            "config = {",
        ),
        (
            "region  = \"AWS_US_EAST_1\"",
            "region  = \"AWS_US_EAST_1\"\n  timeouts {\n    create = \"soon\"\n  }",
            "Invalid duration",
            "create = \"soon\"",
        ),
    ];
    for (from, to, summary, quoted) in cases {
        let ws = Workspace::with_sim(&sim, &link("pl", "").replace(from, to));
        // `validate` never configures the provider, so it could not call the API anyway;
        // `apply` could, and must still stop before the create.
        for args in [
            &["validate"][..],
            &["apply", "-auto-approve", "-input=false"][..],
        ] {
            let run = ws.terraform(args);
            run.assert_failure();
            let out = run.output();
            assert!(
                out.contains(summary),
                "{args:?}: expected {summary:?}:\n{out}"
            );
            let points = out.lines().any(|l| {
                l.split_once(':').is_some_and(|(n, rest)| {
                    n.trim().parse::<u32>().is_ok() && rest.trim() == quoted
                })
            });
            assert!(
                points,
                "{args:?}: the diagnostic must quote the attribute's line {quoted:?}:\n{out}"
            );
        }
    }
    assert_eq!(
        sim.admin().counters().total,
        0,
        "invalid arguments must not reach the API: {:?}",
        sim.admin().counters()
    );
}

#[test]
fn a_dependent_link_is_created_only_after_the_first_is_ok() {
    let sim = sim_with_provisioning(Duration::from_secs(1));
    let second = link("second", "depends_on = [fivetran_private_link.first]");
    let ws = Workspace::with_sim(&sim, &format!("{}\n{second}", link("first", "")));
    ws.apply().assert_success();
    let id = |n: &str| {
        ws.resource(&format!("fivetran_private_link.{n}"))["attributes"]["id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    let first = sim.admin().timeline(&id("first")).expect("first");
    let second = sim.admin().timeline(&id("second")).expect("second");
    let first_ready = first.ready_at.expect("first became ready");
    assert!(
        second.created_at >= first_ready,
        "second created {:?} before first was OK {:?}",
        second.created_at,
        first_ready
    );
}
