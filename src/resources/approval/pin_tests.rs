use fivetran_sim::{presented_certificate, presented_host_key};
use serde_json::json;

use super::*;

fn colon_upper(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

fn test(title: &str, status: SetupTestStatus, details: Json) -> SetupTest {
    SetupTest {
        title: title.into(),
        status,
        message: Some(format!("{title} said so")),
        details,
    }
}

#[test]
fn hex_fingerprints_accept_colons_and_any_case() {
    let cert = presented_certificate("db.example.com");
    let spelled = colon_upper(&cert.sha256);
    assert_eq!(parse_hex(&spelled, SHA256_DIGITS), Ok(cert.sha256.clone()));
    assert!(same_hex(&spelled, &cert.sha256));
    assert!(parse_hex(&cert.sha256[..62], SHA256_DIGITS).is_err_and(|e| e.contains("found 62")));
    assert!(parse_hex(&"g".repeat(64), SHA256_DIGITS).is_err_and(|e| e.contains("'g'")));
    assert!(parse_hex("zz", SHA1_DIGITS).is_err_and(|e| e.contains("'z'")));
    assert_eq!(parse_hex(&cert.sha1, SHA1_DIGITS), Ok(cert.sha1));
}

#[test]
fn ssh_keys_compare_by_type_and_body_not_comment() {
    let key = presented_host_key("bastion.example.com");
    let with_comment = format!("{}  ops@bastion  ", key.public_key);
    let parsed = parse_ssh_key(&with_comment).expect("parses");
    assert_eq!(parsed.key_type, "ssh-ed25519");
    assert_eq!(parsed.line(), key.public_key);
    assert!(parsed.fingerprint().ends_with(&key.hash));
    assert!(same_ssh_key(&with_comment, &key.public_key));
    let other = presented_host_key("other.example.com");
    assert!(!same_ssh_key(&other.public_key, &key.public_key));
}

#[test]
fn malformed_ssh_keys_say_what_is_wrong() {
    let key = presented_host_key("bastion.example.com");
    let body = key.public_key.split(' ').nth(1).unwrap_or_default();
    for (line, expected) in [
        ("", "empty"),
        ("ssh-foo AAAA", "not an SSH public key type"),
        ("ssh-ed25519", "missing"),
        ("ssh-ed25519 not*base64", "not valid base64"),
        (&*format!("ssh-rsa {body}"), "not a ssh-rsa key"),
        (
            &*format!("bastion.example.com ssh-ed25519 {body}"),
            "known_hosts",
        ),
    ] {
        let err = parse_ssh_key(line).expect_err(line);
        assert!(err.contains(expected), "{line:?}: {err}");
    }
}

#[test]
fn encoded_certs_may_be_base64_or_pem() {
    let cert = presented_certificate("db.example.com");
    assert_eq!(
        encoded_cert_body(&cert.encoded_cert),
        Ok(cert.encoded_cert.clone())
    );
    let wrapped: Vec<String> = cert
        .encoded_cert
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        wrapped.join("\n")
    );
    assert_eq!(encoded_cert_body(&pem), Ok(cert.encoded_cert));
    assert!(
        encoded_cert_body("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err()
    );
    assert!(encoded_cert_body("-----BEGIN CERTIFICATE-----\nAAAA").is_err());
    assert!(encoded_cert_body("not base64!").is_err());
    assert!(encoded_cert_body("  ").is_err());
}

#[test]
fn pins_match_every_fingerprint_they_hold() {
    let cert = presented_certificate("db.example.com");
    let by_sha256 = CertificatePin {
        sha256: Some(cert.sha256.clone()),
        sha1: None,
    };
    assert!(by_sha256.matches(Some(&colon_upper(&cert.sha256)), None));
    assert!(!by_sha256.matches(None, Some(&cert.sha1)));
    let both = CertificatePin {
        sha256: Some(cert.sha256.clone()),
        sha1: Some("0".repeat(40)),
    };
    assert!(!both.matches(Some(&cert.sha256), Some(&cert.sha1)));
    assert!(!CertificatePin::default().matches(Some(&cert.sha256), None));
    assert!(both.describe().contains("SHA-256") && both.describe().contains("SHA-1"));
}

#[test]
fn presented_collects_certificates_and_keys_of_failing_tests_in_any_shape() {
    let cert = presented_certificate("db.example.com");
    let key = presented_host_key("bastion.example.com");
    let tests = vec![
        test(
            "Connecting",
            SetupTestStatus::Passed,
            json!({"hash": "ignored", "encoded_cert": "AAAA"}),
        ),
        test(
            "Validate Fingerprint",
            SetupTestStatus::Failed,
            json!({"hash": key.hash, "public_key": key.public_key, "name": "bastion.example.com"}),
        ),
        test(
            "Validate Certificate",
            SetupTestStatus::Failed,
            // A list, without sha256: it is computed from the certificate.
            json!([{"hash": cert.hash, "encoded_cert": cert.encoded_cert, "name": cert.name}]),
        ),
        test(
            "Other",
            SetupTestStatus::Other("BLOCKED".into()),
            json!("text"),
        ),
    ];
    let p = presented(&tests);
    assert_eq!(p.host_keys.len(), 1);
    assert_eq!(p.host_keys[0].hash, key.hash);
    assert_eq!(p.certificates.len(), 1);
    assert_eq!(
        p.certificates[0].sha256.as_deref(),
        Some(cert.sha256.as_str())
    );
    assert_eq!(p.certificates[0].sha1, None);
    assert_eq!(p.failures.len(), 3, "{:?}", p.failures);
    assert!(!p.blocked_by_host_key());
    let blocked = presented(&tests[..2]);
    assert!(blocked.blocked_by_host_key());
    let nested = presented(&[test(
        "Certificates",
        SetupTestStatus::Warning,
        json!({"certificates": [{"hash": cert.hash, "encoded_cert": cert.encoded_cert, "sha256": colon_upper(&cert.sha256), "sha1": cert.sha1}]}),
    )]);
    assert_eq!(
        nested.certificates[0].sha256.as_deref(),
        Some(cert.sha256.as_str())
    );
    assert_eq!(
        nested.certificates[0].sha1.as_deref(),
        Some(cert.sha1.as_str())
    );
}
