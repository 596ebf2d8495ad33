//! The request budget: spend what Fivetran's rate limits allow, at full speed, and wait
//! only where the API would otherwise refuse.
//!
//! # The limits
//!
//! Fivetran counts requests per account "for a rolling time period"
//! (<https://beta.fivetran.com/docs/rest-api/getting-started/rate-limiting>, and the older
//! <https://support.fivetran.com/hc/en-us/articles/1500003155681>). [`CLASSES`] is the one
//! table of them: every request counts in the class `All` (20,000 per hour), and a
//! connection creation or a setup-test run also counts in its narrow class (20 per minute
//! and 600 per hour; 250 per minute and 2,500 per hour). Answers carry `X-Rate-Limit` (the
//! overall limit) and `X-Rate-Limit-Remaining` ("the number of remaining requests for the
//! current one-hour rolling time period"); a refused request gets `429 TooManyRequests`
//! with `Retry-After` in seconds. The OpenAPI spec documents none of these headers.
//!
//! # One mechanism
//!
//! Each window of each class keeps the instants of the requests it counted, as the API
//! does: a request counts from when its answer arrived (never before the API counted it)
//! until the window's length has passed. A request is sent when every window of its
//! classes allows it:
//!
//! * **Room**: fewer than `max` requests in the window. A full window admits the next
//!   request when its oldest one leaves it; nothing waits while there is room.
//! * **Pacing when low**: in a window longer than [`PACE_BEYOND`] (one minute), once the
//!   room left is a tenth of `max` or less, requests are spaced so that the room lasts
//!   until the window frees its oldest slot: `interval = time until then / room`. Running
//!   dry of an hour's allowance would hold every operation for up to an hour; a one-minute
//!   window is simply spent and waited out, which is what the API allows.
//! * **The API's word**: `X-Rate-Limit` replaces the documented overall maximum (a trial
//!   account answers 500), and `X-Rate-Limit-Remaining` (which counts the account's other
//!   clients too) is held as the room of the overall window until the next answer, less
//!   what was sent since; it outranks our own count either way (a remaining of zero
//!   leaves the decision to our count and the API's `429`).
//! * **Refusals**: a `429` blocks the call's narrowest class until `Retry-After` has
//!   passed, so concurrent requests of that class wait instead of each collecting a `429`
//!   (the retry loop waits for the refused request itself).
//!
//! A wait that would pass the operation's deadline is not started: the caller gets an
//! error at once naming the limit and when it frees a slot. Waiting respects cancellation.
//!
//! A plan of a few hundred resources thus runs at full speed, and a large apply spaces its
//! connection creations 20 a minute. `requests_per_second` / `request_burst` add the older
//! token bucket ([`RateLimiter`](super::RateLimiter)) on top, for a key shared by many
//! workspaces at once, which no single process can see. A request then waits out the
//! budget's holds first ([`Budget::room`]), then the bucket, and takes its place
//! ([`Budget::try_acquire`]) only if no hold began meanwhile: a crowd held back by a `429`
//! leaves the hold spaced by the bucket instead of all at once.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::error::{human, Context, Error};
use super::Op;

/// A class of requests Fivetran limits separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Every request.
    All,
    /// `POST /connections`.
    ConnectionCreation,
    /// `POST /connections/{connectionId}/test`, `POST /destinations/{destinationId}/test`.
    SetupTests,
}

/// One class and its documented windows: `(max, seconds)`.
pub struct ClassSpec {
    pub class: Class,
    /// Plural noun for messages.
    pub noun: &'static str,
    pub windows: &'static [(u32, u64)],
}

/// Fivetran's documented limits for paid accounts (sources in the module docs;
/// connection creation from the older support page, whose 429 message "No more than 20
/// connectors can be created in one-minute time period" official provider issue #80 quotes).
pub const CLASSES: [ClassSpec; 3] = [
    ClassSpec {
        class: Class::All,
        noun: "requests",
        windows: &[(20_000, 3600)],
    },
    ClassSpec {
        class: Class::ConnectionCreation,
        noun: "connection creations",
        windows: &[(20, 60), (600, 3600)],
    },
    ClassSpec {
        class: Class::SetupTests,
        noun: "setup-test runs",
        windows: &[(250, 60), (2_500, 3600)],
    },
];

/// Windows at most this long are spent without pacing (see the module docs).
pub const PACE_BEYOND: Duration = Duration::from_secs(60);

/// The narrow class of a call, by method and path template (`None`: only `All`).
pub fn class_of(method: &str, template: &str) -> Option<Class> {
    match (method, template) {
        ("POST", "/connections") => Some(Class::ConnectionCreation),
        ("POST", "/connections/{connectionId}/test" | "/destinations/{destinationId}/test") => {
            Some(Class::SetupTests)
        }
        _ => None,
    }
}

fn period(length: Duration) -> String {
    match length.as_secs() {
        60 => "minute".to_string(),
        3600 => "hour".to_string(),
        86_400 => "day".to_string(),
        s => format!("{s} seconds"),
    }
}

struct Window {
    max: u32,
    length: Duration,
    /// `(permit id, instant it counts from)`; not sorted (answers arrive out of order).
    counted: VecDeque<(u64, Instant)>,
    last_sent: Option<Instant>,
}

impl Window {
    fn prune(&mut self, now: Instant) {
        let length = self.length;
        self.counted
            .retain(|(_, t)| now.saturating_duration_since(*t) < length);
    }

    fn oldest(&self) -> Option<Instant> {
        self.counted.iter().map(|(_, t)| *t).min()
    }

    /// Earliest instant this window lets one more request go, given `room` left.
    fn next_slot(&self, room: u32, now: Instant) -> Instant {
        let frees = self.oldest().map_or(now, |t| t + self.length);
        if room == 0 {
            return frees;
        }
        let low = (self.max / 10).max(1);
        if self.length <= PACE_BEYOND || room > low {
            return now;
        }
        let horizon = frees.saturating_duration_since(now);
        let interval = horizon / room;
        self.last_sent.map_or(now, |l| (l + interval).max(now))
    }
}

struct ClassState {
    noun: &'static str,
    windows: Vec<Window>,
    /// Until when a `429` closed the class, and the API's message.
    blocked: Option<(Instant, String)>,
    /// The API's `X-Rate-Limit-Remaining`, less what was sent since (class `All` only).
    remaining: Option<u32>,
}

struct State {
    classes: Vec<(Class, ClassState)>,
    next_id: u64,
}

impl State {
    fn class(&mut self, c: Class) -> Option<&mut ClassState> {
        self.classes
            .iter_mut()
            .find(|(k, _)| *k == c)
            .map(|(_, s)| s)
    }

    /// The earliest instant every window of `classes` admits a request, and what binds then.
    fn earliest(&mut self, classes: &[Class], now: Instant) -> (Instant, String) {
        let mut at = now;
        let mut why = String::new();
        let mut later = |t: Instant, reason: String| {
            if t > at {
                at = t;
                why = reason;
            }
        };
        for c in classes {
            let Some(s) = self.class(*c) else { continue };
            if let Some((until, message)) = &s.blocked {
                later(*until, format!("Fivetran's rate limit ({message})"));
            }
            let last = s.windows.len().saturating_sub(1);
            for (i, w) in s.windows.iter_mut().enumerate() {
                w.prune(now);
                let used = u32::try_from(w.counted.len()).unwrap_or(u32::MAX);
                let mut room = w.max.saturating_sub(used);
                // The API's count of the overall (longest) window, when it sent one, is
                // the room: it sees the account's other clients and its own window, which
                // ours only estimates. Zero is left to our count and to the API's 429,
                // which says how long to wait.
                if i == last {
                    if let Some(r) = s.remaining.filter(|r| *r > 0) {
                        room = r;
                    }
                }
                let reason = format!(
                    "Fivetran's limit of {} {} per {}",
                    w.max,
                    s.noun,
                    period(w.length)
                );
                later(w.next_slot(room, now), reason);
            }
        }
        (at, why)
    }

    fn admit(&mut self, classes: &[Class], now: Instant) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        for c in classes {
            let Some(s) = self.class(*c) else { continue };
            for w in &mut s.windows {
                w.counted.push_back((id, now));
                w.last_sent = Some(now);
            }
            if let Some(r) = &mut s.remaining {
                *r = r.saturating_sub(1);
            }
        }
        id
    }
}

/// What the API said about the overall limit in one answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    /// `X-Rate-Limit`.
    pub limit: Option<u32>,
    /// `X-Rate-Limit-Remaining`.
    pub remaining: Option<u32>,
}

/// A request let through by [`Budget::acquire`]; hand it back to [`Budget::answered`].
#[derive(Debug)]
pub struct Permit {
    id: Option<u64>,
    classes: Vec<Class>,
}

/// The shared budget (see the module docs). Cheap to hold in an `Arc`.
pub struct Budget {
    state: Option<Mutex<State>>,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("enabled", &self.state.is_some())
            .finish()
    }
}

impl Budget {
    /// The documented limits of [`CLASSES`]; `enabled: false` lets everything through (the
    /// API's `429`s are still retried after `Retry-After`).
    pub fn new(enabled: bool) -> Budget {
        let classes = CLASSES
            .iter()
            .map(|spec| {
                let windows = spec
                    .windows
                    .iter()
                    .map(|&(max, secs)| Window {
                        max,
                        length: Duration::from_secs(secs),
                        counted: VecDeque::new(),
                        last_sent: None,
                    })
                    .collect();
                let state = ClassState {
                    noun: spec.noun,
                    windows,
                    blocked: None,
                    remaining: None,
                };
                (spec.class, state)
            })
            .collect();
        Budget {
            state: enabled.then(|| {
                Mutex::new(State {
                    classes,
                    next_id: 0,
                })
            }),
        }
    }

    fn lock(&self) -> Option<std::sync::MutexGuard<'_, State>> {
        self.state
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Waits until every class of the call (`All` and `narrow`) admits one more request.
    /// Returns the permit and whether it had to wait.
    pub async fn acquire(
        &self,
        op: &Op,
        narrow: Option<Class>,
        ctx: impl Fn() -> Context,
    ) -> Result<(Permit, bool), Error> {
        let classes: Vec<Class> = std::iter::once(Class::All).chain(narrow).collect();
        let (id, waited) = self.wait(op, &classes, true, &ctx).await?;
        Ok((Permit { id, classes }, waited))
    }

    /// A place for the call at once, or `None` when it would have to wait.
    pub fn try_acquire(&self, narrow: Option<Class>) -> Option<Permit> {
        let classes: Vec<Class> = std::iter::once(Class::All).chain(narrow).collect();
        let Some(mut state) = self.lock() else {
            return Some(Permit { id: None, classes });
        };
        let now = Instant::now();
        if state.earliest(&classes, now).0 > now {
            return None;
        }
        let id = Some(state.admit(&classes, now));
        Some(Permit { id, classes })
    }

    /// Waits, like [`Budget::acquire`], until the call's classes would admit a request,
    /// without taking a place: for a caller that has another wait to do before sending
    /// (the token bucket) and then takes its place with [`Budget::try_acquire`], going back
    /// to this wait if a hold began meanwhile. Requests held back together (by a `429`'s
    /// `Retry-After`) then leave the hold spaced by that other wait, not all at once.
    /// Returns whether it waited.
    pub async fn room(
        &self,
        op: &Op,
        narrow: Option<Class>,
        ctx: impl Fn() -> Context,
    ) -> Result<bool, Error> {
        let classes: Vec<Class> = std::iter::once(Class::All).chain(narrow).collect();
        Ok(self.wait(op, &classes, false, &ctx).await?.1)
    }

    /// The one waiting loop: until `classes` admit a request (then admits it if `admit`),
    /// the deadline would pass (an error naming the limit), or the operation is cancelled.
    async fn wait(
        &self,
        op: &Op,
        classes: &[Class],
        admit: bool,
        ctx: &impl Fn() -> Context,
    ) -> Result<(Option<u64>, bool), Error> {
        let mut waited = false;
        loop {
            let now = Instant::now();
            let (at, why) = {
                let Some(mut state) = self.lock() else {
                    return Ok((None, false));
                };
                let (at, why) = state.earliest(classes, now);
                if at <= now {
                    let id = admit.then(|| state.admit(classes, now));
                    return Ok((id, waited));
                }
                (at, why)
            };
            if at > op.deadline {
                let ctx = ctx().with_message(format!(
                    "{why} leaves no room before the operation's deadline (in {}): the next request slot frees in {}",
                    human(op.deadline.saturating_duration_since(now)),
                    human(at.saturating_duration_since(now))
                ));
                return Err(Error::Timeout { ctx: Box::new(ctx) });
            }
            waited = true;
            if op.sleep_until(at).await.is_err() {
                let ctx = ctx().with_message(format!("cancelled while waiting for {why}"));
                return Err(Error::Cancelled { ctx: Box::new(ctx) });
            }
        }
    }

    /// Records the end of the request: it counts from now, and the API's headers update
    /// the classes. `refused`: the API answered `429` with this `Retry-After` (zero when
    /// absent) and message; the request counts nowhere and its class closes until then.
    pub fn answered(&self, permit: &Permit, headers: Headers, refused: Option<(Duration, &str)>) {
        let Some(mut state) = self.lock() else { return };
        let now = Instant::now();
        for c in &permit.classes {
            let Some(s) = state.class(*c) else { continue };
            for w in &mut s.windows {
                match refused {
                    // Refused: the API counted it nowhere.
                    Some(_) => w.counted.retain(|(id, _)| Some(*id) != permit.id),
                    None => {
                        let mine = w.counted.iter_mut().find(|(id, _)| Some(*id) == permit.id);
                        if let Some(entry) = mine {
                            entry.1 = now;
                        }
                    }
                }
            }
            if *c == Class::All {
                if let (Some(limit), Some(w)) = (headers.limit, s.windows.last_mut()) {
                    if limit > 0 {
                        w.max = limit;
                    }
                }
                if headers.remaining.is_some() {
                    s.remaining = headers.remaining;
                }
            }
        }
        if let Some((wait, message)) = refused.filter(|(w, _)| !w.is_zero()) {
            let narrowest = *permit.classes.last().unwrap_or(&Class::All);
            if let Some(s) = state.class(narrowest) {
                let until = now + wait;
                if s.blocked.as_ref().is_none_or(|(u, _)| *u < until) {
                    s.blocked = Some((until, message.to_string()));
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "budget_tests.rs"]
mod tests;
