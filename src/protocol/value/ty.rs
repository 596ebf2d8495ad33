//! cty types and their type-JSON form (`"string"`, `["list","number"]`, …).
//!
//! Terraform panics on malformed type JSON in a schema, so type JSON is only ever
//! produced from a [`Type`] by [`Type::to_json`], never written by hand.

use std::collections::BTreeMap;
use std::fmt;

use super::json_text::{self, Json};

/// A cty type, as Terraform declares attributes and carries dynamic values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    String,
    Number,
    Bool,
    /// Any type; values at such a position carry their concrete type with them.
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

/// Type JSON that does not describe a cty type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TypeError {
    /// The bytes are not JSON at all.
    #[error("type JSON is malformed at byte {offset}: {reason}")]
    Syntax { offset: usize, reason: String },
    /// A string that names no primitive type, e.g. `"str"`.
    #[error("unknown primitive type {0:?}")]
    UnknownPrimitive(String),
    /// A `[kind, …]` array whose kind is not list, set, map, object or tuple.
    #[error("unknown type kind {0:?}")]
    UnknownKind(String),
    /// JSON of the wrong shape, e.g. `["list"]` or `["object", 3]`.
    #[error("invalid type: {0}")]
    Malformed(String),
    /// An object type naming one attribute twice.
    #[error("object type repeats attribute {0:?}")]
    DuplicateAttribute(String),
}

impl Type {
    /// Shorthand for `Type::List(Box::new(element))`.
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// Shorthand for `Type::Set(Box::new(element))`.
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    /// Shorthand for `Type::Map(Box::new(element))`.
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// An object type from `(name, type)` pairs.
    pub fn object<K: Into<String>>(attrs: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object(attrs.into_iter().map(|(k, t)| (k.into(), t)).collect())
    }

    /// The compact type JSON, e.g. `["object",{"a":"string"}]`; attributes sorted.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_json(&mut out);
        out
    }

    /// Parses type JSON as Terraform writes it in schemas and dynamic values.
    ///
    /// The optional-attributes third element of object type constraints is rejected:
    /// it never appears in schemas or values.
    pub fn from_json(bytes: &[u8]) -> Result<Type, TypeError> {
        let tree = json_text::parse(bytes).map_err(|e| TypeError::Syntax {
            offset: e.offset,
            reason: e.reason,
        })?;
        Type::from_tree(&tree)
    }

    /// True if the type contains `dynamic` anywhere.
    pub fn has_dynamic(&self) -> bool {
        match self {
            Type::Dynamic => true,
            Type::String | Type::Number | Type::Bool => false,
            Type::List(e) | Type::Set(e) | Type::Map(e) => e.has_dynamic(),
            Type::Object(attrs) => attrs.values().any(Type::has_dynamic),
            Type::Tuple(elems) => elems.iter().any(Type::has_dynamic),
        }
    }

    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        let (kind, inner): (&str, Option<&Type>) = match self {
            Type::String => return out.extend_from_slice(b"\"string\""),
            Type::Number => return out.extend_from_slice(b"\"number\""),
            Type::Bool => return out.extend_from_slice(b"\"bool\""),
            Type::Dynamic => return out.extend_from_slice(b"\"dynamic\""),
            Type::List(e) => ("list", Some(e)),
            Type::Set(e) => ("set", Some(e)),
            Type::Map(e) => ("map", Some(e)),
            Type::Object(_) => ("object", None),
            Type::Tuple(_) => ("tuple", None),
        };
        out.push(b'[');
        json_text::write_string(out, kind);
        out.push(b',');
        match (self, inner) {
            (_, Some(e)) => e.write_json(out),
            (Type::Object(attrs), _) => {
                out.push(b'{');
                for (i, (name, ty)) in attrs.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_text::write_string(out, name);
                    out.push(b':');
                    ty.write_json(out);
                }
                out.push(b'}');
            }
            (Type::Tuple(elems), _) => {
                out.push(b'[');
                for (i, ty) in elems.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    ty.write_json(out);
                }
                out.push(b']');
            }
            _ => {}
        }
        out.push(b']');
    }

    pub(crate) fn from_tree(tree: &Json) -> Result<Type, TypeError> {
        match tree {
            Json::String(name) => match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(TypeError::UnknownPrimitive(other.to_owned())),
            },
            Json::Array(items) => {
                let Some(Json::String(kind)) = items.first() else {
                    return Err(TypeError::Malformed(
                        "a type array must start with its kind as a string".into(),
                    ));
                };
                if items.len() != 2 {
                    return Err(TypeError::Malformed(format!(
                        "{kind:?} type needs exactly one argument, found {}",
                        items.len() - 1
                    )));
                }
                Type::from_kind(kind, &items[1])
            }
            other => Err(TypeError::Malformed(format!(
                "expected a type name or array, found {}",
                other.kind()
            ))),
        }
    }

    fn from_kind(kind: &str, arg: &Json) -> Result<Type, TypeError> {
        match (kind, arg) {
            ("list", _) => Ok(Type::list(Type::from_tree(arg)?)),
            ("set", _) => Ok(Type::set(Type::from_tree(arg)?)),
            ("map", _) => Ok(Type::map(Type::from_tree(arg)?)),
            ("object", Json::Object(members)) => {
                let mut attrs = BTreeMap::new();
                for (name, ty) in members {
                    if attrs.insert(name.clone(), Type::from_tree(ty)?).is_some() {
                        return Err(TypeError::DuplicateAttribute(name.clone()));
                    }
                }
                Ok(Type::Object(attrs))
            }
            ("tuple", Json::Array(elems)) => Ok(Type::Tuple(
                elems
                    .iter()
                    .map(Type::from_tree)
                    .collect::<Result<_, _>>()?,
            )),
            ("object" | "tuple", other) => Err(TypeError::Malformed(format!(
                "{kind} type needs an {}, found {}",
                if kind == "object" { "object" } else { "array" },
                other.kind()
            ))),
            (other, _) => Err(TypeError::UnknownKind(other.to_owned())),
        }
    }
}

/// A friendly name for messages: `string`, `list of number`, `object`, ….
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("dynamic"),
            Type::List(e) => write!(f, "list of {e}"),
            Type::Set(e) => write!(f, "set of {e}"),
            Type::Map(e) => write!(f, "map of {e}"),
            Type::Object(_) => f.write_str("object"),
            Type::Tuple(_) => f.write_str("tuple"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Type {
        Type::object([
            ("a", Type::Number),
            ("b", Type::list(Type::set(Type::map(Type::Bool)))),
            ("c", Type::Tuple(vec![Type::String, Type::Dynamic])),
            ("d \"q\"", Type::Object(BTreeMap::new())),
        ])
    }

    #[test]
    fn type_json_is_compact_and_sorted() {
        let ty = Type::object([("b", Type::String), ("a", Type::Number)]);
        assert_eq!(ty.to_json(), br#"["object",{"a":"number","b":"string"}]"#);
        assert_eq!(Type::Tuple(vec![]).to_json(), br#"["tuple",[]]"#);
    }

    #[test]
    fn type_json_round_trips() {
        let ty = sample();
        assert_eq!(Type::from_json(&ty.to_json()), Ok(ty));
        let spaced = br#" [ "map" , [ "tuple", [ "bool" ] ] ] "#;
        assert_eq!(
            Type::from_json(spaced),
            Ok(Type::map(Type::Tuple(vec![Type::Bool])))
        );
    }

    #[test]
    fn invalid_type_json_is_rejected() {
        type Check = fn(&TypeError) -> bool;
        let cases: [(&[u8], Check); 10] = [
            (br#""str""#, |e| matches!(e, TypeError::UnknownPrimitive(_))),
            (br#"["list"]"#, |e| matches!(e, TypeError::Malformed(_))),
            (br#"["object",3]"#, |e| matches!(e, TypeError::Malformed(_))),
            (br#"["tuple",{}]"#, |e| matches!(e, TypeError::Malformed(_))),
            (br#"["array","string"]"#, |e| {
                matches!(e, TypeError::UnknownKind(_))
            }),
            (br#"["object",{"a":"string"},["a"]]"#, |e| {
                matches!(e, TypeError::Malformed(_))
            }),
            (br#"["object",{"a":"string","a":"bool"}]"#, |e| {
                matches!(e, TypeError::DuplicateAttribute(_))
            }),
            (br#"[3,"string"]"#, |e| matches!(e, TypeError::Malformed(_))),
            (b"null", |e| matches!(e, TypeError::Malformed(_))),
            (br#"["list","string""#, |e| {
                matches!(e, TypeError::Syntax { .. })
            }),
        ];
        for (json, check) in cases {
            let err = Type::from_json(json).expect_err("must be rejected");
            assert!(check(&err), "{}: {err:?}", String::from_utf8_lossy(json));
        }
    }

    #[test]
    fn display_gives_friendly_names() {
        assert_eq!(
            Type::list(Type::map(Type::String)).to_string(),
            "list of map of string"
        );
        assert!(sample().has_dynamic());
        assert!(!Type::list(Type::Number).has_dynamic());
    }
}
