//! Groups and their destinations. In Fivetran a destination has the same id as its
//! group; the simulator creates one destination (a Snowflake warehouse whose host
//! presents a TLS certificate) for the starting group only. Its `host` and `tunnel_host`
//! can be changed through [`crate::Admin::set_destination_host`]; its setup tests
//! (`POST /v1/destinations/{id}/test`) look at them as a connection's do.

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::error::ApiError;
use crate::model::setup_tests::{Target, TestOutcome};
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
    /// Presents [`crate::presented_certificate`].
    pub host: String,
    /// Presents [`crate::presented_host_key`] when set (the destination is then reached
    /// through an SSH tunnel).
    pub tunnel_host: Option<String>,
    /// `INCOMPLETE`, `CONNECTED` or `BROKEN`.
    pub setup_status: &'static str,
}

impl Destination {
    pub(crate) fn for_group(group_id: &str) -> Self {
        Destination {
            id: group_id.to_string(),
            service: "snowflake".into(),
            region: "GCP_US_EAST4".into(),
            host: format!("{group_id}.snowflakecomputing.com"),
            tunnel_host: None,
            setup_status: "CONNECTED",
        }
    }

    /// What the setup tests look at.
    pub(crate) fn target(&self) -> Target<'_> {
        Target {
            networking_method: if self.tunnel_host.is_some() {
                "SshTunnel"
            } else {
                "Directly"
            },
            private_link_id: None,
            tunnel_host: self.tunnel_host.as_deref(),
            host: Some(&self.host),
        }
    }

    /// Sets `setup_status` from a test run: `CONNECTED` when every test passed, else
    /// `INCOMPLETE` (or `BROKEN` if it was connected).
    pub(crate) fn settle(&mut self, outcome: &TestOutcome) {
        self.setup_status = if outcome.passed() {
            "CONNECTED"
        } else if self.setup_status == "INCOMPLETE" {
            "INCOMPLETE"
        } else {
            "BROKEN"
        };
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "group_id": self.id,
            "service": self.service,
            "region": self.region,
            "time_zone_offset": "0",
            "setup_status": self.setup_status,
            "daylight_saving_time_enabled": false,
            "networking_method": self.target().networking_method,
            "config": {
                "host": self.host,
                "port": 443,
                "database": "fivetran",
                "auth": "PASSWORD",
                "user": "fivetran_user",
                "password": MASK,
            },
        });
        if let Some(t) = &self.tunnel_host {
            v["config"]["tunnel_host"] = json!(t);
            v["config"]["tunnel_port"] = json!(22);
        }
        v
    }
}
