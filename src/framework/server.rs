//! [`Framework`]: implements the protocol's [`ProviderService`] on top of a [`Provider`] and
//! its registered resources and data sources.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::protocol::{
    self, ApplyRequest, ApplyResponse, ClientCapabilities, ConfigureRequest, Diagnostic,
    Diagnostics, ImportRequest, ImportResponse, PlanRequest, PlanResponse, ProviderSchemas,
    ProviderService, ReadDataRequest, ReadDataResponse, ReadRequest, ReadResponse, RequestContext,
    Type, UpgradeRequest, UpgradeResponse, Value,
};

use super::resource::PlanContext;
use super::{plan, timeouts, DataSource, OpContext, Private, Provider, Resource, ResourceSchema};

/// A registered resource with the schema it declared at startup.
type Registered<C> = (Arc<dyn Resource<C>>, ResourceSchema);

pub struct Framework<P: Provider> {
    provider: P,
    resources: BTreeMap<String, Registered<P::Client>>,
    data_sources: BTreeMap<String, Arc<dyn DataSource<P::Client>>>,
    schemas: ProviderSchemas,
    /// Each resource's state type (its schema's implied type), for reading stored states.
    state_types: BTreeMap<String, Type>,
    client: OnceLock<Arc<P::Client>>,
}

/// Why a framework cannot be built from a provider: a bug caught at startup.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("two resources are registered as {0:?}")]
    DuplicateResource(String),
    #[error("two data sources are registered as {0:?}")]
    DuplicateDataSource(String),
    #[error("{0}")]
    ModelMismatch(String),
}

impl<P: Provider> Framework<P> {
    /// The framework serving `provider`. Debug builds (every test, the end-to-end suite
    /// included) first check that each model fits its schema ([`Framework::check`]); a
    /// release build leaves that to the tests, which run the same check.
    pub fn new(provider: P) -> Result<Self, RegistryError> {
        if cfg!(debug_assertions) {
            Self::check(&provider)?;
        }
        let mut resources = BTreeMap::new();
        for r in provider.resources() {
            let schema = r.schema();
            let name = r.type_name().to_string();
            if resources.insert(name.clone(), (r, schema)).is_some() {
                return Err(RegistryError::DuplicateResource(name));
            }
        }
        let mut data_sources = BTreeMap::new();
        for d in provider.data_sources() {
            let name = d.type_name().to_string();
            if data_sources.insert(name.clone(), d).is_some() {
                return Err(RegistryError::DuplicateDataSource(name));
            }
        }
        let schemas = ProviderSchemas {
            provider: provider.schema(),
            resources: resources
                .iter()
                .map(|(k, (_, s))| (k.clone(), s.schema.clone()))
                .collect(),
            data_sources: data_sources
                .iter()
                .map(|(k, d)| (k.clone(), d.schema()))
                .collect(),
        };
        let state_types = resources
            .iter()
            .map(|(k, (_, s))| (k.clone(), s.schema.block.implied_type()))
            .collect();
        Ok(Framework {
            provider,
            resources,
            data_sources,
            state_types,
            schemas,
            client: OnceLock::new(),
        })
    }

    /// Checks that every resource's and data source's model has exactly its schema's
    /// attributes, and that the attributes its planning names exist: a misspelt field is
    /// an error here, not a value silently lost.
    pub fn check(provider: &P) -> Result<(), RegistryError> {
        for r in provider.resources() {
            let schema = r.schema();
            r.check_model(&schema)
                .map_err(RegistryError::ModelMismatch)?;
            check_planning_names(r.type_name(), &schema).map_err(RegistryError::ModelMismatch)?;
        }
        for d in provider.data_sources() {
            d.check_model(&d.schema())
                .map_err(RegistryError::ModelMismatch)?;
        }
        Ok(())
    }

    fn resource(&self, name: &str) -> Result<&Registered<P::Client>, Diagnostics> {
        self.resources.get(name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown resource type",
                format!("This provider has no resource type {name:?}."),
            )
            .into()
        })
    }

    fn data_source(&self, name: &str) -> Result<&Arc<dyn DataSource<P::Client>>, Diagnostics> {
        self.data_sources.get(name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown data source type",
                format!("This provider has no data source type {name:?}."),
            )
            .into()
        })
    }

    pub(crate) fn client(&self) -> Result<&P::Client, Diagnostics> {
        self.client.get().map(|c| c.as_ref()).ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "Terraform called an operation before configuring the provider. This is a bug in the provider or in Terraform.",
            )
            .into()
        })
    }

    /// What an operation on the API needs: the configured client, the request's
    /// cancellation and the private state Terraform sent.
    fn op(
        &self,
        ctx: RequestContext,
        private: Private,
    ) -> Result<OpContext<'_, P::Client>, Diagnostics> {
        Ok(OpContext {
            client: self.client()?,
            cancel: ctx.cancel,
            private,
        })
    }
}

/// Every attribute a resource's planning behaviour names (replace on change, stable,
/// write-only alternatives) must be in its schema: a misspelt name would silently do
/// nothing.
fn check_planning_names(type_name: &str, schema: &ResourceSchema) -> Result<(), String> {
    let block = &schema.schema.block;
    let names = schema
        .requires_replace
        .iter()
        .chain(&schema.stable)
        .chain(schema.write_only_alternatives.keys())
        .chain(
            schema
                .write_only_alternatives
                .values()
                .map(|a| &a.attribute),
        );
    let unknown: Vec<&str> = names
        .filter(|n| block.attribute(n).is_none())
        .copied()
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{type_name}'s planning names attributes its schema does not have: {unknown:?}"
        ))
    }
}

/// Terraform lets a configuration set a computed-only attribute; the provider must refuse it.
fn reject_read_only_values(block: &crate::protocol::Block, config: &Value, d: &mut Diagnostics) {
    for a in block
        .attributes
        .iter()
        .filter(|a| a.computed && !a.optional && !a.required)
    {
        if config.get(&a.name).is_some_and(|v| !v.is_null()) {
            d.attribute_error(
                crate::protocol::AttributePath::root(&a.name),
                "Invalid Configuration for Read-Only Attribute",
                format!("\"{}\" is set by the provider and cannot be configured; remove it from the configuration.", a.name),
            );
        }
    }
}

/// The Terraform version write-only attributes need.
pub const WRITE_ONLY_MIN_TERRAFORM: &str = "1.11";

/// A Terraform that does not know write-only attributes (it says so by not sending the
/// `write_only_attributes_allowed` capability) treats them as ordinary arguments: it would keep
/// their values in plan and state, and reports the null the provider plans for them as a bug in
/// the provider. So a value there is refused, on the attribute, saying what to do instead.
/// `unknown_counts`: whether a value not known yet is refused too (at plan it will be set, or
/// the check at validate would have been too early to tell).
fn refuse_write_only_values(
    schema: &ResourceSchema,
    config: &Value,
    client: ClientCapabilities,
    unknown_counts: bool,
    d: &mut Diagnostics,
) {
    if client.write_only_attributes_allowed {
        return;
    }
    for a in schema.schema.block.write_only_attributes() {
        let Some(v) = config.get(&a.name) else {
            continue;
        };
        if v.is_null() || (!unknown_counts && v.is_unknown()) {
            continue;
        }
        let instead = match schema.write_only_alternatives.get(a.name.as_str()) {
            Some(alt) => format!(
                "Use `{}` instead ({}), or upgrade to Terraform {WRITE_ONLY_MIN_TERRAFORM} or later and keep `{}`.",
                alt.attribute, alt.difference, a.name
            ),
            None => format!(
                "Remove `{}`, or upgrade to Terraform {WRITE_ONLY_MIN_TERRAFORM} or later.",
                a.name
            ),
        };
        d.attribute_error(
            protocol::AttributePath::root(&a.name),
            format!("`{}` needs Terraform {WRITE_ONLY_MIN_TERRAFORM} or later", a.name),
            format!(
                "`{}` is a write-only attribute: Terraform {WRITE_ONLY_MIN_TERRAFORM} and later (and OpenTofu {WRITE_ONLY_MIN_TERRAFORM} and later) pass it to the provider without ever saving it in a plan or in state. This Terraform does not support write-only attributes and would store the value. {instead}",
                a.name
            ),
        );
    }
}

/// Nulls every write-only attribute: Terraform must never store their values.
fn strip_write_only(schema: &ResourceSchema, mut state: Value) -> Value {
    if let Value::Object(attrs) = &mut state {
        for a in schema.schema.block.write_only_attributes() {
            attrs.insert(a.name.clone(), Value::Null);
        }
    }
    state
}

impl<P: Provider> ProviderService for Framework<P> {
    fn schemas(&self) -> &ProviderSchemas {
        &self.schemas
    }

    async fn validate_provider_config(&self, config: Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        self.provider.validate(&config, &mut d);
        d
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        let caps = request.client_capabilities;
        tracing::info!(
            terraform_version = %request.terraform_version,
            write_only_attributes_allowed = caps.write_only_attributes_allowed,
            deferral_allowed = caps.deferral_allowed,
            "configuring the provider"
        );
        let mut d = Diagnostics::new();
        self.provider.validate(&request.config, &mut d);
        if d.has_errors() {
            return d;
        }
        match self
            .provider
            .configure(&request.terraform_version, &request.config)
            .await
        {
            Ok(client) => {
                let _ = self.client.set(Arc::new(client));
            }
            Err(e) => d.extend(e),
        }
        d
    }

    async fn validate_resource_config(
        &self,
        type_name: &str,
        config: Value,
        client: ClientCapabilities,
    ) -> Diagnostics {
        let (resource, schema) = match self.resource(type_name) {
            Ok(r) => r,
            Err(d) => return d,
        };
        let mut d = Diagnostics::new();
        reject_read_only_values(&schema.schema.block, &config, &mut d);
        refuse_write_only_values(schema, &config, client, false, &mut d);
        if schema.schema.block.nested("timeouts").is_some() {
            timeouts::validate(&config, &mut d);
        }
        resource.validate(&config, &mut d);
        d
    }

    async fn validate_data_source_config(&self, type_name: &str, config: Value) -> Diagnostics {
        match self.data_source(type_name) {
            Ok(ds) => {
                let mut d = Diagnostics::new();
                reject_read_only_values(&ds.schema().block, &config, &mut d);
                ds.validate(&config, &mut d);
                d
            }
            Err(d) => d,
        }
    }

    async fn upgrade_resource_state(&self, request: UpgradeRequest) -> UpgradeResponse {
        let fail = |d| UpgradeResponse {
            state: Value::Null,
            diagnostics: d,
        };
        let (_, schema) = match self.resource(&request.type_name) {
            Ok(r) => r,
            Err(d) => return fail(d),
        };
        let mut d = Diagnostics::new();
        if request.version > schema.schema.version {
            d.error(
                "State written by a newer provider",
                format!(
                    "This state has schema version {} but this provider knows only up to {}. Upgrade the provider.",
                    request.version, schema.schema.version
                ),
            );
            return fail(d);
        }
        let computed;
        let ty = match self.state_types.get(&request.type_name) {
            Some(t) => t,
            None => {
                computed = schema.schema.block.implied_type();
                &computed
            }
        };
        match protocol::value::decode_json(&request.raw_json, ty) {
            Ok(state) => UpgradeResponse {
                state: strip_write_only(schema, state),
                diagnostics: d,
            },
            Err(e) => {
                d.error(
                    "Unreadable state",
                    format!(
                        "The stored state of this {} could not be read: {e}",
                        request.type_name
                    ),
                );
                fail(d)
            }
        }
    }

    async fn read_resource(&self, ctx: RequestContext, request: ReadRequest) -> ReadResponse {
        let keep = |d| ReadResponse {
            new_state: request.current_state.clone(),
            private: request.private.clone(),
            diagnostics: d,
        };
        let ready = self
            .resource(&request.type_name)
            .and_then(|r| Ok((r, self.op(ctx, Private::from_bytes(&request.private))?)));
        let ((resource, schema), op) = match ready {
            Ok(r) => r,
            Err(d) => return keep(d),
        };
        match resource.read(&op, &request.current_state).await {
            Ok(Some(state)) => ReadResponse {
                new_state: strip_write_only(schema, state),
                private: request.private,
                diagnostics: Diagnostics::new(),
            },
            Ok(None) => ReadResponse {
                new_state: Value::Null,
                private: vec![],
                diagnostics: Diagnostics::new(),
            },
            Err(d) => keep(d),
        }
    }

    async fn plan_resource_change(
        &self,
        _ctx: RequestContext,
        request: PlanRequest,
    ) -> PlanResponse {
        let (resource, schema) = match self.resource(&request.type_name) {
            Ok(r) => r,
            Err(d) => {
                return PlanResponse {
                    planned_state: Value::Null,
                    requires_replace: vec![],
                    planned_private: vec![],
                    diagnostics: d,
                }
            }
        };
        if request.proposed_new_state.is_null() {
            return PlanResponse {
                planned_state: Value::Null,
                requires_replace: vec![],
                planned_private: request.prior_private,
                diagnostics: Diagnostics::new(),
            };
        }
        let mut refused = Diagnostics::new();
        refuse_write_only_values(
            schema,
            &request.config,
            request.client_capabilities,
            true,
            &mut refused,
        );
        if refused.has_errors() {
            // Never an "invalid plan": the proposed state as is, with the error.
            return PlanResponse {
                planned_state: request.proposed_new_state,
                requires_replace: vec![],
                planned_private: request.prior_private,
                diagnostics: refused,
            };
        }
        let planned = plan::default_plan(
            schema,
            &request.prior_state,
            &request.proposed_new_state,
            &request.config,
        );
        let mut ctx = PlanContext {
            prior: &request.prior_state,
            config: &request.config,
            planned,
            diagnostics: Diagnostics::new(),
            requires_replace: vec![],
        };
        resource.modify_plan(&mut ctx);
        let mut requires_replace = if request.prior_state.is_null() {
            vec![]
        } else {
            plan::requires_replace(schema)
        };
        requires_replace.extend(ctx.requires_replace);
        PlanResponse {
            planned_state: strip_write_only(schema, ctx.planned),
            requires_replace,
            planned_private: request.prior_private,
            diagnostics: ctx.diagnostics,
        }
    }

    async fn apply_resource_change(
        &self,
        ctx: RequestContext,
        request: ApplyRequest,
    ) -> ApplyResponse {
        let ready = self.resource(&request.type_name).and_then(|r| {
            Ok((
                r,
                self.op(ctx, Private::from_bytes(&request.planned_private))?,
            ))
        });
        let ((resource, schema), op) = match ready {
            Ok(r) => r,
            Err(d) => {
                return ApplyResponse {
                    new_state: request.prior_state,
                    private: vec![],
                    diagnostics: d,
                }
            }
        };
        if request.planned_state.is_null() {
            let d = resource.delete(&op, &request.prior_state).await;
            let new_state = if d.has_errors() {
                request.prior_state
            } else {
                Value::Null
            };
            return ApplyResponse {
                new_state,
                private: request.planned_private,
                diagnostics: d,
            };
        }
        let outcome = if request.prior_state.is_null() {
            resource
                .create(&op, &request.planned_state, &request.config)
                .await
        } else if plan::only_timeouts_change(schema, &request.prior_state, &request.planned_state) {
            // Nothing for the API: the new timeouts are simply recorded.
            super::Outcome::ok(request.planned_state.clone())
        } else {
            resource
                .update(
                    &op,
                    &request.prior_state,
                    &request.planned_state,
                    &request.config,
                )
                .await
        };
        let new_state = match outcome.state {
            Some(s) => strip_write_only(schema, s),
            // A failed update keeps the prior state; a failed create with nothing to record saves nothing.
            None => request.prior_state,
        };
        ApplyResponse {
            new_state,
            private: outcome
                .private
                .map_or(request.planned_private, |p| p.to_bytes()),
            diagnostics: outcome.diagnostics,
        }
    }

    async fn import_resource_state(
        &self,
        ctx: RequestContext,
        request: ImportRequest,
    ) -> ImportResponse {
        let fail = |d| ImportResponse {
            state: Value::Null,
            private: vec![],
            diagnostics: d,
        };
        let ready = self
            .resource(&request.type_name)
            .and_then(|r| Ok((r, self.op(ctx, Private::default())?)));
        let ((resource, schema), op) = match ready {
            Ok(r) => r,
            Err(d) => return fail(d),
        };
        match resource.import(&op, &request.id).await {
            Ok(state) => ImportResponse {
                state: strip_write_only(schema, state),
                private: vec![],
                diagnostics: Diagnostics::new(),
            },
            Err(d) => fail(d),
        }
    }

    async fn read_data_source(
        &self,
        ctx: RequestContext,
        request: ReadDataRequest,
    ) -> ReadDataResponse {
        let fail = |d| ReadDataResponse {
            state: Value::Null,
            diagnostics: d,
        };
        let ready = self
            .data_source(&request.type_name)
            .and_then(|ds| Ok((ds, self.op(ctx, Private::default())?)));
        let (ds, op) = match ready {
            Ok(r) => r,
            Err(d) => return fail(d),
        };
        match ds.read(&op, &request.config).await {
            Ok(state) => ReadDataResponse {
                state,
                diagnostics: Diagnostics::new(),
            },
            Err(d) => fail(d),
        }
    }
}
