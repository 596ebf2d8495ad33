//! [`Admin`] methods for destinations (kept apart from `admin.rs`, which is already long):
//! what their setup tests look at, and their setup status.

use crate::admin::{Admin, AdminError};
use crate::shared::lock;

impl Admin {
    /// Sets the host a destination's setup tests connect to (it presents
    /// [`crate::presented_certificate`]`(host)`) and its SSH tunnel host (`Some`: it
    /// presents [`crate::presented_host_key`]`(tunnel)` first; `None`: no tunnel).
    pub fn set_destination_host(
        &self,
        id: &str,
        host: &str,
        tunnel_host: Option<&str>,
    ) -> Result<(), AdminError> {
        if host.trim().is_empty() {
            return Err(AdminError::Invalid("host must not be empty".into()));
        }
        let mut store = lock(&self.shared.store);
        let d = store
            .destinations
            .get_mut(id)
            .ok_or_else(|| AdminError::NotFound("destination", id.to_string()))?;
        d.host = host.to_string();
        d.tunnel_host = tunnel_host.map(str::to_string);
        Ok(())
    }

    /// A destination's `setup_status` (`None` when unknown).
    pub fn destination_setup_status(&self, id: &str) -> Option<String> {
        let store = lock(&self.shared.store);
        store
            .destinations
            .get(id)
            .map(|d| d.setup_status.to_string())
    }
}
