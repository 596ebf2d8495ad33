//! Encoding a [`Value`] as msgpack against a [`Type`] (plugin protocol §4.2–4.3).
//!
//! Writes what Terraform's own encoder writes, except numbers: objects with every
//! attribute of the type (nil when absent from the value); `d4 00 00` for a plain unknown;
//! and every finite number as its decimal text (infinities as float64).
//!
//! # Why numbers go as text
//!
//! Terraform 1.11 decides whether `plan -refresh-only` found drift by comparing the
//! refreshed state with the state as stored using Go's `reflect.DeepEqual`, which also
//! compares each object's cached decoded value, down to the internal precision of every
//! number. Numbers read from the state file are parsed from text (512-bit precision);
//! msgpack ints and floats decode with 64 or 53 bits. So a refresh that returns `360` as an
//! int looks like drift although nothing changed (`-detailed-exitcode` exits 2). As text,
//! Terraform parses our numbers with the same function as the state file's, and an
//! unchanged number compares equal. Terraform accepts text for numbers everywhere and
//! compares planned and applied numbers by value, so nothing else changes.

use super::error::{EncodeError, PathStack, Step};
use super::msgpack_decode::REFINED_UNKNOWN;
use super::number::Number;
use super::ty::Type;
use super::value::{Refinements, Value};

/// Terraform's plain unknown: fixext1, type 0, one zero byte.
const PLAIN_UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];

/// Longest string prefix refinement written, in bytes.
///
/// Terraform refuses refinement bodies over 1 KiB; a shorter prefix is still a true
/// (only less precise) refinement, so long prefixes are cut at a character boundary.
const MAX_PREFIX_LEN: usize = 256;

pub(crate) fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer {
        out: Vec::new(),
        path: PathStack::default(),
    };
    w.value(value, ty)?;
    Ok(w.out)
}

struct Writer {
    out: Vec<u8>,
    path: PathStack,
}

impl Writer {
    fn too_long(&self, len: usize) -> EncodeError {
        EncodeError::TooLong {
            path: self.path.render(),
            len,
        }
    }

    /// Writes a length header: the `fix` form (marker | len) below its limit, else the
    /// first of the 8/16/32-bit length `markers` that exists and can hold `len`.
    fn header(
        &mut self,
        fix: Option<(u8, usize)>,
        markers: [Option<u8>; 3],
        len: usize,
    ) -> Result<(), EncodeError> {
        match (fix, markers) {
            (Some((marker, limit)), _) if len < limit => self.out.push(marker | len as u8),
            (_, [Some(m8), _, _]) if len <= 0xff => self.out.extend_from_slice(&[m8, len as u8]),
            (_, [_, Some(m16), _]) if len <= 0xffff => {
                self.tagged(m16, &(len as u16).to_be_bytes())
            }
            (_, [_, _, Some(m32)]) => {
                let len32 = u32::try_from(len).map_err(|_| self.too_long(len))?;
                self.tagged(m32, &len32.to_be_bytes());
            }
            _ => return Err(self.too_long(len)),
        }
        Ok(())
    }

    fn str(&mut self, s: &str) -> Result<(), EncodeError> {
        self.header(
            Some((0xa0, 32)),
            [Some(0xd9), Some(0xda), Some(0xdb)],
            s.len(),
        )?;
        self.out.extend_from_slice(s.as_bytes());
        Ok(())
    }

    fn bin(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.header(None, [Some(0xc4), Some(0xc5), Some(0xc6)], b.len())?;
        self.out.extend_from_slice(b);
        Ok(())
    }

    fn array(&mut self, len: usize) -> Result<(), EncodeError> {
        self.header(Some((0x90, 16)), [None, Some(0xdc), Some(0xdd)], len)
    }

    fn map(&mut self, len: usize) -> Result<(), EncodeError> {
        self.header(Some((0x80, 16)), [None, Some(0xde), Some(0xdf)], len)
    }

    fn int(&mut self, v: i64) {
        match v {
            -32..=0x7f => self.out.push(v as u8),
            0x80..=0xff => self.out.extend_from_slice(&[0xcc, v as u8]),
            0x100..=0xffff => self.tagged(0xcd, &(v as u16).to_be_bytes()),
            0x1_0000..=0xffff_ffff => self.tagged(0xce, &(v as u32).to_be_bytes()),
            0x1_0000_0000.. => self.tagged(0xcf, &(v as u64).to_be_bytes()),
            -0x80..=-33 => self.out.extend_from_slice(&[0xd0, v as u8]),
            -0x8000..=-0x81 => self.tagged(0xd1, &(v as i16).to_be_bytes()),
            -0x8000_0000..=-0x8001 => self.tagged(0xd2, &(v as i32).to_be_bytes()),
            _ => self.tagged(0xd3, &v.to_be_bytes()),
        }
    }

    fn uint(&mut self, v: u64) {
        match i64::try_from(v) {
            Ok(i) => self.int(i),
            Err(_) => self.tagged(0xcf, &v.to_be_bytes()),
        }
    }

    fn tagged(&mut self, marker: u8, bytes: &[u8]) {
        self.out.push(marker);
        self.out.extend_from_slice(bytes);
    }

    /// Decimal text for finite numbers (see the module docs), float64 for infinities.
    fn number(&mut self, n: &Number) -> Result<(), EncodeError> {
        match n.to_exact_f64() {
            Some(f) if n.is_infinite() => self.tagged(0xcb, &f.to_bits().to_be_bytes()),
            _ => self.str(&n.to_string())?,
        }
        Ok(())
    }

    /// A refinement bound the way Terraform writes numbers (smallest int, float64 for exact
    /// non-integers, text otherwise): compact, because a refinement body must stay under
    /// 1 KiB, and never stored in a state, so the reason for [`Self::number`] does not apply.
    fn bound(&mut self, n: &Number) -> Result<(), EncodeError> {
        if let Some(i) = n.as_i64() {
            self.int(i);
        } else if n.is_infinite() || !n.is_integer() {
            match n.to_exact_f64() {
                Some(f) => self.tagged(0xcb, &f.to_bits().to_be_bytes()),
                None => self.str(&n.to_string())?,
            }
        } else {
            // Integers beyond int64 always go as text, even when a float could hold them.
            self.str(&n.to_string())?;
        }
        Ok(())
    }

    fn unknown(&mut self, r: &Refinements) -> Result<(), EncodeError> {
        if r.is_empty() {
            self.out.extend_from_slice(&PLAIN_UNKNOWN);
            return Ok(());
        }
        // At most six entries, so the map header is the one-byte fixmap, written last.
        let mut body = Writer {
            out: vec![0x80],
            path: PathStack::default(),
        };
        let mut entries = 0u8;
        if r.not_null {
            body.out.extend_from_slice(&[0x01, 0xc2]); // 1: false ("not nullable")
            entries += 1;
        }
        if let Some(prefix) = &r.string_prefix {
            body.int(2);
            body.str(truncate_prefix(prefix))?;
            entries += 1;
        }
        for (key, bound) in [(3, &r.number_lower), (4, &r.number_upper)] {
            if let Some((n, inclusive)) = bound {
                body.out.extend_from_slice(&[key, 0x92]);
                body.bound(n)?;
                body.out.push(if *inclusive { 0xc3 } else { 0xc2 });
                entries += 1;
            }
        }
        for (key, len) in [(5, r.length_lower), (6, r.length_upper)] {
            if let Some(len) = len {
                body.int(key);
                body.uint(len);
                entries += 1;
            }
        }
        body.out[0] |= entries;
        let len = body.out.len();
        match len {
            1 | 2 | 4 | 8 | 16 => self.out.push(0xd4 + len.trailing_zeros() as u8),
            _ => self.header(None, [Some(0xc7), Some(0xc8), Some(0xc9)], len)?,
        }
        self.out.push(REFINED_UNKNOWN as u8);
        self.out.extend_from_slice(&body.out);
        Ok(())
    }

    fn mismatch(&self, ty: &Type, v: &Value) -> EncodeError {
        EncodeError::TypeMismatch {
            path: self.path.render(),
            expected: ty.to_string(),
            found: v.kind(),
        }
    }

    fn nested(&mut self, step: Step, v: &Value, ty: &Type) -> Result<(), EncodeError> {
        self.path.push(step);
        self.value(v, ty)?;
        self.path.pop();
        Ok(())
    }

    fn dynamic(&mut self, ty: &Type, v: &Value) -> Result<(), EncodeError> {
        self.array(2)?;
        self.bin(&ty.to_json())?;
        self.value(v, ty)
    }

    fn value(&mut self, v: &Value, ty: &Type) -> Result<(), EncodeError> {
        match (v, ty) {
            (Value::Null, _) => self.out.push(0xc0),
            (Value::Unknown(r), _) => self.unknown(r)?,
            (Value::Dynamic(concrete, inner), Type::Dynamic) => self.dynamic(concrete, inner)?,
            (Value::Dynamic(concrete, inner), _) if concrete == ty => self.value(inner, ty)?,
            (_, Type::Dynamic) => match v.infer_type() {
                Some(inferred) => self.dynamic(&inferred, v)?,
                None => {
                    return Err(EncodeError::CannotInferType {
                        path: self.path.render(),
                    })
                }
            },
            (Value::Bool(b), Type::Bool) => self.out.push(if *b { 0xc3 } else { 0xc2 }),
            (Value::Number(n), Type::Number) => self.number(n)?,
            (Value::String(s), Type::String) => self.str(s)?,
            (Value::List(items), Type::List(elem)) | (Value::Set(items), Type::Set(elem)) => {
                self.array(items.len())?;
                for (i, item) in items.iter().enumerate() {
                    self.nested(Step::Index(i), item, elem)?;
                }
            }
            (Value::Tuple(items), Type::Tuple(types)) => {
                if items.len() != types.len() {
                    return Err(EncodeError::TupleLength {
                        path: self.path.render(),
                        expected: types.len(),
                        found: items.len(),
                    });
                }
                self.array(items.len())?;
                for (i, (item, t)) in items.iter().zip(types).enumerate() {
                    self.nested(Step::Index(i), item, t)?;
                }
            }
            (Value::Map(entries), Type::Map(elem)) => {
                self.map(entries.len())?;
                for (key, item) in entries {
                    self.str(key)?;
                    self.nested(Step::Key(key.clone()), item, elem)?;
                }
            }
            (Value::Object(attrs), Type::Object(types)) => {
                if let Some(extra) = attrs.keys().find(|k| !types.contains_key(*k)) {
                    return Err(EncodeError::UnexpectedAttribute {
                        path: self.path.render(),
                        name: extra.clone(),
                    });
                }
                self.map(types.len())?;
                for (name, t) in types {
                    self.str(name)?;
                    let item = attrs.get(name).unwrap_or(&Value::Null);
                    self.nested(Step::Attr(name.clone()), item, t)?;
                }
            }
            _ => return Err(self.mismatch(ty, v)),
        }
        Ok(())
    }
}

/// Cuts `prefix` to at most [`MAX_PREFIX_LEN`] bytes on a character boundary.
fn truncate_prefix(prefix: &str) -> &str {
    if prefix.len() <= MAX_PREFIX_LEN {
        return prefix;
    }
    let mut end = MAX_PREFIX_LEN;
    while !prefix.is_char_boundary(end) {
        end -= 1;
    }
    &prefix[..end]
}
