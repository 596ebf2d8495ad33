//! A bounded msgpack token reader.
//!
//! Reads one header at a time and refuses, before anything is allocated, any length that
//! the rest of the input cannot hold, so a 10-byte input claiming 4 billion elements fails
//! at once. Knows msgpack only; what the tokens mean for a cty type is `msgpack_decode.rs`.

use super::error::{DecodeError, PathStack, Step};
use super::limits::MAX_DEPTH;

/// One msgpack header. Lengths are already checked against the remaining input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    F32(f32),
    F64(f64),
    /// A string of this many bytes follows.
    Str(usize),
    /// Binary data of this many bytes follows.
    Bin(usize),
    /// This many elements follow.
    Array(usize),
    /// This many key/value pairs follow.
    Map(usize),
    /// An extension body of `len` bytes follows.
    Ext {
        code: i8,
        len: usize,
    },
}

impl Head {
    /// What the header is, for "expected …, found …" messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Head::Nil => "nil".into(),
            Head::Bool(_) => "bool".into(),
            Head::Int(_) | Head::Uint(_) => "integer".into(),
            Head::F32(_) | Head::F64(_) => "float".into(),
            Head::Str(_) => "string".into(),
            Head::Bin(_) => "binary data".into(),
            Head::Array(n) => format!("array of {n} elements"),
            Head::Map(n) => format!("map of {n} entries"),
            Head::Ext { code, .. } => format!("extension type {code}"),
        }
    }
}

/// A cursor over msgpack input that tracks the value path and nesting depth.
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    depth: usize,
    pub(crate) path: PathStack,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Reader<'a> {
        Reader {
            input,
            pos: 0,
            depth: 0,
            path: PathStack::default(),
        }
    }

    fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    pub(crate) fn truncated(&self) -> DecodeError {
        DecodeError::Truncated {
            path: self.path.render(),
        }
    }

    /// Fails unless the whole input has been read.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.pos == self.input.len() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes { offset: self.pos })
        }
    }

    /// Consumes exactly `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.truncated());
        }
        let bytes = &self.input[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let bytes = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn len_field(&mut self, width: usize) -> Result<usize, DecodeError> {
        let v = match width {
            1 => u64::from(self.take_array::<1>()?[0]),
            2 => u64::from(u16::from_be_bytes(self.take_array()?)),
            _ => u64::from(u32::from_be_bytes(self.take_array()?)),
        };
        usize::try_from(v).map_err(|_| DecodeError::LengthExceedsInput {
            path: self.path.render(),
            claimed: v,
        })
    }

    /// Fails unless `count` items of at least `min_size` bytes each can still follow.
    fn check_fits(&self, count: usize, min_size: usize) -> Result<(), DecodeError> {
        if count.saturating_mul(min_size) > self.remaining() {
            return Err(DecodeError::LengthExceedsInput {
                path: self.path.render(),
                claimed: count as u64,
            });
        }
        Ok(())
    }

    /// Reads the next header.
    pub(crate) fn head(&mut self) -> Result<Head, DecodeError> {
        let [marker] = self.take_array::<1>()?;
        let head = match marker {
            0x00..=0x7f => Head::Int(i64::from(marker)),
            0x80..=0x8f => Head::Map(usize::from(marker & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(marker & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(marker & 0x1f)),
            0xc0 => Head::Nil,
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4..=0xc6 => Head::Bin(self.len_field(1 << (marker - 0xc4))?),
            0xc7..=0xc9 => {
                let len = self.len_field(1 << (marker - 0xc7))?;
                let [code] = self.take_array::<1>()?;
                Head::Ext {
                    code: code as i8,
                    len,
                }
            }
            0xca => Head::F32(f32::from_be_bytes(self.take_array()?)),
            0xcb => Head::F64(f64::from_be_bytes(self.take_array()?)),
            0xcc => Head::Uint(u64::from(self.take_array::<1>()?[0])),
            0xcd => Head::Uint(u64::from(u16::from_be_bytes(self.take_array()?))),
            0xce => Head::Uint(u64::from(u32::from_be_bytes(self.take_array()?))),
            0xcf => Head::Uint(u64::from_be_bytes(self.take_array()?)),
            0xd0 => Head::Int(i64::from(i8::from_be_bytes(self.take_array()?))),
            0xd1 => Head::Int(i64::from(i16::from_be_bytes(self.take_array()?))),
            0xd2 => Head::Int(i64::from(i32::from_be_bytes(self.take_array()?))),
            0xd3 => Head::Int(i64::from_be_bytes(self.take_array()?)),
            0xd4..=0xd8 => {
                let [code] = self.take_array::<1>()?;
                Head::Ext {
                    code: code as i8,
                    len: 1 << (marker - 0xd4),
                }
            }
            0xd9..=0xdb => Head::Str(self.len_field(1 << (marker - 0xd9))?),
            0xdc | 0xdd => Head::Array(self.len_field(2 << (marker - 0xdc))?),
            0xde | 0xdf => Head::Map(self.len_field(2 << (marker - 0xde))?),
            0xe0..=0xff => Head::Int(i64::from(marker as i8)),
            0xc1 => {
                return Err(DecodeError::Syntax {
                    path: self.path.render(),
                    offset: self.pos - 1,
                    reason: "reserved byte 0xc1".into(),
                })
            }
        };
        match head {
            Head::Str(n) | Head::Bin(n) | Head::Ext { len: n, .. } if n > self.remaining() => {
                Err(DecodeError::LengthExceedsInput {
                    path: self.path.render(),
                    claimed: n as u64,
                })
            }
            Head::Array(n) => self.check_fits(n, 1).map(|()| head),
            Head::Map(n) => self.check_fits(n, 2).map(|()| head),
            _ => Ok(head),
        }
    }

    /// Reads a string body of `len` bytes announced by a [`Head::Str`].
    pub(crate) fn string(&mut self, len: usize) -> Result<String, DecodeError> {
        let bytes = self.take(len)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(DecodeError::InvalidUtf8 {
                path: self.path.render(),
            }),
        }
    }

    /// Enters a nested value, failing beyond [`MAX_DEPTH`]; pair with [`Reader::leave`].
    pub(crate) fn enter(&mut self, step: Option<Step>) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::TooDeep {
                path: self.path.render(),
                limit: MAX_DEPTH,
            });
        }
        self.depth += 1;
        if let Some(step) = step {
            self.path.push(step);
        }
        Ok(())
    }

    /// Leaves a nested value entered with `step` (`Some` iff `enter` got `Some`).
    pub(crate) fn leave(&mut self, had_step: bool) {
        self.depth -= 1;
        if had_step {
            self.path.pop();
        }
    }

    /// Skips the value whose header was just read (for ignored refinement keys).
    pub(crate) fn skip(&mut self, head: Head) -> Result<(), DecodeError> {
        let items = match head {
            Head::Str(n) | Head::Bin(n) | Head::Ext { len: n, .. } => {
                return self.take(n).map(|_| ());
            }
            Head::Array(n) => n,
            Head::Map(n) => n.saturating_mul(2),
            _ => return Ok(()),
        };
        self.enter(None)?;
        for _ in 0..items {
            let next = self.head()?;
            self.skip(next)?;
        }
        self.leave(false);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(bytes: &[u8]) -> Result<Vec<Head>, DecodeError> {
        let mut r = Reader::new(bytes);
        let mut out = Vec::new();
        while r.finish().is_err() {
            let h = r.head()?;
            if let Head::Str(n) | Head::Bin(n) | Head::Ext { len: n, .. } = h {
                r.take(n)?;
            }
            out.push(h);
        }
        Ok(out)
    }

    #[test]
    fn reads_every_integer_width() {
        let bytes = [
            0x05, 0xff, 0xcc, 0xc8, 0xcd, 0x01, 0x00, 0xd0, 0x80, 0xd1, 0xff, 0x00, 0xd3, 0x80, 0,
            0, 0, 0, 0, 0, 0, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        assert_eq!(
            heads(&bytes),
            Ok(vec![
                Head::Int(5),
                Head::Int(-1),
                Head::Uint(200),
                Head::Uint(256),
                Head::Int(-128),
                Head::Int(-256),
                Head::Int(i64::MIN),
                Head::Uint(u64::MAX),
            ])
        );
    }

    #[test]
    fn huge_length_headers_fail_before_allocating() {
        for bytes in [
            &[0xdd, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0][..],
            &[0xdf, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0],
            &[0xdb, 0xff, 0xff, 0xff, 0xff, 0],
            &[0xc6, 0xff, 0xff, 0xff, 0xff, 0],
            &[0xc9, 0xff, 0xff, 0xff, 0xff, 0, 0],
            &[0x82, 0x01, 0x02],
        ] {
            let err = Reader::new(bytes).head();
            assert!(
                matches!(err, Err(DecodeError::LengthExceedsInput { .. })),
                "{bytes:02x?}: {err:?}"
            );
        }
    }

    #[test]
    fn truncated_and_reserved_input_fails() {
        assert!(matches!(
            Reader::new(&[0xcb, 0x3f]).head(),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(
            Reader::new(&[0xc1]).head(),
            Err(DecodeError::Syntax { .. })
        ));
    }
}
