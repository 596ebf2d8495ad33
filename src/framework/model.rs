//! Helpers for moving between cty object values and a resource's typed model.
//!
//! Resources read their configuration with these accessors, which keep null and unknown
//! apart and name the attribute when a value has the wrong shape.

use std::collections::BTreeMap;

use crate::protocol::{AttributePath, Block, Diagnostics, Nesting, Value};

/// An object with every attribute null and nested block collections empty (never null),
/// which is what Terraform expects for "nothing written".
pub fn null_object(block: &Block) -> Value {
    let mut attrs = BTreeMap::new();
    for a in &block.attributes {
        attrs.insert(a.name.clone(), Value::Null);
    }
    for b in &block.blocks {
        let v = match b.nesting {
            Nesting::Single => Value::Null,
            Nesting::Group => null_object(&b.block),
            Nesting::List => Value::List(vec![]),
            Nesting::Set => Value::Set(vec![]),
            Nesting::Map => Value::Map(BTreeMap::new()),
        };
        attrs.insert(b.type_name.clone(), v);
    }
    Value::Object(attrs)
}

/// The attribute `name` of an object value; null when absent or when `obj` is not an object.
pub fn attr<'a>(obj: &'a Value, name: &str) -> &'a Value {
    const NULL: &Value = &Value::Null;
    obj.get(name).unwrap_or(NULL)
}

/// A known string attribute, or `None` when null or unknown.
pub fn string(obj: &Value, name: &str) -> Option<String> {
    attr(obj, name).as_str().map(str::to_string)
}

/// A known bool attribute, or `None` when null or unknown.
pub fn boolean(obj: &Value, name: &str) -> Option<bool> {
    attr(obj, name).as_bool()
}

/// A known map(string) attribute; unknown or null entries are left out.
pub fn string_map(obj: &Value, name: &str) -> Option<BTreeMap<String, String>> {
    attr(obj, name).as_entries().map(|entries| {
        entries
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect()
    })
}

/// A string value, or null for `None`.
pub fn opt_string(s: Option<impl Into<String>>) -> Value {
    s.map(|s| Value::String(s.into())).unwrap_or(Value::Null)
}

/// A map(string) value.
pub fn map_value(m: &BTreeMap<String, String>) -> Value {
    Value::Map(
        m.iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}

/// Sets `name` on an object value (no-op on anything else).
pub fn set(obj: &mut Value, name: &str, v: Value) {
    if let Value::Object(attrs) = obj {
        attrs.insert(name.to_string(), v);
    }
}

/// Requires a known, non-empty string attribute or records an error on it.
pub fn require_string(obj: &Value, name: &str, diags: &mut Diagnostics) -> Option<String> {
    match attr(obj, name) {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Unknown(_) => None,
        _ => {
            diags.attribute_error(
                AttributePath::root(name),
                "Missing required argument",
                format!("The argument \"{name}\" must be set to a non-empty string."),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Attribute, NestedBlock, Type};

    #[test]
    fn null_object_carries_every_key() {
        let block = Block {
            attributes: vec![Attribute::required("name", Type::String)],
            blocks: vec![
                NestedBlock {
                    type_name: "timeouts".into(),
                    block: Block::default(),
                    nesting: Nesting::Single,
                    min_items: 0,
                    max_items: 0,
                },
                NestedBlock {
                    type_name: "items".into(),
                    block: Block::default(),
                    nesting: Nesting::List,
                    min_items: 0,
                    max_items: 0,
                },
            ],
            ..Block::default()
        };
        let obj = null_object(&block);
        assert_eq!(attr(&obj, "name"), &Value::Null);
        assert_eq!(attr(&obj, "timeouts"), &Value::Null);
        assert_eq!(attr(&obj, "items"), &Value::List(vec![]));
    }

    #[test]
    fn accessors_keep_null_and_unknown_apart_from_empty() {
        let obj = Value::object([
            ("a", Value::from("")),
            ("b", Value::Null),
            ("c", Value::Unknown(Default::default())),
        ]);
        assert_eq!(string(&obj, "a"), Some(String::new()));
        assert_eq!(string(&obj, "b"), None);
        assert_eq!(string(&obj, "c"), None);
        let mut d = Diagnostics::new();
        assert_eq!(require_string(&obj, "a", &mut d), None);
        assert!(d.has_errors());
        let mut d = Diagnostics::new();
        assert_eq!(require_string(&obj, "c", &mut d), None);
        assert!(!d.has_errors(), "unknown is not missing");
    }
}
