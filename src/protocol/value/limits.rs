//! The nesting limit every decoder of untrusted input shares (msgpack, JSON, type JSON).
//!
//! A leaf: it imports nothing, so the syntax readers (`json_text.rs`, `msgpack_read.rs`) and
//! the errors (`error.rs`) can all take it without depending on each other.

/// How deep arrays, maps and dynamic wrappers may nest before decoding gives up.
///
/// Terraform schemas nest a handful of levels; 128 keeps the decoder's recursion far from
/// the stack limit while leaving plenty of room for real values.
pub const MAX_DEPTH: usize = 128;
