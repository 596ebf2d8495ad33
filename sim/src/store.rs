//! The in-memory inventory: groups, destinations, private links, connections and
//! approvals. Plain maps plus a creation sequence number that orders list pages.
//!
//! Knows nothing of locking or HTTP; callers hold the store lock and pass the instant.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime};

use crate::error::ApiError;
use crate::model::approval::{Approvals, ApprovedCert, ApprovedFingerprint, ParentKind};
use crate::model::connection::{Connection, METADATA_CONNECTION};
use crate::model::destination::Destination;
use crate::model::group::Group;
use crate::model::private_link::PrivateLink;
use crate::model::test_run::TestOutcome;
use crate::model::Timeline;
use crate::time::Clock;

/// A missing private link: plain `404 NotFound` "Private Link not found", the spec's
/// wording (`#/paths/~1v1~1private-links~1{privateLinkId}/get/responses/404`, same for
/// `patch` and `delete`).
pub(crate) fn link_not_found() -> ApiError {
    ApiError::missing("Private Link not found")
}

#[derive(Default)]
pub(crate) struct Store {
    seq: u64,
    pub groups: BTreeMap<String, Group>,
    pub destinations: BTreeMap<String, Destination>,
    pub links: BTreeMap<String, PrivateLink>,
    pub connections: BTreeMap<String, Connection>,
    pub approvals: BTreeMap<(ParentKind, String), Approvals>,
    /// The timelines of deleted private links, ending in `(gone)`: tests prove orders of
    /// events from them after the object no longer exists.
    pub gone: BTreeMap<String, Timeline>,
}

impl Store {
    /// The next creation sequence number (strictly increasing).
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub(crate) fn id_taken(&self, id: &str) -> bool {
        self.groups.contains_key(id)
            || self.links.contains_key(id)
            || self.connections.contains_key(id)
    }

    /// Applies every due private-link transition and forgets destroyed links (keeping
    /// their timelines in `gone`).
    pub(crate) fn advance(&mut self, now: Instant, clock: &Clock) {
        let gone = &mut self.gone;
        self.links.retain(|id, l| {
            let destroyed = l.advance(now, clock);
            if destroyed {
                gone.insert(id.clone(), l.timeline.clone());
            }
            !destroyed
        });
    }

    /// A private link after applying its due transition.
    pub(crate) fn link(
        &mut self,
        id: &str,
        now: Instant,
        clock: &Clock,
    ) -> Result<&mut PrivateLink, ApiError> {
        let gone = match self.links.get_mut(id) {
            Some(l) => l.advance(now, clock),
            None => return Err(link_not_found()),
        };
        if gone {
            if let Some(l) = self.links.remove(id) {
                self.gone.insert(id.to_string(), l.timeline);
            }
        }
        self.links.get_mut(id).ok_or_else(link_not_found)
    }

    pub(crate) fn group(&self, id: &str) -> Result<&Group, ApiError> {
        self.groups
            .get(id)
            .ok_or_else(|| ApiError::not_found("Group", id))
    }

    /// A destination: a missing one answers `404 NotFound_Destination` (fixtures
    /// `destinations-groups/reconstructed_destination_details_404.json`, from the official
    /// provider's e2e CheckDestroy; README behaviour 4).
    pub(crate) fn destination(&mut self, id: &str) -> Result<&mut Destination, ApiError> {
        self.destinations
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("Destination", id))
    }

    /// The ids of a group's connections, in creation order.
    pub(crate) fn connections_of(&self, group_id: &str) -> Vec<String> {
        let mut found: Vec<(u64, String)> = self
            .connections
            .values()
            .filter(|c| c.group_id == group_id)
            .map(|c| (c.seq, c.id.clone()))
            .collect();
        found.sort();
        found.into_iter().map(|(_, id)| id).collect()
    }

    /// The group's `fivetran_metadata` connection, added if it has none (see
    /// [`METADATA_CONNECTION`]); returns its id. `new_id` names a new one.
    pub(crate) fn ensure_metadata_connection(
        &mut self,
        group_id: &str,
        new_id: impl FnOnce(&Store) -> String,
        connected_by: &str,
        at: SystemTime,
    ) -> String {
        let (_, schema) = METADATA_CONNECTION;
        if let Some(c) = self
            .connections
            .values()
            .find(|c| c.group_id == group_id && c.schema == schema)
        {
            return c.id.clone();
        }
        let id = new_id(self);
        let seq = self.next_seq();
        let conn = Connection::metadata(id.clone(), seq, group_id, connected_by, at);
        self.connections.insert(id.clone(), conn);
        id
    }

    /// A connection for details, update and setup tests: a missing one answers
    /// `404 NotFound_Connector` "Cannot find entity 'Connector' with id '…'" (reference doc
    /// 3.6, official provider issue #385). `DELETE` answers `NotFound_Integration` instead
    /// (fixture `connection_delete_404.json`); see `routes::connections::delete`.
    pub(crate) fn connection(&mut self, id: &str) -> Result<&mut Connection, ApiError> {
        self.connections
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("Connector", id))
    }

    /// Checks that the parent of an approval exists. Approval endpoints answer a plain
    /// `404 NotFound` (the README of the fixtures lists plain `NotFound` among the codes
    /// seen; which code the real API gives for a missing *parent* on these endpoints is not
    /// recorded, thin evidence: the plain code, as for a missing approval).
    pub(crate) fn parent_exists(&self, kind: ParentKind, id: &str) -> Result<(), ApiError> {
        let exists = match kind {
            ParentKind::Connection => self.connections.contains_key(id),
            ParentKind::Destination => self.destinations.contains_key(id),
        };
        if exists {
            Ok(())
        } else {
            Err(ApiError::missing(format!(
                "{} with id '{id}' not found",
                kind.entity()
            )))
        }
    }

    /// The approvals of a parent (created empty on first use).
    pub(crate) fn approvals_mut(&mut self, kind: ParentKind, id: &str) -> &mut Approvals {
        self.approvals.entry((kind, id.to_string())).or_default()
    }

    /// The approvals of a parent, if any.
    pub(crate) fn approvals(&self, kind: ParentKind, id: &str) -> Option<&Approvals> {
        self.approvals.get(&(kind, id.to_string()))
    }

    /// Stores the approvals that trusting produced during a setup-test run.
    pub(crate) fn record_trust(
        &mut self,
        kind: ParentKind,
        id: &str,
        outcome: TestOutcome,
        validated_by: &str,
        at: SystemTime,
    ) {
        if let Some(details) = outcome.trusted_certificate {
            let seq = self.next_seq();
            let cert = ApprovedCert {
                seq,
                details,
                validated_by: validated_by.to_string(),
                validated_at: at,
            };
            self.approvals_mut(kind, id)
                .certificates
                .insert(cert.details.hash.clone(), cert);
        }
        if let Some(key) = outcome.trusted_fingerprint {
            let seq = self.next_seq();
            let fp = ApprovedFingerprint {
                seq,
                hash: key.hash.clone(),
                public_key: key.public_key,
                validated_by: validated_by.to_string(),
                validated_at: at,
            };
            self.approvals_mut(kind, id)
                .fingerprints
                .insert(key.hash, fp);
        }
    }
}
