//! [`Admin`], the in-process handle for tests: counters, the request log, the inventory,
//! knobs, scripted faults, out-of-band changes and timelines. The HTTP admin API under
//! `/_sim` (see `routes/admin.rs`) calls the same methods.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::behaviour::{RequestRecord, ScriptedFault};
use crate::config::{FaultKind, Knobs};
use crate::model::approval::{Approvals, ParentKind};
use crate::model::connection::{masked, SetupState};
use crate::model::destination::View;
use crate::model::private_link::LinkState;
use crate::model::Timeline;
use crate::shared::{lock, Shared};

/// Why an admin operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// No object with that id (or hash).
    #[error("no {0} with id '{1}'")]
    NotFound(&'static str, String),
    /// The requested change does not make sense.
    #[error("{0}")]
    Invalid(String),
}

/// Request counters: the total and one count per endpoint key
/// (`"POST /v1/private-links"`, `"GET /v1/private-links/{privateLinkId}"`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Every request received under `/v1` (and unmatched paths), whatever the answer.
    pub total: u64,
    /// Per endpoint key.
    pub endpoints: BTreeMap<String, u64>,
}

/// In-process control of a running simulator. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Admin {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin")
            .field("group_id", &self.shared.group_id)
            .finish()
    }
}

impl Admin {
    /// The starting group (and destination) id.
    pub fn group_id(&self) -> &str {
        &self.shared.group_id
    }

    /// The request counters.
    pub fn counters(&self) -> Counters {
        let b = lock(&self.shared.behaviour);
        Counters {
            total: b.total,
            endpoints: b.counters.clone(),
        }
    }

    /// Requests received for one endpoint key (0 if none).
    pub fn count(&self, endpoint: &str) -> u64 {
        lock(&self.shared.behaviour)
            .counters
            .get(endpoint)
            .copied()
            .unwrap_or(0)
    }

    /// Sets every counter back to zero.
    pub fn reset_counters(&self) {
        lock(&self.shared.behaviour).reset_counters();
    }

    /// The most recent requests, oldest first (no headers, no bodies).
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.behaviour).log()
    }

    /// The current knobs.
    pub fn knobs(&self) -> Knobs {
        self.shared.knobs()
    }

    /// Replaces the knobs; rate-limit windows start afresh.
    pub fn set_knobs(&self, knobs: Knobs) {
        *lock(&self.shared.knobs) = knobs;
        lock(&self.shared.behaviour).reset_windows();
    }

    /// Changes some knobs in place; rate-limit windows start afresh.
    pub fn update_knobs(&self, change: impl FnOnce(&mut Knobs)) {
        let mut k = self.knobs();
        change(&mut k);
        self.set_knobs(k);
    }

    /// Applies a JSON merge patch (RFC 7386) to the knobs, e.g.
    /// `{"provisioning": {"min_ms": 0, "max_ms": 0}, "faults": {"error_503": 0.5}}`.
    pub fn patch_knobs(&self, patch: &Value) -> Result<Knobs, AdminError> {
        let mut current =
            serde_json::to_value(self.knobs()).map_err(|e| AdminError::Invalid(e.to_string()))?;
        merge_patch(&mut current, patch);
        let knobs: Knobs = serde_json::from_value(current)
            .map_err(|e| AdminError::Invalid(format!("invalid knobs: {e}")))?;
        self.set_knobs(knobs.clone());
        Ok(knobs)
    }

    /// Queues `count` faults for the next requests matching `endpoint` (all when `None`).
    pub fn script_fault(&self, endpoint: Option<&str>, kind: FaultKind, count: usize) {
        let mut b = lock(&self.shared.behaviour);
        for _ in 0..count {
            b.scripted.push_back(ScriptedFault {
                endpoint: endpoint.map(str::to_string),
                kind,
            });
        }
    }

    /// Faults injected so far (scripted and random, before and after the handler), per
    /// endpoint key and kind: `{"POST /v1/private-links": {"after-drop": 2, "503": 1}}`.
    /// Unlike the request log, never truncated; [`Admin::reset_counters`] does not clear it.
    pub fn injected_faults(&self) -> BTreeMap<String, BTreeMap<String, u64>> {
        lock(&self.shared.behaviour)
            .injected
            .iter()
            .map(|(e, kinds)| {
                let kinds = kinds.iter().map(|(k, n)| ((*k).to_string(), *n)).collect();
                (e.clone(), kinds)
            })
            .collect()
    }

    /// How many faults of `kind` were injected into requests for `endpoint`.
    pub fn injected(&self, endpoint: &str, kind: FaultKind) -> u64 {
        lock(&self.shared.behaviour)
            .injected
            .get(endpoint)
            .and_then(|k| k.get(kind.as_str()))
            .copied()
            .unwrap_or(0)
    }

    /// Forgets every queued fault.
    pub fn clear_scripted_faults(&self) {
        lock(&self.shared.behaviour).scripted.clear();
    }

    /// The whole inventory as JSON: groups, destinations, private links (with config and
    /// timeline), connections (config masked, with timeline) and approvals per parent.
    pub fn inventory(&self) -> Value {
        let mut store = lock(&self.shared.store);
        store.advance(Instant::now(), &self.shared.clock);
        let links: Vec<Value> = store
            .links
            .values()
            .map(|l| {
                let mut v = l.to_json(true);
                v["timeline"] = l.timeline.to_json();
                v
            })
            .collect();
        let connections: Vec<Value> = store
            .connections
            .values()
            .map(|c| {
                let mut v = c.to_json(true, None);
                v["timeline"] = c.timeline.to_json();
                v
            })
            .collect();
        let approvals: Vec<Value> = store
            .approvals
            .iter()
            .map(|((kind, id), a)| {
                json!({
                    "parent_kind": match kind { ParentKind::Connection => "connection", ParentKind::Destination => "destination" },
                    "parent_id": id,
                    "certificates": a.certificates.values().map(|c| c.to_json()).collect::<Vec<_>>(),
                    "fingerprints": a.fingerprints.values().map(|f| f.to_json()).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "groups": store.groups.values().map(|g| g.to_json()).collect::<Vec<_>>(),
            "destinations": store.destinations.values().map(|d| {
                let mut v = d.to_json(View::Full(d.last_setup_tests.as_deref()));
                v["timeline"] = d.timeline.to_json();
                v
            }).collect::<Vec<_>>(),
            "private_links": links,
            "connections": connections,
            "approvals": approvals,
        })
    }

    /// The timeline of a private link, connection or destination (`None` when unknown;
    /// a destination's states are its `setup_status` values, lower case). A private link
    /// deleted through the API keeps its timeline, ending in a `(gone)` entry.
    pub fn timeline(&self, id: &str) -> Option<Timeline> {
        let mut store = lock(&self.shared.store);
        store.advance(Instant::now(), &self.shared.clock);
        store
            .links
            .get(id)
            .map(|l| l.timeline.clone())
            .or_else(|| store.connections.get(id).map(|c| c.timeline.clone()))
            .or_else(|| store.destinations.get(id).map(|d| d.timeline.clone()))
            .or_else(|| store.gone.get(id).cloned())
    }

    /// A private link's state after applying due transitions (`None` when gone).
    pub fn private_link_state(&self, id: &str) -> Option<String> {
        let mut store = lock(&self.shared.store);
        store.advance(Instant::now(), &self.shared.clock);
        store.links.get(id).map(|l| l.state.as_str().to_string())
    }

    /// A connection's `status.setup_state` (`None` when unknown).
    pub fn connection_setup_state(&self, id: &str) -> Option<String> {
        let store = lock(&self.shared.store);
        store
            .connections
            .get(id)
            .map(|c| c.setup_state.as_str().to_string())
    }

    /// A connection's config as stored, with secrets masked.
    pub fn connection_config(&self, id: &str) -> Option<Map<String, Value>> {
        let store = lock(&self.shared.store);
        store.connections.get(id).map(|c| masked(&c.config))
    }

    /// Whether a connection's stored config key holds exactly `expected`, unmasked
    /// (`None` when the connection or the key does not exist). Lets tests check that a
    /// secret reached the simulator although no answer ever shows it.
    pub fn connection_config_holds(&self, id: &str, key: &str, expected: &Value) -> Option<bool> {
        let store = lock(&self.shared.store);
        store
            .connections
            .get(id)
            .and_then(|c| c.config.get(key))
            .map(|stored| stored == expected)
    }

    /// Sets a private link's state (and optionally its summary) now, cancelling any
    /// pending transition.
    pub fn set_private_link_state(
        &self,
        id: &str,
        state: &str,
        summary: Option<&str>,
    ) -> Result<(), AdminError> {
        let st = LinkState::parse(state)
            .ok_or_else(|| AdminError::Invalid(format!("unknown private link state '{state}'")))?;
        let at = self.shared.now_system();
        let mut store = lock(&self.shared.store);
        let link = store
            .link(id, Instant::now(), &self.shared.clock)
            .map_err(|_| AdminError::NotFound("private link", id.to_string()))?;
        link.force_state(st, summary.map(str::to_string), at);
        Ok(())
    }

    /// Sets (or with `None` removes) one config key of a private link.
    pub fn set_private_link_config(
        &self,
        id: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<(), AdminError> {
        let mut store = lock(&self.shared.store);
        let link = store
            .link(id, Instant::now(), &self.shared.clock)
            .map_err(|_| AdminError::NotFound("private link", id.to_string()))?;
        match value {
            Some(v) => link
                .config
                .insert(key.to_string(), Value::String(v.to_string())),
            None => link.config.remove(key),
        };
        Ok(())
    }

    /// Sets (or with `None` removes) one config key of a connection.
    pub fn set_connection_config(
        &self,
        id: &str,
        key: &str,
        value: Option<Value>,
    ) -> Result<(), AdminError> {
        let mut store = lock(&self.shared.store);
        let conn = store
            .connections
            .get_mut(id)
            .ok_or_else(|| AdminError::NotFound("connection", id.to_string()))?;
        match value {
            Some(v) => conn.config.insert(key.to_string(), v),
            None => conn.config.remove(key),
        };
        Ok(())
    }

    /// Pauses or unpauses a connection regardless of its setup state.
    pub fn pause_connection(&self, id: &str, paused: bool) -> Result<(), AdminError> {
        self.set_connection_field(id, "paused", &Value::Bool(paused))
    }

    /// Sets one top-level field of a connection out of band, without the API's rules:
    /// `paused`, `pause_after_trial`, `sync_frequency`, `data_delay_threshold`,
    /// `schedule_type`, `data_delay_sensitivity`, `networking_method`, `schema`,
    /// `setup_state`, and (string or null) `private_link_id`, `proxy_agent_id`,
    /// `hybrid_deployment_agent_id`, `daily_sync_time`.
    pub fn set_connection_field(
        &self,
        id: &str,
        field: &str,
        value: &Value,
    ) -> Result<(), AdminError> {
        let at = self.shared.now_system();
        let mut store = lock(&self.shared.store);
        let c = store
            .connections
            .get_mut(id)
            .ok_or_else(|| AdminError::NotFound("connection", id.to_string()))?;
        let bad = || {
            AdminError::Invalid(format!(
                "invalid value {value} for connection field '{field}'"
            ))
        };
        let string = || value.as_str().map(str::to_string).ok_or_else(bad);
        let opt_string = || match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(bad()),
        };
        match field {
            "paused" => {
                let p = value.as_bool().ok_or_else(bad)?;
                if p != c.paused {
                    c.timeline
                        .enter(if p { "paused" } else { "unpaused" }, at, false);
                }
                c.paused = p;
            }
            "pause_after_trial" => c.pause_after_trial = value.as_bool().ok_or_else(bad)?,
            "sync_frequency" => c.sync_frequency = value.as_i64().ok_or_else(bad)?,
            "data_delay_threshold" => c.data_delay_threshold = value.as_i64().ok_or_else(bad)?,
            "schedule_type" => c.schedule_type = string()?,
            "data_delay_sensitivity" => c.data_delay_sensitivity = string()?,
            "networking_method" => c.networking_method = string()?,
            "schema" => c.schema = string()?,
            "setup_state" => {
                let s = string()?;
                let st = SetupState::parse(&s).ok_or_else(bad)?;
                c.setup_state = st;
                c.timeline
                    .enter(st.as_str(), at, st == SetupState::Connected);
            }
            "private_link_id" => c.private_link_id = opt_string()?,
            "proxy_agent_id" => c.proxy_agent_id = opt_string()?,
            "hybrid_deployment_agent_id" => c.hybrid_deployment_agent_id = opt_string()?,
            "daily_sync_time" => c.daily_sync_time = opt_string()?,
            _ => {
                return Err(AdminError::Invalid(format!(
                    "unknown connection field '{field}'"
                )))
            }
        }
        Ok(())
    }

    /// Deletes any object by id at once (private link, connection, or group with its
    /// destination), with no `DESTROYING` phase; approvals of a deleted parent go too.
    /// Returns what kind of object it was.
    pub fn delete_object(&self, id: &str) -> Result<&'static str, AdminError> {
        let mut store = lock(&self.shared.store);
        if store.links.remove(id).is_some() {
            return Ok("private_link");
        }
        if store.connections.remove(id).is_some() {
            store
                .approvals
                .remove(&(ParentKind::Connection, id.to_string()));
            return Ok("connection");
        }
        if store.groups.remove(id).is_some() {
            store.destinations.remove(id);
            store
                .approvals
                .remove(&(ParentKind::Destination, id.to_string()));
            return Ok("group");
        }
        Err(AdminError::NotFound("object", id.to_string()))
    }

    /// Revokes an approved certificate out of band.
    pub fn revoke_certificate(
        &self,
        parent: ParentKind,
        parent_id: &str,
        hash: &str,
    ) -> Result<(), AdminError> {
        self.revoke(parent, parent_id, hash, "certificate", |a| {
            &mut a.certificates
        })
    }

    /// Revokes an approved fingerprint out of band.
    pub fn revoke_fingerprint(
        &self,
        parent: ParentKind,
        parent_id: &str,
        hash: &str,
    ) -> Result<(), AdminError> {
        self.revoke(parent, parent_id, hash, "fingerprint", |a| {
            &mut a.fingerprints
        })
    }

    fn revoke<V>(
        &self,
        parent: ParentKind,
        parent_id: &str,
        hash: &str,
        what: &'static str,
        kind: fn(&mut Approvals) -> &mut BTreeMap<String, V>,
    ) -> Result<(), AdminError> {
        let mut store = lock(&self.shared.store);
        store
            .approvals
            .get_mut(&(parent, parent_id.to_string()))
            .and_then(|a| kind(a).remove(hash))
            .map(|_| ())
            .ok_or_else(|| AdminError::NotFound(what, hash.to_string()))
    }

    /// Hashes of the certificates approved for a connection or destination.
    pub fn approved_certificates(&self, parent: ParentKind, parent_id: &str) -> Vec<String> {
        let store = lock(&self.shared.store);
        store
            .approvals(parent, parent_id)
            .map(|a| a.certificates.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Hashes of the fingerprints approved for a connection or destination.
    pub fn approved_fingerprints(&self, parent: ParentKind, parent_id: &str) -> Vec<String> {
        let store = lock(&self.shared.store);
        store
            .approvals(parent, parent_id)
            .map(|a| a.fingerprints.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// RFC 7386: objects merge recursively, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut t = json!({"a": {"b": 1, "c": 2}, "d": [1]});
        merge_patch(&mut t, &json!({"a": {"b": null, "e": 3}, "d": [2]}));
        assert_eq!(t, json!({"a": {"c": 2, "e": 3}, "d": [2]}));
    }
}
