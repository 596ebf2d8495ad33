//! The request budget, the client's one pacing mechanism: every request asks it for a
//! place before it goes. Spend what Fivetran's rate limits allow, at full speed, and wait
//! only where the API would otherwise refuse (or a configured sustained rate says so).
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
//! classes allows it, and the configured rate, if any, has a slot for it:
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
//! * **A configured rate** ([`Limits::requests_per_second`], up to [`Limits::burst`] at
//!   once; off by default), for a key shared by many processes at once, which no single
//!   process can see. Not a window of counted requests but a schedule of reservations
//!   (GCRA): a request that finds every window open books the earliest free slot of the
//!   rate and sleeps until it, so waiting requests leave in order, one interval apart,
//!   and nobody stampedes when a slot frees. At its slot the request takes its place in the
//!   windows, or goes back to waiting for them if a hold began meanwhile: a crowd held
//!   back by a `429` leaves the hold spaced by the rate, not all at once. A cancelled
//!   request gives its booked slot back when it is still the last one booked.
//!
//! A wait that would pass the operation's deadline is not started: the caller gets an
//! error at once naming the limit and when it frees a slot. Waiting respects cancellation.
//!
//! A plan of a few hundred resources thus runs at full speed, and a large apply spaces its
//! connection creations 20 a minute.

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
        let frees = || self.oldest().map_or(now, |t| t + self.length);
        if room == 0 {
            return frees();
        }
        let low = (self.max / 10).max(1);
        if self.length <= PACE_BEYOND || room > low {
            return now;
        }
        let horizon = frees().saturating_duration_since(now);
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
    /// The documented classes (none when [`Limits::documented`] is off).
    classes: Vec<(Class, ClassState)>,
    /// The configured sustained rate, when set.
    rate: Option<Rate>,
    next_id: u64,
}

/// The configured sustained rate as a reservation schedule (GCRA, see the module docs).
struct Rate {
    /// Time between two requests at the sustained rate.
    interval: Duration,
    /// How far ahead of the sustained schedule a burst may run: `(burst - 1) × interval`.
    tolerance: Duration,
    per_second: f64,
    /// Theoretical arrival time of the next request: when the rate has refilled the slot
    /// that request takes. `None` until the first request.
    next: Option<Instant>,
}

impl Rate {
    /// `per_second` sustained, up to `burst` at once; `None` unless `per_second` is a
    /// positive number.
    fn new(per_second: f64, burst: u32) -> Option<Rate> {
        if !(per_second.is_finite() && per_second > 0.0) {
            return None;
        }
        let interval = Duration::from_secs_f64(1.0 / per_second);
        Some(Rate {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            per_second,
            next: None,
        })
    }

    /// Books the earliest slot and returns when it may be used (now or later) and the
    /// booking's mark for [`release`](Self::release). `None` when that slot would come
    /// after `deadline` (then nothing is booked).
    fn reserve(&mut self, now: Instant, deadline: Instant) -> Option<(Instant, Instant)> {
        let tat = self.next.map_or(now, |t| t.max(now));
        let at = tat.checked_sub(self.tolerance).map_or(now, |t| t.max(now));
        if at > deadline {
            return None;
        }
        let booked_until = tat + self.interval;
        self.next = Some(booked_until);
        Some((at, booked_until))
    }

    /// Gives back a slot booked by [`reserve`](Self::reserve) and not used, when it is
    /// still the last one booked (otherwise later requests already rely on it).
    fn release(&mut self, booked_until: Instant) {
        if self.next == Some(booked_until) {
            self.next = booked_until.checked_sub(self.interval);
        }
    }
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
        // What binds, put into words only once known (this runs before every request).
        let mut why: Option<Box<dyn Fn() -> String + '_>> = None;
        for c in classes {
            let Some(s) = self.class(*c) else { continue };
            if let Some((until, message)) = &s.blocked {
                if *until > at {
                    at = *until;
                    let message = message.clone();
                    why = Some(Box::new(move || {
                        format!("Fivetran's rate limit ({message})")
                    }));
                }
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
                let slot = w.next_slot(room, now);
                if slot > at {
                    at = slot;
                    let (max, noun, length) = (w.max, s.noun, w.length);
                    why = Some(Box::new(move || {
                        format!("Fivetran's limit of {max} {noun} per {}", period(length))
                    }));
                }
            }
        }
        (at, why.map(|w| w()).unwrap_or_default())
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

/// What the budget enforces.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Fivetran's documented limits ([`CLASSES`]) and the API's refusals. Off only to
    /// measure their cost (the API's `429`s are still retried after `Retry-After`).
    pub documented: bool,
    /// A sustained rate for the whole process (see the module docs), for a key shared by
    /// many processes; 0: none.
    pub requests_per_second: f64,
    /// Requests that may go at once before `requests_per_second` applies.
    pub burst: u32,
}

impl Default for Limits {
    /// The documented limits, no configured rate.
    fn default() -> Self {
        Limits {
            documented: true,
            requests_per_second: 0.0,
            burst: 10,
        }
    }
}

/// One step of [`Budget::acquire`]'s loop, decided under the lock.
enum Step {
    /// Admitted: the permit's id.
    Go(u64),
    /// A window or a hold admits nothing before this instant; why.
    Closed(Instant, String),
    /// The windows are open; the configured rate's booked slot, and its booking mark.
    Slot(Instant, Instant),
}

/// The shared budget (see the module docs). Cheap to hold in an `Arc`.
pub struct Budget {
    state: Mutex<State>,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget").finish_non_exhaustive()
    }
}

impl Budget {
    /// A budget enforcing `limits`.
    pub fn new(limits: Limits) -> Budget {
        let classes = match limits.documented {
            false => Vec::new(),
            true => CLASSES
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
                .collect(),
        };
        Budget {
            state: Mutex::new(State {
                classes,
                rate: Rate::new(limits.requests_per_second, limits.burst),
                next_id: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until every class of the call (`All` and `narrow`) admits one more request
    /// and the configured rate has a slot for it (see the module docs), the deadline would
    /// pass (an error naming the limit), or the operation is cancelled. Returns the permit
    /// and whether it had to wait.
    pub async fn acquire(
        &self,
        op: &Op,
        narrow: Option<Class>,
        ctx: impl Fn() -> Context,
    ) -> Result<(Permit, bool), Error> {
        let classes: Vec<Class> = std::iter::once(Class::All).chain(narrow).collect();
        let mut waited = false;
        loop {
            let now = Instant::now();
            let step = {
                let mut state = self.lock();
                let (at, why) = state.earliest(&classes, now);
                match state.rate.as_mut() {
                    _ if at > now => Step::Closed(at, why),
                    None => Step::Go(state.admit(&classes, now)),
                    Some(rate) => match rate.reserve(now, op.deadline) {
                        None => {
                            let ctx = ctx().with_message(format!(
                                "the client's request budget ({:.2} requests/s) has no free slot before the operation's deadline (in {})",
                                rate.per_second,
                                human(op.deadline.saturating_duration_since(now))
                            ));
                            return Err(Error::Timeout { ctx: Box::new(ctx) });
                        }
                        Some((slot, _)) if slot <= now => Step::Go(state.admit(&classes, now)),
                        Some((slot, booked)) => Step::Slot(slot, booked),
                    },
                }
            };
            match step {
                Step::Go(id) => {
                    let permit = Permit {
                        id: Some(id),
                        classes,
                    };
                    return Ok((permit, waited));
                }
                Step::Closed(at, why) => {
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
                Step::Slot(slot, booked) => {
                    waited = true;
                    if op.sleep_until(slot).await.is_err() {
                        if let Some(rate) = self.lock().rate.as_mut() {
                            rate.release(booked);
                        }
                        let ctx = ctx().with_message(
                            "cancelled while waiting for the client's request budget",
                        );
                        return Err(Error::Cancelled { ctx: Box::new(ctx) });
                    }
                    // The place, unless a hold began meanwhile (then back to waiting for
                    // the windows; the slot is spent).
                    let mut state = self.lock();
                    let now = Instant::now();
                    if state.earliest(&classes, now).0 <= now {
                        let id = state.admit(&classes, now);
                        let permit = Permit {
                            id: Some(id),
                            classes,
                        };
                        return Ok((permit, waited));
                    }
                }
            }
        }
    }

    /// Records the end of the request: it counts from now, and the API's headers update
    /// the classes. `refused`: the API answered `429` with this `Retry-After` (zero when
    /// absent) and message; the request counts nowhere and its class closes until then.
    pub fn answered(&self, permit: &Permit, headers: Headers, refused: Option<(Duration, &str)>) {
        let mut state = self.lock();
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
