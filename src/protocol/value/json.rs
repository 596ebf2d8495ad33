//! Values as state JSON (plugin protocol §4.4): `raw_state`, `DynamicValue.json`.
//!
//! Same shapes as msgpack, numbers as exact JSON number text, dynamic values as
//! `{"value": …, "type": …}`, no unknowns. As Terraform does for stored state, decoding
//! fills attributes missing from an object with null, and accepts the primitive
//! spellings cty accepts: numbers and bools given as strings, and numbers or bools where
//! a string is expected (older states were written that way).

use std::collections::BTreeMap;

use super::error::{DecodeError, EncodeError, PathStack, Step};
use super::json_text::{self, Json};
use super::number::Number;
use super::ty::Type;
use super::value::Value;

pub(crate) fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let tree = json_text::parse(bytes).map_err(|e| {
        let path = String::new();
        if e.too_deep {
            DecodeError::TooDeep {
                path,
                limit: super::limits::MAX_DEPTH,
            }
        } else if e.truncated {
            DecodeError::Truncated { path }
        } else {
            DecodeError::Syntax {
                path,
                offset: e.offset,
                reason: e.reason,
            }
        }
    })?;
    Decoder::default().value(&tree, ty)
}

pub(crate) fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut e = Encoder::default();
    e.value(value, ty)?;
    Ok(e.out)
}

#[derive(Default)]
struct Decoder {
    path: PathStack,
}

impl Decoder {
    fn mismatch(&self, expected: impl ToString, found: &Json) -> DecodeError {
        DecodeError::TypeMismatch {
            path: self.path.render(),
            expected: expected.to_string(),
            found: found.kind().to_owned(),
        }
    }

    fn nested(&mut self, step: Step, tree: &Json, ty: &Type) -> Result<Value, DecodeError> {
        self.path.push(step);
        let v = self.value(tree, ty)?;
        self.path.pop();
        Ok(v)
    }

    fn number(&self, text: &str) -> Result<Value, DecodeError> {
        text.parse::<Number>()
            .map(Value::Number)
            .map_err(|_| DecodeError::InvalidNumber {
                path: self.path.render(),
                text: text.to_owned(),
            })
    }

    fn value(&mut self, tree: &Json, ty: &Type) -> Result<Value, DecodeError> {
        match (tree, ty) {
            (Json::Null, _) => Ok(Value::Null),
            (Json::Object(members), Type::Dynamic) => self.dynamic(members),
            (Json::Bool(b), Type::Bool) => Ok(Value::Bool(*b)),
            (Json::String(s), Type::Bool) if s == "true" || s == "false" => {
                Ok(Value::Bool(s == "true"))
            }
            (Json::Number(text) | Json::String(text), Type::Number) => self.number(text),
            (Json::String(s) | Json::Number(s), Type::String) => Ok(Value::String(s.clone())),
            (Json::Bool(b), Type::String) => Ok(Value::String(b.to_string())),
            (Json::Array(items), Type::List(elem)) => {
                self.elements(items, |_| elem).map(Value::List)
            }
            (Json::Array(items), Type::Set(elem)) => self.elements(items, |_| elem).map(Value::Set),
            (Json::Array(items), Type::Tuple(types)) if items.len() == types.len() => {
                self.elements(items, |i| &types[i]).map(Value::Tuple)
            }
            (Json::Array(items), Type::Tuple(types)) => Err(DecodeError::TupleLength {
                path: self.path.render(),
                expected: types.len(),
                found: items.len(),
            }),
            (Json::Object(members), Type::Map(elem)) => self
                .entries(members, Step::Key, |_| Some(elem))
                .map(Value::Map),
            (Json::Object(members), Type::Object(attrs)) => {
                let mut found = self.entries(members, Step::Attr, |name| attrs.get(name))?;
                for name in attrs.keys() {
                    found.entry(name.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(found))
            }
            (other, Type::Dynamic) => Err(self.mismatch("{\"value\", \"type\"} object", other)),
            (other, _) => Err(self.mismatch(ty, other)),
        }
    }

    fn dynamic(&mut self, members: &[(String, Json)]) -> Result<Value, DecodeError> {
        let (mut value, mut ty) = (None, None);
        for (key, member) in members {
            let slot = match key.as_str() {
                "value" => &mut value,
                "type" => &mut ty,
                _ => {
                    return Err(DecodeError::UnexpectedAttribute {
                        path: self.path.render(),
                        name: key.clone(),
                    })
                }
            };
            if slot.replace(member).is_some() {
                return Err(DecodeError::DuplicateKey {
                    path: self.path.render(),
                    key: key.clone(),
                });
            }
        }
        let missing = |name: &str| DecodeError::MissingAttribute {
            path: self.path.render(),
            name: name.to_owned(),
        };
        let ty_tree = ty.ok_or_else(|| missing("type"))?;
        let value_tree = value.ok_or_else(|| missing("value"))?;
        let ty = Type::from_tree(ty_tree).map_err(|source| DecodeError::InvalidType {
            path: self.path.render(),
            source,
        })?;
        let inner = self.value(value_tree, &ty)?;
        Ok(Value::Dynamic(ty, Box::new(inner)))
    }

    fn elements<'t>(
        &mut self,
        items: &[Json],
        ty_of: impl Fn(usize) -> &'t Type,
    ) -> Result<Vec<Value>, DecodeError> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.nested(Step::Index(i), item, ty_of(i)))
            .collect()
    }

    fn entries<'t>(
        &mut self,
        members: &[(String, Json)],
        step: fn(String) -> Step,
        ty_of: impl Fn(&str) -> Option<&'t Type>,
    ) -> Result<BTreeMap<String, Value>, DecodeError> {
        let mut out = BTreeMap::new();
        for (key, member) in members {
            let Some(ty) = ty_of(key) else {
                return Err(DecodeError::UnexpectedAttribute {
                    path: self.path.render(),
                    name: key.clone(),
                });
            };
            if out.contains_key(key) {
                return Err(DecodeError::DuplicateKey {
                    path: self.path.render(),
                    key: key.clone(),
                });
            }
            let v = self.nested(step(key.clone()), member, ty)?;
            out.insert(key.clone(), v);
        }
        Ok(out)
    }
}

#[derive(Default)]
struct Encoder {
    out: Vec<u8>,
    path: PathStack,
}

impl Encoder {
    fn nested(&mut self, step: Step, v: &Value, ty: &Type) -> Result<(), EncodeError> {
        self.path.push(step);
        self.value(v, ty)?;
        self.path.pop();
        Ok(())
    }

    fn dynamic(&mut self, ty: &Type, v: &Value) -> Result<(), EncodeError> {
        self.out.extend_from_slice(b"{\"value\":");
        self.value(v, ty)?;
        self.out.extend_from_slice(b",\"type\":");
        ty.write_json(&mut self.out);
        self.out.push(b'}');
        Ok(())
    }

    fn array<'v>(
        &mut self,
        items: impl Iterator<Item = (&'v Value, &'v Type)>,
    ) -> Result<(), EncodeError> {
        self.out.push(b'[');
        for (i, (item, ty)) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.nested(Step::Index(i), item, ty)?;
        }
        self.out.push(b']');
        Ok(())
    }

    fn members<'v>(
        &mut self,
        members: impl Iterator<Item = (&'v String, &'v Value, &'v Type)>,
        step: fn(String) -> Step,
    ) -> Result<(), EncodeError> {
        self.out.push(b'{');
        for (i, (key, item, ty)) in members.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            json_text::write_string(&mut self.out, key);
            self.out.push(b':');
            self.nested(step(key.clone()), item, ty)?;
        }
        self.out.push(b'}');
        Ok(())
    }

    fn value(&mut self, v: &Value, ty: &Type) -> Result<(), EncodeError> {
        let path = || self.path.render();
        match (v, ty) {
            (Value::Null, _) => self.out.extend_from_slice(b"null"),
            (Value::Unknown(_), _) => return Err(EncodeError::UnknownInJson { path: path() }),
            (Value::Dynamic(concrete, inner), Type::Dynamic) => self.dynamic(concrete, inner)?,
            (Value::Dynamic(concrete, inner), _) if concrete == ty => self.value(inner, ty)?,
            (_, Type::Dynamic) => match v.infer_type() {
                Some(inferred) => self.dynamic(&inferred, v)?,
                None => return Err(EncodeError::CannotInferType { path: path() }),
            },
            (Value::Bool(b), Type::Bool) => self.out.extend_from_slice(b.to_string().as_bytes()),
            (Value::Number(n), Type::Number) if n.is_infinite() => {
                return Err(EncodeError::InfinityInJson { path: path() })
            }
            (Value::Number(n), Type::Number) => {
                self.out.extend_from_slice(n.to_string().as_bytes())
            }
            (Value::String(s), Type::String) => json_text::write_string(&mut self.out, s),
            (Value::List(items), Type::List(elem)) | (Value::Set(items), Type::Set(elem)) => {
                self.array(items.iter().map(|item| (item, &**elem)))?
            }
            (Value::Tuple(items), Type::Tuple(types)) if items.len() == types.len() => {
                self.array(items.iter().zip(types))?
            }
            (Value::Tuple(items), Type::Tuple(types)) => {
                return Err(EncodeError::TupleLength {
                    path: path(),
                    expected: types.len(),
                    found: items.len(),
                })
            }
            (Value::Map(entries), Type::Map(elem)) => {
                self.members(entries.iter().map(|(k, v)| (k, v, &**elem)), Step::Key)?
            }
            (Value::Object(attrs), Type::Object(types)) => {
                if let Some(extra) = attrs.keys().find(|k| !types.contains_key(*k)) {
                    return Err(EncodeError::UnexpectedAttribute {
                        path: path(),
                        name: extra.clone(),
                    });
                }
                let all = types
                    .iter()
                    .map(|(name, t)| (name, attrs.get(name).unwrap_or(&Value::Null), t));
                self.members(all, Step::Attr)?
            }
            _ => {
                return Err(EncodeError::TypeMismatch {
                    path: path(),
                    expected: ty.to_string(),
                    found: v.kind(),
                })
            }
        }
        Ok(())
    }
}
