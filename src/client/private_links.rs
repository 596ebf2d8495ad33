//! `/private-links`: create, details, list, update config, delete.

use std::collections::BTreeMap;

use tokio::time::Instant;

use super::error::not_found_as_none;
use super::http::Call;
use super::models::PrivateLinkUpdate;
use super::retry;
use super::wait::{self, Progress, WaitError};
use super::{Client, Error, NewPrivateLink, Op, PrivateLink};

const LIST: &str = "/private-links";
const ONE: &str = "/private-links/{privateLinkId}";

impl Client {
    /// `POST /private-links`. Never re-sent after a 5xx or a lost connection (Fivetran
    /// allows only a few creations per hour): on such an error, look the link up by name
    /// with [`private_links`](Self::private_links) before creating it again.
    pub async fn create_private_link(
        &self,
        op: &Op,
        link: &NewPrivateLink,
    ) -> Result<PrivateLink, Error> {
        self.fetch(op, Call::post_create(LIST, &[], link)).await
    }

    /// Creates the link, recovering from failures that may hide a created link, using that
    /// names are unique: after a lost answer (5xx, reset connection) or a 409 (the name is
    /// taken, e.g. by an earlier run killed before it recorded the id), the link is looked up
    /// by name and adopted if it has the same region and service; if it is not there, the POST
    /// is sent again with the usual backoff, since nothing was created. Returns the link and
    /// whether it was adopted rather than created by this call.
    pub async fn create_private_link_by_name(
        &self,
        op: &Op,
        link: &NewPrivateLink,
    ) -> Result<(PrivateLink, bool), Error> {
        let find_same = || async {
            let all = self.private_links(op).await?;
            let Some(found) = all.into_iter().find(|l| {
                l.name == link.name && l.region == link.region && l.service == link.service
            }) else {
                return Ok(None);
            };
            // List items carry no `config` (fixture private_link_list_200.json): read the
            // details so that the adopted link is as complete as a created one.
            not_found_as_none(self.private_link(op, &found.id).await)
        };
        retry::create_or_adopt(
            op,
            &self.inner.retry,
            &self.inner.counters,
            || self.create_private_link(op, link),
            find_same,
        )
        .await
    }

    /// `GET /private-links/{id}`.
    pub async fn private_link(&self, op: &Op, id: &str) -> Result<PrivateLink, Error> {
        self.fetch(op, Call::get(ONE, &[id])).await
    }

    /// `GET /private-links`, every page. List items carry no `config`.
    pub async fn private_links(&self, op: &Op) -> Result<Vec<PrivateLink>, Error> {
        self.list(op, LIST, &[], &[]).await
    }

    /// `PATCH /private-links/{id}` with a new `config`; the link goes to `UPDATING`.
    pub async fn update_private_link(
        &self,
        op: &Op,
        id: &str,
        config: &BTreeMap<String, String>,
    ) -> Result<PrivateLink, Error> {
        self.fetch(op, Call::patch(ONE, &[id], &PrivateLinkUpdate { config }))
            .await
    }

    /// `DELETE /private-links/{id}`; the link goes to `DESTROYING`, then is gone (404).
    pub async fn delete_private_link(&self, op: &Op, id: &str) -> Result<(), Error> {
        self.send(op, Call::delete(ONE, &[id])).await
    }

    /// [`update_private_link`](Self::update_private_link), sent again on the waiter's
    /// schedule while the API answers `IllegalState` (the link is still `CREATING` or
    /// `UPDATING`), within the operation's deadline.
    pub async fn update_private_link_when_settled(
        &self,
        op: &Op,
        id: &str,
        config: &BTreeMap<String, String>,
    ) -> Result<PrivateLink, WaitError<PrivateLink>> {
        let started = Instant::now();
        let call = Call::patch(ONE, &[id], &PrivateLinkUpdate { config }).until_settled();
        settled(op, started, self.fetch(op, call).await)
    }

    /// Deletes the link and waits until it is gone. A link that is not settled yet
    /// (`IllegalState`) is deleted once the API accepts it; one that is gone already (404)
    /// counts as deleted.
    pub async fn delete_private_link_when_settled(
        &self,
        op: &Op,
        id: &str,
    ) -> Result<(), WaitError<PrivateLink>> {
        let started = Instant::now();
        let call = Call::delete(ONE, &[id]).until_settled();
        match settled(op, started, self.send(op, call).await) {
            Ok(()) => {}
            Err(WaitError::Api(e)) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(e),
        }
        self.wait_until_private_link_deleted(op, id).await
    }

    /// Polls the link until it is settled: `OK` or `FAIL` (or `DESTROYING`, which no
    /// request can change), the states in which the API accepts a PATCH or DELETE. A link
    /// that is gone ends the wait with [`WaitError::Api`] holding the 404.
    pub async fn wait_until_private_link_settled(
        &self,
        op: &Op,
        id: &str,
    ) -> Result<PrivateLink, WaitError<PrivateLink>> {
        self.poll_private_link(op, id, PrivateLink::settledness)
            .await
    }

    /// Polls the link until it is `OK` (see [`PrivateLink::readiness`]), on the
    /// configured schedule, within the operation's deadline.
    pub async fn wait_until_private_link_ready(
        &self,
        op: &Op,
        id: &str,
    ) -> Result<PrivateLink, WaitError<PrivateLink>> {
        self.poll_private_link(op, id, PrivateLink::readiness).await
    }

    /// Polls the link on the configured schedule, within the operation's deadline, until
    /// `progress` says it is done.
    async fn poll_private_link(
        &self,
        op: &Op,
        id: &str,
        progress: fn(&PrivateLink) -> Progress,
    ) -> Result<PrivateLink, WaitError<PrivateLink>> {
        wait::until(
            op,
            self.poll_policy(),
            || self.private_link(op, id),
            progress,
        )
        .await
    }

    /// Polls the link until it is gone (404) after a deletion.
    pub async fn wait_until_private_link_deleted(
        &self,
        op: &Op,
        id: &str,
    ) -> Result<(), WaitError<PrivateLink>> {
        let state = |l: &PrivateLink| Progress::Pending {
            state: l.state.to_string(),
        };
        wait::until_gone(op, self.poll_policy(), || self.private_link(op, id), state).await
    }
}

/// The outcome of a call sent until the link settled (started at `started`), as the
/// outcome of a wait: still refused as `IllegalState` at the deadline is a timeout with
/// that as the last state.
fn settled<T>(
    op: &Op,
    started: Instant,
    answer: Result<T, Error>,
) -> Result<T, WaitError<PrivateLink>> {
    answer.map_err(|e| match e {
        e if e.is_illegal_state() => WaitError::Timeout {
            what: op.what.clone(),
            waited: started.elapsed(),
            last_state: Some(format!(
                "busy (IllegalState: {})",
                e.message().unwrap_or("not settled")
            )),
            last_error: None,
        },
        Error::Cancelled { .. } => WaitError::Cancelled {
            what: op.what.clone(),
            last_state: None,
        },
        e @ Error::Timeout { .. } => WaitError::Timeout {
            what: op.what.clone(),
            waited: started.elapsed(),
            last_state: None,
            last_error: Some(Box::new(e)),
        },
        e => WaitError::Api(e),
    })
}

#[cfg(test)]
#[path = "private_links_tests.rs"]
mod tests;
