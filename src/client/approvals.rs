//! Certificates and fingerprints approved for a connection or a destination: approve,
//! details, list, revoke. Hashes are base64 and may hold `/` and `+`: they are
//! percent-encoded in paths like every parameter.

use super::http::Call;
use super::models::{ApproveCertificate, ApproveFingerprint};
use super::{Certificate, Client, Error, Fingerprint, Op};

/// What certificates and fingerprints are approved for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Parent {
    /// A connection, by id.
    Connection(String),
    /// A destination, by id (the id of its group).
    Destination(String),
}

/// The four path templates of one parent kind and one approval kind.
struct Paths {
    list: &'static str,
    one: &'static str,
}

impl Parent {
    fn id(&self) -> &str {
        match self {
            Parent::Connection(id) | Parent::Destination(id) => id,
        }
    }

    fn certificates(&self) -> Paths {
        match self {
            Parent::Connection(_) => Paths {
                list: "/connections/{connectionId}/certificates",
                one: "/connections/{connectionId}/certificates/{hash}",
            },
            Parent::Destination(_) => Paths {
                list: "/destinations/{destinationId}/certificates",
                one: "/destinations/{destinationId}/certificates/{hash}",
            },
        }
    }

    fn fingerprints(&self) -> Paths {
        match self {
            Parent::Connection(_) => Paths {
                list: "/connections/{connectionId}/fingerprints",
                one: "/connections/{connectionId}/fingerprints/{hash}",
            },
            Parent::Destination(_) => Paths {
                list: "/destinations/{destinationId}/fingerprints",
                one: "/destinations/{destinationId}/fingerprints/{hash}",
            },
        }
    }
}

impl Client {
    /// `POST …/certificates`: approves the certificate `hash` (`encoded_cert` is its
    /// base64). Keyed by the hash, so safe to re-send.
    pub async fn approve_certificate(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
        encoded_cert: &str,
    ) -> Result<Certificate, Error> {
        let body = ApproveCertificate { hash, encoded_cert };
        let call = Call::post_repeatable(parent.certificates().list, &[parent.id()], &body);
        self.fetch(op, call).await
    }

    /// `GET …/certificates/{hash}`.
    pub async fn certificate(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Certificate, Error> {
        self.fetch(
            op,
            Call::get(parent.certificates().one, &[parent.id(), hash]),
        )
        .await
    }

    /// `GET …/certificates`, every page.
    pub async fn certificates(&self, op: &Op, parent: &Parent) -> Result<Vec<Certificate>, Error> {
        self.list(op, parent.certificates().list, &[parent.id()], &[])
            .await
    }

    /// `DELETE …/certificates/{hash}`.
    pub async fn revoke_certificate(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<(), Error> {
        self.send(
            op,
            Call::delete(parent.certificates().one, &[parent.id(), hash]),
        )
        .await
    }

    /// `POST …/fingerprints`: approves the SSH host key `hash` (`public_key` is the key).
    /// Keyed by the hash, so safe to re-send.
    pub async fn approve_fingerprint(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
        public_key: &str,
    ) -> Result<Fingerprint, Error> {
        let body = ApproveFingerprint { hash, public_key };
        let call = Call::post_repeatable(parent.fingerprints().list, &[parent.id()], &body);
        self.fetch(op, call).await
    }

    /// `GET …/fingerprints/{hash}`.
    pub async fn fingerprint(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Fingerprint, Error> {
        self.fetch(
            op,
            Call::get(parent.fingerprints().one, &[parent.id(), hash]),
        )
        .await
    }

    /// `GET …/fingerprints`, every page.
    pub async fn fingerprints(&self, op: &Op, parent: &Parent) -> Result<Vec<Fingerprint>, Error> {
        self.list(op, parent.fingerprints().list, &[parent.id()], &[])
            .await
    }

    /// `DELETE …/fingerprints/{hash}`.
    pub async fn revoke_fingerprint(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<(), Error> {
        self.send(
            op,
            Call::delete(parent.fingerprints().one, &[parent.id(), hash]),
        )
        .await
    }
}

#[cfg(test)]
#[path = "approvals_tests.rs"]
mod tests;
