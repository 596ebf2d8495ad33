//! Default planning, derived from the schema:
//!
//! * create: computed attributes the configuration leaves null are "known after apply";
//! * update with a real change: the same, except `stable` attributes keep their prior value;
//! * no change: the proposed state as is (an empty plan);
//! * a change to the `timeouts` block alone (e.g. after an import, which cannot know it):
//!   every computed value kept, and the apply records it without asking the API anything
//!   ([`only_timeouts_change`]);
//! * write-only attributes are always planned null;
//! * `requires_replace` lists every replace-on-change attribute; Terraform keeps those whose
//!   value actually changes.

use crate::protocol::{AttributePath, Value};

use super::timeouts;
use super::values::attr;
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
        .filter(|b| b.type_name != timeouts::BLOCK)
        .any(|b| attr(prior, &b.type_name) != attr(proposed, &b.type_name));
    attribute_changed || block_changed
}

/// Whether an update's plan differs from the prior state only in the `timeouts` block:
/// every attribute (computed ones included, which `modify_plan` may have changed) and every
/// other block equal. Such an update asks nothing of the API.
pub fn only_timeouts_change(schema: &ResourceSchema, prior: &Value, planned: &Value) -> bool {
    let block = &schema.schema.block;
    !prior.is_null()
        && !planned.is_null()
        && block
            .attributes
            .iter()
            .filter(|a| !a.write_only)
            .all(|a| attr(prior, &a.name) == attr(planned, &a.name))
        && block
            .blocks
            .iter()
            .filter(|b| b.type_name != timeouts::BLOCK)
            .all(|b| attr(prior, &b.type_name) == attr(planned, &b.type_name))
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
        super::super::values::set(&mut prior, "secret", Value::Null);
        let proposed = obj(Value::from("id1"), "a", "y", Value::from("OK"));
        let config = obj(Value::Null, "a", "y", Value::Null);
        let planned = default_plan(&schema(), &prior, &proposed, &config);
        assert_eq!(attr(&planned, "id"), &Value::from("id1"));
        assert_eq!(attr(&planned, "state"), &unknown());
    }

    #[test]
    fn no_change_is_an_empty_plan_even_with_a_write_only_value() {
        let mut prior = obj(Value::from("id1"), "a", "x", Value::from("OK"));
        super::super::values::set(&mut prior, "secret", Value::Null);
        let proposed = obj(Value::from("id1"), "a", "x", Value::from("OK"));
        let config = obj(Value::Null, "a", "x", Value::Null);
        let planned = default_plan(&schema(), &prior, &proposed, &config);
        assert_eq!(planned, prior);
    }

    fn with_timeouts(schema: ResourceSchema) -> ResourceSchema {
        let mut schema = schema;
        schema.schema.block.blocks.push(timeouts::block(&[(
            timeouts::Operation::Create,
            std::time::Duration::from_secs(60),
        )]));
        schema
    }

    fn timed(mut v: Value, create: Option<&str>) -> Value {
        let block = create.map_or(Value::Null, |c| Value::object([("create", Value::from(c))]));
        super::super::values::set(&mut v, timeouts::BLOCK, block);
        v
    }

    #[test]
    fn a_timeouts_only_change_keeps_computed_values_and_needs_no_api_call() {
        let schema = with_timeouts(schema());
        let mut prior = timed(obj(Value::from("id1"), "a", "x", Value::from("OK")), None);
        super::super::values::set(&mut prior, "secret", Value::Null);
        let proposed = timed(prior.clone(), Some("45m"));
        let config = timed(obj(Value::Null, "a", "x", Value::Null), Some("45m"));
        let planned = default_plan(&schema, &prior, &proposed, &config);
        assert_eq!(
            attr(&planned, "state"),
            &Value::from("OK"),
            "not known after apply"
        );
        assert!(only_timeouts_change(&schema, &prior, &planned));
        // A real change, or a computed value the resource's own planning changed, is not.
        let changed = timed(
            obj(Value::from("id1"), "a", "y", Value::from("OK")),
            Some("45m"),
        );
        assert!(!only_timeouts_change(&schema, &prior, &changed));
        let mut drift_fixed = planned.clone();
        super::super::values::set(&mut drift_fixed, "state", Value::from("connected"));
        assert!(!only_timeouts_change(&schema, &prior, &drift_fixed));
        assert!(!only_timeouts_change(&schema, &Value::Null, &planned));
    }

    #[test]
    fn replace_paths_come_from_the_schema() {
        assert_eq!(
            requires_replace(&schema()),
            vec![AttributePath::root("name")]
        );
    }
}
