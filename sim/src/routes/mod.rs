//! The router: every `/v1` endpoint behind the middleware pipeline, the admin API under
//! `/_sim`, and JSON answers for unknown paths and methods.
//!
//! Path parameters carry the spec's names (`{privateLinkId}`, `{connectionId}`, `{hash}`
//! ...), so an endpoint key such as `GET /v1/private-links/{privateLinkId}` is also the
//! spec's path template.

mod admin;
mod approvals;
mod connections;
mod destinations;
mod groups;
mod private_links;

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use crate::error::ApiError;
use crate::middleware::pipeline;
use crate::shared::{lock, Shared};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let v1 = Router::new()
        .route("/v1/groups", get(groups::list).post(groups::create))
        .route(
            "/v1/groups/{groupId}",
            get(groups::details)
                .patch(groups::update)
                .delete(groups::delete),
        )
        .route("/v1/groups/{groupId}/connections", get(groups::connections))
        .route("/v1/groups/{groupId}/public-key", get(groups::public_key))
        .route(
            "/v1/destinations",
            get(destinations::list).post(destinations::create),
        )
        .route(
            "/v1/destinations/{destinationId}",
            get(destinations::details)
                .patch(destinations::update)
                .delete(destinations::delete),
        )
        .route(
            "/v1/destinations/{destinationId}/test",
            post(destinations::test),
        )
        .route(
            "/v1/private-links",
            get(private_links::list).post(private_links::create),
        )
        .route(
            "/v1/private-links/{privateLinkId}",
            get(private_links::details)
                .patch(private_links::update)
                .delete(private_links::delete),
        )
        .route(
            "/v1/connections",
            get(connections::list).post(connections::create),
        )
        .route(
            "/v1/connections/{connectionId}",
            get(connections::details)
                .patch(connections::update)
                .delete(connections::delete),
        )
        .route(
            "/v1/connections/{connectionId}/test",
            post(connections::test),
        )
        .route(
            "/v1/connections/{connectionId}/certificates",
            get(approvals::connection_certificates).post(approvals::approve_connection_certificate),
        )
        .route(
            "/v1/connections/{connectionId}/certificates/{hash}",
            get(approvals::connection_certificate).delete(approvals::revoke_connection_certificate),
        )
        .route(
            "/v1/connections/{connectionId}/fingerprints",
            get(approvals::connection_fingerprints).post(approvals::approve_connection_fingerprint),
        )
        .route(
            "/v1/connections/{connectionId}/fingerprints/{hash}",
            get(approvals::connection_fingerprint).delete(approvals::revoke_connection_fingerprint),
        )
        .route(
            "/v1/destinations/{destinationId}/certificates",
            get(approvals::destination_certificates)
                .post(approvals::approve_destination_certificate),
        )
        .route(
            "/v1/destinations/{destinationId}/certificates/{hash}",
            get(approvals::destination_certificate)
                .delete(approvals::revoke_destination_certificate),
        )
        .route(
            "/v1/destinations/{destinationId}/fingerprints",
            get(approvals::destination_fingerprints)
                .post(approvals::approve_destination_fingerprint),
        )
        .route(
            "/v1/destinations/{destinationId}/fingerprints/{hash}",
            get(approvals::destination_fingerprint)
                .delete(approvals::revoke_destination_fingerprint),
        )
        .route(
            "/v1/certificates",
            post(approvals::approve_certificate_top_level),
        )
        .route(
            "/v1/fingerprints",
            post(approvals::approve_fingerprint_top_level),
        )
        .route_layer(from_fn_with_state(shared.clone(), pipeline));
    Router::new()
        .merge(v1)
        .nest("/_sim", admin::router())
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

async fn no_route(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    req: Request,
) -> ApiError {
    lock(&shared.behaviour).count(&format!("{} (unmatched)", req.method()));
    ApiError::NoRoute(format!("No endpoint {} {}", req.method(), req.uri().path()))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::MethodNotAllowed(req.method().to_string())
}
