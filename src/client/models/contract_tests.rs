//! The request bodies the client sends, checked against the request schemas of the
//! official OpenAPI spec (skipped, with a message, when the spec file is absent).

use fivetran_sim::openapi::Spec;
use fivetran_sim::{presented_certificate, presented_host_key, SimConfig};
use serde_json::json;

use super::super::test_support::{new_connection, new_link, op, start_recording};
use super::super::{ConnectionUpdate, Parent};
use crate::client::Connection;

#[tokio::test]
async fn every_request_body_matches_the_spec() {
    let Some(spec) = Spec::load() else {
        eprintln!("skipped: the OpenAPI spec was not found (set FIVETRAN_OPENAPI_SPEC)");
        return;
    };
    let wrong = json!({"hash": 1});
    let template = "/v1/connections/{connectionId}/certificates";
    assert!(
        spec.validate_request("POST", template, &wrong).is_err(),
        "the validator is live"
    );
    let (sim, client, received) = start_recording(SimConfig::instant()).await;
    let op = op("exercising every call");
    let link = client
        .create_private_link(&op, &new_link("pl"))
        .await
        .expect("link");
    client.private_link(&op, &link.id).await.expect("settled");
    let config = [("connection_service_name".to_string(), "svc2".to_string())].into();
    client
        .update_private_link(&op, &link.id, &config)
        .await
        .expect("update link");

    let mut new = new_connection(
        sim.group_id(),
        "sales",
        json!({"host": "db-7.example.com", "port": 5432}),
    );
    new.auth = Some(serde_json::Map::from_iter([(
        "client_secret".to_string(),
        json!("s"),
    )]));
    new.trust_certificates = Some(false);
    new.trust_fingerprints = Some(false);
    new.sync_frequency = Some(60);
    new.schedule_type = Some("auto".into());
    new.daily_sync_time = Some("03:00".into());
    new.data_delay_sensitivity = Some("NORMAL".into());
    new.networking_method = Some("PrivateLink".into());
    new.private_link_id = Some(link.id.clone());
    new.pause_after_trial = Some(false);
    let conn = client
        .create_connection(&op, &new)
        .await
        .expect("connection");
    let update = ConnectionUpdate {
        config: Some(serde_json::Map::from_iter([(
            "port".to_string(),
            json!(5433),
        )])),
        paused: Some(true),
        run_setup_tests: Some(false),
        sync_frequency: Some(120),
        ..ConnectionUpdate::default()
    };
    client
        .update_connection(&op, &conn.id, &update)
        .await
        .expect("update connection");
    client
        .run_setup_tests::<Connection>(&op, &conn.id, Some(true), Some(true))
        .await
        .expect("tests");
    client
        .run_setup_tests::<Connection>(&op, &conn.id, None, None)
        .await
        .expect("tests, empty body");
    for parent in [
        Parent::Connection(conn.id.clone()),
        Parent::Destination(sim.group_id().into()),
    ] {
        let cert = presented_certificate("a.example.com");
        client
            .approve_certificate(&op, &parent, &cert.hash, &cert.encoded_cert)
            .await
            .expect("cert");
        let key = presented_host_key("a.example.com");
        client
            .approve_fingerprint(&op, &parent, &key.hash, &key.public_key)
            .await
            .expect("fp");
    }

    let sent = received.lock().expect("the record").clone();
    let with_body: Vec<_> = sent.iter().filter(|s| s.body.is_some()).collect();
    assert_eq!(with_body.len(), 10, "{sent:?}");
    for s in with_body {
        let body = s.body.clone().unwrap_or_default();
        let checked = spec.validate_request(&s.method, &s.template, &body);
        assert!(
            checked.is_ok(),
            "{} {}: {:?}\n{body}",
            s.method,
            s.template,
            checked
        );
    }
    for s in sent.iter().filter(|s| s.body.is_none()) {
        assert!(
            spec.validate_request(&s.method, &s.template, &serde_json::Value::Null)
                .is_ok(),
            "{s:?}"
        );
    }
}
