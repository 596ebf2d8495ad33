//! Decoding msgpack into a [`Value`] against a [`Type`] (plugin protocol §4.2–4.3).
//!
//! Nil is null and any extension is unknown, at every type. Objects must carry exactly
//! the type's attributes. Extension 12 bodies are parsed as refinements (§4.3).

use std::collections::BTreeMap;

use super::error::{DecodeError, Step};
use super::msgpack_read::{Head, Reader};
use super::number::Number;
use super::ty::Type;
use super::value::{Refinements, Value};

/// Extension code of a refined unknown value.
pub(crate) const REFINED_UNKNOWN: i8 = 12;

/// Refinement bodies larger than this are ignored (the value stays a plain unknown).
///
/// Terraform never writes more than 1 KiB; a bigger body is dropped rather than parsed so
/// hostile input cannot make refinements expensive. Refinements are hints, so losing them
/// only makes the unknown less precise.
pub(crate) const MAX_REFINEMENTS_LEN: usize = 1024;

/// Decodes one whole msgpack document.
pub(crate) fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut r = Reader::new(bytes);
    let value = value(&mut r, ty)?;
    r.finish()?;
    Ok(value)
}

fn mismatch(r: &Reader<'_>, expected: impl ToString, head: Head) -> DecodeError {
    DecodeError::TypeMismatch {
        path: r.path.render(),
        expected: expected.to_string(),
        found: head.describe(),
    }
}

fn value(r: &mut Reader<'_>, ty: &Type) -> Result<Value, DecodeError> {
    let head = r.head()?;
    match (head, ty) {
        (Head::Nil, _) => Ok(Value::Null),
        (Head::Ext { code, len }, _) => unknown(r, code, len).map(Value::Unknown),
        (_, Type::Dynamic) => dynamic(r, head),
        (Head::Bool(b), Type::Bool) => Ok(Value::Bool(b)),
        (_, Type::Number) => number(r, head).map(Value::Number),
        (Head::Str(len), Type::String) => r.string(len).map(Value::String),
        (Head::Array(n), Type::List(elem)) => elements(r, n, |_| elem).map(Value::List),
        (Head::Array(n), Type::Set(elem)) => elements(r, n, |_| elem).map(Value::Set),
        (Head::Array(n), Type::Tuple(types)) if n == types.len() => {
            elements(r, n, |i| &types[i]).map(Value::Tuple)
        }
        (Head::Array(n), Type::Tuple(types)) => Err(DecodeError::TupleLength {
            path: r.path.render(),
            expected: types.len(),
            found: n,
        }),
        (Head::Map(n), Type::Map(elem)) => entries(r, n, Step::Key, |_| Some(elem)).map(Value::Map),
        (Head::Map(n), Type::Object(attrs)) => object(r, n, attrs),
        _ => Err(mismatch(r, ty, head)),
    }
}

/// `[type JSON (bin or str), value]`; nil and bare extensions were handled by the caller.
fn dynamic(r: &mut Reader<'_>, head: Head) -> Result<Value, DecodeError> {
    if head != Head::Array(2) {
        return Err(mismatch(r, "[type, value] for a dynamic value", head));
    }
    r.enter(None)?;
    let type_json = match r.head()? {
        Head::Bin(len) | Head::Str(len) => r.take(len)?,
        other => return Err(mismatch(r, "type JSON of a dynamic value", other)),
    };
    let ty = Type::from_json(type_json).map_err(|source| DecodeError::InvalidType {
        path: r.path.render(),
        source,
    })?;
    let inner = value(r, &ty)?;
    r.leave(false);
    Ok(Value::Dynamic(ty, Box::new(inner)))
}

/// Any number encoding: int family, float32/64 (exactly), or decimal text.
fn number(r: &mut Reader<'_>, head: Head) -> Result<Number, DecodeError> {
    let float = |r: &Reader<'_>, f: f64| {
        Number::from_f64(f).ok_or_else(|| DecodeError::InvalidNumber {
            path: r.path.render(),
            text: "NaN".into(),
        })
    };
    match head {
        Head::Int(i) => Ok(Number::from(i)),
        Head::Uint(u) => Ok(Number::from(u)),
        Head::F32(f) => float(r, f64::from(f)),
        Head::F64(f) => float(r, f),
        Head::Str(len) => {
            let text = r.string(len)?;
            text.parse().map_err(|_| DecodeError::InvalidNumber {
                path: r.path.render(),
                text,
            })
        }
        other => Err(mismatch(r, "number", other)),
    }
}

fn elements<'t>(
    r: &mut Reader<'_>,
    n: usize,
    ty_of: impl Fn(usize) -> &'t Type,
) -> Result<Vec<Value>, DecodeError> {
    // The reader already checked that n elements can fit in the remaining input.
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        r.enter(Some(Step::Index(i)))?;
        items.push(value(r, ty_of(i))?);
        r.leave(true);
    }
    Ok(items)
}

/// Reads `n` string-keyed entries; `ty_of` gives the value type or `None` if unexpected.
fn entries<'t>(
    r: &mut Reader<'_>,
    n: usize,
    step: fn(String) -> Step,
    ty_of: impl Fn(&str) -> Option<&'t Type>,
) -> Result<BTreeMap<String, Value>, DecodeError> {
    let mut out = BTreeMap::new();
    for _ in 0..n {
        let key = match r.head()? {
            Head::Str(len) => r.string(len)?,
            other => return Err(mismatch(r, "string key", other)),
        };
        let Some(ty) = ty_of(&key) else {
            return Err(DecodeError::UnexpectedAttribute {
                path: r.path.render(),
                name: key,
            });
        };
        if out.contains_key(&key) {
            return Err(DecodeError::DuplicateKey {
                path: r.path.render(),
                key,
            });
        }
        r.enter(Some(step(key.clone())))?;
        let item = value(r, ty)?;
        r.leave(true);
        out.insert(key, item);
    }
    Ok(out)
}

fn object(
    r: &mut Reader<'_>,
    n: usize,
    attrs: &BTreeMap<String, Type>,
) -> Result<Value, DecodeError> {
    let found = entries(r, n, Step::Attr, |name| attrs.get(name))?;
    if let Some(missing) = attrs.keys().find(|name| !found.contains_key(*name)) {
        return Err(DecodeError::MissingAttribute {
            path: r.path.render(),
            name: missing.clone(),
        });
    }
    Ok(Value::Object(found))
}

/// Any extension is an unknown; only type 12 carries refinements.
fn unknown(r: &mut Reader<'_>, code: i8, len: usize) -> Result<Refinements, DecodeError> {
    let body = r.take(len)?;
    if code != REFINED_UNKNOWN || len > MAX_REFINEMENTS_LEN {
        return Ok(Refinements::default());
    }
    let mut body_reader = Reader::new(body);
    body_reader.path = r.path.clone();
    let refinements = refinements(&mut body_reader)?;
    body_reader.finish()?;
    Ok(refinements)
}

fn refinements(r: &mut Reader<'_>) -> Result<Refinements, DecodeError> {
    let invalid = |r: &Reader<'_>, reason: &str| DecodeError::InvalidRefinement {
        path: r.path.render(),
        reason: reason.to_owned(),
    };
    let Head::Map(n) = r.head()? else {
        return Err(invalid(r, "body is not a map"));
    };
    let mut out = Refinements::default();
    for _ in 0..n {
        let key = match r.head()? {
            Head::Int(k) => k,
            Head::Uint(k) => i64::try_from(k).unwrap_or(i64::MAX),
            _ => return Err(invalid(r, "key is not an integer")),
        };
        let head = r.head()?;
        match (key, head) {
            // Key 1 is "nullable": Terraform sends false for values known not to be null.
            (1, Head::Bool(nullable)) => out.not_null = !nullable,
            (2, Head::Str(len)) => out.string_prefix = Some(r.string(len)?),
            (3 | 4, Head::Array(2)) => {
                let bound_head = r.head()?;
                let bound = number(r, bound_head)?;
                let Head::Bool(inclusive) = r.head()? else {
                    return Err(invalid(r, "number bound inclusiveness is not a bool"));
                };
                let slot = if key == 3 {
                    &mut out.number_lower
                } else {
                    &mut out.number_upper
                };
                *slot = Some((bound, inclusive));
            }
            (5 | 6, Head::Int(_) | Head::Uint(_)) => {
                let len = match head {
                    Head::Uint(u) => u,
                    Head::Int(i) => u64::try_from(i)
                        .map_err(|_| invalid(r, "collection length bound is negative"))?,
                    _ => 0,
                };
                let slot = if key == 5 {
                    &mut out.length_lower
                } else {
                    &mut out.length_upper
                };
                *slot = Some(len);
            }
            (1..=6, _) => {
                return Err(invalid(
                    r,
                    &format!("key {key} has a value of the wrong kind"),
                ))
            }
            _ => r.skip(head)?,
        }
    }
    Ok(out)
}
