//! Client of the Fivetran REST API: typed calls for private links, connections,
//! destinations, their certificates and fingerprints, and groups; errors a caller can act on; retries; a
//! request budget shared by the whole process; and a waiter that polls until an object
//! is ready.
//!
//! Knows nothing of Terraform: callers describe each user-level operation with an
//! [`Op`] (what is being done, its deadline, its cancellation), and get
//! [`Error`]/[`WaitError`] values back, never diagnostics.
//!
//! # Layout
//! - `error.rs`: [`Error`], one enum with a [`Context`] (what, method, path, status,
//!   the API's code and message).
//! - `http.rs`: one call end to end (URL, headers, budget, retries, answer); page walks.
//! - `retry.rs`: the only retry loop ([`RetryPolicy`]): 429, 5xx and transport failures,
//!   and the re-sends of a request refused as `IllegalState` on the waiter's schedule.
//! - `budget.rs`: the request budget shared by the process ([`Budget`]), the one pacing
//!   mechanism: Fivetran's documented limits per class of request, full speed while they
//!   have room, and the optional configured rate (`requests_per_second`).
//! - `wait.rs`: [`wait::until`] and its [`PollPolicy`].
//! - `stats.rs`: request counters ([`Client::stats`]).
//! - `models/`: request and response bodies.
//! - `private_links.rs`, `connections.rs`, `destinations.rs`, `approvals.rs`
//!   (certificates and fingerprints), `groups.rs`: the calls, one file per API family.
//! - `tested.rs`: [`Tested`], a connection or destination whose setup tests run, with the
//!   one call that runs them and the one that reads the object back.

mod approvals;
pub mod budget;
mod connections;
mod destinations;
pub mod error;
mod groups;
mod http;
pub mod models;
mod private_links;
pub mod retry;
mod stats;
mod tested;
pub mod wait;

#[cfg(test)]
pub(crate) mod test_support;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub use approvals::Parent;
pub use budget::{Budget, Limits};
pub use error::{Context, Error};
pub use models::*;
pub use retry::RetryPolicy;
pub use stats::Stats;
pub use tested::Tested;
pub use wait::{PollPolicy, Progress, WaitError};

/// Where the Fivetran API lives unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.fivetran.com/v1";

/// Everything the client needs. `Default` talks to [`DEFAULT_BASE_URL`] with no
/// credentials.
#[derive(Clone)]
pub struct ClientConfig {
    /// API root including `/v1`, e.g. `https://api.fivetran.com/v1`.
    pub base_url: reqwest::Url,
    /// API key (the Basic auth user name).
    pub api_key: Option<String>,
    /// API secret (the Basic auth password).
    pub api_secret: Option<String>,
    /// `User-Agent` of every request.
    pub user_agent: String,
    /// Follow Fivetran's documented rate limits ([`budget`]). Default `true`; `false` only
    /// for measuring the budget's cost (the API's `429`s are still retried). Only with the
    /// `bench-switches` feature.
    #[cfg(feature = "bench-switches")]
    pub budget: bool,
    /// A sustained rate the budget keeps too ([`Limits::requests_per_second`]), for a key
    /// shared by many processes. Default 0: none.
    pub requests_per_second: f64,
    /// Requests that may go out at once before `requests_per_second` applies. Default 10.
    pub burst: u32,
    /// Items asked for per page of a list call. Default 1000, the API's maximum.
    pub page_size: u32,
    /// Longest wait for one answer. Default 5 minutes: setup tests run while the request
    /// is open and can take minutes. The operation's deadline bounds it too.
    pub request_timeout: Duration,
    /// Retries after 429, 5xx and transport failures.
    pub retry: RetryPolicy,
    /// Schedule of [`wait::until`] for callers that wait on this client's objects.
    pub poll: PollPolicy,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: reqwest::Url::parse(DEFAULT_BASE_URL)
                .expect("the default API URL is a valid URL"),
            api_key: None,
            api_secret: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            #[cfg(feature = "bench-switches")]
            budget: true,
            requests_per_second: 0.0,
            burst: 10,
            page_size: 1000,
            request_timeout: http::DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url.as_str())
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field(
                "api_secret",
                &self.api_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("user_agent", &self.user_agent)
            .field("requests_per_second", &self.requests_per_second)
            .field("burst", &self.burst)
            .field("page_size", &self.page_size)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("poll", &self.poll)
            .finish()
    }
}

/// One user-level operation: what is being done (for messages, e.g.
/// `creating private link "x"`), its deadline, and its cancellation.
#[derive(Clone, Debug)]
pub struct Op {
    pub what: String,
    pub deadline: Instant,
    pub cancel: CancellationToken,
}

impl Op {
    /// An operation that must finish within `timeout` from now.
    pub fn new(what: impl Into<String>, timeout: Duration, cancel: CancellationToken) -> Op {
        let now = Instant::now();
        Op {
            what: what.into(),
            deadline: now
                .checked_add(timeout)
                .unwrap_or_else(|| now + Duration::from_secs(86_400 * 365)),
            cancel,
        }
    }

    /// The same deadline and cancellation, described differently.
    pub fn with_what(&self, what: impl Into<String>) -> Op {
        Op {
            what: what.into(),
            deadline: self.deadline,
            cancel: self.cancel.clone(),
        }
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Runs `work` unless the operation is cancelled first.
    pub(crate) async fn unless_cancelled<F: Future>(
        &self,
        work: F,
    ) -> Result<F::Output, Cancelled> {
        tokio::select! {
            out = work => Ok(out),
            () = self.cancel.cancelled() => Err(Cancelled),
        }
    }

    /// The client's one cancellable sleep: until `at` (no later than the deadline), or
    /// [`Cancelled`] as soon as the operation is cancelled.
    pub(crate) async fn sleep_until(&self, at: Instant) -> Result<(), Cancelled> {
        self.unless_cancelled(tokio::time::sleep_until(at.min(self.deadline)))
            .await
    }
}

/// The operation was cancelled while the client waited ([`Op::sleep_until`],
/// [`Op::unless_cancelled`]); each caller says what it was waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cancelled;

/// The Fivetran API client. Cheap to clone: clones share the HTTP connections, the
/// request budget and the counters (make one per provider process).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: reqwest::Url,
    credentials: Option<(String, String)>,
    request_timeout: Duration,
    retry: RetryPolicy,
    poll: PollPolicy,
    budget: Budget,
    counters: stats::Counters,
    page_size: u32,
}

impl Client {
    /// Builds the client. Missing credentials are not an error here: the first call
    /// reports [`Error::MissingCredentials`], so a provider can start and validate
    /// without them. `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` are honoured.
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        // Redirects: reqwest's default policy (at most 10) drops `Authorization` whenever a
        // redirect leaves the origin (host, port or scheme), so the credentials never follow
        // one to another host; a test holds it to that.
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::Transport {
                ambiguous: false,
                ctx: Box::new(
                    Context::new("setting up the Fivetran API client", "", "")
                        .with_message(format!("could not set up HTTP: {e}")),
                ),
            })?;
        #[cfg(feature = "bench-switches")]
        let documented = config.budget;
        #[cfg(not(feature = "bench-switches"))]
        let documented = true;
        let credentials = match (config.api_key, config.api_secret) {
            (Some(k), Some(s)) if !k.is_empty() && !s.is_empty() => Some((k, s)),
            _ => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: config.base_url,
                credentials,
                request_timeout: config.request_timeout,
                retry: config.retry,
                poll: config.poll,
                budget: Budget::new(Limits {
                    documented,
                    requests_per_second: config.requests_per_second,
                    burst: config.burst,
                }),
                counters: stats::Counters::default(),
                page_size: config.page_size.max(1),
            }),
        })
    }

    /// Counters of everything sent so far by this client and its clones.
    pub fn stats(&self) -> Stats {
        self.inner.counters.snapshot()
    }

    /// The poll schedule from the configuration, for [`wait::until`].
    pub fn poll_policy(&self) -> &PollPolicy {
        &self.inner.poll
    }

    /// The API root (with `/v1`).
    pub fn base_url(&self) -> &reqwest::Url {
        &self.inner.base_url
    }

    fn page_size(&self) -> u32 {
        self.inner.page_size
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field(
                "credentials",
                &self.inner.credentials.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}
