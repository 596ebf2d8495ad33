//! [`Admin`] methods for destinations (kept apart from `admin.rs`, which is already long):
//! what their setup tests look at, and their setup status.

use serde_json::Value;

use crate::admin::{Admin, AdminError};
use crate::model::destination::Destination;
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
}
