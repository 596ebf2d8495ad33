//! Typed models: each resource and data source declares its state once as a Rust struct
//! (serde derive, one field per schema attribute or block, [`Attr<T>`] for values that may
//! be null or unknown, [`Raw`] for values kept as Terraform sent them), and the framework
//! maps it to and from Terraform values here, in one place.
//!
//! * `attr.rs`: [`Attr<T>`], null / unknown / known.
//! * `raw.rs`: [`Raw`], a value kept as is; `number.rs`: exact numbers (`protocol::value::Number`
//!   as a model field).
//! * `de.rs`: [`from_value`], a serde deserializer over [`Value`] whose errors carry the
//!   attribute path.
//! * `ser.rs`: [`to_value`], a serde serializer to [`Value`], shaped to the schema's type.
//! * `fields.rs`: [`check_fields`], the check (tests, debug start-up) that a model's fields
//!   are exactly its schema's attributes and blocks.
//! * `resource.rs`, `data_source.rs`: [`TypedResource`] and [`TypedDataSource`], and the
//!   adapters that make them the framework's `Resource` and `DataSource`.

mod attr;
mod data_source;
mod de;
mod fields;
mod number;
mod raw;
mod resource;
mod ser;
mod string_map;

use std::fmt;

use crate::protocol::Value;

pub use attr::Attr;
pub use data_source::{Typed as TypedData, TypedDataSource};
pub use de::from_value;
pub use fields::{check_fields, fields_of};
pub use raw::Raw;
pub use resource::{Typed, TypedPlan, TypedResource};
pub use ser::{conform, to_value};
pub use string_map::StringMap;

use crate::protocol::{AttributePath, Diagnostic};

/// Attribute names a model spells differently, as `(attribute, field)` pairs: a generic
/// model serves resources whose schemas name the same thing differently (an approval's
/// `connection_id` or `destination_id` is its `parent_id`).
pub type Renames = &'static [(&'static str, &'static str)];

/// `value` (an object) with its attributes renamed to the model's field names.
pub(crate) fn to_fields(value: &Value, renames: Renames) -> std::borrow::Cow<'_, Value> {
    rename(value, renames.iter().map(|(a, f)| (*a, *f)))
}

/// `value` (an object written by a model) with the fields renamed back to attributes.
pub(crate) fn to_attributes(value: Value, renames: Renames) -> Value {
    if renames.is_empty() {
        return value;
    }
    rename(&value, renames.iter().map(|(a, f)| (*f, *a))).into_owned()
}

fn rename<'v>(
    value: &'v Value,
    pairs: impl Iterator<Item = (&'static str, &'static str)>,
) -> std::borrow::Cow<'v, Value> {
    let Value::Object(attrs) = value else {
        return std::borrow::Cow::Borrowed(value);
    };
    let mut pairs = pairs.peekable();
    if pairs.peek().is_none() {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut out = attrs.clone();
    for (from, to) in pairs {
        if let Some(v) = out.remove(from) {
            out.insert(to.to_string(), v);
        }
    }
    std::borrow::Cow::Owned(Value::Object(out))
}

/// The type `ty` (an object type) with its attributes renamed to the model's field names.
pub(crate) fn type_to_fields(
    ty: &crate::protocol::Type,
    renames: Renames,
) -> crate::protocol::Type {
    match ty {
        crate::protocol::Type::Object(attrs) if !renames.is_empty() => {
            let mut out = attrs.clone();
            for (a, f) in renames {
                if let Some(t) = out.remove(*a) {
                    out.insert(f.to_string(), t);
                }
            }
            crate::protocol::Type::Object(out)
        }
        other => other.clone(),
    }
}

/// `planned` with every top-level attribute it does not know yet taken from `prior` (for an
/// update that changes nothing the API stores).
pub fn fill_unknowns<M>(planned: &M, prior: &M) -> Result<M, ModelError>
where
    M: serde::Serialize + serde::de::DeserializeOwned,
{
    let mut now = planned.serialize(ser::ValueSerializer)?;
    let before = prior.serialize(ser::ValueSerializer)?;
    if let (Value::Object(now), Some(before)) = (&mut now, before.as_entries()) {
        for (name, v) in now.iter_mut() {
            if v.is_unknown() {
                *v = before.get(name).cloned().unwrap_or(Value::Null);
            }
        }
    }
    from_value(&now)
}

/// A value that does not fit its model, or a model that does not fit its schema, at an
/// attribute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    pub path: AttributePath,
    pub message: String,
}

impl ModelError {
    pub fn at(path: AttributePath, message: impl Into<String>) -> Self {
        ModelError {
            path,
            message: message.into(),
        }
    }

    /// The error with `prefix` before its path (errors are built from the inside out).
    pub(crate) fn within(mut self, prefix: AttributePath) -> Self {
        let mut p = prefix.0;
        p.extend(self.path.0);
        self.path = AttributePath(p);
        self
    }

    /// As a diagnostic: `what` says which value it was (the configuration, the planned
    /// state...), and the attribute path points Terraform at the line.
    pub fn diagnostic(&self, what: &str) -> Diagnostic {
        let d = Diagnostic::error(
            "Value Does Not Fit the Provider's Model",
            format!(
                "{what}: {}{}. This is a bug in the provider; please report it.",
                if self.path.0.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", self.path)
                },
                self.message
            ),
        );
        if self.path.0.is_empty() {
            d
        } else {
            d.at(self.path.clone())
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.0.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ModelError {}

#[cfg(test)]
mod tests;
