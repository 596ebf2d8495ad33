//! Data sources `fivetran_group` (one group, by `id` or by `name`) and
//! `fivetran_group_public_key` (the SSH public key Fivetran uses for the group).

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

/// `fivetran_group_public_key`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPublicKeyModel {
    pub group_id: Attr<String>,
    pub public_key: Attr<String>,
}

pub struct GroupPublicKeyData;

#[async_trait]
impl TypedDataSource<Configured> for GroupPublicKeyData {
    type Model = GroupPublicKeyModel;

    fn type_name(&self) -> &'static str {
        "fivetran_group_public_key"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    Attribute::required("group_id", Type::String)
                        .describe("Id of the group (also its destination's id)."),
                    Attribute::computed("public_key", Type::String).describe(
                        "The SSH public key Fivetran connects with for this group's SSH tunnels, one line (`ssh-rsa AAAA… fivetran user key`), without a trailing newline: add it to the bastion's `authorized_keys`.",
                    ),
                ],
                description: "The SSH public key Fivetran uses to reach an SSH bastion for a group's destination and connections.".into(),
                ..Block::default()
            },
        }
    }

    fn validate(&self, config: &GroupPublicKeyModel, diags: &mut Diagnostics) {
        crate::resources::common::not_blank(
            &config.group_id,
            "group_id",
            "set the id of the group whose key to read, e.g. fivetran_group.example.id",
            diags,
        );
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        config: &GroupPublicKeyModel,
    ) -> Result<GroupPublicKeyModel, Diagnostics> {
        let id = config.group_id.require("group_id")?;
        let op = Op::new(
            format!("reading the public key of group {id:?}"),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let key = ctx.client.api.group_public_key(&op, id).await?;
        Ok(GroupPublicKeyModel {
            group_id: config.group_id.clone(),
            // The API may end the key with a newline (fixture group_public_key_200.json).
            public_key: key.public_key.trim_end().to_string().into(),
        })
    }
}
