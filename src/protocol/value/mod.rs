//! cty values and types, and their msgpack and JSON codecs (plugin protocol §4).
//!
//! Owns how Terraform values look on the wire: [`Type`] and its type JSON, [`Value`]
//! (known, null or unknown with refinements), arbitrary-precision [`Number`]s, and the
//! codecs for `DynamicValue.msgpack`, `DynamicValue.json` and `raw_state`. Knows nothing
//! of gRPC, schemas or resources: callers pass the type to decode against.
//!
//! # Null and unknown
//!
//! A value at any position may be [`Value::Null`] (unset) or [`Value::Unknown`] (to be
//! known after apply, possibly with [`Refinements`]). They are never the same as an empty
//! string or zero: accessors such as [`Value::as_str`] return `None` for both.
//!
//! # Layout
//!
//! * `ty.rs`: [`Type`], type JSON.
//! * `number.rs`, `number_f64.rs`: [`Number`], exact float expansion.
//! * `value.rs`: [`Value`], [`Refinements`], accessors, type inference for `dynamic`.
//! * `msgpack_read.rs`, `msgpack_decode.rs`, `msgpack_encode.rs`: the msgpack codec.
//! * `json_text.rs`, `json.rs`: JSON syntax with exact numbers, and the JSON codec.
//! * `error.rs`: [`DecodeError`], [`EncodeError`] with the value path.
//! * `limits.rs`: [`MAX_DEPTH`], imported by the readers and the errors alike (a leaf, so
//!   `error.rs` → `ty.rs` → `json_text.rs` does not lead back to `error.rs`).
//!
//! # Decoding untrusted input
//!
//! Decoders never panic and allocate at most in proportion to the input: lengths are
//! checked against the remaining bytes before allocating, nesting is limited to
//! [`MAX_DEPTH`], and numbers to ±10^[`MAX_DECIMAL_EXPONENT`].

mod error;
mod json;
mod json_text;
mod limits;
mod msgpack_decode;
mod msgpack_encode;
mod msgpack_read;
mod number;
mod number_f64;
mod ty;
// `value::value` reads oddly, but the file layout (value.rs beside ty.rs) is the API's.
#[allow(clippy::module_inception)]
mod value;

#[cfg(test)]
mod tests;

pub use error::{DecodeError, EncodeError};
pub use limits::MAX_DEPTH;
pub use number::{Number, ParseNumberError, MAX_DECIMAL_EXPONENT};
pub use ty::{Type, TypeError};
pub use value::{Refinements, Value};

/// Decodes `DynamicValue.msgpack` against `ty`. Trailing bytes are an error.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    msgpack_decode::decode(bytes, ty)
}

/// Encodes `value` as msgpack against `ty`, the way Terraform's own encoder would.
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    msgpack_encode::encode(value, ty)
}

/// Decodes state JSON (`raw_state`, `DynamicValue.json`) against `ty`.
///
/// Attributes missing from an object become null, as Terraform does for stored state.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    json::decode(bytes, ty)
}

/// Encodes `value` as compact JSON against `ty`. Unknowns and infinities are errors.
pub fn encode_json(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    json::encode(value, ty)
}
