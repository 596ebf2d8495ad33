//! The check of a typed model against its schema (`Framework::check`, run by the tests and
//! at the start of debug builds): the struct's field names (as serde sees them, after
//! renames) must be exactly the schema's attribute and block names, so a misspelt field
//! fails a test and stops a debug provider before it serves anything.

use std::cell::Cell;

use serde::de::{self, Deserialize, Visitor};

use crate::protocol::Block;

/// The field names of the struct `T` as serde reads it, or `None` when `T` is not a plain
/// struct (a map, a flattened struct).
pub fn fields_of<'de, T: Deserialize<'de>>() -> Option<&'static [&'static str]> {
    let seen = Cell::new(None);
    let _ = T::deserialize(FieldLister(&seen));
    seen.get()
}

/// Whether `T`'s fields are exactly the attributes and blocks of `block`; the error lists
/// every difference.
pub fn check_fields<'de, T: Deserialize<'de>>(
    type_name: &str,
    block: &Block,
    renames: super::Renames,
) -> Result<(), String> {
    let Some(fields) = fields_of::<T>() else {
        return Err(format!("the model of {type_name} is not a plain struct"));
    };
    let declared: Vec<&str> = block
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .chain(block.blocks.iter().map(|b| b.type_name.as_str()))
        .map(|name| {
            renames
                .iter()
                .find(|(a, _)| *a == name)
                .map_or(name, |(_, f)| *f)
        })
        .collect();
    let mut problems = Vec::new();
    for f in fields {
        if !declared.contains(f) {
            problems.push(format!("field {f:?} is not in the schema"));
        }
    }
    for d in &declared {
        if !fields.contains(d) {
            problems.push(format!("schema attribute {d:?} has no field"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the model of {type_name} does not match its schema: {}",
            problems.join("; ")
        ))
    }
}

/// A deserializer that only records the field list of the struct asked for.
struct FieldLister<'a>(&'a Cell<Option<&'static [&'static str]>>);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("listing fields only")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> de::Deserializer<'de> for FieldLister<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0.set(Some(fields));
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}
