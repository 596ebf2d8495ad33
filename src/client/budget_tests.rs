//! The budget's decisions on tokio's paused clock: the instants at which requests go,
//! under the documented limits and under a configured rate.

use super::*;
use tokio_util::sync::CancellationToken;

/// The class of a connection creation (20 a minute, 600 an hour).
const CREATION: Option<Class> = Some(Class::ConnectionCreation);

fn op(timeout: Duration) -> Op {
    Op::new("testing", timeout, CancellationToken::new())
}

/// `n` requests one after the other, each acquired and answered at once: the seconds since
/// `start` each went at (`u64::MAX` for one refused).
async fn send_n(
    budget: &Budget,
    op: &Op,
    class: Option<Class>,
    headers: Headers,
    start: Instant,
    n: usize,
) -> Vec<u64> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        times.push(
            send(budget, op, class, headers, start)
                .await
                .unwrap_or(u64::MAX),
        );
    }
    times
}

/// Acquires and answers at once; returns the seconds since `start` the request went at.
async fn send(
    budget: &Budget,
    op: &Op,
    class: Option<Class>,
    headers: Headers,
    start: Instant,
) -> Result<u64, Error> {
    let (permit, _) = budget.acquire(op, class, Context::default).await?;
    let at = start.elapsed().as_secs();
    budget.answered(&permit, headers, None);
    Ok(at)
}

#[tokio::test(start_paused = true)]
async fn twenty_creations_go_at_once_and_the_21st_waits_for_the_window_to_free() {
    let budget = Budget::new(Limits::default());
    let op = op(Duration::from_secs(3600));
    let start = Instant::now();
    let times = send_n(&budget, &op, CREATION, Headers::default(), start, 45).await;
    assert!(times[..20].iter().all(|t| *t == 0), "{times:?}");
    assert!(times[20..40].iter().all(|t| *t == 60), "{times:?}");
    assert!(times[40..].iter().all(|t| *t == 120), "{times:?}");
    // Other requests never waited for the creations' class.
    let t = send(&budget, &op, None, Headers::default(), start).await;
    assert_eq!(t.ok(), Some(120));
}

#[tokio::test(start_paused = true)]
async fn a_request_counts_from_its_answer_not_from_when_it_was_sent() {
    let budget = Budget::new(Limits::default());
    let op = op(Duration::from_secs(3600));
    let start = Instant::now();
    let (slow, _) = budget
        .acquire(&op, Some(Class::ConnectionCreation), Context::default)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..19 {
        let t = send(&budget, &op, CREATION, Headers::default(), start).await;
        assert_eq!(t.ok(), Some(0));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    budget.answered(&slow, Headers::default(), None);
    // The 19 quick ones leave the window at 60 s; the slow one only at 65 s.
    let times = send_n(&budget, &op, CREATION, Headers::default(), start, 20).await;
    assert!(times[..19].iter().all(|t| *t == 60), "{times:?}");
    assert_eq!(times[19], 65);
}

#[tokio::test(start_paused = true)]
async fn an_hourly_allowance_is_spent_at_full_speed_then_spread_over_what_is_left() {
    let budget = Budget::new(Limits::default());
    let op = op(Duration::from_secs(7200));
    let start = Instant::now();
    // A trial account: the API says the overall limit is 100 (per hour).
    let trial = Headers {
        limit: Some(100),
        remaining: None,
    };
    let times = send_n(&budget, &op, None, trial, start, 93).await;
    assert!(times[..90].iter().all(|t| *t == 0), "{times:?}");
    // Ten left for the 3,600 s until the first slots free: one every 360 s.
    assert_eq!(&times[90..], &[360, 720, 1080]);
}

#[tokio::test(start_paused = true)]
async fn a_low_remaining_header_spreads_requests_to_the_end_of_the_window() {
    let budget = Budget::new(Limits::default());
    let op = op(Duration::from_secs(7200));
    let start = Instant::now();
    let shared_key = Headers {
        limit: Some(20_000),
        remaining: Some(10),
    };
    assert_eq!(
        send(&budget, &op, None, shared_key, start).await.ok(),
        Some(0)
    );
    let times = send_n(&budget, &op, None, Headers::default(), start, 3).await;
    assert_eq!(times, vec![360, 720, 1080]);
}

/// Our count says the hour is nearly spent; the API, which sees its own window, says there is
/// room: the API's word wins, and nothing waits an hour for a quota the API has not used up.
#[tokio::test(start_paused = true)]
async fn the_api_s_remaining_count_outranks_our_own_full_window() {
    let budget = Budget::new(Limits::default());
    let op = op(Duration::from_secs(600));
    let start = Instant::now();
    let small = Headers {
        limit: Some(5),
        remaining: None,
    };
    for _ in 0..4 {
        assert_eq!(send(&budget, &op, None, small, start).await.ok(), Some(0));
    }
    // By our own count one request is left for the hour: the next would be paced to the
    // hour's end, past the deadline.
    let full = budget.acquire(&op, None, Context::default).await;
    assert!(
        matches!(full, Err(Error::Timeout { .. })),
        "{:?}",
        full.map(|(_, waited)| waited)
    );
    // An answer says the API's window has room: requests go at once again.
    budget.answered(
        &Permit {
            id: None,
            classes: vec![Class::All],
        },
        Headers {
            limit: Some(5),
            remaining: Some(4),
        },
        None,
    );
    for _ in 0..3 {
        assert_eq!(
            send(&budget, &op, None, Headers::default(), start)
                .await
                .ok(),
            Some(0)
        );
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_closes_the_class_for_concurrent_requests_only() {
    let budget = std::sync::Arc::new(Budget::new(Limits::default()));
    let op = op(Duration::from_secs(600));
    let start = Instant::now();
    let (permit, _) = budget
        .acquire(&op, Some(Class::ConnectionCreation), Context::default)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    budget.answered(
        &permit,
        Headers::default(),
        Some((
            Duration::from_secs(30),
            "No more than 20 connectors can be created in one-minute time period",
        )),
    );
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let (b, o) = (budget.clone(), op.clone());
        tasks.push(tokio::spawn(async move {
            send(
                &b,
                &o,
                Some(Class::ConnectionCreation),
                Headers::default(),
                start,
            )
            .await
        }));
    }
    let other = send(
        &budget,
        &op,
        Some(Class::SetupTests),
        Headers::default(),
        start,
    )
    .await;
    assert_eq!(other.ok(), Some(0), "another class is not held");
    for t in tasks {
        assert_eq!(t.await.ok().and_then(Result::ok), Some(30));
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_past_the_deadline_fails_at_once_naming_the_limit_and_its_reset() {
    let budget = Budget::new(Limits::default());
    let start = Instant::now();
    let long = op(Duration::from_secs(3600));
    for _ in 0..20 {
        let t = send(
            &budget,
            &long,
            Some(Class::ConnectionCreation),
            Headers::default(),
            start,
        )
        .await;
        assert_eq!(t.ok(), Some(0));
    }
    let short = op(Duration::from_secs(10));
    let r = budget
        .acquire(&short, Some(Class::ConnectionCreation), Context::default)
        .await;
    assert_eq!(start.elapsed(), Duration::ZERO, "no waiting");
    let Err(e @ Error::Timeout { .. }) = r else {
        panic!("{r:?}")
    };
    let text = e.to_string();
    assert!(
        text.contains("Fivetran's limit of 20 connection creations per minute"),
        "{text}"
    );
    assert!(text.contains("frees in 1m"), "{text}");
    // A 429's message names the limit too.
    let (p, _) = budget
        .acquire(&long, None, Context::default)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    budget.answered(
        &p,
        Headers::default(),
        Some((
            Duration::from_secs(3000),
            "No more than 500 requests per hour",
        )),
    );
    let r = budget.acquire(&short, None, Context::default).await;
    let text = r
        .map(|_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        text.contains("Fivetran's rate limit (No more than 500 requests per hour)"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn cancellation_interrupts_the_wait() {
    let budget = std::sync::Arc::new(Budget::new(Limits::default()));
    let long = op(Duration::from_secs(3600));
    for _ in 0..20 {
        let _ = budget
            .acquire(&long, Some(Class::ConnectionCreation), Context::default)
            .await;
    }
    let cancelled = op(Duration::from_secs(3600));
    let token = cancelled.cancel.clone();
    let b = budget.clone();
    let task = tokio::spawn(async move {
        b.acquire(
            &cancelled,
            Some(Class::ConnectionCreation),
            Context::default,
        )
        .await
        .map(|_| ())
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    token.cancel();
    assert!(matches!(task.await, Ok(Err(Error::Cancelled { .. }))));
}

#[tokio::test(start_paused = true)]
async fn a_disabled_budget_lets_everything_through() {
    let budget = Budget::new(Limits {
        documented: false,
        ..Limits::default()
    });
    let op = op(Duration::from_secs(1));
    let start = Instant::now();
    for _ in 0..100 {
        let t = send(&budget, &op, CREATION, Headers::default(), start).await;
        assert_eq!(t.ok(), Some(0));
    }
}

#[test]
fn calls_map_to_their_documented_classes() {
    assert_eq!(
        class_of("POST", "/connections"),
        Some(Class::ConnectionCreation)
    );
    assert_eq!(
        class_of("POST", "/connections/{connectionId}/test"),
        Some(Class::SetupTests)
    );
    assert_eq!(
        class_of("POST", "/destinations/{destinationId}/test"),
        Some(Class::SetupTests)
    );
    assert_eq!(class_of("GET", "/connections"), None);
    assert_eq!(class_of("POST", "/private-links"), None);
}

/// A budget with the documented limits and a configured rate of `requests_per_second`, up
/// to `burst` at once.
fn rate(requests_per_second: f64, burst: u32) -> Budget {
    Budget::new(Limits {
        documented: true,
        requests_per_second,
        burst,
    })
}

#[tokio::test(start_paused = true)]
async fn burst_then_sustained_rate() {
    let budget = rate(10.0, 5);
    let op = op(Duration::from_secs(60));
    let start = Instant::now();
    let mut waited = 0;
    for _ in 0..25 {
        if budget
            .acquire(&op, None, Context::default)
            .await
            .is_ok_and(|(_, waited)| waited)
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
    let budget = std::sync::Arc::new(rate(4.0, 1));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let b = budget.clone();
        tasks.push(tokio::spawn(async move {
            let op = op(Duration::from_secs(60));
            let _ = b.acquire(&op, None, Context::default).await;
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
    let budget = rate(1.0, 1);
    let op = op(Duration::from_millis(500));
    assert!(budget.acquire(&op, None, Context::default).await.is_ok());
    let start = Instant::now();
    let r = budget.acquire(&op, None, Context::default).await;
    assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
    assert_eq!(start.elapsed(), Duration::ZERO);
    // Nothing was booked: a patient caller gets the slot one second after the first.
    let patient = Op::new("later", Duration::from_secs(5), CancellationToken::new());
    assert!(budget
        .acquire(&patient, None, Context::default)
        .await
        .is_ok());
    assert!(start.elapsed() <= Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn cancellation_interrupts_the_wait_and_frees_the_slot() {
    let budget = std::sync::Arc::new(rate(0.1, 1));
    let op1 = op(Duration::from_secs(600));
    assert!(budget.acquire(&op1, None, Context::default).await.is_ok());
    let cancelled = op(Duration::from_secs(600));
    let token = cancelled.cancel.clone();
    let b = budget.clone();
    let task = tokio::spawn(async move { b.acquire(&cancelled, None, Context::default).await });
    tokio::time::sleep(Duration::from_secs(1)).await;
    token.cancel();
    let r = task.await;
    assert!(matches!(r, Ok(Err(Error::Cancelled { .. }))), "{r:?}");
    // The freed slot is the next one again: 10 s after the first request.
    let start = Instant::now();
    assert!(budget.acquire(&op1, None, Context::default).await.is_ok());
    assert!(
        start.elapsed() <= Duration::from_secs(9),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn zero_rate_disables_limiting() {
    let budget = rate(0.0, 0);
    let op = op(Duration::from_secs(1));
    for _ in 0..100 {
        assert!(matches!(
            budget.acquire(&op, None, Context::default).await,
            Ok((_, false))
        ));
    }
}
