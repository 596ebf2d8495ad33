//! Test support: a record of the requests a client sent (to check bodies against the
//! OpenAPI spec), a client wired to a simulator with fast retry and poll settings, and a
//! tiny canned HTTP server for answers the simulator never gives (403, HTTP-date
//! `Retry-After`, bodies that do not decode) and for looking at raw request headers.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use fivetran_sim::{SimConfig, SimServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::http::Call;
use super::{Client, ClientConfig, NewConnection, NewPrivateLink, Op, PollPolicy, RetryPolicy};

/// One request as sent: method, the spec's path template, and the JSON body.
#[derive(Clone, Debug)]
pub(crate) struct Sent {
    pub method: String,
    pub template: String,
    pub body: Option<serde_json::Value>,
}

impl Client {
    pub(crate) fn record(&self, call: &Call<'_>) {
        let sent = Sent {
            method: call.method.to_string(),
            template: format!(
                "{}{}",
                self.inner.base_url.path().trim_end_matches('/'),
                call.template
            ),
            body: call
                .body
                .as_deref()
                .and_then(|b| serde_json::from_slice(b).ok()),
        };
        self.inner
            .sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(sent);
    }

    /// Every request recorded so far (one entry per call, not per attempt).
    pub(crate) fn sent(&self) -> Vec<Sent> {
        self.inner
            .sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Makes list calls ask for small pages.
    pub(crate) fn set_page_size(&self, n: u32) {
        self.inner
            .page_size
            .store(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Retries with millisecond delays, so fault tests run fast.
pub(crate) fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        max_rate_limited_retries: 10,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
    }
}

/// A client for `base_url` with fast retries and no request budget.
pub(crate) fn config_for(base_url: &str, key: &str, secret: &str) -> ClientConfig {
    ClientConfig {
        base_url: reqwest::Url::parse(base_url).expect("test URL"),
        api_key: Some(key.into()),
        api_secret: Some(secret.into()),
        user_agent: "client-tests/1.0".into(),
        requests_per_second: 0.0,
        retry: fast_retry(),
        poll: PollPolicy {
            first_poll: Duration::from_millis(20),
            base_interval: Duration::from_millis(20),
            max_interval: Duration::from_millis(500),
            ..PollPolicy::default()
        },
        ..ClientConfig::default()
    }
}

/// A simulator (with `config`) and a client for it.
pub(crate) fn start(config: SimConfig) -> (SimServer, Client) {
    let sim = SimServer::spawn(config).expect("the simulator starts");
    let client = Client::new(config_for(&sim.base_url(), sim.api_key(), sim.api_secret()))
        .expect("the client builds");
    (sim, client)
}

/// An operation with a minute to go.
pub(crate) fn op(what: &str) -> Op {
    Op::new(what, Duration::from_secs(60), CancellationToken::new())
}

/// A valid private-link request.
pub(crate) fn new_link(name: &str) -> NewPrivateLink {
    NewPrivateLink {
        name: name.into(),
        region: "AWS_US_EAST_1".into(),
        service: "SOURCE_AWS".into(),
        config: [(
            "connection_service_name".to_string(),
            "com.amazonaws.vpce.us-east-1.vpce-svc-0123".to_string(),
        )]
        .into(),
    }
}

/// A paused connection in `group` with destination schema `schema` and `config` extras.
pub(crate) fn new_connection(group: &str, schema: &str, extra: serde_json::Value) -> NewConnection {
    let mut config = serde_json::Map::new();
    config.insert("schema_prefix".into(), schema.into());
    if let serde_json::Value::Object(m) = extra {
        config.extend(m);
    }
    NewConnection {
        group_id: group.into(),
        service: "postgres".into(),
        config: Some(config),
        paused: Some(true),
        run_setup_tests: Some(false),
        ..NewConnection::default()
    }
}

/// Polls `condition` every 10 ms until it holds; panics after 30 s.
pub(crate) async fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(
            tokio::time::Instant::now() < give_up,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Runs `f` and returns its output and how long it took.
pub(crate) async fn timed<T>(f: impl Future<Output = T>) -> (T, Duration) {
    let start = tokio::time::Instant::now();
    let out = f.await;
    (out, start.elapsed())
}

/// A server that answers each connection with the next canned response (raw HTTP) and
/// keeps the raw requests it received.
pub(crate) struct Canned {
    pub base_url: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Canned {
    pub(crate) async fn spawn(responses: Vec<String>) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            for response in responses {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len || n == 0 {
                            break;
                        }
                    } else if n == 0 {
                        break;
                    }
                }
                seen.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(String::from_utf8_lossy(&buf).to_string());
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        Canned {
            base_url: format!("http://{addr}/v1"),
            requests,
        }
    }

    /// A client for this server.
    pub(crate) fn client(&self) -> Client {
        Client::new(config_for(&self.base_url, "key", "secret")).expect("the client builds")
    }

    /// The raw requests received so far.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A raw HTTP response with a JSON body.
pub(crate) fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}
