//! The optional token bucket on top of the [budget](super::budget), set by the provider's
//! `requests_per_second` / `request_burst`: shared by every clone of the
//! [`Client`](super::Client), so that many concurrent operations (Terraform's
//! `-parallelism`) never send more than `requests_per_second` on average, nor more than
//! `burst` at once. Off unless set.
//!
//! Implemented as reservations on a virtual schedule (GCRA): each request books the
//! earliest free slot and sleeps until it, so waiting requests are served in order and
//! nobody spins or stampedes when a token frees up. Waiting respects the operation's
//! deadline and cancellation; a slot that would come after the deadline is not booked.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::error::{human, Context, Error};
use super::Op;

/// A shared token bucket. Cheap to hold in an `Arc`.
#[derive(Debug)]
pub struct RateLimiter {
    /// Time between two requests at the sustained rate.
    interval: Duration,
    /// How far ahead of the sustained schedule a burst may run: `(burst - 1) × interval`.
    tolerance: Duration,
    requests_per_second: f64,
    /// Theoretical arrival time of the next request: when the bucket has refilled the
    /// slot that request takes. `None` until the first request.
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// `requests_per_second` sustained, up to `burst` at once. A rate that is not a
    /// positive number disables limiting.
    pub fn new(requests_per_second: f64, burst: u32) -> RateLimiter {
        let interval = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            Duration::from_secs_f64(1.0 / requests_per_second)
        } else {
            Duration::ZERO
        };
        RateLimiter {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            requests_per_second,
            next: Mutex::new(None),
        }
    }

    /// Books the earliest slot and returns when it may be used (now or later) and the
    /// booking's mark for [`release`](Self::release). `None` when that slot would come
    /// after `deadline` (then nothing is booked).
    fn reserve(&self, now: Instant, deadline: Instant) -> Option<(Instant, Instant)> {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let tat = next.map_or(now, |t| t.max(now));
        let at = tat.checked_sub(self.tolerance).map_or(now, |t| t.max(now));
        if at > deadline {
            return None;
        }
        let booked_until = tat + self.interval;
        *next = Some(booked_until);
        Some((at, booked_until))
    }

    /// Gives back a slot booked by [`reserve`](Self::reserve) and not used, when it is
    /// still the last one booked (otherwise later requests already rely on it).
    fn release(&self, booked_until: Instant) {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        if *next == Some(booked_until) {
            *next = booked_until.checked_sub(self.interval);
        }
    }

    /// Whether a rate was set (otherwise [`RateLimiter::acquire`] never waits).
    pub fn is_on(&self) -> bool {
        !self.interval.is_zero()
    }

    /// Waits for a request slot. Returns whether it had to wait.
    pub async fn acquire(&self, op: &Op, ctx: impl Fn() -> Context) -> Result<bool, Error> {
        if !self.is_on() {
            return Ok(false);
        }
        let now = Instant::now();
        let Some((at, booked_until)) = self.reserve(now, op.deadline) else {
            let ctx = ctx().with_message(format!(
                "the client's request budget ({:.2} requests/s) has no free slot before the operation's deadline (in {})",
                self.requests_per_second,
                human(op.deadline.saturating_duration_since(now))
            ));
            return Err(Error::Timeout { ctx: Box::new(ctx) });
        };
        if at <= now {
            return Ok(false);
        }
        if op.sleep_until(at).await.is_err() {
            self.release(booked_until);
            let ctx = ctx().with_message("cancelled while waiting for the client's request budget");
            return Err(Error::Cancelled { ctx: Box::new(ctx) });
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_util::sync::CancellationToken;

    fn op(timeout: Duration) -> Op {
        Op::new("testing", timeout, CancellationToken::new())
    }

    #[tokio::test(start_paused = true)]
    async fn burst_then_sustained_rate() {
        let limiter = RateLimiter::new(10.0, 5);
        let op = op(Duration::from_secs(60));
        let start = Instant::now();
        let mut waited = 0;
        for _ in 0..25 {
            if limiter
                .acquire(&op, Context::default)
                .await
                .is_ok_and(|w| w)
            {
                waited += 1;
            }
        }
        // 5 at once, then 20 more at 10/s: about 2 seconds.
        let took = start.elapsed();
        assert_eq!(waited, 20);
        assert!(took >= Duration::from_millis(1900), "{took:?}");
        assert!(took <= Duration::from_millis(2100), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_are_spread_over_time() {
        let limiter = std::sync::Arc::new(RateLimiter::new(4.0, 1));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let l = limiter.clone();
            tasks.push(tokio::spawn(async move {
                let op = op(Duration::from_secs(60));
                let _ = l.acquire(&op, Context::default).await;
                start.elapsed()
            }));
        }
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap_or_default());
        }
        times.sort();
        for (i, t) in times.iter().enumerate() {
            let expected = Duration::from_millis(250) * u32::try_from(i).unwrap_or(0);
            assert!(
                t.abs_diff(expected) < Duration::from_millis(20),
                "{i}: {t:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_after_the_deadline_fails_at_once() {
        let limiter = RateLimiter::new(1.0, 1);
        let op = op(Duration::from_millis(500));
        assert!(limiter.acquire(&op, Context::default).await.is_ok());
        let start = Instant::now();
        let r = limiter.acquire(&op, Context::default).await;
        assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Nothing was booked: a patient caller gets the slot one second after the first.
        let patient = Op::new("later", Duration::from_secs(5), CancellationToken::new());
        assert!(limiter.acquire(&patient, Context::default).await.is_ok());
        assert!(start.elapsed() <= Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn cancellation_interrupts_the_wait_and_frees_the_slot() {
        let limiter = std::sync::Arc::new(RateLimiter::new(0.1, 1));
        let op1 = op(Duration::from_secs(600));
        assert!(limiter.acquire(&op1, Context::default).await.is_ok());
        let cancelled = op(Duration::from_secs(600));
        let token = cancelled.cancel.clone();
        let l = limiter.clone();
        let task = tokio::spawn(async move { l.acquire(&cancelled, Context::default).await });
        tokio::time::sleep(Duration::from_secs(1)).await;
        token.cancel();
        let r = task.await;
        assert!(matches!(r, Ok(Err(Error::Cancelled { .. }))), "{r:?}");
        // The freed slot is the next one again: 10 s after the first request.
        let start = Instant::now();
        assert!(limiter.acquire(&op1, Context::default).await.is_ok());
        assert!(
            start.elapsed() <= Duration::from_secs(9),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn zero_rate_disables_limiting() {
        let limiter = RateLimiter::new(0.0, 0);
        let op = op(Duration::from_secs(1));
        for _ in 0..100 {
            assert!(matches!(
                limiter.acquire(&op, Context::default).await,
                Ok(false)
            ));
        }
    }
}
