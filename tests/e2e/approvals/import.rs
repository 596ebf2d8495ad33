//! Import of approvals by `terraform import` and by `import` blocks, with a hash holding
//! both `/` and `+` (the certificate of `db-7.example.com`), in the explicit and pin forms.

use fivetran_sim::{presented_certificate, presented_host_key, ParentKind};
use serde_json::json;

use super::{api, approve_elsewhere, assert_empty_plan, colon_upper, connection, sim};
use crate::harness::Workspace;

fn encoded(hash: &str) -> String {
    hash.replace('%', "%25")
        .replace('/', "%2F")
        .replace('+', "%2B")
}

#[test]
fn terraform_import_and_import_blocks_plan_clean_with_slash_and_plus_in_the_hash() {
    let sim = sim();
    let conn = connection(&sim, "imported", json!({"host": "db-7.example.com"}));
    approve_elsewhere(&sim, &conn, "db-7.example.com");
    let cert = presented_certificate("db-7.example.com");
    assert!(cert.hash.contains('/') && cert.hash.contains('+'));
    let id = format!("{conn}/{}", encoded(&cert.hash));

    // `terraform import`, explicit form (encoded_cert is write-only: nothing to compare).
    let explicit = format!(
        r#"
resource "fivetran_connection_certificate" "db" {{
  connection_id = "{conn}"
  hash          = "{}"
  encoded_cert  = "{}"
}}
"#,
        cert.hash, cert.encoded_cert
    );
    let by_cli = Workspace::with_sim(&sim, &explicit);
    by_cli
        .terraform(&[
            "import",
            "-input=false",
            "fivetran_connection_certificate.db",
            &id,
        ])
        .assert_success();
    let attrs = &by_cli.resource("fivetran_connection_certificate.db")["attributes"];
    assert_eq!(attrs["id"], id.as_str());
    assert_eq!(attrs["hash"], cert.hash.as_str());
    assert_eq!(attrs["sha256"], cert.sha256.as_str());
    assert_empty_plan(&by_cli);

    // An `import` block, pin form written with colons in upper case.
    let by_block = Workspace::with_sim(
        &sim,
        &format!(
            r#"
import {{
  to = fivetran_connection_certificate.db
  id = "{id}"
}}

resource "fivetran_connection_certificate" "db" {{
  connection_id = "{conn}"
  sha256        = "{}"
}}
"#,
            colon_upper(&cert.sha256)
        ),
    );
    let plan = by_block.plan();
    assert!(
        plan.stdout
            .contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.output()
    );
    by_block.apply().assert_success();
    assert_empty_plan(&by_block);
    assert_eq!(
        sim.admin()
            .approved_certificates(ParentKind::Connection, &conn),
        vec![cert.hash.clone()],
        "importing approves nothing more"
    );

    // A raw `/` and `+` in the import id are accepted too.
    let raw = Workspace::with_sim(&sim, &explicit);
    raw.terraform(&[
        "import",
        "-input=false",
        "fivetran_connection_certificate.db",
        &format!("{conn}/{}", cert.hash),
    ])
    .assert_success();
    assert_eq!(
        raw.resource("fivetran_connection_certificate.db")["attributes"]["id"],
        id.as_str()
    );
    assert_empty_plan(&raw);
}

#[test]
fn fingerprints_and_destination_approvals_import_clean() {
    let sim = sim();
    let g = sim.group_id().to_string();
    let conn = connection(
        &sim,
        "imported_fp",
        json!({"host": "db.example.com", "tunnel_host": "bastion.example.com"}),
    );
    let key = presented_host_key("bastion.example.com");
    let cert = presented_certificate("db-7.example.com");
    for (path, body) in [
        (
            format!("/connections/{conn}/fingerprints"),
            json!({"hash": key.hash, "public_key": key.public_key}),
        ),
        (
            format!("/destinations/{g}/certificates"),
            json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert}),
        ),
    ] {
        let a = api(&sim, "POST", &path, Some(body));
        assert_eq!(a["code"], "Success", "{a}");
    }
    let ws = Workspace::with_sim(
        &sim,
        &format!(
            r#"
import {{
  to = fivetran_connection_fingerprint.bastion
  id = "{conn}/{key_id}"
}}

import {{
  to = fivetran_destination_certificate.warehouse
  id = "{g}/{cert_id}"
}}

resource "fivetran_connection_fingerprint" "bastion" {{
  connection_id = "{conn}"
  public_key    = "{public_key} ops@bastion"
}}

resource "fivetran_destination_certificate" "warehouse" {{
  destination_id = "{g}"
  sha256         = "{sha256}"
}}
"#,
            key_id = encoded(&key.hash),
            cert_id = encoded(&cert.hash),
            public_key = key.public_key,
            sha256 = cert.sha256,
        ),
    );
    let plan = ws.plan();
    assert!(
        plan.stdout
            .contains("2 to import, 0 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.output()
    );
    ws.apply().assert_success();
    assert_empty_plan(&ws);
    ws.destroy().assert_success();
    assert!(sim
        .admin()
        .approved_fingerprints(ParentKind::Connection, &conn)
        .is_empty());
    assert!(sim
        .admin()
        .approved_certificates(ParentKind::Destination, &g)
        .is_empty());
}

#[test]
fn generated_configuration_reduced_to_the_pin_plans_clean() {
    let sim = sim();
    let conn = connection(&sim, "generated", json!({"host": "db-7.example.com"}));
    approve_elsewhere(&sim, &conn, "db-7.example.com");
    let cert = presented_certificate("db-7.example.com");
    let ws = Workspace::with_sim(
        &sim,
        &format!(
            "import {{\n  to = fivetran_connection_certificate.db\n  id = \"{conn}/{}\"\n}}\n",
            encoded(&cert.hash)
        ),
    );
    let run = ws.terraform(&["plan", "-input=false", "-generate-config-out=generated.tf"]);
    run.assert_failure();
    let out = super::folded(&run.output());
    assert!(
        out.contains("keep `sha256` and remove `hash`, `sha1` and `encoded_cert`"),
        "{out}"
    );
    // Follow the advice: the generated file keeps only the pin.
    let generated = std::fs::read_to_string(ws.dir().join("generated.tf")).expect("generated");
    let reduced: Vec<&str> = generated
        .lines()
        .filter(|l| {
            !["hash ", "sha1 ", "encoded_cert "]
                .iter()
                .any(|a| l.trim_start().starts_with(a))
        })
        .collect();
    ws.write("generated.tf", &reduced.join("\n"));
    ws.apply().assert_success();
    assert_empty_plan(&ws);
}
