//! Approved certificates and SSH fingerprints, kept per connection and per destination.

use std::collections::BTreeMap;
use std::time::SystemTime;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::certs::{certificate_details, PresentedCertificate};
use crate::error::ApiError;
use crate::time::rfc3339;

/// What an approval belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParentKind {
    /// A connection (`/v1/connections/{id}/...`).
    Connection,
    /// A destination (`/v1/destinations/{id}/...`).
    Destination,
}

impl ParentKind {
    /// The entity name used in `NotFound_*` codes.
    pub fn entity(self) -> &'static str {
        match self {
            ParentKind::Connection => "Connection",
            ParentKind::Destination => "Destination",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ApprovedCert {
    pub seq: u64,
    pub details: PresentedCertificate,
    pub validated_by: String,
    pub validated_at: SystemTime,
}

#[derive(Clone, Debug)]
pub(crate) struct ApprovedFingerprint {
    pub seq: u64,
    pub hash: String,
    pub public_key: String,
    pub validated_by: String,
    pub validated_at: SystemTime,
}

/// The approvals of one connection or destination, keyed by hash.
#[derive(Clone, Debug, Default)]
pub(crate) struct Approvals {
    pub certificates: BTreeMap<String, ApprovedCert>,
    pub fingerprints: BTreeMap<String, ApprovedFingerprint>,
}

/// The `id` of an approval: Base64URL without padding of the hash text's UTF-8 bytes.
/// Evidence: spec `#/components/schemas/CertificateDetailsResponse/properties/id`
/// ("Base64URL encoded hash of the certificate"); its example `Y29ubmVjdG9yIGNlcnRpZmljYXRlIGhhc2g`
/// is exactly this encoding of the text "connector certificate hash" (unit test below).
/// The `/{hash}` path parameters take this id (see `routes::approvals`).
pub(crate) fn id_of(hash: &str) -> String {
    URL_SAFE_NO_PAD.encode(hash.as_bytes())
}

impl Approvals {
    /// The approved certificate whose `id` is `id` (never matched against the raw hash).
    pub(crate) fn certificate_by_id(&self, id: &str) -> Option<&ApprovedCert> {
        self.certificates
            .values()
            .find(|c| id_of(&c.details.hash) == id)
    }

    /// The approved fingerprint whose `id` is `id`.
    pub(crate) fn fingerprint_by_id(&self, id: &str) -> Option<&ApprovedFingerprint> {
        self.fingerprints.values().find(|f| id_of(&f.hash) == id)
    }
}

impl ApprovedCert {
    pub(crate) fn to_json(&self) -> Value {
        let d = &self.details;
        json!({
            "id": id_of(&d.hash),
            "hash": d.hash,
            "name": d.name,
            "type": d.cert_type,
            "sha1": d.sha1,
            "sha256": d.sha256,
            "public_key": d.public_key,
            "validated_by": self.validated_by,
            "validated_date": rfc3339(self.validated_at),
        })
    }
}

impl ApprovedFingerprint {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": id_of(&self.hash),
            "hash": self.hash,
            "public_key": self.public_key,
            "validated_by": self.validated_by,
            "validated_date": rfc3339(self.validated_at),
        })
    }
}

/// Body of a certificate approval; the top-level `POST /v1/certificates` also names the
/// parent (`connection_id`, its older spelling `connector_id`, or `destination_id`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CertificateRequest {
    pub hash: Option<String>,
    pub encoded_cert: Option<String>,
    #[serde(default, alias = "connector_id")]
    pub connection_id: Option<String>,
    #[serde(default)]
    pub destination_id: Option<String>,
}

/// Body of a fingerprint approval (parent fields as for certificates).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FingerprintRequest {
    pub hash: Option<String>,
    pub public_key: Option<String>,
    #[serde(default, alias = "connector_id")]
    pub connection_id: Option<String>,
    #[serde(default)]
    pub destination_id: Option<String>,
}

fn non_empty(field: &str, v: Option<String>) -> Result<String, ApiError> {
    match v {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(ApiError::invalid(format!(
            "Missing required field '{field}'"
        ))),
    }
}

impl CertificateRequest {
    /// Validates the request; the details come from `encoded_cert`, keyed by the given hash.
    pub(crate) fn certificate(&self) -> Result<PresentedCertificate, ApiError> {
        let hash = non_empty("hash", self.hash.clone())?;
        let encoded = non_empty("encoded_cert", self.encoded_cert.clone())?;
        let mut details = certificate_details(&encoded).ok_or_else(|| {
            ApiError::invalid(
                "Invalid value for field 'encoded_cert': expected a base64-encoded certificate",
            )
        })?;
        details.hash = hash;
        Ok(details)
    }
}

impl FingerprintRequest {
    /// Validates the request: `(hash, public_key)`.
    pub(crate) fn fingerprint(&self) -> Result<(String, String), ApiError> {
        Ok((
            non_empty("hash", self.hash.clone())?,
            non_empty("public_key", self.public_key.clone())?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_base64url_of_the_hash_text_like_the_spec_example() {
        // #/components/schemas/CertificateDetailsResponse/properties/id/example
        assert_eq!(
            id_of("connector certificate hash"),
            "Y29ubmVjdG9yIGNlcnRpZmljYXRlIGhhc2g"
        );
        let id = id_of("a+b/c=");
        assert!(!id.contains(['+', '/', '=']), "{id}");
    }
}
