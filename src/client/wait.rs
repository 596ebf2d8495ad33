//! Polls the Fivetran API until an object reaches a state the caller is waiting for.
//! Knows nothing of Terraform: callers pass an [`Op`] (deadline and cancellation), a
//! poll function and a classifier, not a timeouts block.
//!
//! The schedule is adaptive: the first poll comes right away (`first_poll` = 0: objects that
//! are ready at once, like instant transitions or an update that changed nothing, cost no
//! waiting at all), and each next one `base_interval + growth × elapsed` after the previous
//! one started (1 s + 10% of the time waited so far), capped at `max_interval` (60 s),
//! shortened by up to `jitter` (2%) at random so that concurrent waiters drift apart. Why these numbers: whenever the
//! object turns ready at time P (P after the previous poll at t ≤ P), the next poll comes
//! at most `1 s + 0.1 × t ≤ 1 s + 0.1 × P` later, which bounds the detection lag at every
//! provisioning time; and the intervals grow geometrically (×1.1 per poll), so a
//! 10-minute provisioning costs at most 45 polls, the immediate one included, where a fixed 10-second loop sends 60 (and
//! lags up to 10 s). The unit tests check both on the real loop with tokio's clock.
//!
//! Transient errors (429, 5xx, transport) during the wait are logged and polled again
//! on the schedule (a 429's `Retry-After` holds the next poll's request in the budget):
//! one failure never aborts a long wait. Other errors end it. The same schedule spaces
//! the retry loop's re-sends of a request refused as `IllegalState` (`Schedule`).

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::error::{human, Error};
use super::Op;

/// The poll schedule (see the module docs for why the defaults are what they are).
#[derive(Clone, Debug, PartialEq)]
pub struct PollPolicy {
    /// Delay before the first poll (callers usually hold a fresh answer already).
    pub first_poll: Duration,
    /// Fixed part of every interval.
    pub base_interval: Duration,
    /// Fraction of the time waited so far added to every interval.
    pub growth: f64,
    /// Longest interval.
    pub max_interval: Duration,
    /// Largest random fraction an interval is shortened by (never lengthened).
    pub jitter: f64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first_poll: Duration::ZERO,
            base_interval: Duration::from_secs(1),
            growth: 0.1,
            max_interval: Duration::from_secs(60),
            jitter: 0.02,
        }
    }
}

impl PollPolicy {
    /// The interval after a poll that started `elapsed` into the wait; `random` in
    /// `0.0..1.0` picks the jitter.
    pub fn interval(&self, elapsed: Duration, random: f64) -> Duration {
        let growth = if self.growth.is_finite() && self.growth > 0.0 {
            elapsed.mul_f64(self.growth)
        } else {
            Duration::ZERO
        };
        let nominal = self
            .base_interval
            .saturating_add(growth)
            .min(self.max_interval);
        let shorten = (self.jitter.clamp(0.0, 1.0) * random.clamp(0.0, 1.0)).min(1.0);
        nominal.mul_f64(1.0 - shorten)
    }
}

/// What the classifier says about one polled value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The wait is over.
    Done,
    /// Keep waiting; `state` is shown in logs and in a timeout message.
    Pending { state: String },
    /// The object reached a state it will not leave: stop and report `reason`.
    Failed { reason: String },
}

/// Why a wait ended without the object becoming ready.
#[derive(Debug, thiserror::Error)]
pub enum WaitError<T> {
    /// The object reached a failed state; `last` is the value that said so.
    #[error("{what}: failed after {}: {reason}", human(*waited))]
    Failed {
        what: String,
        reason: String,
        waited: Duration,
        last: Box<T>,
    },
    /// The operation's deadline came first.
    #[error("{what}: {} after waiting {} (the operation's time limit); it may still finish: check it, raise the timeout if it needs longer, and run again{}",
        last_state.as_deref().map_or_else(|| "no answer yet".to_string(), |s| format!("still {s}")),
        human(*waited),
        last_error.as_ref().map_or_else(String::new, |e| format!("; the last poll failed: {e}")))]
    Timeout {
        what: String,
        waited: Duration,
        last_state: Option<String>,
        last_error: Option<Box<Error>>,
    },
    /// The caller cancelled the operation.
    #[error("{what}: cancelled while waiting{}", last_state.as_deref().map_or_else(String::new, |s| format!(" (last state {s})")))]
    Cancelled {
        what: String,
        last_state: Option<String>,
    },
    /// A poll failed with an error that waiting longer will not fix.
    #[error(transparent)]
    Api(Error),
}

impl<T> WaitError<T> {
    /// The last value polled, when the wait ended on a failed state.
    pub fn last(&self) -> Option<&T> {
        match self {
            WaitError::Failed { last, .. } => Some(last),
            _ => None,
        }
    }
}

/// A poll near the deadline is still made this long before it, so that its request
/// has time to answer.
const LAST_POLL_MARGIN: Duration = Duration::from_secs(1);
/// Unchanged states are logged at INFO at most this often.
const LOG_EVERY: Duration = Duration::from_secs(30);

/// The poll schedule over one wait: when each poll goes. Also the schedule on which the
/// retry loop re-sends a request the API refused as `IllegalState`.
pub(crate) struct Schedule<'a> {
    policy: &'a PollPolicy,
    start: Instant,
    /// The last instant a poll is still made ([`LAST_POLL_MARGIN`] before the deadline).
    last_chance: Instant,
    last_poll: Option<Instant>,
}

impl<'a> Schedule<'a> {
    /// The schedule of a wait that starts now.
    pub(crate) fn new(op: &Op, policy: &'a PollPolicy) -> Schedule<'a> {
        Schedule {
            policy,
            start: Instant::now(),
            last_chance: op
                .deadline
                .checked_sub(LAST_POLL_MARGIN)
                .unwrap_or(op.deadline),
            last_poll: None,
        }
    }

    /// When the wait started.
    pub(crate) fn start(&self) -> Instant {
        self.start
    }

    /// When the first poll goes (`first_poll` after the start).
    pub(crate) fn first(&self) -> Option<Instant> {
        self.within_deadline(self.start + self.policy.first_poll)
    }

    /// When the poll after the one that started at `started` goes; `None` when the
    /// deadline leaves no room for another.
    pub(crate) fn after(&mut self, started: Instant) -> Option<Instant> {
        self.last_poll = Some(started);
        let elapsed = started.saturating_duration_since(self.start);
        let next = started + self.policy.interval(elapsed, rand::random());
        self.within_deadline(next)
    }

    /// `next`, or the last chance before the deadline when `next` is later (unless the
    /// last poll was already that late).
    fn within_deadline(&self, next: Instant) -> Option<Instant> {
        if next <= self.last_chance {
            return Some(next);
        }
        match self.last_poll {
            Some(at) if at >= self.last_chance => None,
            _ => Some(self.last_chance),
        }
    }
}

/// Polls with `poll` until `classify` says done or failed, the deadline passes, or the
/// operation is cancelled.
pub async fn until<T, F, Fut, C>(
    op: &Op,
    policy: &PollPolicy,
    mut poll: F,
    classify: C,
) -> Result<T, WaitError<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
    C: Fn(&T) -> Progress,
{
    let mut schedule = Schedule::new(op, policy);
    let start = schedule.start();
    let mut next = schedule.first();
    let mut last_state: Option<String> = None;
    let mut last_error: Option<Box<Error>> = None;
    let mut logged: Option<(String, Instant)> = None;
    let mut polls = 0u32;
    while let Some(at) = next {
        if op.sleep_until(at).await.is_err() {
            return Err(WaitError::Cancelled {
                what: op.what.clone(),
                last_state,
            });
        }
        let started = Instant::now();
        polls += 1;
        let waited = started - start;
        match poll().await {
            Ok(value) => match classify(&value) {
                Progress::Done => {
                    tracing::info!(what = %op.what, waited_s = waited.as_secs_f64(), polls, "ready");
                    return Ok(value);
                }
                Progress::Failed { reason } => {
                    tracing::info!(what = %op.what, waited_s = waited.as_secs_f64(), %reason, "failed");
                    return Err(WaitError::Failed {
                        what: op.what.clone(),
                        reason,
                        waited: start.elapsed(),
                        last: Box::new(value),
                    });
                }
                Progress::Pending { state } => {
                    let due = logged.as_ref().is_none_or(|(s, at)| {
                        *s != state || started.duration_since(*at) >= LOG_EVERY
                    });
                    if due {
                        tracing::info!(what = %op.what, %state, waited_s = waited.as_secs(), polls, "still waiting");
                        logged = Some((state.clone(), started));
                    }
                    last_state = Some(state);
                    last_error = None;
                }
            },
            Err(Error::Cancelled { .. }) => {
                return Err(WaitError::Cancelled {
                    what: op.what.clone(),
                    last_state,
                });
            }
            Err(e @ Error::Timeout { .. }) => {
                last_error = Some(Box::new(e));
                break;
            }
            // A 429's Retry-After holds the next poll's request in the budget.
            Err(e) if e.is_transient() => {
                tracing::warn!(what = %op.what, error = %e, "poll failed; polling again on schedule");
                last_error = Some(Box::new(e));
            }
            Err(e) => return Err(WaitError::Api(e)),
        }
        next = schedule.after(started);
    }
    Err(WaitError::Timeout {
        what: op.what.clone(),
        waited: start.elapsed(),
        last_state,
        last_error,
    })
}

/// Polls until `poll` answers "not found" (the object is gone, e.g. after a deletion).
/// While it still exists, `classify` decides: usually `Pending` with its state; `Failed`
/// ends the wait; `Done` ends it as if the object were gone.
pub async fn until_gone<T, F, Fut, C>(
    op: &Op,
    policy: &PollPolicy,
    mut poll: F,
    classify: C,
) -> Result<(), WaitError<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
    C: Fn(&T) -> Progress,
{
    let poll = || {
        let answer = poll();
        async move { super::error::not_found_as_none(answer.await) }
    };
    let classify = |v: &Option<T>| v.as_ref().map_or(Progress::Done, &classify);
    match until(op, policy, poll, classify).await {
        Ok(_) => Ok(()),
        // A failed state of an object that is gone cannot happen: treat it as gone.
        Err(e) => e.retype(|last| last).map_or(Ok(()), Err),
    }
}

impl<T> WaitError<T> {
    /// The same error for a wait on values of another type. The value of `Failed` goes
    /// through `last`; `None` from it drops the error (the caller decides what that means).
    pub fn retype<U>(self, last: impl FnOnce(T) -> Option<U>) -> Option<WaitError<U>> {
        Some(match self {
            WaitError::Failed {
                what,
                reason,
                waited,
                last: value,
            } => WaitError::Failed {
                what,
                reason,
                waited,
                last: Box::new(last(*value)?),
            },
            WaitError::Timeout {
                what,
                waited,
                last_state,
                last_error,
            } => WaitError::Timeout {
                what,
                waited,
                last_state,
                last_error,
            },
            WaitError::Cancelled { what, last_state } => WaitError::Cancelled { what, last_state },
            WaitError::Api(e) => WaitError::Api(e),
        })
    }
}

#[cfg(test)]
#[path = "wait_tests.rs"]
mod tests;
