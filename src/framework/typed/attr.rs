//! [`Attr<T>`]: one attribute of a typed model, which Terraform may leave null, may not know
//! yet (at plan time), or may know. No accessor turns null or unknown into a default value.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// The marker name through which [`Attr`] and the value (de)serializers understand each
/// other: an unknown value travels as this newtype struct.
pub(crate) const ATTR_MARKER: &str = "\u{0}tf_attr";

/// An attribute's value: null, unknown (known after apply) or known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Attr<T> {
    /// Not set.
    #[default]
    Null,
    /// Set, but not known until apply.
    Unknown,
    /// Set and known.
    Known(T),
}

impl<T> Attr<T> {
    /// The value when known; `None` for null and unknown.
    pub fn get(&self) -> Option<&T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a required attribute at apply, when it must be known; otherwise an
    /// error on `attribute` (Terraform guarantees it, so this is a bug if it ever shows).
    pub fn require(&self, attribute: &str) -> Result<&T, crate::protocol::Diagnostic> {
        self.get().ok_or_else(|| {
            crate::protocol::Diagnostic::error(
                "Missing Value",
                format!(
                    "`{attribute}` has no known value at apply. This is a bug in the provider; please report it."
                ),
            )
            .at(crate::protocol::AttributePath::root(attribute))
        })
    }

    /// The value when known, taken out.
    pub fn into_known(self) -> Option<T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }

    pub fn is_known(&self) -> bool {
        matches!(self, Attr::Known(_))
    }

    /// The same attribute with a reference to its value.
    pub fn as_ref(&self) -> Attr<&T> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(v) => Attr::Known(v),
        }
    }

    /// The same state with the known value mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<U> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(v) => Attr::Known(f(v)),
        }
    }

    /// This attribute unless it is unknown, in which case `other`.
    pub fn or_if_unknown(self, other: Attr<T>) -> Attr<T> {
        match self {
            Attr::Unknown => other,
            known_or_null => known_or_null,
        }
    }
}

impl Attr<String> {
    /// The known string as `&str`.
    pub fn as_deref(&self) -> Option<&str> {
        self.get().map(String::as_str)
    }
}

impl<T> From<T> for Attr<T> {
    fn from(v: T) -> Self {
        Attr::Known(v)
    }
}

impl<T> From<Option<T>> for Attr<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Attr::Null, Attr::Known)
    }
}

impl From<&str> for Attr<String> {
    fn from(v: &str) -> Self {
        Attr::Known(v.to_string())
    }
}

impl<T: Serialize> Serialize for Attr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Attr::Null => s.serialize_none(),
            Attr::Unknown => s.serialize_newtype_struct(ATTR_MARKER, &()),
            Attr::Known(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Attr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(ATTR_MARKER, AttrVisitor(std::marker::PhantomData))
    }
}

/// Our deserializer answers `visit_none` for null, `visit_unit` for unknown and
/// `visit_some` for a value; any other deserializer goes through `visit_newtype_struct`.
struct AttrVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for AttrVisitor<T> {
    type Value = Attr<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value, null, or a value not known yet")
    }

    fn visit_none<E: de::Error>(self) -> Result<Attr<T>, E> {
        Ok(Attr::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Attr<T>, E> {
        Ok(Attr::Unknown)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Attr<T>, D::Error> {
        T::deserialize(d).map(Attr::Known)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Attr<T>, D::Error> {
        Option::<T>::deserialize(d).map(Attr::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_states_stay_apart() {
        let known: Attr<String> = "x".into();
        assert_eq!(known.as_deref(), Some("x"));
        assert!(known.is_known());
        let null: Attr<String> = None.into();
        assert!(null.is_null() && null.get().is_none());
        let unknown: Attr<String> = Attr::Unknown;
        assert!(unknown.is_unknown() && unknown.get().is_none());
        assert_eq!(unknown.clone().or_if_unknown("y".into()), Attr::from("y"));
        assert_eq!(null.clone().or_if_unknown("y".into()), Attr::Null);
        assert_eq!(Attr::Known(2).map(|n| n * 2), Attr::Known(4));
        assert_eq!(known.require("name"), Ok(&"x".to_string()));
        let missing = null.require("name").expect_err("null");
        assert_eq!(
            missing.attribute,
            Some(crate::protocol::AttributePath::root("name"))
        );
    }
}
