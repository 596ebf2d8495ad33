//! Faults after the handler: the write is made, the answer is lost (a gateway timeout, a
//! reset after the commit), scripted and random, per endpoint.

use fivetran_sim::{AfterCommitFaults, FaultKind, SimConfig};
use serde_json::json;

use crate::common::{link_body, Api};

fn link_names(api: &Api) -> Vec<String> {
    let mut names = api.admin().inventory()["private_links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["name"].as_str().map(str::to_string))
        .collect::<Vec<_>>();
    names.sort();
    names
}

#[tokio::test]
async fn a_scripted_after_commit_fault_creates_the_object_and_loses_the_answer() {
    let api = Api::instant();
    let admin = api.admin();
    admin.script_fault(Some("POST /v1/private-links"), FaultKind::After504, 1);
    admin.script_fault(Some("POST /v1/private-links"), FaultKind::After500, 1);
    admin.script_fault(Some("POST /v1/private-links"), FaultKind::After502, 1);

    let a = api.post("/private-links", link_body("lost_504")).await;
    assert_eq!(a.status, 504, "{a:?}");
    assert!(a.text.contains("Gateway Time-out"), "{}", a.text);
    assert!(a.data().is_null(), "the handler's answer is not sent");
    let a = api.post("/private-links", link_body("lost_500")).await;
    assert_eq!((a.status, a.code()), (500, "InternalServerError"));
    let a = api.post("/private-links", link_body("lost_502")).await;
    assert_eq!(a.status, 502);

    assert_eq!(
        link_names(&api),
        ["lost_500", "lost_502", "lost_504"],
        "every write was made although no answer said so"
    );
    let log = admin.requests();
    let faulted: Vec<_> = log
        .iter()
        .map(|r| (r.status, r.fault, r.handler_status))
        .collect();
    assert_eq!(
        faulted,
        [
            (504, Some("after-504"), Some(201)),
            (500, Some("after-500"), Some(201)),
            (502, Some("after-502"), Some(201)),
        ]
    );
    assert_eq!(
        admin.injected("POST /v1/private-links", FaultKind::After504),
        1
    );
    // The queue is spent: the next create answers normally.
    assert_eq!(
        api.post("/private-links", link_body("answered"))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn an_after_commit_drop_closes_the_connection_after_the_write() {
    let api = Api::instant();
    api.admin()
        .script_fault(Some("POST /v1/private-links"), FaultKind::AfterDrop, 1);
    let r = api
        .client
        .post(api.url("/private-links"))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .json(&link_body("dropped_after"))
        .send()
        .await;
    let e = r.expect_err("no answer");
    assert!(!e.is_status(), "{e:?}");
    assert_eq!(link_names(&api), ["dropped_after"]);
    let last = api.admin().requests().pop().expect("logged");
    assert_eq!(
        (last.status, last.fault, last.handler_status),
        (0, Some("after-drop"), Some(201))
    );
    // A before-the-handler drop, for contrast, makes nothing.
    api.admin()
        .script_fault(Some("POST /v1/private-links"), FaultKind::Drop, 1);
    let r = api
        .client
        .post(api.url("/private-links"))
        .basic_auth(api.sim.api_key(), Some(api.sim.api_secret()))
        .json(&link_body("dropped_before"))
        .send()
        .await;
    assert!(r.is_err());
    assert_eq!(link_names(&api), ["dropped_after"]);
}

#[tokio::test]
async fn random_after_commit_rates_apply_to_their_endpoints_only() {
    let mut config = SimConfig::instant();
    config.seed = Some(7);
    let api = Api::start(config);
    api.admin().update_knobs(|k| {
        k.faults.after_commit = AfterCommitFaults {
            error_500: 1.0,
            endpoints: vec!["POST /v1/private-links".into()],
            ..AfterCommitFaults::default()
        };
    });
    for i in 0..3 {
        let a = api
            .post("/private-links", link_body(&format!("r{i}")))
            .await;
        assert_eq!(a.status, 500);
    }
    assert_eq!(link_names(&api).len(), 3, "each write was made");
    assert_eq!(
        api.get("/private-links").await.status,
        200,
        "other endpoints unaffected"
    );
    let g = api.admin().group_id().to_string();
    let a = api
        .post(
            "/connections",
            json!({"group_id": g, "service": "postgres", "paused": true, "run_setup_tests": false,
                   "config": {"schema_prefix": "untouched", "user": "u", "password": "p", "database": "d", "port": 5432}}),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let injected = api.admin().injected_faults();
    assert_eq!(
        injected
            .get("POST /v1/private-links")
            .and_then(|k| k.get("after-500")),
        Some(&3)
    );
    assert!(
        !injected.contains_key("POST /v1/connections"),
        "{injected:?}"
    );

    // The admin API shows the same figures and takes the same kinds.
    let shown: serde_json::Value = reqwest::get(format!("{}/_sim/faults", api.sim.root_url()))
        .await
        .expect("admin answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(shown["POST /v1/private-links"]["after-500"], 3);
    let queued = api
        .client
        .post(format!("{}/_sim/faults", api.sim.root_url()))
        .json(&json!({"endpoint": "GET /v1/groups", "kind": "after-504"}))
        .send()
        .await
        .expect("admin answers");
    assert_eq!(queued.status(), 204);
    assert_eq!(api.get("/groups").await.status, 504);
}
