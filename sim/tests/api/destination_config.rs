//! Destination configs as the API rewrites them (behaviours 11 to 14 of
//! `../shared/api/fixtures/destinations-groups/README.md`): numbers and booleans as text per
//! service, `connection_type` in upper snake case, keys the API adds, secrets masked, and a
//! Databricks destination on a private link pointed at the link.

use fivetran_sim::model::destination_config::{rule, CONFIG_RULES, POLARIS_MASK};
use serde_json::{json, Value};

use crate::common::Api;
use crate::destinations::new_group;

async fn create(api: &Api, name: &str, service: &str, config: Value) -> (String, Value) {
    let g = new_group(api, name).await;
    let a = api
        .post(
            "/destinations",
            json!({"group_id": g, "service": service, "time_zone_offset": "0", "run_setup_tests": false, "config": config}),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    (g, a.data()["config"].clone())
}

#[tokio::test]
async fn each_row_of_the_table_decides_numbers_and_booleans() {
    let api = Api::instant();
    let sent =
        json!({"port": 443, "is_private_key_encrypted": false, "nested": {"n": 1}, "text": "x"});
    for (i, service) in [
        "snowflake",
        "postgres_rds_warehouse",
        "managed_data_lake",
        "big_query",
        "new_s3_datalake",
        "redshift",
    ]
    .into_iter()
    .enumerate()
    {
        let r = rule(service);
        let (_, shown) = create(&api, &format!("rules_{i}"), service, sent.clone()).await;
        let port = if r.numbers_as_text {
            json!("443")
        } else {
            json!(443)
        };
        let flag = if r.booleans_as_text {
            json!("false")
        } else {
            json!(false)
        };
        assert_eq!(
            (
                shown["port"].clone(),
                shown["is_private_key_encrypted"].clone()
            ),
            (port, flag),
            "{service}: {shown}"
        );
        assert_eq!(
            shown["nested"],
            json!({"n": 1}),
            "{service}: nested values are kept"
        );
        assert_eq!(shown["text"], "x");
    }
    // The evidence fixes these rows (behaviour 11): snowflake's port as text [e2e],
    // managed_data_lake's kept [mock].
    assert!(rule("snowflake").numbers_as_text && rule("snowflake").booleans_as_text);
    assert!(
        !rule("managed_data_lake").numbers_as_text && !rule("managed_data_lake").booleans_as_text
    );
    assert!(!rule("big_query").booleans_as_text);
    assert_eq!(rule("redshift").service, "*");
    assert!(CONFIG_RULES.iter().all(|r| !r.evidence.is_empty()));
}

#[tokio::test]
async fn connection_types_come_back_in_upper_snake_case() {
    let api = Api::instant();
    // Behaviour 13 (official provider fix #510, issue #502).
    let (g, shown) = create(&api, "enum_case", "managed_data_lake",
        json!({"connection_type": "PrivateLink", "databricks_connection_type": "Directly", "auth_type": "OAUTH2"})).await;
    assert_eq!(shown["connection_type"], "PRIVATE_LINK");
    assert_eq!(shown["databricks_connection_type"], "DIRECTLY");
    assert_eq!(shown["auth_type"], "OAUTH2", "other enums are kept");
    let a = api
        .patch(
            &format!("/destinations/{g}"),
            json!({"run_setup_tests": false, "config": {"connection_type": "Directly"}}),
        )
        .await;
    assert_eq!(a.data()["config"]["connection_type"], "DIRECTLY");
}

#[tokio::test]
async fn secrets_are_masked_role_arn_too() {
    let api = Api::instant();
    // Behaviour 14 (destination_create_mapping_tfp_201.json).
    let (g, shown) = create(&api, "masked", "snowflake", json!({"password": "p", "private_key": "k", "passphrase": "pp",
        "personal_access_token": "t", "secret_key": "s", "secret_value": "v", "role_arn": "arn:aws:iam::1:role/r",
        "fivetran_role_arn": "arn:aws:iam::1:role/f", "public_key": "ssh-rsa AAAA"})).await;
    for k in [
        "password",
        "private_key",
        "passphrase",
        "personal_access_token",
        "secret_key",
        "secret_value",
        "role_arn",
    ] {
        assert_eq!(shown[k], "******", "{k}: {shown}");
    }
    assert_eq!(shown["fivetran_role_arn"], "arn:aws:iam::1:role/f");
    assert_eq!(shown["public_key"], "ssh-rsa AAAA");
    assert_eq!(
        api.get(&format!("/destinations/{g}")).await.data()["config"],
        shown
    );
}

#[tokio::test]
async fn the_api_adds_keys_per_service() {
    let api = Api::instant();
    // new_s3_datalake: external_id = the group id, "" after a PATCH, never accepted.
    let (g, shown) = create(
        &api,
        "s3_lake",
        "new_s3_datalake",
        json!({"bucket": "b", "fivetran_role_arn": "f", "region": "us-east-1"}),
    )
    .await;
    assert_eq!(shown["external_id"], g.as_str());
    let path = format!("/destinations/{g}");
    let a = api
        .patch(
            &path,
            json!({"run_setup_tests": false, "config": {"bucket": "b1"}}),
        )
        .await;
    assert_eq!(a.data()["config"]["external_id"], "", "{a:?}");
    let refused = api
        .patch(&path, json!({"config": {"external_id": g}}))
        .await;
    assert_eq!(refused.status, 400, "{refused:?}");
    // big_query: bucket null on create; location beside data_set_location after a PATCH.
    let (g, shown) = create(
        &api,
        "bq",
        "big_query",
        json!({"project_id": "p", "data_set_location": "US", "support_json_type": true}),
    )
    .await;
    assert!(shown.get("bucket").is_some_and(Value::is_null), "{shown}");
    assert!(shown.get("location").is_none(), "{shown}");
    assert_eq!(shown["support_json_type"], true);
    let a = api
        .patch(
            &format!("/destinations/{g}"),
            json!({"region": "GCP_US_WEST1", "run_setup_tests": false}),
        )
        .await;
    assert_eq!(
        (
            a.data()["config"]["location"].clone(),
            a.data()["region"].clone()
        ),
        (json!("US"), json!("GCP_US_WEST1"))
    );
    // managed_data_lake: the Polaris catalog appears after the create answer.
    let (g, shown) = create(
        &api,
        "mdl",
        "managed_data_lake",
        json!({"storage_provider": "AWS", "bucket": "b", "region": "us-east-1", "port": 443}),
    )
    .await;
    assert!(
        shown.get("polaris_catalog_configuration").is_none(),
        "{shown}"
    );
    let read = api.get(&format!("/destinations/{g}")).await;
    let catalog = &read.data()["config"]["polaris_catalog_configuration"];
    assert_eq!(catalog["polarisCatalog"], g.as_str());
    assert_eq!(catalog["clientSecret"], POLARIS_MASK);
    assert!(
        catalog["polarisServerEndpoint"]
            .as_str()
            .is_some_and(|e| e.starts_with("https://") && e.contains("us-east-1")),
        "{catalog}"
    );
}

#[tokio::test]
async fn databricks_on_a_private_link_is_pointed_at_the_link() {
    let api = Api::instant();
    let link = api.create_link("databricks-pl").await;
    let ok = api.wait_link_state(&link, "OK").await;
    let host = ok.data()["host"].as_str().unwrap_or_default().to_string();
    let g = new_group(&api, "databricks").await;
    let config = json!({"auth_type": "PERSONAL_ACCESS_TOKEN", "server_host_name": "adb-1.azuredatabricks.net",
        "port": 443, "http_path": "/sql/1.0/warehouses/w", "cloud_provider": "AZURE", "personal_access_token": "t"});
    let a = api
        .post("/destinations", json!({"group_id": g, "service": "databricks", "region": "AZURE_EASTUS", "time_zone_offset": "0",
            "networking_method": "PrivateLink", "private_link_id": link, "run_setup_tests": true, "trust_certificates": true, "config": config}))
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    // Behaviour 12 (issue #482, PR #483).
    assert_eq!(a.data()["config"]["server_host_name"], host.as_str());
    assert_eq!(a.data()["config"]["cloud_provider"], "AWS");
    // The setup tests reach the link's host.
    assert_eq!(a.data()["setup_status"], "connected", "{a:?}");
    assert_eq!(
        api.admin()
            .approved_certificates(fivetran_sim::ParentKind::Destination, &g),
        vec![fivetran_sim::presented_certificate(&host).hash]
    );
    // ASSUMPTION: a PATCH of the host name is rewritten again while on the link; off it,
    // the host is kept as sent (behaviour 12 [e2e]).
    let path = format!("/destinations/{g}");
    let a = api.patch(&path, json!({"run_setup_tests": false, "config": {"server_host_name": "adb-2.azuredatabricks.net"}})).await;
    assert_eq!(a.data()["config"]["server_host_name"], host.as_str());
    let a = api.patch(&path, json!({"run_setup_tests": false, "networking_method": "Directly", "config": {"server_host_name": "adb-2.azuredatabricks.net"}})).await;
    assert_eq!(
        a.data()["config"]["server_host_name"],
        "adb-2.azuredatabricks.net"
    );
    // Other services on a link keep their host.
    let s = new_group(&api, "snowflake_pl").await;
    let a = api
        .post("/destinations", json!({"group_id": s, "service": "snowflake", "time_zone_offset": "0", "run_setup_tests": false,
            "networking_method": "PrivateLink", "private_link_id": link, "config": {"host": "acct.snowflakecomputing.com"}}))
        .await;
    assert_eq!(a.data()["config"]["host"], "acct.snowflakecomputing.com");
}
