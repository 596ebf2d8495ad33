//! The one place where failures become the Fivetran envelope
//! `{"code": "...", "message": "..."}` with its HTTP status.
//!
//! Handlers return `Result<Reply, ApiError>`; nothing else writes error bodies (the fault
//! injector's HTML pages for 502/503 being the deliberate exception).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// A failure answered to the client, with the code the real API uses.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `404 NotFound_<Entity>`: `Cannot find entity '<Entity>' with id '<id>'`.
    #[error("Cannot find entity '{entity}' with id '{id}'")]
    NotFound {
        /// `Connector` (connection details/update/test), `Integration` (connection delete),
        /// `Group`, `Destination`.
        entity: &'static str,
        /// The id (or hash) that was looked up.
        id: String,
    },
    /// `404 NotFound` (plain code) with a message: the code private links and approvals
    /// answer. Evidence: the spec's `404: Private Link not found`
    /// (`#/paths/~1v1~1private-links~1{privateLinkId}/get/responses/404`); go-fivetran
    /// matches private-link errors by the prefix `NotFound`; fixture
    /// `connection_delete_404.json`'s README lists plain `NotFound` among the codes seen.
    #[error("{0}")]
    Missing(String),
    /// `404 NotFound`: no such path.
    #[error("{0}")]
    NoRoute(String),
    /// `409 IllegalState`: the object's current state forbids the operation.
    ///
    /// Evidence: fixture `reconstructed_private_link_patch_while_creating.json` (go-fivetran
    /// e2e `private_link_update_test.go`): code `IllegalState`, message "Private link in
    /// CREATING state is not allowed to perform any operation". The HTTP status was not
    /// recorded (only "non-2xx"); 409 is chosen because the request conflicts with the
    /// current state of the target resource (RFC 9110 §15.5.10), and the API answers 409
    /// for a destination that still has connections (official provider issue #369).
    #[error("{0}")]
    IllegalState(String),
    /// `405 MethodNotAllowed`.
    #[error("Request method '{0}' is not supported for this path")]
    MethodNotAllowed(String),
    /// `400 InvalidInput`: the request is malformed or breaks a rule.
    #[error("{0}")]
    InvalidInput(String),
    /// `409 Conflict`: a name already taken, or an object still in use.
    #[error("{0}")]
    Conflict(String),
    /// `401 Unauthorized`: missing or wrong Basic credentials.
    #[error("Missing or invalid API key and secret: use HTTP Basic authentication with your API key and secret")]
    Unauthorized,
    /// `415 UnsupportedMediaType`: a POST/PATCH body without `Content-Type: application/json`.
    #[error("Content type '{0}' is not supported. Use 'application/json'")]
    UnsupportedMediaType(String),
    /// `429 TooManyRequests` with `Retry-After`.
    #[error("{message}")]
    TooManyRequests {
        /// Which limit was hit.
        message: String,
        /// Seconds until the window resets.
        retry_after_secs: u64,
    },
    /// `500 InternalServerError` (only ever injected).
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// A missing object of the given kind.
    pub fn not_found(entity: &'static str, id: impl Into<String>) -> Self {
        ApiError::NotFound {
            entity,
            id: id.into(),
        }
    }

    /// A plain `404 NotFound` with this message.
    pub fn missing(message: impl Into<String>) -> Self {
        ApiError::Missing(message.into())
    }

    /// A `400 InvalidInput` with this message.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::InvalidInput(message.into())
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound { .. } | ApiError::Missing(_) | ApiError::NoRoute(_) => {
                StatusCode::NOT_FOUND
            }
            ApiError::IllegalState(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::InvalidInput(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The envelope `code`.
    pub fn code(&self) -> String {
        match self {
            ApiError::NotFound { entity, .. } => format!("NotFound_{entity}"),
            ApiError::Missing(_) | ApiError::NoRoute(_) => "NotFound".into(),
            ApiError::IllegalState(_) => "IllegalState".into(),
            ApiError::MethodNotAllowed(_) => "MethodNotAllowed".into(),
            ApiError::InvalidInput(_) => "InvalidInput".into(),
            ApiError::Conflict(_) => "Conflict".into(),
            ApiError::Unauthorized => "Unauthorized".into(),
            ApiError::UnsupportedMediaType(_) => "UnsupportedMediaType".into(),
            ApiError::TooManyRequests { .. } => "TooManyRequests".into(),
            ApiError::Internal(_) => "InternalServerError".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "code": self.code(), "message": self.to_string() });
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        match &self {
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            ApiError::Unauthorized => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"Fivetran API\""),
                );
            }
            _ => {}
        }
        response
    }
}

/// A successful answer: `{"code": "Success", "message"?, "data"?}` with a status.
#[derive(Debug)]
pub struct Reply {
    status: StatusCode,
    message: Option<String>,
    data: Option<Value>,
}

impl Reply {
    /// `200` with `data` and a message.
    pub fn ok(message: impl Into<String>, data: Value) -> Self {
        Reply {
            status: StatusCode::OK,
            message: Some(message.into()),
            data: Some(data),
        }
    }

    /// `201` with `data` and a message.
    pub fn created(message: impl Into<String>, data: Value) -> Self {
        Reply {
            status: StatusCode::CREATED,
            message: Some(message.into()),
            data: Some(data),
        }
    }

    /// `200` with only a message (deletions, revocations).
    pub fn message(message: impl Into<String>) -> Self {
        Reply {
            status: StatusCode::OK,
            message: Some(message.into()),
            data: None,
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("code".into(), Value::String("Success".into()));
        if let Some(m) = self.message {
            body.insert("message".into(), Value::String(m));
        }
        if let Some(d) = self.data {
            body.insert("data".into(), d);
        }
        (self.status, Json(Value::Object(body))).into_response()
    }
}

/// What every API handler returns.
pub type ApiResult = Result<Reply, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_code_names_the_entity() {
        // Fixture connection_delete_404.json.
        let e = ApiError::not_found("Integration", "connection_id");
        assert_eq!(e.code(), "NotFound_Integration");
        assert_eq!(e.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            e.to_string(),
            "Cannot find entity 'Integration' with id 'connection_id'"
        );
        let e = ApiError::missing("Private Link not found");
        assert_eq!(
            (e.code().as_str(), e.status()),
            ("NotFound", StatusCode::NOT_FOUND)
        );
    }

    #[test]
    fn illegal_state_is_a_409() {
        let e = ApiError::IllegalState("x".into());
        assert_eq!(
            (e.code().as_str(), e.status()),
            ("IllegalState", StatusCode::CONFLICT)
        );
    }

    #[test]
    fn too_many_requests_sets_retry_after() {
        let r = ApiError::TooManyRequests {
            message: "slow down".into(),
            retry_after_secs: 42,
        }
        .into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "42");
    }
}
