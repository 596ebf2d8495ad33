//! Pins and what a source presents: certificate fingerprints (hex), SSH public key lines,
//! encoded certificates, and the certificates and host keys found in the details of the
//! setup tests that failed.
//!
//! Pure functions over strings and setup-test results: no client calls, no Terraform
//! values, so every rule here is unit-tested directly.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::client::{SetupTest, SetupTestStatus};

/// SSH public key types a `public_key` may have (declared once: validation and docs).
pub const SSH_KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-dss",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// Hex digits of a SHA-256 and of a SHA-1 fingerprint.
pub const SHA256_DIGITS: usize = 64;
pub const SHA1_DIGITS: usize = 40;

/// A fingerprint written in hex, with or without `:` separators, in any case, as lower-case
/// hex without separators; `digits` is the expected length.
pub fn parse_hex(text: &str, digits: usize) -> Result<String, String> {
    let hex: String = text
        .trim()
        .chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if let Some(bad) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("{bad:?} is not a hexadecimal digit"));
    }
    if hex.len() != digits {
        return Err(format!(
            "expected {digits} hexadecimal digits (colons between them are allowed), found {}",
            hex.len()
        ));
    }
    Ok(hex)
}

/// Whether two spellings of a fingerprint are the same fingerprint (case and `:` ignored).
pub fn same_hex(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.trim()
            .chars()
            .filter(|c| *c != ':')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    norm(a) == norm(b)
}

/// An SSH public key: its type and its decoded wire blob (the comment is not part of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SshKey {
    pub key_type: String,
    pub blob: Vec<u8>,
}

impl SshKey {
    /// `<type> <base64>`: the line without its comment.
    pub fn line(&self) -> String {
        format!("{} {}", self.key_type, STANDARD.encode(&self.blob))
    }

    /// The OpenSSH fingerprint, `SHA256:<base64>` (what `ssh-keygen -lf` prints).
    pub fn fingerprint(&self) -> String {
        format!(
            "SHA256:{}",
            STANDARD_NO_PAD.encode(Sha256::digest(&self.blob))
        )
    }
}

/// Parses an SSH public key line, `<type> <base64> [comment]`: the type must be one of
/// [`SSH_KEY_TYPES`] and the body valid base64 whose embedded type is the same.
pub fn parse_ssh_key(line: &str) -> Result<SshKey, String> {
    let mut fields = line.split_whitespace();
    let (Some(key_type), body) = (fields.next(), fields.next()) else {
        return Err("the key is empty; write `<type> <base64> [comment]`".into());
    };
    if !SSH_KEY_TYPES.contains(&key_type) {
        if body.is_some_and(|b| SSH_KEY_TYPES.contains(&b)) {
            return Err(format!(
                "this looks like a known_hosts line: remove {key_type:?} before the key type"
            ));
        }
        return Err(format!(
            "{key_type:?} is not an SSH public key type; expected one of {}",
            SSH_KEY_TYPES.join(", ")
        ));
    }
    let Some(body) = body else {
        return Err(format!("the base64 body after {key_type:?} is missing"));
    };
    let blob = STANDARD
        .decode(body)
        .or_else(|_| STANDARD_NO_PAD.decode(body))
        .map_err(|e| format!("the key body is not valid base64 ({e})"))?;
    let embedded = blob
        .get(..4)
        .map(|n| u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize)
        .and_then(|n| blob.get(4..n.checked_add(4)?));
    if embedded != Some(key_type.as_bytes()) {
        return Err(format!(
            "the key body is not a {key_type} key (its encoded type does not match)"
        ));
    }
    Ok(SshKey {
        key_type: key_type.to_string(),
        blob,
    })
}

/// Whether two public key lines hold the same key (type and body; comments ignored).
pub fn same_ssh_key(a: &str, b: &str) -> bool {
    matches!((parse_ssh_key(a), parse_ssh_key(b)), (Ok(x), Ok(y)) if x == y)
}

/// What `encoded_cert` is sent as: base64 without whitespace. A PEM certificate
/// (`-----BEGIN CERTIFICATE-----`) is sent as its base64 body.
pub fn encoded_cert_body(text: &str) -> Result<String, String> {
    let text = text.trim();
    let body = if let Some(rest) = text.strip_prefix("-----BEGIN CERTIFICATE-----") {
        rest.strip_suffix("-----END CERTIFICATE-----")
            .ok_or("the PEM certificate has no `-----END CERTIFICATE-----` line")?
    } else if text.starts_with("-----BEGIN") {
        return Err("only PEM blocks of type CERTIFICATE are accepted".into());
    } else {
        text
    };
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if body.is_empty() {
        return Err("the certificate is empty".into());
    }
    STANDARD
        .decode(&body)
        .map_err(|e| format!("not valid base64 or PEM ({e})"))?;
    Ok(body)
}

/// A certificate pin: the fingerprints the user wrote, as lower-case hex.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificatePin {
    pub sha256: Option<String>,
    pub sha1: Option<String>,
}

impl CertificatePin {
    /// Whether a certificate with these fingerprints is the pinned one: every fingerprint
    /// the pin has must be known and equal.
    pub fn matches(&self, sha256: Option<&str>, sha1: Option<&str>) -> bool {
        let part = |pin: &Option<String>, got: Option<&str>| match pin {
            None => true,
            Some(p) => got.is_some_and(|g| same_hex(p, g)),
        };
        (self.sha256.is_some() || self.sha1.is_some())
            && part(&self.sha256, sha256)
            && part(&self.sha1, sha1)
    }

    /// `SHA-256 ab12…` / `SHA-1 …`, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.sha256 {
            parts.push(format!("SHA-256 {s}"));
        }
        if let Some(s) = &self.sha1 {
            parts.push(format!("SHA-1 {s}"));
        }
        parts.join(" and ")
    }
}

/// A pin that matched nothing a parent presented: what a diagnostic needs to say so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinMiss {
    /// The pin's attribute (`sha256`, `sha1`, `public_key`).
    pub attribute: &'static str,
    /// `connection "abc"`.
    pub subject: String,
    /// `certificate` / `SSH host key`.
    pub what: &'static str,
    /// The pin, as shown to the user.
    pub pinned: String,
    /// One line per presented candidate (name and fingerprint).
    pub presented: Vec<String>,
    /// `<title>: <message>` of the failing setup tests.
    pub failures: Vec<String>,
    /// What to do.
    pub advice: String,
}

/// A certificate a source presented in a failing setup test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentedCertificate {
    pub hash: String,
    pub encoded_cert: String,
    pub name: Option<String>,
    /// From the details, else computed over the decoded certificate.
    pub sha256: Option<String>,
    pub sha1: Option<String>,
}

/// An SSH host key a source presented in a failing setup test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentedHostKey {
    pub hash: String,
    /// As the API gave it (what an approval sends back).
    pub public_key: String,
    pub key: SshKey,
    pub name: Option<String>,
}

/// Everything the failing setup tests of one run presented, and their messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presented {
    pub certificates: Vec<PresentedCertificate>,
    pub host_keys: Vec<PresentedHostKey>,
    /// `<title>: <message>` of every test that did not pass.
    pub failures: Vec<String>,
}

impl Presented {
    /// Whether a host-key check stopped the tests before any certificate was checked
    /// (Fivetran checks the SSH tunnel first and skips the rest after a failure).
    pub fn blocked_by_host_key(&self) -> bool {
        self.certificates.is_empty() && !self.host_keys.is_empty()
    }
}

fn text(obj: &serde_json::Map<String, Json>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Json::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// Collects what the failing tests' `details` hold, whatever their shape (an object, a
/// list, or objects nested in either): objects with a `hash` and an `encoded_cert` are
/// certificates; objects with a `hash` and a parsable SSH `public_key` are host keys.
pub fn presented(tests: &[SetupTest]) -> Presented {
    let mut out = Presented::default();
    for t in tests {
        if matches!(t.status, SetupTestStatus::Passed | SetupTestStatus::Skipped) {
            continue;
        }
        out.failures.push(match &t.message {
            Some(m) => format!("{}: {m}", t.title),
            None => t.title.clone(),
        });
        collect(&t.details, &mut out);
    }
    out
}

fn collect(details: &Json, out: &mut Presented) {
    match details {
        Json::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Json::Object(obj) => {
            let Some(hash) = text(obj, "hash") else {
                obj.values().for_each(|v| collect(v, out));
                return;
            };
            if let Some(encoded_cert) = text(obj, "encoded_cert") {
                let sha256 = text(obj, "sha256")
                    .and_then(|s| parse_hex(&s, SHA256_DIGITS).ok())
                    .or_else(|| sha256_of(&encoded_cert));
                out.certificates.push(PresentedCertificate {
                    hash,
                    encoded_cert,
                    name: text(obj, "name"),
                    sha256,
                    sha1: text(obj, "sha1").and_then(|s| parse_hex(&s, SHA1_DIGITS).ok()),
                });
            } else if let Some(public_key) = text(obj, "public_key") {
                if let Ok(key) = parse_ssh_key(&public_key) {
                    out.host_keys.push(PresentedHostKey {
                        hash,
                        public_key,
                        key,
                        name: text(obj, "name"),
                    });
                }
            }
        }
        _ => {}
    }
}

/// SHA-256 over the decoded certificate (a certificate's SHA-256 fingerprint).
fn sha256_of(encoded_cert: &str) -> Option<String> {
    let body = encoded_cert_body(encoded_cert).ok()?;
    let bytes = STANDARD.decode(body).ok()?;
    Some(
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

#[cfg(test)]
#[path = "pin_tests.rs"]
mod tests;
