//! Every knob of the simulator: the start-up configuration ([`SimConfig`]) and the part
//! of it that can change while it runs ([`Knobs`]).
//!
//! Knows nothing of HTTP: the CLI (`cli.rs`), the admin API and tests all build these
//! values. Durations travel as milliseconds in JSON so that the admin API and `curl` can
//! set them without a duration syntax.

use std::collections::BTreeMap;
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// Start-up configuration. `Default` gives realistic-but-fast values: provisioning takes
/// 3 s, updates 2 s, deletions 1 s; no faults, no rate limits, no latency.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// API key accepted in HTTP Basic auth (the user name part).
    pub api_key: String,
    /// API secret accepted in HTTP Basic auth (the password part).
    pub api_secret: String,
    /// The user id the key belongs to: appears as `created_by`, `connected_by`, `validated_by`.
    pub user_id: String,
    /// Id of the starting group and of its destination; generated from the seed when `None`.
    pub group_id: Option<String>,
    /// Name of the starting group.
    pub group_name: String,
    /// Seed of the random generator (ids, duration ranges, fault draws). `None`: from the clock.
    pub seed: Option<u64>,
    /// Largest accepted request body; bigger bodies get `400 InvalidInput`.
    pub max_body_bytes: usize,
    /// Print one line per request on stderr (method, path, status, time; never headers or bodies).
    pub log_requests: bool,
    /// How many recent requests the admin request log keeps.
    pub request_log_capacity: usize,
    /// The knobs that can also be changed at run time.
    pub knobs: Knobs,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            api_key: "sim_api_key".to_string(),
            api_secret: "sim_api_secret".to_string(),
            user_id: "sim_user".to_string(),
            group_id: None,
            group_name: "sim_warehouse".to_string(),
            seed: None,
            max_body_bytes: 1024 * 1024,
            log_requests: false,
            request_log_capacity: 1000,
            knobs: Knobs::default(),
        }
    }
}

impl SimConfig {
    /// Defaults with every duration at zero: transitions complete on the next read.
    pub fn instant() -> Self {
        let mut c = SimConfig::default();
        c.knobs.provisioning = DurationRange::ZERO;
        c.knobs.update = DurationRange::ZERO;
        c.knobs.destroy = DurationRange::ZERO;
        c
    }
}

/// Behaviour that tests and the admin API may change while the simulator runs.
/// A change applies to transitions started and requests received after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Knobs {
    /// Time a private link spends in `CREATING`.
    pub provisioning: DurationRange,
    /// Time a private link spends in `UPDATING` after a `PATCH`.
    pub update: DurationRange,
    /// Time a private link spends in `DESTROYING` before it is gone (404).
    pub destroy: DurationRange,
    /// Besides the duration, a pending private-link transition also waits until this many
    /// `GET /v1/private-links/{id}` reads have answered with the pending state (0: no wait).
    pub polls_until_ready: u32,
    /// Private links whose name matches one of these patterns (`*` matches any run of
    /// characters) end in `FAIL` instead of `OK`.
    pub failing_links: Vec<String>,
    /// Limit over all `/v1` requests, in fixed windows. Its answers carry `X-Rate-Limit` /
    /// `X-Rate-Limit-Remaining` only when the window is an hour: the docs define both
    /// headers for "the current one-hour rolling time period", and a client reading a
    /// 1-second window's count as an hourly quota would be misled.
    pub rate_limit: Option<RateLimit>,
    /// Limits per endpoint, keyed like the counters: `"POST /v1/private-links"`.
    pub endpoint_rate_limits: BTreeMap<String, RateLimit>,
    /// Fivetran's documented account limits: classes of requests counted together over
    /// rolling windows ([`ClassLimit::documented`], [`ClassLimit::trial`]). Empty: none.
    pub limits: Vec<ClassLimit>,
    /// Randomly injected failures.
    pub faults: Faults,
    /// Delay added before answering each `/v1` request.
    pub latency: DurationRange,
    /// Store and answer `networking_method: "UnmanagedPrivateLink"` for a connection created
    /// or patched with `"PrivateLink"`, as the real API may (official provider issue #408).
    /// Default `true` (the strict behaviour); `false` keeps `PrivateLink` as sent.
    pub private_link_networking_rewrite: bool,
    /// Each destination's first setup-test run comes back `incomplete` although no test
    /// failed (the tests answered as they came out); the next run gives the real result. Real
    /// runs: a Redshift destination created with `run_setup_tests = true` stayed
    /// `incomplete` until tested again (official provider issue #177; its fix, PR #259,
    /// re-runs the tests: "tests may fail on first run, but succeed on second"; fixtures
    /// README `destinations-groups`, behaviour 6). Default `false`.
    pub destination_first_setup_tests_incomplete: bool,
    /// Creating a destination (`POST /v1/destinations`) also adds a `fivetran_metadata`
    /// connection to its group, as Fivetran may do on its own (official provider issue #369;
    /// behaviour 23); that connection then blocks the destination's `DELETE` with a 409.
    /// Default `false`.
    pub destination_metadata_connection: bool,
    /// `POST /v1/destinations/{id}/test` answers the "legacy" shape: besides
    /// `private_link_id` (never in that answer), also no `networking_method` and no `config`
    /// (unmerged official provider PR #483's mock, fixture
    /// `reconstructed_destination_setup_tests_no_networking_pr483.json`; behaviour 20).
    /// Default `false`.
    pub destination_test_legacy_answer: bool,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            provisioning: DurationRange::fixed(Duration::from_secs(3)),
            update: DurationRange::fixed(Duration::from_secs(2)),
            destroy: DurationRange::fixed(Duration::from_secs(1)),
            polls_until_ready: 0,
            failing_links: Vec::new(),
            rate_limit: None,
            endpoint_rate_limits: BTreeMap::new(),
            limits: Vec::new(),
            faults: Faults::default(),
            latency: DurationRange::ZERO,
            private_link_networking_rewrite: true,
            destination_first_setup_tests_incomplete: false,
            destination_metadata_connection: false,
            destination_test_legacy_answer: false,
        }
    }
}

impl Knobs {
    /// Whether a private link with this name is configured to fail provisioning.
    pub fn link_fails(&self, name: &str) -> bool {
        self.failing_links.iter().any(|p| glob_match(p, name))
    }
}

/// A duration drawn uniformly from `min_ms..=max_ms` each time it is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationRange {
    /// Shortest duration, in milliseconds.
    pub min_ms: u64,
    /// Longest duration, in milliseconds (taken as `min_ms` when smaller).
    pub max_ms: u64,
}

impl Default for DurationRange {
    fn default() -> Self {
        DurationRange::ZERO
    }
}

impl DurationRange {
    /// No delay at all.
    pub const ZERO: DurationRange = DurationRange {
        min_ms: 0,
        max_ms: 0,
    };

    /// Always the same duration.
    pub fn fixed(d: Duration) -> Self {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        DurationRange {
            min_ms: ms,
            max_ms: ms,
        }
    }

    /// A duration between `min` and `max`, both included.
    pub fn between(min: Duration, max: Duration) -> Self {
        DurationRange {
            min_ms: DurationRange::fixed(min).min_ms,
            max_ms: DurationRange::fixed(max).min_ms,
        }
    }

    /// Draws one duration.
    pub fn sample(&self, rng: &mut impl Rng) -> Duration {
        if self.max_ms <= self.min_ms {
            return Duration::from_millis(self.min_ms);
        }
        Duration::from_millis(rng.random_range(self.min_ms..=self.max_ms))
    }

    /// Parses `250ms`, `2s`, `1m`, `1h`, a bare number of milliseconds, or a range
    /// `100ms..2s`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.split_once("..") {
            Some((a, b)) => Ok(DurationRange::between(
                parse_duration(a)?,
                parse_duration(b)?,
            )),
            None => Ok(DurationRange::fixed(parse_duration(s)?)),
        }
    }
}

/// Parses `250ms`, `2s`, `1m`, `1h` or a bare number of milliseconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(digits_end);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a duration (examples: 250ms, 2s, 1m, 1h)"))?;
    let ms = match unit {
        "" | "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        _ => return Err(format!("'{s}' has an unknown unit (use ms, s, m or h)")),
    };
    ms.map(Duration::from_millis)
        .ok_or_else(|| format!("'{s}' is too long"))
}

/// At most `max` requests per `window_secs`, counted in fixed windows that start at the
/// first request; the excess gets `429 TooManyRequests` with `Retry-After` set to the
/// seconds left in the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub max: u32,
    /// Window length in seconds.
    pub window_secs: u64,
}

impl RateLimit {
    /// Parses `20/60s`, `600/1h`, `5/90` (seconds by default).
    pub fn parse(s: &str) -> Result<Self, String> {
        let (max, window) = s
            .split_once('/')
            .ok_or_else(|| format!("'{s}' is not a rate limit (example: 20/60s)"))?;
        let max: u32 = max
            .trim()
            .parse()
            .map_err(|_| format!("'{max}' is not a request count"))?;
        let window = window.trim();
        let window = if window.chars().all(|c| c.is_ascii_digit()) {
            Duration::from_secs(
                window
                    .parse()
                    .map_err(|_| format!("'{window}' is not a window"))?,
            )
        } else {
            parse_duration(window)?
        };
        if window.as_secs() == 0 {
            return Err(format!("'{s}': the window must be at least one second"));
        }
        Ok(RateLimit {
            max,
            window_secs: window.as_secs(),
        })
    }
}

/// A class of requests that Fivetran counts together, with every window it is limited
/// by (a request must fit in all of them). Windows are rolling: a request counts for
/// `window_secs` after it was admitted, as the docs say ("for a rolling time period",
/// <https://beta.fivetran.com/docs/rest-api/getting-started/rate-limiting>). The excess
/// gets `429 TooManyRequests` with `Retry-After` = whole seconds until the oldest request
/// of the full window leaves it (rounded up), and the message
/// `No more than {max} {what} in {period} time period`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassLimit {
    /// Short name used by `--limits` overrides: `all`, `connection-create`, `setup-tests`.
    pub class: String,
    /// Endpoint keys in the class (`"POST /v1/connections"`); empty: every `/v1` request.
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// The text after the count in the 429 message, e.g. `connectors can be created`.
    pub what: String,
    /// Every window of the class.
    pub windows: Vec<RateLimit>,
}

/// The endpoints that run setup tests (docs' "Run connector setup tests", "Run destination
/// setup tests"). Creating or modifying with `run_setup_tests: true` also counts in the
/// docs; the simulator's create and patch handlers do not run tests, so they are not here.
const SETUP_TEST_ENDPOINTS: [&str; 2] = [
    "POST /v1/connections/{connectionId}/test",
    "POST /v1/destinations/{destinationId}/test",
];

impl ClassLimit {
    fn new(class: &str, endpoints: &[&str], what: &str, windows: &[(u32, u64)]) -> ClassLimit {
        ClassLimit {
            class: class.to_string(),
            endpoints: endpoints.iter().map(|e| e.to_string()).collect(),
            what: what.to_string(),
            windows: windows
                .iter()
                .map(|&(max, window_secs)| RateLimit { max, window_secs })
                .collect(),
        }
    }

    /// The limits of a paid account.
    /// * All requests: 20,000 per hour (rate-limiting doc page, both versions: beta.fivetran.com
    ///   and support.fivetran.com/hc/en-us/articles/1500003155681; reference §3.6).
    /// * Setup tests: 250 per minute and 2,500 per hour (same pages).
    /// * Connection creation: 20 per minute and 600 per hour (the older support page's
    ///   "Connector creation"; the 429 message "No more than 20 connectors can be created
    ///   in one-minute time period" is quoted in official provider issue #80).
    pub fn documented() -> Vec<ClassLimit> {
        vec![
            ClassLimit::new("all", &[], "requests can be made", &[(20_000, 3600)]),
            ClassLimit::new(
                "connection-create",
                &["POST /v1/connections"],
                "connectors can be created",
                &[(20, 60), (600, 3600)],
            ),
            ClassLimit::new(
                "setup-tests",
                &SETUP_TEST_ENDPOINTS,
                "setup tests can be run",
                &[(250, 60), (2_500, 3600)],
            ),
        ]
    }

    /// The limits of a trial account: all requests 500 per hour, setup tests 50 per hour
    /// (beta.fivetran.com rate-limiting page), connection creation 1 per minute and 10 per
    /// day (older support page).
    pub fn trial() -> Vec<ClassLimit> {
        vec![
            ClassLimit::new("all", &[], "requests can be made", &[(500, 3600)]),
            ClassLimit::new(
                "connection-create",
                &["POST /v1/connections"],
                "connectors can be created",
                &[(1, 60), (10, 86_400)],
            ),
            ClassLimit::new(
                "setup-tests",
                &SETUP_TEST_ENDPOINTS,
                "setup tests can be run",
                &[(50, 3600)],
            ),
        ]
    }

    /// Parses `PRESET[,CLASS=N/WINDOW[+N/WINDOW...]]...`: a preset (`documented`, `trial`
    /// or `none`) and overrides that replace the windows of one of its classes, e.g.
    /// `documented,connection-create=5/10s` or `none,all=30/10s`.
    pub fn parse_list(s: &str) -> Result<Vec<ClassLimit>, String> {
        let mut items = s.split(',').map(str::trim).filter(|i| !i.is_empty());
        let preset = items.next().unwrap_or("none");
        let (mut limits, known) = match preset {
            "documented" => (ClassLimit::documented(), ClassLimit::documented()),
            "trial" => (ClassLimit::trial(), ClassLimit::documented()),
            "none" => (Vec::new(), ClassLimit::documented()),
            other => {
                return Err(format!(
                    "'{other}' is not a preset of limits (documented, trial or none)"
                ))
            }
        };
        for item in items {
            let (class, windows) = item
                .split_once('=')
                .ok_or_else(|| format!("'{item}' is not CLASS=N/WINDOW"))?;
            let class = class.trim();
            let windows = windows
                .split('+')
                .map(RateLimit::parse)
                .collect::<Result<Vec<_>, _>>()?;
            match limits.iter_mut().find(|l| l.class == class) {
                Some(l) => l.windows = windows,
                None => {
                    let mut l = known
                        .iter()
                        .find(|l| l.class == class)
                        .cloned()
                        .ok_or_else(|| {
                            format!(
                                "'{class}' is not a class of limits (all, connection-create, setup-tests)"
                            )
                        })?;
                    l.windows = windows;
                    limits.push(l);
                }
            }
        }
        Ok(limits)
    }

    /// Whether a request to this endpoint key counts in the class.
    pub fn covers(&self, endpoint: &str) -> bool {
        self.endpoints.is_empty() || self.endpoints.iter().any(|e| e == endpoint)
    }
}

/// Probabilities (0.0..=1.0) of injected failures, drawn independently per request in the
/// order drop, 500, 502, 503. `endpoints` restricts them to some endpoint keys (empty: all).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    /// Close the connection without answering.
    pub drop: f64,
    /// Answer `500 {"code":"InternalServerError"}`.
    pub error_500: f64,
    /// Answer `502 Bad Gateway` with an HTML body, as a load balancer would.
    pub error_502: f64,
    /// Answer `503 Service Unavailable` with an HTML body.
    pub error_503: f64,
    /// Endpoint keys (`"GET /v1/private-links/{privateLinkId}"`) the faults apply to.
    pub endpoints: Vec<String>,
    /// Failures injected after the handler ran: the change is made, the answer is lost.
    pub after_commit: AfterCommitFaults,
}

/// Probabilities (0.0..=1.0) of losing an answer after the handler has run, drawn per request
/// in the order drop, 500, 502, 504 (only when no fault was injected before the handler).
/// Whatever the handler did (an object created, a change made) stays done, as when a gateway
/// times out or a connection resets after the API committed a write. `endpoints` restricts
/// them to some endpoint keys (empty: all), independently of [`Faults::endpoints`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AfterCommitFaults {
    /// Close the connection instead of sending the handler's answer.
    pub drop: f64,
    /// Answer `500 {"code":"InternalServerError"}` instead.
    pub error_500: f64,
    /// Answer `502 Bad Gateway` (HTML) instead.
    pub error_502: f64,
    /// Answer `504 Gateway Timeout` (HTML) instead.
    pub error_504: f64,
    /// Endpoint keys (`"POST /v1/private-links"`) these faults apply to.
    pub endpoints: Vec<String>,
}

/// One failure to inject into the next matching request, whatever the rates say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultKind {
    /// Close the connection without answering.
    #[serde(rename = "drop")]
    Drop,
    /// `500` with a JSON envelope.
    #[serde(rename = "500")]
    Error500,
    /// `502` with an HTML body.
    #[serde(rename = "502")]
    Error502,
    /// `503` with an HTML body.
    #[serde(rename = "503")]
    Error503,
    /// `429 TooManyRequests` with `Retry-After: 1`.
    #[serde(rename = "429")]
    TooManyRequests,
    /// Run the handler (its change stays made), then close the connection without answering.
    #[serde(rename = "after-drop")]
    AfterDrop,
    /// Run the handler, then answer `500` with a JSON envelope instead of its answer.
    #[serde(rename = "after-500")]
    After500,
    /// Run the handler, then answer `502` with an HTML body instead of its answer.
    #[serde(rename = "after-502")]
    After502,
    /// Run the handler, then answer `504 Gateway Timeout` with an HTML body instead.
    #[serde(rename = "after-504")]
    After504,
}

impl FaultKind {
    /// Parses `drop`, `500`, `502`, `503`, `429`, `after-drop`, `after-500`, `after-502` or
    /// `after-504`.
    pub fn parse(s: &str) -> Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
            format!(
                "'{s}' is not a fault (drop, 500, 502, 503, 429, after-drop, after-500, after-502, after-504)"
            )
        })
    }

    /// Whether this fault strikes after the handler ran (the change is committed).
    pub fn after_commit(self) -> bool {
        matches!(
            self,
            FaultKind::AfterDrop | FaultKind::After500 | FaultKind::After502 | FaultKind::After504
        )
    }

    /// The name used in JSON, the CLI and the request log (`"503"`, `"after-drop"`).
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Drop => "drop",
            FaultKind::Error500 => "500",
            FaultKind::Error502 => "502",
            FaultKind::Error503 => "503",
            FaultKind::TooManyRequests => "429",
            FaultKind::AfterDrop => "after-drop",
            FaultKind::After500 => "after-500",
            FaultKind::After502 => "after-502",
            FaultKind::After504 => "after-504",
        }
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text.ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations_and_ranges() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("40"), Ok(Duration::from_millis(40)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3 weeks").is_err());
        let r = DurationRange::parse("100ms..2s");
        assert_eq!(
            r,
            Ok(DurationRange {
                min_ms: 100,
                max_ms: 2000
            })
        );
    }

    #[test]
    fn samples_stay_in_range() {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7);
        let r = DurationRange::between(Duration::from_millis(10), Duration::from_millis(20));
        for _ in 0..100 {
            let d = r.sample(&mut rng);
            assert!(d >= Duration::from_millis(10) && d <= Duration::from_millis(20));
        }
    }

    #[test]
    fn parses_rate_limits() {
        assert_eq!(
            RateLimit::parse("20/60s"),
            Ok(RateLimit {
                max: 20,
                window_secs: 60
            })
        );
        assert_eq!(RateLimit::parse("600/1h").map(|r| r.window_secs), Ok(3600));
        assert!(RateLimit::parse("20").is_err());
        assert!(RateLimit::parse("x/1s").is_err());
        assert!(RateLimit::parse("1/0s").is_err());
    }

    #[test]
    fn parses_presets_of_limits_with_overrides() {
        let documented = ClassLimit::parse_list("documented");
        assert_eq!(documented, Ok(ClassLimit::documented()));
        let Ok(scaled) = ClassLimit::parse_list("documented, connection-create=5/10s+50/1m") else {
            panic!("a valid list")
        };
        let create = scaled.iter().find(|l| l.class == "connection-create");
        assert_eq!(
            create.map(|l| l.windows.clone()),
            Some(vec![
                RateLimit {
                    max: 5,
                    window_secs: 10
                },
                RateLimit {
                    max: 50,
                    window_secs: 60
                }
            ])
        );
        let Ok(only_all) = ClassLimit::parse_list("none,all=30/10s") else {
            panic!("a valid list")
        };
        assert_eq!(only_all.len(), 1);
        assert!(only_all[0].covers("GET /v1/groups"));
        assert_eq!(
            ClassLimit::parse_list("trial").map(|l| l[0].windows[0].max),
            Ok(500)
        );
        assert!(ClassLimit::parse_list("generous").is_err());
        assert!(ClassLimit::parse_list("documented,users=1/1s").is_err());
        assert!(ClassLimit::parse_list("documented,all").is_err());
    }

    #[test]
    fn globs_match() {
        assert!(glob_match("fail*", "failing_link"));
        assert!(glob_match("*_bad", "link_bad"));
        assert!(glob_match("*bad*", "a_bad_one"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
        assert!(!glob_match("a*b*c", "acb"));
        assert!(glob_match("a*b*c", "a_b_c"));
    }

    #[test]
    fn parses_fault_kinds() {
        assert_eq!(FaultKind::parse("503"), Ok(FaultKind::Error503));
        assert_eq!(FaultKind::parse("drop"), Ok(FaultKind::Drop));
        assert!(FaultKind::parse("404").is_err());
        for kind in [
            FaultKind::Drop,
            FaultKind::Error500,
            FaultKind::Error502,
            FaultKind::Error503,
            FaultKind::TooManyRequests,
            FaultKind::AfterDrop,
            FaultKind::After500,
            FaultKind::After502,
            FaultKind::After504,
        ] {
            assert_eq!(FaultKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(kind.after_commit(), kind.as_str().starts_with("after-"));
        }
    }
}
