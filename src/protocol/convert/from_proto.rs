//! tfplugin5 requests into the protocol's requests: each `DynamicValue` decoded against the
//! type of the schema the request names (msgpack if present, else JSON, else null), and the
//! client's capabilities read (none sent means none). One [`FromProto`] impl per request
//! message that the provider service answers.

use super::internal;
use crate::protocol::wire::tfplugin5 as pb;
use crate::protocol::{
    value, ApplyRequest, ClientCapabilities, ConfigureRequest, Diagnostic, ImportRequest,
    PlanRequest, ReadDataRequest, ReadRequest, Type, UpgradeRequest, Value,
};

/// Whose schema a request's values are decoded against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Provider,
    Resource,
    DataSource,
}

/// A request message, decoded into what the provider service takes.
pub(crate) trait FromProto {
    const SUBJECT: Subject;
    type Decoded;

    /// The resource or data source type named; empty for the provider's own requests.
    fn type_name(&self) -> &str {
        ""
    }

    /// Decodes the request against `ty`, the type of the schema it names.
    fn decode(self, ty: &Type) -> Result<Self::Decoded, Diagnostic>;
}

/// Decodes a request value: msgpack if present, else JSON, else null (Terraform's own rule).
pub(crate) fn decode(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostic> {
    let result = match dv {
        Some(dv) if !dv.msgpack.is_empty() => {
            value::decode_msgpack(&dv.msgpack, ty).map_err(|e| e.to_string())
        }
        Some(dv) if !dv.json.is_empty() => {
            value::decode_json(&dv.json, ty).map_err(|e| e.to_string())
        }
        _ => Ok(Value::Null),
    };
    result.map_err(|e| internal(format!("Could not decode the {what} Terraform sent: {e}")))
}

/// The client's capabilities; none sent (Terraform before 1.9) means none.
pub(crate) fn client_capabilities(c: Option<pb::ClientCapabilities>) -> ClientCapabilities {
    let c = c.unwrap_or_default();
    ClientCapabilities {
        deferral_allowed: c.deferral_allowed,
        write_only_attributes_allowed: c.write_only_attributes_allowed,
    }
}

/// `PrepareProviderConfig` (ValidateProviderConfig): the provider configuration.
impl FromProto for pb::prepare_provider_config::Request {
    const SUBJECT: Subject = Subject::Provider;
    type Decoded = Value;

    fn decode(self, ty: &Type) -> Result<Value, Diagnostic> {
        decode(self.config.as_ref(), ty, "provider configuration")
    }
}

/// What [`ProviderService::validate_resource_config`](crate::protocol::ProviderService)
/// takes.
pub(crate) struct ValidateResourceConfig {
    pub(crate) type_name: String,
    pub(crate) config: Value,
    pub(crate) client_capabilities: ClientCapabilities,
}

impl FromProto for pb::validate_resource_type_config::Request {
    const SUBJECT: Subject = Subject::Resource;
    type Decoded = ValidateResourceConfig;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, ty: &Type) -> Result<ValidateResourceConfig, Diagnostic> {
        Ok(ValidateResourceConfig {
            config: decode(self.config.as_ref(), ty, "resource configuration")?,
            client_capabilities: client_capabilities(self.client_capabilities),
            type_name: self.type_name,
        })
    }
}

/// What [`ProviderService::validate_data_source_config`](crate::protocol::ProviderService)
/// takes.
pub(crate) struct ValidateDataSourceConfig {
    pub(crate) type_name: String,
    pub(crate) config: Value,
}

impl FromProto for pb::validate_data_source_config::Request {
    const SUBJECT: Subject = Subject::DataSource;
    type Decoded = ValidateDataSourceConfig;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, ty: &Type) -> Result<ValidateDataSourceConfig, Diagnostic> {
        Ok(ValidateDataSourceConfig {
            config: decode(self.config.as_ref(), ty, "data source configuration")?,
            type_name: self.type_name,
        })
    }
}

impl FromProto for pb::configure::Request {
    const SUBJECT: Subject = Subject::Provider;
    type Decoded = ConfigureRequest;

    fn decode(self, ty: &Type) -> Result<ConfigureRequest, Diagnostic> {
        Ok(ConfigureRequest {
            config: decode(self.config.as_ref(), ty, "provider configuration")?,
            terraform_version: self.terraform_version,
            client_capabilities: client_capabilities(self.client_capabilities),
        })
    }
}

/// The stored state stays raw JSON: only the service knows the schema version it was written
/// with.
impl FromProto for pb::upgrade_resource_state::Request {
    const SUBJECT: Subject = Subject::Resource;
    type Decoded = UpgradeRequest;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, _: &Type) -> Result<UpgradeRequest, Diagnostic> {
        Ok(UpgradeRequest {
            type_name: self.type_name,
            version: self.version,
            raw_json: self.raw_state.map(|s| s.json).unwrap_or_default(),
        })
    }
}

impl FromProto for pb::read_resource::Request {
    const SUBJECT: Subject = Subject::Resource;
    type Decoded = ReadRequest;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, ty: &Type) -> Result<ReadRequest, Diagnostic> {
        Ok(ReadRequest {
            current_state: decode(self.current_state.as_ref(), ty, "current state")?,
            type_name: self.type_name,
            private: self.private,
        })
    }
}

impl FromProto for pb::plan_resource_change::Request {
    const SUBJECT: Subject = Subject::Resource;
    type Decoded = PlanRequest;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, ty: &Type) -> Result<PlanRequest, Diagnostic> {
        Ok(PlanRequest {
            prior_state: decode(self.prior_state.as_ref(), ty, "prior state")?,
            proposed_new_state: decode(self.proposed_new_state.as_ref(), ty, "proposed state")?,
            config: decode(self.config.as_ref(), ty, "configuration")?,
            type_name: self.type_name,
            prior_private: self.prior_private,
            client_capabilities: client_capabilities(self.client_capabilities),
        })
    }
}

impl FromProto for pb::apply_resource_change::Request {
    const SUBJECT: Subject = Subject::Resource;
    type Decoded = ApplyRequest;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, ty: &Type) -> Result<ApplyRequest, Diagnostic> {
        Ok(ApplyRequest {
            prior_state: decode(self.prior_state.as_ref(), ty, "prior state")?,
            planned_state: decode(self.planned_state.as_ref(), ty, "planned state")?,
            config: decode(self.config.as_ref(), ty, "configuration")?,
            type_name: self.type_name,
            planned_private: self.planned_private,
        })
    }
}

impl FromProto for pb::import_resource_state::Request {
    const SUBJECT: Subject = Subject::Resource;
    type Decoded = ImportRequest;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, _: &Type) -> Result<ImportRequest, Diagnostic> {
        Ok(ImportRequest {
            type_name: self.type_name,
            id: self.id,
        })
    }
}

impl FromProto for pb::read_data_source::Request {
    const SUBJECT: Subject = Subject::DataSource;
    type Decoded = ReadDataRequest;

    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn decode(self, ty: &Type) -> Result<ReadDataRequest, Diagnostic> {
        Ok(ReadDataRequest {
            config: decode(self.config.as_ref(), ty, "data source configuration")?,
            type_name: self.type_name,
        })
    }
}
