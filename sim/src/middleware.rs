//! The pipeline every `/v1` request goes through before its handler, in this order:
//! count it, add latency, inject a fault (scripted first, then random), refuse encoded
//! path separators (`400`, [`reject_encoded_separators`]), check Basic auth (`401`), check
//! rate limits (`429`), run the handler, log it.
//!
//! Faults come before auth because they stand for the infrastructure in front of the API.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::behaviour::{draw_fault, record_time, RequestRecord};
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

    let fault = lock(&shared.behaviour)
        .take_scripted(&endpoint)
        .or_else(|| draw_fault(&knobs.faults, &endpoint, &mut *lock(&shared.rng)));
    let response = match fault {
        Some(FaultKind::Drop) => {
            finish(&shared, &method, &path, &endpoint, 0, started, arrived);
            if let Some(k) = killer {
                k.kill();
                // The connection task drops this future with the socket; never answer.
                std::future::pending::<()>().await;
            }
            // Without a socket (router tests) a drop is reported as a bare 503.
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        Some(kind) => fault_response(kind),
        None => match reject_encoded_separators(req.uri().path())
            .and_then(|()| authorize(&shared, req.headers()))
        {
            Err(e) => e.into_response(),
            Ok(()) => {
                let admitted = lock(&shared.behaviour).admit(&knobs, &endpoint, Instant::now());
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
                        r
                    }
                }
            }
        },
    };
    let status = response.status().as_u16();
    finish(&shared, &method, &path, &endpoint, status, started, arrived);
    response
}

fn finish(
    shared: &Shared,
    method: &str,
    path: &str,
    endpoint: &str,
    status: u16,
    started: Instant,
    arrived: std::time::SystemTime,
) {
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if shared.log_requests {
        let shown = if status == 0 {
            "dropped".to_string()
        } else {
            status.to_string()
        };
        eprintln!("{method} {path} -> {shown} ({millis} ms)");
    }
    lock(&shared.behaviour).record(RequestRecord {
        method: method.to_string(),
        path: path.to_string(),
        endpoint: endpoint.to_string(),
        status,
        millis,
        at: record_time(arrived),
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
        FaultKind::Drop => StatusCode::SERVICE_UNAVAILABLE.into_response(),
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
