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
use crate::framework::timeouts::{self, Operation, Timeouts};
use crate::framework::typed::{fill_unknowns, Renames, TypedPlan, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostic, Diagnostics, Schema, Type};
use crate::resources::common::lookup::{found, gone_is_done};
use crate::resources::common::Configured;

use super::id::{approval_id, parse_approval_id};
use super::model::ApprovalModel;
use super::{Approve, Kind, ParentKind};

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

    /// The state for approval `a`, on top of `base`.
    fn state_from(&self, a: &K::Approval, base: &K::Model, parent_id: &str) -> K::Model {
        let mut state = K::state(a, base);
        let hash = K::hash(a).to_string();
        state.locate(approval_id(parent_id, &hash), parent_id.to_string(), hash);
        state
    }

    /// Where the approval is: its parent's id and its hash (both required to be known).
    fn located(&self, value: &K::Model) -> Result<(String, String), Diagnostics> {
        match (value.parent_id().get(), value.hash().get()) {
            (Some(p), Some(h)) => Ok((p.clone(), h.clone())),
            _ => Err(Diagnostic::error(
                "Incomplete Approval State",
                format!(
                    "The state of this {} lacks its {} or its hash. This is a bug in the provider; please report it. Remove it with `terraform state rm` and import it again.",
                    K::NOUN,
                    self.parent.id_attribute()
                ),
            )
            .into()),
        }
    }
}

#[async_trait]
impl<K: Kind> TypedResource<Configured> for ApprovalResource<K> {
    type Model = K::Model;

    fn type_name(&self) -> &'static str {
        K::type_name(self.parent)
    }

    fn schema(&self) -> ResourceSchema {
        let computed: Vec<&'static str> = K::stable()
            .iter()
            .copied()
            .chain(["id", "validated_by", "validated_date"])
            .collect();
        ResourceSchema::new(self.schema())
            .replace_on_change(&[self.parent.id_attribute()])
            .replace_on_change(K::arguments())
            .stable(&computed)
    }

    fn renames(&self) -> Renames {
        K::model_renames(self.parent)
    }

    fn validate(&self, config: &K::Model, diags: &mut Diagnostics) {
        if config
            .parent_id()
            .as_ref()
            .get()
            .is_some_and(|s| s.trim().is_empty())
        {
            let name = self.parent.id_attribute();
            diags.attribute_error(
                AttributePath::root(name),
                "Missing Parent Id",
                format!("`{name}` must not be empty."),
            );
        }
        K::validate(self.parent, config, diags);
    }

    fn modify_plan(&self, plan: &mut TypedPlan<'_, K::Model>) {
        if let Some(prior) = plan.prior {
            K::keep_spelling(plan.config, prior, &mut plan.planned);
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &K::Model,
        config: &K::Model,
    ) -> Result<Outcome<K::Model>, Diagnostics> {
        let parent_id = planned
            .parent_id()
            .require(self.parent.id_attribute())?
            .clone();
        let op = Op::new(
            format!(
                "approving a {} for {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            Timeouts::resolve(planned.timeouts(), Operation::Create, CREATE_TIMEOUT),
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
        let approved = K::approve(&request).await?;
        Ok(Outcome::ok(self.state_from(&approved, planned, &parent_id)))
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &K::Model,
    ) -> Result<Option<K::Model>, Diagnostics> {
        let (parent_id, hash) = self.located(current)?;
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
        Ok(found(K::get(&ctx.client.api, &op, &parent, &hash).await)?
            .map(|a| self.state_from(&a, current, &parent_id)))
    }

    async fn update(
        &self,
        _ctx: &OpContext<'_, Configured>,
        prior: &K::Model,
        planned: &K::Model,
        _config: &K::Model,
    ) -> Result<Outcome<K::Model>, Diagnostics> {
        // Every argument replaces on change: nothing the API stores changes in place.
        fill_unknowns(planned, prior)
            .map(Outcome::ok)
            .map_err(|e| e.diagnostic("the planned state").into())
    }

    async fn delete(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &K::Model,
    ) -> Result<(), Diagnostics> {
        let (parent_id, hash) = self.located(prior)?;
        let op = Op::new(
            format!(
                "revoking {} {hash:?} of {}",
                K::NOUN,
                self.parent.subject(&parent_id)
            ),
            Timeouts::resolve(prior.timeouts(), Operation::Delete, DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let parent = self.parent.parent(&parent_id);
        gone_is_done(K::revoke(&ctx.client.api, &op, &parent, &hash).await)
    }

    async fn import(
        &self,
        _ctx: &OpContext<'_, Configured>,
        id: &str,
    ) -> Result<K::Model, Diagnostics> {
        let (parent_id, hash) = parse_approval_id(id).map_err(|problem| {
            Diagnostic::error(
                "Invalid Import ID",
                format!(
                    "{problem}.\n\nImport an approval with `<{}>/<hash>`, the hash percent-encoded (`/` as `%2F`, `+` as `%2B`, `%` as `%25`), e.g. `terraform import {}.x 'abc_def/q2V%2Bm%2Fz...'`. The id of an approval is also in the `{}` data source.",
                    self.parent.id_attribute(),
                    K::type_name(self.parent),
                    K::data_type_name(self.parent),
                ),
            )
        })?;
        let mut state = K::Model::default();
        state.locate(approval_id(&parent_id, &hash), parent_id, hash);
        Ok(state)
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
