//! [`TypedResource`]: a managed resource written against its typed model, and [`Typed`],
//! the adapter that serves it as the framework's `Resource` (decoding every value Terraform
//! sends into the model, encoding every model back, with the attribute path on any error).

use std::sync::OnceLock;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::framework::resource::{default_import, PlanContext};
use crate::framework::{OpContext, Outcome, Resource, ResourceSchema};
use crate::protocol::{AttributePath, Diagnostics, Type, Value};

use super::{
    check_fields, from_value, to_attributes, to_fields, to_value, type_to_fields, Renames,
};

/// The plan of one resource instance, in model terms. `planned` starts as the framework's
/// default plan (see `framework::plan`); change it in place. Only the attributes changed
/// here are written back: the others keep Terraform's value exactly (refinements of
/// unknown values included).
pub struct TypedPlan<'a, M> {
    /// The prior state; `None` when the object is being created.
    pub prior: Option<&'a M>,
    pub config: &'a M,
    pub planned: M,
    pub diagnostics: Diagnostics,
    /// Extra attribute paths that force replacement (beyond the schema's).
    pub requires_replace: Vec<AttributePath>,
}

/// A managed resource over its model `Self::Model`: one struct whose fields are the
/// schema's attributes and blocks (checked by `Framework::check`). Errors returned as `Err` mean
/// "nothing to record"; an [`Outcome`] records a state even when it carries errors.
#[async_trait]
pub trait TypedResource<C: Send + Sync + 'static>: Send + Sync + 'static {
    type Model: Serialize + DeserializeOwned + Send + Sync;

    fn type_name(&self) -> &'static str;

    fn schema(&self) -> ResourceSchema;

    /// Attributes the model's fields name differently (see [`Renames`]).
    fn renames(&self) -> Renames {
        &[]
    }

    /// Static checks of a configuration; values may be unknown. No API calls.
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// Adjusts the default plan. No API calls.
    fn modify_plan(&self, _plan: &mut TypedPlan<'_, Self::Model>) {}

    async fn create(
        &self,
        ctx: &OpContext<'_, C>,
        planned: &Self::Model,
        config: &Self::Model,
    ) -> Result<Outcome<Self::Model>, Diagnostics>;

    /// Refreshes `current`. `Ok(None)` means the remote object is gone.
    async fn read(
        &self,
        ctx: &OpContext<'_, C>,
        current: &Self::Model,
    ) -> Result<Option<Self::Model>, Diagnostics>;

    async fn update(
        &self,
        ctx: &OpContext<'_, C>,
        prior: &Self::Model,
        planned: &Self::Model,
        config: &Self::Model,
    ) -> Result<Outcome<Self::Model>, Diagnostics>;

    async fn delete(&self, ctx: &OpContext<'_, C>, prior: &Self::Model) -> Result<(), Diagnostics>;

    /// Turns an import id into a state the follow-up read refreshes. By default the id is
    /// the `id` attribute and everything else is null.
    async fn import(&self, _ctx: &OpContext<'_, C>, id: &str) -> Result<Self::Model, Diagnostics> {
        let value = default_import(&self.schema().schema, id)?;
        from_value(&to_fields(&value, self.renames()))
            .map_err(|e| e.diagnostic("the imported state").into())
    }
}

/// A typed resource served as the framework's `Resource`.
pub struct Typed<R> {
    resource: R,
    /// The schema's implied object type, for encoding models.
    ty: OnceLock<Type>,
}

impl<R> Typed<R> {
    pub fn new(resource: R) -> Self {
        Typed {
            resource,
            ty: OnceLock::new(),
        }
    }
}

impl<R> Typed<R> {
    /// The schema's implied type, with the model's field names.
    fn ty<C>(&self) -> &Type
    where
        C: Send + Sync + 'static,
        R: TypedResource<C>,
    {
        self.ty.get_or_init(|| {
            type_to_fields(
                &self.resource.schema().schema.block.implied_type(),
                self.resource.renames(),
            )
        })
    }

    fn decode<C>(&self, value: &Value, what: &str) -> Result<R::Model, Diagnostics>
    where
        C: Send + Sync + 'static,
        R: TypedResource<C>,
    {
        from_value(&to_fields(value, self.resource.renames()))
            .map_err(|e| e.diagnostic(what).into())
    }

    fn encode<C>(&self, model: &R::Model, what: &str) -> Result<Value, Diagnostics>
    where
        C: Send + Sync + 'static,
        R: TypedResource<C>,
    {
        to_value(model, self.ty::<C>())
            .map(|v| to_attributes(v, self.resource.renames()))
            .map_err(|e| e.diagnostic(what).into())
    }

    /// An outcome in model terms as one in values; a state that cannot be encoded is
    /// not recorded and says why.
    fn encode_outcome<C>(&self, outcome: Result<Outcome<R::Model>, Diagnostics>) -> Outcome
    where
        C: Send + Sync + 'static,
        R: TypedResource<C>,
    {
        let outcome = match outcome {
            Ok(o) => o,
            Err(d) => return Outcome::from(d),
        };
        let mut diagnostics = outcome.diagnostics;
        let state = match outcome.state.map(|s| self.encode::<C>(&s, "the new state")) {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(d)) => {
                diagnostics.extend(d);
                None
            }
        };
        Outcome {
            state,
            diagnostics,
            private: outcome.private,
        }
    }
}

#[async_trait]
impl<C, R> Resource<C> for Typed<R>
where
    C: Send + Sync + 'static,
    R: TypedResource<C>,
{
    fn type_name(&self) -> &'static str {
        self.resource.type_name()
    }

    fn schema(&self) -> ResourceSchema {
        self.resource.schema()
    }

    fn check_model(&self, schema: &ResourceSchema) -> Result<(), String> {
        check_fields::<R::Model>(
            self.resource.type_name(),
            &schema.schema.block,
            self.resource.renames(),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        match self.decode::<C>(config, "the configuration") {
            Ok(model) => self.resource.validate(&model, diags),
            Err(d) => diags.extend(d),
        }
    }

    fn modify_plan(&self, plan: &mut PlanContext<'_>) {
        let decoded = (|| {
            let prior = if plan.prior.is_null() {
                None
            } else {
                Some(self.decode::<C>(plan.prior, "the prior state")?)
            };
            let config = self.decode::<C>(plan.config, "the configuration")?;
            let planned = self.decode::<C>(&plan.planned, "the planned state")?;
            Ok::<_, Diagnostics>((prior, config, planned))
        })();
        let (prior, config, planned) = match decoded {
            Ok(d) => d,
            Err(d) => {
                plan.diagnostics.extend(d);
                return;
            }
        };
        let before = match self.encode::<C>(&planned, "the planned state") {
            Ok(v) => v,
            Err(d) => {
                plan.diagnostics.extend(d);
                return;
            }
        };
        let mut typed = TypedPlan {
            prior: prior.as_ref(),
            config: &config,
            planned,
            diagnostics: Diagnostics::new(),
            requires_replace: Vec::new(),
        };
        self.resource.modify_plan(&mut typed);
        plan.diagnostics.extend(typed.diagnostics);
        plan.requires_replace.extend(typed.requires_replace);
        let after = match self.encode::<C>(&typed.planned, "the planned state") {
            Ok(v) => v,
            Err(d) => {
                plan.diagnostics.extend(d);
                return;
            }
        };
        // Write back only what the resource changed.
        if let (Some(before), Some(after), Value::Object(planned)) =
            (before.as_entries(), after.as_entries(), &mut plan.planned)
        {
            for (name, value) in after {
                if before.get(name) != Some(value) {
                    planned.insert(name.clone(), value.clone());
                }
            }
        }
    }

    async fn create(&self, ctx: &OpContext<'_, C>, planned: &Value, config: &Value) -> Outcome {
        let decoded = self
            .decode::<C>(planned, "the planned state")
            .and_then(|p| Ok((p, self.decode::<C>(config, "the configuration")?)));
        let (planned, config) = match decoded {
            Ok(d) => d,
            Err(d) => return Outcome::from(d),
        };
        let outcome = self.resource.create(ctx, &planned, &config).await;
        self.encode_outcome::<C>(outcome)
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, C>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        let current = self.decode::<C>(current, "the current state")?;
        match self.resource.read(ctx, &current).await? {
            Some(m) => self.encode::<C>(&m, "the refreshed state").map(Some),
            None => Ok(None),
        }
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, C>,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> Outcome {
        let decoded = (|| {
            Ok::<_, Diagnostics>((
                self.decode::<C>(prior, "the prior state")?,
                self.decode::<C>(planned, "the planned state")?,
                self.decode::<C>(config, "the configuration")?,
            ))
        })();
        let (prior, planned, config) = match decoded {
            Ok(d) => d,
            Err(d) => return Outcome::from(d),
        };
        let outcome = self.resource.update(ctx, &prior, &planned, &config).await;
        self.encode_outcome::<C>(outcome)
    }

    async fn delete(&self, ctx: &OpContext<'_, C>, prior: &Value) -> Diagnostics {
        let result = match self.decode::<C>(prior, "the prior state") {
            Ok(prior) => self.resource.delete(ctx, &prior).await,
            Err(d) => Err(d),
        };
        result.err().unwrap_or_default()
    }

    async fn import(&self, ctx: &OpContext<'_, C>, id: &str) -> Result<Value, Diagnostics> {
        let model = self.resource.import(ctx, id).await?;
        self.encode::<C>(&model, "the imported state")
    }
}
