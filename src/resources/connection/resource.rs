//! `fivetran_connection`: creates the connection paused (after its private link is `OK`),
//! PATCHes only what changed, and refreshes the arguments the user manages. `paused`,
//! `status` and `setup_tests` are a snapshot of the last create or update, never refreshed:
//! the setup-tests gate owns the paused state, and a sync is not drift.

use async_trait::async_trait;

use crate::client::{Connection, Op};
use crate::framework::timeouts::{Operation, Timeouts};
use crate::framework::typed::{Attr, Raw, TypedPlan, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Diagnostic, Diagnostics};
use crate::resources::common::config;
use crate::resources::common::lookup::{self, found, gone_is_done};
use crate::resources::common::networking::{
    networking_method_read, plan_update, wait_for_new_private_link,
};
use crate::resources::common::test_results::results;
use crate::resources::common::Configured;

use super::model::{ConnectionModel, Status};
use super::request::{self, SCHEMA_KEYS};
use super::schema;

pub struct ConnectionResource;

/// Whether a state built from the API takes `paused`/`status`/`setup_tests` from the answer
/// (after a create, update or import) or keeps the prior snapshot (a refresh).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Snapshot {
    Take,
    Keep,
}

/// The schema naming arguments from the API's config, keeping the prior spelling when the
/// API shows the same name in another case. An import with no naming key in the config
/// falls back to the connection's `schema` (`schema` or `schema.table`).
fn naming(model: &mut ConnectionModel, conn: &Connection, importing: bool) {
    let api = |k: &str| {
        conn.config
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let has_any = SCHEMA_KEYS.iter().any(|k| api(k).is_some());
    let (schema_part, table_part) = match conn.schema.split_once('.') {
        Some((s, t)) => (Some(s.to_string()), Some(t.to_string())),
        None => (Some(conn.schema.clone()), None),
    };
    let fields = [
        (&mut model.schema, SCHEMA_KEYS[0], schema_part),
        (&mut model.schema_prefix, SCHEMA_KEYS[1], None),
        (&mut model.table, SCHEMA_KEYS[2], table_part),
        (&mut model.table_group_name, SCHEMA_KEYS[3], None),
    ];
    for (field, key, fallback) in fields {
        let prior = field.get().cloned();
        let value = match (api(key), prior) {
            (Some(a), Some(p)) if a.eq_ignore_ascii_case(&p) => Some(p),
            (Some(a), _) => Some(a),
            (None, p) if has_any || !importing => p,
            (None, _) => fallback,
        };
        *field = value.into();
    }
}

/// The Terraform state for `conn`, over `base` (the planned or current state).
fn state_from(conn: &Connection, base: &ConnectionModel, snapshot: Snapshot) -> ConnectionModel {
    let importing = base.group_id.is_null();
    let mut state = ConnectionModel {
        id: conn.id.clone().into(),
        group_id: conn.group_id.clone().into(),
        service: conn.service.clone().into(),
        networking_method: networking_method_read(
            conn.networking_method.as_deref(),
            base.networking_method.as_deref(),
        )
        .into(),
        private_link_id: conn.private_link_id.clone().into(),
        proxy_agent_id: conn.proxy_agent_id.clone().into(),
        hybrid_deployment_agent_id: conn.hybrid_deployment_agent_id.clone().into(),
        sync_frequency: conn
            .sync_frequency
            .map(|f| crate::protocol::value::Number::from(u64::from(f)))
            .into(),
        schedule_type: conn.schedule_type.clone().into(),
        daily_sync_time: conn.daily_sync_time.clone().into(),
        config_secrets_wo: Attr::Null,
        created_at: conn.created_at.clone().into(),
        connected_by: conn.connected_by.clone().into(),
        ..base.clone()
    };
    naming(&mut state, conn, importing);
    if snapshot == Snapshot::Keep {
        // What the user wrote is compared key by key; an apply returns the planned value.
        state.config = Raw(config::refresh(
            base.config.value(),
            &conn.config,
            importing,
            SCHEMA_KEYS,
        ));
    }
    if snapshot == Snapshot::Take || importing {
        state.paused = conn.paused.into();
        state.status = Status::from(&conn.status).into();
        state.setup_tests = results(&conn.setup_tests).into();
    }
    state
}

fn subject(model: &ConnectionModel) -> String {
    match model.naming().api_schema_name() {
        Some(name) => format!("connection {name:?}"),
        None => "connection".to_string(),
    }
}

fn recorded_id(model: &ConnectionModel) -> Result<String, Diagnostics> {
    lookup::recorded_id(&model.id, "connection")
}

#[async_trait]
impl TypedResource<Configured> for ConnectionResource {
    type Model = ConnectionModel;

    fn type_name(&self) -> &'static str {
        "fivetran_connection"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema::schema())
            .replace_on_change(&[
                "group_id",
                "service",
                "schema",
                "schema_prefix",
                "table",
                "table_group_name",
            ])
            .stable(&[
                "id",
                "created_at",
                "connected_by",
                "networking_method",
                "sync_frequency",
                "schedule_type",
                "daily_sync_time",
            ])
            .write_only_alternative(
                "config_secrets_wo",
                "config_secrets",
                "sensitive: hidden in plans and output, but stored in state",
            )
    }

    fn validate(&self, config: &ConnectionModel, diags: &mut Diagnostics) {
        super::validate::validate(config, diags);
    }

    fn modify_plan(&self, plan: &mut TypedPlan<'_, ConnectionModel>) {
        plan_update(plan, "connection");
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &ConnectionModel,
        config: &ConnectionModel,
    ) -> Result<Outcome<ConnectionModel>, Diagnostics> {
        let client = &ctx.client.api;
        let op = Op::new(
            format!("creating {}", subject(planned)),
            Timeouts::resolve(&planned.timeouts, Operation::Create, schema::CREATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        wait_for_new_private_link(client, &op, None, planned).await?;
        let body = request::new_connection(planned, config)?;
        let schema_name = planned.naming().api_schema_name().ok_or_else(|| {
            Diagnostic::error(
                "Missing destination schema",
                "Set `schema` or `schema_prefix`.",
            )
        })?;
        let (created, adopted) = client
            .create_connection_by_schema(&op, &body, &schema_name)
            .await?;
        let state = state_from(&created, planned, Snapshot::Take);
        if !adopted {
            return Ok(Outcome::ok(state));
        }
        tracing::info!(id = %created.id, schema = %schema_name, "adopted an existing connection with the same schema");
        Ok(Outcome::recorded(
            state,
            Diagnostic::warning(
                "Adopted an Existing Connection",
                format!(
                    "A {} connection with destination schema {schema_name:?} already existed in this group (id {}), most likely created by an earlier apply that was interrupted before it could record it. It is now managed by this resource.",
                    created.service, created.id
                ),
            ),
        ))
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &ConnectionModel,
    ) -> Result<Option<ConnectionModel>, Diagnostics> {
        let id = recorded_id(current)?;
        let op = Op::new(
            format!("reading connection {id:?}"),
            schema::READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        Ok(found(ctx.client.api.connection(&op, &id).await)?
            .map(|conn| state_from(&conn, current, Snapshot::Keep)))
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &ConnectionModel,
        planned: &ConnectionModel,
        config: &ConnectionModel,
    ) -> Result<Outcome<ConnectionModel>, Diagnostics> {
        let client = &ctx.client.api;
        let id = recorded_id(prior)?;
        let op = Op::new(
            format!("updating {} ({id})", subject(planned)),
            Timeouts::resolve(&planned.timeouts, Operation::Update, schema::UPDATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        wait_for_new_private_link(client, &op, Some(prior), planned).await?;
        let conn = match request::update(prior, planned, config)? {
            Some(change) => client.update_connection(&op, &id, &change).await?,
            None => client.connection(&op, &id).await?,
        };
        Ok(Outcome::ok(state_from(&conn, planned, Snapshot::Take)))
    }

    async fn delete(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &ConnectionModel,
    ) -> Result<(), Diagnostics> {
        let id = recorded_id(prior)?;
        let op = Op::new(
            format!("deleting {} ({id})", subject(prior)),
            Timeouts::resolve(&prior.timeouts, Operation::Delete, schema::DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        gone_is_done(ctx.client.api.delete_connection(&op, &id).await)
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
