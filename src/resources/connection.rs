//! `fivetran_connection`: creates the connection paused (after its private link is `OK`),
//! PATCHes only what changed, and refreshes the arguments the user manages. `paused`,
//! `status` and `setup_tests` are a snapshot of the last create or update, never refreshed:
//! the setup-tests gate owns the paused state, and a sync is not drift.

use async_trait::async_trait;

use crate::client::wait::{self, WaitError};
use crate::client::{Client, Connection, Op, PrivateLink};
use crate::framework::model::{attr, opt_string, set, string};
use crate::framework::resource::PlanContext;
use crate::framework::timeouts::{self, Operation};
use crate::framework::{OpContext, Outcome, Resource, ResourceSchema};
use crate::protocol::{Diagnostics, Value};
use crate::provider::Configured;

use super::connection_config::{self as cfg, SCHEMA_KEYS};
use super::connection_request::{self as request, api_schema_name};
use super::connection_schema::{
    self as schema, is_private_link_method, networking_method_read, results_value, status_value,
};
use super::diagnostics::{api_error, wait_error, Left};

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
fn set_naming(state: &mut Value, conn: &Connection, importing: bool) {
    let api = |k: &str| {
        conn.config
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let has_any = SCHEMA_KEYS.iter().any(|k| api(k).is_some());
    for key in SCHEMA_KEYS {
        let prior = string(state, key);
        let value = match (api(key), prior) {
            (Some(a), Some(p)) if a.eq_ignore_ascii_case(&p) => Some(p),
            (Some(a), _) => Some(a),
            (None, p) if has_any || !importing => p,
            (None, _) => match (*key, conn.schema.split_once('.')) {
                ("schema", Some((s, _))) => Some(s.to_string()),
                ("table", Some((_, t))) => Some(t.to_string()),
                ("schema", None) => Some(conn.schema.clone()),
                _ => None,
            },
        };
        set(state, key, opt_string(value));
    }
}

/// Removals the API cannot carry out: its update request declares no field nullable, so
/// an agent id can only be replaced, or dropped together with the networking method that
/// needs it. Refused at plan, on the attribute, instead of sending a `null` the API
/// documents no meaning for.
fn unclearable_removals(plan: &mut PlanContext<'_>) {
    if plan.prior.is_null() || plan.planned.is_null() {
        return;
    }
    let removed = |name: &str| {
        !attr(plan.prior, name).is_null()
            && attr(&plan.planned, name).is_null()
            && !attr(&plan.planned, name).is_unknown()
    };
    let method = string(&plan.planned, "networking_method");
    let mut refuse = |name: &str, instead: &str| {
        plan.diagnostics.attribute_error(
            crate::protocol::AttributePath::root(name),
            "Cannot Remove This Setting",
            format!("Fivetran's API has no way to clear `{name}` of a connection (its update request accepts no null). {instead}"),
        );
    };
    if removed("hybrid_deployment_agent_id") {
        refuse(
            "hybrid_deployment_agent_id",
            "Keep it, set another agent, or replace the connection (`terraform apply -replace=...`).",
        );
    }
    if removed("proxy_agent_id") && method.as_deref() == Some("ProxyAgent") {
        refuse(
            "proxy_agent_id",
            "Set another proxy agent, or change `networking_method` (the API drops the agent with the method).",
        );
    }
}

/// The Terraform state for `conn`, over `base` (the planned or current state).
fn state_from(conn: &Connection, base: &Value, snapshot: Snapshot) -> Value {
    let importing = attr(base, "group_id").is_null();
    let mut state = base.clone();
    set(&mut state, "id", Value::from(conn.id.as_str()));
    set(&mut state, "group_id", Value::from(conn.group_id.as_str()));
    set(&mut state, "service", Value::from(conn.service.as_str()));
    set_naming(&mut state, conn, importing);
    let method = networking_method_read(
        conn.networking_method.as_deref(),
        string(base, "networking_method").as_deref(),
    );
    set(&mut state, "networking_method", opt_string(method));
    set(
        &mut state,
        "private_link_id",
        opt_string(conn.private_link_id.clone()),
    );
    set(
        &mut state,
        "proxy_agent_id",
        opt_string(conn.proxy_agent_id.clone()),
    );
    set(
        &mut state,
        "hybrid_deployment_agent_id",
        opt_string(conn.hybrid_deployment_agent_id.clone()),
    );
    set(
        &mut state,
        "sync_frequency",
        conn.sync_frequency
            .map_or(Value::Null, |f| Value::from(i64::from(f))),
    );
    set(
        &mut state,
        "schedule_type",
        opt_string(conn.schedule_type.clone()),
    );
    set(
        &mut state,
        "daily_sync_time",
        opt_string(conn.daily_sync_time.clone()),
    );
    if snapshot == Snapshot::Keep {
        // What the user wrote is compared key by key; an apply returns the planned value.
        let fresh = cfg::refresh(attr(base, "config"), &conn.config, importing);
        set(&mut state, "config", fresh);
    }
    set(&mut state, "config_secrets_wo", Value::Null);
    if snapshot == Snapshot::Take || importing {
        set(&mut state, "paused", Value::Bool(conn.paused));
        set(&mut state, "status", status_value(&conn.status));
        set(&mut state, "setup_tests", results_value(&conn.setup_tests));
    }
    set(
        &mut state,
        "created_at",
        opt_string(conn.created_at.clone()),
    );
    set(
        &mut state,
        "connected_by",
        opt_string(conn.connected_by.clone()),
    );
    state
}

fn subject(planned: &Value) -> String {
    match api_schema_name(planned) {
        Some(name) => format!("connection {name:?}"),
        None => "connection".to_string(),
    }
}

/// Waits until the private link the connection uses is `OK` (at once when it already is),
/// before the create or update request: `left` is `Nothing` or `Unchanged`.
async fn wait_for_link(
    client: &Client,
    op: &Op,
    link_id: &str,
    left: Left,
) -> Result<(), Diagnostics> {
    let link = client
        .private_link(op, link_id)
        .await
        .map_err(|e| api_error(&e))?;
    if link.readiness() == wait::Progress::Done {
        return Ok(());
    }
    let waiting = op.with_what(format!(
        "{}: waiting for private link {link_id:?} to be OK",
        op.what
    ));
    wait::until(
        &waiting,
        client.poll_policy(),
        || client.private_link(&waiting, link_id),
        PrivateLink::readiness,
    )
    .await
    .map(|_| ())
    .map_err(|e: WaitError<PrivateLink>| wait_error(&format!("private link {link_id:?}"), left, &e))
}

#[async_trait]
impl Resource<Configured> for ConnectionResource {
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

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::connection_validate::validate(config, diags);
    }

    fn modify_plan(&self, plan: &mut PlanContext<'_>) {
        unclearable_removals(plan);
        // Dropping private_link_id without naming a method goes back to Fivetran's default:
        // keeping "PrivateLink" without a link would be refused.
        let method_unset = attr(plan.config, "networking_method").is_null();
        if !plan.prior.is_null()
            && method_unset
            && attr(&plan.planned, "private_link_id").is_null()
            && string(&plan.planned, "networking_method")
                .as_deref()
                .is_some_and(is_private_link_method)
        {
            set(
                &mut plan.planned,
                "networking_method",
                Value::from("Directly"),
            );
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &Value,
        config: &Value,
    ) -> Outcome {
        let client = &ctx.client.api;
        let op = Op::new(
            format!("creating {}", subject(planned)),
            timeouts::resolve(planned, Operation::Create, schema::CREATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        if let Some(link_id) = string(planned, "private_link_id") {
            if let Err(d) = wait_for_link(client, &op, &link_id, Left::Nothing).await {
                return Outcome::failed(None, d);
            }
        }
        let body = match request::new_connection(planned, config) {
            Ok(b) => b,
            Err(d) => return Outcome::failed(None, d),
        };
        let Some(schema_name) = api_schema_name(planned) else {
            let mut d = Diagnostics::new();
            d.error(
                "Missing destination schema",
                "Set `schema` or `schema_prefix`.",
            );
            return Outcome::failed(None, d);
        };
        let created = match client
            .create_connection_by_schema(&op, &body, &schema_name)
            .await
        {
            Ok((c, false)) => c,
            Ok((c, true)) => {
                tracing::info!(id = %c.id, schema = %schema_name, "adopted an existing connection with the same schema");
                let mut outcome = Outcome::ok(state_from(&c, planned, Snapshot::Take));
                outcome.diagnostics.warning(
                    "Adopted an Existing Connection",
                    format!(
                        "A {} connection with destination schema {schema_name:?} already existed in this group (id {}), most likely created by an earlier apply that was interrupted before it could record it. It is now managed by this resource.",
                        c.service, c.id
                    ),
                );
                return outcome;
            }
            Err(e) => return Outcome::failed(None, api_error(&e)),
        };
        Outcome::ok(state_from(&created, planned, Snapshot::Take))
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        let id = string(current, "id").unwrap_or_default();
        let op = Op::new(
            format!("reading connection {id:?}"),
            schema::READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        match ctx.client.api.connection(&op, &id).await {
            Ok(conn) => Ok(Some(state_from(&conn, current, Snapshot::Keep))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_error(&e)),
        }
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> Outcome {
        let client = &ctx.client.api;
        let id = string(prior, "id").unwrap_or_default();
        let op = Op::new(
            format!("updating {} ({id})", subject(planned)),
            timeouts::resolve(planned, Operation::Update, schema::UPDATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let new_link = string(planned, "private_link_id")
            .filter(|l| string(prior, "private_link_id").as_ref() != Some(l));
        if let Some(link_id) = new_link {
            if let Err(d) = wait_for_link(client, &op, &link_id, Left::Unchanged).await {
                return Outcome::failed(None, d);
            }
        }
        let answer = match request::update(prior, planned, config) {
            Ok(Some(change)) => client.update_connection(&op, &id, &change).await,
            Ok(None) => client.connection(&op, &id).await,
            Err(d) => return Outcome::failed(None, d),
        };
        match answer {
            Ok(conn) => Outcome::ok(state_from(&conn, planned, Snapshot::Take)),
            Err(e) => Outcome::failed(None, api_error(&e)),
        }
    }

    async fn delete(&self, ctx: &OpContext<'_, Configured>, prior: &Value) -> Diagnostics {
        let id = string(prior, "id").unwrap_or_default();
        let op = Op::new(
            format!("deleting {} ({id})", subject(prior)),
            timeouts::resolve(prior, Operation::Delete, schema::DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        match ctx.client.api.delete_connection(&op, &id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) if e.is_not_found() => Diagnostics::new(),
            Err(e) => api_error(&e),
        }
    }
}

#[cfg(test)]
#[path = "connection_tests.rs"]
mod tests;
