//! The tfplugin5 gRPC service. Every RPC that calls the [`ProviderService`] takes one path,
//! [`GrpcProvider::handle`]: look up the type the request names, decode the request against it,
//! call the service, encode the answer. Each handler only names its RPC and the service method;
//! the conversions are in `convert/` (`from_proto.rs`, `to_proto.rs`), the tests in `tests.rs`.
//! `Stop` cancels every request in flight at that moment, and only those: later requests get a
//! fresh token (Terraform may keep using the process after a `Stop`, e.g. to save state or, in
//! a long-lived debug process, for the next command).

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;

use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::convert::from_proto::{FromProto, Subject};
use super::convert::to_proto::{self, DiagnosticsOnly, ToProto};
use super::wire::tfplugin5 as pb;
use super::wire::tfplugin5::provider_server::{Provider, ProviderServer};
use super::{Diagnostic, ProviderService, RequestContext, Type};

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

    /// The type of the schema `subject` names.
    fn type_of(&self, subject: Subject, type_name: &str) -> Result<&Type, Diagnostic> {
        match subject {
            Subject::Provider => Ok(&self.provider_type),
            Subject::Resource => self
                .resource_types
                .get(type_name)
                .ok_or_else(|| unknown_type("resource", type_name)),
            Subject::DataSource => self
                .data_source_types
                .get(type_name)
                .ok_or_else(|| unknown_type("data source", type_name)),
        }
    }

    /// The one path of every RPC that calls the service: `rpc` names it (panic reports,
    /// [`DELIBERATE_PANIC_VAR`]), `call` is the service method. Problems become the
    /// response's diagnostics, never gRPC errors: an unknown type, a value Terraform sent that
    /// does not decode, a panic in the service (see [`caught`]), a value the service answered
    /// that does not encode.
    async fn handle<R, A, M, F>(
        &self,
        rpc: &'static str,
        request: Request<R>,
        call: impl FnOnce(RequestContext, R::Decoded) -> F,
    ) -> Result<Response<M>, Status>
    where
        R: FromProto,
        F: Future<Output = A>,
        A: ToProto<M>,
        M: DiagnosticsOnly,
    {
        let request = request.into_inner();
        let type_name = request.type_name().to_owned();
        let answer = async {
            let ty = self.type_of(R::SUBJECT, &type_name)?;
            let decoded = request.decode(ty)?;
            let subject = match R::SUBJECT {
                Subject::Provider => "the provider",
                Subject::Resource | Subject::DataSource => &type_name,
            };
            let answer = caught(rpc, subject, call(self.ctx(), decoded)).await?;
            Ok::<_, Diagnostic>(answer.to_proto(ty, type_name.clone()))
        };
        let response = answer
            .await
            .unwrap_or_else(|d| M::diagnostics_only(d.into()));
        Ok(Response::new(response))
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

#[tonic::async_trait]
impl<S: ProviderService> Provider for GrpcProvider<S> {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        Ok(Response::new(to_proto::get_metadata(
            self.service.schemas(),
        )))
    }

    async fn get_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        Ok(Response::new(to_proto::get_provider_schema(
            self.service.schemas(),
        )))
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        self.handle("ValidateProviderConfig", request, |_, config| {
            self.service.validate_provider_config(config)
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        self.handle("ValidateResourceTypeConfig", request, |_, r| async move {
            self.service
                .validate_resource_config(&r.type_name, r.config, r.client_capabilities)
                .await
        })
        .await
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        self.handle("ValidateDataSourceConfig", request, |_, r| async move {
            self.service
                .validate_data_source_config(&r.type_name, r.config)
                .await
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        self.handle("UpgradeResourceState", request, |_, r| {
            self.service.upgrade_resource_state(r)
        })
        .await
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        self.handle("ConfigureProvider", request, |_, r| {
            self.service.configure(r)
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        self.handle("ReadResource", request, |ctx, r| {
            self.service.read_resource(ctx, r)
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        self.handle("PlanResourceChange", request, |ctx, r| {
            self.service.plan_resource_change(ctx, r)
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        self.handle("ApplyResourceChange", request, |ctx, r| {
            self.service.apply_resource_change(ctx, r)
        })
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        self.handle("ImportResourceState", request, |ctx, r| {
            self.service.import_resource_state(ctx, r)
        })
        .await
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
        self.handle("ReadDataSource", request, |ctx, r| {
            self.service.read_data_source(ctx, r)
        })
        .await
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
