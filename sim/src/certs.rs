//! The TLS certificate and SSH host key a source "presents", derived deterministically
//! from its host name, so tests can know every hash before they start the simulator.
//!
//! A certificate is a small text document (not X.509):
//!
//! ```text
//! -----FIVETRAN SIM CERTIFICATE-----
//! subject=CN=<host>
//! issuer=CN=Fivetran Simulator CA
//! serial=<16 hex digits>
//! key=<64 hex digits>
//! ```
//!
//! * `encoded_cert` = standard base64 (with padding) of that document;
//! * `hash` = standard base64 **without padding** of its SHA-256 (43 characters, may contain
//!   `/` and `+`; e.g. the host `db-7.example.com` gives a hash containing both);
//! * `sha256` = lowercase hex of the same SHA-256; `sha1` = a 40-hex-digit stand-in (the
//!   first 40 hex digits of SHA-256 over `"sha1:"` + the document; there is no SHA-1 here);
//! * `name` = `CN=<host>`, `type` = `TLS`, `public_key` = a Java-style RSA description.
//!
//! An SSH host key is an Ed25519 key whose 32 bytes are SHA-256(`"fivetran-sim host key
//! v1:"` + tunnel host): `public_key` = `ssh-ed25519 <base64 of the SSH wire blob>`,
//! `hash` = standard base64 without padding of SHA-256 of the wire blob (the OpenSSH
//! `SHA256:` fingerprint without its prefix), `type` = `ssh-ed25519`, `name` = the host.
//!
//! A group's public key ([`group_public_key`], `GET /v1/groups/{id}/public-key`) is an
//! OpenSSH `ssh-rsa` line whose exponent is 65537 and whose 2048-bit modulus is SHA-256
//! blocks over `"fivetran-sim group key v1:"` + the group id (a well-formed key, not a key
//! pair anyone holds), followed by ` fivetran user key` and a newline.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

const HEADER: &str = "-----FIVETRAN SIM CERTIFICATE-----";

/// The certificate a source at `host` presents (see the module docs for the derivation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PresentedCertificate {
    /// Identifier used in approval paths and setup-test details.
    pub hash: String,
    /// Base64 of the certificate document (what approval requests send back).
    pub encoded_cert: String,
    /// `CN=<host>`.
    pub name: String,
    /// Description of the public key.
    pub public_key: String,
    /// 40 hex digits.
    pub sha1: String,
    /// 64 hex digits.
    pub sha256: String,
    /// Always `TLS`.
    #[serde(rename = "type")]
    pub cert_type: String,
}

/// The SSH host key a tunnel at `tunnel_host` presents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PresentedHostKey {
    /// Fingerprint used in approval paths and setup-test details.
    pub hash: String,
    /// An OpenSSH public key line: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI...`.
    pub public_key: String,
    /// Always `ssh-ed25519`.
    #[serde(rename = "type")]
    pub key_type: String,
    /// The tunnel host.
    pub name: String,
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The certificate presented by a TLS server at `host`.
pub fn presented_certificate(host: &str) -> PresentedCertificate {
    let key = sha256(format!("fivetran-sim certificate key v1:{host}").as_bytes());
    let serial = &hex(&sha256(format!("serial:{host}").as_bytes()))[..16];
    let doc = format!(
        "{HEADER}\nsubject=CN={host}\nissuer=CN=Fivetran Simulator CA\nserial={serial}\nkey={}\n",
        hex(&key)
    );
    describe_certificate(doc.as_bytes(), Some(host), &key)
}

fn describe_certificate(doc: &[u8], host: Option<&str>, key: &[u8]) -> PresentedCertificate {
    let digest = sha256(doc);
    let mut sha1_input = b"sha1:".to_vec();
    sha1_input.extend_from_slice(doc);
    let modulus: String = key.iter().map(|b| format!("{b:03}")).collect();
    PresentedCertificate {
        hash: STANDARD_NO_PAD.encode(digest),
        encoded_cert: STANDARD.encode(doc),
        name: host.map_or_else(|| "Unknown".to_string(), |h| format!("CN={h}")),
        public_key: format!(
            "Sun RSA public key, 2048 bits\n  params: null\n  modulus: {modulus}\n  public exponent: 65537"
        ),
        sha1: hex(&sha256(&sha1_input))[..40].to_string(),
        sha256: hex(&digest),
        cert_type: "TLS".to_string(),
    }
}

/// Details of a certificate sent in an approval request: the simulator's own format is
/// recognised (name, key); any other base64 payload gets generic details computed from its
/// bytes. `None` when `encoded_cert` is not base64.
pub(crate) fn certificate_details(encoded_cert: &str) -> Option<PresentedCertificate> {
    let bytes = STANDARD
        .decode(encoded_cert.trim())
        .or_else(|_| STANDARD_NO_PAD.decode(encoded_cert.trim()))
        .ok()?;
    let host = std::str::from_utf8(&bytes).ok().and_then(|text| {
        let mut lines = text.lines();
        (lines.next() == Some(HEADER))
            .then(|| lines.find_map(|l| l.strip_prefix("subject=CN=")))
            .flatten()
    });
    match host {
        Some(h) if presented_certificate(h).encoded_cert == STANDARD.encode(&bytes) => {
            Some(presented_certificate(h))
        }
        _ => Some(describe_certificate(&bytes, None, &sha256(&bytes))),
    }
}

/// The SSH host key presented by an SSH server at `tunnel_host`.
pub fn presented_host_key(tunnel_host: &str) -> PresentedHostKey {
    let key = sha256(format!("fivetran-sim host key v1:{tunnel_host}").as_bytes());
    let mut blob = Vec::with_capacity(51);
    blob.extend_from_slice(&11u32.to_be_bytes());
    blob.extend_from_slice(b"ssh-ed25519");
    blob.extend_from_slice(&32u32.to_be_bytes());
    blob.extend_from_slice(&key);
    PresentedHostKey {
        hash: STANDARD_NO_PAD.encode(sha256(&blob)),
        public_key: format!("ssh-ed25519 {}", STANDARD.encode(&blob)),
        key_type: "ssh-ed25519".to_string(),
        name: tunnel_host.to_string(),
    }
}

/// The public half of a group's SSH key pair, as `GET /v1/groups/{id}/public-key` answers
/// it: `ssh-rsa <base64 of the wire blob> fivetran user key\n`. One stable key per group
/// (the docs: one key pair per group). The comment and the trailing newline are the
/// recorded shape (fixture `destinations-groups/group_public_key_200.json`, go-fivetran's
/// `group_ssh_key_test.go`; the spec's example `ssh-rsa AAAA… fivetran user key`).
pub fn group_public_key(group_id: &str) -> String {
    let mut modulus = vec![0u8]; // a leading zero keeps the mpint positive
    for block in 0..8u8 {
        modulus.extend_from_slice(&sha256(
            format!("fivetran-sim group key v1:{group_id}:{block}").as_bytes(),
        ));
    }
    let exponent = [0x01u8, 0x00, 0x01];
    let mut blob = Vec::new();
    for part in [b"ssh-rsa".as_slice(), &exponent, &modulus] {
        let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
        blob.extend_from_slice(&len.to_be_bytes());
        blob.extend_from_slice(part);
    }
    format!("ssh-rsa {} fivetran user key\n", STANDARD.encode(&blob))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_are_deterministic_and_round_trip() {
        let a = presented_certificate("db.example.com");
        assert_eq!(a, presented_certificate("db.example.com"));
        assert_ne!(a.hash, presented_certificate("db2.example.com").hash);
        assert_eq!(a.hash.len(), 43);
        assert_eq!(a.sha256.len(), 64);
        assert_eq!(a.sha1.len(), 40);
        assert_eq!(a.name, "CN=db.example.com");
        assert_eq!(certificate_details(&a.encoded_cert), Some(a));
    }

    #[test]
    fn documented_host_has_slash_and_plus_in_its_hash() {
        let h = presented_certificate("db-7.example.com").hash;
        assert!(h.contains('/') && h.contains('+'), "{h}");
    }

    #[test]
    fn foreign_certificates_get_generic_details() {
        let d = certificate_details(&STANDARD.encode(b"not ours"));
        assert_eq!(d.map(|d| d.name), Some("Unknown".to_string()));
        assert_eq!(certificate_details("%%% not base64"), None);
    }

    #[test]
    fn group_keys_are_openssh_rsa_lines_with_a_newline() {
        let k = group_public_key("decent_dropsy");
        assert!(k.starts_with("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB"), "{k}");
        assert!(k.ends_with(" fivetran user key\n"), "{k}");
        assert_eq!(k, group_public_key("decent_dropsy"));
        assert_ne!(k, group_public_key("other_group"));
    }

    #[test]
    fn host_keys_look_like_openssh_ed25519_keys() {
        let k = presented_host_key("bastion.example.com");
        assert!(k
            .public_key
            .starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"));
        assert_eq!(k.hash.len(), 43);
        assert_eq!(k, presented_host_key("bastion.example.com"));
    }
}
