//! `/v1/connections*`: create rules, masking, schema naming, list filters, update, delete,
//! setup tests, defaults and what the API rewrites.

use fivetran_sim::{presented_certificate, presented_host_key, ParentKind};
use serde_json::{json, Value};

use crate::common::Api;

fn pg(group: &str, prefix: &str, host: Option<&str>) -> Value {
    let mut config = json!({"schema_prefix": prefix, "user": "fivetran", "password": "hunter2", "database": "db", "port": 5432});
    if let Some(h) = host {
        config["host"] = json!(h);
    }
    json!({"group_id": group, "service": "postgres", "paused": true, "run_setup_tests": false, "config": config})
}

async fn create(api: &Api, body: Value) -> String {
    let a = api.post("/connections", body).await;
    assert_eq!(a.status, 201, "{a:?}");
    a.data()["id"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn create_masks_secrets_and_names_the_schema() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let mut body = pg(&g, "Sales_PG", None);
    body["auth"] = json!({"client_secret": "shh"});
    body["config"]["nested"] = json!({"api_key": "k", "plain": "p"});
    let a = api.post("/connections", body).await;
    assert_eq!(a.status, 201, "{a:?}");
    let d = a.data();
    assert_eq!(d["schema"], "sales_pg");
    assert_eq!(d["paused"], true);
    assert_eq!(d["networking_method"], "Directly");
    assert_eq!(d["status"]["setup_state"], "incomplete");
    assert_eq!(d["status"]["sync_state"], "paused");
    assert_eq!(d["config"]["password"], "******");
    assert_eq!(d["config"]["nested"]["api_key"], "******");
    assert_eq!(d["config"]["nested"]["plain"], "p");
    assert_eq!(d["config"]["user"], "fivetran");
    assert!(d.get("auth").is_none());
    assert!(d.get("setup_tests").is_none(), "run_setup_tests was false");
    assert!(!a.text.contains("hunter2") && !a.text.contains("shh"));
    let id = d["id"].as_str().unwrap_or_default();
    let details = api.get(&format!("/connections/{id}")).await;
    assert_eq!(details.data()["config"]["password"], "******");
    assert!(!details.text.contains("hunter2"));

    let table = json!({"group_id": g, "service": "google_sheets", "paused": true, "config": {"schema": "Sheets", "table": "Budget"}});
    let a = api.post("/connections", table).await;
    assert_eq!(a.data()["schema"], "sheets.budget");
    let dup = api.post("/connections", pg(&g, "sales_pg", None)).await;
    assert_eq!((dup.status, dup.code()), (409, "Conflict"));
}

#[tokio::test]
async fn create_validates_its_input() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let cases = [
        (
            json!({"service": "postgres", "config": {"schema_prefix": "a"}}),
            400,
            "'group_id'",
        ),
        (
            json!({"group_id": g, "config": {"schema_prefix": "a"}}),
            400,
            "'service'",
        ),
        (
            json!({"group_id": g, "service": "postgres", "config": {}}),
            400,
            "'schema'",
        ),
        (
            json!({"group_id": g, "service": "Postgres!", "config": {"schema_prefix": "a"}}),
            400,
            "'service'",
        ),
        (
            json!({"group_id": g, "service": "postgres", "sync_frequency": 7, "config": {"schema_prefix": "a"}}),
            400,
            "sync_frequency",
        ),
        (
            json!({"group_id": g, "service": "postgres", "networking_method": "Carrier", "config": {"schema_prefix": "a"}}),
            400,
            "networking_method",
        ),
        (
            json!({"group_id": g, "service": "postgres", "private_link_id": "x", "config": {"schema_prefix": "a"}}),
            400,
            "Networking method must be PrivateLink in order to set private_link_id",
        ),
        (
            json!({"group_id": g, "service": "postgres", "networking_method": "PrivateLink", "config": {"schema_prefix": "a"}}),
            400,
            "'private_link_id'",
        ),
        (
            json!({"group_id": g, "service": "postgres", "networking_method": "PrivateLink", "private_link_id": "nope", "paused": true, "config": {"schema_prefix": "a"}}),
            404,
            "Private Link not found",
        ),
        (
            json!({"group_id": g, "service": "postgres", "config": {"schema_prefix": "a", "port": "fifty"}}),
            400,
            "'port'",
        ),
        (
            json!({"group_id": "nope", "service": "postgres", "config": {"schema_prefix": "a"}}),
            404,
            "Group",
        ),
        (
            json!({"group_id": g, "service": "postgres", "paused": "yes", "config": {"schema_prefix": "a"}}),
            400,
            "invalid type",
        ),
        (
            json!({"group_id": g, "service": "postgres", "colour": 1, "config": {"schema_prefix": "a"}}),
            400,
            "unknown field",
        ),
    ];
    for (body, status, needle) in cases {
        let a = api.post("/connections", body.clone()).await;
        assert_eq!(a.status, status, "{body}: {a:?}");
        assert!(a.message().contains(needle), "{needle} in {}", a.message());
    }
    assert_eq!(
        api.get("/connections").await.data()["items"],
        json!([]),
        "nothing was created"
    );
}

#[tokio::test]
async fn list_filters_by_group_and_schema() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let other = api.post("/groups", json!({"name": "other"})).await.data()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    create(&api, pg(&g, "one", None)).await;
    create(&api, pg(&g, "two", None)).await;
    create(&api, pg(&other, "three", None)).await;
    let all = api.get("/connections").await;
    assert_eq!(all.data()["items"].as_array().map(Vec::len), Some(3));
    assert!(
        all.data()["items"][0].get("config").is_none(),
        "list items leave out config"
    );
    let mine = api.get(&format!("/connections?group_id={g}")).await;
    assert_eq!(mine.data()["items"].as_array().map(Vec::len), Some(2));
    let two = api
        .get(&format!("/connections?group_id={g}&schema=two"))
        .await;
    assert_eq!(two.data()["items"].as_array().map(Vec::len), Some(1));
    let by_group = api.get(&format!("/groups/{other}/connections")).await;
    assert_eq!(by_group.data()["items"][0]["schema"], "three");
    let page = api.get("/connections?limit=2").await;
    assert!(page.data()["next_cursor"].is_string());
    let del = api.delete(&format!("/groups/{g}")).await;
    assert_eq!(
        (del.status, del.code()),
        (409, "Conflict"),
        "group still has connections"
    );
}

#[tokio::test]
async fn update_merges_config_and_keeps_schema_fixed() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let id = create(&api, pg(&g, "upd", None)).await;
    let path = format!("/connections/{id}");
    let a = api
        .patch(&path, json!({"sync_frequency": 60, "config": {"user": "new_user", "password": "rotated", "port": null}, "schedule_type": "manual", "daily_sync_time": "03:00"}))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["sync_frequency"], 60);
    assert_eq!(a.data()["schedule_type"], "manual");
    assert_eq!(a.data()["config"]["user"], "new_user");
    assert_eq!(a.data()["config"]["password"], "******");
    assert!(a.data()["config"].get("port").is_none());
    assert!(
        a.data()["setup_tests"].is_array(),
        "config change runs setup tests by default"
    );
    let a = api
        .patch(&path, json!({"config": {"schema_prefix": "other"}}))
        .await;
    assert_eq!(a.status, 400);
    assert!(a.message().contains("schema_prefix"));
    let a = api.patch(&path, json!({"run_setup_tests": true})).await;
    assert_eq!(a.status, 400, "flags alone are refused");
    let a = api.patch(&path, json!({"sync_frequency": 2})).await;
    assert_eq!(a.status, 400);
    let a = api.patch(&path, json!({"private_link_id": "x"})).await;
    assert!(a
        .message()
        .contains("Networking method must be PrivateLink"));
    let a = api
        .patch("/connections/missing", json!({"paused": true}))
        .await;
    // Reference doc 3.6 / official provider issue #385.
    assert_eq!((a.status, a.code()), (404, "NotFound_Connector"));
    let a = api.get("/connections/missing").await;
    assert_eq!(
        (a.status, a.code(), a.message()),
        (
            404,
            "NotFound_Connector",
            "Cannot find entity 'Connector' with id 'missing'"
        )
    );

    let a = api.delete(&path).await;
    assert_eq!(
        (a.status, a.message()),
        (
            200,
            format!("Connection with id '{id}' has been deleted").as_str()
        )
    );
    assert_eq!(api.get(&path).await.status, 404);
    // Fixture connection_delete_404.json.
    let a = api.delete(&path).await;
    assert_eq!(
        (a.status, a.code(), a.message()),
        (
            404,
            "NotFound_Integration",
            format!("Cannot find entity 'Integration' with id '{id}'").as_str()
        )
    );
}

#[tokio::test]
async fn certificate_test_fails_until_approved_and_unpausing_needs_no_connected_state() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let host = "db-7.example.com";
    let cert = presented_certificate(host);
    let id = create(&api, pg(&g, "tls", Some(host))).await;
    let path = format!("/connections/{id}");

    // Fixture reconstructed_connection_create_e2e_observed.json: the real API keeps an
    // incomplete connection unpaused.
    let a = api.patch(&path, json!({"paused": false})).await;
    assert_eq!(
        (a.status, a.data()["paused"].clone()),
        (200, json!(false)),
        "{a:?}"
    );
    assert_eq!(a.data()["status"]["setup_state"], "incomplete");
    let a = api.patch(&path, json!({"paused": true})).await;
    assert_eq!(a.status, 200);

    let a = api.post(&format!("{path}/test"), json!({})).await;
    assert_eq!(a.status, 200, "{a:?}");
    let tests = a.data()["setup_tests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let cert_test = tests
        .iter()
        .find(|t| t["title"] == "Validate Certificate")
        .cloned()
        .unwrap_or_default();
    assert_eq!(cert_test["status"], "FAILED");
    // An array, one object per certificate of the chain (fixture connection_setup_tests_200.json).
    assert_eq!(cert_test["details"].as_array().map(Vec::len), Some(1));
    let details = &cert_test["details"][0];
    for key in [
        "hash",
        "encoded_cert",
        "name",
        "public_key",
        "sha1",
        "sha256",
        "type",
    ] {
        assert!(details[key].is_string(), "{key}");
    }
    assert_eq!(details["hash"], cert.hash.as_str());
    assert_eq!(details["sha256"], cert.sha256.as_str());
    assert_eq!(
        tests.last().map(|t| t["status"].clone()),
        Some(json!("SKIPPED"))
    );
    assert_eq!(a.data()["status"]["setup_state"], "incomplete");

    // Approve exactly what the test reported; the hash has '/' and '+'.
    assert!(cert.hash.contains('/') && cert.hash.contains('+'));
    let a = api
        .post(
            &format!("{path}/certificates"),
            json!({"hash": details["hash"], "encoded_cert": details["encoded_cert"]}),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.data()["sha256"], cert.sha256.as_str());
    let cert_id = a.data()["id"].as_str().unwrap_or_default().to_string();
    let a = api.get(&format!("{path}/certificates/{cert_id}")).await;
    assert_eq!(
        (a.status, a.data()["hash"].clone()),
        (200, json!(cert.hash))
    );

    let a = api.post(&format!("{path}/test"), json!({})).await;
    assert!(a.data()["setup_tests"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|t| t["status"] == "PASSED"));
    assert_eq!(a.data()["status"]["setup_state"], "connected");
    let a = api.patch(&path, json!({"paused": false})).await;
    assert_eq!((a.status, a.data()["paused"].clone()), (200, json!(false)));
    assert_eq!(a.data()["status"]["sync_state"], "scheduled");
    let a = api.patch(&path, json!({"paused": true})).await;
    assert_eq!(a.data()["status"]["sync_state"], "paused");
    let a = api.patch(&path, json!({"paused": false})).await;
    assert_eq!(a.status, 200, "connected: unpausing again is allowed");

    // Revoking breaks the next test run.
    let a = api.delete(&format!("{path}/certificates/{cert_id}")).await;
    assert_eq!(a.status, 200);
    let a = api.post(&format!("{path}/test"), json!({})).await;
    assert_eq!(a.data()["status"]["setup_state"], "broken");

    let t = api.admin().timeline(&id).expect("timeline");
    let states: Vec<&str> = t.history.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(
        states,
        [
            "incomplete",
            "unpaused",
            "paused",
            "incomplete",
            "connected",
            "unpaused",
            "paused",
            "unpaused",
            "broken"
        ]
    );
}

#[tokio::test]
async fn trusting_approves_what_the_source_presents() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let mut body = pg(&g, "ssh", Some("db.internal"));
    body["config"]["tunnel_host"] = json!("bastion.example.com");
    body["config"]["tunnel_port"] = json!(22);
    body["config"]["tunnel_user"] = json!("fivetran");
    body["networking_method"] = json!("SshTunnel");
    let id = create(&api, body).await;
    let path = format!("/connections/{id}");
    let key = presented_host_key("bastion.example.com");

    let a = api.post(&format!("{path}/test"), json!({})).await;
    let tests = a.data()["setup_tests"].clone();
    // Fixture reconstructed_setup_tests_certificate_and_ssh.json: title and object details.
    assert_eq!(tests[0]["title"], "SSH Tunnel Connection");
    assert!(tests[0]["details"].is_object());
    assert_eq!(tests[0]["status"], "FAILED");
    assert_eq!(tests[0]["details"]["hash"], key.hash.as_str());
    assert_eq!(tests[0]["details"]["public_key"], key.public_key.as_str());
    assert_eq!(tests[0]["details"]["type"], "ssh-ed25519");
    assert_eq!(tests[0]["details"]["name"], "bastion.example.com");

    let a = api
        .post(&format!("{path}/test"), json!({"trust_fingerprints": true}))
        .await;
    let tests = a.data()["setup_tests"].clone();
    assert_eq!(tests[0]["status"], "PASSED");
    let cert = tests
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["title"] == "Validate Certificate")
        .cloned()
        .unwrap_or_default();
    assert_eq!(cert["status"], "FAILED");
    assert_eq!(
        api.admin()
            .approved_fingerprints(ParentKind::Connection, &id),
        vec![key.hash.clone()]
    );

    let a = api
        .patch(
            &path,
            json!({"paused": false, "run_setup_tests": true, "trust_certificates": true}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["status"]["setup_state"], "connected");
    assert_eq!(a.data()["paused"], false);
    let fps = api.get(&format!("{path}/fingerprints")).await;
    assert_eq!(fps.data()["items"][0]["hash"], key.hash.as_str());
    assert_eq!(fps.data()["items"][0]["validated_by"], "sim_user");
    let certs = api.get(&format!("{path}/certificates")).await;
    assert_eq!(
        certs.data()["items"][0]["hash"],
        presented_certificate("db.internal").hash.as_str()
    );

    // Creating unpaused works whether or not the tests pass.
    let mut body = pg(&g, "direct", Some("other.example.com"));
    body["paused"] = json!(false);
    body["run_setup_tests"] = json!(true);
    let a = api.post("/connections", body.clone()).await;
    assert_eq!(
        (
            a.status,
            a.data()["paused"].clone(),
            a.data()["status"]["setup_state"].clone()
        ),
        (201, json!(false), json!("incomplete")),
        "not trusted: created unpaused and incomplete"
    );
    body["config"]["schema_prefix"] = json!("direct_2");
    body["trust_certificates"] = json!(true);
    let a = api.post("/connections", body).await;
    assert_eq!(
        (a.status, a.data()["status"]["setup_state"].clone()),
        (201, json!("connected"))
    );
}

#[tokio::test]
async fn private_link_connectivity_test_follows_the_link_state() {
    let mut config = fivetran_sim::SimConfig::instant();
    config.knobs.polls_until_ready = 1_000_000;
    let api = Api::start(config);
    let g = api.sim.group_id().to_string();
    let link = api.create_link("pl_conn").await;
    let body = json!({"group_id": g, "service": "postgres", "paused": true, "networking_method": "PrivateLink",
        "run_setup_tests": true, "private_link_id": link, "config": {"schema_prefix": "via_pl"}});
    let a = api.post("/connections", body).await;
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.data()["private_link_id"], link.as_str());
    assert_eq!(a.data()["networking_method"], "UnmanagedPrivateLink");
    let t = &a.data()["setup_tests"][0];
    assert_eq!(
        (t["title"].clone(), t["status"].clone()),
        (json!("Connecting to Private Link"), json!("FAILED"))
    );
    assert!(t["message"]
        .as_str()
        .is_some_and(|m| m.contains("CREATING")));
    let id = a.data()["id"].as_str().unwrap_or_default().to_string();

    api.admin()
        .set_private_link_state(&link, "OK", None)
        .expect("link exists");
    let a = api
        .post(&format!("/connections/{id}/test"), json!({}))
        .await;
    assert_eq!(a.data()["status"]["setup_state"], "connected");

    api.admin().delete_object(&link).expect("deleted");
    let a = api
        .post(&format!("/connections/{id}/test"), json!({}))
        .await;
    assert!(a.data()["setup_tests"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("does not exist")));
    assert_eq!(a.data()["status"]["setup_state"], "broken");

    // Switching away from PrivateLink clears the link id.
    let a = api
        .patch(
            &format!("/connections/{id}"),
            json!({"networking_method": "Directly"}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert!(a.data().get("private_link_id").is_none());
}

#[tokio::test]
async fn test_endpoint_runs_without_a_body_and_needs_an_existing_connection() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let id = create(&api, pg(&g, "t", None)).await;
    let r = api
        .client
        .post(api.url(&format!("/connections/{id}/test")))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .header("Content-Type", "application/json")
        .send()
        .await
        .expect("answer");
    // The tutorial's call: JSON headers, no body (the spec's body is optional).
    let a = crate::common::answer(r).await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    assert_eq!(a.message(), "Setup tests have been completed");
    let a = api
        .post(
            &format!("/connections/{id}/test"),
            json!({"trust_everything": true}),
        )
        .await;
    assert_eq!(a.status, 400);
    let a = api.post("/connections/missing/test", json!({})).await;
    assert_eq!((a.status, a.code()), (404, "NotFound_Connector"));
    let a = api
        .post(&format!("/connections/{id}/test"), json!({}))
        .await;
    assert_eq!(a.message(), "Setup tests have been completed");
    assert_eq!(
        a.data()["status"]["setup_state"],
        "connected",
        "no host, no link: passes"
    );
}

#[tokio::test]
async fn create_defaults_follow_the_real_api() {
    // Fixture reconstructed_connection_create_e2e_observed.json (go-fivetran e2e): created
    // unpaused and incomplete when `paused` is omitted; official provider issue #339:
    // run_setup_tests defaults to false.
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let body = json!({"group_id": g, "service": "postgres",
        "config": {"schema_prefix": "defaults", "host": "db-7.example.com"}});
    let a = api.post("/connections", body).await;
    assert_eq!(a.status, 201, "{a:?}");
    let d = a.data();
    assert_eq!(d["paused"], false);
    assert_eq!(d["status"]["setup_state"], "incomplete");
    assert_eq!(d["status"]["sync_state"], "scheduled");
    assert!(d.get("setup_tests").is_none(), "no setup tests ran");
    let id = d["id"].as_str().unwrap_or_default();
    let states: Vec<String> = api
        .admin()
        .timeline(id)
        .map(|t| t.history.into_iter().map(|c| c.state).collect())
        .unwrap_or_default();
    assert_eq!(states, ["incomplete", "unpaused"]);
}

#[tokio::test]
async fn typed_config_values_sent_as_text_are_stored_typed() {
    // Spec: postgres_config_V1 port/tunnel_port integer, always_encrypted boolean.
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let body = json!({"group_id": g, "service": "postgres", "paused": true,
        "config": {"schema_prefix": "typed", "host": "h", "port": "5432", "tunnel_port": "22",
                   "tunnel_host": "bastion.example.com", "tunnel_user": "t", "always_encrypted": "true",
                   "database": "123"}});
    let a = api.post("/connections", body).await;
    assert_eq!(a.status, 201, "{a:?}");
    let c = &a.data()["config"];
    assert_eq!(
        (
            c["port"].clone(),
            c["tunnel_port"].clone(),
            c["always_encrypted"].clone(),
            c["database"].clone()
        ),
        (json!(5432), json!(22), json!(true), json!("123")),
        "only keys typed in the spec are rewritten"
    );
    let id = a.data()["id"].as_str().unwrap_or_default().to_string();
    let path = format!("/connections/{id}");
    assert_eq!(api.get(&path).await.data()["config"]["port"], json!(5432));
    let a = api
        .patch(
            &path,
            json!({"config": {"port": "6543", "always_encrypted": "false"}}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["config"]["port"], json!(6543));
    assert_eq!(a.data()["config"]["always_encrypted"], json!(false));
    assert_eq!(
        api.admin()
            .connection_config(&id)
            .map(|c| c["port"].clone()),
        Some(json!(6543)),
        "stored rewritten"
    );
    let a = api.patch(&path, json!({"config": {"port": "x"}})).await;
    assert_eq!((a.status, a.code()), (400, "InvalidInput"));
}

#[tokio::test]
async fn private_link_is_answered_as_unmanaged_unless_the_knob_is_off() {
    // Official provider issue #408.
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let link = api.create_link("pl-rewrite").await;
    api.wait_link_state(&link, "OK").await;
    let body = |prefix: &str, method: &str| {
        json!({"group_id": g, "service": "postgres", "paused": true, "networking_method": method,
            "private_link_id": link, "run_setup_tests": true, "config": {"schema_prefix": prefix}})
    };
    let a = api.post("/connections", body("rw_1", "PrivateLink")).await;
    assert_eq!(a.status, 201, "{a:?}");
    assert_eq!(a.data()["networking_method"], "UnmanagedPrivateLink");
    // The setup tests treat it like PrivateLink.
    assert_eq!(
        a.data()["setup_tests"][0]["title"],
        "Connecting to Private Link"
    );
    assert_eq!(a.data()["setup_tests"][0]["status"], "PASSED");
    let id = a.data()["id"].as_str().unwrap_or_default().to_string();
    let details = api.get(&format!("/connections/{id}")).await;
    assert_eq!(details.data()["networking_method"], "UnmanagedPrivateLink");
    // Sending back what was read is accepted, and keeps the link.
    let a = api
        .patch(
            &format!("/connections/{id}"),
            json!({"networking_method": "UnmanagedPrivateLink", "sync_frequency": 60}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["private_link_id"], link.as_str());
    let a = api
        .post("/connections", body("rw_2", "UnmanagedPrivateLink"))
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let mut no_link = body("rw_3", "UnmanagedPrivateLink");
    no_link.as_object_mut().map(|o| o.remove("private_link_id"));
    let a = api.post("/connections", no_link).await;
    assert_eq!(
        a.status, 400,
        "UnmanagedPrivateLink needs private_link_id too"
    );

    api.admin()
        .update_knobs(|k| k.private_link_networking_rewrite = false);
    let a = api.post("/connections", body("rw_4", "PrivateLink")).await;
    assert_eq!(a.data()["networking_method"], "PrivateLink");
}
