//! `fivetran_group`: a group (the container of a destination and its connections). Its name
//! is the only argument and is renamed in place (the API's PATCH); a create whose answer
//! was lost adopts the group of that name.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::client::Op;
use crate::framework::typed::{Attr, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostic, Diagnostics, Schema, Type};
use crate::resources::common::lookup::{found, gone_is_done};
use crate::resources::common::Configured;

const TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// `fivetran_group`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupResourceModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub created_at: Attr<String>,
}

impl GroupResourceModel {
    fn from_group(g: crate::client::Group) -> Self {
        GroupResourceModel {
            id: g.id.into(),
            name: g.name.into(),
            created_at: g.created_at.into(),
        }
    }
}

pub struct GroupResource;

fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "A Fivetran group: the container of one destination and the connections that load into it (the destination's id is the group's). Renaming it changes the group in place.".into(),
            attributes: vec![
                Attribute::computed("id", Type::String)
                    .describe("The group's id, which is also its destination's id."),
                Attribute::required("name", Type::String).describe(
                    "The group's name, unique in the account. Changing it renames the group in place.",
                ),
                Attribute::computed("created_at", Type::String)
                    .describe("When the group was created (RFC 3339)."),
            ],
            ..Block::default()
        },
    }
}

fn recorded_id(model: &GroupResourceModel) -> Result<String, Diagnostics> {
    model.id.get().cloned().ok_or_else(|| {
        Diagnostic::error(
            "Missing Group Id",
            "The state of this group has no id. This is a bug in the provider; please report it. Remove it with `terraform state rm` and import it again.",
        )
        .into()
    })
}

#[async_trait]
impl TypedResource<Configured> for GroupResource {
    type Model = GroupResourceModel;

    fn type_name(&self) -> &'static str {
        "fivetran_group"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema()).stable(&["id", "created_at"])
    }

    fn validate(&self, config: &GroupResourceModel, diags: &mut Diagnostics) {
        if config.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            diags.attribute_error(
                AttributePath::root("name"),
                "Empty group name",
                "A group needs a name.",
            );
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &GroupResourceModel,
        _config: &GroupResourceModel,
    ) -> Result<Outcome<GroupResourceModel>, Diagnostics> {
        let name = planned.name.require("name")?;
        let op = Op::new(
            format!("creating group {name:?}"),
            TIMEOUT,
            ctx.cancel.clone(),
        );
        let (group, adopted) = ctx.client.api.create_group_by_name(&op, name).await?;
        let state = GroupResourceModel::from_group(group);
        if !adopted {
            return Ok(Outcome::ok(state));
        }
        let id = state.id.get().cloned().unwrap_or_default();
        Ok(Outcome::recorded(
            state,
            Diagnostic::warning(
                "Adopted an Existing Group",
                format!("Group {name:?} already existed (id {id}), most likely created by an earlier apply that was interrupted before it could record it. It is now managed by this resource."),
            ),
        ))
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &GroupResourceModel,
    ) -> Result<Option<GroupResourceModel>, Diagnostics> {
        let id = recorded_id(current)?;
        let op = Op::new(format!("reading group {id:?}"), TIMEOUT, ctx.cancel.clone());
        Ok(found(ctx.client.api.group(&op, &id).await)?.map(GroupResourceModel::from_group))
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &GroupResourceModel,
        planned: &GroupResourceModel,
        _config: &GroupResourceModel,
    ) -> Result<Outcome<GroupResourceModel>, Diagnostics> {
        let id = recorded_id(prior)?;
        let name = planned.name.require("name")?;
        let op = Op::new(
            format!("renaming group {id:?} to {name:?}"),
            TIMEOUT,
            ctx.cancel.clone(),
        );
        let group = ctx.client.api.rename_group(&op, &id, name).await?;
        Ok(Outcome::ok(GroupResourceModel::from_group(group)))
    }

    async fn delete(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &GroupResourceModel,
    ) -> Result<(), Diagnostics> {
        let id = recorded_id(prior)?;
        let op = Op::new(
            format!("deleting group {id:?}"),
            TIMEOUT,
            ctx.cancel.clone(),
        );
        match ctx.client.api.delete_group(&op, &id).await {
            Err(e) if e.is_conflict() => Err(Diagnostic::error(
                "Group Still in Use",
                format!("{e}\n\nFivetran does not delete group {id:?} while it still holds a destination or connections. Destroy those first (a `fivetran_destination` or `fivetran_connection` in this group that refers to it by `group_id` is destroyed first by Terraform), or delete the ones made outside Terraform."),
            )
            .into()),
            other => gone_is_done(other),
        }
    }
}
