//! Certificates and SSH fingerprints approved for a connection or a destination.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// An approved TLS certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// The API's identifier of the approval, the one `…/certificates/{hash}` paths take
    /// (spec `CertificateDetailsResponse.id`: "Base64URL encoded hash"). The SDK's recorded
    /// answers lack it, so it is optional.
    #[serde(default)]
    pub id: Option<String>,
    /// The certificate's hash (standard base64; may contain `/` and `+`).
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
    /// The API's identifier of the approval, the one `…/fingerprints/{hash}` paths take
    /// (spec `FingerprintDetailsResponse.id`). Optional as for certificates.
    #[serde(default)]
    pub id: Option<String>,
    /// The key's hash (standard base64; may contain `/` and `+`).
    pub hash: String,
    pub public_key: Option<String>,
    pub validated_by: Option<String>,
    pub validated_date: Option<String>,
}

/// What certificates and fingerprints have in common for addressing them.
pub trait Approval {
    /// The hash the approval was made for.
    fn hash(&self) -> &str;
    /// The API's id, when it sent one.
    fn api_id(&self) -> Option<&str>;

    /// The path parameter that addresses this approval: the API's `id`. When an answer
    /// lacks it, the spec's definition of it: the Base64URL encoding (unpadded) of the hash,
    /// as its example `Y29ubmVjdG9yIGNlcnRpZmljYXRlIGhhc2g` (of "connector certificate
    /// hash") shows. Never the raw hash, whose `/` a server may refuse even encoded.
    fn path_id(&self) -> String {
        match self.api_id().filter(|id| !id.is_empty()) {
            Some(id) => id.to_string(),
            None => URL_SAFE_NO_PAD.encode(self.hash().as_bytes()),
        }
    }
}

impl Approval for Certificate {
    fn hash(&self) -> &str {
        &self.hash
    }
    fn api_id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

impl Approval for Fingerprint {
    fn hash(&self) -> &str {
        &self.hash
    }
    fn api_id(&self) -> Option<&str> {
        self.id.as_deref()
    }
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
