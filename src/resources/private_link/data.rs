//! Data sources `fivetran_private_link` (one link, by `id` or `name`) and
//! `fivetran_private_links` (every link in the account).

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;

use crate::client::Op;
use crate::framework::typed::TypedDataSource;
use crate::framework::OpContext;
use crate::protocol::{Attribute, Block, Diagnostics, Schema, Type};
use crate::resources::common::lookup::{by_id_or_name, check_id_or_name, describe_lookup};
use crate::resources::common::Configured;

use super::model::{LinkItem, PrivateLinksModel};

const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Attributes describing one link, shared by both data sources.
fn link_attributes() -> Vec<Attribute> {
    vec![
        Attribute::computed("region", Type::String).describe("Region of the link."),
        Attribute::computed("service", Type::String).describe("Service the link connects to."),
        Attribute::computed("config", Type::Map(Box::new(Type::String)))
            .describe("Service-specific settings (string values)."),
        Attribute::computed("state", Type::String)
            .describe("`CREATING`, `UPDATING`, `DESTROYING`, `OK` or `FAIL`."),
        Attribute::computed("state_summary", Type::String).describe("Details of the state."),
        Attribute::computed("cloud_provider", Type::String).describe("`AWS`, `AZURE` or `GCP`."),
        Attribute::computed("host", Type::String).describe("Host name of the endpoint service."),
        Attribute::computed("created_at", Type::String).describe("When the link was created."),
        Attribute::computed("created_by", Type::String)
            .describe("Id of the user who created the link."),
    ]
}

pub struct PrivateLinkData;

#[async_trait]
impl TypedDataSource<Configured> for PrivateLinkData {
    type Model = LinkItem;

    fn type_name(&self) -> &'static str {
        "fivetran_private_link"
    }

    fn schema(&self) -> Schema {
        let mut attributes = vec![
            Attribute::optional_computed("id", Type::String)
                .describe("Id of the link. Set exactly one of `id` and `name`."),
            Attribute::optional_computed("name", Type::String)
                .describe("Name of the link. Set exactly one of `id` and `name`."),
        ];
        attributes.extend(link_attributes());
        Schema {
            version: 0,
            block: Block {
                attributes,
                description: "Looks up one private link by id or by name.".into(),
                ..Block::default()
            },
        }
    }

    fn validate(&self, config: &LinkItem, diags: &mut Diagnostics) {
        check_id_or_name(&config.id, &config.name, "private link", diags);
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        config: &LinkItem,
    ) -> Result<LinkItem, Diagnostics> {
        let client = &ctx.client.api;
        let op = &Op::new(
            describe_lookup("private link", &config.id, &config.name),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let found = by_id_or_name(
            &config.id,
            &config.name,
            "private link",
            |id| async move { client.private_link(op, &id).await },
            || client.private_links(op),
            |l| l.name.as_str(),
        )
        .await?;
        // A list item omits config; the details call has it.
        let link = if config.id.is_known() {
            found
        } else {
            client.private_link(op, &found.id).await?
        };
        Ok(LinkItem::from(&link))
    }
}

pub struct PrivateLinksData;

#[async_trait]
impl TypedDataSource<Configured> for PrivateLinksData {
    type Model = PrivateLinksModel;

    fn type_name(&self) -> &'static str {
        "fivetran_private_links"
    }

    fn schema(&self) -> Schema {
        let mut item = BTreeMap::from([
            ("id".to_string(), Type::String),
            ("name".to_string(), Type::String),
        ]);
        for a in link_attributes() {
            item.insert(a.name, a.ty);
        }
        Schema {
            version: 0,
            block: Block {
                attributes: vec![Attribute::computed("items", Type::List(Box::new(Type::Object(item))))
                    .describe("Every private link of the account, sorted by name. `config` is empty here: the list endpoint does not return it.")],
                description: "Lists every private link of the account.".into(),
                ..Block::default()
            },
        }
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        _config: &PrivateLinksModel,
    ) -> Result<PrivateLinksModel, Diagnostics> {
        let op = Op::new("listing private links", READ_TIMEOUT, ctx.cancel.clone());
        let mut links = ctx.client.api.private_links(&op).await?;
        links.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(PrivateLinksModel {
            items: links.iter().map(LinkItem::from).collect::<Vec<_>>().into(),
        })
    }
}
