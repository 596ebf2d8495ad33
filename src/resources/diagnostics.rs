//! The one place where client errors become Terraform diagnostics: a summary, what happened,
//! and what to do about it.

use crate::client::{wait::WaitError, Error};
use crate::protocol::{AttributePath, Diagnostics};

use super::approval::PinMiss;

/// A failed API call as an error diagnostic.
pub fn api_error(err: &Error) -> Diagnostics {
    let (summary, advice) = match err {
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
    };
    let mut d = Diagnostics::new();
    d.error(summary, format!("{err}\n\n{advice}"));
    d
}

/// A failed wait as an error diagnostic; `subject` names the object (`private link "pl1"`).
pub fn wait_error<T>(subject: &str, err: &WaitError<T>) -> Diagnostics {
    let mut d = Diagnostics::new();
    match err {
        WaitError::Api(e) => return api_error(e),
        WaitError::Failed { .. } => d.error(format!("The {subject} Failed"), err.to_string()),
        WaitError::Timeout { .. } => d.error(
            format!("Timed Out Waiting for the {subject}"),
            format!("{err}\n\nThe object is recorded in the state. Raise the timeout in the `timeouts` block and apply again; Terraform will replace it, or wait longer with `terraform apply -refresh-only` if it finished meanwhile."),
        ),
        WaitError::Cancelled { .. } => d.error(
            "Interrupted",
            format!("{err}\n\nThe {subject} is recorded in the state; apply again to continue."),
        ),
    }
    d
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
    let mut d = Diagnostics::new();
    d.attribute_error(
        AttributePath::root(miss.attribute),
        title.join(" "),
        format!(
            "The {} does not present a {} matching {}; nothing was approved.\n\n{seen}\n\n{}",
            miss.subject, miss.what, miss.pinned, miss.advice
        ),
    );
    d
}
