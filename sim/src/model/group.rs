//! Groups: the stored object, its JSON form and the name rule. A group's destination
//! (same id) lives in `destination.rs`; its SSH public key is
//! [`crate::group_public_key`].

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::error::ApiError;
use crate::time::rfc3339;

/// A group (an account's destination container).
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub created_at: SystemTime,
}

impl Group {
    pub(crate) fn to_json(&self) -> Value {
        json!({ "id": self.id, "name": self.name, "created_at": rfc3339(self.created_at) })
    }
}

/// Checks a group name: 1..=100 characters, letters, digits and underscores, starting with
/// a letter or underscore (the rule the Fivetran UI applies to destination names).
pub(crate) fn validate_group_name(name: &str) -> Result<(), ApiError> {
    let ok_start = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok_start || !ok_chars || name.len() > 100 {
        return Err(ApiError::invalid(format!(
            "Invalid group name '{name}': use 1 to 100 letters, digits or underscores, starting with a letter or underscore"
        )));
    }
    Ok(())
}
