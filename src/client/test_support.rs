//! Test support for the client's tests (and the provider's), compiled only for tests: a
//! client wired to a simulator with fast retry and poll settings; a simulator that keeps
//! the bodies of the requests it received (to check them against the OpenAPI spec); and a
//! tiny canned HTTP server for answers the simulator never gives (403, HTTP-date
//! `Retry-After`, bodies that do not decode) and for looking at raw request headers.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::middleware::{from_fn, Next};
use fivetran_sim::{Admin, SimConfig, SimServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{Client, ClientConfig, NewConnection, NewPrivateLink, Op, PollPolicy, RetryPolicy};

/// Retries with millisecond delays, so fault tests run fast.
pub(crate) fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        max_rate_limited_retries: 10,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
    }
}

/// A client for `base_url` with fast retries and polls (and the default budget).
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
    start_with(config, |_| {})
}

/// A simulator (with `config`) and a client for it, configured by `client` from
/// [`config_for`]'s settings.
pub(crate) fn start_with(
    config: SimConfig,
    client: impl FnOnce(&mut ClientConfig),
) -> (SimServer, Client) {
    let sim = SimServer::spawn(config).expect("the simulator starts");
    let mut settings = config_for(&sim.base_url(), sim.api_key(), sim.api_secret());
    client(&mut settings);
    let client = Client::new(settings).expect("the client builds");
    (sim, client)
}

/// One request as the simulator received it: method, the route's path template (the
/// spec's, e.g. `/v1/private-links/{privateLinkId}`) and the JSON body, if any.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub method: String,
    pub template: String,
    pub body: Option<serde_json::Value>,
}

/// A simulator served on this test's runtime behind a layer that keeps every request's
/// body (the simulator's own log never holds bodies), its admin handle, a client for it,
/// and what it received so far. It stops with the runtime.
pub(crate) async fn start_recording(
    config: SimConfig,
) -> (Admin, Client, Arc<Mutex<Vec<Received>>>) {
    let (key, secret) = (config.api_key.clone(), config.api_secret.clone());
    let (router, admin) = fivetran_sim::app(config);
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let router = router.layer(from_fn(move |req: Request, next: Next| {
        let log = log.clone();
        async move {
            let (parts, body) = req.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let template = parts
                .extensions
                .get::<MatchedPath>()
                .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
            log.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Received {
                    method: parts.method.to_string(),
                    template,
                    body: serde_json::from_slice(&bytes).ok(),
                });
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
    }));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(fivetran_sim::serve(
        listener,
        router,
        std::future::pending(),
    ));
    let client = Client::new(config_for(&format!("http://{addr}/v1"), &key, &secret))
        .expect("the client builds");
    (admin, client, received)
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
