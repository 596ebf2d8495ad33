//! SSH host keys ("fingerprints" in the API): approved either as the API takes them
//! (`hash` and `public_key`) or by `public_key` alone, resolved against the host key the
//! parent's SSH tunnel presents.

use async_trait::async_trait;

use crate::client::{Client, Error, Fingerprint, Op, Parent};
use crate::protocol::{Attribute, AttributePath, Diagnostic, Diagnostics, Type};
use crate::resources::common::diagnostics::pin_not_presented;

use super::model::{spelled, FingerprintItem, FingerprintModel};
use super::pin::{parse_ssh_key, same_ssh_key, PinMiss, SshKey, SSH_KEY_TYPES};
use super::presented::{leave_as_found, passed_last_time, presented};
use super::{Approve, Kind, Names, ParentKind};

pub struct Fingerprints;

fn invalid_key(problem: String) -> Diagnostics {
    Diagnostic::error(
        "Invalid SSH Public Key",
        format!(
            "{problem}. Write the key as one line, `<type> <base64> [comment]`, e.g. the content of the host's `/etc/ssh/ssh_host_ed25519_key.pub`."
        ),
    )
    .at(AttributePath::root("public_key"))
    .into()
}

fn is_key(approved: &Fingerprint, key: &SshKey) -> bool {
    approved
        .public_key
        .as_deref()
        .and_then(|k| parse_ssh_key(k).ok())
        .is_some_and(|k| k == *key)
}

/// Approves the host key `key`: already approved, or presented by a failing setup test.
async fn approve_pinned(
    ctx: &Approve<'_, FingerprintModel>,
    parent: &Parent,
    key: &SshKey,
) -> Result<Fingerprint, Diagnostics> {
    let approved = ctx.client.fingerprints(ctx.op, parent).await?;
    if let Some(f) = approved.into_iter().find(|f| is_key(f, key)) {
        tracing::info!(hash = %f.hash, "the pinned host key is already approved");
        return Ok(f);
    }
    let passed_before = passed_last_time(ctx.client, ctx.op, ctx.parent, ctx.parent_id).await?;
    let presented = presented(ctx.client, ctx.op, ctx.parent, ctx.parent_id).await?;
    if let Some(k) = presented.host_keys.iter().find(|k| k.key == *key) {
        let approved = ctx
            .client
            .approve_fingerprint(ctx.op, parent, &k.hash, &k.public_key)
            .await?;
        if passed_before {
            leave_as_found(ctx.client, ctx.op, ctx.parent, ctx.parent_id).await;
        }
        return Ok(approved);
    }
    Err(pin_not_presented(&PinMiss {
        attribute: "public_key",
        subject: ctx.parent.subject(ctx.parent_id),
        what: Fingerprints::NOUN,
        pinned: format!("{} ({})", key.key_type, key.fingerprint()),
        presented: presented
            .host_keys
            .iter()
            .map(|k| {
                format!(
                    "{}: {} ({})",
                    k.name.as_deref().unwrap_or("(no name)"),
                    k.key.line(),
                    k.key.fingerprint()
                )
            })
            .collect(),
        failures: presented.failures,
        advice: "Check the key against the tunnel host's key (e.g. `ssh-keyscan -t ed25519 HOST`), or pin one of the keys listed.".into(),
    }))
}

#[async_trait]
impl Kind for Fingerprints {
    type Approval = Fingerprint;
    type Model = FingerprintModel;
    type Item = FingerprintItem;

    const NOUN: &'static str = "SSH host key";

    fn arguments() -> &'static [&'static str] {
        &["hash", "public_key"]
    }

    fn stable() -> &'static [&'static str] {
        &["hash", "public_key"]
    }

    fn item_attributes() -> Vec<(&'static str, &'static str)> {
        vec![
            ("id", "The approval's id."),
            ("hash", "The key's hash."),
            ("public_key", "The key."),
            ("validated_by", "Who approved it."),
            ("validated_date", "When it was approved."),
        ]
    }

    const CONNECTION: Names = Names {
        resource: "fivetran_connection_fingerprint",
        data_source: "fivetran_connection_fingerprints",
        listing: &[("connection_id", "parent_id"), ("fingerprints", "items")],
    };
    const DESTINATION: Names = Names {
        resource: "fivetran_destination_fingerprint",
        data_source: "fivetran_destination_fingerprints",
        listing: &[("destination_id", "parent_id"), ("fingerprints", "items")],
    };

    fn description(parent: ParentKind) -> String {
        format!(
            "One SSH host key (fingerprint) approved for a {0} reached through an SSH tunnel. Give the host's `public_key` alone, and the provider runs the {0}'s setup tests and approves exactly that key if the tunnel presents it; or give `hash` with it, as the API takes them. Other keys approved for the same {0} are left alone.",
            parent.noun()
        )
    }

    fn attributes(parent: ParentKind) -> Vec<Attribute> {
        vec![
            Attribute::optional_computed("hash", Type::String).describe(&format!(
                "The key's hash as Fivetran names it (the OpenSSH `SHA256:` fingerprint without its prefix; may contain `/` and `+`). Set it to approve the key as the API takes it; without it, the provider finds the key the {}'s tunnel presents. Changing it replaces the approval.",
                parent.noun()
            )),
            Attribute::required("public_key", Type::String).describe(&format!(
                "The SSH public key line, `<type> <base64> [comment]` (types: {}). Keys are compared by type and body: the comment does not matter. Changing the key replaces the approval.",
                SSH_KEY_TYPES.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            )),
        ]
    }

    fn validate(_parent: ParentKind, config: &FingerprintModel, diags: &mut Diagnostics) {
        if let Some(Err(e)) = config.public_key.as_deref().map(parse_ssh_key) {
            diags.extend(invalid_key(e));
        }
        if config
            .hash
            .as_deref()
            .is_some_and(|h| h.trim().is_empty() || h.contains(char::is_whitespace))
        {
            diags.attribute_error(
                AttributePath::root("hash"),
                "Invalid Hash",
                "The hash must be non-empty and without spaces, as the setup test reported it (or leave it out to let the provider find it).",
            );
        }
    }

    fn keep_spelling(
        config: &FingerprintModel,
        prior: &FingerprintModel,
        planned: &mut FingerprintModel,
    ) {
        if let (Some(w), Some(p)) = (config.public_key.as_deref(), prior.public_key.as_deref()) {
            if w != p && same_ssh_key(w, p) {
                planned.public_key = p.into();
            }
        }
    }

    async fn approve(ctx: &Approve<'_, FingerprintModel>) -> Result<Fingerprint, Diagnostics> {
        let parent = ctx.parent.parent(ctx.parent_id);
        let key =
            parse_ssh_key(ctx.planned.public_key.require("public_key")?).map_err(invalid_key)?;
        let Some(hash) = ctx.config.hash.get() else {
            return approve_pinned(ctx, &parent, &key).await;
        };
        Ok(ctx
            .client
            .approve_fingerprint(ctx.op, &parent, hash, &key.line())
            .await?)
    }

    async fn get(
        client: &Client,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Fingerprint, Error> {
        client.fingerprint(op, parent, hash).await
    }

    async fn revoke(client: &Client, op: &Op, parent: &Parent, hash: &str) -> Result<(), Error> {
        client.revoke_fingerprint(op, parent, hash).await
    }

    async fn list(client: &Client, op: &Op, parent: &Parent) -> Result<Vec<Fingerprint>, Error> {
        client.fingerprints(op, parent).await
    }

    fn state(f: &Fingerprint, base: &FingerprintModel) -> FingerprintModel {
        FingerprintModel {
            public_key: spelled(&base.public_key, f.public_key.as_deref(), same_ssh_key),
            validated_by: f.validated_by.clone().into(),
            validated_date: f.validated_date.clone().into(),
            ..base.clone()
        }
    }

    fn item(parent_id: &str, f: &Fingerprint) -> FingerprintItem {
        FingerprintItem {
            id: super::id::approval_id(parent_id, &f.hash).into(),
            hash: f.hash.clone().into(),
            public_key: f.public_key.clone().into(),
            validated_by: f.validated_by.clone().into(),
            validated_date: f.validated_date.clone().into(),
        }
    }

    fn hash(f: &Fingerprint) -> &str {
        &f.hash
    }
}
