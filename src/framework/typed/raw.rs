//! [`Raw`]: a model field that keeps the Terraform value exactly as it is (a `dynamic`
//! attribute with its type, a value with refinements, a block the framework reads itself).
//!
//! serde has no way to carry a foreign value through its data model, so the value is
//! parked in a per-thread slot and only its ticket travels: [`Raw`]'s `Serialize` and
//! `Deserialize` impls and this module's (de)serializers are the only ones that know it, and
//! a ticket is always redeemed on the thread that issued it, within the same call.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::protocol::Value;

/// The marker name of a [`Raw`] value's ticket.
pub(crate) const RAW_MARKER: &str = "\u{0}tf_raw";

thread_local! {
    static PARKED: RefCell<(u64, HashMap<u64, Value>)> = RefCell::new((0, HashMap::new()));
}

/// Parks `value` and returns its ticket.
pub(crate) fn park(value: Value) -> u64 {
    PARKED.with(|p| {
        let mut p = p.borrow_mut();
        p.0 = p.0.wrapping_add(1);
        let ticket = p.0;
        p.1.insert(ticket, value);
        ticket
    })
}

/// Takes the value parked under `ticket`.
pub(crate) fn redeem(ticket: u64) -> Option<Value> {
    PARKED.with(|p| p.borrow_mut().1.remove(&ticket))
}

/// A Terraform value kept as is. Serializing or deserializing it outside this module's own
/// (de)serializers fails with a clear message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw(pub Value);

impl Default for Raw {
    fn default() -> Self {
        Raw(Value::Null)
    }
}

impl Raw {
    pub fn value(&self) -> &Value {
        &self.0
    }
}

impl From<Value> for Raw {
    fn from(v: Value) -> Self {
        Raw(v)
    }
}

impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ticket = park(self.0.clone());
        let out = s.serialize_newtype_struct(RAW_MARKER, &ticket);
        // A serializer that did not redeem it (not ours) leaves nothing behind.
        redeem(ticket);
        out
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(RAW_MARKER, RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Terraform value (only the framework's deserializer carries one)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        let ticket = u64::deserialize(d)?;
        redeem(ticket)
            .map(Raw)
            .ok_or_else(|| de::Error::custom("a raw Terraform value was lost on its way"))
    }
}
