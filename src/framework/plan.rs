//! Default planning, derived from the schema:
//!
//! * create: computed attributes the configuration leaves null are "known after apply";
//! * update with a real change: the same, except `stable` attributes keep their prior value;
//! * no change: the proposed state as is (an empty plan);
//! * write-only attributes are always planned null;
//! * `requires_replace` lists every replace-on-change attribute; Terraform keeps those whose
//!   value actually changes.

use crate::protocol::{AttributePath, Value};

use super::model::attr;
use super::ResourceSchema;

/// The planned state for a create (`prior` null) or an update.
pub fn default_plan(
    schema: &ResourceSchema,
    prior: &Value,
    proposed: &Value,
    config: &Value,
) -> Value {
    let block = &schema.schema.block;
    let mut planned = proposed.clone();
    let Value::Object(attrs) = &mut planned else {
        return planned;
    };
    let creating = prior.is_null();
    let changing = creating || has_configured_change(schema, prior, proposed);
    for a in &block.attributes {
        if a.write_only {
            attrs.insert(a.name.clone(), Value::Null);
            continue;
        }
        let configured = !attr(config, &a.name).is_null();
        if !a.computed || configured || !changing {
            continue;
        }
        if creating || !schema.stable.contains(a.name.as_str()) {
            attrs.insert(a.name.clone(), Value::Unknown(Default::default()));
        }
    }
    planned
}

/// Whether anything the user controls differs between prior state and proposed state.
fn has_configured_change(schema: &ResourceSchema, prior: &Value, proposed: &Value) -> bool {
    let block = &schema.schema.block;
    let attribute_changed = block
        .attributes
        .iter()
        .filter(|a| !a.write_only && (a.required || a.optional))
        .any(|a| attr(prior, &a.name) != attr(proposed, &a.name));
    let block_changed = block
        .blocks
        .iter()
        .any(|b| attr(prior, &b.type_name) != attr(proposed, &b.type_name));
    attribute_changed || block_changed
}

/// The schema's replace-on-change attributes as paths.
pub fn requires_replace(schema: &ResourceSchema) -> Vec<AttributePath> {
    schema
        .requires_replace
        .iter()
        .map(|name| AttributePath::root(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Attribute, Block, Schema, Type};

    fn schema() -> ResourceSchema {
        ResourceSchema::new(Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    Attribute::computed("id", Type::String),
                    Attribute::required("name", Type::String),
                    Attribute::optional("config", Type::String),
                    Attribute::computed("state", Type::String),
                    Attribute::optional("secret", Type::String).write_only(),
                ],
                ..Block::default()
            },
        })
        .stable(&["id"])
        .replace_on_change(&["name"])
    }

    fn obj(id: Value, name: &str, config: &str, state: Value) -> Value {
        Value::object([
            ("id", id),
            ("name", Value::from(name)),
            ("config", Value::from(config)),
            ("state", state),
            ("secret", Value::from("s3cret")),
        ])
    }

    fn unknown() -> Value {
        Value::Unknown(Default::default())
    }

    #[test]
    fn create_plans_computed_as_unknown_and_write_only_as_null() {
        let proposed = obj(Value::Null, "a", "x", Value::Null);
        let planned = default_plan(&schema(), &Value::Null, &proposed, &proposed);
        assert_eq!(attr(&planned, "id"), &unknown());
        assert_eq!(attr(&planned, "state"), &unknown());
        assert_eq!(attr(&planned, "secret"), &Value::Null);
    }

    #[test]
    fn update_keeps_stable_values_and_unknowns_the_rest() {
        let prior = obj(Value::from("id1"), "a", "x", Value::from("OK"));
        let mut prior = prior;
        super::super::model::set(&mut prior, "secret", Value::Null);
        let proposed = obj(Value::from("id1"), "a", "y", Value::from("OK"));
        let config = obj(Value::Null, "a", "y", Value::Null);
        let planned = default_plan(&schema(), &prior, &proposed, &config);
        assert_eq!(attr(&planned, "id"), &Value::from("id1"));
        assert_eq!(attr(&planned, "state"), &unknown());
    }

    #[test]
    fn no_change_is_an_empty_plan_even_with_a_write_only_value() {
        let mut prior = obj(Value::from("id1"), "a", "x", Value::from("OK"));
        super::super::model::set(&mut prior, "secret", Value::Null);
        let proposed = obj(Value::from("id1"), "a", "x", Value::from("OK"));
        let config = obj(Value::Null, "a", "x", Value::Null);
        let planned = default_plan(&schema(), &prior, &proposed, &config);
        assert_eq!(planned, prior);
    }

    #[test]
    fn replace_paths_come_from_the_schema() {
        assert_eq!(
            requires_replace(&schema()),
            vec![AttributePath::root("name")]
        );
    }
}
