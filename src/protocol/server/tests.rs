//! The server's own tests: `Stop` against requests in flight, problems answered as
//! diagnostics rather than gRPC errors, and what reaches the wire, through the tonic
//! `Provider` methods Terraform calls.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tonic::Request;

use super::GrpcProvider;
use crate::protocol::convert::to_proto::encode;
use crate::protocol::wire::tfplugin5 as pb;
use crate::protocol::wire::tfplugin5::provider_server::Provider;
use crate::protocol::{
    ApplyRequest, ApplyResponse, Attribute, Block, ClientCapabilities, ConfigureRequest,
    Diagnostics, ImportRequest, ImportResponse, PlanRequest, PlanResponse, ProviderSchemas,
    ProviderService, ReadDataRequest, ReadDataResponse, ReadRequest, ReadResponse, RequestContext,
    Schema, Type, UpgradeRequest, UpgradeResponse, Value,
};

/// A service whose apply blocks until cancelled, and which echoes values elsewhere.
struct Blocking {
    schemas: ProviderSchemas,
}

fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            attributes: vec![Attribute::required("name", Type::String)],
            ..Block::default()
        },
    }
}

impl ProviderService for Blocking {
    fn schemas(&self) -> &ProviderSchemas {
        &self.schemas
    }
    async fn validate_provider_config(&self, _: Value) -> Diagnostics {
        Diagnostics::new()
    }
    async fn configure(&self, _: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }
    async fn validate_resource_config(
        &self,
        _: &str,
        config: Value,
        client: ClientCapabilities,
    ) -> Diagnostics {
        let mut d = Diagnostics::new();
        if client.write_only_attributes_allowed {
            d.warning("Write-only allowed", "the capability reached the service");
        }
        if config.get("name").and_then(Value::as_str) == Some("bad") {
            d.attribute_error(
                crate::protocol::AttributePath::root("name"),
                "Bad name",
                "no",
            );
        }
        d
    }
    async fn validate_data_source_config(&self, _: &str, _: Value) -> Diagnostics {
        Diagnostics::new()
    }
    async fn upgrade_resource_state(&self, _: UpgradeRequest) -> UpgradeResponse {
        UpgradeResponse {
            state: Value::Null,
            diagnostics: Diagnostics::new(),
        }
    }
    async fn read_resource(&self, _: RequestContext, r: ReadRequest) -> ReadResponse {
        if r.current_state.get("name").and_then(Value::as_str) == Some("panic") {
            panic!("read of a thing named panic");
        }
        ReadResponse {
            new_state: r.current_state,
            private: r.private,
            diagnostics: Diagnostics::new(),
        }
    }
    async fn plan_resource_change(&self, _: RequestContext, r: PlanRequest) -> PlanResponse {
        PlanResponse {
            planned_state: r.proposed_new_state,
            requires_replace: vec![],
            planned_private: vec![],
            diagnostics: Diagnostics::new(),
        }
    }
    async fn apply_resource_change(&self, ctx: RequestContext, r: ApplyRequest) -> ApplyResponse {
        let mut d = Diagnostics::new();
        // "quick" answers at once, saying whether it started already cancelled.
        if r.planned_state.get("name").and_then(Value::as_str) == Some("quick") {
            if ctx.cancel.is_cancelled() {
                d.error("Interrupted", "started cancelled");
            }
            return ApplyResponse {
                new_state: r.planned_state,
                private: vec![],
                diagnostics: d,
            };
        }
        ctx.cancel.cancelled().await;
        d.error("Interrupted", "stopped");
        ApplyResponse {
            new_state: r.planned_state,
            private: vec![],
            diagnostics: d,
        }
    }
    async fn import_resource_state(&self, _: RequestContext, _: ImportRequest) -> ImportResponse {
        ImportResponse {
            state: Value::Null,
            private: vec![],
            diagnostics: Diagnostics::new(),
        }
    }
    async fn read_data_source(&self, _: RequestContext, _: ReadDataRequest) -> ReadDataResponse {
        ReadDataResponse {
            state: Value::Null,
            diagnostics: Diagnostics::new(),
        }
    }
}

fn provider() -> Arc<GrpcProvider<Blocking>> {
    let schemas = ProviderSchemas {
        provider: Schema {
            version: 0,
            block: Block::default(),
        },
        resources: [("test_thing".to_string(), schema())].into(),
        data_sources: BTreeMap::new(),
    };
    Arc::new(GrpcProvider::new(Arc::new(Blocking { schemas })))
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    Some(encode(v, &schema().block.implied_type(), "test").expect("encode"))
}

fn apply_request(name: &str) -> pb::apply_resource_change::Request {
    let planned = Value::object([("name", Value::from(name))]);
    pb::apply_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(&Value::Null),
        planned_state: dv(&planned),
        config: dv(&planned),
        planned_private: vec![],
        provider_meta: None,
    }
}

async fn stop(p: &GrpcProvider<Blocking>) {
    p.stop(Request::new(pb::stop::Request {}))
        .await
        .expect("stop");
}

#[tokio::test]
async fn stop_cancels_an_in_flight_apply() {
    let p = provider();
    let req = apply_request("x");
    let p2 = p.clone();
    let apply = tokio::spawn(async move { p2.apply_resource_change(Request::new(req)).await });
    tokio::task::yield_now().await;
    assert!(!apply.is_finished(), "apply must block until Stop");
    stop(&p).await;
    let resp = tokio::time::timeout(Duration::from_secs(5), apply)
        .await
        .expect("apply returned after Stop")
        .expect("join")
        .expect("grpc ok")
        .into_inner();
    assert_eq!(resp.diagnostics[0].summary, "Interrupted");
    assert!(
        resp.new_state.is_some(),
        "the partial state is still returned"
    );
}

#[tokio::test]
async fn requests_after_a_stop_are_not_cancelled_and_a_later_stop_still_reaches_them() {
    let p = provider();
    let p2 = p.clone();
    let first = tokio::spawn(async move {
        p2.apply_resource_change(Request::new(apply_request("x")))
            .await
    });
    tokio::task::yield_now().await;
    stop(&p).await;
    tokio::time::timeout(Duration::from_secs(5), first)
        .await
        .expect("the in-flight apply returned after Stop")
        .expect("join")
        .expect("grpc ok");

    // A new apply-like request after the Stop completes normally.
    let resp = p
        .apply_resource_change(Request::new(apply_request("quick")))
        .await
        .expect("grpc ok")
        .into_inner();
    assert!(
        resp.diagnostics.is_empty(),
        "a request after Stop started cancelled: {:?}",
        resp.diagnostics
    );

    // And the next Stop cancels what is in flight then, through the fresh token.
    let p2 = p.clone();
    let second = tokio::spawn(async move {
        p2.apply_resource_change(Request::new(apply_request("y")))
            .await
    });
    tokio::task::yield_now().await;
    assert!(!second.is_finished(), "the new apply blocks until Stop");
    stop(&p).await;
    let resp = tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("the second Stop reached the new apply")
        .expect("join")
        .expect("grpc ok")
        .into_inner();
    assert_eq!(resp.diagnostics[0].summary, "Interrupted");
}

#[tokio::test]
async fn unknown_types_and_bad_values_become_diagnostics_not_grpc_errors() {
    let p = provider();
    let resp = p
        .validate_resource_type_config(Request::new(pb::validate_resource_type_config::Request {
            type_name: "nope".into(),
            config: None,
            client_capabilities: None,
        }))
        .await
        .expect("diagnostic, not status")
        .into_inner();
    assert_eq!(resp.diagnostics[0].summary, "Unknown resource type");

    let garbage = Some(pb::DynamicValue {
        msgpack: vec![0xc1, 0xff, 0x00],
        json: vec![],
    });
    let resp = p
        .validate_resource_type_config(Request::new(pb::validate_resource_type_config::Request {
            type_name: "test_thing".into(),
            config: garbage,
            client_capabilities: None,
        }))
        .await
        .expect("diagnostic, not status")
        .into_inner();
    assert_eq!(resp.diagnostics[0].summary, "Provider Internal Error");
}

#[tokio::test]
async fn client_capabilities_reach_validation_and_none_sent_means_none() {
    let p = provider();
    let config = Value::object([("name", Value::from("ok"))]);
    let validate = |caps: Option<pb::ClientCapabilities>| {
        let p = p.clone();
        let config = dv(&config);
        async move {
            p.validate_resource_type_config(Request::new(
                pb::validate_resource_type_config::Request {
                    type_name: "test_thing".into(),
                    config,
                    client_capabilities: caps,
                },
            ))
            .await
            .expect("ok")
            .into_inner()
            .diagnostics
        }
    };
    let with = validate(Some(pb::ClientCapabilities {
        deferral_allowed: false,
        write_only_attributes_allowed: true,
    }))
    .await;
    assert_eq!(with.len(), 1, "{with:?}");
    assert_eq!(with[0].summary, "Write-only allowed");
    // Terraform 1.0 sends no capabilities at all.
    assert!(validate(None).await.is_empty());
    // Terraform 1.9 and 1.10 send capabilities without the write-only flag.
    assert!(validate(Some(pb::ClientCapabilities {
        deferral_allowed: true,
        write_only_attributes_allowed: false,
    }))
    .await
    .is_empty());
}

#[tokio::test]
async fn attribute_paths_reach_the_wire() {
    let p = provider();
    let config = Value::object([("name", Value::from("bad"))]);
    let resp = p
        .validate_resource_type_config(Request::new(pb::validate_resource_type_config::Request {
            type_name: "test_thing".into(),
            config: dv(&config),
            client_capabilities: None,
        }))
        .await
        .expect("ok")
        .into_inner();
    let path = resp.diagnostics[0].attribute.as_ref().expect("path");
    assert_eq!(
        path.steps[0].selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "name".into()
        ))
    );
}

#[tokio::test]
async fn schema_response_has_the_provider_and_capabilities() {
    let p = provider();
    let resp = p
        .get_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .expect("ok")
        .into_inner();
    assert!(
        resp.provider.is_some(),
        "Terraform needs a non-nil provider schema"
    );
    let attr = &resp.resource_schemas["test_thing"]
        .block
        .as_ref()
        .expect("block")
        .attributes[0];
    assert_eq!(attr.r#type, b"\"string\"".to_vec());
    assert!(
        resp.server_capabilities
            .expect("caps")
            .get_provider_schema_optional
    );
}

/// The summary of each diagnostic of a response that must have come back as a message.
fn summaries<T>(
    response: Result<tonic::Response<T>, tonic::Status>,
    diagnostics: impl FnOnce(T) -> Vec<pb::Diagnostic>,
) -> Vec<String> {
    let response = response
        .expect("a diagnostic, not a gRPC error")
        .into_inner();
    diagnostics(response)
        .into_iter()
        .map(|d| d.summary)
        .collect()
}

#[tokio::test]
async fn every_rpc_that_names_a_type_looks_it_up_among_its_own_kind() {
    let p = provider();
    // "test_thing" is a resource type: unknown to the data-source RPCs.
    let data_source = "test_thing".to_string();
    let resource = "nope".to_string();
    let unknown_resource = vec!["Unknown resource type".to_string()];
    let unknown_data_source = vec!["Unknown data source type".to_string()];
    assert_eq!(
        summaries(
            p.validate_data_source_config(Request::new(pb::validate_data_source_config::Request {
                type_name: data_source.clone(),
                config: None,
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_data_source
    );
    assert_eq!(
        summaries(
            p.read_data_source(Request::new(pb::read_data_source::Request {
                type_name: data_source,
                ..Default::default()
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_data_source
    );
    assert_eq!(
        summaries(
            p.upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
                type_name: resource.clone(),
                ..Default::default()
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_resource
    );
    assert_eq!(
        summaries(
            p.read_resource(Request::new(pb::read_resource::Request {
                type_name: resource.clone(),
                ..Default::default()
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_resource
    );
    assert_eq!(
        summaries(
            p.plan_resource_change(Request::new(pb::plan_resource_change::Request {
                type_name: resource.clone(),
                ..Default::default()
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_resource
    );
    assert_eq!(
        summaries(
            p.apply_resource_change(Request::new(pb::apply_resource_change::Request {
                type_name: resource.clone(),
                ..Default::default()
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_resource
    );
    assert_eq!(
        summaries(
            p.import_resource_state(Request::new(pb::import_resource_state::Request {
                type_name: resource,
                id: "x".into(),
                ..Default::default()
            }))
            .await,
            |r| r.diagnostics
        ),
        unknown_resource
    );
}

#[tokio::test]
async fn a_panic_in_the_service_answers_its_request_with_a_diagnostic() {
    let p = provider();
    let state = Value::object([("name", Value::from("panic"))]);
    let resp = p
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: dv(&state),
            ..Default::default()
        }))
        .await
        .expect("a diagnostic, not a dropped stream")
        .into_inner();
    assert_eq!(resp.diagnostics.len(), 1, "{:?}", resp.diagnostics);
    assert_eq!(resp.diagnostics[0].summary, "Provider Bug");
    assert!(
        resp.diagnostics[0]
            .detail
            .contains("in ReadResource for test_thing: read of a thing named panic"),
        "{}",
        resp.diagnostics[0].detail
    );
    assert!(resp.new_state.is_none());

    // The provider carries on: the next read answers normally.
    let state = Value::object([("name", Value::from("fine"))]);
    let resp = p
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: dv(&state),
            ..Default::default()
        }))
        .await
        .expect("ok")
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    assert_eq!(resp.new_state, dv(&state));
}
