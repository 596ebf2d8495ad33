//! Data source `fivetran_connection` (by `id`, with the live paused and setup states that
//! the resource deliberately does not refresh).

use std::time::Duration;

use async_trait::async_trait;

use crate::client::Op;
use crate::framework::typed::{Raw, TypedDataSource};
use crate::framework::OpContext;
use crate::protocol::{
    Attribute, AttributePath, Block, Diagnostic, Diagnostics, Schema, Type, Value,
};
use crate::resources::common::config::refresh;
use crate::resources::common::Configured;

use super::model::ConnectionDataModel;
use super::request::SCHEMA_KEYS;
use super::schema::status_type;

const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

pub struct ConnectionData;

#[async_trait]
impl TypedDataSource<Configured> for ConnectionData {
    type Model = ConnectionDataModel;

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
        config: &ConnectionDataModel,
    ) -> Result<ConnectionDataModel, Diagnostics> {
        let id = config.id.get().ok_or_else(|| {
            Diagnostic::error("Missing argument", "Set `id` to the connection's id.")
                .at(AttributePath::root("id"))
        })?;
        let op = Op::new(
            format!("reading connection {id:?}"),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let conn = ctx.client.api.connection(&op, id).await?;
        Ok(ConnectionDataModel {
            config: Raw(refresh(&Value::Null, &conn.config, true, SCHEMA_KEYS)),
            ..ConnectionDataModel::from(&conn)
        })
    }
}
