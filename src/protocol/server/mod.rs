//! The tfplugin5 gRPC service. Each handler has one shape: decode with the declared schema,
//! call the [`ProviderService`], encode the answer. `Stop` cancels every request in flight at
//! that moment, and only those: later requests get a fresh token (Terraform may keep using the
//! process after a `Stop`, e.g. to save state or, in a long-lived debug process, for the next
//! command). The tests are in `tests.rs`.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;

use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::convert::{self, decode, encode};
use super::wire::tfplugin5 as pb;
use super::wire::tfplugin5::provider_server::{Provider, ProviderServer};
use super::{
    ApplyRequest, ClientCapabilities, ConfigureRequest, Diagnostic, Diagnostics, ImportRequest,
    PlanRequest, ProviderService, ReadDataRequest, ReadRequest, RequestContext, Type,
    UpgradeRequest, Value,
};

/// Terraform sends whole configurations and states; tonic's 4 MiB default is too small.
const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// Adapts a [`ProviderService`] to tonic.
pub struct GrpcProvider<S> {
    service: Arc<S>,
    /// The parent of every request's token; `Stop` cancels it and puts a new one in its place.
    stop: Mutex<CancellationToken>,
    provider_type: Type,
    resource_types: BTreeMap<String, Type>,
    data_source_types: BTreeMap<String, Type>,
}

impl<S: ProviderService> GrpcProvider<S> {
    pub fn new(service: Arc<S>) -> Self {
        let schemas = service.schemas();
        let types = |m: &BTreeMap<String, super::Schema>| {
            m.iter()
                .map(|(k, s)| (k.clone(), s.block.implied_type()))
                .collect()
        };
        GrpcProvider {
            provider_type: schemas.provider.block.implied_type(),
            resource_types: types(&schemas.resources),
            data_source_types: types(&schemas.data_sources),
            service,
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    /// The tonic service with raised message limits, ready for `Routes::new`.
    pub fn into_service(self) -> ProviderServer<Self> {
        ProviderServer::new(self)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE)
    }

    fn ctx(&self) -> RequestContext {
        RequestContext {
            cancel: self.current_stop().child_token(),
        }
    }

    fn current_stop(&self) -> std::sync::MutexGuard<'_, CancellationToken> {
        // The guarded value is a token, valid whatever a panicking holder was doing.
        self.stop.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Cancels every request in flight and gives later requests a fresh parent token.
    fn stop_in_flight(&self) {
        let stopped = std::mem::take(&mut *self.current_stop());
        stopped.cancel();
    }

    fn resource_type(&self, name: &str) -> Result<&Type, Diagnostic> {
        self.resource_types
            .get(name)
            .ok_or_else(|| unknown_type("resource", name))
    }

    fn data_source_type(&self, name: &str) -> Result<&Type, Diagnostic> {
        self.data_source_types
            .get(name)
            .ok_or_else(|| unknown_type("data source", name))
    }
}

/// Runs one provider operation for `rpc` on `subject` (a type name, or "the provider"). A
/// panic in it is a bug: the panic hook has printed it, which Terraform turns into its crash
/// report, and this request answers an error diagnostic saying so, instead of a dropped
/// stream that Terraform would report as "Request cancelled". Requests in flight beside it
/// carry on.
async fn caught<T>(
    rpc: &'static str,
    subject: &str,
    operation: impl Future<Output = T>,
) -> Result<T, Diagnostic> {
    let mut operation = Box::pin(operation);
    let mut first = true;
    let outcome = std::future::poll_fn(|cx| {
        let poll = || {
            if std::mem::take(&mut first) {
                deliberate_panic(rpc, subject);
            }
            operation.as_mut().poll(cx)
        };
        match std::panic::catch_unwind(AssertUnwindSafe(poll)) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    })
    .await;
    outcome.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Diagnostic::error(
            "Provider Bug",
            format!(
                "The provider failed unexpectedly in {rpc} for {subject}: {message}\n\nThis is a bug in terraform-provider-fivetran; please report it with the crash report Terraform prints at the end. Other operations were not stopped: run `terraform plan` to see where things stand."
            ),
        )
    })
}

/// The variable that makes a debug build panic on purpose: `RPC` or `RPC:type_name`.
pub const DELIBERATE_PANIC_VAR: &str = "TF_PROVIDER_DEBUG_PANIC_IN";

/// Debug builds only (the ones tests run): panics in the named RPC when
/// [`DELIBERATE_PANIC_VAR`] asks for it, so that end-to-end tests can show what a user sees
/// when the provider has a bug. Release builds contain no such switch.
#[cfg(debug_assertions)]
fn deliberate_panic(rpc: &str, type_name: &str) {
    if let Ok(wanted) = std::env::var(DELIBERATE_PANIC_VAR) {
        let (wanted_rpc, wanted_type) = wanted.split_once(':').unwrap_or((&wanted, type_name));
        if wanted_rpc == rpc && wanted_type == type_name {
            panic!("deliberate panic in {rpc} for {type_name} ({DELIBERATE_PANIC_VAR})");
        }
    }
}

#[cfg(not(debug_assertions))]
fn deliberate_panic(_: &str, _: &str) {}

fn unknown_type(kind: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type {name:?}. Check the spelling, or upgrade the provider."),
    )
}

fn diags(d: Diagnostic) -> Vec<pb::Diagnostic> {
    convert::diagnostics(d.into())
}

macro_rules! try_diag {
    ($e:expr, $resp:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => return Ok(Response::new($resp(diags(d)))),
        }
    };
}

#[tonic::async_trait]
impl<S: ProviderService> Provider for GrpcProvider<S> {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let s = self.service.schemas();
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: vec![],
            data_sources: s
                .data_sources
                .keys()
                .map(|k| pb::get_metadata::DataSourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            resources: s
                .resources
                .keys()
                .map(|k| pb::get_metadata::ResourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            functions: vec![],
            ephemeral_resources: vec![],
        }))
    }

    async fn get_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let s = self.service.schemas();
        let map = |m: &BTreeMap<String, super::Schema>| {
            m.iter()
                .map(|(k, v)| (k.clone(), convert::schema(v)))
                .collect()
        };
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(convert::schema(&s.provider)),
            resource_schemas: map(&s.resources),
            data_source_schemas: map(&s.data_sources),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(capabilities()),
            functions: Default::default(),
            ephemeral_resource_schemas: Default::default(),
        }))
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::prepare_provider_config::Response {
            prepared_config: None,
            diagnostics,
        };
        let config = try_diag!(
            decode(
                r.config.as_ref(),
                &self.provider_type,
                "provider configuration"
            ),
            resp
        );
        let d = try_diag!(
            caught(
                "ValidateProviderConfig",
                "the provider",
                self.service.validate_provider_config(config)
            )
            .await,
            resp
        );
        Ok(Response::new(resp(convert::diagnostics(d))))
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::validate_resource_type_config::Response { diagnostics };
        let ty = try_diag!(self.resource_type(&r.type_name), resp);
        let config = try_diag!(
            decode(r.config.as_ref(), ty, "resource configuration"),
            resp
        );
        let d = try_diag!(
            caught(
                "ValidateResourceTypeConfig",
                &r.type_name,
                self.service.validate_resource_config(
                    &r.type_name,
                    config,
                    capabilities_of(r.client_capabilities)
                )
            )
            .await,
            resp
        );
        Ok(Response::new(resp(convert::diagnostics(d))))
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::validate_data_source_config::Response { diagnostics };
        let ty = try_diag!(self.data_source_type(&r.type_name), resp);
        let config = try_diag!(
            decode(r.config.as_ref(), ty, "data source configuration"),
            resp
        );
        let d = try_diag!(
            caught(
                "ValidateDataSourceConfig",
                &r.type_name,
                self.service
                    .validate_data_source_config(&r.type_name, config)
            )
            .await,
            resp
        );
        Ok(Response::new(resp(convert::diagnostics(d))))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::upgrade_resource_state::Response {
            upgraded_state: None,
            diagnostics,
        };
        let ty = try_diag!(self.resource_type(&r.type_name), resp).clone();
        let raw_json = r.raw_state.map(|s| s.json).unwrap_or_default();
        let type_name = r.type_name.clone();
        let out = try_diag!(
            caught(
                "UpgradeResourceState",
                &type_name,
                self.service.upgrade_resource_state(UpgradeRequest {
                    type_name: r.type_name,
                    version: r.version,
                    raw_json,
                })
            )
            .await,
            resp
        );
        let mut d = out.diagnostics;
        let upgraded_state = match encode(&out.state, &ty, "upgraded state") {
            Ok(v) => Some(v),
            Err(e) => {
                d.push(e);
                None
            }
        };
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: convert::diagnostics(d),
        }))
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::configure::Response { diagnostics };
        let config = try_diag!(
            decode(
                r.config.as_ref(),
                &self.provider_type,
                "provider configuration"
            ),
            resp
        );
        let d = try_diag!(
            caught(
                "ConfigureProvider",
                "the provider",
                self.service.configure(ConfigureRequest {
                    terraform_version: r.terraform_version,
                    config,
                    client_capabilities: capabilities_of(r.client_capabilities),
                })
            )
            .await,
            resp
        );
        Ok(Response::new(resp(convert::diagnostics(d))))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::read_resource::Response {
            new_state: None,
            diagnostics,
            private: vec![],
            deferred: None,
        };
        let ty = try_diag!(self.resource_type(&r.type_name), resp).clone();
        let current_state = try_diag!(decode(r.current_state.as_ref(), &ty, "current state"), resp);
        let type_name = r.type_name.clone();
        let out = try_diag!(
            caught(
                "ReadResource",
                &type_name,
                self.service.read_resource(
                    self.ctx(),
                    ReadRequest {
                        type_name: r.type_name,
                        current_state,
                        private: r.private,
                    },
                )
            )
            .await,
            resp
        );
        let mut d = out.diagnostics;
        let new_state = encode_into(&out.new_state, &ty, "refreshed state", &mut d);
        Ok(Response::new(pb::read_resource::Response {
            new_state,
            diagnostics: convert::diagnostics(d),
            private: out.private,
            deferred: None,
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::plan_resource_change::Response {
            planned_state: None,
            requires_replace: vec![],
            planned_private: vec![],
            diagnostics,
            legacy_type_system: false,
            deferred: None,
        };
        let ty = try_diag!(self.resource_type(&r.type_name), resp).clone();
        let prior_state = try_diag!(decode(r.prior_state.as_ref(), &ty, "prior state"), resp);
        let proposed_new_state = try_diag!(
            decode(r.proposed_new_state.as_ref(), &ty, "proposed state"),
            resp
        );
        let config = try_diag!(decode(r.config.as_ref(), &ty, "configuration"), resp);
        let type_name = r.type_name.clone();
        let out = try_diag!(
            caught(
                "PlanResourceChange",
                &type_name,
                self.service.plan_resource_change(
                    self.ctx(),
                    PlanRequest {
                        type_name: r.type_name,
                        prior_state,
                        proposed_new_state,
                        config,
                        prior_private: r.prior_private,
                        client_capabilities: capabilities_of(r.client_capabilities),
                    },
                )
            )
            .await,
            resp
        );
        let mut d = out.diagnostics;
        let planned_state = encode_into(&out.planned_state, &ty, "planned state", &mut d);
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state,
            requires_replace: out
                .requires_replace
                .iter()
                .map(convert::attribute_path)
                .collect(),
            planned_private: out.planned_private,
            diagnostics: convert::diagnostics(d),
            legacy_type_system: false,
            deferred: None,
        }))
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::apply_resource_change::Response {
            new_state: None,
            private: vec![],
            diagnostics,
            legacy_type_system: false,
        };
        let ty = try_diag!(self.resource_type(&r.type_name), resp).clone();
        let prior_state = try_diag!(decode(r.prior_state.as_ref(), &ty, "prior state"), resp);
        let planned_state = try_diag!(decode(r.planned_state.as_ref(), &ty, "planned state"), resp);
        let config = try_diag!(decode(r.config.as_ref(), &ty, "configuration"), resp);
        let type_name = r.type_name.clone();
        let out = try_diag!(
            caught(
                "ApplyResourceChange",
                &type_name,
                self.service.apply_resource_change(
                    self.ctx(),
                    ApplyRequest {
                        type_name: r.type_name,
                        prior_state,
                        planned_state,
                        config,
                        planned_private: r.planned_private,
                    },
                )
            )
            .await,
            resp
        );
        let mut d = out.diagnostics;
        let new_state = encode_into(&out.new_state, &ty, "new state", &mut d);
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state,
            private: out.private,
            diagnostics: convert::diagnostics(d),
            legacy_type_system: false,
        }))
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::import_resource_state::Response {
            imported_resources: vec![],
            diagnostics,
            deferred: None,
        };
        let ty = try_diag!(self.resource_type(&r.type_name), resp).clone();
        let type_name = r.type_name.clone();
        let out = try_diag!(
            caught(
                "ImportResourceState",
                &type_name,
                self.service.import_resource_state(
                    self.ctx(),
                    ImportRequest {
                        type_name: r.type_name,
                        id: r.id,
                    },
                )
            )
            .await,
            resp
        );
        let mut d = out.diagnostics;
        let mut imported_resources = vec![];
        if !d.has_errors() {
            if let Some(state) = encode_into(&out.state, &ty, "imported state", &mut d) {
                imported_resources.push(pb::import_resource_state::ImportedResource {
                    type_name,
                    state: Some(state),
                    private: out.private,
                });
            }
        }
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: convert::diagnostics(d),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        _: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        Err(Status::unimplemented(
            "moving state across resource types is not supported",
        ))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let r = request.into_inner();
        let resp = |diagnostics| pb::read_data_source::Response {
            state: None,
            diagnostics,
            deferred: None,
        };
        let ty = try_diag!(self.data_source_type(&r.type_name), resp).clone();
        let config = try_diag!(
            decode(r.config.as_ref(), &ty, "data source configuration"),
            resp
        );
        let type_name = r.type_name.clone();
        let out = try_diag!(
            caught(
                "ReadDataSource",
                &type_name,
                self.service.read_data_source(
                    self.ctx(),
                    ReadDataRequest {
                        type_name: r.type_name,
                        config,
                    },
                )
            )
            .await,
            resp
        );
        let mut d = out.diagnostics;
        let state = encode_into(&out.state, &ty, "data source state", &mut d);
        Ok(Response::new(pb::read_data_source::Response {
            state,
            diagnostics: convert::diagnostics(d),
            deferred: None,
        }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        _: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn renew_ephemeral_resource(
        &self,
        _: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn close_ephemeral_resource(
        &self,
        _: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        Err(Status::unimplemented(
            "this provider has no ephemeral resources",
        ))
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response {
            functions: Default::default(),
            diagnostics: vec![],
        }))
    }

    async fn call_function(
        &self,
        _: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        Err(Status::unimplemented("this provider has no functions"))
    }

    async fn stop(
        &self,
        _: Request<pb::stop::Request>,
    ) -> Result<Response<pb::stop::Response>, Status> {
        tracing::info!("Stop requested: cancelling in-flight operations");
        self.stop_in_flight();
        Ok(Response::new(pb::stop::Response {
            error: String::new(),
        }))
    }
}

fn capabilities() -> pb::ServerCapabilities {
    // get_provider_schema_optional: Terraform may reuse the schema across instances; nothing is
    // initialised lazily in GetSchema, so skipping it is safe and saves a round trip per process.
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
    }
}

/// The client's capabilities; none sent (Terraform before 1.9) means none.
fn capabilities_of(c: Option<pb::ClientCapabilities>) -> ClientCapabilities {
    let c = c.unwrap_or_default();
    ClientCapabilities {
        deferral_allowed: c.deferral_allowed,
        write_only_attributes_allowed: c.write_only_attributes_allowed,
    }
}

fn encode_into(v: &Value, ty: &Type, what: &str, d: &mut Diagnostics) -> Option<pb::DynamicValue> {
    match encode(v, ty, what) {
        Ok(dv) => Some(dv),
        Err(e) => {
            d.push(e);
            None
        }
    }
}

#[cfg(test)]
impl<S: ProviderService> GrpcProvider<S> {
    /// For tests: the token the `Stop` RPC cancels next.
    pub fn stop_token(&self) -> CancellationToken {
        self.current_stop().clone()
    }
}
