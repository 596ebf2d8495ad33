//! One call end to end: headers and path encoding, every error kind, deadlines and
//! cancellation (against the simulator, or a canned server for answers it never gives).

use std::time::Duration;

use fivetran_sim::{DurationRange, SimConfig};
use tokio_util::sync::CancellationToken;

use super::super::test_support::{
    config_for, new_link, op, response, start, timed, wait_for, Canned,
};
use super::super::{Client, Error, Op, Parent};
use super::*;

#[test]
fn path_parameters_are_percent_encoded() {
    let call = Call::get(
        "/connections/{connectionId}/certificates/{hash}",
        &["c 1", "ab/c+d=%"],
    );
    assert_eq!(
        call.path(),
        "/connections/c%201/certificates/ab%2Fc%2Bd%3D%25"
    );
    assert_eq!(encode_segment("decent_dropsy-1.x~"), "decent_dropsy-1.x~");
}

#[test]
fn decode_errors_never_quote_values() {
    let e = serde_json::from_str::<u32>("\"hunter2\"").err();
    let text = e.map(|e| describe_decode_error(&e)).unwrap_or_default();
    assert!(!text.contains("hunter2"), "{text}");
    let e = serde_json::from_str::<super::super::Group>("{}").err();
    let text = e.map(|e| describe_decode_error(&e)).unwrap_or_default();
    assert!(text.contains("missing field `id`"), "{text}");
}

const OK_LINK: &str = r#"{"code":"Success","data":{"id":"c1","group_id":"g","service":"postgres","schema":"s","paused":true,"status":{"setup_state":"incomplete"}}}"#;

#[tokio::test]
async fn requests_carry_auth_user_agent_accept_and_encoded_paths() {
    let canned = Canned::spawn(vec![
        response("200 OK", &[], OK_LINK),
        response(
            "200 OK",
            &[],
            r#"{"code":"Success","data":{"hash":"a/b+c"}}"#,
        ),
    ])
    .await;
    let client = canned.client();
    let op = op("reading");
    client.connection(&op, "c1").await.expect("details");
    let parent = Parent::Connection("c1".into());
    client
        .approve_certificate(&op, &parent, "a/b+c", "ZW5jb2RlZA==")
        .await
        .expect("approved");
    let requests = canned.requests();
    let get = requests[0].to_ascii_lowercase();
    assert!(get.starts_with("get /v1/connections/c1 http/1.1"), "{get}");
    assert!(
        get.contains("authorization: basic a2v5onnly3jlda=="),
        "{get}"
    );
    assert!(get.contains("user-agent: client-tests/1.0"), "{get}");
    assert!(get.contains("accept: application/json;version=2"), "{get}");
    let post = &requests[1];
    assert!(
        post.starts_with("POST /v1/connections/c1/certificates HTTP/1.1"),
        "{post}"
    );
    assert!(
        post.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{post}"
    );
    assert!(
        post.ends_with(r#"{"hash":"a/b+c","encoded_cert":"ZW5jb2RlZA=="}"#),
        "{post}"
    );

    // An approval is revoked by the id the API gave it, never by its raw hash; an answer
    // without an id (as the SDK's recorded ones) falls back to the spec's Base64URL form.
    for (item, expected) in [
        (r#"{"id":"given-id","hash":"a/b+c"}"#, "given-id"),
        (r#"{"hash":"a/b+c"}"#, "YS9iK2M"),
    ] {
        let list =
            format!(r#"{{"code":"Success","data":{{"items":[{item}],"next_cursor":null}}}}"#);
        let canned = Canned::spawn(vec![
            response("200 OK", &[], &list),
            response("200 OK", &[], r#"{"code":"Success","message":"revoked"}"#),
        ])
        .await;
        canned
            .client()
            .revoke_certificate(&op, &parent, "a/b+c")
            .await
            .expect("revoked");
        let lines: Vec<String> = canned
            .requests()
            .iter()
            .map(|r| r.lines().next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "GET /v1/connections/c1/certificates?limit=1000 HTTP/1.1".to_string(),
                format!("DELETE /v1/connections/c1/certificates/{expected} HTTP/1.1"),
            ]
        );
    }
}

#[tokio::test]
async fn unauthorized_and_missing_credentials() {
    let (sim, _) = start(SimConfig::instant());
    let wrong =
        Client::new(config_for(&sim.base_url(), sim.api_key(), "not-the-secret")).expect("client");
    let err = wrong
        .group(&op("reading group"), sim.group_id())
        .await
        .expect_err("401");
    assert!(
        matches!(err, Error::Unauthorized { .. }) && err.status() == Some(401),
        "{err:?}"
    );
    assert!(
        !err.to_string().contains("not-the-secret")
            && !format!("{err:?}").contains("not-the-secret")
    );

    let mut config = config_for(&sim.base_url(), sim.api_key(), sim.api_secret());
    config.api_secret = None;
    assert!(!format!("{config:?}").contains(sim.api_secret()));
    let none = Client::new(config).expect("client");
    sim.admin().reset_counters();
    let err = none
        .group(&op("reading group"), sim.group_id())
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::MissingCredentials { .. }), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("no Fivetran API key and secret were configured"),
        "{err}"
    );
    assert_eq!(sim.admin().counters().total, 0);
}

#[tokio::test]
async fn forbidden_decode_and_server_errors() {
    let canned = Canned::spawn(vec![
        response(
            "403 Forbidden",
            &[],
            r#"{"code":"Forbidden","message":"No permission"}"#,
        ),
        response("200 OK", &[], "<html>not json</html>"),
        response("200 OK", &[], r#"{"code":"Success","data":{"id":7}}"#),
    ])
    .await;
    let client = canned.client();
    let op = op("reading group \"g\"");
    let err = client.group(&op, "g").await.expect_err("403");
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("reading group \"g\": HTTP 403 Forbidden: No permission"),
        "{err}"
    );
    let err = client.group(&op, "g").await.expect_err("not json");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let err = client.group(&op, "g").await.expect_err("wrong shape");
    assert!(
        matches!(err, Error::Decode { .. }) && !err.to_string().contains('7'),
        "{err}"
    );

    let html = "<html>502 Bad Gateway</html>";
    let canned = Canned::spawn(
        (0..6)
            .map(|_| response("502 Bad Gateway", &[], html))
            .collect(),
    )
    .await;
    let err = canned.client().group(&op, "g").await.expect_err("502");
    assert!(matches!(err, Error::Server { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("HTTP 502: Bad Gateway") && text.contains("gave up after 5 retries"),
        "{text}"
    );
    assert_eq!(canned.requests().len(), 6);
}

#[tokio::test]
async fn retry_after_as_an_http_date_past_the_deadline_fails_fast() {
    let canned = Canned::spawn(vec![response(
        "429 Too Many Requests",
        &["retry-after: Fri, 01 Jan 2100 00:00:00 GMT"],
        r#"{"code":"TooManyRequests","message":"No more than 5 private links per hour"}"#,
    )])
    .await;
    let op = Op::new(
        "creating private link \"pl\"",
        Duration::from_secs(30),
        CancellationToken::new(),
    );
    let (r, took) = timed(canned.client().create_private_link(&op, &new_link("pl"))).await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    match r {
        Err(Error::RateLimited {
            retry_after: Some(d),
            ctx,
        }) => {
            assert!(d > Duration::from_secs(86_400 * 365), "{d:?}");
            assert!(ctx.note.is_some_and(|n| n.contains("deadline")));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn refused_connections_are_retried_even_for_creates() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let client =
        Client::new(config_for(&format!("http://127.0.0.1:{port}/v1"), "k", "s")).expect("client");
    let err = client
        .create_private_link(&op("creating"), &new_link("pl"))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Transport {
                ambiguous: false,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("could not connect to the API: ") && text.contains("gave up after 5 retries"),
        "{text}"
    );
    assert_eq!((client.stats().requests, client.stats().retries), (6, 5));
}

#[tokio::test]
async fn deadline_and_request_timeout() {
    let mut config = SimConfig::instant();
    config.knobs.latency = DurationRange::fixed(Duration::from_secs(3));
    let (sim, client) = start(config);
    let short = Op::new(
        "reading group",
        Duration::from_millis(300),
        CancellationToken::new(),
    );
    let (r, took) = timed(client.group(&short, sim.group_id())).await;
    assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");

    let mut config = config_for(&sim.base_url(), sim.api_key(), sim.api_secret());
    config.request_timeout = Duration::from_millis(100);
    config.retry.max_retries = 1;
    let impatient = Client::new(config).expect("client");
    let err = impatient
        .group(&op("reading group"), sim.group_id())
        .await
        .expect_err("no answer");
    assert!(
        matches!(
            err,
            Error::Transport {
                ambiguous: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("no answer within 100ms"), "{err}");
    assert_eq!(impatient.stats().requests, 2);
}

#[tokio::test]
async fn cancellation_stops_a_request_in_flight() {
    let mut config = SimConfig::instant();
    config.knobs.latency = DurationRange::fixed(Duration::from_secs(5));
    let (sim, client) = start(config);
    let cancel = CancellationToken::new();
    let running = Op::new("reading group", Duration::from_secs(60), cancel.clone());
    let admin = sim.admin();
    let canceller = tokio::spawn(async move {
        wait_for("the request to arrive", || admin.counters().total >= 1).await;
        cancel.cancel();
    });
    let (r, took) = timed(client.group(&running, sim.group_id())).await;
    assert!(matches!(r, Err(Error::Cancelled { .. })), "{r:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    let _ = canceller.await;
    let before = op("reading group");
    before.cancel.cancel();
    let r = client.group(&before, sim.group_id()).await;
    assert!(matches!(r, Err(Error::Cancelled { .. })), "{r:?}");
}

#[tokio::test]
async fn a_redirect_to_another_origin_never_carries_the_credentials() {
    // Another port is another origin, as another host would be.
    let elsewhere = Canned::spawn(vec![response("200 OK", &[], OK_LINK)]).await;
    let location = format!("location: {}/connections/c1", elsewhere.base_url);
    let first = Canned::spawn(vec![response("302 Found", &[&location], "")]).await;
    let client = first.client();
    client
        .connection(&op("reading"), "c1")
        .await
        .expect("the redirect is followed");
    let asked = first.requests()[0].to_ascii_lowercase();
    assert!(asked.contains("authorization: basic"), "{asked}");
    let there = elsewhere.requests()[0].to_ascii_lowercase();
    assert!(there.starts_with("get /v1/connections/c1 "), "{there}");
    assert!(
        !there.contains("authorization"),
        "the credentials followed the redirect: {there}"
    );
}
