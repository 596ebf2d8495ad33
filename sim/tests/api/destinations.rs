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

// ---- Destinations created through the API. "Behaviour N" is the numbered list of
// ---- ../shared/api/fixtures/destinations-groups/README.md.

/// A new group, by name.
pub async fn new_group(api: &Api, name: &str) -> String {
    let a = api.post("/groups", json!({"name": name})).await;
    assert_eq!(a.status, 201, "{a:?}");
    a.data()["id"].as_str().unwrap_or_default().to_string()
}

/// The go-fivetran e2e create request (behaviour 1..5): snowflake, no region, port 443 as a
/// number, run_setup_tests false, daylight saving on.
pub fn snowflake(group: &str) -> serde_json::Value {
    json!({"group_id": group, "service": "snowflake", "time_zone_offset": "+10",
        "run_setup_tests": false, "daylight_saving_time_enabled": true,
        "config": {"host": "your-account.snowflakecomputing.com", "port": 443, "database": "fivetran",
            "auth": "PASSWORD", "user": "fivetran_user", "password": "s3cret"}})
}

fn statuses(a: &crate::common::Answer) -> Vec<String> {
    titles_and_statuses(a).into_iter().map(|(_, s)| s).collect()
}

#[tokio::test]
async fn create_answers_201_success_with_the_group_id_and_the_defaults() {
    let api = Api::instant();
    let g = new_group(&api, "created").await;
    let a = api.post("/destinations", snowflake(&g)).await;
    // Behaviour 2 [e2e]: 201, code Success (not the spec's "Created").
    assert_eq!((a.status, a.code()), (201, "Success"), "{a:?}");
    assert_eq!(a.message(), "Destination has been created");
    let d = a.data();
    // Behaviour 1: the destination's id is the group's.
    assert_eq!(
        (d["id"].as_str(), d["group_id"].as_str()),
        (Some(g.as_str()), Some(g.as_str()))
    );
    // Behaviours 15, 18: defaults; 5 and 9: incomplete, lower case, no tests run.
    assert_eq!(d["region"], "GCP_US_EAST4");
    assert_eq!(d["networking_method"], "Directly");
    assert_eq!(d["setup_status"], "incomplete");
    assert!(d.get("setup_tests").is_none(), "{a:?}");
    assert_eq!(d["time_zone_offset"], "+10");
    assert_eq!(d["daylight_saving_time_enabled"], true);
    // Behaviour 11 [e2e]: 443 -> "443"; 14: the password masked.
    assert_eq!(d["config"]["port"], "443");
    assert_eq!(d["config"]["password"], "******");
    assert_eq!(d["config"]["host"], "your-account.snowflakecomputing.com");
    // Behaviour 10: trust flags are never answered; unset ids are left out.
    for absent in [
        "trust_certificates",
        "trust_fingerprints",
        "run_setup_tests",
        "private_link_id",
    ] {
        assert!(d.get(absent).is_none(), "{absent}: {a:?}");
    }
    let read = api.get(&format!("/destinations/{g}")).await;
    assert_eq!(
        (read.status, read.message()),
        (200, "Destination details retrieved successfully")
    );
    assert_eq!(read.data()["setup_status"], "incomplete");
    assert_eq!(read.data()["config"], d["config"]);
}

#[tokio::test]
async fn create_refuses_what_the_api_refuses_and_a_refusal_creates_nothing() {
    let api = Api::instant();
    let g = new_group(&api, "refusals").await;
    let link = api.create_link("dest-link").await;
    let mut cases: Vec<(serde_json::Value, u16, &str, &str)> = Vec::new();
    let with = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut b = snowflake(&g);
        change(&mut b);
        b
    };
    // The spec's examples of POST /v1/destinations (400 and 404).
    cases.push((
        with(&|b| {
            b.as_object_mut().map(|o| o.remove("group_id"));
        }),
        400,
        "InvalidInput",
        "Field 'group_id' is required",
    ));
    cases.push((
        with(&|b| {
            b.as_object_mut().map(|o| o.remove("service"));
        }),
        400,
        "InvalidInput",
        "Field 'service' is required",
    ));
    cases.push((
        with(&|b| b["service"] = json!("test_service")),
        400,
        "InvalidInput",
        "Unsupported service 'test_service'",
    ));
    cases.push((
        with(&|b| b["group_id"] = json!("no_such_group")),
        404,
        "NotFound",
        "Destination with id no_such_group not found",
    ));
    // Fixture destination_create_400_empty_region_tfp.json (behaviour 15).
    cases.push((
        with(&|b| b["region"] = json!("")),
        400,
        "InvalidInput",
        "region cannot be empty",
    ));
    // The spec requires time_zone_offset and names its values.
    cases.push((
        with(&|b| {
            b.as_object_mut().map(|o| o.remove("time_zone_offset"));
        }),
        400,
        "InvalidInput",
        "Field 'time_zone_offset' is required",
    ));
    cases.push((
        with(&|b| b["time_zone_offset"] = json!("+13")),
        400,
        "InvalidInput",
        "Invalid value '+13' for field 'time_zone_offset'",
    ));
    cases.push((
        with(&|b| b["region"] = json!("MARS_1")),
        400,
        "InvalidInput",
        "Invalid value 'MARS_1' for field 'region'",
    ));
    // ASSUMPTIONS (as for connections): a link needs PrivateLink, PrivateLink needs a link
    // that exists.
    cases.push((
        with(&|b| b["private_link_id"] = json!(link)),
        400,
        "InvalidInput",
        "Networking method must be PrivateLink in order to set private_link_id",
    ));
    cases.push((
        with(&|b| b["networking_method"] = json!("PrivateLink")),
        400,
        "InvalidInput",
        "private_link_id",
    ));
    cases.push((
        with(&|b| {
            b["networking_method"] = json!("PrivateLink");
            b["private_link_id"] = json!("no_such_link");
        }),
        404,
        "NotFound",
        "Private Link not found",
    ));
    cases.push((
        with(&|b| b["networking_method"] = json!("UnmanagedPrivateLink")),
        400,
        "InvalidInput",
        "networking_method",
    ));
    cases.push((
        with(&|b| b["name"] = json!("not a field")),
        400,
        "InvalidInput",
        "name",
    ));
    for (body, status, code, message) in cases {
        let a = api.post("/destinations", body.clone()).await;
        assert_eq!((a.status, a.code()), (status, code), "{body}: {a:?}");
        assert!(a.message().contains(message), "{body}: {a:?}");
    }
    assert_eq!(
        api.get(&format!("/destinations/{g}")).await.status,
        404,
        "nothing was created"
    );
    assert_eq!(api.post("/destinations", snowflake(&g)).await.status, 201);
    // ASSUMPTION: one destination per group, a second create is a conflict.
    let again = api.post("/destinations", snowflake(&g)).await;
    assert_eq!((again.status, again.code()), (409, "Conflict"), "{again:?}");
    let starting = api
        .post("/destinations", snowflake(api.sim.group_id()))
        .await;
    assert_eq!(
        starting.status, 409,
        "the starting group has its destination: {starting:?}"
    );
}

#[tokio::test]
async fn run_setup_tests_defaults_to_true_and_failed_tests_are_no_http_error() {
    let api = Api::instant();
    let g = new_group(&api, "tested").await;
    let mut body = snowflake(&g);
    body.as_object_mut().map(|o| o.remove("run_setup_tests"));
    body["config"]["host"] = json!("db-7.example.com");
    let a = api.post("/destinations", body).await;
    // Behaviours 6 and 7: tests ran (the spec's example answers them to a create without
    // run_setup_tests), the certificate is not trusted: 201 and incomplete.
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.data()["setup_status"], "incomplete");
    let cert = presented_certificate("db-7.example.com");
    let failed = a.data()["setup_tests"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["status"] == "FAILED")
        .cloned()
        .unwrap_or_default();
    // Behaviour 10 (docs): the failed Validate Certificate test carries the certificates.
    assert_eq!(failed["title"], "Validate Certificate");
    assert_eq!(failed["details"][0]["hash"], cert.hash.as_str());
    // The details answer shows the last tests (destination_details_tfp_200.json).
    let read = api.get(&format!("/destinations/{g}")).await;
    assert_eq!(read.data()["setup_tests"], a.data()["setup_tests"]);
    // Behaviour 10 [e2e go]: approving on a fresh incomplete destination works.
    let approved = api
        .post(
            &format!("/destinations/{g}/certificates"),
            json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert}),
        )
        .await;
    assert_eq!(approved.status, 201, "{approved:?}");
    let tested = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    assert!(
        statuses(&tested).iter().all(|s| s == "PASSED"),
        "{tested:?}"
    );
    assert_eq!(tested.data()["setup_status"], "connected");
    // Trusting at create approves what the host presents.
    let h = new_group(&api, "trusted").await;
    let mut body = snowflake(&h);
    body["run_setup_tests"] = json!(true);
    body["trust_certificates"] = json!(true);
    let a = api.post("/destinations", body).await;
    assert_eq!(a.data()["setup_status"], "connected", "{a:?}");
    assert_eq!(
        api.admin()
            .approved_certificates(ParentKind::Destination, &h),
        vec![presented_certificate("your-account.snowflakecomputing.com").hash]
    );
}

#[tokio::test]
async fn the_starting_destination_keeps_the_specs_upper_case_and_new_ones_answer_lower_case() {
    let api = Api::instant();
    let g = new_group(&api, "lower").await;
    let mut body = snowflake(&g);
    body["run_setup_tests"] = json!(true);
    body["trust_certificates"] = json!(true);
    api.post("/destinations", body).await;
    api.admin()
        .set_destination_host(&g, "elsewhere.example.com", None)
        .expect("destination");
    // Behaviour 9 [e2e]: lower case, through connected and broken.
    let a = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    assert_eq!(a.data()["setup_status"], "broken", "{a:?}");
    let list = api.get("/destinations").await;
    let status_of = |id: &str| {
        list.data()["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["id"] == id)
            .map(|i| i["setup_status"].clone())
    };
    assert_eq!(status_of(&g), Some(json!("broken")));
    assert_eq!(status_of(api.sim.group_id()), Some(json!("CONNECTED")));
    assert_eq!(
        api.admin().destination_setup_status(&g).as_deref(),
        Some("broken")
    );
}

#[tokio::test]
async fn the_list_pages_items_without_config_and_shows_daylight_saving_off() {
    let api = Api::instant();
    let (a, b) = (
        new_group(&api, "list_a").await,
        new_group(&api, "list_b").await,
    );
    for g in [&a, &b] {
        let mut body = snowflake(g);
        body["hybrid_deployment_agent_id"] = json!("agent_1");
        assert_eq!(api.post("/destinations", body).await.status, 201);
    }
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor
            .as_ref()
            .map_or(String::new(), |c| format!("&cursor={c}"));
        let page = api.get(&format!("/destinations?limit=1{q}")).await;
        assert_eq!(
            (page.status, page.message()),
            (200, "Destinations list retrieved successfully")
        );
        let items = page.data()["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 1, "{page:?}");
        let item = &items[0];
        // Behaviour 26: no config and no setup_tests in list items.
        assert!(
            item.get("config").is_none() && item.get("setup_tests").is_none(),
            "{item}"
        );
        // Behaviour 17 [e2e]: listed with false although created with true.
        assert_eq!(item["daylight_saving_time_enabled"], false, "{item}");
        ids.push(item["id"].as_str().unwrap_or_default().to_string());
        match page
            .data()
            .get("next_cursor")
            .and_then(serde_json::Value::as_str)
        {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(
        ids,
        vec![api.sim.group_id().to_string(), a.clone(), b.clone()]
    );
    let read = api.get(&format!("/destinations/{a}")).await;
    assert_eq!(
        read.data()["daylight_saving_time_enabled"],
        true,
        "details keep it"
    );
    // The spec's deprecated alias of the agent id, beside it.
    assert_eq!(read.data()["hybrid_deployment_agent_id"], "agent_1");
    assert_eq!(read.data()["local_processing_agent_id"], "agent_1");
    let bad = api.get("/destinations?limit=0").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn update_changes_in_place_without_the_time_zone_and_merges_config() {
    let api = Api::instant();
    let g = new_group(&api, "updated").await;
    api.post("/destinations", snowflake(&g)).await;
    let path = format!("/destinations/{g}");
    // Behaviours 15 and 16 [e2e]: region in place, no time_zone_offset needed.
    let a = api
        .patch(
            &path,
            json!({"region": "GCP_AUSTRALIA_SOUTHEAST1", "run_setup_tests": false,
                "config": {"host": "updated_host.snowflakecomputing.com", "port": 444, "user": null}}),
        )
        .await;
    assert_eq!(
        (a.status, a.message()),
        (200, "Destination has been updated"),
        "{a:?}"
    );
    let d = a.data();
    assert_eq!(d["region"], "GCP_AUSTRALIA_SOUTHEAST1");
    assert_eq!(d["time_zone_offset"], "+10");
    // Behaviour 12 [e2e]: the host exactly as sent; 11: 444 -> "444"; null removes a key.
    assert_eq!(d["config"]["host"], "updated_host.snowflakecomputing.com");
    assert_eq!(d["config"]["port"], "444");
    assert!(d["config"].get("user").is_none(), "{a:?}");
    assert_eq!(d["config"]["database"], "fivetran", "other keys stay");
    assert!(d.get("setup_tests").is_none());
    // Without run_setup_tests the update runs them (the spec's example answers them).
    let a = api
        .patch(
            &path,
            json!({"time_zone_offset": "-5", "daylight_saving_time_enabled": false}),
        )
        .await;
    assert_eq!(a.data()["time_zone_offset"], "-5");
    assert_eq!(a.data()["daylight_saving_time_enabled"], false);
    assert!(!statuses(&a).is_empty(), "{a:?}");
    // Refusals change nothing.
    for (body, status) in [
        (json!({"region": ""}), 400),
        (json!({"time_zone_offset": "5"}), 400),
        (json!({"group_id": g}), 400),
        (
            json!({"private_link_id": "no_such_link", "networking_method": "PrivateLink"}),
            404,
        ),
        (json!({"networking_method": "PrivateLink"}), 400),
    ] {
        let r = api.patch(&path, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {r:?}");
    }
    let read = api.get(&path).await;
    assert_eq!(
        (
            read.data()["region"].clone(),
            read.data()["networking_method"].clone()
        ),
        (json!("GCP_AUSTRALIA_SOUTHEAST1"), json!("Directly"))
    );
    let missing = api.patch("/destinations/no_such_group", json!({})).await;
    assert_eq!(
        (missing.status, missing.code()),
        (404, "NotFound_Destination")
    );
}

#[tokio::test]
async fn the_private_link_changes_in_place_and_the_test_answer_leaves_it_out() {
    let api = Api::instant();
    let (one, two) = (
        api.create_link("dest-pl-1").await,
        api.create_link("dest-pl-2").await,
    );
    api.wait_link_state(&one, "OK").await;
    api.wait_link_state(&two, "OK").await;
    let g = new_group(&api, "linked").await;
    let mut body = snowflake(&g);
    body["networking_method"] = json!("PrivateLink");
    body["private_link_id"] = json!(one);
    body["config"]["connection_type"] = json!("PrivateLink");
    let a = api.post("/destinations", body).await;
    // Behaviour 19: create answers networking_method PrivateLink and the link (the
    // maintainers' e2e; PR #483's "Directly" and "" contradict it and are not modelled).
    assert_eq!(
        (
            a.data()["networking_method"].clone(),
            a.data()["private_link_id"].clone()
        ),
        (json!("PrivateLink"), json!(one)),
        "{a:?}"
    );
    // Behaviour 13: the config's enum in upper snake case.
    assert_eq!(a.data()["config"]["connection_type"], "PRIVATE_LINK");
    // Behaviour 21: the link changes in place.
    let path = format!("/destinations/{g}");
    let a = api
        .patch(
            &path,
            json!({"private_link_id": two, "run_setup_tests": false}),
        )
        .await;
    assert_eq!(a.data()["private_link_id"], two.as_str(), "{a:?}");
    // Behaviour 20: the test answer has no private_link_id; details still do.
    let tested = api
        .post(&format!("{path}/test"), json!({"trust_certificates": true}))
        .await;
    assert_eq!(tested.status, 200, "{tested:?}");
    assert!(tested.data().get("private_link_id").is_none(), "{tested:?}");
    assert_eq!(tested.data()["networking_method"], "PrivateLink");
    assert_eq!(
        tested.data()["setup_tests"][0]["title"],
        "Connecting to Private Link"
    );
    assert_eq!(tested.data()["setup_status"], "connected", "{tested:?}");
    assert_eq!(api.get(&path).await.data()["private_link_id"], two.as_str());
    // The legacy answer (knob): no networking_method and no config either.
    api.admin()
        .update_knobs(|k| k.destination_test_legacy_answer = true);
    let legacy = api.post(&format!("{path}/test"), json!({})).await;
    for absent in ["private_link_id", "networking_method", "config"] {
        assert!(legacy.data().get(absent).is_none(), "{absent}: {legacy:?}");
    }
    assert!(legacy.data()["setup_tests"].is_array());
    // Leaving PrivateLink drops the link.
    let a = api
        .patch(
            &path,
            json!({"networking_method": "Directly", "run_setup_tests": false}),
        )
        .await;
    assert!(a.data().get("private_link_id").is_none(), "{a:?}");
}

#[tokio::test]
async fn delete_needs_an_empty_group_and_names_the_id() {
    let api = Api::instant();
    let g = new_group(&api, "deleted").await;
    let mut body = snowflake(&g);
    body["run_setup_tests"] = json!(true);
    body["trust_certificates"] = json!(true);
    api.post("/destinations", body).await;
    let conn = api
        .post("/connections", json!({"group_id": g, "service": "postgres", "paused": true, "config": {"schema_prefix": "blocking", "host": "db.example.com"}}))
        .await;
    let conn_id = conn.data()["id"].as_str().unwrap_or_default().to_string();
    let path = format!("/destinations/{g}");
    // Behaviour 23: refused with 409 while the group has connections (code and message are
    // the simulator's ASSUMPTION); nothing changes.
    let refused = api.delete(&path).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "Conflict"),
        "{refused:?}"
    );
    assert!(refused.message().contains(&conn_id), "{refused:?}");
    assert_eq!(api.get(&path).await.status, 200);
    assert_eq!(
        api.delete(&format!("/connections/{conn_id}")).await.status,
        200
    );
    // Behaviour 3 [e2e]: the message contains the id.
    let deleted = api.delete(&path).await;
    assert_eq!(
        (deleted.status, deleted.code()),
        (200, "Success"),
        "{deleted:?}"
    );
    assert_eq!(
        deleted.message(),
        format!("Destination with id '{g}' has been deleted")
    );
    assert!(deleted.body.get("data").is_none());
    // Behaviour 4: NotFound_Destination after the delete; a second delete answers 404.
    let gone = api.get(&path).await;
    assert_eq!((gone.status, gone.code()), (404, "NotFound_Destination"));
    assert_eq!(api.delete(&path).await.status, 404);
    assert!(api
        .admin()
        .approved_certificates(ParentKind::Destination, &g)
        .is_empty());
    // The group stays and can get a destination again.
    assert_eq!(api.get(&format!("/groups/{g}")).await.status, 200);
    assert_eq!(api.post("/destinations", snowflake(&g)).await.status, 201);
}

#[tokio::test]
async fn the_first_run_knob_leaves_a_passing_run_incomplete_once_then_the_tests_connect() {
    let api = Api::instant();
    api.admin()
        .update_knobs(|k| k.destination_first_setup_tests_incomplete = true);
    let g = new_group(&api, "first_run").await;
    let mut body = snowflake(&g);
    body["run_setup_tests"] = json!(true);
    body["trust_certificates"] = json!(true);
    // Behaviour 6 (issue #177): created with tests that would pass, incomplete.
    let a = api.post("/destinations", body).await;
    assert_eq!(a.data()["setup_status"], "incomplete", "{a:?}");
    let tests = a.data()["setup_tests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!tests.is_empty(), "{a:?}");
    assert!(
        tests.iter().all(|t| t["status"] != "FAILED"),
        "incomplete without a failed test: {a:?}"
    );
    // A second run connects.
    let again = api
        .post(&format!("/destinations/{g}/test"), json!({}))
        .await;
    assert_eq!(again.data()["setup_status"], "connected", "{again:?}");
    let timeline = api.admin().timeline(&g).expect("timeline");
    let states: Vec<&str> = timeline.history.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(states, ["incomplete", "connected"]);
    assert!(timeline.ready_at.is_some());
    // The starting destination was connected, so tested: its next run is a real one.
    let starting = api.sim.group_id().to_string();
    let a = api
        .post(
            &format!("/destinations/{starting}/test"),
            json!({"trust_certificates": true}),
        )
        .await;
    assert_eq!(a.data()["setup_status"], "CONNECTED", "{a:?}");
    // Off, a first run gives the real result.
    api.admin()
        .update_knobs(|k| k.destination_first_setup_tests_incomplete = false);
    let h = new_group(&api, "first_run_off").await;
    let mut body = snowflake(&h);
    body["run_setup_tests"] = json!(true);
    body["trust_certificates"] = json!(true);
    assert_eq!(
        api.post("/destinations", body).await.data()["setup_status"],
        "connected"
    );
}

#[tokio::test]
async fn the_metadata_connection_knob_adds_a_connection_that_blocks_the_delete() {
    let api = Api::instant();
    api.admin()
        .update_knobs(|k| k.destination_metadata_connection = true);
    let g = new_group(&api, "with_metadata").await;
    assert_eq!(api.post("/destinations", snowflake(&g)).await.status, 201);
    // Behaviour 23 (issue #369): Fivetran adds a fivetran_metadata connection.
    let conns = api.get(&format!("/groups/{g}/connections")).await;
    let items = conns.data()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 1, "{conns:?}");
    assert_eq!(items[0]["schema"], "fivetran_metadata");
    assert_eq!(items[0]["service"], "fivetran_log");
    let conn = items[0]["id"].as_str().unwrap_or_default().to_string();
    let refused = api.delete(&format!("/destinations/{g}")).await;
    assert_eq!(refused.status, 409, "{refused:?}");
    assert!(refused.message().contains(&conn));
    assert_eq!(
        api.delete(&format!("/connections/{conn}")).await.status,
        200
    );
    assert_eq!(api.delete(&format!("/destinations/{g}")).await.status, 200);
    // Off: nothing is added.
    api.admin()
        .update_knobs(|k| k.destination_metadata_connection = false);
    let h = new_group(&api, "without_metadata").await;
    api.post("/destinations", snowflake(&h)).await;
    assert_eq!(
        api.get(&format!("/groups/{h}/connections")).await.data()["items"],
        json!([])
    );
    assert_eq!(api.delete(&format!("/destinations/{h}")).await.status, 200);
}
