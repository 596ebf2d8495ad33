//! The schemas of `fivetran_destination` and `fivetran_destination_setup_tests`, and the
//! values the API states for their arguments (declared once: descriptions and checks).

use std::time::Duration;

use crate::framework::timeouts::{self, Operation};
use crate::protocol::{Attribute, Block, Schema, Type};
use crate::resources::common::listing;
use crate::resources::common::networking::NETWORKING_METHODS;
use crate::resources::common::test_results::results_type;

/// `time_zone_offset` values: the spec's enum for `NewDestinationRequest` and
/// `UpdateDestinationRequest` (zero is written without a sign).
pub const TIME_ZONE_OFFSETS: &[&str] = &[
    "-11", "-10", "-9", "-8", "-7", "-6", "-5", "-4", "-3", "-2", "-1", "0", "+1", "+2", "+3",
    "+4", "+5", "+6", "+7", "+8", "+9", "+10", "+11", "+12",
];

/// The region an omitted `region` becomes (fixture
/// `reconstructed_destination_create_e2e_observed.json`; probably the account's default).
pub const REGION_SEEN_AS_DEFAULT: &str = "GCP_US_EAST4";

pub const CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
pub const UPDATE_TIMEOUT: Duration = Duration::from_secs(20 * 60);
pub const DELETE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// A refresh is one request (retried on 429/5xx); this only bounds the retries.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// A run of the setup tests, and the wait until the destination is connected.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub fn destination() -> Schema {
    let secrets_note =
        "Merged into the config sent to Fivetran; a key must not also be in `config`.";
    Schema {
        version: 0,
        block: Block {
            description: "A Fivetran destination: the warehouse a group loads into. Its id is its group's id (one destination per group). It is created without running the setup tests: pair it with `fivetran_destination_setup_tests`, which runs them. When `private_link_id` is set, create waits until the private link is `OK` first. `setup_status` is a snapshot of this resource's last create or update, so the gate connecting the destination is never drift. Fivetran answers some values in its own way (numbers as text, enums in upper case, a Databricks host replaced by the private-link endpoint, keys it renames or leaves out): the answer to each write is remembered (in the private state) and such values are not drift; a change made outside Terraform after that is.".into(),
            attributes: vec![
                Attribute::computed("id", Type::String)
                    .describe("The destination's id, which is its group's id."),
                Attribute::required("group_id", Type::String).describe(
                    "Id of the group the destination belongs to (e.g. `fivetran_group.example.id`); a group has at most one destination. Changing it replaces the destination.",
                ),
                Attribute::required("service", Type::String).describe(
                    "The destination type, e.g. `snowflake`, `big_query`, `databricks`, `redshift`. Changing it replaces the destination.",
                ),
                Attribute::optional_computed("region", Type::String).describe(&format!(
                    "Where Fivetran processes the data, e.g. `AWS_US_EAST_1`, `GCP_US_EAST4`, `AZURE_EASTUS2`. Changed in place. Default (from Fivetran): the account's default region (`{REGION_SEEN_AS_DEFAULT}` has been seen)."
                )),
                Attribute::required("time_zone_offset", Type::String).describe(&format!(
                    "Time zone offset from UTC for the destination's reports, one of {}. Changed in place.",
                    listing(TIME_ZONE_OFFSETS.iter().copied())
                )),
                Attribute::optional_computed("daylight_saving_time_enabled", Type::Bool)
                    .describe("Whether the time zone follows daylight saving time. Changed in place."),
                Attribute::optional_computed("networking_method", Type::String).describe(&format!(
                    "How Fivetran reaches the destination: one of {}. Default (from Fivetran): `Directly`.",
                    listing(NETWORKING_METHODS.iter().copied())
                )),
                Attribute::optional("private_link_id", Type::String).describe(
                    "Id of the private link to reach the destination through; needs `networking_method = \"PrivateLink\"`. If the link is not `OK` yet, create (or the update that moves the destination onto it) waits for it. Changed in place.",
                ),
                Attribute::optional("proxy_agent_id", Type::String)
                    .describe("Id of the proxy agent, with `networking_method = \"ProxyAgent\"`."),
                Attribute::optional("hybrid_deployment_agent_id", Type::String)
                    .describe("Id of the hybrid deployment agent that loads into the destination."),
                Attribute::optional("config", Type::Dynamic).describe(
                    "Destination settings as an HCL object, e.g. `{ host = \"acme.snowflakecomputing.com\", port = 443, database = \"ANALYTICS\", auth = \"PASSWORD\", user = \"FIVETRAN\" }`. Only the keys written here are compared with Fivetran (keys Fivetran adds cause no diff). Values Fivetran masks (`\"******\"`) are never stored or compared. Do not put secrets here (a warning says so): use `config_secrets` or `config_secrets_wo`. Removing a key stops managing it; Fivetran keeps its value.",
                ),
                Attribute::optional("config_secrets", Type::map(Type::String)).sensitive().describe(&format!(
                    "Secret destination settings, e.g. `{{ password = var.warehouse_password }}`. Sensitive: never shown in plans or logs, but stored in the state. {secrets_note} A changed value is sent to Fivetran; Fivetran never shows them back, so a change made outside Terraform is not detected."
                )),
                Attribute::optional("config_secrets_wo", Type::map(Type::String)).write_only().describe(&format!(
                    "Write-only secret destination settings (Terraform 1.11 or later): sent at create, and again whenever `config_secrets_wo_version` changes; never stored in the state or the plan. {secrets_note}"
                )),
                Attribute::optional("config_secrets_wo_version", Type::Number).describe(
                    "Any number; change it (e.g. increment it) to send `config_secrets_wo` again, for example after rotating a password.",
                ),
                Attribute::computed("setup_status", Type::String).describe(
                    "`incomplete`, `connected` or `broken`, as of this resource's last create or update (`incomplete` after create: the tests have not run). Not refreshed: see `setup_status` of `fivetran_destination_setup_tests`.",
                ),
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

pub fn gate() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Runs a destination's setup tests and waits until it is `connected`. When a first run answers `incomplete` without a failed test (Fivetran sometimes settles only on a second run), the tests run once more. When a test fails, apply fails with each failing test and what to do (for an untrusted certificate or SSH host key, the exact `fivetran_destination_certificate` / `fivetran_destination_fingerprint` block to add), and this resource is recorded as failed so the next apply runs the tests again. A destination that is no longer `connected` (refreshed from Fivetran) plans a new run. Destroying it changes nothing in Fivetran.".into(),
            attributes: vec![
                Attribute::computed("id", Type::String).describe("The destination's id."),
                Attribute::required("destination_id", Type::String).describe(
                    "Id of the destination to test, e.g. `fivetran_destination.example.id`. Changing it replaces this resource.",
                ),
                Attribute::optional("trust_certificates", Type::Bool).describe(
                    "Trust (and approve) whatever TLS certificate the destination presents. Default `false`: an unknown certificate fails the tests, and the error gives the `fivetran_destination_certificate` block that approves exactly that one.",
                ),
                Attribute::optional("trust_fingerprints", Type::Bool).describe(
                    "Trust (and approve) whatever SSH host key the tunnel presents. Default `false`: an unknown key fails the tests, and the error gives the `fivetran_destination_fingerprint` block to add.",
                ),
                Attribute::optional("triggers", Type::map(Type::String)).describe(
                    "Arbitrary values; changing any of them runs the tests again. For example `{ config = jsonencode(fivetran_destination.example.config), secrets = fivetran_destination.example.config_secrets_wo_version }`.",
                ),
                Attribute::computed("setup_status", Type::String).describe(
                    "The destination's setup status: `connected` once the tests passed (refreshed from Fivetran; anything else plans a new run).",
                ),
                Attribute::computed("results", results_type()).describe(
                    "Results of the last run of the setup tests: `title`, `status` (`PASSED`, `SKIPPED`, `WARNING`, `FAILED`, `JOB_FAILED`) and `message`.",
                ),
            ],
            blocks: vec![timeouts::block(&[
                (Operation::Create, RUN_TIMEOUT),
                (Operation::Update, RUN_TIMEOUT),
            ])],
            ..Block::default()
        },
    }
}
