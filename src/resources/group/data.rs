//! Data source `fivetran_group`: one group, by `id` or by `name`.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::client::Op;
use crate::framework::typed::{Attr, TypedDataSource};
use crate::framework::OpContext;
use crate::protocol::{Attribute, AttributePath, Block, Diagnostic, Diagnostics, Schema, Type};
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
        match (!config.id.is_null(), !config.name.is_null()) {
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
        config: &GroupModel,
    ) -> Result<GroupModel, Diagnostics> {
        let client = &ctx.client.api;
        let group = if let Some(id) = config.id.get() {
            let op = Op::new(
                format!("reading group {id:?}"),
                READ_TIMEOUT,
                ctx.cancel.clone(),
            );
            client.group(&op, id).await?
        } else {
            let name = config.name.as_deref().unwrap_or_default();
            let op = Op::new(
                format!("looking up group {name:?}"),
                READ_TIMEOUT,
                ctx.cancel.clone(),
            );
            let groups = client.groups(&op).await?;
            groups.into_iter().find(|g| g.name == name).ok_or_else(|| {
                Diagnostic::error(
                    "Group not found",
                    format!("No group is named {name:?} in this Fivetran account."),
                )
                .at(AttributePath::root("name"))
            })?
        };
        Ok(GroupModel {
            id: group.id.into(),
            name: group.name.into(),
            created_at: group.created_at.into(),
        })
    }
}
