//! The generic list data source: every approval of kind `K` of one parent, all pages, in
//! the order Fivetran lists them (oldest approval first).

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::time::Duration;

use async_trait::async_trait;

use crate::client::Op;
use crate::framework::model::{opt_string, string};
use crate::framework::{DataSource, OpContext};
use crate::protocol::{Attribute, Block, Diagnostics, Schema, Type, Value};
use crate::provider::Configured;

use super::id::approval_id;
use super::{Kind, ParentKind};
use crate::resources::diagnostics::api_error;

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
}

fn item<K: Kind>(parent_id: &str, a: &K::Approval) -> Value {
    let mut attrs: BTreeMap<String, Value> = K::values(a)
        .into_iter()
        .map(|(name, v)| (name.to_string(), opt_string(v)))
        .collect();
    attrs.insert(
        "id".to_string(),
        Value::from(approval_id(parent_id, K::hash(a))),
    );
    Value::Object(attrs)
}

#[async_trait]
impl<K: Kind> DataSource<Configured> for ApprovalsData<K> {
    fn type_name(&self) -> &'static str {
        K::data_type_name(self.parent)
    }

    fn schema(&self) -> Schema {
        let p = self.parent;
        let mut item_type: BTreeMap<String, Type> = K::VALUES
            .iter()
            .map(|n| (n.to_string(), Type::String))
            .collect();
        item_type.insert("id".to_string(), Type::String);
        let fields = K::VALUES
            .iter()
            .map(|n| format!("`{n}`"))
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
                    Attribute::computed(K::LIST, Type::List(Box::new(Type::Object(item_type))))
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
        config: &Value,
    ) -> Result<Value, Diagnostics> {
        let parent_id = string(config, self.parent.id_attribute()).unwrap_or_default();
        let op = Op::new(
            format!(
                "listing the {}s of {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let all = K::list(&ctx.client.api, &op, &self.parent.parent(&parent_id))
            .await
            .map_err(|e| api_error(&e))?;
        let items = all.iter().map(|a| item::<K>(&parent_id, a)).collect();
        Ok(Value::object([
            (self.parent.id_attribute(), Value::from(parent_id.as_str())),
            (K::LIST, Value::List(items)),
        ]))
    }
}
