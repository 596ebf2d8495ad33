//! Certificates and fingerprints of connections and destinations, and the top-level
//! approve endpoints.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use fivetran_sim::{presented_certificate, presented_host_key};
use serde_json::{json, Value};

use crate::common::{enc, Api};

/// Spec `#/components/schemas/CertificateDetailsResponse/properties/id`: Base64URL of the hash.
fn b64url(hash: &str) -> String {
    URL_SAFE_NO_PAD.encode(hash.as_bytes())
}

async fn connection(api: &Api) -> String {
    let body = json!({"group_id": api.sim.group_id(), "service": "postgres", "paused": true,
        "run_setup_tests": false, "config": {"schema_prefix": "appr", "host": "db-7.example.com"}});
    let a = api.post("/connections", body).await;
    a.data()["id"].as_str().unwrap_or_default().to_string()
}

async fn exercise(api: &Api, parent: &str) {
    let cert = presented_certificate("db-7.example.com");
    let key = presented_host_key("bastion.example.com");
    let certs = format!("{parent}/certificates");
    let fps = format!("{parent}/fingerprints");

    assert_eq!(api.get(&certs).await.data()["items"], json!([]));
    let a = api
        .post(
            &certs,
            json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert}),
        )
        .await;
    // Fixture certificate_approve_201.json.
    assert_eq!((a.status, a.code()), (201, "Success"), "{a:?}");
    for k in [
        "id",
        "hash",
        "name",
        "type",
        "sha1",
        "sha256",
        "public_key",
        "validated_by",
        "validated_date",
    ] {
        assert!(a.data()[k].is_string(), "{k}");
    }
    assert_eq!(a.data()["name"], "CN=db-7.example.com");
    let cert_id = a.data()["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(cert_id, b64url(&cert.hash));
    assert!(
        cert.hash.contains('/') && !cert_id.contains(['/', '+', '=']),
        "{cert_id}"
    );
    let a = api.post(&certs, json!({"hash": "h"})).await;
    assert!(a.message().contains("'encoded_cert'"));
    let a = api
        .post(&certs, json!({"hash": "h", "encoded_cert": "***"}))
        .await;
    assert_eq!(a.status, 400);

    // Addressed by id only.
    let a = api.get(&format!("{certs}/{cert_id}")).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["sha256"], cert.sha256.as_str());
    assert_eq!(a.data()["id"], cert_id.as_str());
    // A raw hash is not an id: with its '/' percent-encoded it is refused before routing
    // (Tomcat-like), and a raw hash without '/' is just an unknown id.
    let a = api.get(&format!("{certs}/{}", enc(&cert.hash))).await;
    assert_eq!((a.status, a.code()), (400, "InvalidInput"), "{a:?}");
    assert_eq!(
        a.message(),
        "Encoded '/' or '\\' in the request path is not allowed"
    );
    let a = api
        .get(&format!("{certs}/{}", cert.hash.replace('/', "%2f")))
        .await;
    assert_eq!(a.status, 400, "lower-case escape too: {a:?}");
    let a = api.get(&format!("{certs}/a%5Cb")).await;
    assert_eq!(a.status, 400, "encoded backslash: {a:?}");
    let plain = presented_certificate("db.example.com");
    let a = api
        .post(
            &certs,
            json!({"hash": "plainhash", "encoded_cert": plain.encoded_cert}),
        )
        .await;
    assert_eq!(a.status, 201);
    let a = api.get(&format!("{certs}/plainhash")).await;
    assert_eq!(
        (a.status, a.code()),
        (404, "NotFound"),
        "a valid-text raw hash is not accepted: {a:?}"
    );
    let a = api.get(&format!("{certs}/{}", b64url("plainhash"))).await;
    assert_eq!(a.status, 200);
    let a = api
        .delete(&format!("{certs}/{}", b64url("plainhash")))
        .await;
    assert_eq!(a.status, 200);
    let a = api
        .get(&format!("{certs}/{}", b64url("unknown/hash+")))
        .await;
    assert_eq!((a.status, a.code()), (404, "NotFound"));

    let a = api
        .post(
            &fps,
            json!({"hash": key.hash, "public_key": key.public_key}),
        )
        .await;
    // Fixture fingerprint_approve_201.json.
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.data()["public_key"], key.public_key.as_str());
    let fp_id = a.data()["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(fp_id, b64url(&key.hash));
    let a = api.post(&fps, json!({"public_key": "k"})).await;
    assert!(a.message().contains("'hash'"));
    let list = api.get(&fps).await;
    assert_eq!(list.data()["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list.data()["items"][0]["id"], fp_id.as_str());
    let a = api.get(&format!("{fps}/{fp_id}")).await;
    assert_eq!(a.data()["hash"], key.hash.as_str());

    let a = api.delete(&format!("{fps}/{fp_id}")).await;
    assert_eq!(a.status, 200);
    let a = api.delete(&format!("{fps}/{fp_id}")).await;
    assert_eq!((a.status, a.code()), (404, "NotFound"));
    let a = api.delete(&format!("{certs}/{cert_id}")).await;
    assert_eq!(a.status, 200);
    assert_eq!(api.get(&certs).await.data()["items"], json!([]));
}

#[tokio::test]
async fn connection_approvals_round_trip() {
    let api = Api::instant();
    let id = connection(&api).await;
    exercise(&api, &format!("/connections/{id}")).await;
    let a = api.get("/connections/missing/certificates").await;
    assert_eq!((a.status, a.code()), (404, "NotFound"));
    let a = api
        .post(
            "/connections/missing/fingerprints",
            json!({"hash": "h", "public_key": "k"}),
        )
        .await;
    assert_eq!((a.status, a.code()), (404, "NotFound"));
}

#[tokio::test]
async fn destination_approvals_round_trip() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    exercise(&api, &format!("/destinations/{g}")).await;
    assert_eq!(
        api.get("/destinations/missing/fingerprints").await.code(),
        "NotFound"
    );
}

#[tokio::test]
async fn top_level_approve_endpoints_name_the_parent_in_the_body() {
    let api = Api::instant();
    let id = connection(&api).await;
    let g = api.sim.group_id().to_string();
    let cert = presented_certificate("db-7.example.com");
    let a = api
        .post(
            "/certificates",
            json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert, "connection_id": id}),
        )
        .await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert!(a.body.get("data").is_none());
    let a = api
        .post(
            "/certificates",
            json!({"hash": "x", "encoded_cert": cert.encoded_cert, "connector_id": id}),
        )
        .await;
    assert_eq!(a.status, 200);
    let a = api
        .post(
            "/certificates",
            json!({"hash": "y", "encoded_cert": cert.encoded_cert, "destination_id": g}),
        )
        .await;
    assert_eq!(a.status, 200);
    let a = api
        .post(
            "/certificates",
            json!({"hash": "z", "encoded_cert": cert.encoded_cert}),
        )
        .await;
    assert_eq!(a.status, 400);
    let a = api.post("/certificates", json!({"hash": "z", "encoded_cert": cert.encoded_cert, "connection_id": id, "destination_id": g})).await;
    assert_eq!(a.status, 400);
    let a = api
        .post(
            "/fingerprints",
            json!({"hash": "f", "public_key": "ssh-ed25519 AAAA", "connection_id": id}),
        )
        .await;
    assert_eq!(a.status, 200);
    let a = api
        .post(
            "/fingerprints",
            json!({"hash": "f", "public_key": "k", "connection_id": "missing"}),
        )
        .await;
    assert_eq!((a.status, a.code()), (404, "NotFound"));

    let certs = api.get(&format!("/connections/{id}/certificates")).await;
    let hashes: Vec<Value> = certs.data()["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["hash"].clone())
        .collect();
    assert_eq!(hashes, vec![json!(cert.hash), json!("x")]);
    // Path endpoints take the parent from the path only.
    let a = api
        .post(
            &format!("/connections/{id}/certificates"),
            json!({"hash": "q", "encoded_cert": cert.encoded_cert, "connection_id": id}),
        )
        .await;
    assert_eq!(a.status, 400);
    // Deleting the connection deletes its approvals.
    api.delete(&format!("/connections/{id}")).await;
    assert!(api
        .admin()
        .approved_certificates(fivetran_sim::ParentKind::Connection, &id)
        .is_empty());
}
