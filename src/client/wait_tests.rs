//! Tests of the waiter on tokio's paused clock: the schedule's detection lag and request
//! count (the goals), tolerance of transient errors, timeouts and cancellation.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::super::error::Context;
use super::*;

/// Poll times of the schedule for an object ready `ready_after` into the wait, with a
/// fixed jitter draw; returns (polls, detection lag). Pure arithmetic, no clock.
fn simulate(policy: &PollPolicy, ready_after: Duration, random: f64) -> (u32, Duration) {
    let mut t = policy.first_poll;
    let mut polls = 1;
    while t < ready_after {
        t += policy.interval(t, random);
        polls += 1;
    }
    (polls, t - ready_after)
}

/// The same for a fixed-interval loop that polls at once and then every `every`.
fn simulate_fixed(every: Duration, ready_after: Duration) -> (u32, Duration) {
    let mut t = Duration::ZERO;
    let mut polls = 1;
    while t < ready_after {
        t += every;
        polls += 1;
    }
    (polls, t - ready_after)
}

fn lag_goal(provisioning: Duration) -> Duration {
    Duration::from_secs(1) + provisioning / 10
}

#[test]
fn schedule_meets_the_lag_and_request_goals() {
    let policy = PollPolicy::default();
    for secs in [1, 5, 30, 120, 600, 1800, 3600] {
        let p = Duration::from_secs(secs);
        for random in [0.0, 0.5, 1.0] {
            let (polls, lag) = simulate(&policy, p, random);
            assert!(lag <= lag_goal(p), "{secs}s random {random}: lag {lag:?}");
            if secs == 600 {
                assert!(polls <= 45, "{secs}s random {random}: {polls} polls");
            }
        }
    }
    // The worst case of the lag bound: ready just after a poll, at every instant.
    for tenth in 1..6000 {
        let p = Duration::from_millis(tenth * 100);
        let (_, lag) = simulate(&policy, p, 0.0);
        assert!(lag <= lag_goal(p), "{p:?}: {lag:?}");
    }
    // The tutorial's fixed 10-second loop, for comparison.
    assert_eq!(
        simulate_fixed(Duration::from_secs(10), Duration::from_secs(600)).0,
        61
    );
}

/// Runs the real loop on the paused clock against an object ready at `ready_after`.
async fn wait_for(ready_after: Duration) -> (u32, Duration) {
    let op = Op::new(
        "creating private link \"pl\"",
        Duration::from_secs(7200),
        CancellationToken::new(),
    );
    let start = Instant::now();
    let polls = AtomicU32::new(0);
    let r = until(
        &op,
        &PollPolicy::default(),
        || {
            polls.fetch_add(1, Ordering::SeqCst);
            let ready = start.elapsed() >= ready_after;
            async move { Ok::<_, Error>(ready) }
        },
        |ready| match ready {
            true => Progress::Done,
            false => Progress::Pending {
                state: "CREATING".into(),
            },
        },
    )
    .await;
    assert!(matches!(r, Ok(true)));
    (polls.load(Ordering::SeqCst), start.elapsed() - ready_after)
}

#[tokio::test(start_paused = true)]
async fn the_loop_detects_readiness_within_the_goal() {
    for secs in [5, 30, 120, 600] {
        let p = Duration::from_secs(secs);
        let (polls, lag) = wait_for(p).await;
        assert!(lag <= lag_goal(p), "{secs}s: lag {lag:?}");
        if secs == 600 {
            assert!(polls <= 45, "{polls} polls");
        }
    }
}

fn server_error() -> Error {
    Error::Server {
        ctx: Box::new(Context::new("w", "GET", "/private-links/x")),
    }
}

#[tokio::test(start_paused = true)]
async fn transient_errors_do_not_end_the_wait() {
    let op = Op::new(
        "waiting",
        Duration::from_secs(3600),
        CancellationToken::new(),
    );
    let n = AtomicU32::new(0);
    let r = until(
        &op,
        &PollPolicy::default(),
        || {
            let i = n.fetch_add(1, Ordering::SeqCst);
            async move {
                match i {
                    1 | 2 => Err(server_error()),
                    3 => Err(Error::Transport {
                        ambiguous: true,
                        ctx: Box::default(),
                    }),
                    _ => Ok(i),
                }
            }
        },
        |i| match *i >= 5 {
            true => Progress::Done,
            false => Progress::Pending {
                state: "CREATING".into(),
            },
        },
    )
    .await;
    assert_eq!(r.ok(), Some(5));
}

#[tokio::test(start_paused = true)]
async fn other_errors_end_the_wait() {
    let op = Op::new(
        "waiting",
        Duration::from_secs(3600),
        CancellationToken::new(),
    );
    let r: Result<(), _> = until(
        &op,
        &PollPolicy::default(),
        || async {
            Err(Error::Unauthorized {
                ctx: Box::default(),
            })
        },
        |()| Progress::Done,
    )
    .await;
    assert!(matches!(r, Err(WaitError::Api(Error::Unauthorized { .. }))));
}

#[tokio::test(start_paused = true)]
async fn a_failed_state_ends_the_wait_with_its_reason() {
    let op = Op::new(
        "creating private link \"pl\"",
        Duration::from_secs(3600),
        CancellationToken::new(),
    );
    let r = until(
        &op,
        &PollPolicy::default(),
        || async { Ok::<_, Error>("FAIL") },
        |s| Progress::Failed {
            reason: format!("state {s}: endpoint rejected"),
        },
    )
    .await;
    match r {
        Err(e @ WaitError::Failed { .. }) => {
            let s = e.to_string();
            assert!(
                s.starts_with("creating private link \"pl\": failed after 0ms: state FAIL"),
                "{s}"
            );
            if let WaitError::Failed { last, .. } = e {
                assert_eq!(*last, "FAIL");
            }
        }
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_the_wait_with_the_last_state() {
    let op = Op::new(
        "creating private link \"pl\"",
        Duration::from_secs(120),
        CancellationToken::new(),
    );
    let start = Instant::now();
    let polls = AtomicU32::new(0);
    let r = until(
        &op,
        &PollPolicy::default(),
        || {
            let i = polls.fetch_add(1, Ordering::SeqCst);
            async move {
                match i {
                    0 => Ok("CREATING"),
                    _ => Err(server_error()),
                }
            }
        },
        |s| Progress::Pending {
            state: s.to_string(),
        },
    )
    .await;
    let took = start.elapsed();
    assert!(
        took <= Duration::from_secs(120) && took >= Duration::from_secs(118),
        "{took:?}"
    );
    match r {
        Err(e @ WaitError::Timeout { .. }) => {
            let s = e.to_string();
            assert!(s.contains("still CREATING after waiting"), "{s}");
            assert!(s.contains("the last poll failed"), "{s}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn cancellation_ends_the_wait_at_once() {
    let cancel = CancellationToken::new();
    let op = Op::new("waiting", Duration::from_secs(3600), cancel.clone());
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(100)).await;
        trigger.cancel();
    });
    let start = Instant::now();
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let r = until(
        &op,
        &PollPolicy::default(),
        move || {
            c.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, Error>(()) }
        },
        |()| Progress::Pending {
            state: "CREATING".into(),
        },
    )
    .await;
    assert_eq!(start.elapsed(), Duration::from_secs(100));
    match r {
        Err(WaitError::Cancelled { last_state, .. }) => {
            assert_eq!(last_state.as_deref(), Some("CREATING"));
        }
        other => panic!("expected Cancelled, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn until_gone_ends_on_not_found_and_last_gives_the_failed_value() {
    let op = Op::new(
        "deleting",
        Duration::from_secs(600),
        CancellationToken::new(),
    );
    let n = AtomicU32::new(0);
    let r = until_gone(
        &op,
        &PollPolicy::default(),
        || {
            let i = n.fetch_add(1, Ordering::SeqCst);
            async move {
                match i {
                    0 | 1 => Ok("DESTROYING"),
                    _ => Err(Error::NotFound {
                        ctx: Box::default(),
                    }),
                }
            }
        },
        |s| Progress::Pending {
            state: s.to_string(),
        },
    )
    .await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(n.load(Ordering::SeqCst), 3);

    let failed = until_gone(
        &op,
        &PollPolicy::default(),
        || async { Ok::<_, Error>("FAIL") },
        |s| Progress::Failed {
            reason: s.to_string(),
        },
    )
    .await;
    assert_eq!(
        failed.as_ref().err().and_then(WaitError::last),
        Some(&"FAIL")
    );
}
