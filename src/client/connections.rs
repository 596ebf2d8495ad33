//! `/connections`: create, details, list, update, delete (setup tests: `tested.rs`).

use super::http::Call;
use super::retry;
use super::{Client, Connection, ConnectionUpdate, Error, NewConnection, Op};

const LIST: &str = "/connections";
pub(super) const ONE: &str = "/connections/{connectionId}";

impl Client {
    /// Creates the connection, recovering from failures that may hide a created one, using
    /// that destination schema names are unique per group: after a lost answer (5xx, reset
    /// connection) or a 409 (the name is taken, e.g. by an earlier run killed before it
    /// recorded the id), the connection named `schema` in the group is looked up and adopted if
    /// it has the same service; if there is none, the POST is sent again with the usual
    /// backoff, since nothing was created. Returns the connection (with its details) and
    /// whether it was adopted rather than created by this call.
    pub async fn create_connection_by_schema(
        &self,
        op: &Op,
        new: &NewConnection,
        schema: &str,
    ) -> Result<(Connection, bool), Error> {
        let find_same = || async {
            let named = self.connections(op, &new.group_id, Some(schema)).await?;
            match named
                .into_iter()
                .find(|c| c.schema.eq_ignore_ascii_case(schema) && c.service == new.service)
            {
                Some(found) => self.connection(op, &found.id).await.map(Some),
                None => Ok(None),
            }
        };
        retry::create_or_adopt(
            op,
            &self.inner.retry,
            &self.inner.counters,
            || self.create_connection(op, new),
            find_same,
        )
        .await
    }

    /// `POST /connections`. Setup tests run inside this request when
    /// `run_setup_tests` is set (it can take minutes). Never re-sent after a 5xx or a
    /// lost connection: on such an error, look the connection up by group and schema
    /// with [`connections`](Self::connections) before creating it again.
    pub async fn create_connection(
        &self,
        op: &Op,
        new: &NewConnection,
    ) -> Result<Connection, Error> {
        self.fetch(op, Call::post_create(LIST, &[], new)).await
    }

    /// `GET /connections/{id}` (version 2 of the answer).
    pub async fn connection(&self, op: &Op, id: &str) -> Result<Connection, Error> {
        self.fetch(op, Call::get(ONE, &[id]).accept_v2()).await
    }

    /// `GET /connections?group_id=…[&schema=…]`, every page.
    pub async fn connections(
        &self,
        op: &Op,
        group_id: &str,
        schema: Option<&str>,
    ) -> Result<Vec<Connection>, Error> {
        let mut query = vec![("group_id", group_id.to_string())];
        if let Some(s) = schema {
            query.push(("schema", s.to_string()));
        }
        self.list(op, LIST, &[], &query).await
    }

    /// `PATCH /connections/{id}` with only the fields set in `update`.
    pub async fn update_connection(
        &self,
        op: &Op,
        id: &str,
        update: &ConnectionUpdate,
    ) -> Result<Connection, Error> {
        self.fetch(op, Call::patch(ONE, &[id], update)).await
    }

    /// `DELETE /connections/{id}`.
    pub async fn delete_connection(&self, op: &Op, id: &str) -> Result<(), Error> {
        self.send(op, Call::delete(ONE, &[id])).await
    }
}

#[cfg(test)]
#[path = "connections_tests.rs"]
mod tests;
