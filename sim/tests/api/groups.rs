//! `/v1/groups*` and the starting group's destination.

use serde_json::{json, Value};

use crate::common::Api;

#[tokio::test]
async fn starting_group_and_destination_exist() {
    let api = Api::instant();
    let gid = api.sim.group_id().to_string();
    let a = api.get("/groups").await;
    assert_eq!((a.status, a.code()), (200, "Success"));
    let items = a.data()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], gid.as_str());
    let a = api.get(&format!("/groups/{gid}")).await;
    assert_eq!(a.data()["name"], "sim_warehouse");
    let a = api.get(&format!("/destinations/{gid}")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.data()["group_id"], gid.as_str());
    assert_eq!(a.data()["config"]["password"], "******");
    let a = api.get("/destinations/nope").await;
    assert_eq!((a.status, a.code()), (404, "NotFound_Destination"));
}

#[tokio::test]
async fn groups_can_be_created_renamed_listed_and_deleted() {
    let api = Api::instant();
    let a = api.post("/groups", json!({"name": "analytics"})).await;
    assert_eq!(a.status, 201, "{a:?}");
    let id = a.data()["id"].as_str().unwrap_or_default().to_string();
    assert!(a.data()["created_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    let dup = api.post("/groups", json!({"name": "analytics"})).await;
    assert_eq!((dup.status, dup.code()), (409, "Conflict"));
    let bad = api.post("/groups", json!({"name": "has space"})).await;
    assert_eq!(bad.status, 400);
    let missing = api.post("/groups", json!({})).await;
    assert!(missing.message().contains("'name'"));

    let a = api
        .patch(&format!("/groups/{id}"), json!({"name": "renamed"}))
        .await;
    assert_eq!(
        (a.status, a.data()["name"].clone()),
        (200, json!("renamed"))
    );
    let a = api.get(&format!("/groups/{id}/connections")).await;
    assert_eq!(a.data()["items"], json!([]));

    // Three groups, one per page.
    api.post("/groups", json!({"name": "third"})).await;
    let mut cursor: Option<String> = None;
    let mut names = Vec::new();
    loop {
        let q = cursor
            .as_ref()
            .map_or(String::new(), |c| format!("&cursor={c}"));
        let a = api.get(&format!("/groups?limit=1{q}")).await;
        let items = a.data()["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 1);
        names.push(items[0]["name"].clone());
        match a.data().get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(
        names,
        vec![json!("sim_warehouse"), json!("renamed"), json!("third")]
    );

    let a = api.delete(&format!("/groups/{id}")).await;
    assert_eq!(a.status, 200);
    assert!(a.body.get("data").is_none());
    let a = api.get(&format!("/groups/{id}")).await;
    assert_eq!((a.status, a.code()), (404, "NotFound_Group"));
    assert_eq!(api.delete(&format!("/groups/{id}")).await.status, 404);
    assert_eq!(
        api.patch(&format!("/groups/{id}"), json!({"name": "x"}))
            .await
            .status,
        404
    );
}
