//! The setup tests of a connection or a destination (a [`Target`]), run in order; after
//! the first failure the rest are `SKIPPED`, as Fivetran stops at the first failing check.
//!
//! 1. `Connecting to Private Link` (networking method `PrivateLink`, or
//!    `UnmanagedPrivateLink`, which the API may store instead, official provider issue
//!    #408): fails unless the link exists and is `OK`.
//! 2. `SSH Tunnel Connection` (config has `tunnel_host`): fails unless the tunnel's host
//!    key ([`crate::presented_host_key`]) is approved for the connection or
//!    `trust_fingerprints` is set (which approves it). A failure's `details` is an OBJECT
//!    `{hash, public_key, type, name}` (fixture
//!    `reconstructed_setup_tests_certificate_and_ssh.json`, from the Fivetran tutorial "get
//!    connector fingerprint details").
//! 3. `Connecting to Host` (config has `host`): passes.
//! 4. `Validate Certificate` (config has `host`): fails unless the host's certificate
//!    ([`crate::presented_certificate`]) is approved or `trust_certificates` is set (which
//!    approves it). A failure's `details` is an ARRAY with one object per certificate of
//!    the chain the source presents (the simulator presents one):
//!    `[{hash, name, encoded_cert, public_key, sha1, sha256, type}]` (fixtures
//!    `connection_setup_tests_200.json` and
//!    `reconstructed_setup_tests_certificate_and_ssh.json`; support article "Certificate
//!    Management", which approves `details[].hash`/`encoded_cert`).
//! 5. `Validating Access`: passes.

use serde_json::{json, Value};

use crate::certs::{
    presented_certificate, presented_host_key, PresentedCertificate, PresentedHostKey,
};
use crate::model::approval::Approvals;
use crate::model::private_link::LinkState;

/// Title of the certificate test (fixture `reconstructed_setup_tests_certificate_and_ssh.json`).
pub const CERTIFICATE_TEST: &str = "Validate Certificate";
/// Title of the SSH host-key test (same fixture).
pub const SSH_TEST: &str = "SSH Tunnel Connection";

/// What the tests look at: how the source (or destination) is reached and which hosts
/// present a host key and a certificate.
pub(crate) struct Target<'a> {
    pub networking_method: &'a str,
    pub private_link_id: Option<&'a str>,
    /// Presents [`crate::presented_host_key`] when set.
    pub tunnel_host: Option<&'a str>,
    /// Presents [`crate::presented_certificate`] when set.
    pub host: Option<&'a str>,
}

/// One entry of `setup_tests`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SetupTest {
    pub title: &'static str,
    pub status: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

impl SetupTest {
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({ "title": self.title, "status": self.status, "message": self.message });
        if let Some(d) = &self.details {
            v["details"] = d.clone();
        }
        v
    }
}

/// What the tests need to know besides the connection.
pub(crate) struct TestInputs<'a> {
    /// State of the connection's private link (`None` when it does not exist).
    pub link_state: Option<LinkState>,
    pub approvals: Option<&'a Approvals>,
    pub trust_certificates: bool,
    pub trust_fingerprints: bool,
}

/// The tests and the approvals that trusting produced.
pub(crate) struct TestOutcome {
    pub tests: Vec<SetupTest>,
    pub trusted_certificate: Option<PresentedCertificate>,
    pub trusted_fingerprint: Option<PresentedHostKey>,
}

impl TestOutcome {
    /// Whether no test failed.
    pub(crate) fn passed(&self) -> bool {
        self.tests.iter().all(|t| t.status != "FAILED")
    }
}

fn test(title: &'static str, ok: bool, message: String, details: Option<Value>) -> SetupTest {
    SetupTest {
        title,
        status: if ok { "PASSED" } else { "FAILED" },
        message,
        details,
    }
}

pub(crate) fn run(conn: &Target<'_>, inputs: &TestInputs<'_>) -> TestOutcome {
    let mut out = TestOutcome {
        tests: Vec::new(),
        trusted_certificate: None,
        trusted_fingerprint: None,
    };
    if crate::model::connection_rules::is_private_link(conn.networking_method) {
        let id = conn.private_link_id.unwrap_or("");
        let (ok, message) = match inputs.link_state {
            Some(LinkState::Ok) => (true, format!("Private link '{id}' is OK")),
            Some(s) => (
                false,
                format!(
                    "Private link '{id}' is in state {}; the connection can use it once it is OK",
                    s.as_str()
                ),
            ),
            None => (false, format!("Private link '{id}' does not exist")),
        };
        out.tests
            .push(test("Connecting to Private Link", ok, message, None));
    }
    let approvals = inputs.approvals;
    if let Some(tunnel) = conn.tunnel_host {
        let key = presented_host_key(tunnel);
        let approved = approvals.is_some_and(|a| a.fingerprints.contains_key(&key.hash));
        let ok = approved || inputs.trust_fingerprints;
        let message = if ok {
            format!("The SSH host key of '{tunnel}' is trusted")
        } else {
            format!(
                "The SSH host key of '{tunnel}' is not trusted. Approve the fingerprint '{}' or run the setup tests with trust_fingerprints=true",
                key.hash
            )
        };
        let details = (!ok).then(|| json!({
            "hash": key.hash, "public_key": key.public_key, "type": key.key_type, "name": key.name,
        }));
        if ok && !approved {
            out.trusted_fingerprint = Some(key);
        }
        out.tests.push(test(SSH_TEST, ok, message, details));
    }
    if let Some(host) = conn.host {
        out.tests.push(test(
            "Connecting to Host",
            true,
            format!("Connected to '{host}'"),
            None,
        ));
        let cert = presented_certificate(host);
        let approved = approvals.is_some_and(|a| a.certificates.contains_key(&cert.hash));
        let ok = approved || inputs.trust_certificates;
        let message = if ok {
            format!("The certificate of '{host}' is trusted")
        } else {
            format!(
                "The certificate of '{host}' is not trusted. Approve the certificate '{}' or run the setup tests with trust_certificates=true",
                cert.hash
            )
        };
        let details = (!ok).then(|| {
            json!([{
                "hash": cert.hash, "encoded_cert": cert.encoded_cert, "name": cert.name,
                "public_key": cert.public_key, "sha1": cert.sha1, "sha256": cert.sha256,
                "type": cert.cert_type,
            }])
        });
        if ok && !approved {
            out.trusted_certificate = Some(cert);
        }
        out.tests.push(test(CERTIFICATE_TEST, ok, message, details));
    }
    out.tests.push(test(
        "Validating Access",
        true,
        "The credentials have the required access".to_string(),
        None,
    ));
    skip_after_first_failure(&mut out);
    out
}

fn skip_after_first_failure(out: &mut TestOutcome) {
    let Some(first) = out.tests.iter().position(|t| t.status == "FAILED") else {
        return;
    };
    let failed_title = out.tests[first].title;
    for t in &mut out.tests[first + 1..] {
        t.status = "SKIPPED";
        t.message = format!("Skipped because '{failed_title}' failed");
        t.details = None;
        // Trust given for a test that never ran approves nothing.
        match t.title {
            CERTIFICATE_TEST => out.trusted_certificate = None,
            SSH_TEST => out.trusted_fingerprint = None,
            _ => {}
        }
    }
}
