//! Data sources `fivetran_private_link` (one link, by `id` or `name`) and
//! `fivetran_private_links` (every link in the account).

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;

use crate::client::{Op, PrivateLink};
use crate::framework::model::{opt_string, string};
use crate::framework::{DataSource, OpContext};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};
use crate::provider::Configured;

use super::diagnostics::api_error;

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

fn link_object(link: &PrivateLink) -> BTreeMap<String, Value> {
    let config = link
        .config
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), Value::from(s))))
        .collect();
    BTreeMap::from([
        ("id".to_string(), Value::from(link.id.as_str())),
        ("name".to_string(), Value::from(link.name.as_str())),
        ("region".to_string(), Value::from(link.region.as_str())),
        ("service".to_string(), Value::from(link.service.as_str())),
        ("config".to_string(), Value::Map(config)),
        ("state".to_string(), Value::from(link.state.as_str())),
        (
            "state_summary".to_string(),
            opt_string(link.state_summary.clone()),
        ),
        (
            "cloud_provider".to_string(),
            opt_string(link.cloud_provider.clone()),
        ),
        ("host".to_string(), opt_string(link.host.clone())),
        (
            "created_at".to_string(),
            opt_string(link.created_at.clone()),
        ),
        (
            "created_by".to_string(),
            opt_string(link.created_by.clone()),
        ),
    ])
}

pub struct PrivateLinkData;

#[async_trait]
impl DataSource<Configured> for PrivateLinkData {
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
                "Set `id` or `name` to choose the private link.",
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
        let link = if let Some(id) = string(config, "id") {
            let op = Op::new(
                format!("reading private link {id:?}"),
                READ_TIMEOUT,
                ctx.cancel.clone(),
            );
            client
                .private_link(&op, &id)
                .await
                .map_err(|e| api_error(&e))?
        } else {
            let name = string(config, "name").unwrap_or_default();
            let op = Op::new(
                format!("looking up private link {name:?}"),
                READ_TIMEOUT,
                ctx.cancel.clone(),
            );
            let all = client.private_links(&op).await.map_err(|e| api_error(&e))?;
            let Some(found) = all.into_iter().find(|l| l.name == name) else {
                let mut d = Diagnostics::new();
                d.attribute_error(
                    AttributePath::root("name"),
                    "Private link not found",
                    format!("No private link is named {name:?} in this Fivetran account."),
                );
                return Err(d);
            };
            // The list omits config; the details call has it.
            client
                .private_link(&op, &found.id)
                .await
                .map_err(|e| api_error(&e))?
        };
        Ok(Value::Object(link_object(&link)))
    }
}

pub struct PrivateLinksData;

#[async_trait]
impl DataSource<Configured> for PrivateLinksData {
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
        _config: &Value,
    ) -> Result<Value, Diagnostics> {
        let op = Op::new("listing private links", READ_TIMEOUT, ctx.cancel.clone());
        let mut links = ctx
            .client
            .api
            .private_links(&op)
            .await
            .map_err(|e| api_error(&e))?;
        links.sort_by(|a, b| a.name.cmp(&b.name));
        let items = links
            .iter()
            .map(|l| Value::Object(link_object(l)))
            .collect();
        Ok(Value::object([("items", Value::List(items))]))
    }
}
