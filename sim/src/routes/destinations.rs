//! `POST /v1/destinations/{destinationId}/test`: the destination's setup tests, which
//! check its SSH host key (when it has a `tunnel_host`) and its TLS certificate as a
//! connection's tests do, so that approvals for destinations can be resolved and checked.
//! (`GET /v1/destinations/{destinationId}` lives with the groups.)

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, Reply};
use crate::extract::{ApiPath, JsonBody};
use crate::model::approval::ParentKind;
use crate::model::setup_tests::{self, SetupTest, TestInputs};
use crate::shared::{lock, Shared};

/// Body of `POST /v1/destinations/{id}/test` (`RunSetupTestsRequest_run_destination_setup_tests`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestRequest {
    trust_certificates: Option<bool>,
    trust_fingerprints: Option<bool>,
}

pub(crate) async fn test(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
    JsonBody(req): JsonBody<TestRequest>,
) -> ApiResult {
    let at = s.now_system();
    let mut store = lock(&s.store);
    let mut d = store
        .destinations
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Destination", &id))?;
    let inputs = TestInputs {
        link_state: None,
        approvals: store.approvals(ParentKind::Destination, &id),
        trust_certificates: req.trust_certificates.unwrap_or(false),
        trust_fingerprints: req.trust_fingerprints.unwrap_or(false),
    };
    let outcome = setup_tests::run(&d.target(), &inputs);
    d.settle(&outcome);
    let tests: Vec<serde_json::Value> = outcome.tests.iter().map(SetupTest::to_json).collect();
    store.record_trust(ParentKind::Destination, &id, outcome, &s.user_id, at);
    let mut json = d.to_json();
    json["setup_tests"] = serde_json::Value::Array(tests);
    store.destinations.insert(id, d);
    Ok(Reply::ok("Setup tests have been completed", json))
}
