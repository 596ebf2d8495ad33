//! Destinations, fingerprints pinned by public key, the explicit `hash` forms, and the
//! list data sources.

use fivetran_sim::{presented_certificate, presented_host_key, ParentKind};
use serde_json::{json, Value};

use super::{api, approve_elsewhere, assert_empty_plan, connection, folded, sim, write_config};
use crate::harness::Workspace;

#[test]
fn destination_pins_for_a_tunnel_key_and_a_certificate_converge_in_one_apply() {
    let sim = sim();
    let g = sim.group_id().to_string();
    sim.admin()
        .set_destination_host(&g, "warehouse.example.com", Some("bastion.example.com"))
        .expect("destination");
    let key = presented_host_key("bastion.example.com");
    let cert = presented_certificate("warehouse.example.com");
    // No depends_on: the certificate pin waits while the host key check blocks it.
    let ws = Workspace::with_sim(
        &sim,
        &format!(
            r#"
resource "fivetran_destination_fingerprint" "bastion" {{
  destination_id = "{g}"
  public_key     = "{} ops@bastion"
}}

resource "fivetran_destination_certificate" "warehouse" {{
  destination_id = "{g}"
  sha256         = "{}"
}}
"#,
            key.public_key, cert.sha256
        ),
    );
    ws.apply().assert_success();
    let admin = sim.admin();
    assert_eq!(
        admin.approved_fingerprints(ParentKind::Destination, &g),
        vec![key.hash.clone()]
    );
    assert_eq!(
        admin.approved_certificates(ParentKind::Destination, &g),
        vec![cert.hash.clone()]
    );
    let fp = &ws.resource("fivetran_destination_fingerprint.bastion")["attributes"];
    assert_eq!(fp["hash"], key.hash.as_str());
    assert_empty_plan(&ws);
    let tested = api(
        &sim,
        "POST",
        &format!("/destinations/{g}/test"),
        Some(json!({})),
    );
    assert_eq!(tested["data"]["setup_status"], "CONNECTED", "{tested}");
    ws.destroy().assert_success();
    assert!(admin
        .approved_fingerprints(ParentKind::Destination, &g)
        .is_empty());
    assert!(admin
        .approved_certificates(ParentKind::Destination, &g)
        .is_empty());
}

#[test]
fn fingerprint_pins_compare_the_key_not_the_comment_and_a_wrong_key_lists_the_presented_one() {
    let sim = sim();
    let conn = connection(
        &sim,
        "tunnel",
        json!({"host": "db.example.com", "tunnel_host": "bastion.example.com"}),
    );
    let key = presented_host_key("bastion.example.com");
    let wrong = presented_host_key("elsewhere.example.com");
    let config = |public_key: &str| {
        format!(
            r#"
resource "fivetran_connection_fingerprint" "bastion" {{
  connection_id = "{conn}"
  public_key    = "{public_key}"
}}
"#
        )
    };
    let ws = Workspace::with_sim(&sim, &config(&wrong.public_key));
    let run = ws.apply();
    run.assert_failure();
    let out = folded(&run.output());
    assert!(out.contains("Pinned SSH Host Key Not Presented"), "{out}");
    assert!(
        out.contains(&key.public_key) && out.contains("bastion.example.com"),
        "{out}"
    );
    assert!(sim
        .admin()
        .approved_fingerprints(ParentKind::Connection, &conn)
        .is_empty());

    write_config(&ws, &config(&format!("{} root@bastion", key.public_key)));
    ws.apply().assert_success();
    assert_eq!(
        sim.admin()
            .approved_fingerprints(ParentKind::Connection, &conn),
        vec![key.hash.clone()]
    );
    assert!(
        sim.admin()
            .approved_certificates(ParentKind::Connection, &conn)
            .is_empty(),
        "a fingerprint approves no certificate"
    );
    assert_empty_plan(&ws);
    // Another comment is the same key: no change.
    write_config(&ws, &config(&format!("{} other comment", key.public_key)));
    assert_empty_plan(&ws);
    // Only `timeouts` can change in place.
    let with_timeouts =
        config(&key.public_key).replace("\n}", "\n  timeouts {\n    create = \"5m\"\n  }\n}");
    write_config(&ws, &with_timeouts);
    let plan = ws.plan();
    assert!(
        plan.stdout.contains("updated in-place"),
        "{}",
        plan.output()
    );
    ws.apply().assert_success();
    assert_empty_plan(&ws);
}

#[test]
fn explicit_hash_forms_converge_and_destroy_revokes_them() {
    let sim = sim();
    let g = sim.group_id().to_string();
    let conn = connection(&sim, "explicit", json!({"host": "db.example.com"}));
    let cert = presented_certificate("db.example.com");
    let key = presented_host_key("bastion.example.com");
    let pem_lines: Vec<String> = cert
        .encoded_cert
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let ws = Workspace::with_sim(
        &sim,
        &format!(
            r#"
resource "fivetran_connection_certificate" "db" {{
  connection_id = "{conn}"
  hash          = "{hash}"
  encoded_cert  = <<-PEM
    -----BEGIN CERTIFICATE-----
    {pem}
    -----END CERTIFICATE-----
  PEM
}}

resource "fivetran_connection_fingerprint" "bastion" {{
  connection_id = "{conn}"
  hash          = "{key_hash}"
  public_key    = "{public_key}"
}}

resource "fivetran_destination_certificate" "warehouse" {{
  destination_id = "{g}"
  hash           = "{hash}"
  encoded_cert   = "{encoded}"
}}
"#,
            hash = cert.hash,
            pem = pem_lines.join("\n    "),
            key_hash = key.hash,
            public_key = key.public_key,
            encoded = cert.encoded_cert,
        ),
    );
    ws.apply().assert_success();
    let admin = sim.admin();
    assert_eq!(
        admin.approved_certificates(ParentKind::Connection, &conn),
        vec![cert.hash.clone()]
    );
    assert_eq!(
        admin.approved_fingerprints(ParentKind::Connection, &conn),
        vec![key.hash.clone()]
    );
    assert_eq!(
        admin.approved_certificates(ParentKind::Destination, &g),
        vec![cert.hash.clone()]
    );
    let attrs = &ws.resource("fivetran_connection_certificate.db")["attributes"];
    assert_eq!(attrs["sha256"], cert.sha256.as_str());
    assert!(
        !ws.state_text().contains(&cert.encoded_cert[..40]),
        "encoded_cert is write-only: never in the state"
    );
    assert_empty_plan(&ws);
    ws.destroy().assert_success();
    assert!(admin
        .approved_certificates(ParentKind::Connection, &conn)
        .is_empty());
    assert!(admin
        .approved_fingerprints(ParentKind::Connection, &conn)
        .is_empty());
    assert!(admin
        .approved_certificates(ParentKind::Destination, &g)
        .is_empty());
}

#[test]
fn data_sources_list_every_approval_of_a_connection_and_a_destination() {
    let sim = sim();
    let g = sim.group_id().to_string();
    let conn = connection(&sim, "listed", json!({"host": "db.example.com"}));
    approve_elsewhere(&sim, &conn, "db.example.com");
    approve_elsewhere(&sim, &conn, "db-7.example.com");
    let key = presented_host_key("bastion.example.com");
    api(
        &sim,
        "POST",
        &format!("/destinations/{g}/fingerprints"),
        Some(json!({"hash": key.hash, "public_key": key.public_key})),
    );
    let ws = Workspace::with_sim(
        &sim,
        &format!(
            r#"
data "fivetran_connection_certificates" "c" {{ connection_id = "{conn}" }}
data "fivetran_connection_fingerprints" "c" {{ connection_id = "{conn}" }}
data "fivetran_destination_certificates" "d" {{ destination_id = "{g}" }}
data "fivetran_destination_fingerprints" "d" {{ destination_id = "{g}" }}

output "certificates" {{ value = data.fivetran_connection_certificates.c.certificates }}
output "connection_fingerprints" {{ value = data.fivetran_connection_fingerprints.c.fingerprints }}
output "destination_certificates" {{ value = data.fivetran_destination_certificates.d.certificates }}
output "fingerprints" {{ value = data.fivetran_destination_fingerprints.d.fingerprints }}
"#
        ),
    );
    ws.apply().assert_success();
    let out = ws.terraform(&["output", "-json"]);
    out.assert_success();
    let outputs: Value = serde_json::from_str(&out.stdout).expect("JSON outputs");
    let certs = &outputs["certificates"]["value"];
    let db7 = presented_certificate("db-7.example.com");
    assert_eq!(certs.as_array().map(Vec::len), Some(2), "{certs}");
    assert_eq!(certs[1]["hash"], db7.hash.as_str());
    assert_eq!(certs[1]["sha256"], db7.sha256.as_str());
    assert_eq!(
        certs[1]["id"],
        format!(
            "{conn}/{}",
            db7.hash.replace('/', "%2F").replace('+', "%2B")
        )
        .as_str()
    );
    assert_eq!(outputs["connection_fingerprints"]["value"], json!([]));
    assert_eq!(outputs["destination_certificates"]["value"], json!([]));
    assert_eq!(
        outputs["fingerprints"]["value"][0]["public_key"],
        key.public_key.as_str()
    );
}
