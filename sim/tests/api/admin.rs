//! The admin API, in process and over HTTP under `/_sim`: counters, inventory,
//! out-of-band changes, knobs, timelines, and the request log's discretion.

use fivetran_sim::{presented_certificate, ParentKind};
use serde_json::{json, Value};

use crate::common::{answer, enc, Answer, Api};

async fn admin_call(api: &Api, method: &str, path: &str, body: Option<Value>) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = api
        .client
        .request(method, format!("{}/_sim{path}", api.sim.root_url()));
    if let Some(b) = body {
        req = req.json(&b);
    }
    answer(req.send().await.expect("answer")).await
}

#[tokio::test]
async fn counters_use_path_templates_and_reset() {
    let api = Api::instant();
    let id = api.create_link("counted").await;
    api.get(&format!("/private-links/{id}")).await;
    api.get(&format!("/private-links/{id}")).await;
    api.get("/no/such/path").await;
    let admin = api.admin();
    assert_eq!(admin.count("POST /v1/private-links"), 1);
    assert_eq!(admin.count("GET /v1/private-links/{privateLinkId}"), 2);
    assert_eq!(admin.count("GET (unmatched)"), 1);
    assert_eq!(admin.counters().total, 4);
    let over_http = admin_call(&api, "GET", "/counters", None).await;
    assert_eq!(over_http.body["total"], 4);
    assert_eq!(
        over_http.body["endpoints"]["GET /v1/private-links/{privateLinkId}"],
        2
    );
    assert_eq!(
        admin_call(&api, "DELETE", "/counters", None).await.status,
        204
    );
    assert_eq!(admin.counters().total, 0);
    assert_eq!(
        admin_call(&api, "GET", "/info", None).await.body["group_id"],
        api.sim.group_id()
    );
}

#[tokio::test]
async fn presented_certificate_and_host_key_are_published_for_pinning() {
    let api = Api::instant();
    let host = "db-7.example.com";
    let shown = admin_call(&api, "GET", &format!("/presented/{host}"), None).await;
    assert_eq!(shown.status, 200);
    let cert = presented_certificate(host);
    assert_eq!(shown.body["certificate"]["sha256"], cert.sha256.as_str());
    assert_eq!(shown.body["certificate"]["hash"], cert.hash.as_str());
    let key = fivetran_sim::presented_host_key(host);
    assert_eq!(
        shown.body["host_key"]["public_key"],
        key.public_key.as_str()
    );
}

#[tokio::test]
async fn inventory_dumps_everything_with_timelines() {
    let api = Api::instant();
    let link = api.create_link("inv").await;
    api.wait_link_state(&link, "OK").await;
    let body = json!({"group_id": api.sim.group_id(), "service": "postgres", "paused": true, "run_setup_tests": true, "trust_certificates": true,
        "networking_method": "PrivateLink", "private_link_id": link,
        "config": {"schema_prefix": "inv", "host": "h.example.com", "password": "topsecret"}});
    let conn = api.post("/connections", body).await;
    assert_eq!(conn.status, 201, "{conn:?}");
    let conn_id = conn.data()["id"].as_str().unwrap_or_default().to_string();
    let inv = admin_call(&api, "GET", "/inventory", None).await.body;
    assert_eq!(inv["private_links"][0]["id"], link.as_str());
    assert_eq!(
        inv["private_links"][0]["timeline"]["history"][1]["state"],
        "OK"
    );
    assert_eq!(inv["connections"][0]["config"]["password"], "******");
    assert_eq!(
        inv["connections"][0]["timeline"]["history"][1]["state"],
        "connected"
    );
    assert_eq!(inv["approvals"][0]["parent_id"], conn_id.as_str());
    assert_eq!(
        inv["approvals"][0]["certificates"][0]["hash"],
        presented_certificate("h.example.com").hash.as_str()
    );
    assert_eq!(inv["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(inv["destinations"][0]["id"], api.sim.group_id());
    assert!(!inv.to_string().contains("topsecret"));

    // The link was OK before the connection was created and connected.
    let l = api.admin().timeline(&link).expect("link timeline");
    let c = api.admin().timeline(&conn_id).expect("connection timeline");
    assert!(l.ready_at.expect("ok") <= c.created_at);
    let t = admin_call(&api, "GET", &format!("/timeline/{conn_id}"), None).await;
    assert!(t.body["ready_at_unix_ms"].as_u64().is_some());
    assert_eq!(
        admin_call(&api, "GET", "/timeline/nope", None).await.status,
        404
    );
}

#[tokio::test]
async fn out_of_band_changes_show_up_as_drift() {
    let api = Api::instant();
    let link = api.create_link("drift").await;
    api.wait_link_state(&link, "OK").await;
    let a = admin_call(
        &api,
        "PATCH",
        &format!("/private-links/{link}"),
        Some(json!({"config": {"connection_service_name": "changed", "new_key": "v"}})),
    )
    .await;
    assert_eq!(a.status, 204, "{a:?}");
    let a = api.get(&format!("/private-links/{link}")).await;
    assert_eq!(a.data()["config"]["connection_service_name"], "changed");
    assert_eq!(a.data()["config"]["new_key"], "v");
    let a = admin_call(
        &api,
        "PATCH",
        &format!("/private-links/{link}"),
        Some(json!({"state": "FAIL", "state_summary": "endpoint rejected"})),
    )
    .await;
    assert_eq!(a.status, 204);
    let a = api.get(&format!("/private-links/{link}")).await;
    assert_eq!(
        (a.data()["state"].clone(), a.data()["state_summary"].clone()),
        (json!("FAIL"), json!("endpoint rejected"))
    );
    assert_eq!(
        admin_call(
            &api,
            "PATCH",
            &format!("/private-links/{link}"),
            Some(json!({"state": "BROKEN"}))
        )
        .await
        .status,
        400
    );
    assert_eq!(
        admin_call(
            &api,
            "PATCH",
            "/private-links/nope",
            Some(json!({"state": "OK"}))
        )
        .await
        .status,
        404
    );

    let body = json!({"group_id": api.sim.group_id(), "service": "postgres", "paused": true, "run_setup_tests": true, "trust_certificates": true,
        "config": {"schema_prefix": "d", "host": "d.example.com"}});
    let conn = api.post("/connections", body).await.data()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let a = admin_call(&api, "PATCH", &format!("/connections/{conn}"),
        Some(json!({"paused": false, "sync_frequency": 1440, "config": {"user": "intruder", "port": null}}))).await;
    assert_eq!(a.status, 204, "{a:?}");
    let d = api.get(&format!("/connections/{conn}")).await;
    assert_eq!(
        (
            d.data()["paused"].clone(),
            d.data()["sync_frequency"].clone()
        ),
        (json!(false), json!(1440))
    );
    assert_eq!(d.data()["config"]["user"], "intruder");
    assert_eq!(
        admin_call(
            &api,
            "PATCH",
            &format!("/connections/{conn}"),
            Some(json!({"colour": 1}))
        )
        .await
        .status,
        400
    );
    assert_eq!(
        admin_call(
            &api,
            "PATCH",
            &format!("/connections/{conn}"),
            Some(json!({"paused": "no"}))
        )
        .await
        .status,
        400
    );
    api.admin()
        .set_connection_field(&conn, "setup_state", &json!("broken"))
        .expect("set");
    assert_eq!(
        api.admin().connection_setup_state(&conn).as_deref(),
        Some("broken")
    );
    api.admin().pause_connection(&conn, true).expect("paused");
    assert_eq!(
        api.get(&format!("/connections/{conn}")).await.data()["paused"],
        true
    );

    let hash = presented_certificate("d.example.com").hash;
    let a = admin_call(
        &api,
        "DELETE",
        &format!("/connections/{conn}/certificates/{}", enc(&hash)),
        None,
    )
    .await;
    assert_eq!(a.status, 204);
    assert!(api
        .admin()
        .approved_certificates(ParentKind::Connection, &conn)
        .is_empty());
    assert_eq!(
        admin_call(
            &api,
            "DELETE",
            &format!("/connections/{conn}/certificates/{}", enc(&hash)),
            None
        )
        .await
        .status,
        404
    );
    assert_eq!(
        admin_call(
            &api,
            "DELETE",
            &format!("/wizards/{conn}/certificates/x"),
            None
        )
        .await
        .status,
        400
    );

    let a = admin_call(&api, "DELETE", &format!("/objects/{conn}"), None).await;
    assert_eq!(a.body["deleted"], "connection");
    assert_eq!(api.get(&format!("/connections/{conn}")).await.status, 404);
    let a = admin_call(&api, "DELETE", &format!("/objects/{link}"), None).await;
    assert_eq!(a.body["deleted"], "private_link");
    assert_eq!(
        api.get(&format!("/private-links/{link}")).await.status,
        404,
        "gone at once, no DESTROYING"
    );
    assert_eq!(
        admin_call(&api, "DELETE", "/objects/nope", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn knobs_and_faults_over_http() {
    let api = Api::instant();
    let a = admin_call(&api, "GET", "/knobs", None).await;
    assert_eq!(a.body["provisioning"], json!({"min_ms": 0, "max_ms": 0}));
    let a = admin_call(&api, "PATCH", "/knobs", Some(json!({"failing_links": ["x_*"], "rate_limit": {"max": 100, "window_secs": 60}, "faults": {"error_502": 0.0}}))).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(api.admin().knobs().failing_links, vec!["x_*".to_string()]);
    assert_eq!(api.admin().knobs().rate_limit.map(|r| r.max), Some(100));
    let a = admin_call(&api, "PATCH", "/knobs", Some(json!({"rate_limit": null}))).await;
    assert_eq!(a.body["rate_limit"], Value::Null);
    assert_eq!(
        admin_call(&api, "PATCH", "/knobs", Some(json!({"warp_speed": 9})))
            .await
            .status,
        400
    );
    assert_eq!(
        admin_call(&api, "PATCH", "/knobs", Some(json!({"latency": "fast"})))
            .await
            .status,
        400
    );
    let full = serde_json::to_value(fivetran_sim::Knobs::default()).expect("knobs serialize");
    assert_eq!(
        admin_call(&api, "PUT", "/knobs", Some(full)).await.status,
        200
    );
    assert_eq!(api.admin().knobs(), fivetran_sim::Knobs::default());

    let a = admin_call(
        &api,
        "POST",
        "/faults",
        Some(json!({"endpoint": "GET /v1/groups", "kind": "503", "count": 1})),
    )
    .await;
    assert_eq!(a.status, 204);
    assert_eq!(api.get("/groups").await.status, 503);
    admin_call(&api, "POST", "/faults", Some(json!({"kind": "500"}))).await;
    assert_eq!(
        admin_call(&api, "DELETE", "/faults", None).await.status,
        204
    );
    assert_eq!(api.get("/groups").await.status, 200);
    assert_eq!(
        admin_call(&api, "POST", "/faults", Some(json!({"kind": "418"})))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn request_log_holds_no_credentials_or_secrets() {
    let mut config = fivetran_sim::SimConfig::instant();
    config.log_requests = true;
    let api = Api::start(config);
    let body = json!({"group_id": api.sim.group_id(), "service": "postgres", "paused": true,
        "config": {"schema_prefix": "s", "password": "p@ssw0rd-secret"}});
    api.post("/connections", body).await;
    let log = admin_call(&api, "GET", "/requests", None).await;
    let text = log.text;
    assert!(text.contains("POST /v1/connections"));
    assert!(!text.contains("p@ssw0rd-secret"));
    assert!(!text.contains(api.sim.api_secret()));
    assert!(!text.to_ascii_lowercase().contains("basic "));
}

#[tokio::test]
async fn secrets_can_be_checked_in_process_but_are_never_shown() {
    let api = Api::instant();
    let body = json!({"group_id": api.sim.group_id(), "service": "postgres", "paused": true,
        "run_setup_tests": false,
        "config": {"schema_prefix": "held", "user": "u", "password": "s3cret-value"}});
    let conn = api.post("/connections", body).await;
    assert_eq!(conn.status, 201, "{conn:?}");
    let id = conn.data()["id"].as_str().unwrap_or_default().to_string();
    let admin = api.admin();
    assert_eq!(
        admin.connection_config_holds(&id, "password", &json!("s3cret-value")),
        Some(true)
    );
    assert_eq!(
        admin.connection_config_holds(&id, "password", &json!("other")),
        Some(false)
    );
    assert_eq!(
        admin.connection_config_holds(&id, "missing", &json!("x")),
        None
    );
    assert_eq!(
        admin.connection_config_holds("nope", "password", &json!("x")),
        None
    );
    assert_eq!(
        admin.connection_config(&id).map(|c| c["password"].clone()),
        Some(json!("******"))
    );
}

#[tokio::test]
async fn destinations_change_and_go_out_of_band() {
    let api = Api::instant();
    let g = crate::destinations::new_group(&api, "oob_destination").await;
    assert_eq!(
        api.post("/destinations", crate::destinations::snowflake(&g))
            .await
            .status,
        201
    );
    let patched = admin_call(
        &api,
        "PATCH",
        &format!("/destinations/{g}"),
        Some(json!({"region": "AWS_US_EAST_1", "setup_status": "BROKEN", "daylight_saving_time_enabled": false,
            "hybrid_deployment_agent_id": "agent_9", "networking_method": null,
            "config": {"database": "elsewhere", "user": null}})),
    )
    .await;
    assert_eq!(patched.status, 204, "{patched:?}");
    let read = api.get(&format!("/destinations/{g}")).await;
    let d = read.data();
    assert_eq!(d["region"], "AWS_US_EAST_1");
    assert_eq!(
        d["setup_status"], "broken",
        "answered in the destination's own case"
    );
    assert_eq!(d["daylight_saving_time_enabled"], false);
    assert_eq!(d["hybrid_deployment_agent_id"], "agent_9");
    // Behaviour 18: some existing destinations have no networking_method.
    assert!(d.get("networking_method").is_none(), "{read:?}");
    assert_eq!(d["config"]["database"], "elsewhere");
    assert!(d["config"].get("user").is_none());
    let admin = api.admin();
    assert_eq!(
        admin.destination_config(&g).map(|c| c["password"].clone()),
        Some(json!("******"))
    );
    assert!(admin
        .set_destination_field(&g, "colour", &json!("red"))
        .is_err());
    assert!(admin
        .set_destination_field(&g, "setup_status", &json!("sideways"))
        .is_err());
    let bad = admin_call(
        &api,
        "PATCH",
        &format!("/destinations/{g}"),
        Some(json!({"tunnel_host": "b.example.com"})),
    )
    .await;
    assert_eq!(bad.status, 400, "a tunnel needs a host: {bad:?}");
    let inv = admin_call(&api, "GET", "/inventory", None).await.body;
    let listed = inv["destinations"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["id"] == g.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        listed["timeline"]["history"][0]["state"], "incomplete",
        "{listed}"
    );
    // Deleted out of band: the group stays, the API answers 404.
    assert_eq!(
        admin_call(&api, "DELETE", &format!("/destinations/{g}"), None)
            .await
            .status,
        204
    );
    assert_eq!(api.get(&format!("/destinations/{g}")).await.status, 404);
    assert_eq!(api.get(&format!("/groups/{g}")).await.status, 200);
    assert_eq!(
        admin_call(&api, "DELETE", &format!("/destinations/{g}"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_metadata_connection_can_be_added_to_a_group_out_of_band() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let added = admin_call(
        &api,
        "POST",
        &format!("/groups/{g}/metadata-connection"),
        None,
    )
    .await;
    assert_eq!(added.status, 200, "{added:?}");
    let id = added.body["id"].as_str().unwrap_or_default().to_string();
    let conn = api.get(&format!("/connections/{id}")).await;
    assert_eq!(
        (
            conn.data()["schema"].clone(),
            conn.data()["group_id"].clone()
        ),
        (json!("fivetran_metadata"), json!(g))
    );
    // Once per group.
    assert_eq!(api.admin().add_metadata_connection(&g), Ok(id.clone()));
    assert_eq!(api.delete(&format!("/destinations/{g}")).await.status, 409);
    assert!(api
        .admin()
        .add_metadata_connection("no_such_group")
        .is_err());
}
