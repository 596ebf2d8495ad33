//! Data sources `fivetran_group` (by `id` or `name`) and `fivetran_connection` (by `id`,
//! with the live paused and setup states that the resource deliberately does not refresh).

use std::time::Duration;

use async_trait::async_trait;

use crate::client::{Connection, Op};
use crate::framework::model::{opt_string, string};
use crate::framework::{DataSource, OpContext};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};
use crate::provider::Configured;

use super::connection_config::refresh;
use super::connection_schema::{status_type, status_value};
use super::diagnostics::api_error;

const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

pub struct GroupData;

#[async_trait]
impl DataSource<Configured> for GroupData {
    fn type_name(&self) -> &'static str {
        "fivetran_group"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    Attribute::optional_computed("id", Type::String)
                        .describe("Id of the group (also its destination's id). Set exactly one of `id` and `name`."),
                    Attribute::optional_computed("name", Type::String)
                        .describe("Name of the group. Set exactly one of `id` and `name`."),
                    Attribute::computed("created_at", Type::String).describe("When the group was created."),
                ],
                description: "Looks up a group (a destination and the connections loading into it) by id or by name, e.g. to get the `group_id` of a `fivetran_connection`.".into(),
                ..Block::default()
            },
        }
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let set = |n: &str| !config.get(n).is_none_or(Value::is_null);
        match (set("id"), set("name")) {
            (true, true) => diags.attribute_error(
                AttributePath::root("name"),
                "Conflicting arguments",
                "Set either `id` or `name`, not both.",
            ),
            (false, false) => diags.error(
                "Missing argument",
                "Set `id` or `name` to choose the group.",
            ),
            _ => {}
        }
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        config: &Value,
    ) -> Result<Value, Diagnostics> {
        let client = &ctx.client.api;
        let group = if let Some(id) = string(config, "id") {
            let op = Op::new(
                format!("reading group {id:?}"),
                READ_TIMEOUT,
                ctx.cancel.clone(),
            );
            client.group(&op, &id).await.map_err(|e| api_error(&e))?
        } else {
            let name = string(config, "name").unwrap_or_default();
            let op = Op::new(
                format!("looking up group {name:?}"),
                READ_TIMEOUT,
                ctx.cancel.clone(),
            );
            let groups = client.groups(&op).await.map_err(|e| api_error(&e))?;
            match groups.into_iter().find(|g| g.name == name) {
                Some(g) => g,
                None => {
                    let mut d = Diagnostics::new();
                    d.attribute_error(
                        AttributePath::root("name"),
                        "Group not found",
                        format!("No group is named {name:?} in this Fivetran account."),
                    );
                    return Err(d);
                }
            }
        };
        Ok(Value::object([
            ("id", Value::from(group.id.as_str())),
            ("name", Value::from(group.name.as_str())),
            ("created_at", opt_string(group.created_at)),
        ]))
    }
}

pub struct ConnectionData;

fn connection_object(c: &Connection) -> Value {
    let num = |n: Option<u32>| n.map_or(Value::Null, |n| Value::from(i64::from(n)));
    Value::object([
        ("id", Value::from(c.id.as_str())),
        ("group_id", Value::from(c.group_id.as_str())),
        ("service", Value::from(c.service.as_str())),
        ("schema", Value::from(c.schema.as_str())),
        ("paused", Value::Bool(c.paused)),
        ("status", status_value(&c.status)),
        ("networking_method", opt_string(c.networking_method.clone())),
        ("private_link_id", opt_string(c.private_link_id.clone())),
        ("proxy_agent_id", opt_string(c.proxy_agent_id.clone())),
        (
            "hybrid_deployment_agent_id",
            opt_string(c.hybrid_deployment_agent_id.clone()),
        ),
        ("sync_frequency", num(c.sync_frequency)),
        ("schedule_type", opt_string(c.schedule_type.clone())),
        ("daily_sync_time", opt_string(c.daily_sync_time.clone())),
        ("created_at", opt_string(c.created_at.clone())),
        ("connected_by", opt_string(c.connected_by.clone())),
        ("succeeded_at", opt_string(c.succeeded_at.clone())),
        ("failed_at", opt_string(c.failed_at.clone())),
        ("config", refresh(&Value::Null, &c.config, true)),
    ])
}

#[async_trait]
impl DataSource<Configured> for ConnectionData {
    fn type_name(&self) -> &'static str {
        "fivetran_connection"
    }

    fn schema(&self) -> Schema {
        let computed =
            |name: &str, ty: Type, text: &str| Attribute::computed(name, ty).describe(text);
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    Attribute::required("id", Type::String).describe("Id of the connection."),
                    computed("group_id", Type::String, "Id of the group the connection loads into."),
                    computed("service", Type::String, "The connector type."),
                    computed("schema", Type::String, "Destination schema name as Fivetran shows it (`schema`, `schema.table` or the schema prefix)."),
                    computed("paused", Type::Bool, "Whether the connection is paused now."),
                    computed("status", status_type(), "Setup and sync state now: `setup_state` (`incomplete`, `connected`, `broken`), `sync_state`, `update_state`, `is_historical_sync`."),
                    computed("networking_method", Type::String, "How Fivetran reaches the source."),
                    computed("private_link_id", Type::String, "Id of the private link used, if any."),
                    computed("proxy_agent_id", Type::String, "Id of the proxy agent, if any."),
                    computed("hybrid_deployment_agent_id", Type::String, "Id of the hybrid deployment agent, if any."),
                    computed("sync_frequency", Type::Number, "Minutes between syncs."),
                    computed("schedule_type", Type::String, "`auto` or `manual`."),
                    computed("daily_sync_time", Type::String, "Hour of the daily sync, if set."),
                    computed("created_at", Type::String, "When the connection was created."),
                    computed("connected_by", Type::String, "Id of the user who created the connection."),
                    computed("succeeded_at", Type::String, "When the last sync succeeded."),
                    computed("failed_at", Type::String, "When the last sync failed."),
                    computed("config", Type::Dynamic, "Connector settings Fivetran shows; masked secrets (`\"******\"`) are left out."),
                ],
                description: "Reads a connection as Fivetran shows it now, including its live `paused` and `status` (which the `fivetran_connection` resource keeps as of its last apply).".into(),
                ..Block::default()
            },
        }
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        config: &Value,
    ) -> Result<Value, Diagnostics> {
        let id = string(config, "id").unwrap_or_default();
        let op = Op::new(
            format!("reading connection {id:?}"),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let conn = ctx
            .client
            .api
            .connection(&op, &id)
            .await
            .map_err(|e| api_error(&e))?;
        Ok(connection_object(&conn))
    }
}
