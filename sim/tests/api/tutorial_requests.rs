//! The requests of the two seed documents, sent byte for byte as their commands send them
//! (no curl or jq needed; `tutorial.rs` runs the curl script itself):
//!
//! 1. the Fivetran tutorial "How to Set Up a Connection With Private Links": its
//!    environment (`FIVETRAN_AUTH_HEADER` is `printf "%s" "$KEY:$SECRET" | base64`), its
//!    curl commands' methods, headers, paths and bodies, with its own names and values
//!    (`pl-source-aws-prod`, `SOURCE_AWS` in `AWS_US_EAST_1`, a `postgres_rds` connection
//!    whose `"port"` travels as text). The create body is the tutorial's heredoc as
//!    `curl --data @-` sends it (newlines stripped); the setup tests run with **no body**
//!    (`POST …/test` with the JSON headers and no `--data`); the unpause sends
//!    `{"paused": false}`;
//! 2. the Fivetran support article "Certificate Management": the failing `Validate
//!    Certificate` test's `details[0].hash`/`encoded_cert` approved with
//!    `POST /v1/certificates {connector_id, hash, encoded_cert}`, and for an SSH-tunnel
//!    connection the failing `SSH Tunnel Connection` test's `details.hash`/`public_key`
//!    with `POST /v1/fingerprints {connector_id, hash, public_key}`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use fivetran_sim::SimConfig;
use serde_json::Value;

use crate::common::{answer, Answer, Api};

/// The tutorial's endpoint service name placeholder, filled with a plausible value.
const SERVICE_NAME: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890";
const HOST: &str = "db-7.example.com";

/// The headers of a curl command of the seeds.
#[derive(Clone, Copy)]
enum Headers {
    /// `--header "Accept: application/json" --header "Authorization: Basic …"`.
    AcceptAndAuth,
    /// The same and `--header "Content-Type: application/json"`.
    Json,
}

/// One curl command: `body` is the exact text curl sends (`None`: no `--data` at all).
async fn curl(api: &Api, method: &str, path: &str, headers: Headers, body: Option<&str>) -> Answer {
    // FIVETRAN_AUTH_HEADER=$(printf "%s" "$FIVETRAN_API_KEY:$FIVETRAN_API_SECRET" | base64 | tr -d '\n')
    let auth_header = STANDARD.encode(format!("{}:{}", api.sim.api_key(), api.sim.api_secret()));
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = api
        .client
        .request(method, api.url(path))
        .header("Accept", "application/json")
        .header("Authorization", format!("Basic {auth_header}"));
    if let Headers::Json = headers {
        req = req.header("Content-Type", "application/json");
    }
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    answer(req.send().await.expect("answered")).await
}

/// What `curl --data @- <<JSON … JSON` sends: the heredoc's lines with the newlines
/// stripped (curl's `--data` drops carriage returns and newlines from a file).
fn heredoc(lines: &[&str]) -> String {
    lines.concat()
}

fn tests_of(a: &Answer) -> Vec<Value> {
    a.data()["setup_tests"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn test_titled(a: &Answer, title: &str) -> Value {
    tests_of(a)
        .into_iter()
        .find(|t| t["title"] == title)
        .unwrap_or_else(|| panic!("no '{title}' test in {a:?}"))
}

fn all_passed(a: &Answer) -> bool {
    let tests = tests_of(a);
    !tests.is_empty() && tests.iter().all(|t| t["status"] == "PASSED")
}

/// Approves the failing `Validate Certificate` test's certificate the support article's way.
async fn approve_certificate_like_the_article(api: &Api, connection: &str, tested: &Answer) {
    let cert = test_titled(tested, "Validate Certificate");
    assert_eq!(cert["status"], "FAILED", "{cert}");
    // An array: one entry per certificate of the presented chain (the sim presents one).
    let chain = cert["details"].as_array().cloned().unwrap_or_default();
    assert_eq!(chain.len(), 1, "{cert}");
    let hash = chain[0]["hash"].as_str().unwrap_or_default().to_string();
    let encoded = chain[0]["encoded_cert"].as_str().unwrap_or_default();
    // db-7.example.com presents a hash with both characters that break paths (certs.rs).
    assert!(hash.contains('/') && hash.contains('+'), "{hash}");
    let body = format!(
        r#"{{"connector_id": "{connection}", "hash": "{hash}", "encoded_cert": "{encoded}"}}"#
    );
    let a = curl(api, "POST", "/certificates", Headers::Json, Some(&body)).await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert!(!a.message().is_empty());
    assert!(a.body.get("data").is_none(), "message only: {a:?}");
}

/// The connection the tutorial creates, its body as text (the port travels as text).
fn connection_body(group: &str, link: Option<&str>, schema_prefix: &str, tunnel: bool) -> String {
    let networking = link.map_or(String::new(), |l| {
        format!(r#""networking_method": "PrivateLink","private_link_id": "{l}","#)
    });
    let tunnel = if tunnel {
        r#","tunnel_host": "bastion.example.com","tunnel_port": "22","tunnel_user": "fivetran""#
    } else {
        ""
    };
    heredoc(&[
        "{",
        &format!(r#""group_id": "{group}","#),
        r#""service": "postgres_rds","#,
        r#""paused": true,"#,
        r#""run_setup_tests": false,"#,
        &networking,
        r#""config": {"#,
        &format!(r#""schema_prefix": "{schema_prefix}","#),
        &format!(r#""host": "{HOST}","#),
        r#""port": "5432","#,
        r#""database": "app","#,
        r#""user": "fivetran","#,
        &format!(r#""password": "change-me"{tunnel}"#),
        "}",
        "}",
    ])
}

#[tokio::test]
async fn the_tutorial_and_the_certificate_article_requests_work() {
    let mut config = SimConfig::instant();
    // The link stays CREATING for three detail reads, so the poll loop sees it provisioning.
    config.knobs.polls_until_ready = 3;
    let api = Api::start(config);
    let group = api.sim.group_id().to_string();

    // Tutorial "Create Private Link": the heredoc with the tutorial's variables filled.
    let body = heredoc(&[
        "{",
        r#""name": "pl-source-aws-prod","#,
        r#""region": "AWS_US_EAST_1","#,
        r#""service": "SOURCE_AWS","#,
        r#""config": {"#,
        &format!(r#""connection_service_name": "{SERVICE_NAME}""#),
        "}",
        "}",
    ]);
    let a = curl(&api, "POST", "/private-links", Headers::Json, Some(&body)).await;
    assert_eq!((a.status, a.code()), (201, "Success"), "{a:?}");
    assert_eq!(a.data()["name"], "pl-source-aws-prod");
    assert_eq!(a.data()["state"], "CREATING");
    assert_eq!(a.data()["config"]["connection_service_name"], SERVICE_NAME);
    let link = a.data()["id"].as_str().unwrap_or_default().to_string();

    // Poll until OK (bounded).
    let mut seen = Vec::new();
    for _ in 0..50 {
        let a = curl(
            &api,
            "GET",
            &format!("/private-links/{link}"),
            Headers::AcceptAndAuth,
            None,
        )
        .await;
        assert_eq!(a.status, 200, "{a:?}");
        let state = a.data()["state"].as_str().unwrap_or_default().to_string();
        seen.push(state.clone());
        if state == "OK" {
            break;
        }
        assert_ne!(state, "FAIL", "{a:?}");
    }
    assert_eq!(seen, ["CREATING", "CREATING", "CREATING", "OK"]);

    // Create a paused connection that uses it.
    let body = connection_body(&group, Some(&link), "postgres_rds_via_pl", false);
    let a = curl(&api, "POST", "/connections", Headers::Json, Some(&body)).await;
    assert_eq!((a.status, a.code()), (201, "Success"), "{a:?}");
    let d = a.data();
    assert_eq!(d["paused"], true);
    assert_eq!(d["private_link_id"], link.as_str());
    // Official provider issue #408; spec port type integer.
    assert_eq!(d["networking_method"], "UnmanagedPrivateLink");
    assert_eq!(d["config"]["port"], Value::from(5432));
    assert_eq!(d["config"]["password"], "******");
    assert_eq!(d["status"]["setup_state"], "incomplete");
    assert!(d.get("setup_tests").is_none(), "run_setup_tests was false");
    let conn = d["id"].as_str().unwrap_or_default().to_string();

    // Run the setup tests: the JSON headers and no body at all.
    let test_path = format!("/connections/{conn}/test");
    let a = curl(&api, "POST", &test_path, Headers::Json, None).await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert_eq!(
        test_titled(&a, "Connecting to Private Link")["status"],
        "PASSED"
    );
    // Second seed: approve the reported certificate, re-run: passes.
    approve_certificate_like_the_article(&api, &conn, &a).await;
    let a = curl(&api, "POST", &test_path, Headers::Json, None).await;
    assert!(all_passed(&a), "{a:?}");
    assert_eq!(a.data()["status"]["setup_state"], "connected");

    // Unpause after the tests pass.
    let a = curl(
        &api,
        "PATCH",
        &format!("/connections/{conn}"),
        Headers::Json,
        Some(r#"{"paused": false}"#),
    )
    .await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert_eq!(a.data()["paused"], false);
    assert_eq!(a.data()["status"]["sync_state"], "scheduled");

    // The article's SSH-tunnel connection: the fingerprint first, then the certificate.
    let body = connection_body(&group, None, "postgres_rds_via_ssh", true);
    let a = curl(&api, "POST", "/connections", Headers::Json, Some(&body)).await;
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.data()["config"]["tunnel_port"], Value::from(22));
    let ssh = a.data()["id"].as_str().unwrap_or_default().to_string();
    let ssh_test_path = format!("/connections/{ssh}/test");
    let a = curl(&api, "POST", &ssh_test_path, Headers::Json, None).await;
    assert_eq!(a.status, 200, "{a:?}");
    let t = test_titled(&a, "SSH Tunnel Connection");
    assert_eq!(t["status"], "FAILED", "{t}");
    assert!(t["details"].is_object(), "an object: {t}");
    let hash = t["details"]["hash"].as_str().unwrap_or_default();
    let key = t["details"]["public_key"].as_str().unwrap_or_default();
    assert!(key.starts_with("ssh-"), "{t}");
    let body = format!(r#"{{"connector_id": "{ssh}", "hash": "{hash}", "public_key": "{key}"}}"#);
    let a = curl(&api, "POST", "/fingerprints", Headers::Json, Some(&body)).await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert!(a.body.get("data").is_none(), "message only: {a:?}");
    let a = curl(&api, "POST", &ssh_test_path, Headers::Json, None).await;
    assert_eq!(test_titled(&a, "SSH Tunnel Connection")["status"], "PASSED");
    approve_certificate_like_the_article(&api, &ssh, &a).await;
    let a = curl(&api, "POST", &ssh_test_path, Headers::Json, None).await;
    assert!(all_passed(&a), "{a:?}");
    assert_eq!(a.data()["status"]["setup_state"], "connected");

    // Every request above reached the simulator as sent: none was refused for its body.
    let refused: Vec<_> = api
        .admin()
        .requests()
        .into_iter()
        .filter(|r| r.status == 400 || r.status == 415)
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}
