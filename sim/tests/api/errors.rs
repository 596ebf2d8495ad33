//! The envelope of failures: auth, content type, malformed bodies, pagination parameters,
//! unknown paths.

use serde_json::json;

use crate::common::{answer, Api};

#[tokio::test]
async fn missing_or_wrong_credentials_get_401() {
    let api = Api::instant();
    let r = api
        .client
        .get(api.url("/groups"))
        .send()
        .await
        .expect("answer");
    let a = answer(r).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.code(), "Unauthorized");
    assert!(a.headers.contains_key("www-authenticate"));
    let r = api
        .client
        .get(api.url("/groups"))
        .basic_auth(api.sim.api_key(), Some("wrong"))
        .send()
        .await
        .expect("answer");
    assert_eq!(answer(r).await.status, 401);
    let r = api
        .client
        .get(api.url("/groups"))
        .header("Authorization", "Basic %%%")
        .send()
        .await
        .expect("answer");
    assert_eq!(answer(r).await.status, 401);
}

async fn raw_post(
    api: &Api,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> crate::common::Answer {
    let mut req = api
        .client
        .post(api.url(path))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    answer(req.send().await.expect("answer")).await
}

#[tokio::test]
async fn bodies_need_json_content_type_and_valid_json() {
    let api = Api::instant();
    let a = raw_post(&api, "/groups", None, br#"{"name":"x"}"#.to_vec()).await;
    assert_eq!((a.status, a.code()), (415, "UnsupportedMediaType"));
    let a = raw_post(
        &api,
        "/groups",
        Some("text/plain"),
        br#"{"name":"x"}"#.to_vec(),
    )
    .await;
    assert_eq!(a.status, 415);
    let a = raw_post(
        &api,
        "/groups",
        Some("application/json; charset=utf-8"),
        br#"{"name":"ok_name"}"#.to_vec(),
    )
    .await;
    assert_eq!(a.status, 201, "{a:?}");

    let cases: &[(&[u8], &str)] = &[
        (b"{not json", "Malformed JSON"),
        (b"[1,2]", "JSON object"),
        (br#"{"name": 5}"#, "invalid type"),
        (br#"{"name": "a", "colour": "red"}"#, "unknown field"),
        (b"\xff\xfe", "Malformed JSON"),
    ];
    for (body, needle) in cases {
        let a = raw_post(&api, "/groups", Some("application/json"), body.to_vec()).await;
        assert_eq!(
            (a.status, a.code()),
            (400, "InvalidInput"),
            "{body:?}: {a:?}"
        );
        assert!(a.message().contains(needle), "{needle}: {}", a.message());
    }
}

#[tokio::test]
async fn huge_bodies_get_400_not_a_crash() {
    let mut config = fivetran_sim::SimConfig::instant();
    config.max_body_bytes = 4096;
    let api = Api::start(config);
    let big = format!(r#"{{"name":"{}"}}"#, "a".repeat(10_000));
    let a = raw_post(&api, "/groups", Some("application/json"), big.into_bytes()).await;
    assert_eq!((a.status, a.code()), (400, "InvalidInput"));
    assert!(a.message().contains("too large"));
    assert_eq!(api.get("/groups").await.status, 200, "still serving");
}

#[tokio::test]
async fn pagination_parameters_are_checked() {
    let api = Api::instant();
    for q in [
        "limit=0",
        "limit=1001",
        "limit=abc",
        "cursor=%%%",
        "cursor=bm90LWEtY3Vyc29y",
    ] {
        let a = api.get(&format!("/groups?{q}")).await;
        assert_eq!((a.status, a.code()), (400, "InvalidInput"), "{q}: {a:?}");
    }
    let a = api.get("/groups?limit=1000&unknown=1").await;
    assert_eq!(a.status, 200);
    assert!(a.data().get("next_cursor").is_none());
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json() {
    let api = Api::instant();
    let a = api.get("/nothing-here").await;
    assert_eq!((a.status, a.code()), (404, "NotFound"));
    let a = api.send("PUT", "/groups", Some(json!({}))).await;
    assert_eq!((a.status, a.code()), (405, "MethodNotAllowed"));
    let a = api.get("/private-links/does_not_exist").await;
    // Spec: `404: Private Link not found`.
    assert_eq!((a.status, a.code()), (404, "NotFound"));
    assert_eq!(a.message(), "Private Link not found");
}
