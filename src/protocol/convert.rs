//! The only code that touches generated protobuf types: schemas, diagnostics, paths and
//! `DynamicValue`s to and from the wire.

use super::diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
use super::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use super::value::{self, Type, Value};
use super::wire::tfplugin5 as pb;

pub fn schema(s: &Schema) -> pb::Schema {
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

pub fn diagnostics(d: Diagnostics) -> Vec<pb::Diagnostic> {
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

pub fn attribute_path(p: &AttributePath) -> pb::AttributePath {
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

/// Decodes a request value: msgpack if present, else JSON, else null (Terraform's own rule).
pub fn decode(dv: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostic> {
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

/// Encodes a response value as msgpack.
pub fn encode(v: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
    value::encode_msgpack(v, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| internal(format!("Could not encode the {what}: {e}")))
}

/// A problem in the provider itself, phrased as Terraform's own SDKs do.
pub fn internal(detail: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        summary: "Provider Internal Error".into(),
        detail: format!("{detail}\n\nThis is always a bug in the provider; please report it."),
        attribute: None,
    }
}
