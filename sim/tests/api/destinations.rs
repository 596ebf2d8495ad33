//! `POST /v1/destinations/{id}/test`: the destination's host key and certificate checks,
//! trust, setup status, and the admin switch for what it presents.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use fivetran_sim::{presented_certificate, presented_host_key, ParentKind};
use serde_json::json;

use crate::common::Api;

fn titles_and_statuses(a: &crate::common::Answer) -> Vec<(String, String)> {
    a.data()["setup_tests"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["title"].as_str().unwrap_or_default().to_string(),
                t["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_certificate_test_fails_with_details_until_it_is_approved() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let cert = presented_certificate(&format!("{g}.snowflakecomputing.com"));
    let a = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert_eq!(a.data()["id"], g.as_str());
    assert_eq!(a.data()["setup_status"], "BROKEN");
    let tests = &a.data()["setup_tests"];
    let failed = tests
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["status"] == "FAILED")
        .cloned()
        .unwrap_or_default();
    assert_eq!(failed["title"], "Validate Certificate");
    // An array of the presented chain (fixture connection_setup_tests_200.json).
    assert_eq!(failed["details"].as_array().map(Vec::len), Some(1));
    assert_eq!(failed["details"][0]["hash"], cert.hash.as_str());
    assert_eq!(
        failed["details"][0]["encoded_cert"],
        cert.encoded_cert.as_str()
    );
    assert_eq!(failed["details"][0]["sha256"], cert.sha256.as_str());

    let a = api
        .post(
            &format!("/destinations/{g}/certificates"),
            json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert}),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let a = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    assert!(
        titles_and_statuses(&a).iter().all(|(_, s)| s == "PASSED"),
        "{a:?}"
    );
    assert_eq!(a.data()["setup_status"], "CONNECTED");
    assert_eq!(
        api.admin().destination_setup_status(&g).as_deref(),
        Some("CONNECTED")
    );
}

#[tokio::test]
async fn a_tunnel_host_key_is_checked_first_and_trust_approves_it() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    api.admin()
        .set_destination_host(&g, "db-7.example.com", Some("bastion.example.com"))
        .expect("destination exists");
    let key = presented_host_key("bastion.example.com");
    let cert = presented_certificate("db-7.example.com");
    let a = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    assert_eq!(
        titles_and_statuses(&a),
        vec![
            ("SSH Tunnel Connection".to_string(), "FAILED".to_string()),
            ("Connecting to Host".to_string(), "SKIPPED".to_string()),
            ("Validate Certificate".to_string(), "SKIPPED".to_string()),
            ("Validating Access".to_string(), "SKIPPED".to_string()),
        ]
    );
    assert_eq!(
        a.data()["setup_tests"][0]["details"]["public_key"],
        key.public_key.as_str()
    );
    assert_eq!(a.data()["config"]["tunnel_host"], "bastion.example.com");

    let a = api
        .post(
            &format!("/destinations/{g}/test"),
            json!({"trust_fingerprints": true, "trust_certificates": true}),
        )
        .await;
    assert_eq!(a.data()["setup_status"], "CONNECTED", "{a:?}");
    let admin = api.admin();
    assert_eq!(
        admin.approved_fingerprints(ParentKind::Destination, &g),
        vec![key.hash.clone()]
    );
    assert_eq!(
        admin.approved_certificates(ParentKind::Destination, &g),
        vec![cert.hash.clone()]
    );
    let a = api
        .get(&format!(
            "/destinations/{g}/certificates/{}",
            URL_SAFE_NO_PAD.encode(cert.hash.as_bytes())
        ))
        .await;
    assert_eq!(a.data()["sha256"], cert.sha256.as_str());
}

#[tokio::test]
async fn unknown_destinations_and_bad_bodies_are_refused() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let a = api.post("/destinations/missing/test", json!({})).await;
    assert_eq!((a.status, a.code()), (404, "NotFound_Destination"));
    let a = api
        .post(&format!("/destinations/{g}/test"), json!({"trust": true}))
        .await;
    assert_eq!(a.status, 400, "{a:?}");
    assert!(api
        .admin()
        .set_destination_host("missing", "h", None)
        .is_err());
    assert!(api.admin().set_destination_host(&g, " ", None).is_err());
}

#[tokio::test]
async fn the_admin_api_changes_what_a_destination_presents() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let r = api
        .client
        .patch(format!("{}/_sim/destinations/{g}", api.sim.root_url()))
        .json(&json!({"host": "db-7.example.com"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(r.status().as_u16(), 204);
    let a = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    let cert = presented_certificate("db-7.example.com");
    assert_eq!(
        a.data()["setup_tests"][1]["details"][0]["hash"],
        cert.hash.as_str(),
        "{a:?}"
    );
}
