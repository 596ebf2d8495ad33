//! Certificates and fingerprints approved for a connection or a destination: approve,
//! list, find, revoke.
//!
//! Hashes are standard base64 and may hold `/` and `+`, so they never go into a path: a
//! percent-encoded slash is refused by many servlet containers, and the spec says the
//! `{hash}` path parameter is the approval's `id` (the Base64URL form). An approval is
//! found in its parent's list (one request for up to a page of approvals) and revoked by
//! the `id` the API gave it (see [`Approval::path_id`]).

use serde::de::DeserializeOwned;

use super::error::Context;
use super::http::Call;
use super::models::{Approval, ApproveCertificate, ApproveFingerprint};
use super::{Certificate, Client, Error, Fingerprint, Op};

/// What certificates and fingerprints are approved for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Parent {
    /// A connection, by id.
    Connection(String),
    /// A destination, by id (the id of its group).
    Destination(String),
}

/// The two path templates of one parent kind and one approval kind.
#[derive(Clone, Copy)]
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

    /// The certificate approved for `hash`, found in the parent's list (so the hash never
    /// goes into a path); [`Error::NotFound`] when it is not approved.
    pub async fn certificate(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Certificate, Error> {
        self.find_approval(op, parent, parent.certificates(), hash)
            .await
    }

    /// `GET …/certificates`, every page.
    pub async fn certificates(&self, op: &Op, parent: &Parent) -> Result<Vec<Certificate>, Error> {
        self.list(op, parent.certificates().list, &[parent.id()], &[])
            .await
    }

    /// `DELETE …/certificates/{id}` for the approval of `hash` (its id from the list);
    /// [`Error::NotFound`] when it is not approved (any more).
    pub async fn revoke_certificate(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<(), Error> {
        let found: Certificate = self
            .find_approval(op, parent, parent.certificates(), hash)
            .await?;
        self.revoke_approval(op, parent, parent.certificates(), &found)
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

    /// The fingerprint approved for `hash`, found in the parent's list.
    pub async fn fingerprint(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Fingerprint, Error> {
        self.find_approval(op, parent, parent.fingerprints(), hash)
            .await
    }

    /// `GET …/fingerprints`, every page.
    pub async fn fingerprints(&self, op: &Op, parent: &Parent) -> Result<Vec<Fingerprint>, Error> {
        self.list(op, parent.fingerprints().list, &[parent.id()], &[])
            .await
    }

    /// `DELETE …/fingerprints/{id}` for the approval of `hash` (its id from the list).
    pub async fn revoke_fingerprint(
        &self,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<(), Error> {
        let found: Fingerprint = self
            .find_approval(op, parent, parent.fingerprints(), hash)
            .await?;
        self.revoke_approval(op, parent, parent.fingerprints(), &found)
            .await
    }

    /// One page walk of the parent's approvals, keeping the one for `hash`.
    async fn find_approval<T>(
        &self,
        op: &Op,
        parent: &Parent,
        paths: Paths,
        hash: &str,
    ) -> Result<T, Error>
    where
        T: Approval + DeserializeOwned,
    {
        let all: Vec<T> = self.list(op, paths.list, &[parent.id()], &[]).await?;
        all.into_iter().find(|a| a.hash() == hash).ok_or_else(|| {
            let path = Call::get(paths.list, &[parent.id()]).path();
            Error::NotFound {
                ctx: Box::new(
                    Context::new(&op.what, "GET", &path)
                        .with_message(format!("no approval with hash {hash:?} in the list")),
                ),
            }
        })
    }

    async fn revoke_approval<T: Approval>(
        &self,
        op: &Op,
        parent: &Parent,
        paths: Paths,
        approval: &T,
    ) -> Result<(), Error> {
        let id = approval.path_id();
        self.send(op, Call::delete(paths.one, &[parent.id(), &id]))
            .await
    }
}

#[cfg(test)]
#[path = "approvals_tests.rs"]
mod tests;
