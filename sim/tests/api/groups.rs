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

// "Behaviour N" is the numbered list of ../shared/api/fixtures/destinations-groups/README.md.

#[tokio::test]
async fn a_group_answers_one_stable_public_key_with_its_trailing_newline() {
    let api = Api::instant();
    let g = api.sim.group_id().to_string();
    let a = api.get(&format!("/groups/{g}/public-key")).await;
    assert_eq!((a.status, a.code()), (200, "Success"), "{a:?}");
    // Behaviour 27: `ssh-rsa … fivetran user key` with the newline go-fivetran's mock keeps
    // (group_public_key_200.json).
    let key = a.data()["public_key"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(key.starts_with("ssh-rsa AAAA"), "{key}");
    assert!(key.ends_with(" fivetran user key\n"), "{key:?}");
    assert_eq!(key, fivetran_sim::group_public_key(&g));
    assert_eq!(
        api.get(&format!("/groups/{g}/public-key")).await.data()["public_key"],
        key.as_str(),
        "stable"
    );
    let other = crate::destinations::new_group(&api, "other_key").await;
    let b = api.get(&format!("/groups/{other}/public-key")).await;
    assert_ne!(b.data()["public_key"], key.as_str(), "one key per group");
    let missing = api.get("/groups/no_such_group/public-key").await;
    assert_eq!((missing.status, missing.code()), (404, "NotFound_Group"));
}

#[tokio::test]
async fn a_group_with_a_destination_or_connections_is_not_deleted() {
    let api = Api::instant();
    let g = crate::destinations::new_group(&api, "occupied").await;
    // Behaviour 25 [e2e]: connections need no destination in their group.
    let conn = api
        .post("/connections", json!({"group_id": g, "service": "postgres", "paused": true, "config": {"schema_prefix": "occupant"}}))
        .await;
    assert_eq!(conn.status, 201, "{conn:?}");
    let conn = conn.data()["id"].as_str().unwrap_or_default().to_string();
    let refused = api.delete(&format!("/groups/{g}")).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "Conflict"),
        "{refused:?}"
    );
    assert_eq!(
        api.delete(&format!("/connections/{conn}")).await.status,
        200
    );
    assert_eq!(
        api.post("/destinations", crate::destinations::snowflake(&g))
            .await
            .status,
        201
    );
    // Behaviour 24: no evidence; ASSUMPTION: refused while it holds a destination.
    let refused = api.delete(&format!("/groups/{g}")).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "Conflict"),
        "{refused:?}"
    );
    assert!(refused.message().contains("destination"), "{refused:?}");
    assert_eq!(api.get(&format!("/groups/{g}")).await.status, 200);
    assert_eq!(api.delete(&format!("/destinations/{g}")).await.status, 200);
    // Behaviour 3 [e2e]: the message contains the id; 4: NotFound_Group afterwards.
    let deleted = api.delete(&format!("/groups/{g}")).await;
    assert_eq!(deleted.status, 200, "{deleted:?}");
    assert_eq!(
        deleted.message(),
        format!("Group with id '{g}' has been deleted")
    );
    let gone = api.get(&format!("/groups/{g}")).await;
    assert_eq!((gone.status, gone.code()), (404, "NotFound_Group"));
}
