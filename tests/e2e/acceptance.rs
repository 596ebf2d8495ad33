//! Acceptance tests: the same tests against the simulator (every `cargo test` run) and, in
//! acceptance mode, against a real Fivetran account (see `harness::backend` and
//! CONTRIBUTING.md). What they create is named with the workspace's prefix and cleaned up by
//! [`AccWorkspace`]'s drop, also when an assertion fails. A test that needs a simulator knob
//! skips on a real account through the one skip helper (`fivetran_sim::skips::skip`: a
//! visible `SKIP:` line, the skip log, refused under `FIVETRAN_TESTS_NO_SKIP=1`).

use std::time::Duration;

use fivetran_sim::{DurationRange, FaultKind, SimConfig};
use serde_json::Value;

use crate::harness::backend::{AccWorkspace, Backend};
use crate::harness::{Run, Workspace, REQUIRED_PROVIDERS};
use fivetran_sim::skips::skip;

/// A paused postgres connection in `group` whose schema prefix is `schema_prefix`, with the
/// password in `config_secrets` when `with_secret`.
fn postgres(group: &str, schema_prefix: &str, with_secret: bool) -> String {
    let secrets = if with_secret {
        "config_secrets = { password = \"acceptance-not-a-real-password\" }"
    } else {
        ""
    };
    format!(
        r#"
resource "fivetran_connection" "db" {{
  group_id      = "{group}"
  service       = "postgres"
  schema_prefix = "{schema_prefix}"
  config = {{
    host          = "db.acceptance.example.com"
    port          = 5432
    database      = "acceptance"
    user          = "fivetran"
    update_method = "XMIN"
  }}
  {secrets}
}}
"#
    )
}

fn refresh_only(ws: &Workspace) -> Run {
    ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
    ])
}

fn managed_resources(ws: &Workspace) -> usize {
    ws.state()["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["mode"] == "managed")
        .count()
}

fn attribute(ws: &Workspace, address: &str, name: &str) -> Value {
    ws.resource(address)["attributes"][name].clone()
}

/// After the test's own destroy: nothing named with the prefix is left on the account
/// (the sweep finds nothing to delete). Against the simulator the inventory is checked by
/// the caller.
#[track_caller]
fn nothing_left(backend: &Backend, ws: &AccWorkspace<'_>) {
    assert_eq!(managed_resources(ws), 0, "state after destroy");
    assert_eq!(
        backend.sweep(ws.prefix()),
        Ok(Vec::new()),
        "destroy left objects named {}*",
        ws.prefix()
    );
}

#[test]
fn acc_group_data_source_reads_the_test_group() {
    let backend = Backend::from_env();
    let group = backend.group_id().to_string();
    let ws = backend.workspace(&format!(
        r#"
data "fivetran_group" "g" {{
  id = "{group}"
}}
output "id" {{ value = data.fivetran_group.g.id }}
output "name" {{ value = data.fivetran_group.g.name }}
output "created_at" {{ value = data.fivetran_group.g.created_at }}
"#
    ));
    ws.apply().assert_success();
    let out = ws.terraform(&["output", "-json"]);
    out.assert_success();
    let outputs: Value = serde_json::from_str(&out.stdout).expect("outputs are JSON");
    assert_eq!(outputs["id"]["value"], group.as_str());
    let name = outputs["name"]["value"].as_str().unwrap_or_default();
    assert!(!name.is_empty(), "group name: {outputs}");
    if let Some(sim) = backend.sim() {
        let groups = sim.admin().inventory()["groups"].clone();
        let listed = groups
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["id"] == group.as_str())
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(listed["name"], name, "{groups}");
    }
    // The same group by name, as a user would look it up.
    ws.write(
        "main.tf",
        &format!(
            "{REQUIRED_PROVIDERS}\ndata \"fivetran_group\" \"g\" {{\n  name = \"{name}\"\n}}\noutput \"id\" {{ value = data.fivetran_group.g.id }}\n"
        ),
    );
    ws.apply().assert_success();
    let by_name = ws.terraform(&["output", "-raw", "id"]);
    assert_eq!(by_name.stdout.trim(), group, "{}", by_name.output());
}

#[test]
fn acc_connection_lifecycle_plans_clean_imports_clean_and_destroys() {
    let backend = Backend::from_env();
    let group = backend.group_id().to_string();
    let ws = backend.acc_workspace(|prefix| postgres(&group, &format!("{prefix}db"), true));
    let schema = format!("{}db", ws.prefix());

    ws.apply().assert_success();
    let id = attribute(&ws, "fivetran_connection.db", "id")
        .as_str()
        .expect("connection id in state")
        .to_string();
    assert_eq!(attribute(&ws, "fivetran_connection.db", "paused"), true);
    assert_eq!(
        attribute(&ws, "fivetran_connection.db", "schema_prefix"),
        schema.as_str()
    );
    if let Some(sim) = backend.sim() {
        let live = sim.admin().inventory()["connections"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["id"] == id.as_str())
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(live["schema"], schema.as_str(), "{live}");
        assert_eq!(live["paused"], true, "{live}");
    }
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after apply:\n{}", plan.output());
    let refresh = refresh_only(&ws);
    assert_eq!(refresh.code, 0, "refresh-only plan:\n{}", refresh.output());

    // Import into a fresh workspace: secrets are not imported, so its configuration has none.
    let imported = backend.workspace(&postgres(&group, &schema, false));
    imported
        .terraform(&["import", "-input=false", "fivetran_connection.db", &id])
        .assert_success();
    let plan = imported.plan();
    assert_eq!(plan.code, 0, "plan after import:\n{}", plan.output());
    // One owner only: the first workspace destroys it.
    imported
        .terraform(&["state", "rm", "fivetran_connection.db"])
        .assert_success();

    ws.destroy().assert_success();
    nothing_left(&backend, &ws);
    if let Some(sim) = backend.sim() {
        assert_eq!(
            sim.admin().inventory()["connections"],
            serde_json::json!([]),
            "the simulator holds no connection after destroy"
        );
    }
}

#[test]
fn acc_private_link_create_waits_for_ok_plans_clean_and_destroys() {
    const TEST: &str = "acc_private_link_create_waits_for_ok_plans_clean_and_destroys";
    // On the simulator, provisioning takes a while so that the wait is real.
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(800));
    let backend = Backend::from_env_or_sim(config);
    let (service_name, region) = match backend.real() {
        None => (
            "com.amazonaws.vpce.us-east-1.vpce-svc-acceptance".to_string(),
            "AWS_US_EAST_1".to_string(),
        ),
        Some(account) => match &account.private_link_service_name {
            Some(name) => (name.clone(), account.private_link_region.clone()),
            None => {
                skip(
                    TEST,
                    "set FIVETRAN_ACC_PRIVATE_LINK_SERVICE_NAME to an AWS endpoint service the account may link to (private links are a Business Critical feature and their creation is rate-limited)",
                );
                return;
            }
        },
    };
    let ws = backend.acc_workspace(|prefix| {
        format!(
            r#"
resource "fivetran_private_link" "pl" {{
  name    = "{prefix}pl"
  region  = "{region}"
  service = "SOURCE_AWS"
  config = {{
    connection_service_name = "{service_name}"
  }}
  timeouts {{
    create = "60m"
    delete = "60m"
  }}
}}
"#
        )
    });

    ws.apply().assert_success();
    assert_eq!(attribute(&ws, "fivetran_private_link.pl", "state"), "OK");
    let id = attribute(&ws, "fivetran_private_link.pl", "id")
        .as_str()
        .expect("link id in state")
        .to_string();
    if let Some(sim) = backend.sim() {
        assert_eq!(sim.admin().private_link_state(&id).as_deref(), Some("OK"));
    }
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "plan after apply:\n{}", plan.output());
    let refresh = refresh_only(&ws);
    assert_eq!(refresh.code, 0, "refresh-only plan:\n{}", refresh.output());

    ws.destroy().assert_success();
    nothing_left(&backend, &ws);
    if let Some(sim) = backend.sim() {
        assert_eq!(
            sim.admin().inventory()["private_links"],
            serde_json::json!([]),
            "the simulator holds no private link after destroy"
        );
    }
}

#[test]
fn acc_a_rate_limited_create_is_retried_and_creates_one_connection() {
    const TEST: &str = "acc_a_rate_limited_create_is_retried_and_creates_one_connection";
    let backend = Backend::from_env();
    let Some(sim) = backend.sim() else {
        skip(
            TEST,
            "needs the simulator to answer 429 on demand (a scripted fault); runs in every simulator run",
        );
        return;
    };
    sim.admin()
        .script_fault(Some("POST /v1/connections"), FaultKind::TooManyRequests, 1);
    let group = backend.group_id().to_string();
    let ws = backend.acc_workspace(|prefix| postgres(&group, &format!("{prefix}db"), true));
    ws.apply().assert_success();
    assert_eq!(
        sim.admin().count("POST /v1/connections"),
        2,
        "one 429, one create"
    );
    assert_eq!(
        sim.admin().inventory()["connections"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(ws.plan().code, 0);
}

/// The cleanup that protects a real account, run through the real-account code path against
/// a simulator posing as the account: a workspace's drop destroys what it applied and then
/// sweeps what a failed destroy would leave (objects named with its prefix that Terraform no
/// longer knows), and nothing named otherwise: another run's prefix, another workspace of
/// this run whose number starts with this one's, an object of the user's own.
#[test]
fn the_real_account_cleanup_sweeps_its_own_prefix_and_nothing_else() {
    use crate::harness::backend::{run_prefix, RealAccount};
    use fivetran_sim::SimServer;
    use std::collections::BTreeMap;
    use terraform_provider_fivetran::client::models::{NewConnection, NewPrivateLink};
    use terraform_provider_fivetran::client::{Client, ClientConfig, Op};

    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator starts");
    let group = sim.group_id().to_string();
    let backend = Backend::Real(RealAccount {
        api_key: sim.api_key().to_string(),
        api_secret: sim.api_secret().to_string(),
        api_url: sim.base_url(),
        group_id: group.clone(),
        private_link_service_name: None,
        private_link_region: "AWS_US_EAST_1".to_string(),
    });
    assert!(
        backend.is_real(),
        "the real-account path, not the simulator one"
    );

    let client = Client::new(ClientConfig {
        base_url: reqwest::Url::parse(&sim.base_url()).expect("url"),
        api_key: Some(sim.api_key().to_string()),
        api_secret: Some(sim.api_secret().to_string()),
        ..ClientConfig::default()
    })
    .expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let create = |names: &[String]| {
        runtime.block_on(async {
            let op = Op::new(
                "creating test objects",
                Duration::from_secs(30),
                tokio_util::sync::CancellationToken::new(),
            );
            for name in names {
                let link = NewPrivateLink {
                    name: format!("{name}pl"),
                    region: "AWS_US_EAST_1".into(),
                    service: "SOURCE_AWS".into(),
                    config: BTreeMap::from([(
                        "connection_service_name".to_string(),
                        "com.amazonaws.vpce.us-east-1.vpce-svc-sweep".to_string(),
                    )]),
                };
                client.create_private_link(&op, &link).await.expect("link");
                let mut config = serde_json::Map::new();
                config.insert("schema_prefix".into(), format!("{name}db").into());
                config.insert("host".into(), "db.sweep.example.com".into());
                let connection = NewConnection {
                    group_id: group.clone(),
                    service: "postgres".into(),
                    paused: Some(true),
                    config: Some(config),
                    ..NewConnection::default()
                };
                client
                    .create_connection(&op, &connection)
                    .await
                    .expect("connection");
            }
        })
    };

    let ws = backend.acc_workspace(|prefix| postgres(&group, &format!("{prefix}tf"), false));
    let prefix = ws.prefix().to_string();
    assert!(
        prefix.starts_with(run_prefix()) && prefix.ends_with('_'),
        "{prefix}"
    );
    ws.apply().assert_success();
    // What a failed destroy leaves: objects with this workspace's prefix outside the state.
    create(&[format!("{prefix}orphan_")]);
    let survivors = [
        // Another run.
        "tfacc_00000000_0_".to_string(),
        // Another workspace of this run whose number extends this one's (`_3_` vs `_30_`).
        format!("{}0_", prefix.trim_end_matches('_')),
        // The user's own.
        "orders_".to_string(),
    ];
    create(&survivors);
    let names = |kind: &str, key: &str| -> Vec<String> {
        let mut v: Vec<String> = sim.admin().inventory()[kind]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o[key].as_str().map(str::to_string))
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("private_links", "name").len(), 4);
    assert_eq!(names("connections", "schema").len(), 5);

    drop(ws);

    let mut links: Vec<String> = survivors.iter().map(|s| format!("{s}pl")).collect();
    let mut schemas: Vec<String> = survivors.iter().map(|s| format!("{s}db")).collect();
    links.sort();
    schemas.sort();
    assert_eq!(
        names("private_links", "name"),
        links,
        "only the others' links are left"
    );
    assert_eq!(
        names("connections", "schema"),
        schemas,
        "only the others' connections are left"
    );
}
