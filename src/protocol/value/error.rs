//! Decode and encode errors, and the value path they carry.
//!
//! Every error names where in the value it happened, rendered like `.config["key"][2]`
//! (empty for the root), so diagnostics can point at the attribute. This module knows
//! nothing of msgpack or JSON syntax beyond the words in its messages.

use std::fmt::Write as _;

use super::ty::TypeError;

/// A value could not be decoded from msgpack or JSON against the expected type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input held a different kind of value than the type asks for.
    #[error("{}expected {expected}, found {found}", at(.path))]
    TypeMismatch {
        path: String,
        expected: String,
        found: String,
    },
    /// An object attribute of the type was absent from a msgpack object.
    #[error("{}missing attribute {name:?}", at(.path))]
    MissingAttribute { path: String, name: String },
    /// An object held an attribute its type does not declare.
    #[error("{}unsupported attribute {name:?}", at(.path))]
    UnexpectedAttribute { path: String, name: String },
    /// A map or object repeated a key.
    #[error("{}duplicate key {key:?}", at(.path))]
    DuplicateKey { path: String, key: String },
    /// A tuple had a different number of elements than its type.
    #[error("{}tuple needs {expected} elements, found {found}", at(.path))]
    TupleLength {
        path: String,
        expected: usize,
        found: usize,
    },
    /// A number's text could not be parsed, or is beyond the supported range.
    #[error("{}invalid number {text:?}", at(.path))]
    InvalidNumber { path: String, text: String },
    /// A string or key was not valid UTF-8.
    #[error("{}string is not valid UTF-8", at(.path))]
    InvalidUtf8 { path: String },
    /// The input ended in the middle of a value.
    #[error("{}unexpected end of input", at(.path))]
    Truncated { path: String },
    /// A length header claimed more elements or bytes than the input can hold.
    #[error("{}length {claimed} exceeds the remaining input", at(.path))]
    LengthExceedsInput { path: String, claimed: u64 },
    /// Values nested deeper than [`MAX_DEPTH`](super::limits::MAX_DEPTH).
    #[error("{}nesting deeper than {limit} levels", at(.path))]
    TooDeep { path: String, limit: usize },
    /// The value was complete but more bytes followed it.
    #[error("unexpected trailing data at byte {offset}")]
    TrailingBytes { offset: usize },
    /// The type of a dynamic value was not valid type JSON.
    #[error("{}invalid type of dynamic value: {source}", at(.path))]
    InvalidType { path: String, source: TypeError },
    /// An unknown value's refinements (msgpack extension 12) were malformed.
    #[error("{}invalid unknown-value refinements: {reason}", at(.path))]
    InvalidRefinement { path: String, reason: String },
    /// The input is not syntactically valid msgpack or JSON.
    #[error("{}malformed input at byte {offset}: {reason}", at(.path))]
    Syntax {
        path: String,
        offset: usize,
        reason: String,
    },
}

/// A value could not be encoded against the given type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The value's kind does not fit the type at this position.
    #[error("{}expected {expected}, found {found}", at(.path))]
    TypeMismatch {
        path: String,
        expected: String,
        found: String,
    },
    /// An object value has an attribute its type does not declare.
    #[error("{}unsupported attribute {name:?}", at(.path))]
    UnexpectedAttribute { path: String, name: String },
    /// A tuple value has a different number of elements than its type.
    #[error("{}tuple needs {expected} elements, found {found}", at(.path))]
    TupleLength {
        path: String,
        expected: usize,
        found: usize,
    },
    /// JSON cannot carry unknown values.
    #[error("{}unknown values cannot be encoded as JSON", at(.path))]
    UnknownInJson { path: String },
    /// JSON cannot carry infinite numbers.
    #[error("{}infinite numbers cannot be encoded as JSON", at(.path))]
    InfinityInJson { path: String },
    /// A value at a dynamic position has no inferable type.
    #[error("{}cannot infer the type of the value at a dynamic position", at(.path))]
    CannotInferType { path: String },
    /// A string, collection or body is longer than msgpack can express.
    #[error("{}value too long for msgpack ({len})", at(.path))]
    TooLong { path: String, len: usize },
}

/// Renders the `at <path>: ` prefix of a message, or nothing for the root.
fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("at {path}: ")
    }
}

/// One step into a value.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// An object attribute.
    Attr(String),
    /// A map key.
    Key(String),
    /// A list, set or tuple index.
    Index(usize),
}

/// The steps from the root to the value being worked on.
#[derive(Debug, Default, Clone)]
pub(crate) struct PathStack(Vec<Step>);

impl PathStack {
    pub(crate) fn push(&mut self, step: Step) {
        self.0.push(step);
    }

    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }

    /// The path as a readable string such as `.config["key"][2]`.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for step in &self.0 {
            // Writing into a String cannot fail.
            let _ = match step {
                Step::Attr(name) => write!(out, ".{name}"),
                Step::Key(key) => write!(out, "[{key:?}]"),
                Step::Index(i) => write!(out, "[{i}]"),
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_renders_attributes_keys_and_indices() {
        let mut p = PathStack::default();
        p.push(Step::Attr("config".into()));
        p.push(Step::Key("key".into()));
        p.push(Step::Index(2));
        assert_eq!(p.render(), r#".config["key"][2]"#);
        p.pop();
        assert_eq!(p.render(), r#".config["key"]"#);
    }

    #[test]
    fn messages_name_the_path() {
        let e = DecodeError::MissingAttribute {
            path: ".a".into(),
            name: "b".into(),
        };
        assert_eq!(e.to_string(), r#"at .a: missing attribute "b""#);
        let e = DecodeError::Truncated {
            path: String::new(),
        };
        assert_eq!(e.to_string(), "unexpected end of input");
    }
}
