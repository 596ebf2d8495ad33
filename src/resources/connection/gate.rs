//! `fivetran_connection_setup_tests`: the gate between a paused connection and a running
//! one. It runs the setup tests; when every test passes it sets the paused state the user
//! asked for (unpaused by default) and waits until the connection is `connected`; when one
//! fails it reports what to fix and leaves the connection paused. It owns the connection's
//! paused state: its refresh shows the real paused and setup states, so a connection paused
//! or broken outside Terraform plans a new run.

use std::time::Duration;

use async_trait::async_trait;

use crate::client::{Client, Connection, ConnectionUpdate, Error, Op};
use crate::framework::timeouts::{self, Operation, Timeouts};
use crate::framework::typed::{TypedPlan, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Attribute, Block, Diagnostics, Schema, Type};
use crate::resources::common::diagnostics::Left;
use crate::resources::common::gate;
use crate::resources::common::lookup::{found, gone_is_done};
use crate::resources::common::parent::ParentKind;
use crate::resources::common::test_results::{results, results_type, TestResult};
use crate::resources::common::Configured;

use super::model::GateModel;

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

/// The gate's state from the connection as Fivetran shows it now; `results` of a run, or
/// the ones `base` has.
fn state_from(conn: &Connection, base: &GateModel, results: Option<Vec<TestResult>>) -> GateModel {
    let results = gate::results_or_prior(results, &base.results);
    GateModel {
        id: conn.id.clone().into(),
        connection_id: conn.id.clone().into(),
        paused: conn.paused.into(),
        setup_state: conn
            .status
            .setup_state
            .as_ref()
            .map(|s| s.as_str().to_string())
            .into(),
        results,
        ..base.clone()
    }
}

fn wanted_paused(v: &GateModel) -> bool {
    v.paused.get().copied().unwrap_or(false)
}

/// Whether an update has to run the tests: anything but "pause a connected connection".
fn needs_tests(prior: &GateModel, planned: &GateModel) -> bool {
    let connected = prior.setup_state.as_deref() == Some(CONNECTED);
    let unpausing = !wanted_paused(planned) && prior.paused.get() != Some(&false);
    !(prior.triggers == planned.triggers
        && prior.trust_certificates == planned.trust_certificates
        && prior.trust_fingerprints == planned.trust_fingerprints
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

/// The connection the gate is about, or an error saying it is missing.
fn connection_id(model: &GateModel) -> Result<String, Diagnostics> {
    gate::parent_id(ParentKind::Connection, &model.connection_id, &model.id)
}

/// Runs the gate for a create (`prior` none) or an update: the shared run, with the
/// connection's paused state set around it (paused before the wait when asked, unpaused
/// only once connected).
async fn run(
    ctx: &OpContext<'_, Configured>,
    prior: Option<&GateModel>,
    planned: &GateModel,
) -> Result<Outcome<GateModel>, Diagnostics> {
    let client = &ctx.client.api;
    let id = connection_id(planned)?;
    let operation = if prior.is_none() {
        Operation::Create
    } else {
        Operation::Update
    };
    let op = &Op::new(
        format!("running the setup tests of connection {id:?}"),
        Timeouts::resolve(&planned.timeouts, operation, RUN_TIMEOUT),
        ctx.cancel.clone(),
    );
    let paused = wanted_paused(planned);
    let ask = gate::Run {
        id: &id,
        testing: prior.is_none_or(|p| needs_tests(p, planned)),
        trust_certificates: planned.trust_certificates.get().copied(),
        trust_fingerprints: planned.trust_fingerprints.get().copied(),
        left: if prior.is_none() {
            Left::Created
        } else {
            Left::Updated
        },
    };
    let (mut conn, tests) = gate::test::<Connection>(client, op, &ask).await?;
    if paused && !conn.paused {
        conn = set_paused(client, op, &id, true).await?;
    }
    let recorded = tests.as_deref().map(results);
    let ran = gate::settle::<Connection>(client, op, &ask, conn, tests).await;
    let mut conn = ran.object;
    let mut diagnostics = ran.diagnostics;
    if !diagnostics.has_errors() && !paused && conn.paused {
        match set_paused(client, op, &id, false).await {
            Ok(c) => conn = c,
            Err(e) => diagnostics.extend(Diagnostics::from(e)),
        }
    }
    Ok(Outcome::recorded(
        state_from(&conn, planned, recorded),
        diagnostics,
    ))
}

#[async_trait]
impl TypedResource<Configured> for SetupTestsResource {
    type Model = GateModel;

    fn type_name(&self) -> &'static str {
        "fivetran_connection_setup_tests"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema())
            .replace_on_change(&["connection_id"])
            .stable(&["id"])
    }

    fn modify_plan(&self, plan: &mut TypedPlan<'_, GateModel>) {
        if plan.config.paused.is_null() {
            plan.planned.paused = false.into();
        }
        // A run always ends connected or fails; a connection that is not connected any more
        // (or paused against the configuration) plans a new run.
        plan.planned.setup_state = CONNECTED.into();
        gate::plan_run(plan, |m| &mut m.results);
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &GateModel,
        _config: &GateModel,
    ) -> Result<Outcome<GateModel>, Diagnostics> {
        run(ctx, None, planned).await
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &GateModel,
    ) -> Result<Option<GateModel>, Diagnostics> {
        let id = connection_id(current)?;
        let op = Op::new(
            format!("reading connection {id:?}"),
            QUICK_TIMEOUT,
            ctx.cancel.clone(),
        );
        Ok(found(ctx.client.api.connection(&op, &id).await)?
            .map(|conn| state_from(&conn, current, None)))
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &GateModel,
        planned: &GateModel,
        _config: &GateModel,
    ) -> Result<Outcome<GateModel>, Diagnostics> {
        run(ctx, Some(prior), planned).await
    }

    /// Leaves the connection paused; a connection already gone is fine.
    async fn delete(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &GateModel,
    ) -> Result<(), Diagnostics> {
        let id = connection_id(prior)?;
        let op = Op::new(
            format!("pausing connection {id:?}"),
            QUICK_TIMEOUT,
            ctx.cancel.clone(),
        );
        gone_is_done(set_paused(&ctx.client.api, &op, &id, true).await.map(drop))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::Attr;
    use std::collections::BTreeMap;

    fn gate(paused: Option<bool>, setup_state: &str, triggers: Option<&str>) -> GateModel {
        GateModel {
            connection_id: "c".into(),
            paused: paused.into(),
            setup_state: setup_state.into(),
            triggers: triggers
                .map(|t| BTreeMap::from([("k".to_string(), Attr::from(t))]))
                .into(),
            ..GateModel::default()
        }
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
