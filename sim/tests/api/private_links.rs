//! `/v1/private-links*`: validation and every state transition.

use std::time::Duration;

use fivetran_sim::{DurationRange, SimConfig};
use serde_json::{json, Value};

use crate::common::{link_body, wait_until, Api};

#[tokio::test]
async fn create_answers_creating_then_becomes_ok() {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(300));
    // CREATING until the first detail read has shown it, however slow the machine.
    config.knobs.polls_until_ready = 1;
    let api = Api::start(config);
    let a = api.post("/private-links", link_body("pl_one")).await;
    assert_eq!((a.status, a.code()), (201, "Success"), "{a:?}");
    let d = a.data();
    assert_eq!(d["state"], "CREATING");
    assert_eq!(d["cloud_provider"], "AWS");
    assert_eq!(d["region"], "AWS_US_EAST_1");
    assert_eq!(d["created_by"], "sim_user");
    assert!(d["host"].as_str().is_some_and(|h| h.contains("us-east-1")));
    assert_eq!(
        d["config"]["connection_service_name"],
        link_body("x")["config"]["connection_service_name"]
    );
    let id = d["id"].as_str().unwrap_or_default().to_string();

    // Observed in CREATING while provisioning runs, then OK.
    let early = api.get(&format!("/private-links/{id}")).await;
    assert_eq!(early.data()["state"], "CREATING");
    let ok = api.wait_link_state(&id, "OK").await;
    assert_eq!(ok.data()["state_summary"], "Private link is active");

    let t = api.admin().timeline(&id).expect("timeline");
    let ready = t.ready_at.expect("became OK");
    let took = ready.duration_since(t.created_at).unwrap_or_default();
    assert!(took >= Duration::from_millis(300), "{took:?}");
    let states: Vec<&str> = t.history.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(states, ["CREATING", "OK"]);
}

#[tokio::test]
async fn names_are_unique_and_inputs_validated() {
    let api = Api::instant();
    api.create_link("taken").await;
    let a = api.post("/private-links", link_body("taken")).await;
    assert_eq!((a.status, a.code()), (409, "Conflict"));

    let cases = [
        (
            json!({"region":"AWS_US_EAST_1","service":"SOURCE_AWS","config":{"connection_service_name":"s"}}),
            "'name'",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SNOWFLAKE_AWS","config":{"account_url":"a"}}),
            "'vpce_id'",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SOURCE_AWS","config":{}}),
            "'connection_service_name'",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SOURCE_AWS","config":{"connection_service_name":""}}),
            "'connection_service_name'",
        ),
        (
            json!({"name":"n","region":"MOON_1","service":"SOURCE_AWS","config":{"connection_service_name":"s"}}),
            "'region'",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SOURCE_MOON","config":{"connection_service_name":"s"}}),
            "'service'",
        ),
        (
            json!({"name":"n","region":"GCP_US_EAST4","service":"SOURCE_AWS","config":{"connection_service_name":"s"}}),
            "not available",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SOURCE_AWS"}),
            "'config'",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SOURCE_AWS","config":{"connection_service_name":5}}),
            "expected a string",
        ),
        (
            json!({"name":"","region":"AWS_US_EAST_1","service":"SOURCE_AWS","config":{"connection_service_name":"s"}}),
            "'name'",
        ),
        (
            json!({"name":"n","region":"AWS_US_EAST_1","service":"SOURCE_AWS","config":{"connection_service_name":"s"},"extra":1}),
            "unknown field",
        ),
    ];
    for (body, needle) in cases {
        let a = api.post("/private-links", body.clone()).await;
        assert_eq!((a.status, a.code()), (400, "InvalidInput"), "{body}: {a:?}");
        assert!(a.message().contains(needle), "{needle} in {}", a.message());
    }
    let azure = json!({"name":"az","region":"AZURE_EASTUS2","service":"SOURCE_AZURE",
        "config":{"connection_service_id":"/subscriptions/x","sub_resource_name":"sqlServer"}});
    let a = api.post("/private-links", azure).await;
    assert_eq!(
        (a.status, a.data()["cloud_provider"].clone()),
        (201, json!("AZURE"))
    );
}

#[tokio::test]
async fn failing_links_end_in_fail_with_a_summary() {
    let mut config = SimConfig::instant();
    config.knobs.failing_links = vec!["doomed_*".into()];
    let api = Api::start(config);
    let id = api.create_link("doomed_link").await;
    let a = api.wait_link_state(&id, "FAIL").await;
    assert!(a.data()["state_summary"]
        .as_str()
        .is_some_and(|s| s.contains("could not be provisioned")));
    let fine = api.create_link("fine_link").await;
    api.wait_link_state(&fine, "OK").await;
    // Set at run time, applies to links created afterwards.
    api.admin()
        .update_knobs(|k| k.failing_links = vec!["late".into()]);
    let late = api.create_link("late").await;
    api.wait_link_state(&late, "FAIL").await;
}

#[tokio::test]
async fn update_goes_through_updating_and_merges_config() {
    let mut config = SimConfig::instant();
    config.knobs.update = DurationRange::fixed(Duration::from_millis(300));
    // UPDATING until a detail read has shown it: the refused PATCH and DELETE below need
    // no timing.
    config.knobs.polls_until_ready = 1;
    let api = Api::start(config);
    let id = api.create_link("upd").await;
    api.wait_link_state(&id, "OK").await;
    let a = api
        .patch(
            &format!("/private-links/{id}"),
            json!({"config": {"connection_service_name": "svc-2", "extra_key": "x"}}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["state"], "UPDATING");
    assert_eq!(a.data()["config"]["connection_service_name"], "svc-2");
    // Not while UPDATING, nor DELETE (fixture reconstructed_private_link_patch_while_creating.json
    // shows CREATING; "any operation" covers UPDATING, strict).
    let again = api
        .patch(&format!("/private-links/{id}"), json!({"config": {}}))
        .await;
    assert_eq!(
        (again.status, again.code()),
        (409, "IllegalState"),
        "{again:?}"
    );
    assert_eq!(
        again.message(),
        "Private link in UPDATING state is not allowed to perform any operation"
    );
    let del = api.delete(&format!("/private-links/{id}")).await;
    assert_eq!((del.status, del.code()), (409, "IllegalState"), "{del:?}");
    api.wait_link_state(&id, "OK").await;
    let a = api
        .patch(
            &format!("/private-links/{id}"),
            json!({"config": {"extra_key": null}}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["config"]["connection_service_name"], "svc-2");
    assert!(a.data()["config"].get("extra_key").is_none(), "{a:?}");
    api.wait_link_state(&id, "OK").await;
    let a = api
        .patch(
            &format!("/private-links/{id}"),
            json!({"config": {"connection_service_name": null}}),
        )
        .await;
    assert_eq!(a.status, 400, "required key cannot be removed");
    assert!(a.message().contains("'connection_service_name'"), "{a:?}");
    let a = api.patch(&format!("/private-links/{id}"), json!({})).await;
    assert_eq!(a.status, 400, "{a:?}");
    assert!(a.message().contains("'config'"));
    let a = api
        .patch("/private-links/missing", json!({"config": {}}))
        .await;
    assert_eq!(
        (a.status, a.code(), a.message()),
        (404, "NotFound", "Private Link not found")
    );
    let states: Vec<String> = api
        .admin()
        .timeline(&id)
        .map(|t| t.history.into_iter().map(|c| c.state).collect())
        .unwrap_or_default();
    // Two accepted updates, two refused ones that change nothing.
    assert_eq!(
        states,
        ["CREATING", "OK", "UPDATING", "OK", "UPDATING", "OK"]
    );
}

#[tokio::test]
async fn delete_goes_through_destroying_then_404() {
    let mut config = SimConfig::instant();
    config.knobs.destroy = DurationRange::fixed(Duration::from_millis(300));
    // DESTROYING until two detail reads have shown it: the read and the repeated DELETE
    // below see it whatever the machine's load.
    config.knobs.polls_until_ready = 2;
    let api = Api::start(config);
    let id = api.create_link("gone_soon").await;
    api.wait_link_state(&id, "OK").await;
    let a = api.delete(&format!("/private-links/{id}")).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.message(),
        format!("Private link with id '{id}' is marked for deletion")
    );
    let a = api.get(&format!("/private-links/{id}")).await;
    assert_eq!(a.data()["state"], "DESTROYING");
    let again = api.delete(&format!("/private-links/{id}")).await;
    assert_eq!(
        (again.status, again.code(), again.message()),
        (
            409,
            "IllegalState",
            "Private link in DESTROYING state is not allowed to perform any operation"
        ),
        "repeat delete while DESTROYING (\"any operation\", strict)"
    );
    wait_until(Duration::from_secs(5), || async {
        api.get(&format!("/private-links/{id}")).await.status == 404
    })
    .await;
    assert_eq!(
        api.delete(&format!("/private-links/{id}")).await.code(),
        "NotFound"
    );
    // The name is free again.
    assert_eq!(
        api.post("/private-links", crate::common::link_body("gone_soon"))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn polls_until_ready_makes_creating_last_n_reads() {
    let mut config = SimConfig::instant();
    config.knobs.polls_until_ready = 3;
    let api = Api::start(config);
    let id = api.create_link("polled").await;
    let mut states = Vec::new();
    for _ in 0..5 {
        states.push(api.get(&format!("/private-links/{id}")).await.data()["state"].clone());
    }
    assert_eq!(
        states,
        vec![
            json!("CREATING"),
            json!("CREATING"),
            json!("CREATING"),
            json!("OK"),
            json!("OK")
        ]
    );
}

#[tokio::test]
async fn list_pages_through_links_without_config() {
    let api = Api::instant();
    for i in 0..5 {
        api.create_link(&format!("pl_{i}")).await;
    }
    let mut seen = Vec::new();
    let mut path = "/private-links?limit=2".to_string();
    loop {
        let a = api.get(&path).await;
        assert_eq!(a.status, 200);
        for item in a.data()["items"].as_array().cloned().unwrap_or_default() {
            // Fixture private_link_list_200.json: list items carry no `config`.
            assert!(item.get("config").is_none(), "{item}");
            assert!(item["host"].is_string(), "{item}");
            seen.push(item["name"].as_str().unwrap_or_default().to_string());
        }
        match a.data().get("next_cursor").and_then(Value::as_str) {
            Some(c) => path = format!("/private-links?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["pl_0", "pl_1", "pl_2", "pl_3", "pl_4"]);
}

#[tokio::test]
async fn failed_links_recover_through_an_update_and_updates_can_fail() {
    let mut config = SimConfig::instant();
    config.knobs.failing_links = vec!["flaky".into()];
    let api = Api::start(config);
    let id = api.create_link("flaky").await;
    api.wait_link_state(&id, "FAIL").await;
    api.admin().update_knobs(|k| k.failing_links.clear());
    let a = api
        .patch(
            &format!("/private-links/{id}"),
            json!({"config": {"connection_service_name": "fixed"}}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.data()["state"], "UPDATING");
    api.wait_link_state(&id, "OK").await;
    api.admin()
        .update_knobs(|k| k.failing_links = vec!["flaky".into()]);
    let a = api
        .patch(
            &format!("/private-links/{id}"),
            json!({"config": {"connection_service_name": "broken"}}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    api.wait_link_state(&id, "FAIL").await;
    let states: Vec<String> = api
        .admin()
        .timeline(&id)
        .map(|t| t.history.into_iter().map(|c| c.state).collect())
        .unwrap_or_default();
    assert_eq!(
        states,
        ["CREATING", "FAIL", "UPDATING", "OK", "UPDATING", "FAIL"]
    );
    let t = api.admin().timeline(&id).expect("timeline");
    assert!(t.ready_at.is_some(), "it was OK once");
}

#[tokio::test]
async fn patch_and_delete_while_creating_answer_illegal_state() {
    // Fixture reconstructed_private_link_patch_while_creating.json (go-fivetran e2e
    // private_link_update_test.go): PATCH right after create is refused with IllegalState.
    let mut config = SimConfig::instant();
    config.knobs.polls_until_ready = 1000;
    let api = Api::start(config);
    let id = api.create_link("pl-source-aws-prod").await;
    let path = format!("/private-links/{id}");
    let want = "Private link in CREATING state is not allowed to perform any operation";
    let a = api
        .patch(
            &path,
            json!({"config": {"connection_service_name": "svc-2"}}),
        )
        .await;
    assert_eq!(
        (a.status, a.code(), a.message()),
        (409, "IllegalState", want),
        "{a:?}"
    );
    let a = api.delete(&path).await;
    assert_eq!(
        (a.status, a.code(), a.message()),
        (409, "IllegalState", want),
        "{a:?}"
    );
    // Nothing changed.
    let a = api.get(&path).await;
    assert_eq!(a.data()["state"], "CREATING");
    assert_eq!(
        a.data()["config"]["connection_service_name"],
        "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
    );
    // Once OK (forced), both work.
    api.admin()
        .set_private_link_state(&id, "OK", None)
        .expect("forced");
    let a = api
        .patch(
            &path,
            json!({"config": {"connection_service_name": "svc-2"}}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
}

#[tokio::test]
async fn names_of_the_tutorial_and_of_go_fivetran_e2e_are_accepted() {
    let api = Api::instant();
    // The tutorial's name, go-fivetran e2e's random-integer name.
    for name in ["pl-source-aws-prod", "4180522397"] {
        let a = api
            .post("/private-links", crate::common::link_body(name))
            .await;
        assert_eq!(
            (a.status, a.data()["name"].clone()),
            (201, json!(name)),
            "{a:?}"
        );
    }
    let a = api
        .post("/private-links", crate::common::link_body("4180522397"))
        .await;
    assert_eq!((a.status, a.code()), (409, "Conflict"), "names stay unique");
}
