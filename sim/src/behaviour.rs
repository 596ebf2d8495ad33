//! Run-time behaviour that is not about objects: request counters, the request log,
//! rate-limit windows and injected faults (scripted ones and random ones).
//!
//! Knows nothing of HTTP bodies; `middleware.rs` asks it what to do with each request.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Instant, SystemTime};

use rand::Rng;
use serde::Serialize;

use crate::config::{AfterCommitFaults, ClassLimit, FaultKind, Faults, Knobs, RateLimit};
use crate::error::ApiError;
use crate::time::rfc3339;

/// One answered request, as the admin request log shows it. Holds no headers and no
/// bodies, so never credentials or secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as requested (percent-encoding kept), with its query string.
    pub path: String,
    /// Endpoint key: method and path template, e.g. `GET /v1/private-links/{privateLinkId}`.
    pub endpoint: String,
    /// HTTP status answered (0 when the connection was dropped).
    pub status: u16,
    /// Time to answer, in milliseconds.
    pub millis: u64,
    /// When the request arrived (RFC 3339).
    pub at: String,
    /// The same instant in milliseconds since the Unix epoch, for arithmetic on times
    /// (comparable with [`Timeline`](crate::Timeline) entries through `unix_millis`).
    pub at_unix_ms: u64,
    /// The fault injected into this request (`"503"`, `"after-drop"`, ...), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<&'static str>,
    /// For a fault after the handler: the status the handler answered, which the client
    /// never saw (a `2xx` means the change was made).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler_status: Option<u16>,
}

/// A fault queued for the next request that matches `endpoint` (any request when `None`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ScriptedFault {
    /// Endpoint key to match, e.g. `POST /v1/private-links`; `None` matches every request.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// What to do.
    pub kind: FaultKind,
}

struct Window {
    start: Instant,
    count: u32,
}

pub(crate) struct Behaviour {
    pub counters: BTreeMap<String, u64>,
    pub total: u64,
    log: VecDeque<RequestRecord>,
    capacity: usize,
    global: Option<Window>,
    endpoints: HashMap<String, Window>,
    /// Admission times per (class, window index) of [`Knobs::limits`], oldest first.
    rolling: HashMap<(String, usize), VecDeque<Instant>>,
    pub scripted: VecDeque<ScriptedFault>,
    /// Faults injected so far, per endpoint key and kind; never truncated like the log.
    pub injected: BTreeMap<String, BTreeMap<&'static str, u64>>,
}

impl Behaviour {
    pub(crate) fn new(capacity: usize) -> Self {
        Behaviour {
            counters: BTreeMap::new(),
            total: 0,
            log: VecDeque::new(),
            capacity,
            global: None,
            endpoints: HashMap::new(),
            rolling: HashMap::new(),
            scripted: VecDeque::new(),
            injected: BTreeMap::new(),
        }
    }

    /// Counts one injected fault.
    pub(crate) fn count_fault(&mut self, endpoint: &str, kind: FaultKind) {
        *self
            .injected
            .entry(endpoint.to_string())
            .or_default()
            .entry(kind.as_str())
            .or_insert(0) += 1;
    }

    pub(crate) fn count(&mut self, endpoint: &str) {
        self.total += 1;
        *self.counters.entry(endpoint.to_string()).or_insert(0) += 1;
    }

    pub(crate) fn reset_counters(&mut self) {
        self.total = 0;
        self.counters.clear();
    }

    /// Forgets every rate-limit window (done whenever the knobs change).
    pub(crate) fn reset_windows(&mut self) {
        self.global = None;
        self.endpoints.clear();
        self.rolling.clear();
    }

    pub(crate) fn record(&mut self, r: RequestRecord) {
        if self.capacity == 0 {
            return;
        }
        if self.log.len() == self.capacity {
            self.log.pop_front();
        }
        self.log.push_back(r);
    }

    pub(crate) fn log(&self) -> Vec<RequestRecord> {
        self.log.iter().cloned().collect()
    }

    /// Removes and returns the first scripted fault matching this endpoint.
    pub(crate) fn take_scripted(&mut self, endpoint: &str) -> Option<FaultKind> {
        let i = self
            .scripted
            .iter()
            .position(|f| f.endpoint.as_deref().is_none_or(|e| e == endpoint))?;
        self.scripted.remove(i).map(|f| f.kind)
    }

    /// Counts the request against the global and endpoint limits, or refuses it.
    pub(crate) fn admit(
        &mut self,
        knobs: &Knobs,
        endpoint: &str,
        now: Instant,
    ) -> Result<(), ApiError> {
        if let Some(limit) = knobs.rate_limit {
            let w = self.global.get_or_insert(Window {
                start: now,
                count: 0,
            });
            check(w, limit, now, || {
                format!(
                    "No more than {} requests can be made in {}-second time period",
                    limit.max, limit.window_secs
                )
            })?;
        }
        if let Some(limit) = knobs.endpoint_rate_limits.get(endpoint) {
            let w = self
                .endpoints
                .entry(endpoint.to_string())
                .or_insert(Window {
                    start: now,
                    count: 0,
                });
            check(w, *limit, now, || {
                format!(
                    "No more than {} requests to {endpoint} can be made in {}-second time period",
                    limit.max, limit.window_secs
                )
            })?;
        }
        self.admit_classes(&knobs.limits, endpoint, now)?;
        // Only count once every limit has admitted the request.
        if knobs.rate_limit.is_some() {
            if let Some(w) = &mut self.global {
                w.count += 1;
            }
        }
        if let Some(w) = self.endpoints.get_mut(endpoint) {
            w.count += 1;
        }
        Ok(())
    }

    /// Checks every rolling window of every class covering the endpoint, then counts the
    /// request in all of them (a refused request counts nowhere).
    fn admit_classes(
        &mut self,
        limits: &[ClassLimit],
        endpoint: &str,
        now: Instant,
    ) -> Result<(), ApiError> {
        let mut refusal: Option<(std::time::Duration, String)> = None;
        for class in limits.iter().filter(|c| c.covers(endpoint)) {
            for (i, limit) in class.windows.iter().enumerate() {
                let window = std::time::Duration::from_secs(limit.window_secs);
                let log = self.rolling.entry((class.class.clone(), i)).or_default();
                while log
                    .front()
                    .is_some_and(|t| now.saturating_duration_since(*t) >= window)
                {
                    log.pop_front();
                }
                if log.len() >= usize::try_from(limit.max).unwrap_or(usize::MAX) {
                    let frees = log.front().map_or(now, |t| *t + window);
                    let wait = frees.saturating_duration_since(now);
                    // The longest wait names the limit that binds.
                    if refusal.as_ref().is_none_or(|(w, _)| wait > *w) {
                        let message = format!(
                            "No more than {} {} in {} time period",
                            limit.max,
                            class.what,
                            period(limit.window_secs)
                        );
                        refusal = Some((wait, message));
                    }
                }
            }
        }
        if let Some((wait, message)) = refusal {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(ApiError::TooManyRequests {
                message,
                retry_after_secs: secs.max(1),
            });
        }
        for class in limits.iter().filter(|c| c.covers(endpoint)) {
            for i in 0..class.windows.len() {
                if let Some(log) = self.rolling.get_mut(&(class.class.clone(), i)) {
                    log.push_back(now);
                }
            }
        }
        Ok(())
    }

    /// Limit and remaining requests of the overall quota, for the `X-Rate-Limit` and
    /// `X-Rate-Limit-Remaining` headers: the legacy `rate_limit` knob when set (and only if
    /// its window is the hour the headers describe: `None` otherwise), else the longest
    /// window of the class covering every request. The docs: "X-Rate-Limit
    /// specifies the overall HTTP requests limit. X-Rate-Limit-Remaining specifies the
    /// number of remaining requests for the current one-hour rolling time period"
    /// (<https://beta.fivetran.com/docs/rest-api/getting-started/rate-limiting>).
    pub(crate) fn global_remaining(&self, knobs: &Knobs) -> Option<(u32, u32)> {
        let Some(limit) = knobs.rate_limit else {
            let all = knobs.limits.iter().find(|c| c.endpoints.is_empty())?;
            let (i, w) = all
                .windows
                .iter()
                .enumerate()
                .max_by_key(|(_, w)| w.window_secs)?;
            let used = self
                .rolling
                .get(&(all.class.clone(), i))
                .map_or(0, VecDeque::len);
            let used = u32::try_from(used).unwrap_or(u32::MAX);
            return Some((w.max, w.max.saturating_sub(used)));
        };
        if limit.window_secs != 3600 {
            return None;
        }
        let used = self.global.as_ref().map_or(0, |w| w.count);
        Some((limit.max, limit.max.saturating_sub(used)))
    }
}

/// `one-minute`, `one-hour`, `one-day` as in the API's messages; `N-second` otherwise.
fn period(window_secs: u64) -> String {
    match window_secs {
        60 => "one-minute".to_string(),
        3600 => "one-hour".to_string(),
        86_400 => "one-day".to_string(),
        n => format!("{n}-second"),
    }
}

fn check(
    w: &mut Window,
    limit: RateLimit,
    now: Instant,
    message: impl FnOnce() -> String,
) -> Result<(), ApiError> {
    let window = std::time::Duration::from_secs(limit.window_secs);
    let elapsed = now.saturating_duration_since(w.start);
    if elapsed >= window {
        w.start = now;
        w.count = 0;
    }
    if w.count >= limit.max {
        let left = window.saturating_sub(now.saturating_duration_since(w.start));
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        return Err(ApiError::TooManyRequests {
            message: message(),
            retry_after_secs: secs.max(1),
        });
    }
    Ok(())
}

/// Draws a random fault for this endpoint from the configured rates.
pub(crate) fn draw_fault(faults: &Faults, endpoint: &str, rng: &mut impl Rng) -> Option<FaultKind> {
    if !faults.endpoints.is_empty() && !faults.endpoints.iter().any(|e| e == endpoint) {
        return None;
    }
    let rates = [
        (faults.drop, FaultKind::Drop),
        (faults.error_500, FaultKind::Error500),
        (faults.error_502, FaultKind::Error502),
        (faults.error_503, FaultKind::Error503),
    ];
    for (rate, kind) in rates {
        if rate > 0.0 && rng.random::<f64>() < rate {
            return Some(kind);
        }
    }
    None
}

/// Draws a fault to inject after the handler ran, from the `after_commit` rates.
pub(crate) fn draw_after_commit_fault(
    faults: &AfterCommitFaults,
    endpoint: &str,
    rng: &mut impl Rng,
) -> Option<FaultKind> {
    if !faults.endpoints.is_empty() && !faults.endpoints.iter().any(|e| e == endpoint) {
        return None;
    }
    let rates = [
        (faults.drop, FaultKind::AfterDrop),
        (faults.error_500, FaultKind::After500),
        (faults.error_502, FaultKind::After502),
        (faults.error_504, FaultKind::After504),
    ];
    for (rate, kind) in rates {
        if rate > 0.0 && rng.random::<f64>() < rate {
            return Some(kind);
        }
    }
    None
}

pub(crate) fn record_time(at: SystemTime) -> String {
    rfc3339(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use std::time::Duration;

    #[test]
    fn fixed_windows_refuse_the_excess_and_reset() {
        let mut b = Behaviour::new(10);
        let mut knobs = Knobs::default();
        knobs.endpoint_rate_limits.insert(
            "POST /v1/private-links".into(),
            RateLimit {
                max: 2,
                window_secs: 10,
            },
        );
        let t0 = Instant::now();
        let key = "POST /v1/private-links";
        assert!(b.admit(&knobs, key, t0).is_ok());
        assert!(b.admit(&knobs, "GET /v1/groups", t0).is_ok());
        assert!(b.admit(&knobs, key, t0).is_ok());
        match b.admit(&knobs, key, t0 + Duration::from_millis(2500)) {
            Err(ApiError::TooManyRequests {
                retry_after_secs, ..
            }) => assert_eq!(retry_after_secs, 8),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(b.admit(&knobs, key, t0 + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn rolling_windows_of_a_class_all_apply_and_free_one_slot_at_a_time() {
        let mut b = Behaviour::new(0);
        let knobs = Knobs {
            limits: crate::config::ClassLimit::parse_list(
                "documented,connection-create=2/10s+3/100s",
            )
            .unwrap_or_default(),
            ..Knobs::default()
        };
        let key = "POST /v1/connections";
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        assert!(b.admit(&knobs, key, at(0)).is_ok());
        assert!(b.admit(&knobs, key, at(4)).is_ok());
        match b.admit(&knobs, key, at(5)) {
            Err(ApiError::TooManyRequests {
                retry_after_secs,
                message,
            }) => {
                assert_eq!(retry_after_secs, 5, "the request of t=0 leaves at t=10");
                assert_eq!(
                    message,
                    "No more than 2 connectors can be created in 10-second time period"
                );
            }
            other => panic!("expected 429, got {other:?}"),
        }
        // Rolling: at t=10 only the first request has left the 10 s window.
        assert!(b.admit(&knobs, key, at(10)).is_ok());
        assert!(b.admit(&knobs, key, at(11)).is_err());
        // Now the 100 s window is full too; it binds with the longer wait.
        match b.admit(&knobs, key, at(20)) {
            Err(ApiError::TooManyRequests {
                retry_after_secs,
                message,
            }) => {
                assert_eq!(retry_after_secs, 80);
                assert!(message.contains("3 connectors"), "{message}");
            }
            other => panic!("expected 429, got {other:?}"),
        }
        // Other endpoints only count in `all`; refused requests counted nowhere.
        assert!(b.admit(&knobs, "GET /v1/groups", at(20)).is_ok());
        assert_eq!(b.global_remaining(&knobs), Some((20_000, 20_000 - 4)));
    }

    #[test]
    fn the_overall_quota_answers_with_its_message_and_remaining() {
        let mut b = Behaviour::new(0);
        let knobs = Knobs {
            limits: crate::config::ClassLimit::parse_list("trial,all=2/1h").unwrap_or_default(),
            ..Knobs::default()
        };
        let t0 = Instant::now();
        assert_eq!(b.global_remaining(&knobs), Some((2, 2)));
        assert!(b.admit(&knobs, "GET /v1/groups", t0).is_ok());
        assert_eq!(b.global_remaining(&knobs), Some((2, 1)));
        assert!(b.admit(&knobs, "GET /v1/groups", t0).is_ok());
        match b.admit(&knobs, "GET /v1/groups", t0 + Duration::from_millis(1500)) {
            Err(ApiError::TooManyRequests {
                retry_after_secs,
                message,
            }) => {
                assert_eq!(retry_after_secs, 3599, "3598.5 s rounded up");
                assert_eq!(
                    message,
                    "No more than 2 requests can be made in one-hour time period"
                );
            }
            other => panic!("expected 429, got {other:?}"),
        }
        assert_eq!(b.global_remaining(&knobs), Some((2, 0)));
        b.reset_windows();
        assert_eq!(b.global_remaining(&knobs), Some((2, 2)));
    }

    #[test]
    fn scripted_faults_match_their_endpoint_in_order() {
        let mut b = Behaviour::new(0);
        b.scripted.push_back(ScriptedFault {
            endpoint: Some("GET /a".into()),
            kind: FaultKind::Error503,
        });
        b.scripted.push_back(ScriptedFault {
            endpoint: None,
            kind: FaultKind::Drop,
        });
        assert_eq!(b.take_scripted("GET /b"), Some(FaultKind::Drop));
        assert_eq!(b.take_scripted("GET /b"), None);
        assert_eq!(b.take_scripted("GET /a"), Some(FaultKind::Error503));
    }

    #[test]
    fn fault_rates_are_respected_and_scoped() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let all = Faults {
            error_503: 1.0,
            ..Faults::default()
        };
        assert_eq!(
            draw_fault(&all, "GET /x", &mut rng),
            Some(FaultKind::Error503)
        );
        let scoped = Faults {
            error_500: 1.0,
            endpoints: vec!["GET /y".into()],
            ..Faults::default()
        };
        assert_eq!(draw_fault(&scoped, "GET /x", &mut rng), None);
        assert_eq!(draw_fault(&Faults::default(), "GET /x", &mut rng), None);
        let half = Faults {
            error_500: 0.5,
            ..Faults::default()
        };
        let hits = (0..1000)
            .filter(|_| draw_fault(&half, "GET /x", &mut rng).is_some())
            .count();
        assert!((350..650).contains(&hits), "{hits}");
    }

    #[test]
    fn after_commit_rates_are_their_own_and_scoped() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let before_only = Faults {
            error_503: 1.0,
            ..Faults::default()
        };
        assert_eq!(
            draw_after_commit_fault(&before_only.after_commit, "POST /x", &mut rng),
            None
        );
        let after = AfterCommitFaults {
            error_504: 1.0,
            endpoints: vec!["POST /x".into()],
            ..AfterCommitFaults::default()
        };
        assert_eq!(
            draw_after_commit_fault(&after, "POST /x", &mut rng),
            Some(FaultKind::After504)
        );
        assert_eq!(draw_after_commit_fault(&after, "GET /x", &mut rng), None);
        assert_eq!(draw_fault(&Faults::default(), "POST /x", &mut rng), None);
    }
}
