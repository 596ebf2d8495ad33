//! The generic list data source: every approval of kind `K` of one parent, all pages, in
//! the order Fivetran lists them (oldest approval first).

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::time::Duration;

use async_trait::async_trait;

use crate::client::Op;
use crate::framework::typed::{Renames, TypedDataSource};
use crate::framework::OpContext;
use crate::protocol::{Attribute, AttributePath, Block, Diagnostic, Diagnostics, Schema, Type};
use crate::resources::common::Configured;

use super::model::Listing;
use super::{Kind, ParentKind};

const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

pub struct ApprovalsData<K> {
    parent: ParentKind,
    kind: PhantomData<fn() -> K>,
}

impl<K: Kind> ApprovalsData<K> {
    pub fn new(parent: ParentKind) -> Self {
        ApprovalsData {
            parent,
            kind: PhantomData,
        }
    }

    /// The schema's name of the list (the listing model's `items`).
    fn list_attribute(&self) -> &'static str {
        K::listing_renames(self.parent)
            .iter()
            .find(|(_, field)| *field == "items")
            .map_or("items", |(attribute, _)| attribute)
    }
}

#[async_trait]
impl<K: Kind> TypedDataSource<Configured> for ApprovalsData<K> {
    type Model = Listing<K::Item>;

    fn type_name(&self) -> &'static str {
        K::data_type_name(self.parent)
    }

    fn renames(&self) -> Renames {
        K::listing_renames(self.parent)
    }

    fn schema(&self) -> Schema {
        let p = self.parent;
        let item_type: BTreeMap<String, Type> = K::item_attributes()
            .iter()
            .map(|(n, _)| (n.to_string(), Type::String))
            .collect();
        let fields = K::item_attributes()
            .iter()
            .filter(|(n, _)| *n != "id")
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Schema {
            version: 0,
            block: Block {
                description: format!(
                    "Lists every {} approved for a {}, however it was approved.",
                    K::NOUN,
                    p.noun()
                ),
                attributes: vec![
                    Attribute::required(p.id_attribute(), Type::String)
                        .describe(&format!("Id of the {}.", p.noun())),
                    Attribute::computed(
                        self.list_attribute(),
                        Type::List(Box::new(Type::Object(item_type))),
                    )
                    .describe(&format!(
                        "The approvals, oldest first: `id` (the id `{}` imports), {fields}.",
                        K::type_name(p)
                    )),
                ],
                ..Block::default()
            },
        }
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        config: &Listing<K::Item>,
    ) -> Result<Listing<K::Item>, Diagnostics> {
        let parent_id = config.parent_id.get().cloned().ok_or_else(|| {
            let name = self.parent.id_attribute();
            Diagnostic::error("Missing argument", format!("Set `{name}`."))
                .at(AttributePath::root(name))
        })?;
        let op = Op::new(
            format!(
                "listing the {}s of {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let all = K::list(&ctx.client.api, &op, &self.parent.parent(&parent_id)).await?;
        Ok(Listing {
            items: all
                .iter()
                .map(|a| K::item(&parent_id, a))
                .collect::<Vec<_>>()
                .into(),
            parent_id: parent_id.into(),
        })
    }
}
