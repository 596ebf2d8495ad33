//! `/destinations`: create (adopting one a lost answer hid), read, list, update, delete
//! (its setup tests: `tested.rs`; its certificates and fingerprints: `approvals.rs`).

use super::error::not_found_as_none;
use super::http::Call;
use super::retry;
use super::{Client, Destination, DestinationUpdate, Error, NewDestination, Op};

const LIST: &str = "/destinations";
pub(super) const ONE: &str = "/destinations/{destinationId}";

impl Client {
    /// `POST /destinations`. Never re-sent after a 5xx or a lost connection; see
    /// [`create_destination_for_group`](Self::create_destination_for_group).
    pub async fn create_destination(
        &self,
        op: &Op,
        new: &NewDestination,
    ) -> Result<Destination, Error> {
        self.fetch(op, Call::post_create(LIST, &[], new).accept_v2())
            .await
    }

    /// Creates the destination, recovering from failures that may hide a created one: a
    /// destination's id is its group's, so after a lost answer or a 409 the group's
    /// destination is read and adopted when it is of the same service. Returns it and
    /// whether it was adopted.
    pub async fn create_destination_for_group(
        &self,
        op: &Op,
        new: &NewDestination,
    ) -> Result<(Destination, bool), Error> {
        let find_same = || async {
            let group_has = not_found_as_none(self.destination(op, &new.group_id).await)?;
            Ok(group_has.filter(|d| d.service.as_deref() == Some(new.service.as_str())))
        };
        retry::create_or_adopt(
            op,
            &self.inner.retry,
            &self.inner.counters,
            || self.create_destination(op, new),
            find_same,
        )
        .await
    }

    /// `GET /destinations/{id}`: the destination, with its `setup_status`.
    pub async fn destination(&self, op: &Op, id: &str) -> Result<Destination, Error> {
        self.fetch(op, Call::get(ONE, &[id]).accept_v2()).await
    }

    /// `GET /destinations`, every page (items carry no `config` nor `setup_tests`).
    pub async fn destinations(&self, op: &Op) -> Result<Vec<Destination>, Error> {
        self.list(op, LIST, &[], &[]).await
    }

    /// `PATCH /destinations/{id}` with only the fields set in `update`.
    pub async fn update_destination(
        &self,
        op: &Op,
        id: &str,
        update: &DestinationUpdate,
    ) -> Result<Destination, Error> {
        self.fetch(op, Call::patch(ONE, &[id], update).accept_v2())
            .await
    }

    /// `DELETE /destinations/{id}`: refused (409) while the group has connections.
    pub async fn delete_destination(&self, op: &Op, id: &str) -> Result<(), Error> {
        self.send(op, Call::delete(ONE, &[id])).await
    }
}

#[cfg(test)]
mod tests {
    use fivetran_sim::{presented_certificate, SimConfig};

    use super::super::test_support::{op, start};
    use super::super::{Destination, SetupTestStatus};

    #[tokio::test]
    async fn runs_the_destination_setup_tests_with_their_details() {
        let (sim, client) = start(SimConfig::instant());
        let op = op("testing the destination");
        let g = sim.group_id().to_string();
        sim.admin()
            .set_destination_host(&g, "db-7.example.com", None)
            .expect("destination");
        let d = client
            .run_setup_tests::<Destination>(&op, &g, None, None)
            .await
            .expect("tests ran");
        assert_eq!(d.id, g);
        let failed = d
            .setup_tests
            .iter()
            .find(|t| t.status == SetupTestStatus::Failed)
            .expect("the certificate test fails");
        let cert = presented_certificate("db-7.example.com");
        assert_eq!(failed.details[0]["hash"], cert.hash.as_str());
        let missing = client
            .run_setup_tests::<Destination>(&op, "missing", None, None)
            .await;
        assert!(missing.is_err_and(|e| e.is_not_found()));
    }

    #[tokio::test]
    async fn reads_the_setup_status_the_last_tests_left() {
        let (sim, client) = start(SimConfig::instant());
        let op = op("reading the destination");
        let g = sim.group_id().to_string();
        sim.admin()
            .set_destination_host(&g, "db-8.example.com", None)
            .expect("destination");
        let tested = client
            .run_setup_tests::<Destination>(&op, &g, Some(true), None)
            .await
            .expect("tests ran");
        let read = client.destination(&op, &g).await.expect("read");
        assert_eq!(read.id, g);
        assert_eq!(read.setup_status, tested.setup_status);
        assert!(
            read.setup_status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("connected")),
            "{read:?}"
        );
        let missing = client.destination(&op, "missing").await;
        assert!(missing.is_err_and(|e| e.is_not_found()));
    }
}
