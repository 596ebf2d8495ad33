//! One API call, end to end: the URL from a path template (each parameter
//! percent-encoded), the shared request budget, the retry loop around single attempts,
//! and the answer turned into data or an [`Error`]. Also the page walk of list calls.
//!
//! Logs method, path, status and time of each attempt at DEBUG; never headers (they
//! carry the credentials) nor bodies (connection configs carry secrets).

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;

use super::budget::{self, Headers, Permit};
use super::error::{human, Context, Error};
use super::models::{ApiErrorBody, Envelope, Page};
use super::retry::{self, parse_retry_after, Plan, Safety};
use super::{Client, Op};

/// A request to make: method, path template with the OpenAPI spec's placeholder names
/// (`/private-links/{privateLinkId}`), the values for the placeholders in order, query,
/// body, and whether it is safe to send again.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub method: Method,
    pub template: &'static str,
    pub params: Vec<&'a str>,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    pub accept_v2: bool,
    pub safety: Safety,
    /// Sent again while the API answers `IllegalState` (see [`Plan::until_settled`]).
    pub until_settled: bool,
}

impl<'a> Call<'a> {
    fn new(method: Method, template: &'static str, params: &[&'a str]) -> Call<'a> {
        Call {
            method,
            template,
            params: params.to_vec(),
            query: Vec::new(),
            body: None,
            accept_v2: false,
            safety: Safety::Repeatable,
            until_settled: false,
        }
    }

    pub fn get(template: &'static str, params: &[&'a str]) -> Call<'a> {
        Call::new(Method::GET, template, params)
    }

    pub fn delete(template: &'static str, params: &[&'a str]) -> Call<'a> {
        Call::new(Method::DELETE, template, params)
    }

    /// A PATCH: safe to repeat, since the same body leads to the same state.
    pub fn patch(template: &'static str, params: &[&'a str], body: &impl Serialize) -> Call<'a> {
        Call::new(Method::PATCH, template, params).body(body)
    }

    /// A POST whose repetition is harmless (see [`Safety::Repeatable`]).
    pub fn post_repeatable(
        template: &'static str,
        params: &[&'a str],
        body: &impl Serialize,
    ) -> Call<'a> {
        Call::new(Method::POST, template, params).body(body)
    }

    /// A POST that creates an object the API names: never re-sent once it may have
    /// reached the API.
    pub fn post_create(
        template: &'static str,
        params: &[&'a str],
        body: &impl Serialize,
    ) -> Call<'a> {
        let mut call = Call::new(Method::POST, template, params).body(body);
        call.safety = Safety::CreatesObject;
        call
    }

    fn body(mut self, body: &impl Serialize) -> Call<'a> {
        let json = serde_json::to_vec(body)
            .expect("request bodies are plain data with string keys, which always serialize");
        self.body = Some(json);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Call<'a> {
        self.query.push((key, value.into()));
        self
    }

    /// Sends the call again, on the poll schedule, while the API answers `IllegalState`
    /// (the object is still changing), within the operation's deadline.
    pub fn until_settled(mut self) -> Call<'a> {
        self.until_settled = true;
        self
    }

    /// Asks for version 2 of the answer (`Accept: application/json;version=2`).
    pub fn accept_v2(mut self) -> Call<'a> {
        self.accept_v2 = true;
        self
    }

    /// The path with every parameter percent-encoded, e.g. `/connections/c1/certificates/ab%2Fc%2Bd`.
    pub fn path(&self) -> String {
        let mut params = self.params.iter();
        self.template
            .split('/')
            .map(|seg| match seg.starts_with('{') {
                true => params
                    .next()
                    .map_or_else(String::new, |p| encode_segment(p)),
                false => seg.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// What a path parameter keeps unencoded: RFC 3986's unreserved characters only, so `/`,
/// `+`, `%`, `?`, `#` and spaces in ids and hashes stay inside their path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path parameter percent-encoded for one path segment.
pub(crate) fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Safe text for a JSON decoding failure: serde's messages can quote the offending value,
/// which could be a secret, so only "missing field" messages and positions are kept.
fn describe_decode_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find("missing field") {
        Some(i) => format!("unexpected answer: {}", &text[i..]),
        None => format!(
            "unexpected answer: not the expected JSON (at line {} column {})",
            e.line(),
            e.column()
        ),
    }
}

/// Describes a transport failure by the causes in its error chain, without the URL and
/// without the generic wrappers ("error sending request", "client error (...)").
fn describe_transport_error(e: &reqwest::Error) -> String {
    let mut causes: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        let text = err.to_string();
        let wrapper =
            text.starts_with("client error (") || text.starts_with("error sending request");
        if !wrapper && !text.is_empty() && !causes.contains(&text) {
            causes.push(text);
        }
        source = err.source();
    }
    let head = match e.is_connect() {
        true => "could not connect to the API",
        false => "the connection to the API failed",
    };
    match causes.is_empty() {
        true => head.to_string(),
        false => format!("{head}: {}", causes.join(": ")),
    }
}

impl Client {
    /// Makes the call (with retries) and returns its `data`.
    pub(crate) async fn fetch<T: DeserializeOwned>(
        &self,
        op: &Op,
        call: Call<'_>,
    ) -> Result<T, Error> {
        let path = call.path();
        let method = call.method.clone();
        match self.execute::<T>(op, call).await? {
            Some(data) => Ok(data),
            None => Err(Error::Decode {
                ctx: Box::new(
                    Context::new(&op.what, method.as_str(), &path)
                        .with_message("unexpected answer: it has no data"),
                ),
            }),
        }
    }

    /// Makes the call (with retries) and ignores any `data` (deletions).
    pub(crate) async fn send(&self, op: &Op, call: Call<'_>) -> Result<(), Error> {
        self.execute::<serde::de::IgnoredAny>(op, call)
            .await
            .map(|_| ())
    }

    /// Walks every page of a list call (`limit` and `cursor` added here).
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        op: &Op,
        template: &'static str,
        params: &[&str],
        query: &[(&'static str, String)],
    ) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        loop {
            let mut call = Call::get(template, params);
            call.query = query.to_vec();
            call = call.query("limit", self.page_size().to_string());
            if let Some(c) = &cursor {
                call = call.query("cursor", c.clone());
            }
            let path = call.path();
            let page: Page<T> = self.fetch(op, call).await?;
            items.extend(page.items);
            match page.next_cursor.filter(|c| !c.is_empty()) {
                None => return Ok(items),
                Some(c) if !seen.insert(c.clone()) => {
                    let ctx = Context::new(&op.what, "GET", &path)
                        .with_message("unexpected answer: the API repeated a page cursor");
                    return Err(Error::Decode { ctx: Box::new(ctx) });
                }
                Some(c) => cursor = Some(c),
            }
        }
    }

    async fn execute<T: DeserializeOwned>(
        &self,
        op: &Op,
        call: Call<'_>,
    ) -> Result<Option<T>, Error> {
        let path = call.path();
        let ctx = || Context::new(&op.what, call.method.as_str(), &path);
        let Some((key, secret)) = self.inner.credentials.as_ref() else {
            return Err(Error::MissingCredentials {
                ctx: Box::new(Context::new(&op.what, "", "")),
            });
        };
        let mut url = self.inner.base_url.clone();
        url.set_path(&format!(
            "{}{path}",
            self.inner.base_url.path().trim_end_matches('/')
        ));
        if !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &call.query {
                pairs.append_pair(k, v);
            }
        }
        let class = budget::class_of(call.method.as_str(), call.template);
        let plan = Plan {
            until_settled: call.until_settled.then_some(&self.inner.poll),
            ..Plan::new(&self.inner.retry, call.safety)
        };
        retry::run(op, &plan, &self.inner.counters, || async {
            if op.cancel.is_cancelled() {
                return Err(Error::Cancelled {
                    ctx: Box::new(ctx().with_message("cancelled")),
                });
            }
            let (permit, waited) = self.inner.budget.acquire(op, class, &ctx).await?;
            if waited {
                self.inner.counters.throttled();
            }
            let mut req = self
                .inner
                .http
                .request(call.method.clone(), url.clone())
                .basic_auth(key, Some(secret))
                .header(
                    ACCEPT,
                    if call.accept_v2 {
                        "application/json;version=2"
                    } else {
                        "application/json"
                    },
                );
            if let Some(body) = &call.body {
                req = req
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            self.attempt(op, req, ctx(), &permit).await
        })
        .await
    }

    /// Sends one request and reads its answer.
    async fn attempt<T: DeserializeOwned>(
        &self,
        op: &Op,
        req: reqwest::RequestBuilder,
        mut ctx: Context,
        permit: &Permit,
    ) -> Result<Option<T>, Error> {
        let now = Instant::now();
        let left = op.deadline.saturating_duration_since(now);
        if left.is_zero() {
            ctx.message =
                Some("the operation's deadline passed before the request was sent".into());
            return Err(Error::Timeout { ctx: Box::new(ctx) });
        }
        let limit = self.inner.request_timeout.min(left);
        self.inner.counters.request();
        let exchange = async {
            let resp = req.send().await?;
            let status = resp.status();
            let retry_after = resp
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let number = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u32>().ok())
            };
            let headers = Headers {
                limit: number("x-rate-limit"),
                remaining: number("x-rate-limit-remaining"),
            };
            let bytes = resp.bytes().await?;
            Ok::<_, reqwest::Error>((status, retry_after, headers, bytes))
        };
        let Ok(outcome) = op
            .unless_cancelled(tokio::time::timeout(limit, exchange))
            .await
        else {
            ctx.message = Some("cancelled while the request was in flight".into());
            return Err(Error::Cancelled { ctx: Box::new(ctx) });
        };
        let millis = u64::try_from(now.elapsed().as_millis()).unwrap_or(u64::MAX);
        if !matches!(outcome, Ok(Ok(_))) {
            // It may have reached the API: it counts from now.
            self.inner.budget.answered(permit, Headers::default(), None);
        }
        let (status, retry_after, headers, bytes) = match outcome {
            Err(_) if limit < self.inner.request_timeout => {
                ctx.message = Some(format!(
                    "no answer before the operation's deadline (waited {})",
                    human(limit)
                ));
                return Err(Error::Timeout { ctx: Box::new(ctx) });
            }
            Err(_) => {
                self.inner.counters.transport_error();
                ctx.message = Some(format!("no answer within {}", human(limit)));
                tracing::debug!(method = %ctx.method, path = %ctx.path, millis, "no answer in time");
                return Err(Error::Transport {
                    ambiguous: true,
                    ctx: Box::new(ctx),
                });
            }
            Ok(Err(e)) => {
                self.inner.counters.transport_error();
                ctx.message = Some(describe_transport_error(&e));
                tracing::debug!(method = %ctx.method, path = %ctx.path, millis, error = %describe_transport_error(&e), "request failed");
                return Err(Error::Transport {
                    ambiguous: !e.is_connect(),
                    ctx: Box::new(ctx),
                });
            }
            Ok(Ok(answer)) => answer,
        };
        tracing::debug!(method = %ctx.method, path = %ctx.path, status = status.as_u16(), millis, "answered");
        self.inner.counters.answered(status.as_u16());
        ctx.status = Some(status.as_u16());
        if status.is_success() {
            self.inner.budget.answered(permit, headers, None);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(None);
            }
            return match serde_json::from_slice::<Envelope<T>>(&bytes) {
                Ok(envelope) => Ok(envelope.data),
                Err(e) => Err(Error::Decode {
                    ctx: Box::new(ctx.with_message(describe_decode_error(&e))),
                }),
            };
        }
        let body: ApiErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
        ctx.code = body.code;
        ctx.message = body
            .message
            .or_else(|| status.canonical_reason().map(str::to_string));
        // The one place a 429 is read: its wait goes to the retry loop (in the error) and to
        // the budget, which holds concurrent requests of its class until then.
        let refused = status == StatusCode::TOO_MANY_REQUESTS;
        let retry_after = retry_after
            .filter(|_| refused)
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let message = ctx.message.as_deref().unwrap_or("429 Too Many Requests");
        let hold = refused.then(|| (retry_after.unwrap_or(Duration::ZERO), message));
        self.inner.budget.answered(permit, headers, hold);
        Err(Error::from_status(status.as_u16(), retry_after, ctx))
    }
}

/// How long one request may take when nothing else bounds it.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
