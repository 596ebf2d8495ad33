//! Invalid configurations and import ids fail at validate, plan or import, naming the
//! attribute, before any request reaches the API.

use fivetran_sim::{presented_certificate, presented_host_key};

use super::{folded, sim};
use crate::harness::Workspace;

#[test]
fn invalid_arguments_fail_at_validate_with_the_attribute_named_and_no_request() {
    let sim = sim();
    let cert = presented_certificate("db.example.com");
    let key = presented_host_key("bastion.example.com");
    let body = key
        .public_key
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let certificate = |args: &str| {
        format!(
            "resource \"fivetran_connection_certificate\" \"x\" {{\n  connection_id = \"c1\"\n  {args}\n}}\n"
        )
    };
    let fingerprint = |args: &str| {
        format!(
            "resource \"fivetran_destination_fingerprint\" \"x\" {{\n  destination_id = \"d1\"\n  {args}\n}}\n"
        )
    };
    let cases = [
        (
            certificate(&format!(
                "sha256 = \"{}\"\n  hash = \"{}\"\n  encoded_cert = \"{}\"",
                cert.sha256, cert.hash, cert.encoded_cert
            )),
            "Conflicting Arguments",
            "sha256 =",
        ),
        (
            certificate(""),
            "Missing Certificate",
            "fivetran_connection_certificate.x",
        ),
        (
            certificate("sha256 = \"AB:CD:EF\""),
            "Invalid SHA-256 Fingerprint",
            "sha256 =",
        ),
        (
            certificate(&format!("sha1 = \"{}\"", cert.sha256)),
            "Invalid SHA-1 Fingerprint",
            "sha1 =",
        ),
        (
            certificate(&format!("hash = \"{}\"", cert.hash)),
            "Missing Argument",
            "fivetran_connection_certificate.x",
        ),
        (
            certificate(&format!(
                "hash = \"{}\"\n  encoded_cert = \"not base64!\"",
                cert.hash
            )),
            "Invalid Encoded Certificate",
            "encoded_cert =",
        ),
        (
            fingerprint("public_key = \"ssh-ed25519 not*base64\""),
            "Invalid SSH Public Key",
            "public_key =",
        ),
        (
            fingerprint(&format!(
                "public_key = \"bastion.example.com ssh-ed25519 {body}\""
            )),
            "known_hosts",
            "public_key =",
        ),
        (
            fingerprint(&format!("public_key = \"ssh-rsa {body}\"")),
            "Invalid SSH Public Key",
            "public_key =",
        ),
    ];
    for (config, summary, attribute) in cases {
        let ws = Workspace::with_sim(&sim, &config);
        let run = ws.terraform(&["validate"]);
        run.assert_failure();
        let out = folded(&run.output());
        assert!(
            out.contains(summary),
            "expected {summary:?}:\n{out}\n---\n{config}"
        );
        assert!(
            out.contains(attribute),
            "the attribute must be named ({attribute:?}):\n{out}"
        );
        let plan = ws.plan();
        assert_eq!(plan.code, 1, "plan must fail too:\n{}", plan.output());
    }
    assert_eq!(
        sim.admin().counters().total,
        0,
        "validation must not call the API"
    );
}

#[test]
fn a_malformed_import_id_is_refused_before_any_request() {
    let sim = sim();
    let sha256 = presented_certificate("db.example.com").sha256;
    let ws = Workspace::with_sim(
        &sim,
        &format!("resource \"fivetran_connection_certificate\" \"x\" {{\n  connection_id = \"c1\"\n  sha256 = \"{sha256}\"\n}}\n"),
    );
    for id in ["no-separator", "c1/", "c1/%zz"] {
        let run = ws.terraform(&[
            "import",
            "-input=false",
            "fivetran_connection_certificate.x",
            id,
        ]);
        run.assert_failure();
        let out = folded(&run.output());
        assert!(out.contains("Invalid Import ID"), "{id}: {out}");
        assert!(out.contains("%2F"), "the format must be explained: {out}");
    }
    assert_eq!(
        sim.admin().counters().total,
        0,
        "no request for a bad import id"
    );
}
