//! What `fivetran_connection` keeps and shows: secrets (sensitive and write-only), drift on
//! visible config, import with generated configuration, and plan-time validation.

use serde_json::json;

use crate::connection::{applied, connection, connection_id, gate, refresh_only, rewrite, sim};
use crate::harness::Workspace;

#[test]
fn secrets_reach_the_simulator_and_nowhere_else() {
    let sim = sim();
    let (sensitive, wo1, wo2) = ("sens-S3cret-value", "wo-S3cret-one", "wo-S3cret-two");
    let secrets = |wo: &str, version: u32| {
        format!(
            "config_secrets = {{\n    password = \"{sensitive}\"\n  }}\n  config_secrets_wo = {{\n    client_secret = \"{wo}\"\n  }}\n  config_secrets_wo_version = {version}"
        )
    };
    let ws = Workspace::with_sim(&sim, &connection(&sim, "db.example.com", &secrets(wo1, 1)));
    let log = ws.dir().join("terraform-trace.log");
    let ws = ws
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", &log.display().to_string());
    let mut outputs = vec![ws.plan().output(), applied(&ws)];
    let id = connection_id(&ws);
    let holds = |key: &str, v: &str| sim.admin().connection_config_holds(&id, key, &json!(v));
    assert_eq!(holds("password", sensitive), Some(true));
    assert_eq!(holds("client_secret", wo1), Some(true));
    assert!(
        !ws.state_text().contains(wo1),
        "the write-only secret is in the state"
    );

    // Masked secrets never diff.
    outputs.push(refresh_only(&ws).output());
    assert_eq!(ws.plan().code, 0);

    // A new write-only value alone sends nothing; bumping the version sends it.
    rewrite(&ws, &connection(&sim, "db.example.com", &secrets(wo2, 1)));
    assert_eq!(
        ws.plan().code,
        0,
        "write-only values leave no trace to diff"
    );
    rewrite(&ws, &connection(&sim, "db.example.com", &secrets(wo2, 2)));
    outputs.push(applied(&ws));
    assert_eq!(holds("client_secret", wo2), Some(true));
    assert_eq!(holds("password", sensitive), Some(true));
    assert!(!ws.state_text().contains(wo2));
    assert_eq!(ws.plan().code, 0);

    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(trace.len() > 1000, "TF_LOG=trace wrote a log");
    for secret in [sensitive, wo1, wo2] {
        for (i, text) in outputs.iter().enumerate() {
            assert!(!text.contains(secret), "secret in output #{i}:\n{text}");
        }
        assert!(
            !trace.contains(secret),
            "secret {secret:?} in the trace log"
        );
    }
}

#[test]
fn visible_config_drift_shows_and_masked_or_added_keys_do_not() {
    let sim = sim();
    let ws = Workspace::with_sim(
        &sim,
        &connection(
            &sim,
            "db.example.com",
            "config_secrets = { password = \"pw\" }",
        ),
    );
    ws.apply().assert_success();
    let id = connection_id(&ws);
    let admin = sim.admin();
    admin
        .set_connection_config(&id, "added_by_fivetran", Some(json!(true)))
        .expect("change");
    admin
        .set_connection_config(&id, "password", Some(json!("rotated-elsewhere")))
        .expect("change");
    admin.pause_connection(&id, false).expect("unpause");
    assert_eq!(
        refresh_only(&ws).code,
        0,
        "masked, added keys and live status are not drift"
    );

    admin
        .set_connection_config(&id, "port", Some(json!(6543)))
        .expect("change");
    let drift = refresh_only(&ws);
    assert_eq!(drift.code, 2, "{}", drift.output());
    assert!(drift.stdout.contains("6543"), "{}", drift.stdout);
    let plan = ws.plan();
    assert_eq!(plan.code, 2);
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    ws.apply().assert_success();
    assert_eq!(
        admin.connection_config(&id).map(|c| c["port"].clone()),
        Some(json!(5432))
    );
    assert_eq!(ws.plan().code, 0);

    admin.delete_object(&id).expect("delete");
    let plan = ws.plan();
    assert!(plan.stdout.contains("will be created"), "{}", plan.stdout);
}

#[test]
fn import_of_a_connection_and_its_gate_generates_config_that_plans_clean() {
    let sim = sim();
    let creator = Workspace::with_sim(
        &sim,
        &format!(
            "{}\n{}",
            connection(&sim, "db.example.com", "config_secrets = { password = \"pw\" }\n  daily_sync_time = \"03:00\"\n  sync_frequency = 1440"),
            gate("trust_certificates = true")
        ),
    );
    creator.apply().assert_success();
    let id = connection_id(&creator);

    let imports = format!(
        "import {{\n  to = fivetran_connection.db\n  id = \"{id}\"\n}}\nimport {{\n  to = fivetran_connection_setup_tests.db\n  id = \"{id}\"\n}}\n"
    );
    let ws = Workspace::with_sim(&sim, &imports);
    ws.terraform(&["plan", "-input=false", "-generate-config-out=generated.tf"])
        .assert_success();
    let generated = std::fs::read_to_string(ws.dir().join("generated.tf")).unwrap_or_default();
    assert!(generated.contains("schema_prefix"), "{generated}");
    assert!(!generated.contains("******"), "{generated}");
    ws.apply().assert_success();
    let again = ws.plan();
    assert_eq!(
        again.code,
        0,
        "generated config must plan clean:\n{}\n{generated}",
        again.output()
    );
    assert_eq!(refresh_only(&ws).code, 0);
    assert_eq!(
        sim.admin().inventory()["connections"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn invalid_arguments_fail_before_any_request_with_the_attribute_named() {
    let sim = sim();
    let cases = [
        (
            "networking_method = \"Carrier\"",
            "Invalid networking method",
            "networking_method",
        ),
        (
            "private_link_id = \"pl_1\"",
            "Private link needs the PrivateLink networking method",
            "private_link_id",
        ),
        (
            "daily_sync_time = \"3:30\"",
            "Invalid daily sync time",
            "daily_sync_time",
        ),
        (
            "sync_frequency = 7",
            "Invalid sync frequency",
            "sync_frequency",
        ),
        (
            "schedule_type = \"often\"",
            "Invalid schedule type",
            "schedule_type",
        ),
        (
            "schema = \"also\"",
            "Conflicting schema naming arguments",
            "schema_prefix",
        ),
        (
            "timeouts {\n    create = \"soon\"\n  }",
            "Invalid duration",
            "create",
        ),
    ];
    for (i, (extra, summary, attribute)) in cases.iter().enumerate() {
        let ws = Workspace::with_sim(&sim, &connection(&sim, "db.example.com", extra));
        // validate for most, plan for some: both must fail before any request.
        let run = if i % 2 == 0 {
            ws.terraform(&["validate"])
        } else {
            ws.plan()
        };
        run.assert_failure();
        let out = run.output();
        assert!(out.contains(summary), "expected {summary:?}:\n{out}");
        assert!(out.contains("with fivetran_connection.db"), "{out}");
        assert!(
            out.contains(attribute),
            "the diagnostic must name {attribute}:\n{out}"
        );
    }
    let warned = Workspace::with_sim(
        &sim,
        &connection(&sim, "db.example.com", "")
            .replace("user     = \"fivetran\"", "password = \"visible\""),
    );
    let run = warned.terraform(&["validate"]);
    run.assert_success();
    assert!(
        run.output().contains("Secret in visible config"),
        "{}",
        run.output()
    );
    assert_eq!(
        sim.admin().counters().total,
        0,
        "validation must not call the API"
    );
}
