//! `/groups`: list and details.

use super::http::Call;
use super::{Client, Error, Group, Op};

impl Client {
    /// `GET /groups`, every page.
    pub async fn groups(&self, op: &Op) -> Result<Vec<Group>, Error> {
        self.list(op, "/groups", &[], &[]).await
    }

    /// `GET /groups/{id}`.
    pub async fn group(&self, op: &Op, id: &str) -> Result<Group, Error> {
        self.fetch(op, Call::get("/groups/{groupId}", &[id])).await
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
