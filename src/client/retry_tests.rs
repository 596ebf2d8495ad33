//! Unit tests of the retry loop on tokio's paused clock (no server): which failures are
//! retried for which calls, how long it waits, and when it refuses to wait.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::super::error::Context;
use super::super::PollPolicy;
use super::*;

fn op(timeout: Duration) -> Op {
    Op::new(
        "reading private link \"x\"",
        timeout,
        CancellationToken::new(),
    )
}

fn ctx() -> Box<Context> {
    Box::new(Context::new(
        "reading private link \"x\"",
        "GET",
        "/private-links/x",
    ))
}

fn server() -> Error {
    Error::Server { ctx: ctx() }
}

fn limited(secs: u64) -> Error {
    Error::RateLimited {
        retry_after: Some(Duration::from_secs(secs)),
        ctx: ctx(),
    }
}

/// Fails with `errors` in turn, then succeeds; returns the result and the attempts made.
async fn attempts(
    op: &Op,
    policy: &RetryPolicy,
    safety: Safety,
    errors: Vec<Error>,
) -> (Result<u32, Error>, u32, Counters) {
    let counters = Counters::default();
    let calls = AtomicU32::new(0);
    let r = run(op, &Plan::new(policy, safety), &counters, || {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let next = errors.get(n as usize).cloned();
        async move {
            match next {
                Some(e) => Err(e),
                None => Ok(n),
            }
        }
    })
    .await;
    (r, calls.load(Ordering::SeqCst), counters)
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_for_repeatable_calls() {
    let op = op(Duration::from_secs(600));
    let errors = vec![server(), server(), server()];
    let (r, calls, counters) =
        attempts(&op, &RetryPolicy::default(), Safety::Repeatable, errors).await;
    assert_eq!(r.ok(), Some(3));
    assert_eq!(calls, 4);
    assert_eq!(counters.snapshot().retries, 3);
}

#[tokio::test(start_paused = true)]
async fn a_create_is_not_resent_after_a_server_error_or_an_ambiguous_failure() {
    let op = op(Duration::from_secs(600));
    for e in [
        server(),
        Error::Transport {
            ambiguous: true,
            ctx: ctx(),
        },
    ] {
        let (r, calls, _) =
            attempts(&op, &RetryPolicy::default(), Safety::CreatesObject, vec![e]).await;
        assert_eq!(calls, 1);
        let err = r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("not re-sent"), "{err}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_create_is_retried_when_nothing_was_sent_or_on_429() {
    let op = op(Duration::from_secs(600));
    let refused = Error::Transport {
        ambiguous: false,
        ctx: ctx(),
    };
    let (r, calls, _) = attempts(
        &op,
        &RetryPolicy::default(),
        Safety::CreatesObject,
        vec![refused, limited(2)],
    )
    .await;
    assert_eq!((r.ok(), calls), (Some(2), 3));
}

#[tokio::test(start_paused = true)]
async fn client_errors_are_not_retried() {
    let op = op(Duration::from_secs(600));
    let e = Error::NotFound { ctx: ctx() };
    let (r, calls, _) = attempts(&op, &RetryPolicy::default(), Safety::Repeatable, vec![e]).await;
    assert!(matches!(r, Err(Error::NotFound { .. })));
    assert_eq!(calls, 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_exactly() {
    let op = op(Duration::from_secs(600));
    let start = Instant::now();
    let (r, calls, _) = attempts(
        &op,
        &RetryPolicy::default(),
        Safety::Repeatable,
        vec![limited(7)],
    )
    .await;
    assert_eq!((r.ok(), calls), (Some(1), 2));
    assert_eq!(start.elapsed(), Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn retry_after_past_the_deadline_fails_at_once() {
    let op = op(Duration::from_secs(120));
    let start = Instant::now();
    let (r, calls, counters) = attempts(
        &op,
        &RetryPolicy::default(),
        Safety::Repeatable,
        vec![limited(3600)],
    )
    .await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!((calls, counters.snapshot().retries), (1, 0));
    match r {
        Err(e @ Error::RateLimited { .. }) => {
            let s = e.to_string();
            assert!(s.contains("retry after 1h0m0s"), "{s}");
            assert!(
                s.contains("frees a request slot in 1h0m0s (Retry-After), after the operation's deadline (in 2m0s)"),
                "{s}"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn backoff_past_the_deadline_fails_at_once() {
    let op = op(Duration::from_millis(50));
    let policy = RetryPolicy {
        base_delay: Duration::from_secs(10),
        max_delay: Duration::from_secs(10),
        ..RetryPolicy::default()
    };
    let start = Instant::now();
    // Full jitter may draw a short delay: keep failing until one would pass the deadline.
    let errors = (0..100).map(|_| server()).collect();
    let (r, _, _) = attempts(&op, &policy, Safety::Repeatable, errors).await;
    assert!(start.elapsed() < Duration::from_millis(50));
    let s = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(s.contains("would pass the operation's deadline"), "{s}");
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_retries() {
    let op = op(Duration::from_secs(3600));
    let policy = RetryPolicy {
        max_retries: 2,
        ..RetryPolicy::default()
    };
    let errors = (0..10).map(|_| server()).collect();
    let (r, calls, _) = attempts(&op, &policy, Safety::Repeatable, errors).await;
    assert_eq!(calls, 3);
    let s = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(s.contains("gave up after 2 retries"), "{s}");
}

#[tokio::test(start_paused = true)]
async fn cancellation_interrupts_a_retry_sleep() {
    let op = op(Duration::from_secs(3600));
    let token = op.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        token.cancel();
    });
    let start = Instant::now();
    let (r, calls, _) = attempts(
        &op,
        &RetryPolicy::default(),
        Safety::Repeatable,
        vec![limited(600)],
    )
    .await;
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    assert_eq!(calls, 1);
    assert!(matches!(r, Err(Error::Cancelled { .. })), "{r:?}");
}

fn busy() -> Error {
    let ctx = Context {
        status: Some(409),
        code: Some("IllegalState".into()),
        ..*ctx()
    };
    Error::from_status(
        409,
        None,
        ctx.with_message("Private link in CREATING state is not allowed to perform any operation"),
    )
}

/// The waiter's schedule without jitter: 1 s + 10% of the time waited so far.
fn settling() -> PollPolicy {
    PollPolicy {
        jitter: 0.0,
        ..PollPolicy::default()
    }
}

#[tokio::test(start_paused = true)]
async fn illegal_state_is_final_unless_the_call_waits_for_the_object_to_settle() {
    let op = op(Duration::from_secs(600));
    let (r, calls, _) = attempts(
        &op,
        &RetryPolicy::default(),
        Safety::Repeatable,
        vec![busy()],
    )
    .await;
    assert!(r.is_err_and(|e| e.is_illegal_state()));
    assert_eq!(calls, 1);
}

#[tokio::test(start_paused = true)]
async fn illegal_state_is_sent_again_on_the_poll_schedule() {
    let op = op(Duration::from_secs(600));
    let (policy, poll) = (RetryPolicy::default(), settling());
    let plan = Plan {
        until_settled: Some(&poll),
        ..Plan::new(&policy, Safety::Repeatable)
    };
    let start = Instant::now();
    let calls = AtomicU32::new(0);
    let at = std::sync::Mutex::new(Vec::new());
    // Busy three times, a server error (retried on the backoff, not the schedule), busy
    // again, then accepted.
    let answers = [busy(), busy(), busy(), server(), busy()];
    let r = run(&op, &plan, &Counters::default(), || {
        let n = calls.fetch_add(1, Ordering::SeqCst) as usize;
        at.lock().expect("times").push(start.elapsed());
        let answer = answers.get(n).cloned();
        async move { answer.map_or(Ok(n), Err) }
    })
    .await;
    assert_eq!(r.ok(), Some(5));
    let at = at.into_inner().expect("times");
    // Polls at 0, 1 s, 1 s + 1.1 s, then 2.1 s + 1.21 s.
    assert_eq!(
        &at[..4],
        &[
            Duration::ZERO,
            Duration::from_secs(1),
            Duration::from_millis(2100),
            Duration::from_millis(3310)
        ]
    );
    // The server error's retry came within the backoff's first ceiling (1 s).
    assert!(at[4] - at[3] <= Duration::from_secs(1), "{at:?}");
}

#[tokio::test(start_paused = true)]
async fn illegal_state_at_the_deadline_ends_with_the_last_refusal() {
    let op = op(Duration::from_secs(10));
    let (policy, poll) = (RetryPolicy::default(), settling());
    let plan = Plan {
        until_settled: Some(&poll),
        ..Plan::new(&policy, Safety::Repeatable)
    };
    let start = Instant::now();
    let calls = AtomicU32::new(0);
    let r: Result<(), Error> = run(&op, &plan, &Counters::default(), || {
        calls.fetch_add(1, Ordering::SeqCst);
        async { Err(busy()) }
    })
    .await;
    // The last try goes a second before the deadline, and nothing waits past it.
    assert_eq!(start.elapsed(), Duration::from_secs(9));
    let err = r.expect_err("still busy");
    assert!(err.is_illegal_state(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("leaves no room for another try"), "{text}");
    // 0, 1, 2.1, 3.31, 4.641, 6.1051, 7.71561, then the last chance at 9 s.
    assert_eq!(calls.load(Ordering::SeqCst), 8);
}

#[test]
fn backoff_doubles_to_the_cap_with_full_jitter() {
    let p = RetryPolicy::default();
    assert_eq!(p.backoff(1, 1.0), Duration::from_secs(1));
    assert_eq!(p.backoff(3, 1.0), Duration::from_secs(4));
    assert_eq!(p.backoff(6, 1.0), Duration::from_secs(30));
    assert_eq!(p.backoff(60, 1.0), Duration::from_secs(30));
    assert_eq!(p.backoff(3, 0.0), Duration::ZERO);
    assert_eq!(p.backoff(3, 0.5), Duration::from_secs(2));
}

#[test]
fn retry_after_in_seconds_or_as_an_http_date() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(
        parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", UNIX_EPOCH),
        Some(Duration::from_secs(1_709_164_800))
    );
    assert_eq!(parse_retry_after("soon", now), None);
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 25:00:00 GMT", now),
        None
    );
    let _ = SystemTime::now();
}
