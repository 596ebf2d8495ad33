//! Groups and their destinations. In Fivetran a destination has the same id as its
//! group; the simulator creates one destination (a Snowflake warehouse whose host
//! presents a TLS certificate) for the starting group only.

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::error::ApiError;
use crate::model::MASK;
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

/// A destination; `id == group_id`.
#[derive(Clone, Debug)]
pub(crate) struct Destination {
    pub id: String,
    pub service: String,
    pub region: String,
    pub host: String,
}

impl Destination {
    pub(crate) fn for_group(group_id: &str) -> Self {
        Destination {
            id: group_id.to_string(),
            service: "snowflake".into(),
            region: "GCP_US_EAST4".into(),
            host: format!("{group_id}.snowflakecomputing.com"),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "group_id": self.id,
            "service": self.service,
            "region": self.region,
            "time_zone_offset": "0",
            "setup_status": "CONNECTED",
            "daylight_saving_time_enabled": false,
            "networking_method": "Directly",
            "config": {
                "host": self.host,
                "port": 443,
                "database": "fivetran",
                "auth": "PASSWORD",
                "user": "fivetran_user",
                "password": MASK,
            },
        })
    }
}
