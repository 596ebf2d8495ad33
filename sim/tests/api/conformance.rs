//! Conformance: drive every endpoint of the spec's relevant families and validate each
//! response body the simulator produced (and each request body this test sent) against
//! `../shared/api/fivetran-openapi.json`. Skips, saying so, when the spec is absent.

use std::collections::BTreeSet;

use fivetran_sim::openapi::Spec;
use fivetran_sim::{presented_certificate, presented_host_key};
use serde_json::{json, Value};

use crate::common::{Answer, Api};

struct Conform<'a> {
    api: &'a Api,
    spec: &'a Spec,
    problems: Vec<String>,
    covered: BTreeSet<String>,
}

impl Conform<'_> {
    /// Sends a request for the operation `method template` at `path` and validates both
    /// bodies. Returns the answer.
    async fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        if let Some(b) = &body {
            if let Err(e) = self.spec.validate_request(method, template, b) {
                self.problems
                    .push(format!("request {method} {template}: {e:?}"));
            }
        }
        let a = self
            .api
            .send(method, path.strip_prefix("/v1").unwrap_or(path), body)
            .await;
        let documented = documented_status(method, template, a.status);
        if let Err(e) = self
            .spec
            .validate_response(method, template, documented, &a.body)
            .or_else(|errs| {
                let rest: Vec<String> = errs
                    .into_iter()
                    .filter(|e| !known_deviation(template, e))
                    .collect();
                if rest.is_empty() {
                    Ok(())
                } else {
                    Err(rest)
                }
            })
        {
            self.problems.push(format!(
                "response {method} {template} ({}): {e:?}\n  body: {}",
                a.status, a.text
            ));
        }
        self.covered
            .insert(format!("{method} {template} {}", a.status));
        a
    }

    /// Like [`Conform::call`] for a request the spec itself refuses (to check the error
    /// answer): only the response is validated.
    async fn call_invalid(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Value,
    ) -> Answer {
        let spec = self.spec;
        let a = self
            .api
            .send(method, path.strip_prefix("/v1").unwrap_or(path), Some(body))
            .await;
        if let Err(e) = spec.validate_response(method, template, a.status, &a.body) {
            self.problems.push(format!(
                "response {method} {template} ({}): {e:?}",
                a.status
            ));
        }
        self.covered
            .insert(format!("{method} {template} {}", a.status));
        a
    }
}

/// Where the simulator follows recorded real-API behaviour that the spec does not document,
/// the status whose schema the body is checked against instead:
/// * `POST …/certificates` and `POST …/fingerprints` answer 201 with the approval in `data`
///   (fixtures `certificate_approve_201.json`, `fingerprint_approve_201.json`; go-fivetran
///   expects 201); the spec lists 200 for certificates, and for fingerprints a 201 schema
///   without the envelope; its 200 schema is the recorded shape.
fn documented_status(method: &str, template: &str, status: u16) -> u16 {
    let approve = template.ends_with("}/certificates") || template.ends_with("}/fingerprints");
    if method == "POST" && approve && status == 201 {
        200
    } else {
        status
    }
}

/// Validation errors where recorded real-API answers contradict the spec, and the simulator
/// follows the recording:
/// * a setup test's `details` is an array (fixture `connection_setup_tests_200.json`,
///   `connection_create_tfp_201.json`; the spec types it `object`);
/// * `GET /v1/private-links` items carry no `config` (fixture `private_link_list_200.json`;
///   the spec's item schema requires it);
/// * a connection's `succeeded_at`/`failed_at` are `null` before any sync (the spec's own
///   descriptions and fixture `connection_details_200.json`; the spec types them a
///   non-nullable string).
/// * destination configs answer numbers and booleans as text (README of
///   `destinations-groups`, behaviour 11 [e2e]: snowflake's port 443 answered `"443"`) and
///   `connection_type` in upper snake case (behaviour 13: `PRIVATE_LINK`, `DIRECTLY`); the
///   spec types them integer, boolean and `Directly`/`PrivateLink`…;
/// * a destination's `setup_status` is lower case (behaviour 9 [e2e]); the spec's enum is
///   upper case.
fn known_deviation(template: &str, error: &str) -> bool {
    if template.starts_with("/v1/destinations")
        && !template.contains("/certificates")
        && !template.contains("/fingerprints")
    {
        let in_config = error.contains(".config.");
        let text_typed = in_config
            && (error.contains(": expected integer, found string")
                || error.contains(": expected boolean, found string"));
        let upper_snake = in_config
            && [
                "\"DIRECTLY\"",
                "\"PRIVATE_LINK\"",
                "\"SSH_TUNNEL\"",
                "\"PROXY_AGENT\"",
            ]
            .iter()
            .any(|v| error.contains(&format!("connection_type: {v} is not one of")));
        let lower_status = ["\"incomplete\"", "\"connected\"", "\"broken\""]
            .iter()
            .any(|v| error.contains(&format!(".setup_status: {v} is not one of")));
        if text_typed || upper_snake || lower_status {
            return true;
        }
    }
    let never_synced = [
        ".succeeded_at: expected string, found null",
        ".failed_at: expected string, found null",
    ]
    .iter()
    .any(|part| error.contains(part));
    if never_synced {
        return true;
    }
    let details_array = error.contains(".setup_tests[")
        && error.contains("].details: expected object, found array");
    let list_without_config = template == "/v1/private-links"
        && error.starts_with("$.data.items[")
        && error.ends_with("]: missing required property 'config'");
    details_array || list_without_config
}

/// Approvals are addressed by their `id`: Base64URL of the hash (spec
/// `#/components/schemas/CertificateDetailsResponse/properties/id`).
fn approval_id(hash: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash.as_bytes())
}

fn id_of(a: &Answer) -> String {
    a.data()["id"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn every_response_matches_the_spec() {
    let Some(spec) = Spec::load() else {
        fivetran_sim::skips::skip(
            "every_response_matches_the_spec",
            &format!(
                "no OpenAPI spec found (set {} or put it at ../shared/api/fivetran-openapi.json); looked at {:?}",
                fivetran_sim::openapi::SPEC_ENV,
                Spec::candidates()
            ),
        );
        return;
    };
    // The spec's response enum of `networking_method` lacks `UnmanagedPrivateLink`, which the
    // simulator answers by default for PrivateLink connections (official provider issue
    // #408, tested in connections.rs); this run keeps PrivateLink to check the rest.
    let mut config = fivetran_sim::SimConfig::instant();
    config.knobs.private_link_networking_rewrite = false;
    let api = Api::start(config);
    let g = api.sim.group_id().to_string();
    let mut c = Conform {
        api: &api,
        spec: &spec,
        problems: Vec::new(),
        covered: BTreeSet::new(),
    };

    // Groups.
    c.call("GET", "/v1/groups", "/v1/groups", None).await;
    let grp = c
        .call(
            "POST",
            "/v1/groups",
            "/v1/groups",
            Some(json!({"name": "conformance"})),
        )
        .await;
    let gid = id_of(&grp);
    c.call(
        "GET",
        "/v1/groups/{groupId}",
        &format!("/v1/groups/{gid}"),
        None,
    )
    .await;
    c.call(
        "PATCH",
        "/v1/groups/{groupId}",
        &format!("/v1/groups/{gid}"),
        Some(json!({"name": "conformance_2"})),
    )
    .await;
    c.call(
        "DELETE",
        "/v1/groups/{groupId}",
        &format!("/v1/groups/{gid}"),
        None,
    )
    .await;
    c.call(
        "GET",
        "/v1/destinations/{destinationId}",
        &format!("/v1/destinations/{g}"),
        None,
    )
    .await;
    c.call(
        "GET",
        "/v1/destinations/{destinationId}",
        "/v1/destinations/missing",
        None,
    )
    .await;
    c.call(
        "POST",
        "/v1/destinations/{destinationId}/test",
        &format!("/v1/destinations/{g}/test"),
        Some(json!({})),
    )
    .await;
    c.call(
        "POST",
        "/v1/destinations/{destinationId}/test",
        &format!("/v1/destinations/{g}/test"),
        Some(json!({"trust_certificates": true, "trust_fingerprints": true})),
    )
    .await;
    c.call(
        "POST",
        "/v1/destinations/{destinationId}/test",
        "/v1/destinations/missing/test",
        Some(json!({})),
    )
    .await;

    // Private links, every service, through their states.
    let services: [(&str, &str, Value); 4] = [
        (
            "SOURCE_AWS",
            "AWS_US_EAST_1",
            json!({"connection_service_name": "com.amazonaws.vpce.svc-1"}),
        ),
        (
            "SNOWFLAKE_AZURE",
            "AZURE_EASTUS2",
            json!({"account_url": "acct.snowflakecomputing.com", "pls_id": "/subscriptions/x"}),
        ),
        (
            "SOURCE_GCP",
            "GCP_US_EAST4",
            json!({"private_connection_service_id": "projects/p/regions/r/serviceAttachments/s"}),
        ),
        (
            "REDSHIFT_AWS",
            "AWS_US_WEST_2",
            json!({"aws_account_id": "123456789012", "cluster_identifier": "c1"}),
        ),
    ];
    let mut links = Vec::new();
    for (i, (service, region, config)) in services.into_iter().enumerate() {
        let body = json!({"name": format!("conf_{i}"), "region": region, "service": service, "config": config});
        let a = c
            .call("POST", "/v1/private-links", "/v1/private-links", Some(body))
            .await;
        assert_eq!(a.status, 201, "{a:?}");
        links.push(id_of(&a));
    }
    let link = links[0].clone();
    api.admin()
        .update_knobs(|k| k.failing_links = vec!["conf_fail".into()]);
    let failing = c
        .call("POST", "/v1/private-links", "/v1/private-links", Some(json!({"name": "conf_fail", "region": "AWS_US_EAST_1", "service": "SOURCE_AWS", "config": {"connection_service_name": "x"}})))
        .await;
    let lp = |id: &str| format!("/v1/private-links/{id}");
    c.call(
        "GET",
        "/v1/private-links/{privateLinkId}",
        &lp(&id_of(&failing)),
        None,
    )
    .await;
    c.call("GET", "/v1/private-links/{privateLinkId}", &lp(&link), None)
        .await;
    c.call(
        "GET",
        "/v1/private-links",
        "/v1/private-links?limit=2",
        None,
    )
    .await;
    c.call("PATCH", "/v1/private-links/{privateLinkId}", &lp(&links[1]), Some(json!({"config": {"account_url": "acct2.snowflakecomputing.com", "pls_id": "/subscriptions/y"}}))).await;
    c.call(
        "GET",
        "/v1/private-links/{privateLinkId}",
        &lp(&links[1]),
        None,
    )
    .await;
    c.call(
        "DELETE",
        "/v1/private-links/{privateLinkId}",
        &lp(&links[3]),
        None,
    )
    .await;
    c.call(
        "GET",
        "/v1/private-links/{privateLinkId}",
        &lp(&links[3]),
        None,
    )
    .await;
    c.call(
        "GET",
        "/v1/private-links/{privateLinkId}",
        &lp("missing"),
        None,
    )
    .await;

    // Connections: direct with TLS, through an SSH tunnel, and over the private link.
    let tls = json!({"group_id": g, "service": "postgres", "paused": true, "run_setup_tests": true,
        "config": {"schema_prefix": "conf_pg", "host": "db-7.example.com", "port": 5432, "user": "u", "password": "p", "database": "d"}});
    let a = c
        .call("POST", "/v1/connections", "/v1/connections", Some(tls))
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let conn = id_of(&a);
    let ssh = json!({"group_id": g, "service": "postgres", "paused": true, "networking_method": "SshTunnel",
        "config": {"schema_prefix": "conf_ssh", "host": "db.internal", "port": 5432, "tunnel_host": "bastion.example.com", "tunnel_port": 22, "tunnel_user": "t"}});
    let ssh_conn = id_of(
        &c.call("POST", "/v1/connections", "/v1/connections", Some(ssh))
            .await,
    );
    let pl = json!({"group_id": g, "service": "google_sheets", "paused": true, "networking_method": "PrivateLink", "private_link_id": link,
        "sync_frequency": 1440, "daily_sync_time": "02:00", "schedule_type": "auto", "data_delay_sensitivity": "NORMAL",
        "config": {"schema": "conf_sheets", "table": "budget"}});
    c.call("POST", "/v1/connections", "/v1/connections", Some(pl))
        .await;
    let cp = |id: &str| format!("/v1/connections/{id}");
    c.call(
        "GET",
        "/v1/connections",
        &format!("/v1/connections?group_id={g}&limit=2"),
        None,
    )
    .await;
    c.call(
        "GET",
        "/v1/groups/{groupId}/connections",
        &format!("/v1/groups/{g}/connections"),
        None,
    )
    .await;
    c.call("GET", "/v1/connections/{connectionId}", &cp(&conn), None)
        .await;
    c.call(
        "GET",
        "/v1/connections/{connectionId}",
        &cp("missing"),
        None,
    )
    .await;
    c.call(
        "POST",
        "/v1/connections/{connectionId}/test",
        &format!("{}/test", cp(&ssh_conn)),
        Some(json!({})),
    )
    .await;
    c.call(
        "POST",
        "/v1/connections/{connectionId}/test",
        &format!("{}/test", cp(&ssh_conn)),
        Some(json!({"trust_fingerprints": true, "trust_certificates": true})),
    )
    .await;
    c.call(
        "PATCH",
        "/v1/connections/{connectionId}",
        &cp(&ssh_conn),
        Some(json!({"paused": false, "sync_frequency": 60})),
    )
    .await;

    // Approvals for a connection and for the destination.
    let cert = presented_certificate("db-7.example.com");
    let key = presented_host_key("bastion.example.com");
    for (parent, templ) in [
        (cp(&conn), "/v1/connections/{connectionId}"),
        (
            format!("/v1/destinations/{g}"),
            "/v1/destinations/{destinationId}",
        ),
    ] {
        let certs_t = format!("{templ}/certificates");
        let cert_t = format!("{templ}/certificates/{{hash}}");
        let fps_t = format!("{templ}/fingerprints");
        let fp_t = format!("{templ}/fingerprints/{{hash}}");
        let certs = format!("{parent}/certificates");
        let fps = format!("{parent}/fingerprints");
        c.call(
            "POST",
            &certs_t,
            &certs,
            Some(json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert})),
        )
        .await;
        c.call("GET", &certs_t, &certs, None).await;
        c.call(
            "GET",
            &cert_t,
            &format!("{certs}/{}", approval_id(&cert.hash)),
            None,
        )
        .await;
        c.call(
            "POST",
            &fps_t,
            &fps,
            Some(json!({"hash": key.hash, "public_key": key.public_key})),
        )
        .await;
        c.call("GET", &fps_t, &fps, None).await;
        c.call(
            "GET",
            &fp_t,
            &format!("{fps}/{}", approval_id(&key.hash)),
            None,
        )
        .await;
        c.call(
            "DELETE",
            &fp_t,
            &format!("{fps}/{}", approval_id(&key.hash)),
            None,
        )
        .await;
        c.call(
            "GET",
            &fp_t,
            &format!("{fps}/{}", approval_id(&key.hash)),
            None,
        )
        .await;
        c.call(
            "DELETE",
            &cert_t,
            &format!("{certs}/{}", approval_id(&cert.hash)),
            None,
        )
        .await;
        c.call(
            "DELETE",
            &cert_t,
            &format!("{certs}/{}", approval_id(&cert.hash)),
            None,
        )
        .await;
    }
    c.call(
        "POST",
        "/v1/certificates",
        "/v1/certificates",
        Some(json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert, "connection_id": conn})),
    )
    .await;
    c.call(
        "POST",
        "/v1/connections/{connectionId}/test",
        &format!("{}/test", cp(&conn)),
        Some(json!({})),
    )
    .await;
    c.call(
        "PATCH",
        "/v1/connections/{connectionId}",
        &cp(&conn),
        Some(json!({"paused": false})),
    )
    .await;
    c.call("DELETE", "/v1/connections/{connectionId}", &cp(&conn), None)
        .await;
    c.call("DELETE", "/v1/connections/{connectionId}", &cp(&conn), None)
        .await;

    // Destinations: created in new groups (one with its tests, one managed data lake),
    // listed, read, updated (onto the private link), tested, refused deletes, deleted.
    let dg = id_of(
        &c.call(
            "POST",
            "/v1/groups",
            "/v1/groups",
            Some(json!({"name": "conformance_dest"})),
        )
        .await,
    );
    let created = c
        .call(
            "POST",
            "/v1/destinations",
            "/v1/destinations",
            Some(json!({"group_id": dg, "service": "snowflake", "time_zone_offset": "+10",
                "daylight_saving_time_enabled": true, "trust_certificates": true,
                "config": {"host": "db-7.example.com", "port": 443, "database": "fivetran",
                    "auth": "PASSWORD", "user": "u", "password": "p", "connection_type": "Directly"}})),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let lake = id_of(
        &c.call(
            "POST",
            "/v1/groups",
            "/v1/groups",
            Some(json!({"name": "conformance_lake"})),
        )
        .await,
    );
    let a = c
        .call(
            "POST",
            "/v1/destinations",
            "/v1/destinations",
            Some(json!({"group_id": lake, "service": "managed_data_lake", "time_zone_offset": "0",
                "run_setup_tests": false, "region": "AWS_US_EAST_1",
                "config": {"storage_provider": "AWS", "bucket": "b", "fivetran_role_arn": "arn:aws:iam::1:role/r",
                    "prefix_path": "p", "region": "us-east-1", "port": 443, "should_maintain_tables_in_glue": false,
                    "connection_type": "PrivateLink"}})),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    c.call(
        "POST",
        "/v1/destinations",
        "/v1/destinations",
        Some(json!({"group_id": "missing", "service": "snowflake", "time_zone_offset": "0"})),
    )
    .await;
    c.call_invalid(
        "POST",
        "/v1/destinations",
        "/v1/destinations",
        json!({"group_id": dg, "service": "snowflake", "time_zone_offset": "0", "region": ""}),
    )
    .await;
    c.call("GET", "/v1/destinations", "/v1/destinations?limit=1", None)
        .await;
    c.call("GET", "/v1/destinations", "/v1/destinations", None)
        .await;
    let dp = |id: &str| format!("/v1/destinations/{id}");
    c.call("GET", "/v1/destinations/{destinationId}", &dp(&dg), None)
        .await;
    c.call("GET", "/v1/destinations/{destinationId}", &dp(&lake), None)
        .await;
    c.call(
        "PATCH",
        "/v1/destinations/{destinationId}",
        &dp(&dg),
        Some(
            json!({"time_zone_offset": "+3", "region": "GCP_US_WEST1", "config": {"port": 444},
            "run_setup_tests": true, "trust_certificates": true}),
        ),
    )
    .await;
    c.call(
        "PATCH",
        "/v1/destinations/{destinationId}",
        &dp(&dg),
        Some(json!({"time_zone_offset": "+3", "networking_method": "PrivateLink", "private_link_id": link,
            "run_setup_tests": false})),
    )
    .await;
    c.call(
        "PATCH",
        "/v1/destinations/{destinationId}",
        &dp("missing"),
        Some(json!({"time_zone_offset": "0"})),
    )
    .await;
    c.call(
        "POST",
        "/v1/destinations/{destinationId}/test",
        &format!("{}/test", dp(&dg)),
        Some(json!({"trust_certificates": true})),
    )
    .await;
    c.call(
        "GET",
        "/v1/groups/{groupId}/public-key",
        &format!("/v1/groups/{dg}/public-key"),
        None,
    )
    .await;
    let in_group = json!({"group_id": dg, "service": "postgres", "paused": true,
        "config": {"schema_prefix": "conf_blocking", "host": "db.example.com"}});
    let blocking = id_of(
        &c.call("POST", "/v1/connections", "/v1/connections", Some(in_group))
            .await,
    );
    let refused = c
        .call("DELETE", "/v1/destinations/{destinationId}", &dp(&dg), None)
        .await;
    assert_eq!(refused.status, 409, "{refused:?}");
    c.call(
        "DELETE",
        "/v1/connections/{connectionId}",
        &cp(&blocking),
        None,
    )
    .await;
    c.call("DELETE", "/v1/destinations/{destinationId}", &dp(&dg), None)
        .await;
    c.call("DELETE", "/v1/destinations/{destinationId}", &dp(&dg), None)
        .await;

    // Every operation of the relevant families was exercised.
    let relevant: Vec<(String, String)> = spec
        .operations()
        .into_iter()
        .filter(|(_, p)| {
            p.starts_with("/v1/private-links")
                || p.starts_with("/v1/certificates")
                || [
                    "/v1/connections",
                    "/v1/connections/{connectionId}",
                    "/v1/connections/{connectionId}/test",
                ]
                .contains(&p.as_str())
                || p.contains("/certificates")
                || p.contains("/fingerprints")
                || [
                    "/v1/groups",
                    "/v1/groups/{groupId}",
                    "/v1/groups/{groupId}/connections",
                    "/v1/groups/{groupId}/public-key",
                    "/v1/destinations",
                    "/v1/destinations/{destinationId}",
                    "/v1/destinations/{destinationId}/test",
                ]
                .contains(&p.as_str())
        })
        .collect();
    let missing: Vec<String> = relevant
        .iter()
        .map(|(m, p)| format!("{m} {p}"))
        .filter(|op| {
            !c.covered
                .iter()
                .any(|cov| cov.starts_with(&format!("{op} ")))
        })
        .collect();
    eprintln!(
        "conformance: {} operation/status pairs validated over {} operations",
        c.covered.len(),
        relevant.len()
    );
    assert!(missing.is_empty(), "operations not exercised: {missing:?}");
    assert!(
        c.problems.is_empty(),
        "{} problems:\n{}",
        c.problems.len(),
        c.problems.join("\n")
    );
}

#[tokio::test]
async fn the_validator_catches_wrong_bodies() {
    let Some(spec) = Spec::load() else {
        fivetran_sim::skips::skip(
            "the_validator_catches_wrong_bodies",
            "no OpenAPI spec found",
        );
        return;
    };
    let link = json!({"code": "Success", "data": {"id": "x", "name": "n", "region": "AWS_US_EAST_1", "service": "SOURCE_AWS",
        "cloud_provider": "AWS", "state": "BOGUS", "state_summary": "", "created_at": "t", "created_by": "u"}});
    let errs = spec
        .validate_response("GET", "/v1/private-links/{privateLinkId}", 200, &link)
        .err()
        .unwrap_or_default();
    assert!(errs.iter().any(|e| e.contains("state")), "{errs:?}");
    assert!(errs.iter().any(|e| e.contains("'config'")), "{errs:?}");
    // The per-service schema is selected by the discriminator: postgres' port is an integer.
    let conn = json!({"code": "Success", "data": {"id": "c", "service": "postgres", "schema": "s", "paused": true,
        "group_id": "g", "service_version": 1, "created_at": "t", "pause_after_trial": false, "sync_frequency": 360,
        "schedule_type": "auto", "data_delay_sensitivity": "NORMAL",
        "status": {"setup_state": "incomplete", "sync_state": "paused", "update_state": "on_schedule", "is_historical_sync": false},
        "config": {"port": "5432"}}});
    let errs = spec
        .validate_response("GET", "/v1/connections/{connectionId}", 200, &conn)
        .err()
        .unwrap_or_default();
    assert!(
        errs.iter().any(|e| e.contains("$.data.config.port")),
        "{errs:?}"
    );
    assert!(
        spec.validate_response("POST", "/v1/private-links", 200, &json!({}))
            .is_err(),
        "undocumented status"
    );
    let bad_request =
        json!({"name": "n", "region": "AWS_US_EAST_1", "service": "SOURCE_AWS", "config": {}});
    let errs = spec
        .validate_request("POST", "/v1/private-links", &bad_request)
        .err()
        .unwrap_or_default();
    assert!(
        errs.iter().any(|e| e.contains("connection_service_name")),
        "{errs:?}"
    );
}
