//! Terraform plugin protocol 5 (tfplugin5) and go-plugin, served with tonic.
//!
//! Knows nothing of Fivetran nor of the resource framework: it decodes each request into
//! [`value::Value`]s using the schemas the [`ProviderService`] declares, calls it, and encodes
//! the answer. Problems are returned as diagnostics, never as gRPC errors.

mod convert;
pub mod diagnostics;
pub mod logging;
pub mod plugin;
pub mod schema;
pub mod server;
pub mod value;
mod wire;

use std::collections::BTreeMap;
use std::future::Future;

pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use tokio_util::sync::CancellationToken;
pub use value::{Type, Value};

/// Every schema the provider declares.
#[derive(Debug, Clone)]
pub struct ProviderSchemas {
    pub provider: Schema,
    pub resources: BTreeMap<String, Schema>,
    pub data_sources: BTreeMap<String, Schema>,
}

/// Per-request context. `cancel` fires when Terraform calls `Stop` (the user pressed Ctrl-C):
/// long waits must return promptly, leaving what exists recorded.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub cancel: CancellationToken,
}

/// What the Terraform (or OpenTofu) on the other end says it can handle. Older clients send no
/// capabilities at all: every flag is then false, the safe reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// The client accepts deferred responses (Terraform 1.9+, and only in some walks).
    pub deferral_allowed: bool,
    /// The client knows write-only attributes (Terraform 1.11+): it keeps their values out of
    /// plans and state and accepts them planned as null.
    pub write_only_attributes_allowed: bool,
}

pub struct ConfigureRequest {
    /// As Terraform reports it, e.g. `1.11.4` (empty when the client does not say).
    pub terraform_version: String,
    pub config: Value,
    pub client_capabilities: ClientCapabilities,
}

pub struct ReadRequest {
    pub type_name: String,
    pub current_state: Value,
    pub private: Vec<u8>,
}

pub struct ReadResponse {
    /// `Value::Null` means the remote object is gone.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct PlanRequest {
    pub type_name: String,
    pub prior_state: Value,
    pub proposed_new_state: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
    pub client_capabilities: ClientCapabilities,
}

pub struct PlanResponse {
    pub planned_state: Value,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ApplyRequest {
    pub type_name: String,
    pub prior_state: Value,
    pub planned_state: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
}

pub struct ApplyResponse {
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ImportRequest {
    pub type_name: String,
    pub id: String,
}

pub struct ImportResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct UpgradeRequest {
    pub type_name: String,
    pub version: i64,
    /// The state JSON exactly as stored in the state file.
    pub raw_json: Vec<u8>,
}

pub struct UpgradeResponse {
    pub state: Value,
    pub diagnostics: Diagnostics,
}

pub struct ReadDataRequest {
    pub type_name: String,
    pub config: Value,
}

pub struct ReadDataResponse {
    pub state: Value,
    pub diagnostics: Diagnostics,
}

/// What a provider implements; one method per RPC, in protocol terms.
pub trait ProviderService: Send + Sync + 'static {
    fn schemas(&self) -> &ProviderSchemas;

    fn validate_provider_config(&self, config: Value) -> impl Future<Output = Diagnostics> + Send;

    fn configure(&self, request: ConfigureRequest) -> impl Future<Output = Diagnostics> + Send;

    fn validate_resource_config(
        &self,
        type_name: &str,
        config: Value,
        client_capabilities: ClientCapabilities,
    ) -> impl Future<Output = Diagnostics> + Send;

    fn validate_data_source_config(
        &self,
        type_name: &str,
        config: Value,
    ) -> impl Future<Output = Diagnostics> + Send;

    fn upgrade_resource_state(
        &self,
        request: UpgradeRequest,
    ) -> impl Future<Output = UpgradeResponse> + Send;

    fn read_resource(
        &self,
        ctx: RequestContext,
        request: ReadRequest,
    ) -> impl Future<Output = ReadResponse> + Send;

    fn plan_resource_change(
        &self,
        ctx: RequestContext,
        request: PlanRequest,
    ) -> impl Future<Output = PlanResponse> + Send;

    fn apply_resource_change(
        &self,
        ctx: RequestContext,
        request: ApplyRequest,
    ) -> impl Future<Output = ApplyResponse> + Send;

    fn import_resource_state(
        &self,
        ctx: RequestContext,
        request: ImportRequest,
    ) -> impl Future<Output = ImportResponse> + Send;

    fn read_data_source(
        &self,
        ctx: RequestContext,
        request: ReadDataRequest,
    ) -> impl Future<Output = ReadDataResponse> + Send;
}
