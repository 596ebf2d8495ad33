//! What the resource families share: the configured client they all receive, how client
//! errors become diagnostics, a connector's `config` and its secrets, the networking method
//! and the wait for a private link, and the setup-test results and their report.
//!
//! * `diagnostics.rs`: client and wait errors as diagnostics, with the advice for the user.
//! * `answered.rs`: how the API answered the last write (private state), so a refresh
//!   tells the API's rewrites from real changes.
//! * `config.rs`: a connector `config` as an HCL object sent as JSON, masked secrets, drift.
//! * `config_args.rs`: `config`, `config_secrets`, `config_secrets_wo` and its version:
//!   what a create and an update send, and their plan-time checks.
//! * `networking.rs`: networking methods, their plan-time checks, and waiting until a
//!   private link is `OK`.
//! * `test_results.rs`: setup-test results as Terraform shows them, and the report of a run
//!   (what failed, and the approval block that fixes an untrusted certificate or host key).
//! * `gate.rs`: the part of a setup-tests gate any parent shares (run, report, wait until
//!   connected).
//! * `lookup.rs`: a refresh where "gone" is an answer, and a data source's choice of one
//!   object by `id` or `name`.
//! * `parent.rs`: what a certificate, host key or setup-test run belongs to (a connection or
//!   a destination).

pub mod answered;
pub mod config;
pub mod config_args;
pub mod diagnostics;
pub mod gate;
pub mod lookup;
pub mod networking;
pub mod parent;
pub mod test_results;

use crate::client::Client;
use crate::framework::typed::Attr;
use crate::protocol::{AttributePath, Diagnostics};

/// Items as a comma-separated list of code spans (`` `a`, `b` ``), for messages and docs.
pub fn listing<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An error on attribute `name` when its value is known and not one of `allowed` (the
/// API's enum); `what` names what the value should be ("a schedule type").
pub fn one_of(
    value: &Attr<String>,
    allowed: &[&str],
    name: &str,
    summary: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    if let Some(v) = value.as_deref().filter(|v| !allowed.contains(v)) {
        diags.attribute_error(
            AttributePath::root(name),
            summary,
            format!(
                "{v:?} is not {what}; use one of {}.",
                listing(allowed.iter().copied())
            ),
        );
    }
}

/// An error on attribute `name` when its value is known and blank; `what` says what to
/// write instead.
pub fn not_blank(value: &Attr<String>, name: &str, what: &str, diags: &mut Diagnostics) {
    if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
        diags.attribute_error(
            AttributePath::root(name),
            format!("Empty {name}"),
            format!("{name} is empty; {what}."),
        );
    }
}

/// What every resource receives: the API client built from the provider block. Missing
/// credentials are reported by the client at the first call that needs them.
pub struct Configured {
    pub api: Client,
}
