//! Certificates and fingerprints against the simulator, for connections and
//! destinations, with hashes holding `/` and `+`.

use fivetran_sim::{presented_certificate, presented_host_key, ParentKind, SimConfig};
use serde_json::json;

use super::super::test_support::{new_connection, op, start, start_with};
use super::super::{Error, SetupState, SetupTestStatus};
use super::Parent;
use crate::client::Connection;

/// The simulator documents this host's certificate hash as holding both `/` and `+`.
const HOST: &str = "db-7.example.com";

#[tokio::test]
async fn connection_certificates_from_a_failed_test_to_revocation() {
    let (sim, client) = start(SimConfig::instant());
    let op = op("approving certificates");
    let mut new = new_connection(sim.group_id(), "certs", json!({"host": HOST}));
    new.run_setup_tests = Some(true);
    let conn = client.create_connection(&op, &new).await.expect("created");
    let failed = conn
        .setup_tests
        .iter()
        .find(|t| t.status == SetupTestStatus::Failed)
        .expect("a failed test");
    // A certificate failure's details are an array of objects (fixture
    // connection_setup_tests_200.json).
    let presented = &failed.details[0];
    let hash = presented["hash"]
        .as_str()
        .expect("hash in details")
        .to_string();
    let encoded = presented["encoded_cert"]
        .as_str()
        .expect("cert in details")
        .to_string();
    assert!(hash.contains('/') && hash.contains('+'), "{hash}");

    let parent = Parent::Connection(conn.id.clone());
    let approved = client
        .approve_certificate(&op, &parent, &hash, &encoded)
        .await
        .expect("approved");
    assert_eq!(approved.hash, hash);
    assert_eq!(approved.kind.as_deref(), Some("TLS"));
    assert_eq!(approved.name.as_deref(), Some("CN=db-7.example.com"));
    assert!(approved.validated_by.is_some() && approved.validated_date.is_some());
    // Approving again is harmless (which is why the client may re-send it).
    client
        .approve_certificate(&op, &parent, &hash, &encoded)
        .await
        .expect("approved again");

    let read = client
        .certificate(&op, &parent, &hash)
        .await
        .expect("details");
    assert_eq!(read.sha256, approved.sha256);
    let all = client.certificates(&op, &parent).await.expect("list");
    assert_eq!(
        all.iter().map(|c| c.hash.as_str()).collect::<Vec<_>>(),
        [hash.as_str()]
    );
    let tested = client
        .run_setup_tests::<Connection>(&op, &conn.id, None, None)
        .await
        .expect("tests");
    assert_eq!(tested.status.setup_state, Some(SetupState::Connected));

    client
        .revoke_certificate(&op, &parent, &hash)
        .await
        .expect("revoked");
    assert!(sim
        .admin()
        .approved_certificates(ParentKind::Connection, &conn.id)
        .is_empty());
    let gone = client.certificate(&op, &parent, &hash).await;
    assert!(gone.as_ref().is_err_and(Error::is_not_found), "{gone:?}");
}

#[tokio::test]
async fn connection_fingerprints() {
    let (sim, client) = start(SimConfig::instant());
    let op = op("approving fingerprints");
    let tunnel = "bastion.example.com";
    let new = new_connection(sim.group_id(), "tunnelled", json!({"tunnel_host": tunnel}));
    let conn = client.create_connection(&op, &new).await.expect("created");
    let key = presented_host_key(tunnel);
    let parent = Parent::Connection(conn.id.clone());
    let fp = client
        .approve_fingerprint(&op, &parent, &key.hash, &key.public_key)
        .await
        .expect("approved");
    assert_eq!(
        (fp.hash.as_str(), fp.public_key.as_deref()),
        (key.hash.as_str(), Some(key.public_key.as_str()))
    );
    let read = client
        .fingerprint(&op, &parent, &key.hash)
        .await
        .expect("details");
    assert_eq!(read.hash, key.hash);
    assert_eq!(
        client.fingerprints(&op, &parent).await.expect("list").len(),
        1
    );
    let tested = client
        .run_setup_tests::<Connection>(&op, &conn.id, None, None)
        .await
        .expect("tests");
    assert_eq!(tested.status.setup_state, Some(SetupState::Connected));
    client
        .revoke_fingerprint(&op, &parent, &key.hash)
        .await
        .expect("revoked");
    assert!(sim
        .admin()
        .approved_fingerprints(ParentKind::Connection, &conn.id)
        .is_empty());
    let gone = client.revoke_fingerprint(&op, &parent, &key.hash).await;
    assert!(gone.as_ref().is_err_and(Error::is_not_found), "{gone:?}");
}

#[tokio::test]
async fn destination_approvals_are_listed_across_pages() {
    let (sim, client) = start_with(SimConfig::instant(), |c| c.page_size = 1);
    let op = op("approving destination certificates");
    let parent = Parent::Destination(sim.group_id().to_string());
    let hosts = [HOST, "a.example.com", "b.example.com"];
    for host in hosts {
        let cert = presented_certificate(host);
        client
            .approve_certificate(&op, &parent, &cert.hash, &cert.encoded_cert)
            .await
            .expect("approved");
        let key = presented_host_key(host);
        client
            .approve_fingerprint(&op, &parent, &key.hash, &key.public_key)
            .await
            .expect("approved");
    }
    let mut certs: Vec<String> = client
        .certificates(&op, &parent)
        .await
        .expect("list")
        .into_iter()
        .map(|c| c.hash)
        .collect();
    let mut expected: Vec<String> = hosts
        .iter()
        .map(|h| presented_certificate(h).hash)
        .collect();
    certs.sort();
    expected.sort();
    assert_eq!(certs, expected);
    assert_eq!(
        client.fingerprints(&op, &parent).await.expect("list").len(),
        3
    );
    let hash = presented_certificate(HOST).hash;
    assert_eq!(
        client
            .certificate(&op, &parent, &hash)
            .await
            .expect("details")
            .hash,
        hash
    );
    client
        .revoke_certificate(&op, &parent, &hash)
        .await
        .expect("revoked");
    assert_eq!(
        sim.admin()
            .approved_certificates(ParentKind::Destination, sim.group_id())
            .len(),
        2
    );
    let missing = client
        .certificates(&op, &Parent::Destination("nope".into()))
        .await;
    assert!(
        missing.as_ref().is_err_and(Error::is_not_found),
        "{missing:?}"
    );
}
