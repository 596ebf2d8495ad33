//! The generic resource without a client: validation paths, plan spellings, the state
//! built from an API answer, and import ids.

use fivetran_sim::{presented_certificate, presented_host_key};

use super::*;
use crate::client::{Certificate, Fingerprint};
use crate::framework::resource::PlanContext;
use crate::framework::typed::{Attr, Typed};
use crate::framework::values::{null_object, set};
use crate::framework::Resource;
use crate::protocol::Value;
use crate::resources::approval::model::{CertificateModel, FingerprintModel};
use crate::resources::approval::{Certificates, Fingerprints};

fn certificates() -> ApprovalResource<Certificates> {
    ApprovalResource::new(ParentKind::Connection)
}

fn fingerprints() -> ApprovalResource<Fingerprints> {
    ApprovalResource::new(ParentKind::Destination)
}

/// A configuration of `r` with `attrs` set and everything else null.
fn config<K: Kind>(r: &ApprovalResource<K>, attrs: &[(&str, Value)]) -> Value {
    let mut v = null_object(&r.schema().block);
    for (name, value) in attrs {
        set(&mut v, name, value.clone());
    }
    v
}

fn unknown() -> Value {
    Value::Unknown(Default::default())
}

fn problems<K: Kind>(r: &ApprovalResource<K>, attrs: &[(&str, Value)]) -> Vec<(String, String)> {
    let mut d = Diagnostics::new();
    let typed = Typed::new(ApprovalResource::<K>::new(r.parent));
    Resource::validate(&typed, &config(r, attrs), &mut d);
    d.iter()
        .map(|x| {
            (
                x.attribute
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                x.summary.clone(),
            )
        })
        .collect()
}

#[test]
fn certificate_forms_are_exclusive_and_complete() {
    let cert = presented_certificate("db.example.com");
    let r = certificates();
    let parent = ("connection_id", Value::from("c1"));
    assert_eq!(
        problems(
            &r,
            &[
                parent.clone(),
                ("sha256", Value::from(cert.sha256.as_str()))
            ]
        ),
        vec![]
    );
    assert_eq!(
        problems(
            &r,
            &[parent.clone(), ("sha1", Value::from(cert.sha1.as_str()))]
        ),
        vec![]
    );
    assert_eq!(
        problems(
            &r,
            &[
                parent.clone(),
                ("hash", Value::from(cert.hash.as_str())),
                ("encoded_cert", Value::from(cert.encoded_cert.as_str()))
            ]
        ),
        vec![]
    );
    // Unknown values count as set and are not checked further.
    assert_eq!(
        problems(
            &r,
            &[
                parent.clone(),
                ("hash", unknown()),
                ("encoded_cert", unknown())
            ]
        ),
        vec![]
    );
    assert_eq!(
        problems(
            &r,
            &[
                parent.clone(),
                ("sha256", Value::from(cert.sha256.as_str())),
                ("hash", unknown())
            ]
        ),
        vec![("sha256".into(), "Conflicting Arguments".into())]
    );
    assert_eq!(
        problems(&r, std::slice::from_ref(&parent)),
        vec![("sha256".into(), "Missing Certificate".into())]
    );
    assert_eq!(
        problems(&r, &[parent.clone(), ("hash", Value::from("h"))]),
        vec![("encoded_cert".into(), "Missing Argument".into())]
    );
    assert_eq!(
        problems(&r, &[parent.clone(), ("sha256", Value::from("12:34"))]),
        vec![("sha256".into(), "Invalid SHA-256 Fingerprint".into())]
    );
    assert_eq!(
        problems(
            &r,
            &[
                ("connection_id", Value::from(" ")),
                ("sha1", Value::from(cert.sha1.as_str()))
            ]
        ),
        vec![("connection_id".into(), "Missing Parent Id".into())]
    );
}

#[test]
fn fingerprint_keys_are_checked() {
    let key = presented_host_key("bastion.example.com");
    let r = fingerprints();
    let parent = ("destination_id", Value::from("d1"));
    assert_eq!(
        problems(
            &r,
            &[
                parent.clone(),
                ("public_key", Value::from(key.public_key.as_str()))
            ]
        ),
        vec![]
    );
    assert_eq!(
        problems(
            &r,
            &[
                parent.clone(),
                ("public_key", Value::from("ssh-ed25519 ***"))
            ]
        ),
        vec![("public_key".into(), "Invalid SSH Public Key".into())]
    );
    assert_eq!(
        problems(
            &r,
            &[
                parent,
                ("public_key", Value::from(key.public_key.as_str())),
                ("hash", Value::from(""))
            ]
        ),
        vec![("hash".into(), "Invalid Hash".into())]
    );
}

fn api_certificate(host: &str) -> Certificate {
    let c = presented_certificate(host);
    Certificate {
        id: None,
        hash: c.hash,
        public_key: Some(c.public_key),
        name: Some(c.name),
        kind: Some(c.cert_type),
        sha1: Some(c.sha1),
        sha256: Some(c.sha256),
        validated_by: Some("user".into()),
        validated_date: Some("2026-01-01T00:00:00Z".into()),
    }
}

#[test]
fn state_keeps_the_written_spelling_of_a_matching_fingerprint() {
    let r = certificates();
    let api = api_certificate("db-7.example.com");
    let sha256 = api.sha256.clone().unwrap_or_default();
    let written = sha256.to_uppercase();
    let planned = CertificateModel {
        parent_id: "c1".into(),
        sha256: written.as_str().into(),
        hash: Attr::Unknown,
        sha1: Attr::Unknown,
        ..CertificateModel::default()
    };
    let state = r.state_from(&api, &planned, "c1");
    assert_eq!(state.sha256.as_deref(), Some(written.as_str()));
    assert_eq!(state.sha1.get(), api.sha1.as_ref());
    assert_eq!(state.hash.as_deref(), Some(api.hash.as_str()));
    assert_eq!(state.id.get(), Some(&approval_id("c1", &api.hash)));
    assert!(!state.sha1.is_unknown() && !state.hash.is_unknown());
}

#[test]
fn a_fingerprint_the_api_leaves_out_keeps_the_pin() {
    let r = fingerprints();
    let key = presented_host_key("bastion.example.com");
    let written = format!("{} ops@bastion", key.public_key);
    let planned = FingerprintModel {
        parent_id: "d1".into(),
        public_key: written.as_str().into(),
        hash: Attr::Unknown,
        ..FingerprintModel::default()
    };
    let api = Fingerprint {
        id: None,
        hash: key.hash.clone(),
        public_key: None,
        validated_by: None,
        validated_date: None,
    };
    let state = r.state_from(&api, &planned, "d1");
    assert_eq!(state.public_key.as_deref(), Some(written.as_str()));
    assert_eq!(state.validated_by, Attr::Null);
}

#[test]
fn a_plan_keeps_the_prior_spelling_when_the_value_is_the_same() {
    let r = Typed::new(certificates());
    let sha256 = presented_certificate("db.example.com").sha256;
    let prior = config(
        &certificates(),
        &[
            ("connection_id", Value::from("c1")),
            ("sha256", Value::from(sha256.as_str())),
        ],
    );
    let written = config(
        &certificates(),
        &[
            ("connection_id", Value::from("c1")),
            ("sha256", Value::from(sha256.to_uppercase())),
        ],
    );
    let mut plan = PlanContext {
        prior: &prior,
        config: &written,
        planned: written.clone(),
        diagnostics: Diagnostics::new(),
        requires_replace: vec![],
    };
    r.modify_plan(&mut plan);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        plan.planned.get("sha256"),
        Some(&Value::from(sha256.as_str()))
    );
    let other = config(
        &certificates(),
        &[
            ("connection_id", Value::from("c1")),
            ("sha256", Value::from("0".repeat(64))),
        ],
    );
    let mut plan = PlanContext {
        prior: &prior,
        config: &other,
        planned: other.clone(),
        diagnostics: Diagnostics::new(),
        requires_replace: vec![],
    };
    r.modify_plan(&mut plan);
    assert_eq!(
        plan.planned.get("sha256"),
        Some(&Value::from("0".repeat(64)))
    );
}

#[test]
fn the_schema_replaces_on_every_argument_but_the_write_only_one() {
    let s = Resource::schema(&Typed::new(certificates()));
    let replaced: Vec<&str> = s.requires_replace.iter().copied().collect();
    assert_eq!(replaced, vec!["connection_id", "hash", "sha1", "sha256"]);
    let encoded = s
        .schema
        .block
        .attribute("encoded_cert")
        .map(|a| a.write_only);
    assert_eq!(encoded, Some(true));
    let s = Resource::schema(&Typed::new(fingerprints()));
    let replaced: Vec<&str> = s.requires_replace.iter().copied().collect();
    assert_eq!(replaced, vec!["destination_id", "hash", "public_key"]);
}
