//! The generic approval resource: one approval of kind `K` for one parent.
//!
//! * Plan: every argument replaces on change; a fingerprint or key written differently
//!   from the state but meaning the same value keeps the state's spelling (no diff, e.g.
//!   after an import).
//! * Create: [`Kind::approve`] (explicit hash, or a pin resolved through the setup tests).
//! * Read: this approval only, by hash; gone (404) removes it from the state. Approvals
//!   made elsewhere on the same parent are never looked at.
//! * Delete: revokes; already gone (404) is fine.
//! * Import: `<parent_id>/<percent-encoded hash>` (see `id.rs`).

use std::marker::PhantomData;
use std::time::Duration;

use async_trait::async_trait;

use crate::client::Op;
use crate::framework::model::{attr, null_object, set, string};
use crate::framework::resource::PlanContext;
use crate::framework::timeouts::{self, Operation};
use crate::framework::{OpContext, Outcome, Resource, ResourceSchema};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};
use crate::provider::Configured;

use super::id::{approval_id, parse_approval_id};
use super::{Approve, Kind, ParentKind};
use crate::resources::diagnostics::api_error;

/// Pins run the parent's setup tests, which can take minutes at Fivetran.
const CREATE_TIMEOUT: Duration = Duration::from_secs(20 * 60);
const DELETE_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

pub struct ApprovalResource<K> {
    parent: ParentKind,
    kind: PhantomData<fn() -> K>,
}

impl<K: Kind> ApprovalResource<K> {
    pub fn new(parent: ParentKind) -> Self {
        ApprovalResource {
            parent,
            kind: PhantomData,
        }
    }

    fn schema(&self) -> Schema {
        let p = self.parent;
        let mut attributes = vec![
            Attribute::computed("id", Type::String).describe(&format!(
                "`<{}>/<hash>`, with `%`, `/` and `+` in the hash percent-encoded (`%25`, `%2F`, `%2B`) so that the id is unambiguous. Import takes the same form.",
                p.id_attribute()
            )),
            Attribute::required(p.id_attribute(), Type::String).describe(p.id_description()),
        ];
        attributes.extend(K::attributes(p));
        attributes.push(
            Attribute::computed("validated_by", Type::String)
                .describe("Who approved it (a Fivetran user id)."),
        );
        attributes.push(
            Attribute::computed("validated_date", Type::String).describe("When it was approved."),
        );
        Schema {
            version: 0,
            block: Block {
                description: K::description(p),
                attributes,
                blocks: vec![timeouts::block(&[
                    (Operation::Create, CREATE_TIMEOUT),
                    (Operation::Delete, DELETE_TIMEOUT),
                ])],
                ..Block::default()
            },
        }
    }

    /// The state for approval `a`, on top of `base` (the plan or the prior state): written
    /// spellings that mean the API's value are kept (see [`Kind::SPELLINGS`]).
    fn state_from(&self, a: &K::Approval, base: &Value, parent_id: &str) -> Value {
        let mut state = base.clone();
        for (name, api) in K::values(a) {
            let same = K::SPELLINGS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| f);
            let written = attr(base, name);
            let value = match (same, written.as_str(), api) {
                (Some(same), Some(w), Some(api)) if same(w, &api) => written.clone(),
                (_, _, Some(api)) => Value::from(api),
                // The API left it out: keep what the user wrote (a pin we matched).
                (Some(_), Some(_), None) => written.clone(),
                (_, _, None) => Value::Null,
            };
            set(&mut state, name, value);
        }
        set(
            &mut state,
            "id",
            Value::from(approval_id(parent_id, K::hash(a))),
        );
        set(
            &mut state,
            self.parent.id_attribute(),
            Value::from(parent_id),
        );
        state
    }

    fn located(&self, value: &Value) -> (String, String) {
        (
            string(value, self.parent.id_attribute()).unwrap_or_default(),
            string(value, "hash").unwrap_or_default(),
        )
    }
}

#[async_trait]
impl<K: Kind> Resource<Configured> for ApprovalResource<K> {
    fn type_name(&self) -> &'static str {
        K::type_name(self.parent)
    }

    fn schema(&self) -> ResourceSchema {
        let schema = self.schema();
        let computed: Vec<&'static str> = K::VALUES
            .iter()
            .copied()
            .chain(["id", "validated_by", "validated_date"])
            .collect();
        ResourceSchema::new(schema)
            .replace_on_change(&[self.parent.id_attribute()])
            .replace_on_change(K::ARGUMENTS)
            .stable(&computed)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let name = self.parent.id_attribute();
        if string(config, name).is_some_and(|s| s.trim().is_empty()) {
            diags.attribute_error(
                AttributePath::root(name),
                "Missing Parent Id",
                format!("`{name}` must not be empty."),
            );
        }
        K::validate(self.parent, config, diags);
    }

    fn modify_plan(&self, plan: &mut PlanContext<'_>) {
        if plan.prior.is_null() {
            return;
        }
        for (name, same) in K::SPELLINGS {
            if let (Some(written), Some(prior)) =
                (string(plan.config, name), string(plan.prior, name))
            {
                if written != prior && same(&written, &prior) {
                    set(&mut plan.planned, name, Value::from(prior));
                }
            }
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &Value,
        config: &Value,
    ) -> Outcome {
        let parent_id = string(planned, self.parent.id_attribute()).unwrap_or_default();
        let op = Op::new(
            format!(
                "approving a {} for {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            timeouts::resolve(planned, Operation::Create, CREATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let request = Approve {
            client: &ctx.client.api,
            op: &op,
            parent: self.parent,
            parent_id: &parent_id,
            planned,
            config,
        };
        match K::approve(&request).await {
            Ok(a) => Outcome::ok(self.state_from(&a, planned, &parent_id)),
            Err(d) => Outcome::failed(None, d),
        }
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        let (parent_id, hash) = self.located(current);
        let op = Op::new(
            format!(
                "reading {} {hash:?} of {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let parent = self.parent.parent(&parent_id);
        match K::get(&ctx.client.api, &op, &parent, &hash).await {
            Ok(a) => Ok(Some(self.state_from(&a, current, &parent_id))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_error(&e)),
        }
    }

    async fn update(
        &self,
        _ctx: &OpContext<'_, Configured>,
        prior: &Value,
        planned: &Value,
        _config: &Value,
    ) -> Outcome {
        // Every argument replaces on change: only `timeouts` can change in place.
        let mut state = planned.clone();
        if let (Value::Object(attrs), Some(prior)) = (&mut state, prior.as_entries()) {
            for (name, v) in attrs.iter_mut() {
                if v.is_unknown() {
                    *v = prior.get(name).cloned().unwrap_or(Value::Null);
                }
            }
        }
        Outcome::ok(state)
    }

    async fn delete(&self, ctx: &OpContext<'_, Configured>, prior: &Value) -> Diagnostics {
        let (parent_id, hash) = self.located(prior);
        let op = Op::new(
            format!(
                "revoking {} {hash:?} of {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            timeouts::resolve(prior, Operation::Delete, DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let parent = self.parent.parent(&parent_id);
        match K::revoke(&ctx.client.api, &op, &parent, &hash).await {
            Ok(()) => Diagnostics::new(),
            Err(e) if e.is_not_found() => Diagnostics::new(),
            Err(e) => api_error(&e),
        }
    }

    async fn import(
        &self,
        _ctx: &OpContext<'_, Configured>,
        id: &str,
    ) -> Result<Value, Diagnostics> {
        let (parent_id, hash) = parse_approval_id(id).map_err(|problem| {
            let mut d = Diagnostics::new();
            d.error(
                "Invalid Import ID",
                format!(
                    "{problem}.\n\nImport an approval with `<{}>/<hash>`, the hash percent-encoded (`/` as `%2F`, `+` as `%2B`, `%` as `%25`), e.g. `terraform import {}.x 'abc_def/q2V%2Bm%2Fz...'`. The id of an approval is also in the `{}` data source.",
                    self.parent.id_attribute(),
                    K::type_name(self.parent),
                    K::data_type_name(self.parent),
                ),
            );
            d
        })?;
        let mut state = null_object(&self.schema().block);
        set(
            &mut state,
            "id",
            Value::from(approval_id(&parent_id, &hash)),
        );
        set(
            &mut state,
            self.parent.id_attribute(),
            Value::from(parent_id),
        );
        set(&mut state, "hash", Value::from(hash));
        Ok(state)
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
