//! Certificates: approved either as the API takes them (`hash` and `encoded_cert`) or by
//! a pin (`sha256` and/or `sha1`) resolved against what the parent presents.

use async_trait::async_trait;

use crate::client::{Certificate, Client, Error, Op, Parent};
use crate::protocol::{Attribute, AttributePath, Diagnostic, Diagnostics, Type};
use crate::resources::common::diagnostics::pin_not_presented;

use super::model::{spelled, CertificateItem, CertificateModel};
use super::pin::{
    encoded_cert_body, parse_hex, same_hex, CertificatePin, PinMiss, SHA1_DIGITS, SHA256_DIGITS,
};
use super::presented::{leave_as_found, passed_last_time, presented_certificates, HOST_KEY_GRACE};
use super::{Approve, Kind, Names, ParentKind};

pub struct Certificates;

/// The pin written in `value` (fingerprints that do not parse are left out; validation
/// reported them).
fn pin_of(value: &CertificateModel) -> CertificatePin {
    CertificatePin {
        sha256: value
            .sha256
            .as_deref()
            .and_then(|s| parse_hex(s, SHA256_DIGITS).ok()),
        sha1: value
            .sha1
            .as_deref()
            .and_then(|s| parse_hex(s, SHA1_DIGITS).ok()),
    }
}

fn one_error(path: &str, summary: &str, detail: String) -> Diagnostics {
    Diagnostic::error(summary, detail)
        .at(AttributePath::root(path))
        .into()
}

/// Approves the certificate the pin names: already approved, or presented by a failing
/// setup test.
async fn approve_pinned(
    ctx: &Approve<'_, CertificateModel>,
    parent: &Parent,
) -> Result<Certificate, Diagnostics> {
    let pin = pin_of(ctx.planned);
    let approved = ctx.client.certificates(ctx.op, parent).await?;
    if let Some(c) = approved
        .into_iter()
        .find(|c| pin.matches(c.sha256.as_deref(), c.sha1.as_deref()))
    {
        tracing::info!(hash = %c.hash, "the pinned certificate is already approved");
        return Ok(c);
    }
    let passed_before = passed_last_time(ctx.client, ctx.op, ctx.parent, ctx.parent_id).await?;
    let presented = presented_certificates(ctx.client, ctx.op, ctx.parent, ctx.parent_id).await?;
    if let Some(c) = presented
        .certificates
        .iter()
        .find(|c| pin.matches(c.sha256.as_deref(), c.sha1.as_deref()))
    {
        let approved = ctx
            .client
            .approve_certificate(ctx.op, parent, &c.hash, &c.encoded_cert)
            .await?;
        if passed_before {
            leave_as_found(ctx.client, ctx.op, ctx.parent, ctx.parent_id).await;
        }
        return Ok(approved);
    }
    let advice = if presented.blocked_by_host_key() {
        format!(
            "The setup tests stop at the SSH host key check before they check the certificate. Approve that host key too (`fivetran_{}_fingerprint`); this resource waits up to {} minutes for that to happen in the same apply.",
            ctx.parent.noun(),
            HOST_KEY_GRACE.as_secs() / 60
        )
    } else {
        "Check the pin against the server's certificate (e.g. `openssl s_client -connect HOST:PORT </dev/null | openssl x509 -noout -fingerprint -sha256`), or pin one of the certificates listed.".to_string()
    };
    Err(pin_not_presented(&PinMiss {
        attribute: if pin.sha256.is_some() {
            "sha256"
        } else {
            "sha1"
        },
        subject: ctx.parent.subject(ctx.parent_id),
        what: Certificates::NOUN,
        pinned: pin.describe(),
        presented: presented
            .certificates
            .iter()
            .map(|c| {
                format!(
                    "{}: SHA-256 {}{}",
                    c.name.as_deref().unwrap_or("(no name)"),
                    c.sha256.as_deref().unwrap_or("unknown"),
                    c.sha1
                        .as_deref()
                        .map(|s| format!(", SHA-1 {s}"))
                        .unwrap_or_default()
                )
            })
            .collect(),
        failures: presented.failures,
        advice,
    }))
}

#[async_trait]
impl Kind for Certificates {
    type Approval = Certificate;
    type Model = CertificateModel;
    type Item = CertificateItem;

    const NOUN: &'static str = "certificate";

    fn arguments() -> &'static [&'static str] {
        &["hash", "sha256", "sha1"]
    }

    fn stable() -> &'static [&'static str] {
        &["hash", "name", "type", "sha1", "sha256", "public_key"]
    }

    fn item_attributes() -> Vec<(&'static str, &'static str)> {
        vec![
            ("id", "The approval's id."),
            ("hash", "The certificate's hash."),
            ("name", "Its subject."),
            ("type", "Its type."),
            ("sha1", "Its SHA-1 fingerprint."),
            ("sha256", "Its SHA-256 fingerprint."),
            ("public_key", "Its public key."),
            ("validated_by", "Who approved it."),
            ("validated_date", "When it was approved."),
        ]
    }

    const CONNECTION: Names = Names {
        resource: "fivetran_connection_certificate",
        data_source: "fivetran_connection_certificates",
        listing: &[("connection_id", "parent_id"), ("certificates", "items")],
    };
    const DESTINATION: Names = Names {
        resource: "fivetran_destination_certificate",
        data_source: "fivetran_destination_certificates",
        listing: &[("destination_id", "parent_id"), ("certificates", "items")],
    };

    fn description(parent: ParentKind) -> String {
        format!(
            "One TLS certificate approved for a {0}. Either pin it by its `sha256` (or `sha1`) fingerprint, and the provider runs the {0}'s setup tests and approves exactly the certificate presented with that fingerprint; or give its `hash` and `encoded_cert` as the API takes them. Other certificates approved for the same {0} are left alone.",
            parent.noun()
        )
    }

    fn attributes(parent: ParentKind) -> Vec<Attribute> {
        let noun = parent.noun();
        vec![
            Attribute::optional_computed("hash", Type::String).describe(
                "The certificate's hash, as Fivetran names it (base64; may contain `/` and `+`). Set it together with `encoded_cert` to approve a certificate you already have; with a pin it is found by the provider. Changing it replaces the approval.",
            ),
            Attribute::optional("encoded_cert", Type::String).write_only().describe(
                "The certificate (base64, or PEM, sent as its base64 body), with `hash`. Only sent when approving: Fivetran never returns it, so it is not kept in the state.",
            ),
            Attribute::optional_computed("sha256", Type::String).describe(&format!(
                "Pin: the certificate's SHA-256 fingerprint, 64 hexadecimal digits, colons allowed, any case (e.g. the output of `openssl x509 -noout -fingerprint -sha256`). The provider approves the certificate the {noun} presents with this fingerprint, or fails listing what it presented. Changing it replaces the approval."
            )),
            Attribute::optional_computed("sha1", Type::String).describe(
                "Pin: the certificate's SHA-1 fingerprint, 40 hexadecimal digits, colons allowed (with or instead of `sha256`). Changing it replaces the approval.",
            ),
            Attribute::computed("name", Type::String).describe("The certificate's subject, e.g. `CN=db.example.com`."),
            Attribute::computed("type", Type::String).describe("The certificate's type, e.g. `TLS`."),
            Attribute::computed("public_key", Type::String).describe("The certificate's public key, as Fivetran describes it."),
        ]
    }

    fn validate(_parent: ParentKind, config: &CertificateModel, diags: &mut Diagnostics) {
        let explicit = !config.hash.is_null() || !config.encoded_cert.is_null();
        let pinned = !config.sha256.is_null() || !config.sha1.is_null();
        let pin_attr = if config.sha256.is_null() {
            "sha1"
        } else {
            "sha256"
        };
        match (explicit, pinned) {
            (true, true) => diags.attribute_error(
                AttributePath::root(pin_attr),
                "Conflicting Arguments",
                "Set either a pin (`sha256` and/or `sha1`) or `hash` and `encoded_cert` (the certificate as the API takes it), not both. (Configuration generated by `terraform plan -generate-config-out` holds all of them: keep `sha256` and remove `hash`, `sha1` and `encoded_cert`.)",
            ),
            (false, false) => diags.attribute_error(
                AttributePath::root("sha256"),
                "Missing Certificate",
                "Set `sha256` (or `sha1`) to pin the certificate that is presented, or `hash` and `encoded_cert` to approve a certificate you already have.",
            ),
            (true, false) => {
                for (name, set, other) in [
                    ("hash", !config.hash.is_null(), "encoded_cert"),
                    ("encoded_cert", !config.encoded_cert.is_null(), "hash"),
                ] {
                    if !set {
                        diags.attribute_error(
                            AttributePath::root(name),
                            "Missing Argument",
                            format!("`{other}` needs `{name}`: set both to approve a certificate as the API takes it (or use a `sha256` pin instead)."),
                        );
                    }
                }
            }
            (false, true) => {}
        }
        for (name, value, digits, label) in [
            ("sha256", &config.sha256, SHA256_DIGITS, "SHA-256"),
            ("sha1", &config.sha1, SHA1_DIGITS, "SHA-1"),
        ] {
            if let Some(Err(e)) = value.as_deref().map(|s| parse_hex(s, digits)) {
                diags.attribute_error(
                    AttributePath::root(name),
                    format!("Invalid {label} Fingerprint"),
                    format!(
                        "{e}. Write the fingerprint in hexadecimal, e.g. `AB:CD:...` or `abcd...`."
                    ),
                );
            }
        }
        if config
            .hash
            .as_deref()
            .is_some_and(|h| h.trim().is_empty() || h.contains(char::is_whitespace))
        {
            diags.attribute_error(
                AttributePath::root("hash"),
                "Invalid Hash",
                "The hash must be non-empty and without spaces, as the setup test reported it.",
            );
        }
        if let Some(Err(e)) = config.encoded_cert.as_deref().map(encoded_cert_body) {
            diags.attribute_error(
                AttributePath::root("encoded_cert"),
                "Invalid Encoded Certificate",
                format!("{e}. Give the certificate in base64 (as the setup test reported it) or as a PEM block."),
            );
        }
    }

    fn keep_spelling(
        config: &CertificateModel,
        prior: &CertificateModel,
        planned: &mut CertificateModel,
    ) {
        for (written, before, plan) in [
            (&config.sha256, &prior.sha256, &mut planned.sha256),
            (&config.sha1, &prior.sha1, &mut planned.sha1),
        ] {
            if let (Some(w), Some(p)) = (written.as_deref(), before.as_deref()) {
                if w != p && same_hex(w, p) {
                    *plan = p.into();
                }
            }
        }
    }

    async fn approve(ctx: &Approve<'_, CertificateModel>) -> Result<Certificate, Diagnostics> {
        let parent = ctx.parent.parent(ctx.parent_id);
        let Some(hash) = ctx.config.hash.get() else {
            return approve_pinned(ctx, &parent).await;
        };
        let encoded = match ctx.config.encoded_cert.as_deref().map(encoded_cert_body) {
            Some(Ok(body)) => body,
            Some(Err(e)) => {
                return Err(one_error("encoded_cert", "Invalid Encoded Certificate", e))
            }
            None => {
                return Err(one_error(
                    "encoded_cert",
                    "Missing Argument",
                    "`hash` needs `encoded_cert`.".into(),
                ))
            }
        };
        Ok(ctx
            .client
            .approve_certificate(ctx.op, &parent, hash, &encoded)
            .await?)
    }

    async fn get(
        client: &Client,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Certificate, Error> {
        client.certificate(op, parent, hash).await
    }

    async fn revoke(client: &Client, op: &Op, parent: &Parent, hash: &str) -> Result<(), Error> {
        client.revoke_certificate(op, parent, hash).await
    }

    async fn list(client: &Client, op: &Op, parent: &Parent) -> Result<Vec<Certificate>, Error> {
        client.certificates(op, parent).await
    }

    fn state(c: &Certificate, base: &CertificateModel) -> CertificateModel {
        CertificateModel {
            name: c.name.clone().into(),
            kind: c.kind.clone().into(),
            sha1: spelled(&base.sha1, c.sha1.as_deref(), same_hex),
            sha256: spelled(&base.sha256, c.sha256.as_deref(), same_hex),
            public_key: c.public_key.clone().into(),
            validated_by: c.validated_by.clone().into(),
            validated_date: c.validated_date.clone().into(),
            ..base.clone()
        }
    }

    fn item(parent_id: &str, c: &Certificate) -> CertificateItem {
        CertificateItem {
            id: super::id::approval_id(parent_id, &c.hash).into(),
            hash: c.hash.clone().into(),
            name: c.name.clone().into(),
            kind: c.kind.clone().into(),
            sha1: c.sha1.clone().into(),
            sha256: c.sha256.clone().into(),
            public_key: c.public_key.clone().into(),
            validated_by: c.validated_by.clone().into(),
            validated_date: c.validated_date.clone().into(),
        }
    }

    fn hash(c: &Certificate) -> &str {
        &c.hash
    }
}
