//! The one error type of the client: what went wrong, as a kind a caller can act on,
//! with the context a user needs (what was being done, the request, the API's answer).
//!
//! Never holds credentials or request bodies: connection configs carry secrets, so only
//! the method, the path (ids and hashes) and the API's own `code` and `message` are kept.

use std::fmt;
use std::time::Duration;

/// Where and why a request failed. Every [`Error`] carries one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// The user-level operation, e.g. `creating private link "pl1"`.
    pub what: String,
    /// HTTP method of the failing request (empty when no request was made).
    pub method: String,
    /// Path below the base URL, e.g. `/private-links/abc` (empty when no request was made).
    pub path: String,
    /// HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// The API's `code`, e.g. `NotFound_PrivateLink`.
    pub code: Option<String>,
    /// The API's `message`, or a description of what failed on our side.
    pub message: Option<String>,
    /// What the client did about it (e.g. why it did not retry), added to the message.
    pub note: Option<String>,
}

impl Context {
    /// Context for a request `method path` made while doing `what`.
    pub fn new(what: &str, method: &str, path: &str) -> Context {
        Context {
            what: what.to_string(),
            method: method.to_string(),
            path: path.to_string(),
            ..Context::default()
        }
    }

    /// The same context with this message.
    pub fn with_message(mut self, message: impl Into<String>) -> Context {
        self.message = Some(message.into());
        self
    }
}

/// A failed call. Match on the variant to decide what to do; `Display` gives the message
/// a user should see, e.g.
/// `creating private link "pl1": HTTP 400 InvalidInput: Field 'config.vpce_id' is required [POST /private-links]`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// HTTP 404, or a `NotFound*` code: the object does not exist (any more).
    #[error("{}", render(ctx, None))]
    NotFound { ctx: Box<Context> },
    /// HTTP 400 (and other 4xx not listed here): the API refused the request as invalid.
    #[error("{}", render(ctx, None))]
    InvalidInput { ctx: Box<Context> },
    /// HTTP 401: the API key and secret were not accepted.
    #[error("{}", render(ctx, Some("check the API key and secret")))]
    Unauthorized { ctx: Box<Context> },
    /// HTTP 403: the key's user may not do this.
    #[error(
        "{}",
        render(ctx, Some("the API key's user lacks the permission for this"))
    )]
    Forbidden { ctx: Box<Context> },
    /// HTTP 409: the request conflicts with the current state (name taken, object in use).
    #[error("{}", render(ctx, None))]
    Conflict { ctx: Box<Context> },
    /// HTTP 429: too many requests; `retry_after` is what the API asked us to wait.
    #[error("{}", render_rate_limited(ctx, *retry_after))]
    RateLimited {
        retry_after: Option<Duration>,
        ctx: Box<Context>,
    },
    /// HTTP 5xx: the API failed.
    #[error("{}", render(ctx, None))]
    Server { ctx: Box<Context> },
    /// No HTTP answer (connection refused or reset, no response in time). `ambiguous`: the
    /// request may have reached the API and been processed.
    #[error("{}", render_transport(ctx, *ambiguous))]
    Transport { ambiguous: bool, ctx: Box<Context> },
    /// The operation's deadline passed.
    #[error("{}", render(ctx, None))]
    Timeout { ctx: Box<Context> },
    /// The operation was cancelled (the caller asked to stop).
    #[error("{}", render(ctx, None))]
    Cancelled { ctx: Box<Context> },
    /// The API answered something we could not read.
    #[error("{}", render(ctx, None))]
    Decode { ctx: Box<Context> },
    /// No API key or secret was configured (where to set them is the caller's to say).
    #[error("{}: no Fivetran API key and secret were configured", ctx.what)]
    MissingCredentials { ctx: Box<Context> },
}

/// An answer whose 404 means "there is none": `Ok(None)` for it, other errors as they are.
pub fn not_found_as_none<T>(answer: Result<T, Error>) -> Result<Option<T>, Error> {
    match answer {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The context every variant carries, through a shared or a mutable reference alike.
macro_rules! context_of {
    ($error:expr) => {
        match $error {
            Error::NotFound { ctx }
            | Error::InvalidInput { ctx }
            | Error::Unauthorized { ctx }
            | Error::Forbidden { ctx }
            | Error::Conflict { ctx }
            | Error::RateLimited { ctx, .. }
            | Error::Server { ctx }
            | Error::Transport { ctx, .. }
            | Error::Timeout { ctx }
            | Error::Cancelled { ctx }
            | Error::Decode { ctx }
            | Error::MissingCredentials { ctx } => ctx,
        }
    };
}

impl Error {
    /// The context of any variant.
    pub fn context(&self) -> &Context {
        context_of!(self)
    }

    pub(crate) fn context_mut(&mut self) -> &mut Context {
        context_of!(self)
    }

    /// The same error with a note on what the client did about it.
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Error {
        self.context_mut().note = Some(note.into());
        self
    }

    /// HTTP 404 or an API code starting with `NotFound`.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
            || self.code().is_some_and(|c| c.starts_with("NotFound"))
    }

    /// HTTP 409: the object is in use or in the way (e.g. a destination whose group still
    /// has connections), unless the code says the object is only busy ([`is_illegal_state`]).
    ///
    /// [`is_illegal_state`]: Self::is_illegal_state
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Conflict { .. }) && !self.is_illegal_state()
    }

    /// The API refused the operation because of the object's current state (code
    /// `IllegalState`, e.g. a private link that is still `CREATING`), whatever the HTTP
    /// status: the request may succeed once the object has settled.
    pub fn is_illegal_state(&self) -> bool {
        self.code() == Some("IllegalState")
    }

    /// Worth trying again later: rate limited, a server error or a transport failure.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. } | Error::Server { .. } | Error::Transport { .. }
        )
    }

    /// The HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<u16> {
        self.context().status
    }

    /// The API's `code`, when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.context().code.as_deref()
    }

    /// The API's `message` (or our description of the failure).
    pub fn message(&self) -> Option<&str> {
        self.context().message.as_deref()
    }

    /// The error for an HTTP answer with a non-success `status`.
    pub(crate) fn from_status(status: u16, retry_after: Option<Duration>, ctx: Context) -> Error {
        let ctx = Box::new(ctx);
        match status {
            401 => Error::Unauthorized { ctx },
            403 => Error::Forbidden { ctx },
            404 => Error::NotFound { ctx },
            409 => Error::Conflict { ctx },
            429 => Error::RateLimited { retry_after, ctx },
            500..=599 => Error::Server { ctx },
            400..=499 => Error::InvalidInput { ctx },
            _ => Error::Decode { ctx },
        }
    }
}

/// `what: HTTP 400 InvalidInput: message [POST /path] (note)`.
fn render(ctx: &Context, hint: Option<&str>) -> String {
    let mut out = ctx.what.clone();
    out.push_str(": ");
    let mut head = Vec::new();
    if let Some(status) = ctx.status {
        head.push(format!("HTTP {status}"));
    }
    if let Some(code) = &ctx.code {
        head.push(code.clone());
    }
    let head = head.join(" ");
    match (&ctx.message, head.is_empty()) {
        (Some(m), false) => out.push_str(&format!("{head}: {m}")),
        (Some(m), true) => out.push_str(m),
        (None, false) => out.push_str(&head),
        (None, true) => out.push_str("failed"),
    }
    if let Some(h) = hint {
        out.push_str(&format!(" ({h})"));
    }
    if !ctx.method.is_empty() {
        out.push_str(&format!(" [{} {}]", ctx.method, ctx.path));
    }
    if let Some(note) = &ctx.note {
        out.push_str(&format!("; {note}"));
    }
    out
}

fn render_rate_limited(ctx: &Context, retry_after: Option<Duration>) -> String {
    let hint = retry_after.map(|d| format!("the API asked to retry after {}", human(d)));
    render(ctx, hint.as_deref())
}

fn render_transport(ctx: &Context, ambiguous: bool) -> String {
    let hint = ambiguous.then_some("the request may have reached the API");
    render(ctx, hint)
}

/// `90s`, `20m0s`, `1h0m0s`: short and exact to the second.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(self, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(status: u16, code: &str, message: &str) -> Context {
        Context {
            status: Some(status),
            code: Some(code.into()),
            ..Context::new("creating private link \"pl1\"", "POST", "/private-links")
                .with_message(message)
        }
    }

    #[test]
    fn message_names_the_operation_status_code_and_api_message() {
        let e = Error::from_status(
            400,
            None,
            ctx(400, "InvalidInput", "Field 'config.vpce_id' is required"),
        );
        assert!(matches!(e, Error::InvalidInput { .. }));
        assert_eq!(
            e.to_string(),
            "creating private link \"pl1\": HTTP 400 InvalidInput: Field 'config.vpce_id' is required [POST /private-links]"
        );
    }

    #[test]
    fn illegal_state_is_recognised_by_its_code_at_any_status() {
        // The real API's status for IllegalState is not recorded (fixture
        // reconstructed_private_link_patch_while_creating.json): only the code counts.
        for status in [400, 409, 422] {
            let e = Error::from_status(status, None, ctx(status, "IllegalState", "busy"));
            assert!(e.is_illegal_state(), "{status}");
        }
        let other = Error::from_status(409, None, ctx(409, "Conflict", "name taken"));
        assert!(!other.is_illegal_state());
    }

    #[test]
    fn statuses_map_to_kinds() {
        let kind = |s: u16| Error::from_status(s, None, Context::default());
        assert!(matches!(kind(401), Error::Unauthorized { .. }));
        assert!(matches!(kind(403), Error::Forbidden { .. }));
        assert!(matches!(kind(404), Error::NotFound { .. }));
        assert!(matches!(kind(409), Error::Conflict { .. }));
        assert!(matches!(kind(415), Error::InvalidInput { .. }));
        assert!(matches!(kind(429), Error::RateLimited { .. }));
        assert!(matches!(kind(502), Error::Server { .. }));
        assert!(matches!(kind(302), Error::Decode { .. }));
    }

    #[test]
    fn not_found_by_status_or_code() {
        assert!(Error::from_status(404, None, Context::default()).is_not_found());
        let odd = Error::from_status(400, None, ctx(400, "NotFound_Connection", "gone"));
        assert!(odd.is_not_found());
        assert!(!Error::from_status(400, None, ctx(400, "InvalidInput", "x")).is_not_found());
    }

    #[test]
    fn rate_limited_and_notes_are_explained() {
        let e = Error::from_status(
            429,
            Some(Duration::from_secs(3600)),
            ctx(429, "TooManyRequests", "slow down"),
        )
        .with_note("not waiting: past the operation's deadline");
        let s = e.to_string();
        assert!(s.contains("HTTP 429 TooManyRequests: slow down"), "{s}");
        assert!(s.contains("retry after 1h0m0s"), "{s}");
        assert!(
            s.ends_with("; not waiting: past the operation's deadline"),
            "{s}"
        );
        assert!(e.is_transient());
    }

    #[test]
    fn missing_credentials_names_the_operation_and_nothing_of_its_caller() {
        let e = Error::MissingCredentials {
            ctx: Box::new(Context::new("reading group \"g\"", "", "")),
        };
        assert_eq!(
            e.to_string(),
            "reading group \"g\": no Fivetran API key and secret were configured"
        );
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(7200)), "2h0m0s");
    }
}
