//! Data source `fivetran_group`: one group, by `id` or by `name`.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::client::Op;
use crate::framework::typed::{Attr, TypedDataSource};
use crate::framework::OpContext;
use crate::protocol::{Attribute, Block, Diagnostics, Schema, Type};
use crate::resources::common::lookup::{by_id_or_name, check_id_or_name, describe_lookup};
use crate::resources::common::Configured;

const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// `fivetran_group`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub created_at: Attr<String>,
}

pub struct GroupData;

#[async_trait]
impl TypedDataSource<Configured> for GroupData {
    type Model = GroupModel;

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

    fn validate(&self, config: &GroupModel, diags: &mut Diagnostics) {
        check_id_or_name(&config.id, &config.name, "group", diags);
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        config: &GroupModel,
    ) -> Result<GroupModel, Diagnostics> {
        let client = &ctx.client.api;
        let op = &Op::new(
            describe_lookup("group", &config.id, &config.name),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let group = by_id_or_name(
            &config.id,
            &config.name,
            "group",
            |id| async move { client.group(op, &id).await },
            || client.groups(op),
            |g| g.name.as_str(),
        )
        .await?;
        Ok(GroupModel {
            id: group.id.into(),
            name: group.name.into(),
            created_at: group.created_at.into(),
        })
    }
}
