//! Both ends of a private pipeline in one apply, through `examples/modules/private-pipeline`:
//! group -> warehouse private link (waits `OK`) -> destination on it -> destination pin ->
//! destination gate -> connection on the source link -> connection pin -> connection gate.
//! The simulator's timelines and request times prove the order; a second plan and a
//! refresh-only plan are empty; destroy leaves nothing. On every Terraform of the matrix
//! (the current one and 1.0.3).

use std::time::{Duration, SystemTime};

use fivetran_sim::{presented_certificate, unix_millis, DurationRange, SimConfig, SimServer};

use crate::harness::{terraforms, Workspace};

const WAREHOUSE_HOST: &str = "acme-xy12345.us-east-1.privatelink.snowflakecomputing.com";
const DB_HOST: &str = "orders-db.internal.example.com";

/// Copies `examples/modules/` into the workspace, so that the modules refer to each other
/// by relative path as they would in a user's repository.
fn copy_modules(ws: &Workspace) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/modules");
    for module in std::fs::read_dir(&from).expect("examples/modules") {
        let module = module.expect("module dir").path();
        let to = ws
            .dir()
            .join("modules")
            .join(module.file_name().expect("name"));
        std::fs::create_dir_all(&to).expect("create module dir");
        for file in std::fs::read_dir(&module).expect("module files") {
            let file = file.expect("file").path();
            std::fs::copy(&file, to.join(file.file_name().expect("name"))).expect("copy");
        }
    }
}

fn root() -> String {
    format!(
        r#"
module "analytics" {{
  source = "./modules/private-pipeline"

  group_name = "analytics_pipeline"

  warehouse_link_name    = "analytics_snowflake"
  warehouse_link_region  = "AWS_US_EAST_1"
  warehouse_link_service = "SNOWFLAKE_AWS"
  warehouse_link_config = {{
    account_url = "{WAREHOUSE_HOST}"
    vpce_id     = "vpce-0123456789abcdef0"
  }}

  destination_service = "snowflake"
  destination_region  = "AWS_US_EAST_1"
  destination_config = {{
    host     = "{WAREHOUSE_HOST}"
    port     = 443
    database = "ANALYTICS"
    auth     = "PASSWORD"
    user     = "FIVETRAN_USER"
  }}
  destination_secrets            = {{ password = "warehouse-secret" }}
  destination_certificate_sha256 = ["{}"]

  source_link_name     = "orders_db_pipeline"
  source_link_region   = "AWS_US_EAST_1"
  source_link_config   = {{ connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0123" }}
  source_service       = "postgres"
  source_schema_prefix = "orders_pipeline"
  source_config        = {{ host = "{DB_HOST}", port = 5432, database = "orders", user = "fivetran" }}
  source_secrets       = {{ password = "db-secret" }}
  source_certificate_sha256 = ["{}"]
}}

output "destination_setup_status" {{
  value = module.analytics.destination_setup_status
}}

output "connection_setup_state" {{
  value = module.analytics.connection_setup_state
}}
"#,
        presented_certificate(WAREHOUSE_HOST).sha256,
        presented_certificate(DB_HOST).sha256,
    )
}

/// When requests to `endpoint` arrived (Unix milliseconds), in order.
fn times(sim: &SimServer, endpoint: &str) -> Vec<u64> {
    sim.admin()
        .requests()
        .iter()
        .filter(|r| r.endpoint == endpoint && (200..300).contains(&r.status))
        .map(|r| r.at_unix_ms)
        .collect()
}

fn first(sim: &SimServer, endpoint: &str) -> u64 {
    *times(sim, endpoint)
        .first()
        .unwrap_or_else(|| panic!("no {endpoint}"))
}

fn last(sim: &SimServer, endpoint: &str) -> u64 {
    *times(sim, endpoint)
        .last()
        .unwrap_or_else(|| panic!("no {endpoint}"))
}

fn ms(t: SystemTime) -> u64 {
    unix_millis(t)
}

fn id_of(inv: &serde_json::Value, kind: &str, pick: impl Fn(&serde_json::Value) -> bool) -> String {
    inv[kind]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| pick(x))
        .and_then(|x| x["id"].as_str())
        .unwrap_or_else(|| panic!("no such {kind}: {inv}"))
        .to_string()
}

fn is_empty(sim: &SimServer) -> bool {
    let inv = sim.admin().inventory();
    let starting = sim.group_id();
    ["private_links", "connections", "destinations", "groups"]
        .iter()
        .all(|k| {
            inv[*k]
                .as_array()
                .into_iter()
                .flatten()
                .all(|x| x["id"] == starting)
        })
}

#[test]
fn one_apply_builds_both_ends_in_order_plans_empty_and_destroys_everything() {
    for tf in terraforms("both ends of a private pipeline") {
        tf.leg("both ends of a private pipeline", |tf| {
            let mut config = SimConfig::instant();
            // Links take a moment, so that an object created too early would show in the times.
            config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(500));
            let sim = SimServer::spawn(config).expect("simulator");
            let ws = Workspace::with_sim(&sim, &root()).using(tf);
            copy_modules(&ws);
            ws.terraform(&["get"]).assert_success();
            ws.apply().assert_success();

            let inv = sim.admin().inventory();
            let warehouse_link = id_of(&inv, "private_links", |l| {
                l["name"] == "analytics_snowflake"
            });
            let source_link = id_of(&inv, "private_links", |l| l["name"] == "orders_db_pipeline");
            let group = id_of(&inv, "groups", |g| g["name"] == "analytics_pipeline");
            let connection = id_of(&inv, "connections", |c| c["group_id"] == group.as_str());
            let timeline = |id: &str| {
                sim.admin()
                    .timeline(id)
                    .unwrap_or_else(|| panic!("timeline of {id}"))
            };

            let group_created = first(&sim, "POST /v1/groups");
            let warehouse_ok = ms(timeline(&warehouse_link)
                .ready_at
                .expect("warehouse link OK"));
            let destination = timeline(&group);
            let destination_created = ms(destination.created_at);
            let destination_pinned =
                first(&sim, "POST /v1/destinations/{destinationId}/certificates");
            let destination_tested = last(&sim, "POST /v1/destinations/{destinationId}/test");
            let destination_connected = ms(destination.ready_at.expect("destination connected"));
            let source_ok = ms(timeline(&source_link).ready_at.expect("source link OK"));
            let conn = timeline(&connection);
            let connection_created = ms(conn.created_at);
            let connection_pinned = first(&sim, "POST /v1/connections/{connectionId}/certificates");
            let connection_connected = ms(conn.ready_at.expect("connection connected"));
            let unpaused = last(&sim, "PATCH /v1/connections/{connectionId}");

            let order = [
                ("group created", group_created),
                ("warehouse link OK", warehouse_ok),
                ("destination created", destination_created),
                ("destination certificate approved", destination_pinned),
                ("destination gate's test run", destination_tested),
                ("destination connected", destination_connected),
                ("connection created", connection_created),
                ("connection certificate approved", connection_pinned),
                ("connection connected", connection_connected),
                ("connection unpaused", unpaused),
            ];
            for pair in order.windows(2) {
                assert!(
                    pair[0].1 <= pair[1].1,
                    "{} ({}) must come before {} ({}): {order:?}",
                    pair[0].0,
                    pair[0].1,
                    pair[1].0,
                    pair[1].1
                );
            }
            assert!(
                source_ok <= connection_created,
                "connection created before its link was OK"
            );
            assert_eq!(
                sim.admin().destination_setup_status(&group).as_deref(),
                Some("connected")
            );
            assert_eq!(
                ws.terraform(&["output", "-raw", "connection_setup_state"])
                    .stdout
                    .trim(),
                "connected"
            );

            let plan = ws.plan();
            assert_eq!(
                plan.code,
                0,
                "a second plan must be empty:\n{}",
                plan.output()
            );
            // (Before Terraform 1.2 an exit 2 without change is possible: see there.)
            crate::terraform_versions::assert_refresh_finds_nothing(&ws, tf);

            ws.destroy().assert_success();
            assert!(
                is_empty(&sim),
                "destroy left objects: {}",
                sim.admin().inventory()
            );
        });
    }
}
