//! cty values: known, null or unknown, without an embedded type.
//!
//! A [`Value`] only makes sense next to the [`Type`] it was decoded with, except at
//! `dynamic` positions, where [`Value::Dynamic`] carries its concrete type. Null and
//! unknown stay distinct from every known value: accessors return `None` for them,
//! never a default such as `""`.

use std::collections::BTreeMap;

use super::number::Number;
use super::ty::Type;

/// A cty value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Null of whatever type the position has.
    Null,
    /// Not known until apply; the refinements say what is known about it already.
    Unknown(Refinements),
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    /// Set elements in wire order; Terraform collapses duplicates on its side.
    Set(Vec<Value>),
    Tuple(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    /// A value at a `dynamic` position together with its concrete type.
    Dynamic(Type, Box<Value>),
}

/// What Terraform already knows about an unknown value (msgpack extension 12).
///
/// `Refinements::default()` is a plain unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refinements {
    /// The value will definitely not be null (wire key 1 = `false`, "not nullable").
    pub not_null: bool,
    /// A known prefix of a string value.
    pub string_prefix: Option<String>,
    /// Lower bound of a number, and whether the bound itself is allowed.
    pub number_lower: Option<(Number, bool)>,
    /// Upper bound of a number, and whether the bound itself is allowed.
    pub number_upper: Option<(Number, bool)>,
    /// Minimum length of a collection.
    pub length_lower: Option<u64>,
    /// Maximum length of a collection.
    pub length_upper: Option<u64>,
}

impl Refinements {
    /// True when nothing is refined: the value is a plain unknown.
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

impl Value {
    /// The value with any [`Value::Dynamic`] wrappers removed.
    pub fn concrete(&self) -> &Value {
        let mut v = self;
        while let Value::Dynamic(_, inner) = v {
            v = inner;
        }
        v
    }

    /// True for null (also a null wrapped at a dynamic position).
    pub fn is_null(&self) -> bool {
        matches!(self.concrete(), Value::Null)
    }

    /// True if the value itself is unknown (not whether something inside it is).
    pub fn is_unknown(&self) -> bool {
        matches!(self.concrete(), Value::Unknown(_))
    }

    /// True if no unknown value appears anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Dynamic(_, inner) => inner.is_wholly_known(),
        }
    }

    /// The string, if known and not null.
    pub fn as_str(&self) -> Option<&str> {
        match self.concrete() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bool, if known and not null.
    pub fn as_bool(&self) -> Option<bool> {
        match self.concrete() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if known and not null.
    pub fn as_number(&self) -> Option<&Number> {
        match self.concrete() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The elements of a known list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self.concrete() {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a known map or the attributes of a known object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self.concrete() {
            Value::Map(entries) | Value::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// An attribute of a known object (looking through dynamic wrappers).
    pub fn get(&self, attr: &str) -> Option<&Value> {
        match self.concrete() {
            Value::Object(attrs) => attrs.get(attr),
            _ => None,
        }
    }

    /// The type this value would have at a dynamic position, as far as it shows.
    ///
    /// `None` for null and unknown. Collections take the type of their first element
    /// whose type can be inferred (`dynamic` if none); null or unknown attributes and
    /// tuple elements become `dynamic`.
    pub fn infer_type(&self) -> Option<Type> {
        let or_dynamic = |v: &Value| v.infer_type().unwrap_or(Type::Dynamic);
        fn element<'v>(mut items: impl Iterator<Item = &'v Value>) -> Box<Type> {
            Box::new(items.find_map(Value::infer_type).unwrap_or(Type::Dynamic))
        }
        Some(match self {
            Value::Null | Value::Unknown(_) => return None,
            Value::Bool(_) => Type::Bool,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::List(items) => Type::List(element(items.iter())),
            Value::Set(items) => Type::Set(element(items.iter())),
            Value::Map(entries) => Type::Map(element(entries.values())),
            Value::Tuple(items) => Type::Tuple(items.iter().map(or_dynamic).collect()),
            Value::Object(attrs) => Type::Object(
                attrs
                    .iter()
                    .map(|(k, v)| (k.clone(), or_dynamic(v)))
                    .collect(),
            ),
            Value::Dynamic(ty, _) => ty.clone(),
        })
    }

    /// An object value from `(name, value)` pairs.
    pub fn object<K: Into<String>>(attrs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A short description of the value's kind, for error messages.
    pub(crate) fn kind(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Unknown(_) => "unknown".into(),
            Value::Bool(_) => "bool".into(),
            Value::Number(_) => "number".into(),
            Value::String(_) => "string".into(),
            Value::List(_) => "list".into(),
            Value::Set(_) => "set".into(),
            Value::Tuple(items) => format!("tuple of {} elements", items.len()),
            Value::Map(_) => "map".into(),
            Value::Object(_) => "object".into(),
            Value::Dynamic(ty, _) => format!("dynamic value of type {ty}"),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Number(Number::from(v))
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_and_unknown_never_look_like_values() {
        for v in [Value::Null, Value::Unknown(Refinements::default())] {
            assert_eq!(v.as_str(), None);
            assert_eq!(v.as_bool(), None);
            assert_eq!(v.as_number(), None);
            assert_eq!(v.get("a"), None);
        }
        let wrapped = Value::Dynamic(Type::String, Box::new(Value::Null));
        assert!(wrapped.is_null());
        assert!(!wrapped.is_unknown());
        assert_eq!(Value::from("").as_str(), Some(""));
    }

    #[test]
    fn accessors_look_through_dynamic() {
        let obj = Value::object([("a", Value::from(true))]);
        let dynamic = Value::Dynamic(obj.infer_type().expect("known object"), Box::new(obj));
        assert_eq!(dynamic.get("a").and_then(Value::as_bool), Some(true));
    }

    #[test]
    fn wholly_known_looks_everywhere() {
        let deep = Value::List(vec![Value::object([(
            "x",
            Value::Unknown(Refinements::default()),
        )])]);
        assert!(!deep.is_wholly_known());
        assert!(Value::object([("x", Value::Null)]).is_wholly_known());
    }

    #[test]
    fn types_are_inferred_for_dynamic_positions() {
        let v = Value::object([
            ("n", Value::Null),
            ("l", Value::List(vec![Value::Null, Value::from(1)])),
            ("t", Value::Tuple(vec![Value::from("a"), Value::Null])),
            ("m", Value::Map(BTreeMap::new())),
        ]);
        let expected = Type::object([
            ("n", Type::Dynamic),
            ("l", Type::list(Type::Number)),
            ("t", Type::Tuple(vec![Type::String, Type::Dynamic])),
            ("m", Type::map(Type::Dynamic)),
        ]);
        assert_eq!(v.infer_type(), Some(expected));
        assert_eq!(Value::Null.infer_type(), None);
    }
}
