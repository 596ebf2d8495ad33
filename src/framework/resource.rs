//! The contract of one managed resource type: schema, validation, plan adjustments, and the
//! create / read / update / delete / import operations.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::private::Private;
use crate::protocol::{Diagnostic, Diagnostics, Schema, Value};

/// A resource's schema plus the planning behaviour of its top-level attributes.
#[derive(Debug, Clone)]
pub struct ResourceSchema {
    pub schema: Schema,
    /// Attributes whose change replaces the object.
    pub requires_replace: BTreeSet<&'static str>,
    /// Computed attributes that never change once the object exists: an update keeps their
    /// prior value instead of planning them as "known after apply".
    pub stable: BTreeSet<&'static str>,
    /// For write-only attributes: the attribute to use instead on a Terraform that does not
    /// know write-only attributes (before 1.11), and how it differs, for the error such a
    /// Terraform gets.
    pub write_only_alternatives: BTreeMap<&'static str, WriteOnlyAlternative>,
}

impl ResourceSchema {
    pub fn new(schema: Schema) -> Self {
        ResourceSchema {
            schema,
            requires_replace: BTreeSet::new(),
            stable: BTreeSet::new(),
            write_only_alternatives: BTreeMap::new(),
        }
    }
    pub fn replace_on_change(mut self, names: &[&'static str]) -> Self {
        self.requires_replace.extend(names);
        self
    }
    pub fn stable(mut self, names: &[&'static str]) -> Self {
        self.stable.extend(names);
        self
    }
    /// Names `instead` as what to use in place of the write-only `write_only` on a Terraform
    /// without write-only support; `difference` says what changes (e.g. that it is stored).
    pub fn write_only_alternative(
        mut self,
        write_only: &'static str,
        instead: &'static str,
        difference: &'static str,
    ) -> Self {
        self.write_only_alternatives.insert(
            write_only,
            WriteOnlyAlternative {
                attribute: instead,
                difference,
            },
        );
        self
    }
}

/// What to use instead of a write-only attribute where the client cannot take one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOnlyAlternative {
    pub attribute: &'static str,
    /// How it differs from the write-only attribute, e.g. "stored in state".
    pub difference: &'static str,
}

/// What an operation gets: the configured client, the cancellation signal (`Stop`), and the
/// instance's private state as Terraform sent it (the prior one for a read or a delete, the
/// planned one, which is the prior one, for a create or an update; empty on import).
pub struct OpContext<'a, C> {
    pub client: &'a C,
    pub cancel: CancellationToken,
    pub private: Private,
}

/// The result of a create or update: the state to save (possibly partial) and diagnostics.
/// A create that fails after the object exists must still return its state, so Terraform
/// records it (tainted) and nothing is orphaned. `S` is the state's type: a [`Value`], or a
/// typed model. `private` replaces the instance's private state; `None` keeps it.
#[derive(Debug)]
pub struct Outcome<S = Value> {
    pub state: Option<S>,
    pub diagnostics: Diagnostics,
    pub private: Option<Private>,
}

impl<S> Default for Outcome<S> {
    fn default() -> Self {
        Outcome {
            state: None,
            diagnostics: Diagnostics::new(),
            private: None,
        }
    }
}

impl<S> Outcome<S> {
    pub fn ok(state: S) -> Self {
        Outcome {
            state: Some(state),
            ..Outcome::default()
        }
    }
    pub fn failed(state: Option<S>, diagnostics: Diagnostics) -> Self {
        Outcome {
            state,
            diagnostics,
            private: None,
        }
    }
    /// `state` recorded, with these diagnostics (errors make the apply fail).
    pub fn recorded(state: S, diagnostics: impl Into<Diagnostics>) -> Self {
        Outcome {
            state: Some(state),
            diagnostics: diagnostics.into(),
            private: None,
        }
    }
    /// The same outcome, replacing the instance's private state with `private`.
    pub fn with_private(mut self, private: Private) -> Self {
        self.private = Some(private);
        self
    }
    /// The same outcome with `earlier` diagnostics before its own.
    pub fn after(mut self, earlier: Diagnostics) -> Self {
        let mut all = earlier;
        all.extend(self.diagnostics);
        self.diagnostics = all;
        self
    }
}

impl<S> From<Diagnostics> for Outcome<S> {
    /// Nothing to record: the operation failed before the object existed or changed.
    fn from(diagnostics: Diagnostics) -> Self {
        Outcome {
            diagnostics,
            ..Outcome::default()
        }
    }
}

/// The plan being built for one resource instance.
pub struct PlanContext<'a> {
    pub prior: &'a Value,
    pub config: &'a Value,
    /// The default plan; adjust it in place.
    pub planned: Value,
    pub diagnostics: Diagnostics,
    /// Extra attribute paths that force replacement (beyond the schema's).
    pub requires_replace: Vec<crate::protocol::AttributePath>,
}

#[async_trait]
pub trait Resource<C>: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> ResourceSchema;

    /// Checked by `Framework::check` (tests, debug start-up): whether the resource's model fits `schema` (typed
    /// resources check their fields; see `framework::typed`).
    fn check_model(&self, _schema: &ResourceSchema) -> Result<(), String> {
        Ok(())
    }

    /// Static checks of a configuration; values may be unknown. No API calls.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Adjusts the default plan (see `framework::plan`). No API calls by default.
    fn modify_plan(&self, _plan: &mut PlanContext<'_>) {}

    async fn create(&self, ctx: &OpContext<'_, C>, planned: &Value, config: &Value) -> Outcome;

    /// Refreshes `current`. `Ok(None)` means the remote object is gone.
    async fn read(
        &self,
        ctx: &OpContext<'_, C>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics>;

    async fn update(
        &self,
        ctx: &OpContext<'_, C>,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> Outcome;

    async fn delete(&self, ctx: &OpContext<'_, C>, prior: &Value) -> Diagnostics;

    /// Turns an import id into a state the follow-up read can refresh. By default the id is
    /// the `id` attribute and everything else is null.
    async fn import(&self, _ctx: &OpContext<'_, C>, id: &str) -> Result<Value, Diagnostics> {
        default_import(&self.schema().schema, id)
    }
}

/// An object with every attribute null except `id`, and empty nested block collections.
pub fn default_import(schema: &Schema, id: &str) -> Result<Value, Diagnostics> {
    if id.trim().is_empty() {
        return Err(Diagnostic::error(
            "Invalid Import ID",
            "The import ID is empty; pass the object's id.",
        )
        .into());
    }
    let mut obj = super::values::null_object(&schema.block);
    if let Value::Object(attrs) = &mut obj {
        attrs.insert("id".to_string(), Value::from(id));
    }
    Ok(obj)
}
