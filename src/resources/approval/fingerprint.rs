//! SSH host keys ("fingerprints" in the API): approved either as the API takes them
//! (`hash` and `public_key`) or by `public_key` alone, resolved against the host key the
//! parent's SSH tunnel presents.

use async_trait::async_trait;

use crate::client::{Client, Error, Fingerprint, Op, Parent};
use crate::framework::model::{attr, string};
use crate::protocol::{Attribute, AttributePath, Diagnostics, Type, Value};

use super::pin::{parse_ssh_key, same_ssh_key, PinMiss, SshKey, SSH_KEY_TYPES};
use super::setup_tests::{leave_as_found, passed_last_time, presented};
use super::{Approve, Kind, ParentKind, SameValue};
use crate::resources::diagnostics::{api_error, pin_not_presented};

pub struct Fingerprints;

fn invalid_key(problem: String) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.attribute_error(
        AttributePath::root("public_key"),
        "Invalid SSH Public Key",
        format!(
            "{problem}. Write the key as one line, `<type> <base64> [comment]`, e.g. the content of the host's `/etc/ssh/ssh_host_ed25519_key.pub`."
        ),
    );
    d
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
    ctx: &Approve<'_>,
    parent: &Parent,
    key: &SshKey,
) -> Result<Fingerprint, Diagnostics> {
    let approved = ctx
        .client
        .fingerprints(ctx.op, parent)
        .await
        .map_err(|e| api_error(&e))?;
    if let Some(f) = approved.into_iter().find(|f| is_key(f, key)) {
        tracing::info!(hash = %f.hash, "the pinned host key is already approved");
        return Ok(f);
    }
    let passed_before = passed_last_time(ctx.client, ctx.op, ctx.parent, ctx.parent_id)
        .await
        .map_err(|e| api_error(&e))?;
    let presented = presented(ctx.client, ctx.op, ctx.parent, ctx.parent_id)
        .await
        .map_err(|e| api_error(&e))?;
    if let Some(k) = presented.host_keys.iter().find(|k| k.key == *key) {
        let approved = ctx
            .client
            .approve_fingerprint(ctx.op, parent, &k.hash, &k.public_key)
            .await
            .map_err(|e| api_error(&e))?;
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

    const NOUN: &'static str = "SSH host key";
    const ARGUMENTS: &'static [&'static str] = &["hash", "public_key"];
    const VALUES: &'static [&'static str] =
        &["hash", "public_key", "validated_by", "validated_date"];
    const SPELLINGS: &'static [(&'static str, SameValue)] = &[("public_key", same_ssh_key)];
    const LIST: &'static str = "fingerprints";

    fn type_name(parent: ParentKind) -> &'static str {
        match parent {
            ParentKind::Connection => "fivetran_connection_fingerprint",
            ParentKind::Destination => "fivetran_destination_fingerprint",
        }
    }

    fn data_type_name(parent: ParentKind) -> &'static str {
        match parent {
            ParentKind::Connection => "fivetran_connection_fingerprints",
            ParentKind::Destination => "fivetran_destination_fingerprints",
        }
    }

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

    fn validate(_parent: ParentKind, config: &Value, diags: &mut Diagnostics) {
        if let Some(Err(e)) = string(config, "public_key").map(|k| parse_ssh_key(&k)) {
            diags.extend(invalid_key(e));
        }
        if string(config, "hash")
            .is_some_and(|h| h.trim().is_empty() || h.contains(char::is_whitespace))
        {
            diags.attribute_error(
                AttributePath::root("hash"),
                "Invalid Hash",
                "The hash must be non-empty and without spaces, as the setup test reported it (or leave it out to let the provider find it).",
            );
        }
    }

    async fn approve(ctx: &Approve<'_>) -> Result<Fingerprint, Diagnostics> {
        let parent = ctx.parent.parent(ctx.parent_id);
        let key = parse_ssh_key(&string(ctx.planned, "public_key").unwrap_or_default())
            .map_err(invalid_key)?;
        if attr(ctx.config, "hash").is_null() {
            return approve_pinned(ctx, &parent, &key).await;
        }
        let hash = string(ctx.config, "hash").unwrap_or_default();
        ctx.client
            .approve_fingerprint(ctx.op, &parent, &hash, &key.line())
            .await
            .map_err(|e| api_error(&e))
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

    fn values(f: &Fingerprint) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("hash", Some(f.hash.clone())),
            ("public_key", f.public_key.clone()),
            ("validated_by", f.validated_by.clone()),
            ("validated_date", f.validated_date.clone()),
        ]
    }

    fn hash(f: &Fingerprint) -> &str {
        &f.hash
    }
}
