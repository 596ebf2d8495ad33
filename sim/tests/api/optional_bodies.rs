//! Optional request bodies: every operation of the OpenAPI spec whose `requestBody` is not
//! `required: true` (the list comes from the spec, `Spec::request_bodies`) is sent without a
//! body, in the three ways a client does it, and must be answered exactly as the same
//! request with `{}` is. Fivetran's private-link tutorial runs the setup tests this way
//! (`curl --request POST --url "$FIVETRAN_BASE_URL/connections/$CONNECTION_ID/test"` with
//! the JSON headers and no `--data`). Skips, saying so, when the spec is absent.

use crate::common::{answer, Answer, Api};
use fivetran_sim::openapi::Spec;

/// How a bodyless request is sent.
#[derive(Clone, Copy, Debug)]
enum Bodyless {
    /// No body and no `Content-Type` (curl `--request POST` without headers).
    Bare,
    /// No body with `Content-Type: application/json` (the tutorial's curl).
    JsonContentType,
    /// `Content-Length: 0` and `Content-Type: application/json`, spelled out.
    ZeroLength,
    /// The JSON text `null`, as the API reference's example of `POST …/test` sends it
    /// (`Content-Length: 4`).
    JsonNull,
}

const BODYLESS: [Bodyless; 4] = [
    Bodyless::Bare,
    Bodyless::JsonContentType,
    Bodyless::ZeroLength,
    Bodyless::JsonNull,
];

async fn send(api: &Api, method: &str, path: &str, body: Option<Bodyless>) -> Answer {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = api
        .client
        .request(m, api.url(path))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .header("Accept", "application/json");
    req = match body {
        None => req.header("Content-Type", "application/json").body("{}"),
        Some(Bodyless::Bare) => req,
        Some(Bodyless::JsonContentType) => req.header("Content-Type", "application/json"),
        Some(Bodyless::ZeroLength) => req
            .header("Content-Type", "application/json")
            .header("Content-Length", "0")
            .body(Vec::<u8>::new()),
        Some(Bodyless::JsonNull) => req.header("Content-Type", "application/json").body("null"),
    };
    answer(req.send().await.expect("answered")).await
}

/// The path with each `{parameter}` replaced by an object of the right kind.
fn fill(template: &str, ids: &[(&str, &str)]) -> String {
    template
        .strip_prefix("/v1")
        .unwrap_or(template)
        .split('/')
        .map(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => ids
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map_or("x", |(_, v)| *v)
                    .to_string(),
                None => seg.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// What must agree between two answers: status, code and message (ids and times aside,
/// none of the bodies compared here hold them in `message`).
fn outcome(a: &Answer) -> (u16, String, String) {
    (a.status, a.code().to_string(), a.message().to_string())
}

#[tokio::test]
async fn every_operation_whose_body_is_optional_is_answered_without_one_as_with_an_empty_object() {
    let Some(spec) = Spec::load() else {
        fivetran_sim::skips::skip(
            "every_operation_whose_body_is_optional_is_answered_without_one_as_with_an_empty_object",
            "the OpenAPI spec is absent (../shared/api/fivetran-openapi.json or FIVETRAN_OPENAPI_SPEC)",
        );
        return;
    };
    let optional: Vec<(String, String)> = spec
        .request_bodies()
        .into_iter()
        .filter(|(_, _, required)| !required)
        .map(|(m, p, _)| (m, p))
        .collect();
    assert!(
        !optional.is_empty(),
        "the spec has request bodies, all optional"
    );

    let api = Api::instant();
    let group = api.sim.group_id().to_string();
    let link = api.create_link("optional-bodies").await;
    api.wait_link_state(&link, "OK").await;
    let created = api
        .post(
            "/connections",
            serde_json::json!({"group_id": group, "service": "postgres", "paused": true,
                "config": {"schema_prefix": "optional_bodies", "host": "db-7.example.com", "port": 5432}}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let connection = created.data()["id"].as_str().expect("id").to_string();
    let ids = [
        ("connectionId", connection.as_str()),
        ("privateLinkId", link.as_str()),
        ("groupId", group.as_str()),
        // The starting group's destination has the group's id.
        ("destinationId", group.as_str()),
    ];

    let mut served = Vec::new();
    let mut problems = Vec::new();
    for (method, template) in &optional {
        let path = fill(template, &ids);
        let key = format!("{method} {template}");
        let before = api.admin().count(&key);
        let with_empty_object = send(&api, method, &path, None).await;
        if api.admin().count(&key) > before {
            served.push(key.clone());
        }
        for way in BODYLESS {
            let bodyless = send(&api, method, &path, Some(way)).await;
            if bodyless.status == 415 || bodyless.message().contains("body is required") {
                problems.push(format!(
                    "{key} {way:?}: refused without a body: {bodyless:?}"
                ));
            } else if outcome(&bodyless) != outcome(&with_empty_object) {
                problems.push(format!(
                    "{key} {way:?}: {:?} without a body, {:?} with {{}}",
                    outcome(&bodyless),
                    outcome(&with_empty_object)
                ));
            }
        }
    }
    eprintln!(
        "{} operations with an optional body in the spec; {} served by the simulator: {served:?}",
        optional.len(),
        served.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The tutorial's call did run the setup tests.
    let test = "POST /v1/connections/{connectionId}/test".to_string();
    assert!(served.contains(&test), "{served:?}");
    let a = send(
        &api,
        "POST",
        &format!("/connections/{connection}/test"),
        Some(Bodyless::JsonContentType),
    )
    .await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    let tests = a.data()["setup_tests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        tests.iter().any(|t| t["title"] == "Validate Certificate"),
        "{a:?}"
    );
}

#[tokio::test]
async fn a_body_without_a_json_content_type_is_still_refused() {
    let api = Api::instant();
    let r = api
        .client
        .post(api.url("/groups"))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .header("Content-Type", "text/plain")
        .body(r#"{"name":"x"}"#)
        .send()
        .await
        .expect("answered");
    let a = answer(r).await;
    assert_eq!((a.status, a.code()), (415, "UnsupportedMediaType"), "{a:?}");
}
