//! `/private-links`: create, details, list, update config, delete.

use std::collections::BTreeMap;

use super::http::Call;
use super::models::PrivateLinkUpdate;
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

    /// Polls the link until it is `OK` (see [`PrivateLink::readiness`]), on the
    /// configured schedule, within the operation's deadline.
    pub async fn wait_until_private_link_ready(
        &self,
        op: &Op,
        id: &str,
    ) -> Result<PrivateLink, WaitError<PrivateLink>> {
        wait::until(
            op,
            self.poll_policy(),
            || self.private_link(op, id),
            PrivateLink::readiness,
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

#[cfg(test)]
#[path = "private_links_tests.rs"]
mod tests;
