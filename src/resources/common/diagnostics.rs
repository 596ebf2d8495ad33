//! The one place where client errors become Terraform diagnostics: a summary, what happened,
//! and what to do about it. Resource code uses `?` on client calls (`From<client::Error>`),
//! and [`wait_error`] for waits, whose advice depends on what the operation leaves behind.

use crate::client::{wait::WaitError, Error};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

use crate::resources::approval::PinMiss;

/// The summary and the advice for a failed API call.
fn summary_and_advice(err: &Error) -> (&'static str, &'static str) {
    match err {
        Error::NotFound { .. } => ("Object Not Found", "It may have been deleted outside Terraform; run `terraform plan` to refresh."),
        Error::InvalidInput { .. } => ("Fivetran Rejected the Request", "Fix the configuration as the message says."),
        Error::Unauthorized { .. } => (
            "Fivetran Rejected the Credentials",
            "Check api_key and api_secret (or FIVETRAN_APIKEY and FIVETRAN_APISECRET).",
        ),
        Error::Forbidden { .. } => ("Permission Denied", "Use an API key whose user has the needed role."),
        Error::Conflict { .. } => ("Conflict", "Another object is in the way (a name already taken, or an object in use)."),
        Error::RateLimited { .. } => (
            "Fivetran Rate Limit",
            "The API asked us to slow down beyond this operation's timeout; retry later or raise the timeout.",
        ),
        Error::Server { .. } => ("Fivetran API Error", "The API failed even after retries; retry later."),
        Error::Transport { .. } => ("Cannot Reach the Fivetran API", "Check api_url, the network and any HTTPS_PROXY setting."),
        Error::Timeout { .. } => ("Timed Out", "Raise the timeout in the resource's `timeouts` block, then apply again."),
        Error::Cancelled { .. } => ("Interrupted", "The operation was stopped; apply again to continue."),
        Error::Decode { .. } => ("Unexpected API Answer", "This is a bug in the provider or a change in the API; please report it."),
        Error::MissingCredentials { .. } => (
            "Missing Fivetran API Credentials",
            "Set api_key and api_secret in the provider block, or FIVETRAN_APIKEY and FIVETRAN_APISECRET.",
        ),
    }
}

/// A failed API call as an error diagnostic.
pub fn api_error(err: &Error) -> Diagnostic {
    let (summary, advice) = summary_and_advice(err);
    Diagnostic::error(summary, format!("{err}\n\n{advice}"))
}

impl From<Error> for Diagnostics {
    fn from(err: Error) -> Self {
        api_error(&err).into()
    }
}

/// What a wait that did not finish leaves behind: the advice that goes with its error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Left {
    /// Nothing was created yet (the wait came before the create request).
    Nothing,
    /// A create's object is recorded in the state; Terraform marks it tainted.
    Created,
    /// An update was not sent yet (the wait came before it): the object is unchanged.
    Unchanged,
    /// An update was sent and is recorded in the state.
    Updated,
    /// A deletion did not finish: the object stays in the state.
    Deleting,
}

impl Left {
    fn after_timeout(self) -> &'static str {
        match self {
            Left::Nothing => "Nothing was created yet. Raise the `create` timeout in the `timeouts` block, then apply again.",
            Left::Created => "The object is recorded in the state and marked tainted. Raise the `create` timeout in the `timeouts` block and apply again: Terraform replaces it. If it has finished meanwhile, `terraform untaint` keeps it instead.",
            Left::Unchanged => "Nothing was changed yet. Raise the `update` timeout in the `timeouts` block, then apply again.",
            Left::Updated => "The change was sent and is recorded in the state; Fivetran carries on with it. Apply again once it has finished (the plan then shows no change), or raise the `update` timeout in the `timeouts` block.",
            Left::Deleting => "The object stays in the state; Fivetran may still be deleting it. Destroy (or apply) again: an object that is gone by then is simply forgotten. Raise the `delete` timeout in the `timeouts` block for slow clouds.",
        }
    }

    fn after_cancel(self, subject: &str) -> String {
        match self {
            Left::Nothing => "Nothing was created yet; apply again to continue.".to_string(),
            Left::Unchanged => "Nothing was changed yet; apply again to continue.".to_string(),
            Left::Created | Left::Updated => {
                format!("The {subject} is recorded in the state; apply again to continue.")
            }
            Left::Deleting => {
                format!("The {subject} is still in the state; destroy again to continue.")
            }
        }
    }
}

/// A failed wait as an error diagnostic; `subject` names the object (`private link "pl1"`),
/// `left` what the operation leaves behind.
pub fn wait_error<T>(subject: &str, left: Left, err: &WaitError<T>) -> Diagnostics {
    match err {
        WaitError::Api(e) => api_error(e),
        WaitError::Failed { .. } => {
            Diagnostic::error(format!("The {subject} Failed"), err.to_string())
        }
        WaitError::Timeout { .. } => Diagnostic::error(
            format!("Timed Out Waiting for the {subject}"),
            format!("{err}\n\n{}", left.after_timeout()),
        ),
        WaitError::Cancelled { .. } => Diagnostic::error(
            "Interrupted",
            format!("{err}\n\n{}", left.after_cancel(subject)),
        ),
    }
    .into()
}

/// A pin that matched nothing the parent presented: nothing was approved. Lists what was
/// presented instead (or why nothing was), so the user can compare.
pub fn pin_not_presented(miss: &PinMiss) -> Diagnostics {
    let seen = if !miss.presented.is_empty() {
        format!("It presented:\n  - {}", miss.presented.join("\n  - "))
    } else if !miss.failures.is_empty() {
        format!(
            "It presented no {} waiting for approval. Its failing setup tests:\n  - {}",
            miss.what,
            miss.failures.join("\n  - ")
        )
    } else {
        format!(
            "It presented no {} waiting for approval, and none of its setup tests failed.",
            miss.what
        )
    };
    let mut title: Vec<String> = miss
        .what
        .split(' ')
        .map(|w| match w {
            "SSH" => w.to_string(),
            w => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect();
    title.insert(0, "Pinned".into());
    title.push("Not Presented".into());
    Diagnostic::error(
        title.join(" "),
        format!(
            "The {} does not present a {} matching {}; nothing was approved.\n\n{seen}\n\n{}",
            miss.subject, miss.what, miss.pinned, miss.advice
        ),
    )
    .at(AttributePath::root(miss.attribute))
    .into()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn timeout() -> WaitError<()> {
        WaitError::Timeout {
            what: "updating private link \"pl\"".into(),
            waited: Duration::from_secs(2),
            last_state: Some("UPDATING".into()),
            last_error: None,
        }
    }

    fn detail(d: &Diagnostics) -> String {
        d.iter().map(|x| x.detail.clone()).collect()
    }

    #[test]
    fn a_timeout_s_advice_says_what_the_operation_left_and_which_timeout_to_raise() {
        let cases = [
            (Left::Nothing, "Nothing was created yet", "`create`"),
            (Left::Created, "marked tainted", "`create`"),
            (Left::Unchanged, "Nothing was changed yet", "`update`"),
            (Left::Updated, "The change was sent", "`update`"),
            (Left::Deleting, "The object stays in the state", "`delete`"),
        ];
        for (left, said, timeout_named) in cases {
            let text = detail(&wait_error("private link \"pl\"", left, &timeout()));
            assert!(text.contains("still UPDATING"), "{left:?}: {text}");
            assert!(text.contains(said), "{left:?}: {text}");
            assert!(text.contains(timeout_named), "{left:?}: {text}");
        }
        // Only a create is replaced.
        let update = detail(&wait_error(
            "private link \"pl\"",
            Left::Updated,
            &timeout(),
        ));
        assert!(!update.contains("replace"), "{update}");
    }

    #[test]
    fn an_interrupted_destroy_says_to_destroy_again() {
        let cancelled: WaitError<()> = WaitError::Cancelled {
            what: "deleting private link \"pl\"".into(),
            last_state: None,
        };
        let text = detail(&wait_error(
            "private link \"pl\"",
            Left::Deleting,
            &cancelled,
        ));
        assert!(text.contains("destroy again"), "{text}");
    }
}
