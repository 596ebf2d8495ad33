//! `/groups`: list, details, create (adopting one a lost answer hid), rename, delete, and
//! the group's SSH public key.

use super::http::Call;
use super::models::GroupName;
use super::retry;
use super::{Client, Error, Group, GroupPublicKey, Op};

const LIST: &str = "/groups";
const ONE: &str = "/groups/{groupId}";

impl Client {
    /// `POST /groups`. Never re-sent after a 5xx or a lost connection; see
    /// [`create_group_by_name`](Self::create_group_by_name).
    pub async fn create_group(&self, op: &Op, name: &str) -> Result<Group, Error> {
        self.fetch(op, Call::post_create(LIST, &[], &GroupName { name }))
            .await
    }

    /// Creates the group, recovering from failures that may hide a created one: group names
    /// are unique in an account, so after a lost answer or a 409 the group of that name is
    /// adopted. Returns the group and whether it was adopted.
    pub async fn create_group_by_name(&self, op: &Op, name: &str) -> Result<(Group, bool), Error> {
        let find_same =
            || async { Ok(self.groups(op).await?.into_iter().find(|g| g.name == name)) };
        retry::create_or_adopt(
            op,
            &self.inner.retry,
            &self.inner.counters,
            || self.create_group(op, name),
            find_same,
        )
        .await
    }

    /// `PATCH /groups/{id}`: renames the group in place.
    pub async fn rename_group(&self, op: &Op, id: &str, name: &str) -> Result<Group, Error> {
        self.fetch(op, Call::patch(ONE, &[id], &GroupName { name }))
            .await
    }

    /// `DELETE /groups/{id}`.
    pub async fn delete_group(&self, op: &Op, id: &str) -> Result<(), Error> {
        self.send(op, Call::delete(ONE, &[id])).await
    }

    /// `GET /groups/{id}/public-key`, as the API gives it (a trailing newline included).
    pub async fn group_public_key(&self, op: &Op, id: &str) -> Result<GroupPublicKey, Error> {
        self.fetch(op, Call::get("/groups/{groupId}/public-key", &[id]))
            .await
    }

    /// `GET /groups`, every page.
    pub async fn groups(&self, op: &Op) -> Result<Vec<Group>, Error> {
        self.list(op, LIST, &[], &[]).await
    }

    /// `GET /groups/{id}`.
    pub async fn group(&self, op: &Op, id: &str) -> Result<Group, Error> {
        self.fetch(op, Call::get(ONE, &[id])).await
    }
}

#[cfg(test)]
mod tests {
    use fivetran_sim::SimConfig;

    use super::super::test_support::{op, start};

    #[tokio::test]
    async fn lists_and_reads_groups() {
        let (sim, client) = start(SimConfig::instant());
        let op = op("reading groups");
        let groups = client.groups(&op).await.expect("groups");
        assert!(groups.iter().any(|g| g.id == sim.group_id()), "{groups:?}");
        let group = client.group(&op, sim.group_id()).await.expect("group");
        assert_eq!(group.name, "sim_warehouse");
        assert!(group.created_at.is_some());
        let missing = client.group(&op, "no_such_group").await;
        assert!(
            missing.as_ref().is_err_and(|e| e.is_not_found()),
            "{missing:?}"
        );
    }
}
