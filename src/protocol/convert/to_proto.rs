//! The protocol's answers into tfplugin5 responses: values encoded as msgpack against the
//! schema's type (a value that does not fit becomes an error diagnostic beside the service's
//! own), schemas, diagnostics with their attribute paths, and the server's capabilities. One
//! [`ToProto`] impl per answer of the provider service.

use super::internal;
use crate::protocol::diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
use crate::protocol::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use crate::protocol::wire::tfplugin5 as pb;
use crate::protocol::{
    value, ApplyResponse, ImportResponse, PlanResponse, ProviderSchemas, ReadDataResponse,
    ReadResponse, Type, UpgradeResponse, Value,
};

/// Encodes a response value as msgpack.
pub(crate) fn encode(v: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
    value::encode_msgpack(v, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| internal(format!("Could not encode the {what}: {e}")))
}

/// Encodes `v`, or adds the reason it cannot be to `d` and leaves the value out.
fn encode_into(v: &Value, ty: &Type, what: &str, d: &mut Diagnostics) -> Option<pb::DynamicValue> {
    match encode(v, ty, what) {
        Ok(dv) => Some(dv),
        Err(e) => {
            d.push(e);
            None
        }
    }
}

pub(crate) fn diagnostics(d: Diagnostics) -> Vec<pb::Diagnostic> {
    d.into_iter().map(diagnostic).collect()
}

fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.attribute.map(|p| attribute_path(&p)),
    }
}

pub(crate) fn attribute_path(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attribute(a) => Selector::AttributeName(a.clone()),
                    PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

pub(crate) fn schema(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block(&s.block)),
    }
}

fn block(b: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: b.attributes.iter().map(attribute).collect(),
        block_types: b.blocks.iter().map(nested_block).collect(),
        description: b.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: b.deprecated,
    }
}

fn attribute(a: &Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: a.ty.to_json(),
        description: a.description.clone(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: a.deprecated,
        write_only: a.write_only,
    }
}

fn nested_block(n: &NestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode;
    let nesting = match n.nesting {
        Nesting::Single => NestingMode::Single,
        Nesting::List => NestingMode::List,
        Nesting::Set => NestingMode::Set,
        Nesting::Map => NestingMode::Map,
        Nesting::Group => NestingMode::Group,
    };
    pb::schema::NestedBlock {
        type_name: n.type_name.clone(),
        block: Some(block(&n.block)),
        nesting: nesting as i32,
        min_items: n.min_items,
        max_items: n.max_items,
    }
}

pub(crate) fn server_capabilities() -> pb::ServerCapabilities {
    // get_provider_schema_optional: Terraform may reuse the schema across instances; nothing is
    // initialised lazily in GetSchema, so skipping it is safe and saves a round trip per process.
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
    }
}

pub(crate) fn get_metadata(s: &ProviderSchemas) -> pb::get_metadata::Response {
    pb::get_metadata::Response {
        server_capabilities: Some(server_capabilities()),
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
    }
}

pub(crate) fn get_provider_schema(s: &ProviderSchemas) -> pb::get_provider_schema::Response {
    let map = |m: &std::collections::BTreeMap<String, Schema>| {
        m.iter().map(|(k, v)| (k.clone(), schema(v))).collect()
    };
    pb::get_provider_schema::Response {
        provider: Some(schema(&s.provider)),
        resource_schemas: map(&s.resources),
        data_source_schemas: map(&s.data_sources),
        diagnostics: vec![],
        provider_meta: None,
        server_capabilities: Some(server_capabilities()),
        functions: Default::default(),
        ephemeral_resource_schemas: Default::default(),
    }
}

/// An answer of the provider service, encoded as the response message `M` against `ty`, the
/// type of the schema the request named (`type_name`).
pub(crate) trait ToProto<M> {
    fn to_proto(self, ty: &Type, type_name: String) -> M;
}

/// A response holding only `diagnostics`, every other field empty: the answer to a request
/// that failed before the service answered, and to the validation RPCs.
pub(crate) trait DiagnosticsOnly {
    fn diagnostics_only(diagnostics: Diagnostics) -> Self;
}

macro_rules! diagnostics_only {
    ($($rpc:ident),* $(,)?) => {$(
        impl DiagnosticsOnly for pb::$rpc::Response {
            // Some of these messages have no other field.
            #[allow(clippy::needless_update)]
            fn diagnostics_only(d: Diagnostics) -> Self {
                pb::$rpc::Response {
                    diagnostics: diagnostics(d),
                    ..Default::default()
                }
            }
        }
    )*};
}

diagnostics_only!(
    prepare_provider_config,
    validate_resource_type_config,
    validate_data_source_config,
    configure,
    upgrade_resource_state,
    read_resource,
    plan_resource_change,
    apply_resource_change,
    import_resource_state,
    read_data_source,
);

/// The validation RPCs and `ConfigureProvider` answer diagnostics alone.
impl<M: DiagnosticsOnly> ToProto<M> for Diagnostics {
    fn to_proto(self, _: &Type, _: String) -> M {
        M::diagnostics_only(self)
    }
}

impl ToProto<pb::upgrade_resource_state::Response> for UpgradeResponse {
    fn to_proto(self, ty: &Type, _: String) -> pb::upgrade_resource_state::Response {
        let mut d = self.diagnostics;
        let upgraded_state = encode_into(&self.state, ty, "upgraded state", &mut d);
        pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diagnostics(d),
        }
    }
}

impl ToProto<pb::read_resource::Response> for ReadResponse {
    fn to_proto(self, ty: &Type, _: String) -> pb::read_resource::Response {
        let mut d = self.diagnostics;
        let new_state = encode_into(&self.new_state, ty, "refreshed state", &mut d);
        pb::read_resource::Response {
            new_state,
            diagnostics: diagnostics(d),
            private: self.private,
            deferred: None,
        }
    }
}

impl ToProto<pb::plan_resource_change::Response> for PlanResponse {
    fn to_proto(self, ty: &Type, _: String) -> pb::plan_resource_change::Response {
        let mut d = self.diagnostics;
        let planned_state = encode_into(&self.planned_state, ty, "planned state", &mut d);
        pb::plan_resource_change::Response {
            planned_state,
            requires_replace: self.requires_replace.iter().map(attribute_path).collect(),
            planned_private: self.planned_private,
            diagnostics: diagnostics(d),
            legacy_type_system: false,
            deferred: None,
        }
    }
}

impl ToProto<pb::apply_resource_change::Response> for ApplyResponse {
    fn to_proto(self, ty: &Type, _: String) -> pb::apply_resource_change::Response {
        let mut d = self.diagnostics;
        let new_state = encode_into(&self.new_state, ty, "new state", &mut d);
        pb::apply_resource_change::Response {
            new_state,
            private: self.private,
            diagnostics: diagnostics(d),
            legacy_type_system: false,
        }
    }
}

/// The imported object, unless the service reported an error: then none, so that Terraform
/// records nothing.
impl ToProto<pb::import_resource_state::Response> for ImportResponse {
    fn to_proto(self, ty: &Type, type_name: String) -> pb::import_resource_state::Response {
        let mut d = self.diagnostics;
        let mut imported_resources = vec![];
        if !d.has_errors() {
            if let Some(state) = encode_into(&self.state, ty, "imported state", &mut d) {
                imported_resources.push(pb::import_resource_state::ImportedResource {
                    type_name,
                    state: Some(state),
                    private: self.private,
                });
            }
        }
        pb::import_resource_state::Response {
            imported_resources,
            diagnostics: diagnostics(d),
            deferred: None,
        }
    }
}

impl ToProto<pb::read_data_source::Response> for ReadDataResponse {
    fn to_proto(self, ty: &Type, _: String) -> pb::read_data_source::Response {
        let mut d = self.diagnostics;
        let state = encode_into(&self.state, ty, "data source state", &mut d);
        pb::read_data_source::Response {
            state,
            diagnostics: diagnostics(d),
            deferred: None,
        }
    }
}
