//! The router without a socket, through `tower::ServiceExt::oneshot`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use fivetran_sim::{app, FaultKind, SimConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

fn auth(config: &SimConfig) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", config.api_key, config.api_secret))
    )
}

async fn body_json(r: axum::response::Response) -> Value {
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

#[tokio::test]
async fn oneshot_requests_reach_the_handlers() {
    let config = SimConfig::instant();
    let (router, admin) = app(config.clone());
    let req = Request::post("/v1/private-links")
        .header(header::AUTHORIZATION, auth(&config))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": "oneshot", "region": "GCP_US_EAST4", "service": "SOURCE_GCP",
                   "config": {"private_connection_service_id": "projects/p/regions/r/serviceAttachments/s"}})
            .to_string(),
        ))
        .expect("request");
    let r = router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(r.status(), StatusCode::CREATED);
    let body = body_json(r).await;
    assert_eq!(body["data"]["cloud_provider"], "GCP");
    assert_eq!(admin.count("POST /v1/private-links"), 1);

    // Without a socket, a dropped connection is reported as a bare 503.
    admin.script_fault(None, FaultKind::Drop, 1);
    let req = Request::get("/v1/groups")
        .header(header::AUTHORIZATION, auth(&config))
        .body(Body::empty())
        .expect("request");
    let r = router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);

    let req = Request::get("/v1/groups")
        .body(Body::empty())
        .expect("request");
    let r = router.oneshot(req).await.expect("infallible");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(r).await["code"], "Unauthorized");
}
