//! The pipeline every `/v1` request goes through, in this order: count it, add latency,
//! inject a fault (scripted first, then random), refuse encoded path separators (`400`,
//! [`reject_encoded_separators`]), check Basic auth (`401`), check rate limits (`429`), run
//! the handler, inject a fault after the handler (scripted `after-*` kinds, then the random
//! `after_commit` rates), log it.
//!
//! Faults come before auth because they stand for the infrastructure in front of the API.
//! Faults after the handler stand for the same infrastructure losing an answer on its way
//! back (a gateway timeout, a connection reset after the write): whatever the handler did
//! stays done, and the client sees a 5xx or a closed connection instead.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::behaviour::{draw_after_commit_fault, draw_fault, record_time, RequestRecord};
use crate::config::FaultKind;
use crate::error::ApiError;
use crate::server::ConnectionKiller;
use crate::shared::{lock, Shared};

/// The counter key of a request: method and path template.
pub(crate) fn endpoint_key(req: &Request) -> String {
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unmatched)", MatchedPath::as_str);
    format!("{} {template}", req.method())
}

pub(crate) async fn pipeline(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let arrived = shared.clock.system_at(started);
    let endpoint = endpoint_key(&req);
    let method = req.method().to_string();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let killer = req.extensions().get::<ConnectionKiller>().cloned();
    lock(&shared.behaviour).count(&endpoint);
    let knobs = shared.knobs();

    let latency = knobs.latency.sample(&mut *lock(&shared.rng));
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    // A scripted fault is taken whatever its kind; only when none is scripted are the
    // random rates drawn (before the handler now, after it below).
    let scripted = lock(&shared.behaviour).take_scripted(&endpoint);
    let (before, scripted_after) = match scripted {
        Some(kind) if kind.after_commit() => (None, Some(kind)),
        Some(kind) => (Some(kind), None),
        None => (
            draw_fault(&knobs.faults, &endpoint, &mut *lock(&shared.rng)),
            None,
        ),
    };
    let mut seen = Seen {
        method,
        path,
        endpoint,
        started,
        arrived,
        fault: before.map(FaultKind::as_str),
        handler_status: None,
    };
    if let Some(kind) = before {
        lock(&shared.behaviour).count_fault(&seen.endpoint, kind);
    }
    let response = match before {
        Some(FaultKind::Drop) => return drop_connection(&shared, &seen, killer).await,
        Some(kind) => fault_response(kind),
        None => match reject_encoded_separators(req.uri().path())
            .and_then(|()| authorize(&shared, req.headers()))
        {
            Err(e) => e.into_response(),
            Ok(()) => {
                let admitted =
                    lock(&shared.behaviour).admit(&knobs, &seen.endpoint, Instant::now());
                match admitted {
                    Err(e) => e.into_response(),
                    Ok(()) => {
                        let remaining = lock(&shared.behaviour).global_remaining(&knobs);
                        let mut r = next.run(req).await;
                        if let Some((limit, left)) = remaining {
                            r.headers_mut()
                                .insert("X-Rate-Limit", HeaderValue::from(limit));
                            r.headers_mut()
                                .insert("X-Rate-Limit-Remaining", HeaderValue::from(left));
                        }
                        // The handler's work is done and stays done; its answer may now
                        // be lost on the way back.
                        let after = scripted_after.or_else(|| {
                            draw_after_commit_fault(
                                &knobs.faults.after_commit,
                                &seen.endpoint,
                                &mut *lock(&shared.rng),
                            )
                        });
                        match after {
                            None => r,
                            Some(kind) => {
                                lock(&shared.behaviour).count_fault(&seen.endpoint, kind);
                                seen.fault = Some(kind.as_str());
                                seen.handler_status = Some(r.status().as_u16());
                                if kind == FaultKind::AfterDrop {
                                    return drop_connection(&shared, &seen, killer).await;
                                }
                                fault_response(kind)
                            }
                        }
                    }
                }
            }
        },
    };
    finish(&shared, &seen, response.status().as_u16());
    response
}

/// What the log records of a request besides its status.
struct Seen {
    method: String,
    path: String,
    endpoint: String,
    started: Instant,
    arrived: std::time::SystemTime,
    fault: Option<&'static str>,
    handler_status: Option<u16>,
}

/// Closes the request's connection without answering (logged with status 0).
async fn drop_connection(
    shared: &Shared,
    seen: &Seen,
    killer: Option<ConnectionKiller>,
) -> Response {
    finish(shared, seen, 0);
    if let Some(k) = killer {
        k.kill();
        // The connection task drops this future with the socket; never answer.
        std::future::pending::<()>().await;
    }
    // Without a socket (router tests) a drop is reported as a bare 503.
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}

fn finish(shared: &Shared, seen: &Seen, status: u16) {
    let millis = u64::try_from(seen.started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if shared.log_requests {
        let shown = if status == 0 {
            "dropped".to_string()
        } else {
            status.to_string()
        };
        let fault = match (seen.fault, seen.handler_status) {
            (Some(f), Some(h)) => format!(" [fault {f}; the handler answered {h}]"),
            (Some(f), None) => format!(" [fault {f}]"),
            _ => String::new(),
        };
        eprintln!(
            "{} {} -> {shown} ({millis} ms){fault}",
            seen.method, seen.path
        );
    }
    lock(&shared.behaviour).record(RequestRecord {
        method: seen.method.clone(),
        path: seen.path.clone(),
        endpoint: seen.endpoint.clone(),
        status,
        millis,
        at: record_time(seen.arrived),
        at_unix_ms: crate::time::unix_millis(seen.arrived),
        fault: seen.fault,
        handler_status: seen.handler_status,
    });
}

fn fault_response(kind: FaultKind) -> Response {
    let html = |status: StatusCode, text: &str| {
        let body =
            format!("<html><head><title>{text}</title></head><body><h1>{text}</h1></body></html>");
        let mut r = (status, Body::from(body)).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        r
    };
    match kind {
        FaultKind::Error500 => {
            ApiError::Internal("Internal server error (injected by the simulator)".into())
                .into_response()
        }
        FaultKind::Error502 => html(StatusCode::BAD_GATEWAY, "502 Bad Gateway"),
        FaultKind::Error503 => html(
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Temporarily Unavailable",
        ),
        FaultKind::TooManyRequests => ApiError::TooManyRequests {
            message: "Too many requests (injected by the simulator)".into(),
            retry_after_secs: 1,
        }
        .into_response(),
        FaultKind::After500 => fault_response(FaultKind::Error500),
        FaultKind::After502 => fault_response(FaultKind::Error502),
        FaultKind::After504 => html(StatusCode::GATEWAY_TIMEOUT, "504 Gateway Time-out"),
        FaultKind::Drop | FaultKind::AfterDrop => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Refuses a raw (not yet decoded) request path that contains an encoded slash `%2F` or
/// backslash `%5C`, in any case: `400 InvalidInput` "Encoded '/' or '\\' in the request
/// path is not allowed".
///
/// Thin evidence, strict on purpose: servlet containers such as Tomcat refuse these by
/// default (before the application sees the request), and nothing shows the API accepting
/// them. Approval paths therefore take the approval's Base64URL `id`, never a raw hash
/// that may contain `/` (spec `#/components/schemas/CertificateDetailsResponse/properties/id`).
pub(crate) fn reject_encoded_separators(raw_path: &str) -> Result<(), ApiError> {
    let bytes = raw_path.as_bytes();
    let found = bytes.windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1].to_ascii_uppercase(), w[2].to_ascii_uppercase()),
                (b'2', b'F') | (b'5', b'C')
            )
    });
    if found {
        Err(ApiError::invalid(
            "Encoded '/' or '\\' in the request path is not allowed",
        ))
    } else {
        Ok(())
    }
}

/// Checks `Authorization: Basic base64(key:secret)`.
fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Unauthorized)?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
        .ok_or(ApiError::Unauthorized)?;
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| ApiError::Unauthorized)?;
    let text = String::from_utf8(decoded).map_err(|_| ApiError::Unauthorized)?;
    match text.split_once(':') {
        Some((key, secret)) if key == shared.api_key && secret == shared.api_secret => Ok(()),
        _ => Err(ApiError::Unauthorized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_separators_are_refused_in_any_case() {
        for p in ["/v1/a%2Fb", "/v1/a%2fb", "/v1/x%5C", "/v1/%5cy"] {
            let e = reject_encoded_separators(p).err();
            assert_eq!(
                e.as_ref().map(ApiError::code),
                Some("InvalidInput".into()),
                "{p}"
            );
            assert_eq!(
                e.map(|e| e.to_string()),
                Some("Encoded '/' or '\\' in the request path is not allowed".into())
            );
        }
        for p in ["/v1/a%2Bb", "/v1/plain", "/v1/a%25", "/v1/%2"] {
            assert!(reject_encoded_separators(p).is_ok(), "{p}");
        }
    }
}
