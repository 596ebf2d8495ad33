//! Schema-driven helpers for the framework's own generic code (default planning, timeouts,
//! import), which works on object values by the names a schema declares. Resources never
//! read or write attributes by name: they use their typed models (`framework::typed`).

use std::collections::BTreeMap;

use crate::protocol::{Block, Nesting, Value};

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

/// Sets `name` on an object value (no-op on anything else).
pub fn set(obj: &mut Value, name: &str, v: Value) {
    if let Value::Object(attrs) = obj {
        attrs.insert(name.to_string(), v);
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
}
