//! Reading a Terraform [`Value`] into a typed model with serde. Every error names the
//! attribute path it happened at, so it becomes a diagnostic on that attribute.

use std::collections::btree_map;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;

use crate::protocol::{AttributePath, PathStep, Value};

use super::attr::ATTR_MARKER;
use super::number::NUMBER_MARKER;
use super::raw::{park, RAW_MARKER};
use super::ModelError;

/// Reads `value` (an object) as a `T`.
pub fn from_value<'a, T: Deserialize<'a>>(value: &'a Value) -> Result<T, ModelError> {
    T::deserialize(ValueDeserializer { value })
}

/// A deserializer over one value. Its errors carry paths relative to that value: each
/// enclosing object or sequence puts its step in front on the way out, so nothing is
/// allocated for paths unless an error is reported.
pub(crate) struct ValueDeserializer<'a> {
    pub value: &'a Value,
}

impl<'a> ValueDeserializer<'a> {
    fn error(&self, message: impl Into<String>) -> ModelError {
        ModelError::at(AttributePath::default(), message)
    }

    /// The value looking through `dynamic` wrappers.
    fn concrete(&self) -> &'a Value {
        self.value.concrete()
    }
}

impl de::Error for ModelError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ModelError::at(AttributePath::default(), msg.to_string())
    }
}

macro_rules! integer {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
            match self.concrete() {
                Value::Number(n) => {
                    let v = n
                        .as_i64()
                        .and_then(|i| <$ty>::try_from(i).ok())
                        .ok_or_else(|| {
                            self.error(format!("{n} is not a whole number this attribute can hold"))
                        })?;
                    visitor.$visit(v)
                }
                _ => self.deserialize_any(visitor),
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'de> {
    type Error = ModelError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.concrete() {
            Value::Null => visitor.visit_unit(),
            Value::Unknown(_) => Err(self.error("the value is not known yet")),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => visitor.visit_i64(i),
                None => visitor.visit_f64(n.as_f64()),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                visitor.visit_seq(Seq {
                    items: items.iter().enumerate(),
                })
            }
            Value::Object(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                pending: None,
                object: true,
            }),
            Value::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                pending: None,
                object: false,
            }),
            Value::Dynamic(..) => unreachable!("concrete() looks through dynamic values"),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.concrete() {
            Value::Null => visitor.visit_none(),
            Value::Unknown(_) => Err(self.error("the value is not known yet")),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        match name {
            ATTR_MARKER => match self.concrete() {
                Value::Null => visitor.visit_none(),
                Value::Unknown(_) => visitor.visit_unit(),
                _ => visitor.visit_some(self),
            },
            RAW_MARKER => {
                let ticket = park(self.value.clone());
                visitor.visit_newtype_struct(ticket.into_deserializer())
            }
            NUMBER_MARKER => match self.concrete() {
                Value::Number(n) => visitor.visit_str(&n.to_string()),
                Value::Null => Err(self.error("expected a number, found null")),
                Value::Unknown(_) => Err(self.error("the value is not known yet")),
                _ => Err(self.error("expected a number")),
            },
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.concrete() {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.error("expected null")),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.concrete() {
            Value::Number(n) => visitor.visit_f64(n.as_f64()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        self.deserialize_f64(visitor)
    }

    integer!(deserialize_i64, visit_i64, i64);
    integer!(deserialize_i32, visit_i32, i32);
    integer!(deserialize_i16, visit_i16, i16);
    integer!(deserialize_i8, visit_i8, i8);
    integer!(deserialize_u64, visit_u64, u64);
    integer!(deserialize_u32, visit_u32, u32);
    integer!(deserialize_u16, visit_u16, u16);
    integer!(deserialize_u8, visit_u8, u8);

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        match self.concrete() {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(self.error("expected a string naming one of the allowed values")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        match self.concrete() {
            Value::Object(_) | Value::Map(_) => self.deserialize_any(visitor),
            Value::Null => Err(self.error("expected an object, found null")),
            Value::Unknown(_) => Err(self.error("the value is not known yet")),
            _ => Err(self.error("expected an object")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i128 u128 char str string bytes byte_buf unit_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

struct Seq<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
}

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = ModelError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ModelError> {
        let Some((i, value)) = self.items.next() else {
            return Ok(None);
        };
        seed.deserialize(ValueDeserializer { value })
            .map(Some)
            .map_err(|e| e.within(AttributePath(vec![PathStep::Index(i as i64)])))
    }
}

struct Entries<'a> {
    entries: btree_map::Iter<'a, String, Value>,
    pending: Option<(&'a String, &'a Value)>,
    /// Object attributes (`.name`) rather than map keys (`["key"]`) in paths.
    object: bool,
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = ModelError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ModelError> {
        let Some((k, v)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((k, v));
        let key: de::value::BorrowedStrDeserializer<'de, ModelError> =
            de::value::BorrowedStrDeserializer::new(k);
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| e.within(AttributePath::root(k)))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, ModelError> {
        let (k, value) = self
            .pending
            .take()
            .ok_or_else(|| ModelError::at(AttributePath::default(), "a value without its key"))?;
        let object = self.object;
        seed.deserialize(ValueDeserializer { value }).map_err(|e| {
            let step = if object {
                PathStep::Attribute(k.clone())
            } else {
                PathStep::Key(k.clone())
            };
            e.within(AttributePath(vec![step]))
        })
    }
}
