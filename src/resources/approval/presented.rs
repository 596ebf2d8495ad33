//! Runs a parent's setup tests to see which certificates and SSH host keys it presents:
//! Fivetran shows an untrusted one in the `details` of the failing test.
//!
//! Fivetran checks the SSH tunnel's host key before the certificate and skips everything
//! after a failure, so a certificate pin behind an unapproved host key sees no certificate.
//! When the host key is approved in the same apply (a fingerprint resource beside the
//! certificate resource, created in parallel), that is only a matter of seconds: the
//! certificate pin then runs the tests again on the client's poll schedule, for at most
//! [`HOST_KEY_GRACE`], before it reports what it saw.

use std::time::Duration;

use crate::client::wait::{self, Progress, WaitError};
use crate::client::{Client, Connection, Destination, Error, Op, SetupState};
use crate::protocol::{Diagnostic, Diagnostics};

use super::pin::{self, Presented};
use super::ParentKind;
use crate::resources::common::diagnostics::api_error;

/// How long a certificate pin waits for a host-key check in front of it to pass. Long
/// enough for a fingerprint resource of the same apply to approve the key (it needs one
/// setup-test run and one request), short enough that a forgotten fingerprint fails soon.
pub const HOST_KEY_GRACE: Duration = Duration::from_secs(120);

/// Whether the parent's last setup tests passed (`connected` / `CONNECTED`). A pin asks
/// before its own test run, which fails on what it has come to approve.
pub async fn passed_last_time(
    client: &Client,
    op: &Op,
    parent: ParentKind,
    parent_id: &str,
) -> Result<bool, Error> {
    Ok(match parent {
        ParentKind::Connection => {
            client.connection(op, parent_id).await?.status.setup_state
                == Some(SetupState::Connected)
        }
        ParentKind::Destination => client
            .destination(op, parent_id)
            .await?
            .setup_status
            .is_some_and(|s| s.eq_ignore_ascii_case("connected")),
    })
}

/// After an approval found by a test run of ours, runs the tests once more when the parent's
/// tests had passed before that run. Fivetran keeps the failed run's setup state until the
/// next run, so the parent would otherwise stay broken over a certificate or key it now
/// trusts (and the next plan would show its `fivetran_connection_setup_tests` re-testing).
/// A failure here is logged, not returned: the approval itself is done.
pub async fn leave_as_found(client: &Client, op: &Op, parent: ParentKind, parent_id: &str) {
    match presented(client, op, parent, parent_id).await {
        Ok(_) => tracing::info!(
            parent = %parent.subject(parent_id),
            "ran the setup tests again after the approval, as they had passed before"
        ),
        Err(e) => tracing::warn!(
            parent = %parent.subject(parent_id),
            error = %e,
            "could not run the setup tests again after the approval"
        ),
    }
}

/// Runs the setup tests of `parent_id` once (trusting nothing) and collects what they
/// presented.
pub async fn presented(
    client: &Client,
    op: &Op,
    parent: ParentKind,
    parent_id: &str,
) -> Result<Presented, Error> {
    let tests = match parent {
        ParentKind::Connection => {
            client
                .run_setup_tests::<Connection>(op, parent_id, None, None)
                .await?
                .setup_tests
        }
        ParentKind::Destination => {
            client
                .run_setup_tests::<Destination>(op, parent_id, None, None)
                .await?
                .setup_tests
        }
    };
    Ok(pin::presented(&tests))
}

/// Like [`presented`], but while a host-key check stops the tests before any certificate
/// is checked, runs them again (see the module docs). After [`HOST_KEY_GRACE`] (or the
/// operation's deadline) it returns the blocked result for the caller to report.
pub async fn presented_certificates(
    client: &Client,
    op: &Op,
    parent: ParentKind,
    parent_id: &str,
) -> Result<Presented, Diagnostics> {
    let first = presented(client, op, parent, parent_id)
        .await
        .map_err(|e| api_error(&e))?;
    if !first.blocked_by_host_key() {
        return Ok(first);
    }
    tracing::info!(
        parent = %parent.subject(parent_id),
        "the setup tests stopped at the SSH host key check; running them again while it may be approved"
    );
    let grace = Op::new(
        format!(
            "waiting for the SSH host key of {} to be approved",
            parent.subject(parent_id)
        ),
        op.remaining().min(HOST_KEY_GRACE),
        op.cancel.clone(),
    );
    let waited = wait::until(
        &grace,
        client.poll_policy(),
        || presented(client, &grace, parent, parent_id),
        |p: &Presented| {
            if p.blocked_by_host_key() {
                Progress::Pending {
                    state: "stopped at the SSH host key check".into(),
                }
            } else {
                Progress::Done
            }
        },
    )
    .await;
    match waited {
        Ok(p) => Ok(p),
        Err(WaitError::Timeout { .. } | WaitError::Failed { .. }) => Ok(first),
        Err(WaitError::Api(e)) => Err(e.into()),
        Err(WaitError::Cancelled { .. }) => Err(Diagnostic::error(
            "Interrupted",
            format!(
                "The apply was stopped while waiting for the SSH host key of {} to be approved; nothing was approved. Apply again to continue.",
                parent.subject(parent_id)
            ),
        )
        .into()),
    }
}
