//! [`Admin`] methods for destinations and what Fivetran does to their groups on its own
//! (kept apart from `admin.rs`, which is already long): what their setup tests look at,
//! out-of-band changes and deletion, and the `fivetran_metadata` connection.

use serde_json::{Map, Value};

use crate::admin::{Admin, AdminError};
use crate::model::approval::ParentKind;
use crate::model::connection::SetupState;
use crate::model::destination::Destination;
use crate::model::destination_config::shown;
use crate::shared::lock;

impl Admin {
    fn with_destination<T>(
        &self,
        id: &str,
        change: impl FnOnce(&mut Destination) -> Result<T, AdminError>,
    ) -> Result<T, AdminError> {
        let mut store = lock(&self.shared.store);
        let d = store
            .destinations
            .get_mut(id)
            .ok_or_else(|| AdminError::NotFound("destination", id.to_string()))?;
        change(d)
    }

    /// Sets the host a destination's setup tests connect to (it presents
    /// [`crate::presented_certificate`]`(host)`): its config's `host` (Databricks:
    /// `server_host_name`). `Some(tunnel)`: the destination is reached through an SSH tunnel
    /// (`networking_method` `SshTunnel`, config `tunnel_host` and `tunnel_port`) whose host
    /// presents [`crate::presented_host_key`]`(tunnel)` first; `None`: no tunnel (an
    /// `SshTunnel` destination goes back to `Directly`).
    pub fn set_destination_host(
        &self,
        id: &str,
        host: &str,
        tunnel_host: Option<&str>,
    ) -> Result<(), AdminError> {
        if host.trim().is_empty() {
            return Err(AdminError::Invalid("host must not be empty".into()));
        }
        self.with_destination(id, |d| {
            let key = d.host_key();
            d.config.insert(key.into(), Value::String(host.to_string()));
            match tunnel_host {
                Some(t) => {
                    d.config
                        .insert("tunnel_host".into(), Value::String(t.to_string()));
                    d.config
                        .insert("tunnel_port".into(), Value::String("22".into()));
                    d.networking_method = Some("SshTunnel".into());
                    d.private_link_id = None;
                }
                None => {
                    d.config.remove("tunnel_host");
                    d.config.remove("tunnel_port");
                    if d.method() == "SshTunnel" {
                        d.networking_method = Some("Directly".into());
                    }
                }
            }
            Ok(())
        })
    }

    /// A destination's `setup_status` as answers spell it (`None` when unknown).
    pub fn destination_setup_status(&self, id: &str) -> Option<String> {
        let store = lock(&self.shared.store);
        store.destinations.get(id).map(Destination::status_text)
    }

    /// A destination's config as stored (after the API's rewrites), secrets masked as
    /// answers mask them (`None` when unknown).
    pub fn destination_config(&self, id: &str) -> Option<Map<String, Value>> {
        let store = lock(&self.shared.store);
        store.destinations.get(id).map(|d| shown(&d.config))
    }

    /// Sets (or with `None` removes) one config key of a destination, as given: no
    /// rewrite, no rule.
    pub fn set_destination_config(
        &self,
        id: &str,
        key: &str,
        value: Option<Value>,
    ) -> Result<(), AdminError> {
        self.with_destination(id, |d| {
            match value {
                Some(v) => d.config.insert(key.to_string(), v),
                None => d.config.remove(key),
            };
            Ok(())
        })
    }

    /// Sets one top-level field of a destination out of band, without the API's rules:
    /// `region`, `time_zone_offset`, `setup_status` (`incomplete`, `connected`, `broken`,
    /// either case), `daylight_saving_time_enabled`, and (string or null)
    /// `networking_method` (null: answered without it, as some existing destinations are,
    /// behaviour 18), `private_link_id`, `proxy_agent_id`, `hybrid_deployment_agent_id`.
    pub fn set_destination_field(
        &self,
        id: &str,
        field: &str,
        value: &Value,
    ) -> Result<(), AdminError> {
        let at = self.shared.now_system();
        let bad = || {
            AdminError::Invalid(format!(
                "invalid value {value} for destination field '{field}'"
            ))
        };
        let string = || value.as_str().map(str::to_string).ok_or_else(bad);
        let opt_string = || match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(bad()),
        };
        self.with_destination(id, |d| {
            match field {
                "region" => d.region = string()?,
                "time_zone_offset" => d.time_zone_offset = string()?,
                "networking_method" => d.networking_method = opt_string()?,
                "daylight_saving_time_enabled" => {
                    d.daylight_saving_time_enabled = value.as_bool().ok_or_else(bad)?;
                }
                "setup_status" => {
                    let st = SetupState::parse(&string()?.to_ascii_lowercase()).ok_or_else(bad)?;
                    d.setup_status = st;
                    d.timeline
                        .enter(st.as_str(), at, st == SetupState::Connected);
                }
                "private_link_id" => d.private_link_id = opt_string()?,
                "proxy_agent_id" => d.proxy_agent_id = opt_string()?,
                "hybrid_deployment_agent_id" => d.hybrid_deployment_agent_id = opt_string()?,
                _ => {
                    return Err(AdminError::Invalid(format!(
                        "unknown destination field '{field}'"
                    )))
                }
            }
            Ok(())
        })
    }

    /// Deletes a destination at once, whatever its group holds (its group stays; its
    /// approvals go), as a deletion outside Terraform would.
    pub fn delete_destination(&self, id: &str) -> Result<(), AdminError> {
        let mut store = lock(&self.shared.store);
        store
            .destinations
            .remove(id)
            .ok_or_else(|| AdminError::NotFound("destination", id.to_string()))?;
        store
            .approvals
            .remove(&(ParentKind::Destination, id.to_string()));
        Ok(())
    }

    /// Adds to a group the `fivetran_metadata` connection Fivetran may create on its own
    /// (what the knob `destination_metadata_connection` does when a destination is
    /// created); returns its id, the existing one's if the group already has it.
    pub fn add_metadata_connection(&self, group_id: &str) -> Result<String, AdminError> {
        let at = self.shared.now_system();
        let mut store = lock(&self.shared.store);
        if !store.groups.contains_key(group_id) {
            return Err(AdminError::NotFound("group", group_id.to_string()));
        }
        let user = self.shared.user_id.clone();
        Ok(store.ensure_metadata_connection(group_id, |st| self.shared.new_id(st), &user, at))
    }
}
