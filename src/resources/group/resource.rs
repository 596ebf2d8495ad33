//! `fivetran_group`: a group (the container of a destination and its connections). Its name
//! is the only argument and is renamed in place (the API's PATCH); a create whose answer
//! was lost adopts the group of that name.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::client::error::human;
use crate::client::wait::{self, Progress, WaitError};
use crate::client::Op;
use crate::framework::typed::{Attr, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Attribute, Block, Diagnostic, Diagnostics, Schema, Type};
use crate::resources::common::diagnostics::{wait_error, Left};
use crate::resources::common::lookup::{self, found};
use crate::resources::common::{not_blank, Configured};

const TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// How long a delete keeps asking while Fivetran answers that the group is in use.
const IN_USE_GRACE: Duration = Duration::from_secs(2 * 60);

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
    lookup::recorded_id(&model.id, "group")
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
        not_blank(
            &config.name,
            "name",
            "a group needs a name, unique in the account",
            diags,
        );
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
        let client = &ctx.client.api;
        // A 409 may clear by itself: a destination or connection of this group whose
        // destroy runs in parallel (no reference orders them, as after
        // `-generate-config-out`, which writes the group id as text). Ask again for a while.
        let grace = Op::new(
            op.what.clone(),
            op.remaining().min(IN_USE_GRACE),
            op.cancel.clone(),
        );
        let attempt = || async {
            match client.delete_group(&grace, &id).await {
                Ok(()) => Ok(None),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) if e.is_conflict() => Ok(Some(e.to_string())),
                Err(e) => Err(e),
            }
        };
        let classify = |refusal: &Option<String>| match refusal {
            None => Progress::Done,
            Some(_) => Progress::Pending {
                state: "still holding a destination or connections".into(),
            },
        };
        match wait::until(&grace, client.poll_policy(), attempt, classify).await {
            Ok(_) => Ok(()),
            Err(WaitError::Timeout { .. }) => Err(Diagnostic::error(
                "Group Still in Use",
                format!("Fivetran refused to delete group {id:?} for {} while it still holds a destination or connections.\n\nDestroy those first (a `fivetran_destination` or `fivetran_connection` whose `group_id` refers to this group is destroyed first by Terraform; one whose `group_id` is written as text is not ordered, so refer to `fivetran_group.<name>.id`), or delete the ones made outside Terraform. Nothing was deleted.", human(IN_USE_GRACE)),
            )
            .into()),
            Err(e) => Err(wait_error(&format!("group {id:?}"), Left::Deleting, &e)),
        }
    }
}
