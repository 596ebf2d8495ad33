//! The client's only retry loop.
//!
//! * `429 Too Many Requests` is retried for every call, POSTs included: the API did not
//!   process the request. The wait is the `Retry-After` header (seconds or an HTTP date),
//!   or the backoff below when it is missing.
//! * Server errors (5xx) and transport failures are retried with exponential backoff and
//!   full jitter (a delay drawn uniformly from zero to `base × 2^n`, capped), which spreads
//!   the retries of many concurrent callers, but only for calls that are safe to repeat
//!   ([`Safety::Repeatable`]). A POST that creates an object is never re-sent once it may
//!   have reached the API (a 5xx, or a connection lost after sending): the error goes back
//!   to the caller, who looks the object up. A failure to connect at all is retried for
//!   every call, since nothing was sent.
//! * `IllegalState` (the object is still changing, e.g. a private link `CREATING`) is sent
//!   again, for the calls that ask for it (`Plan::until_settled`), on the waiter's poll
//!   schedule ([`PollPolicy`]): a busy object costs one request per poll, until the
//!   deadline. Each such answer starts the count of failures afresh.
//! * Every sleep is bounded by the operation's deadline: when the wait would pass it, the
//!   loop fails at once with the last error and a note saying why, instead of sleeping.
//!   Cancellation interrupts a sleep.
//!
//! A `429` answer is read once, in `http.rs`: it becomes [`Error::RateLimited`] here and a
//! hold in the [budget](super::budget) for concurrent requests of its class.

use std::future::Future;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::error::{human, Context, Error};
use super::stats::Counters;
use super::wait::Schedule;
use super::{Op, PollPolicy};

/// How persistent the client is. `Default`: 5 retries after server or transport errors
/// with delays up to 1 s, 2 s, 4 s, 8 s, 16 s (capped at 30 s), and up to 10 retries
/// after `429`.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after a server error or a transport failure, for calls safe to repeat.
    pub max_retries: u32,
    /// Retries after `429 Too Many Requests`, for every call.
    pub max_rate_limited_retries: u32,
    /// Upper bound of the first backoff delay; it doubles with each retry.
    pub base_delay: Duration,
    /// Cap of the backoff delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            max_rate_limited_retries: 10,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Full-jitter backoff before retry number `retry` (1-based): `random × min(max,
    /// base × 2^(retry-1))` with `random` in `0.0..1.0`.
    pub fn backoff(&self, retry: u32, random: f64) -> Duration {
        let exp = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.base_delay.saturating_mul(exp).min(self.max_delay);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// Whether a call may be sent again after it may have reached the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Repeating it leaves the API as one success would: GET, DELETE, PATCH with the same
    /// body, `POST /connections/{id}/test` (runs the tests again), and approving a
    /// certificate or fingerprint (keyed by the hash the caller chose, so a repeat
    /// approves the same object again rather than adding one).
    Repeatable,
    /// A POST that creates an object the API names (`POST /private-links`,
    /// `POST /connections`): a repeat could create a second one.
    CreatesObject,
}

/// How one call is retried.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan<'a> {
    pub policy: &'a RetryPolicy,
    pub safety: Safety,
    /// Sent again while the API answers `IllegalState`, on this poll schedule.
    pub until_settled: Option<&'a PollPolicy>,
}

impl<'a> Plan<'a> {
    /// Retries by `policy` for a call of this `safety`; `IllegalState` is final.
    pub(crate) fn new(policy: &'a RetryPolicy, safety: Safety) -> Plan<'a> {
        Plan {
            policy,
            safety,
            until_settled: None,
        }
    }
}

enum Decision {
    RateLimited(Option<Duration>),
    Transient,
    Busy,
    GiveUp(Option<&'static str>),
}

fn decide(err: &Error, plan: &Plan<'_>) -> Decision {
    let repeatable = plan.safety == Safety::Repeatable;
    match err {
        e if plan.until_settled.is_some() && e.is_illegal_state() => Decision::Busy,
        Error::RateLimited { retry_after, .. } => Decision::RateLimited(*retry_after),
        Error::Transport { ambiguous: false, .. } => Decision::Transient,
        Error::Server { .. } | Error::Transport { .. } if repeatable => Decision::Transient,
        Error::Server { .. } | Error::Transport { .. } => Decision::GiveUp(Some(
            "not re-sent, since the API may have created the object: look it up before creating it again",
        )),
        _ => Decision::GiveUp(None),
    }
}

/// Runs `attempt` until it succeeds, fails for good, or retrying would pass the deadline.
pub(crate) async fn run<T, F, Fut>(
    op: &Op,
    plan: &Plan<'_>,
    counters: &Counters,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let policy = plan.policy;
    let mut settling = plan.until_settled.map(|poll| Schedule::new(op, poll));
    let (mut failures, mut limited) = (0u32, 0u32);
    loop {
        let started = Instant::now();
        let err = match attempt().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let now = Instant::now();
        let left = op.deadline.saturating_duration_since(now);
        let (at, busy) = match decide(&err, plan) {
            Decision::GiveUp(note) => {
                return Err(match note {
                    Some(n) => err.with_note(n),
                    None => err,
                })
            }
            Decision::Busy => {
                // The API answered: what failed before does not add up with what follows.
                (failures, limited) = (0, 0);
                let next = settling.as_mut().and_then(|s| s.after(started));
                let Some(at) = next else {
                    return Err(err.with_note(format!(
                        "not sent again: the operation's deadline (in {}) leaves no room for another try",
                        human(left)
                    )));
                };
                tracing::debug!(
                    what = %op.what,
                    method = %err.context().method,
                    path = %err.context().path,
                    message = err.message().unwrap_or_default(),
                    "not settled yet (IllegalState); sending again on the poll schedule"
                );
                (at, true)
            }
            Decision::RateLimited(retry_after) => {
                limited += 1;
                if limited > policy.max_rate_limited_retries {
                    return Err(err.with_note(format!("gave up after {} retries", limited - 1)));
                }
                let delay = match retry_after {
                    Some(d) if !d.is_zero() => d,
                    _ => policy.backoff(limited, rand::random()),
                };
                if delay >= left {
                    let note = match retry_after {
                        Some(_) => format!(
                            "not retried: the API's rate limit frees a request slot in {} (Retry-After), after the operation's deadline (in {})",
                            human(delay),
                            human(left)
                        ),
                        None => past_deadline(delay, left),
                    };
                    return Err(err.with_note(note));
                }
                (now + delay, false)
            }
            Decision::Transient => {
                failures += 1;
                if failures > policy.max_retries {
                    return Err(err.with_note(format!("gave up after {} retries", failures - 1)));
                }
                let delay = policy.backoff(failures, rand::random());
                if delay >= left {
                    return Err(err.with_note(past_deadline(delay, left)));
                }
                (now + delay, false)
            }
        };
        counters.retry();
        if !busy {
            tracing::warn!(
                what = %op.what,
                method = %err.context().method,
                path = %err.context().path,
                status = err.status().unwrap_or(0),
                delay_ms = u64::try_from(at.saturating_duration_since(now).as_millis()).unwrap_or(u64::MAX),
                "retrying a failed Fivetran API request"
            );
        }
        if op.sleep_until(at).await.is_err() {
            let failed = err.context();
            let cause = match (failed.status, &failed.code, &failed.message) {
                (Some(s), Some(c), _) => format!("HTTP {s} {c}"),
                (Some(s), None, _) => format!("HTTP {s}"),
                (None, _, Some(m)) => m.clone(),
                (None, _, None) => "a failure".to_string(),
            };
            let ctx = Context {
                message: Some(format!("cancelled while waiting to retry after {cause}")),
                ..Context::new(&failed.what, &failed.method, &failed.path)
            };
            return Err(Error::Cancelled { ctx: Box::new(ctx) });
        }
    }
}

fn past_deadline(delay: Duration, left: Duration) -> String {
    format!(
        "not retried: waiting {} would pass the operation's deadline (in {})",
        human(delay),
        human(left)
    )
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`) relative to `now`. `None` when unreadable.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "retry_sim_tests.rs"]
mod sim_tests;

/// Creates an object whose name is unique, recovering from failures that may hide a created
/// object: after a lost answer (5xx, reset connection) or a 409 (the name is taken, e.g. by an
/// earlier run killed before it recorded the id), `find_same` looks the object up by its name
/// and returns it if it is the same object; if there is none, nothing was created, so the POST
/// is sent again on the usual backoff. Returns the object and whether it was adopted.
pub(crate) async fn create_or_adopt<T, C, CF, F, FF>(
    op: &Op,
    policy: &RetryPolicy,
    counters: &Counters,
    create: C,
    find_same: F,
) -> Result<(T, bool), Error>
where
    C: Fn() -> CF,
    CF: Future<Output = Result<T, Error>>,
    F: Fn() -> FF,
    FF: Future<Output = Result<Option<T>, Error>>,
{
    let attempt = || async {
        let failure = match create().await {
            Ok(created) => return Ok((created, false)),
            Err(e) => e,
        };
        let may_exist = matches!(
            failure,
            Error::Server { .. }
                | Error::Transport {
                    ambiguous: true,
                    ..
                }
                | Error::Conflict { .. }
        );
        if !may_exist {
            return Err(failure);
        }
        match find_same().await? {
            Some(existing) => Ok((existing, true)),
            // Not created: the failure is safe to retry (a 409 for another object is final).
            None => Err(failure),
        }
    };
    run(
        op,
        &Plan::new(policy, Safety::Repeatable),
        counters,
        attempt,
    )
    .await
}
