//! The admin API under `/_sim` (no authentication; the simulator only listens on
//! loopback). Each route calls the matching [`crate::Admin`] method.
//!
//! | Route | Effect |
//! |---|---|
//! | `GET /_sim/info` | starting group id, user id |
//! | `GET /_sim/counters`, `DELETE /_sim/counters` | request counters; reset |
//! | `GET /_sim/requests` | recent requests (no headers, no bodies) |
//! | `GET /_sim/inventory` | every object, with timelines |
//! | `GET /_sim/knobs`, `PATCH /_sim/knobs`, `PUT /_sim/knobs` | read; merge patch; replace |
//! | `POST /_sim/faults`, `DELETE /_sim/faults` | queue `{endpoint?, kind, count?}`; clear |
//! | `GET /_sim/faults` | faults injected so far, per endpoint key and kind |
//! | `PATCH /_sim/private-links/{id}` | `{state?, state_summary?, config?: {key: string or null}}` |
//! | `PATCH /_sim/connections/{id}` | `{config?: {key: value or null}, <field>: value, ...}` |
//! | `PATCH /_sim/destinations/{id}` | `{host?, tunnel_host?: string or null, config?: {key: value or null}, <field>: value, ...}`: `host` (with `tunnel_host`) sets what its setup tests see; fields as [`crate::Admin::set_destination_field`] |
//! | `DELETE /_sim/destinations/{id}` | delete a destination at once (its group stays) |
//! | `POST /_sim/groups/{id}/metadata-connection` | add the `fivetran_metadata` connection Fivetran may create; answers `{id}` |
//! | `DELETE /_sim/objects/{id}` | delete a link, connection or group at once |
//! | `DELETE /_sim/{connections,destinations}/{id}/{certificates,fingerprints}/{hash}` | revoke |
//! | `GET /_sim/timeline/{id}` | created / ready times and state history |
//! | `GET /_sim/presented/{host}` | the TLS certificate and SSH host key a source at `host` presents |

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::admin::{Admin, AdminError};
use crate::config::{FaultKind, Knobs};
use crate::error::ApiError;
use crate::extract::{ApiPath, JsonBody};
use crate::model::approval::ParentKind;
use crate::shared::Shared;

type Shd = State<Arc<Shared>>;

fn admin(s: &Arc<Shared>) -> Admin {
    Admin { shared: s.clone() }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        match self {
            AdminError::NotFound(kind, id) => (
                StatusCode::NOT_FOUND,
                Json(json!({"code": "NotFound", "message": format!("no {kind} with id '{id}'")})),
            )
                .into_response(),
            AdminError::Invalid(m) => ApiError::InvalidInput(m).into_response(),
        }
    }
}

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/info", get(info))
        .route("/counters", get(counters).delete(reset_counters))
        .route("/requests", get(requests))
        .route("/inventory", get(inventory))
        .route("/knobs", get(knobs).patch(patch_knobs).put(put_knobs))
        .route(
            "/faults",
            get(injected_faults)
                .post(script_faults)
                .delete(clear_faults),
        )
        .route("/private-links/{id}", patch(patch_link))
        .route("/connections/{id}", patch(patch_connection))
        .route(
            "/destinations/{id}",
            patch(patch_destination).delete(delete_destination),
        )
        .route(
            "/groups/{id}/metadata-connection",
            post(add_metadata_connection),
        )
        .route("/objects/{id}", delete(delete_object))
        .route("/{parent}/{id}/{what}/{hash}", delete(revoke))
        .route("/timeline/{id}", get(timeline))
        .route("/presented/{host}", get(presented))
}

/// What a source at `host` presents to setup tests, so scripts can pin it in advance.
async fn presented(ApiPath(host): ApiPath<String>) -> Json<Value> {
    Json(json!({
        "certificate": crate::presented_certificate(&host),
        "host_key": crate::presented_host_key(&host),
    }))
}

async fn info(State(s): Shd) -> Json<Value> {
    Json(json!({ "group_id": s.group_id, "destination_id": s.group_id, "user_id": s.user_id }))
}

async fn counters(State(s): Shd) -> Json<Value> {
    Json(serde_json::to_value(admin(&s).counters()).unwrap_or(Value::Null))
}

async fn reset_counters(State(s): Shd) -> StatusCode {
    admin(&s).reset_counters();
    StatusCode::NO_CONTENT
}

async fn requests(State(s): Shd) -> Json<Value> {
    Json(serde_json::to_value(admin(&s).requests()).unwrap_or(Value::Null))
}

async fn inventory(State(s): Shd) -> Json<Value> {
    Json(admin(&s).inventory())
}

async fn knobs(State(s): Shd) -> Json<Value> {
    Json(serde_json::to_value(admin(&s).knobs()).unwrap_or(Value::Null))
}

async fn patch_knobs(
    State(s): Shd,
    JsonBody(patch): JsonBody<Value>,
) -> Result<Json<Value>, AdminError> {
    let k = admin(&s).patch_knobs(&patch)?;
    Ok(Json(serde_json::to_value(k).unwrap_or(Value::Null)))
}

async fn put_knobs(State(s): Shd, JsonBody(k): JsonBody<Knobs>) -> Json<Value> {
    admin(&s).set_knobs(k.clone());
    Json(serde_json::to_value(k).unwrap_or(Value::Null))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    endpoint: Option<String>,
    kind: FaultKind,
    count: Option<usize>,
}

async fn script_faults(State(s): Shd, JsonBody(r): JsonBody<FaultRequest>) -> StatusCode {
    admin(&s).script_fault(r.endpoint.as_deref(), r.kind, r.count.unwrap_or(1));
    StatusCode::NO_CONTENT
}

async fn injected_faults(State(s): Shd) -> Json<Value> {
    Json(serde_json::to_value(admin(&s).injected_faults()).unwrap_or(Value::Null))
}

async fn clear_faults(State(s): Shd) -> StatusCode {
    admin(&s).clear_scripted_faults();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkPatch {
    state: Option<String>,
    state_summary: Option<String>,
    config: Option<Map<String, Value>>,
}

async fn patch_link(
    State(s): Shd,
    ApiPath(id): ApiPath<String>,
    JsonBody(p): JsonBody<LinkPatch>,
) -> Result<StatusCode, AdminError> {
    let a = admin(&s);
    if let Some(config) = p.config {
        for (k, v) in config {
            match v {
                Value::Null => a.set_private_link_config(&id, &k, None)?,
                Value::String(v) => a.set_private_link_config(&id, &k, Some(&v))?,
                other => {
                    return Err(AdminError::Invalid(format!(
                        "config value {other} is not a string"
                    )))
                }
            }
        }
    }
    match (p.state, p.state_summary) {
        (Some(st), summary) => a.set_private_link_state(&id, &st, summary.as_deref())?,
        (None, Some(_)) => return Err(AdminError::Invalid("'state_summary' needs 'state'".into())),
        (None, None) => {}
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn patch_connection(
    State(s): Shd,
    ApiPath(id): ApiPath<String>,
    JsonBody(p): JsonBody<Map<String, Value>>,
) -> Result<StatusCode, AdminError> {
    let a = admin(&s);
    for (field, value) in p {
        if field == "config" {
            let Value::Object(config) = value else {
                return Err(AdminError::Invalid("'config' must be an object".into()));
            };
            for (k, v) in config {
                a.set_connection_config(&id, &k, (!v.is_null()).then_some(v))?;
            }
        } else {
            a.set_connection_field(&id, &field, &value)?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn patch_destination(
    State(s): Shd,
    ApiPath(id): ApiPath<String>,
    JsonBody(mut p): JsonBody<Map<String, Value>>,
) -> Result<StatusCode, AdminError> {
    let a = admin(&s);
    let tunnel = match p.remove("tunnel_host") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t),
        Some(other) => {
            return Err(AdminError::Invalid(format!(
                "tunnel_host {other} is not a string"
            )))
        }
    };
    match p.remove("host") {
        Some(Value::String(host)) => a.set_destination_host(&id, &host, tunnel.as_deref())?,
        Some(other) => return Err(AdminError::Invalid(format!("host {other} is not a string"))),
        None if tunnel.is_some() => {
            return Err(AdminError::Invalid("'tunnel_host' needs 'host'".into()))
        }
        None => {}
    }
    for (field, value) in p {
        if field == "config" {
            let Value::Object(config) = value else {
                return Err(AdminError::Invalid("'config' must be an object".into()));
            };
            for (k, v) in config {
                a.set_destination_config(&id, &k, (!v.is_null()).then_some(v))?;
            }
        } else {
            a.set_destination_field(&id, &field, &value)?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_destination(
    State(s): Shd,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AdminError> {
    admin(&s).delete_destination(&id)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn add_metadata_connection(
    State(s): Shd,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Value>, AdminError> {
    let conn = admin(&s).add_metadata_connection(&id)?;
    Ok(Json(json!({ "id": conn })))
}

async fn delete_object(
    State(s): Shd,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Value>, AdminError> {
    let kind = admin(&s).delete_object(&id)?;
    Ok(Json(json!({ "deleted": kind, "id": id })))
}

async fn revoke(
    State(s): Shd,
    ApiPath((parent, id, what, hash)): ApiPath<(String, String, String, String)>,
) -> Result<StatusCode, AdminError> {
    let kind = match parent.as_str() {
        "connections" => ParentKind::Connection,
        "destinations" => ParentKind::Destination,
        _ => {
            return Err(AdminError::Invalid(format!(
                "unknown parent kind '{parent}'"
            )))
        }
    };
    match what.as_str() {
        "certificates" => admin(&s).revoke_certificate(kind, &id, &hash)?,
        "fingerprints" => admin(&s).revoke_fingerprint(kind, &id, &hash)?,
        _ => {
            return Err(AdminError::Invalid(format!(
                "unknown approval kind '{what}'"
            )))
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn timeline(State(s): Shd, ApiPath(id): ApiPath<String>) -> Result<Json<Value>, AdminError> {
    admin(&s)
        .timeline(&id)
        .map(|t| Json(t.to_json()))
        .ok_or(AdminError::NotFound("object", id))
}
