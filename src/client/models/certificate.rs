//! Certificates and SSH fingerprints approved for a connection or a destination.

use serde::{Deserialize, Serialize};

/// An approved TLS certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Identifier of the certificate (base64; may contain `/` and `+`).
    pub hash: String,
    pub public_key: Option<String>,
    pub name: Option<String>,
    /// The API's `type`, e.g. `TLS`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    pub validated_by: Option<String>,
    pub validated_date: Option<String>,
}

/// An approved SSH host key fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Identifier of the key (base64; may contain `/` and `+`).
    pub hash: String,
    pub public_key: Option<String>,
    pub validated_by: Option<String>,
    pub validated_date: Option<String>,
}

/// Body of `POST …/certificates`.
#[derive(Serialize)]
pub(crate) struct ApproveCertificate<'a> {
    pub hash: &'a str,
    pub encoded_cert: &'a str,
}

/// Body of `POST …/fingerprints`.
#[derive(Serialize)]
pub(crate) struct ApproveFingerprint<'a> {
    pub hash: &'a str,
    pub public_key: &'a str,
}
