//! `fivetran_connection_setup_tests`: the gate between a paused connection and a running
//! one. It runs the setup tests; when every test passes it sets the paused state the user
//! asked for (unpaused by default) and waits until the connection is `connected`; when one
//! fails it reports what to fix and leaves the connection paused. It owns the connection's
//! paused state: its refresh shows the real paused and setup states, so a connection paused
//! or broken outside Terraform plans a new run.

use std::time::Duration;

use async_trait::async_trait;

use crate::client::wait::{self, Progress};
use crate::client::{Client, Connection, ConnectionUpdate, Error, Op, SetupState};
use crate::framework::model::{attr, boolean, set, string};
use crate::framework::resource::PlanContext;
use crate::framework::timeouts::{self, Operation};
use crate::framework::{OpContext, Outcome, Resource, ResourceSchema};
use crate::protocol::{Attribute, Block, Diagnostics, Schema, Type, Value};
use crate::provider::Configured;

use super::connection_schema::{results_type, results_value};
use super::diagnostics::{api_error, wait_error, Left};
use super::setup_test_report as report;

pub struct SetupTestsResource;

const RUN_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const QUICK_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const CONNECTED: &str = "connected";

fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Runs a connection's setup tests and, when they pass, unpauses it (or sets `paused` as asked) and waits until it is `connected`. When a test fails, apply fails with each failing test and what to do (for an untrusted certificate or SSH host key, the exact `fivetran_connection_certificate` / `fivetran_connection_fingerprint` block to add), the connection stays paused, and this resource is recorded as failed so the next apply runs the tests again. This resource owns the connection's paused state: a refresh shows the real paused and setup states, so a connection paused or broken outside Terraform plans a new run. Destroying it pauses the connection (it is not deleted).".into(),
            attributes: vec![
                Attribute::computed("id", Type::String).describe("The connection's id."),
                Attribute::required("connection_id", Type::String)
                    .describe("Id of the connection to test, e.g. `fivetran_connection.example.id`. Changing it replaces this resource."),
                Attribute::optional("trust_certificates", Type::Bool).describe(
                    "Trust (and approve) whatever TLS certificate the source presents. Default `false`: an unknown certificate fails the tests, and the error gives the `fivetran_connection_certificate` block that approves exactly that one.",
                ),
                Attribute::optional("trust_fingerprints", Type::Bool).describe(
                    "Trust (and approve) whatever SSH host key the tunnel presents. Default `false`: an unknown key fails the tests, and the error gives the `fivetran_connection_fingerprint` block to add.",
                ),
                Attribute::optional_computed("paused", Type::Bool).describe(
                    "Paused state to set once the tests pass. Default `false` (unpause). Refreshed from Fivetran: a connection paused outside Terraform shows a change here, and applying it runs the tests again before unpausing.",
                ),
                Attribute::optional("triggers", Type::map(Type::String)).describe(
                    "Arbitrary values; changing any of them runs the tests again. For example `{ config = jsonencode(fivetran_connection.example.config), secrets = fivetran_connection.example.config_secrets_wo_version }`.",
                ),
                Attribute::computed("setup_state", Type::String).describe(
                    "The connection's setup state: `connected` once the tests passed; `incomplete` or `broken` (refreshed from Fivetran; anything but `connected` plans a new run).",
                ),
                Attribute::computed("results", results_type())
                    .describe("Results of the last run of the setup tests: `title`, `status` (`PASSED`, `SKIPPED`, `WARNING`, `FAILED`, `JOB_FAILED`) and `message`."),
            ],
            blocks: vec![timeouts::block(&[
                (Operation::Create, RUN_TIMEOUT),
                (Operation::Update, RUN_TIMEOUT),
            ])],
            ..Block::default()
        },
    }
}

/// The gate's state from the connection as Fivetran shows it now.
fn state_from(conn: &Connection, base: &Value, results: Option<Value>) -> Value {
    let mut state = base.clone();
    set(&mut state, "id", Value::from(conn.id.as_str()));
    set(&mut state, "connection_id", Value::from(conn.id.as_str()));
    set(&mut state, "paused", Value::Bool(conn.paused));
    set(
        &mut state,
        "setup_state",
        conn.status
            .setup_state
            .as_ref()
            .map_or(Value::Null, |s| Value::from(s.as_str())),
    );
    let results = results
        .or_else(|| Some(attr(base, "results").clone()).filter(|r| !r.is_null() && !r.is_unknown()))
        .unwrap_or(Value::List(vec![]));
    set(&mut state, "results", results);
    state
}

fn wanted_paused(v: &Value) -> bool {
    boolean(v, "paused").unwrap_or(false)
}

/// Whether an update has to run the tests: anything but "pause a connected connection".
fn needs_tests(prior: &Value, planned: &Value) -> bool {
    let same = |n: &str| attr(prior, n) == attr(planned, n);
    let connected = string(prior, "setup_state").as_deref() == Some(CONNECTED);
    let unpausing = !wanted_paused(planned) && boolean(prior, "paused") != Some(false);
    !(same("triggers")
        && same("trust_certificates")
        && same("trust_fingerprints")
        && connected
        && !unpausing)
}

async fn set_paused(client: &Client, op: &Op, id: &str, paused: bool) -> Result<Connection, Error> {
    let change = ConnectionUpdate {
        paused: Some(paused),
        ..ConnectionUpdate::default()
    };
    client.update_connection(op, id, &change).await
}

/// Runs the gate for a create (`prior` null) or an update.
async fn run(client: &Client, op: &Op, prior: &Value, planned: &Value) -> Outcome {
    let id = string(planned, "connection_id").unwrap_or_default();
    let paused = wanted_paused(planned);
    let testing = prior.is_null() || needs_tests(prior, planned);
    let answer = if testing {
        client
            .run_setup_tests(
                op,
                &id,
                boolean(planned, "trust_certificates"),
                boolean(planned, "trust_fingerprints"),
            )
            .await
    } else {
        client.connection(op, &id).await
    };
    let mut conn = match answer {
        Ok(c) => c,
        Err(e) => return Outcome::failed(None, api_error(&e)),
    };
    let results = testing.then(|| results_value(&conn.setup_tests));
    let tests = conn.setup_tests.clone();
    if paused && !conn.paused {
        match set_paused(client, op, &id, true).await {
            Ok(c) => conn = c,
            Err(e) => return Outcome::failed(None, api_error(&e)),
        }
    }
    let state = |c: &Connection| state_from(c, planned, results.clone());
    if testing && !tests.iter().all(report::passes) {
        return Outcome::failed(Some(state(&conn)), report::failure(&id, &tests));
    }
    let mut diags = Diagnostics::new();
    report::warnings(&id, &tests, &mut diags);
    // No setup state at all (a service Fivetran does not track) has nothing to wait for.
    if conn
        .status
        .setup_state
        .as_ref()
        .is_some_and(|s| *s != SetupState::Connected)
    {
        // Fivetran may settle the setup state after the tests answer; unpausing needs it.
        let waiting = op.with_what(format!("waiting for connection {id:?} to be connected"));
        let classify = |c: &Connection| match &c.status.setup_state {
            Some(SetupState::Connected) | None => Progress::Done,
            Some(other) => Progress::Pending {
                state: other.to_string(),
            },
        };
        match wait::until(
            &waiting,
            client.poll_policy(),
            || client.connection(&waiting, &id),
            classify,
        )
        .await
        {
            Ok(c) => conn = c,
            Err(e) => {
                let left = if prior.is_null() {
                    Left::Created
                } else {
                    Left::Updated
                };
                diags.extend(wait_error(&format!("connection {id:?}"), left, &e));
                return Outcome::failed(Some(state(&conn)), diags);
            }
        }
    }
    if !paused && conn.paused {
        match set_paused(client, op, &id, false).await {
            Ok(c) => conn = c,
            Err(e) => {
                diags.extend(api_error(&e));
                return Outcome::failed(Some(state(&conn)), diags);
            }
        }
    }
    Outcome {
        state: Some(state(&conn)),
        diagnostics: diags,
    }
}

#[async_trait]
impl Resource<Configured> for SetupTestsResource {
    fn type_name(&self) -> &'static str {
        "fivetran_connection_setup_tests"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema())
            .replace_on_change(&["connection_id"])
            .stable(&["id"])
    }

    fn modify_plan(&self, plan: &mut PlanContext<'_>) {
        if attr(plan.config, "paused").is_null() {
            set(&mut plan.planned, "paused", Value::Bool(false));
        }
        // A run always ends connected or fails; a connection that is not connected any more
        // (or paused against the configuration) plans a new run.
        set(&mut plan.planned, "setup_state", Value::from(CONNECTED));
        if !plan.prior.is_null() && plan.planned != *plan.prior {
            set(
                &mut plan.planned,
                "results",
                Value::Unknown(Default::default()),
            );
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &Value,
        _config: &Value,
    ) -> Outcome {
        let id = string(planned, "connection_id").unwrap_or_default();
        let op = Op::new(
            format!("running the setup tests of connection {id:?}"),
            timeouts::resolve(planned, Operation::Create, RUN_TIMEOUT),
            ctx.cancel.clone(),
        );
        run(&ctx.client.api, &op, &Value::Null, planned).await
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        let id = string(current, "connection_id")
            .or_else(|| string(current, "id"))
            .unwrap_or_default();
        let op = Op::new(
            format!("reading connection {id:?}"),
            QUICK_TIMEOUT,
            ctx.cancel.clone(),
        );
        match ctx.client.api.connection(&op, &id).await {
            Ok(conn) => Ok(Some(state_from(&conn, current, None))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_error(&e)),
        }
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &Value,
        planned: &Value,
        _config: &Value,
    ) -> Outcome {
        let id = string(planned, "connection_id").unwrap_or_default();
        let op = Op::new(
            format!("running the setup tests of connection {id:?}"),
            timeouts::resolve(planned, Operation::Update, RUN_TIMEOUT),
            ctx.cancel.clone(),
        );
        run(&ctx.client.api, &op, prior, planned).await
    }

    /// Leaves the connection paused; a connection already gone is fine.
    async fn delete(&self, ctx: &OpContext<'_, Configured>, prior: &Value) -> Diagnostics {
        let id = string(prior, "connection_id").unwrap_or_default();
        let op = Op::new(
            format!("pausing connection {id:?}"),
            QUICK_TIMEOUT,
            ctx.cancel.clone(),
        );
        match set_paused(&ctx.client.api, &op, &id, true).await {
            Ok(_) => Diagnostics::new(),
            Err(e) if e.is_not_found() => Diagnostics::new(),
            Err(e) => api_error(&e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::null_object;

    fn gate(paused: Option<bool>, setup_state: &str, triggers: Option<&str>) -> Value {
        let mut v = null_object(&schema().block);
        set(&mut v, "connection_id", Value::from("c"));
        set(&mut v, "paused", paused.map_or(Value::Null, Value::Bool));
        set(&mut v, "setup_state", Value::from(setup_state));
        if let Some(t) = triggers {
            set(
                &mut v,
                "triggers",
                Value::Map([("k".to_string(), Value::from(t))].into()),
            );
        }
        v
    }

    #[test]
    fn pausing_a_connected_connection_skips_the_tests() {
        let prior = gate(Some(false), CONNECTED, None);
        assert!(!needs_tests(&prior, &gate(Some(true), CONNECTED, None)));
        assert!(needs_tests(
            &prior,
            &gate(Some(false), CONNECTED, Some("x"))
        ));
        assert!(needs_tests(
            &gate(Some(true), CONNECTED, None),
            &gate(Some(false), CONNECTED, None)
        ));
        assert!(needs_tests(
            &gate(Some(false), "broken", None),
            &gate(Some(false), CONNECTED, None)
        ));
    }
}
