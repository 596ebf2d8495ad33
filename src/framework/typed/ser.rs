//! Writing a typed model back as a Terraform [`Value`] with serde, then shaping it to the
//! schema's type ([`conform`]): serde cannot tell a list from a set or a map from an object,
//! the schema can.

use std::collections::BTreeMap;

use serde::ser::{self, Serialize};

use crate::protocol::value::{Number, Refinements};
use crate::protocol::{AttributePath, PathStep, Type, Value};

use super::attr::ATTR_MARKER;
use super::number::NUMBER_MARKER;
use super::raw::{redeem, RAW_MARKER};
use super::ModelError;

/// Writes `model` as a value of type `ty` (usually a block's implied object type).
pub fn to_value<T: Serialize + ?Sized>(model: &T, ty: &Type) -> Result<Value, ModelError> {
    let mut value = model.serialize(ValueSerializer)?;
    conform(&mut value, ty)?;
    Ok(value)
}

impl ser::Error for ModelError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ModelError::at(AttributePath::default(), msg.to_string())
    }
}

/// Shapes a loosely written value to `ty`, in place: sequences become lists, sets or
/// tuples, string maps become maps or objects (an object gets every attribute of its type,
/// null when the model had none; an attribute the type lacks is an error unless it is
/// null). An error's path is relative to `v`; nothing is allocated for paths unless one
/// is reported.
pub fn conform(v: &mut Value, ty: &Type) -> Result<(), ModelError> {
    let at = |step: PathStep| move |e: ModelError| e.within(AttributePath(vec![step]));
    let index = |i: usize| at(PathStep::Index(i as i64));
    match (&mut *v, ty) {
        (Value::Null | Value::Unknown(_), _) | (_, Type::Dynamic) => Ok(()),
        (Value::String(_), Type::String)
        | (Value::Number(_), Type::Number)
        | (Value::Bool(_), Type::Bool) => Ok(()),
        (Value::List(items) | Value::Set(items) | Value::Tuple(items), Type::List(elem)) => {
            for (i, item) in items.iter_mut().enumerate() {
                conform(item, elem).map_err(index(i))?;
            }
            *v = Value::List(take_items(v));
            Ok(())
        }
        (Value::List(items) | Value::Set(items) | Value::Tuple(items), Type::Set(elem)) => {
            for (i, item) in items.iter_mut().enumerate() {
                conform(item, elem).map_err(index(i))?;
            }
            *v = Value::Set(take_items(v));
            Ok(())
        }
        (Value::List(items) | Value::Set(items) | Value::Tuple(items), Type::Tuple(elems)) => {
            if items.len() != elems.len() {
                return Err(ModelError::at(
                    AttributePath::default(),
                    format!("{} elements for a tuple of {}", items.len(), elems.len()),
                ));
            }
            for (i, (item, t)) in items.iter_mut().zip(elems).enumerate() {
                conform(item, t).map_err(index(i))?;
            }
            *v = Value::Tuple(take_items(v));
            Ok(())
        }
        (Value::Map(entries) | Value::Object(entries), Type::Map(elem)) => {
            for (k, item) in entries.iter_mut() {
                conform(item, elem).map_err(at(PathStep::Key(k.clone())))?;
            }
            *v = Value::Map(take_entries(v));
            Ok(())
        }
        (Value::Map(entries) | Value::Object(entries), Type::Object(attrs)) => {
            for (name, t) in attrs {
                match entries.get_mut(name) {
                    Some(item) => {
                        conform(item, t).map_err(at(PathStep::Attribute(name.clone())))?
                    }
                    None => {
                        entries.insert(name.clone(), Value::Null);
                    }
                }
            }
            if entries.len() > attrs.len() {
                if let Some((extra, _)) = entries
                    .iter()
                    .find(|(k, v)| !v.is_null() && !attrs.contains_key(*k))
                {
                    return Err(ModelError::at(
                        AttributePath::root(extra),
                        format!("the model has {extra:?}, which the schema does not declare"),
                    ));
                }
                entries.retain(|k, _| attrs.contains_key(k));
            }
            *v = Value::Object(take_entries(v));
            Ok(())
        }
        (other, _) => Err(ModelError::at(
            AttributePath::default(),
            format!(
                "the model wrote {} where the schema has {ty:?}",
                kind(other)
            ),
        )),
    }
}

/// The elements of a sequence value, leaving it empty.
fn take_items(v: &mut Value) -> Vec<Value> {
    match v {
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => std::mem::take(items),
        _ => Vec::new(),
    }
}

/// The entries of a map or object value, leaving it empty.
fn take_entries(v: &mut Value) -> BTreeMap<String, Value> {
    match v {
        Value::Map(entries) | Value::Object(entries) => std::mem::take(entries),
        _ => BTreeMap::new(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v.concrete() {
        Value::Null => "null",
        Value::Unknown(_) => "an unknown",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) | Value::Set(_) | Value::Tuple(_) => "a sequence",
        Value::Map(_) | Value::Object(_) => "an object",
        Value::Dynamic(..) => "a dynamic value",
    }
}

/// Serializes into a loose [`Value`]: sequences as lists, maps and structs as objects.
pub(crate) struct ValueSerializer;

fn number<E: ser::Error>(n: Option<Number>) -> Result<Value, E> {
    n.map(Value::Number)
        .ok_or_else(|| E::custom("not a number Terraform can hold (NaN)"))
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ModelError;
    type SerializeSeq = SeqWriter;
    type SerializeTuple = SeqWriter;
    type SerializeTupleStruct = SeqWriter;
    type SerializeTupleVariant = ser::Impossible<Value, ModelError>;
    type SerializeMap = MapWriter;
    type SerializeStruct = MapWriter;
    type SerializeStructVariant = ser::Impossible<Value, ModelError>;

    fn serialize_bool(self, v: bool) -> Result<Value, ModelError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ModelError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ModelError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ModelError> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::from(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ModelError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ModelError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ModelError> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::from(v)))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ModelError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ModelError> {
        number(Number::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ModelError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ModelError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Value, ModelError> {
        Err(ser::Error::custom("bytes have no Terraform type"))
    }
    fn serialize_none(self) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, ModelError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ModelError> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, ModelError> {
        match name {
            ATTR_MARKER => Ok(Value::Unknown(Refinements::default())),
            RAW_MARKER => {
                let ticket = match v.serialize(self)? {
                    Value::Number(n) => n.as_i64().and_then(|t| u64::try_from(t).ok()),
                    _ => None,
                };
                ticket
                    .and_then(redeem)
                    .ok_or_else(|| ser::Error::custom("a raw Terraform value was lost on its way"))
            }
            NUMBER_MARKER => match v.serialize(self)? {
                Value::String(text) => text
                    .parse()
                    .map(Value::Number)
                    .map_err(|_| ser::Error::custom(format!("{text:?} is not a number"))),
                _ => Err(ser::Error::custom("a number without its text")),
            },
            _ => v.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: &T,
    ) -> Result<Value, ModelError> {
        Err(ser::Error::custom(format!(
            "enum variant {variant} with data has no Terraform type"
        )))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqWriter, ModelError> {
        Ok(SeqWriter(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqWriter, ModelError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqWriter, ModelError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ModelError> {
        Err(ser::Error::custom(format!(
            "enum variant {variant} with data has no Terraform type"
        )))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapWriter, ModelError> {
        Ok(MapWriter::default())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapWriter, ModelError> {
        Ok(MapWriter::default())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ModelError> {
        Err(ser::Error::custom(format!(
            "enum variant {variant} with data has no Terraform type"
        )))
    }
}

pub(crate) struct SeqWriter(Vec<Value>);

impl ser::SerializeSeq for SeqWriter {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ModelError> {
        self.0.push(v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTuple for SeqWriter {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ModelError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Tuple(self.0))
    }
}

impl ser::SerializeTupleStruct for SeqWriter {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ModelError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Tuple(self.0))
    }
}

#[derive(Default)]
pub(crate) struct MapWriter {
    entries: BTreeMap<String, Value>,
    key: Option<String>,
}

impl ser::SerializeMap for MapWriter {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ModelError> {
        match key.serialize(ValueSerializer)? {
            Value::String(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(ser::Error::custom("map keys must be strings")),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ModelError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <ModelError as ser::Error>::custom("a map value without its key"))?;
        let value = v
            .serialize(ValueSerializer)
            .map_err(|e| e.within(AttributePath(vec![PathStep::Key(key.clone())])))?;
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Map(self.entries))
    }
}

impl ser::SerializeStruct for MapWriter {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        v: &T,
    ) -> Result<(), ModelError> {
        let value = v
            .serialize(ValueSerializer)
            .map_err(|e| e.within(AttributePath::root(name)))?;
        self.entries.insert(name.to_string(), value);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Object(self.entries))
    }
}
