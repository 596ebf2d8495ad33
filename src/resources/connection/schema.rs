//! The schema of `fivetran_connection`, and the shape of its status (shared with the data
//! source). The allowed values are declared once here (networking methods in
//! `common::networking`) and feed both the descriptions and the plan-time checks in
//! `validate.rs`.

use std::time::Duration;

use crate::framework::timeouts::{self, Operation};
use crate::protocol::{Attribute, Block, Schema, Type};
use crate::resources::common::listing;
use crate::resources::common::networking::NETWORKING_METHODS;
use crate::resources::common::test_results::results_type;

/// Minutes between syncs that the API accepts.
pub const SYNC_FREQUENCIES: &[i64] = &[1, 5, 15, 30, 60, 120, 180, 360, 480, 720, 1440];
pub const SCHEDULE_TYPES: &[&str] = &["auto", "manual"];

pub const CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
pub const UPDATE_TIMEOUT: Duration = Duration::from_secs(20 * 60);
pub const DELETE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// A refresh is one request (retried on 429/5xx); this only bounds the retries.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// `status` of a connection: the part of the API's status object worth keeping.
pub fn status_type() -> Type {
    Type::object([
        ("setup_state", Type::String),
        ("sync_state", Type::String),
        ("update_state", Type::String),
        ("is_historical_sync", Type::Bool),
    ])
}

pub fn schema() -> Schema {
    let secrets_note =
        "Merged into the config sent to Fivetran; a key must not also be in `config`.";
    Schema {
        version: 0,
        block: Block {
            description: "A Fivetran connection (a source connector). It is always created **paused** and without running the setup tests: pair it with `fivetran_connection_setup_tests`, which runs the tests and unpauses the connection once they pass. `paused`, `status` and `setup_tests` are a snapshot of this resource's last create or update, so a sync or the gate unpausing the connection is never drift; read the live values from the gate or the `fivetran_connection` data source.".into(),
            attributes: vec![
                Attribute::computed("id", Type::String).describe("The connection's id."),
                Attribute::required("group_id", Type::String)
                    .describe("Id of the group (destination) the connection loads into. Changing it replaces the connection."),
                Attribute::required("service", Type::String)
                    .describe("The connector type, e.g. `postgres_rds`, `mysql`, `google_sheets`. Changing it replaces the connection."),
                Attribute::optional("schema", Type::String).describe(
                    "Destination schema name (`config.schema` in the API). Set this or `schema_prefix`. Changing it replaces the connection.",
                ),
                Attribute::optional("schema_prefix", Type::String).describe(
                    "Prefix of the destination schemas, for database sources (`config.schema_prefix`). Conflicts with `schema`, `table` and `table_group_name`. Changing it replaces the connection.",
                ),
                Attribute::optional("table", Type::String).describe(
                    "Destination table name, for single-table sources (`config.table`); needs `schema`. Changing it replaces the connection.",
                ),
                Attribute::optional("table_group_name", Type::String).describe(
                    "Destination table group name, for sources that load a group of tables (`config.table_group_name`); needs `schema`, conflicts with `table`. Changing it replaces the connection.",
                ),
                Attribute::optional_computed("networking_method", Type::String).describe(&format!(
                    "How Fivetran reaches the source: one of {}. Default (from Fivetran): `Directly`.",
                    listing(NETWORKING_METHODS.iter().copied())
                )),
                Attribute::optional("private_link_id", Type::String).describe(
                    "Id of the private link to reach the source through; needs `networking_method = \"PrivateLink\"`. If the link is not `OK` yet, create waits for it (within the create timeout).",
                ),
                Attribute::optional("proxy_agent_id", Type::String)
                    .describe("Id of the proxy agent, with `networking_method = \"ProxyAgent\"`."),
                Attribute::optional("hybrid_deployment_agent_id", Type::String)
                    .describe("Id of the hybrid deployment agent that runs the connection."),
                Attribute::optional_computed("sync_frequency", Type::Number).describe(&format!(
                    "Minutes between syncs: one of {}. Default (from Fivetran): 360.",
                    SYNC_FREQUENCIES.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                )),
                Attribute::optional_computed("schedule_type", Type::String).describe(&format!(
                    "{}: `manual` syncs only when triggered. Default (from Fivetran): `auto`.",
                    listing(SCHEDULE_TYPES.iter().copied())
                )),
                Attribute::optional_computed("daily_sync_time", Type::String).describe(
                    "With `sync_frequency = 1440`, the whole hour (UTC) of the daily sync, `\"HH:00\"` from `\"00:00\"` to `\"23:00\"`.",
                ),
                Attribute::optional("trust_certificates", Type::Bool).describe(
                    "Sent with create and update requests. It only matters when Fivetran runs the setup tests, which this resource never asks for: set `trust_certificates` on `fivetran_connection_setup_tests`, or approve the certificate with `fivetran_connection_certificate`.",
                ),
                Attribute::optional("trust_fingerprints", Type::Bool).describe(
                    "Sent with create and update requests; as for `trust_certificates`, use the gate's argument or `fivetran_connection_fingerprint`.",
                ),
                Attribute::optional("config", Type::Dynamic).describe(
                    "Connector settings as an HCL object, e.g. `{ host = \"db.internal\", port = 5432, user = \"fivetran\" }`; numbers and nested values are kept as written. Only the keys written here are compared with Fivetran (keys Fivetran adds cause no diff), and a change to one of them outside Terraform shows as drift. Values Fivetran masks (`\"******\"`) are never stored or compared. Do not put secrets here (a warning says so): use `config_secrets` or `config_secrets_wo`. The destination schema keys (`schema`, `schema_prefix`, `table`, `table_group_name`) are top-level arguments instead. Removing a key stops managing it; Fivetran keeps its value.",
                ),
                Attribute::optional("config_secrets", Type::map(Type::String)).sensitive().describe(&format!(
                    "Secret connector settings, e.g. `{{ password = var.db_password }}`. Sensitive: never shown in plans or logs, but stored in the state. {secrets_note} A changed value is sent to Fivetran; Fivetran never shows them back, so a change made outside Terraform is not detected."
                )),
                Attribute::optional("config_secrets_wo", Type::map(Type::String)).write_only().describe(&format!(
                    "Write-only secret connector settings (Terraform 1.11 or later): sent at create, and again whenever `config_secrets_wo_version` changes; never stored in the state or the plan. {secrets_note}"
                )),
                Attribute::optional("config_secrets_wo_version", Type::Number).describe(
                    "Any number; change it (e.g. increment it) to send `config_secrets_wo` again, for example after rotating a password. Changing only `config_secrets_wo` sends nothing, because Terraform keeps no trace of write-only values.",
                ),
                Attribute::computed("paused", Type::Bool).describe(
                    "Whether the connection was paused at this resource's last create or update (always `true` after create). Not refreshed: `fivetran_connection_setup_tests` owns the paused state; see its `paused`, or the `fivetran_connection` data source.",
                ),
                Attribute::computed("status", status_type()).describe(
                    "`setup_state` (`incomplete`, `connected`, `broken`), `sync_state`, `update_state` and `is_historical_sync` as of this resource's last create or update. Not refreshed, for the same reason as `paused`.",
                ),
                Attribute::computed("setup_tests", results_type()).describe(
                    "Setup-test results in Fivetran's answer to this resource's last create or update (`title`, `status`, `message`). This resource does not ask for the tests, so this is usually empty: see `results` of `fivetran_connection_setup_tests`.",
                ),
                Attribute::computed("created_at", Type::String).describe("When the connection was created (RFC 3339)."),
                Attribute::computed("connected_by", Type::String).describe("Id of the user who created the connection."),
            ],
            blocks: vec![timeouts::block(&[
                (Operation::Create, CREATE_TIMEOUT),
                (Operation::Update, UPDATE_TIMEOUT),
                (Operation::Delete, DELETE_TIMEOUT),
            ])],
            ..Block::default()
        },
    }
}
