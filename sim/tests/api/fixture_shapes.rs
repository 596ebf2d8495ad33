//! Shapes: for each real-API fixture in `../shared/api/fixtures` and its folder
//! `destinations-groups/` (or `$FIVETRAN_API_FIXTURES`) that answers an endpoint the
//! simulator serves, the simulator's answer to the same kind of request has the fixture's
//! status and every key of the fixture's `data` with the same JSON type (recursively; arrays
//! by their first element; `null` on either side matches anything; a key the fixture holds as
//! `null` may be absent; a setup test's `details` may be a string, array or object). Keys the
//! READMEs say are absent (list items have no `config`, the destination setup-test answer
//! has no `private_link_id`) must be absent. Error bodies must carry the fixture's code,
//! unless the fixture writes it as a placeholder (`<not recorded>`). Every fixture is checked
//! but those of endpoints the simulator does not serve (`NOT_SERVED`, with the reason), and
//! where a fixture is no evidence for one key (it contradicts another, or echoes the
//! request) the difference is listed in
//! `KNOWN_DIFFERENCES`. Skips, saying so, when the fixtures are not there.

use std::path::PathBuf;

use fivetran_sim::model::destination_config::rule;
use fivetran_sim::{presented_certificate, presented_host_key, SimConfig};
use serde_json::{json, Value};

use crate::common::{Answer, Api};

/// The folder of the groups and destinations fixtures.
const DG: &str = "destinations-groups";

/// Fixtures that answer an endpoint the simulator does not serve, with the reason. Every
/// other fixture must be checked.
const NOT_SERVED: &[(&str, &str)] = &[
    (
        "destinations-groups/group_service_account_200.json",
        "GET /v1/groups/{groupId}/service-account is not simulated (no provider feature uses it)",
    ),
    (
        "destinations-groups/reconstructed_group_service_account_e2e_observed.json",
        "GET /v1/groups/{groupId}/service-account is not simulated",
    ),
    (
        "destinations-groups/group_users_list_200.json",
        "GET /v1/groups/{groupId}/users is not simulated (the simulator has no users)",
    ),
    (
        "destinations-groups/group_add_user_200.json",
        "POST /v1/groups/{groupId}/users is not simulated",
    ),
    (
        "destinations-groups/group_remove_user_200.json",
        "DELETE /v1/groups/{groupId}/users/{userId} is not simulated",
    ),
];

/// Type differences allowed where the fixtures are no evidence of the API for that key:
/// (file, path, why). Each names the evidence the simulator follows instead.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "destinations-groups/destination_create_201.json",
        "config.is_private_key_encrypted",
        "go-fivetran's mock of a placeholder service keeps a boolean; the official provider's \
         snowflake mock (destination_create_mapping_tfp_201.json) answers \"false\"; the sim \
         answers with its snowflake row (booleans as text)",
    ),
    (
        "destinations-groups/reconstructed_destination_create_databricks_private_link_pr483.json",
        "config.port",
        "the PR's mock echoed the request for every key but the rewritten ones (its _note); \
         the sim's databricks follows the default row of CONFIG_RULES (numbers as text)",
    ),
];

fn fixtures_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("FIVETRAN_API_FIXTURES") {
        return Some(PathBuf::from(d));
    }
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/api/fixtures");
    d.is_dir().then_some(d)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `fixture` must be in `sim` with the same type; problems go to `out`.
fn compare(fixture: &Value, sim: &Value, path: &str, out: &mut Vec<String>) {
    if fixture.is_null() || sim.is_null() {
        return;
    }
    if path.ends_with("details") {
        return; // string, array or object (fixtures connection_create_tfp_201.json et al.)
    }
    if kind(fixture) != kind(sim) {
        out.push(format!(
            "{path}: fixture {} vs sim {}",
            kind(fixture),
            kind(sim)
        ));
        return;
    }
    match (fixture, sim) {
        (Value::Object(f), Value::Object(s)) => {
            for (k, fv) in f {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match s.get(k) {
                    Some(sv) => compare(fv, sv, &p, out),
                    // Absent and null say the same (the spec's nullable ids, a last page's
                    // cursor); absent where the fixture holds a value is a difference.
                    None if fv.is_null() => {}
                    None => out.push(format!("{p}: missing in the sim's answer")),
                }
            }
        }
        (Value::Array(f), Value::Array(s)) => {
            if let (Some(fv), Some(sv)) = (f.first(), s.first()) {
                compare(fv, sv, &format!("{path}[]"), out);
            } else if !f.is_empty() {
                out.push(format!("{path}: the sim's array is empty"));
            }
        }
        _ => {}
    }
}

fn expected_status(file: &str) -> u16 {
    // Fixtures without a status in their name: the READMEs' tables.
    let base = file.rsplit('/').next().unwrap_or(file);
    match base {
        "reconstructed_setup_tests_certificate_and_ssh.json"
        | "reconstructed_connection_create_e2e_observed.json"
        | "destination_create_setup_tests_tfp.json"
        | "reconstructed_destination_create_databricks_private_link_pr483.json"
        | "reconstructed_destination_create_e2e_observed.json"
        | "reconstructed_destination_create_validate_certificate_docs.json" => return 201,
        "reconstructed_destination_details_e2e_observed.json"
        | "reconstructed_destination_list_e2e_observed.json"
        | "reconstructed_destination_modify_e2e_observed.json"
        | "reconstructed_destination_setup_tests_e2e_observed.json"
        | "reconstructed_destination_setup_tests_no_networking_pr483.json"
        | "reconstructed_group_list_e2e_observed.json" => return 200,
        // Status not recorded ("non-2xx"); the sim's choice, see ApiError::IllegalState.
        "reconstructed_private_link_patch_while_creating.json" => return 409,
        _ => {}
    }
    ["_201", "_200", "_400", "_404", "_409", "_429"]
        .iter()
        .find(|s| file.contains(*s))
        .and_then(|s| s[1..].parse().ok())
        .unwrap_or(0)
}

/// The fixture's config as a request would send it (masked secrets get a value).
fn request_config(fixture: &Value) -> Value {
    let mut c = fixture["data"]["config"].clone();
    if let Some(m) = c.as_object_mut() {
        for v in m.values_mut() {
            if v == "******" {
                *v = json!("s3cret");
            }
        }
    }
    c
}

struct Run {
    api: Api,
    link: String,
    conn: String,
    groups: usize,
    checked: Vec<String>,
    problems: Vec<String>,
}

impl Run {
    fn check(&mut self, file: &str, fixture: &Value, a: &Answer) {
        self.checked.push(file.to_string());
        let want = expected_status(file);
        if a.status != want {
            self.problems.push(format!(
                "{file}: status {} (fixture {want}): {}",
                a.status, a.text
            ));
            return;
        }
        let mut out = Vec::new();
        match fixture.get("data") {
            Some(d) => compare(d, a.data(), "", &mut out),
            None => {
                if kind(&fixture["code"]) == "string" && a.code().is_empty() {
                    out.push("code missing".into());
                }
                // A placeholder (`<not recorded>`) says the code is unknown.
                let placeholder = fixture["code"].as_str().is_some_and(|c| c.starts_with('<'));
                if !placeholder
                    && fixture["code"] != "TooManyRequests"
                    && fixture["code"] != a.body["code"]
                {
                    out.push(format!("code {} vs {}", fixture["code"], a.body["code"]));
                }
            }
        }
        out.retain(|p| {
            !KNOWN_DIFFERENCES
                .iter()
                .any(|(f, path, _)| *f == file && p.starts_with(&format!("{path}:")))
        });
        self.problems
            .extend(out.into_iter().map(|p| format!("{file}: {p}")));
    }

    /// Records a problem unless `keys` are absent from `v` (the READMEs' absences).
    fn absent(&mut self, file: &str, v: &Value, keys: &[&str]) {
        for k in keys {
            if v.get(*k).is_some() {
                self.problems
                    .push(format!("{file}: '{k}' should be absent: {v}"));
            }
        }
    }

    /// Records a problem unless `v[key] == want` (values the e2e tests asserted).
    fn expect(&mut self, file: &str, v: &Value, key: &str, want: Value) {
        let got = v.pointer(key).cloned().unwrap_or(Value::Null);
        if got != want {
            self.problems
                .push(format!("{file}: {key} is {got}, expected {want}"));
        }
    }

    /// A new group with a unique name; its id.
    async fn group(&mut self) -> String {
        self.groups += 1;
        let a = self
            .api
            .post(
                "/groups",
                json!({"name": format!("fixture_group_{}", self.groups)}),
            )
            .await;
        a.data()["id"].as_str().unwrap_or_default().to_string()
    }

    /// A create request from a destination fixture: its config (masked secrets get a
    /// value, keys the API adds are left out), region, time zone, daylight saving, agents,
    /// and the private link when the fixture has one.
    fn destination_body(&self, fixture: &Value, group: &str, service: &str, tests: bool) -> Value {
        let d = &fixture["data"];
        let mut config = request_config(fixture);
        match config.as_object_mut() {
            Some(m) => {
                for (key, _, _) in rule(service).added {
                    m.remove(*key);
                }
            }
            None => config = json!({}),
        }
        let mut body = json!({"group_id": group, "service": service, "time_zone_offset": "0",
            "run_setup_tests": tests, "config": config});
        let real = |v: &Value| {
            v.as_str()
                .filter(|s| !s.is_empty() && !s.starts_with('<'))
                .map(str::to_string)
        };
        if let Some(tz) = real(&d["time_zone_offset"]) {
            body["time_zone_offset"] = json!(tz);
        }
        if let Some(r) = real(&d["region"]) {
            body["region"] = json!(r);
        }
        // A first test with details: an SSH tunnel whose host key is not approved fails
        // first, with details (as connection_like does).
        if d["setup_tests"][0].get("details").is_some() {
            body["config"]["tunnel_host"] = json!("bastion.example.com");
        }
        if d["daylight_saving_time_enabled"].is_boolean() {
            body["daylight_saving_time_enabled"] = d["daylight_saving_time_enabled"].clone();
        }
        // On the private link when the fixture is (the setup-test answer shows only
        // networking_method: behaviour 20).
        if real(&d["private_link_id"]).is_some() || d["networking_method"] == "PrivateLink" {
            body["networking_method"] = json!("PrivateLink");
            body["private_link_id"] = json!(self.link);
        }
        for k in ["hybrid_deployment_agent_id", "proxy_agent_id"] {
            if let Some(v) = real(&d[k]) {
                body[k] = json!(v);
            }
        }
        body
    }

    /// A destination created from a destination fixture in a new group.
    async fn destination_like(
        &mut self,
        fixture: &Value,
        service: &str,
        tests: bool,
    ) -> (String, Answer) {
        let g = self.group().await;
        let body = self.destination_body(fixture, &g, service, tests);
        let a = self.api.post("/destinations", body).await;
        if a.status != 201 {
            self.problems
                .push(format!("creating a {service} destination: {}", a.text));
        }
        (g, a)
    }

    /// A destination on the private link with both agents (the list fixtures' items).
    async fn rich_destination(&mut self) -> String {
        let g = self.group().await;
        let body = json!({"group_id": g, "service": "snowflake", "time_zone_offset": "+3", "run_setup_tests": false,
            "networking_method": "PrivateLink", "private_link_id": self.link,
            "hybrid_deployment_agent_id": "agent", "proxy_agent_id": "proxy", "config": {"host": "h.example.com"}});
        self.api.post("/destinations", body).await;
        g
    }

    /// The page of `GET /v1/destinations?limit=1` that holds `id`.
    async fn list_page_of(&self, id: &str) -> Answer {
        let mut cursor = String::new();
        loop {
            let q = if cursor.is_empty() {
                String::new()
            } else {
                format!("&cursor={cursor}")
            };
            let a = self.api.get(&format!("/destinations?limit=1{q}")).await;
            if a.data()["items"][0]["id"] == id {
                return a;
            }
            match a.data()["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => return a,
            }
        }
    }

    /// The simulator's answer for a fixture of `destinations-groups/` (`None`: unknown).
    async fn groups_and_destinations(
        &mut self,
        base: &str,
        file: &str,
        fixture: &Value,
    ) -> Option<Answer> {
        let dp = |g: &str| format!("/destinations/{g}");
        let a = match base {
            // The service is a placeholder ("test_service"): snowflake, see KNOWN_DIFFERENCES.
            "destination_create_201.json"
            | "destination_create_mapping_tfp_201.json"
            | "destination_create_private_link_tfp_201.json" => {
                self.destination_like(fixture, "snowflake", true).await.1
            }
            "destination_create_big_query_tfp_201.json" => {
                self.destination_like(fixture, "big_query", false).await.1
            }
            "destination_create_s3_datalake_tfp_201.json" => {
                self.destination_like(fixture, "new_s3_datalake", false)
                    .await
                    .1
            }
            "destination_create_400_empty_region_tfp.json" => {
                let g = self.group().await;
                let mut body = self.destination_body(&json!({}), &g, "snowflake", false);
                body["region"] = json!("");
                let a = self.api.post("/destinations", body).await;
                self.expect(file, &a.body, "/message", json!("region cannot be empty"));
                a
            }
            "reconstructed_destination_create_e2e_observed.json" => {
                // go-fivetran e2e: no region, port 443 as a number, run_setup_tests false.
                let g = self.group().await;
                let mut body = self.destination_body(fixture, &g, "snowflake", false);
                body.as_object_mut().map(|o| o.remove("region"));
                body["config"]["port"] = json!(443);
                let a = self.api.post("/destinations", body).await;
                for (k, v) in [
                    ("/data/id", json!(g)),
                    ("/data/group_id", json!(g)),
                    ("/data/region", json!("GCP_US_EAST4")),
                    ("/data/networking_method", json!("Directly")),
                    ("/data/setup_status", json!("incomplete")),
                    ("/data/config/port", json!("443")),
                    ("/data/config/password", json!("******")),
                    ("/code", json!("Success")),
                ] {
                    self.expect(file, &a.body, k, v);
                }
                a
            }
            "reconstructed_destination_create_databricks_private_link_pr483.json" => {
                let g = self.group().await;
                let mut body = self.destination_body(fixture, &g, "databricks", false);
                body["networking_method"] = json!("PrivateLink");
                body["private_link_id"] = json!(self.link);
                body["config"]["server_host_name"] = json!("adb-1.azuredatabricks.net");
                let a = self.api.post("/destinations", body).await;
                let host = self
                    .api
                    .get(&format!("/private-links/{}", self.link))
                    .await
                    .data()["host"]
                    .clone();
                self.expect(file, &a.body, "/data/config/server_host_name", host);
                self.expect(file, &a.body, "/data/config/cloud_provider", json!("AWS"));
                a
            }
            "reconstructed_destination_create_validate_certificate_docs.json" => {
                let g = self.group().await;
                let mut body = self.destination_body(fixture, &g, "snowflake", true);
                body["config"] = json!({"host": "db-7.example.com"});
                let mut a = self.api.post("/destinations", body).await;
                let failed = a.data()["setup_tests"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|t| {
                        t["title"] == "Validate Certificate"
                            && t["status"] == "FAILED"
                            && t["details"].is_array()
                    })
                    .cloned();
                match failed {
                    // The docs elide the other tests: compare with the test of that title.
                    Some(t) => a.body["data"]["setup_tests"] = json!([t]),
                    None => self.problems.push(format!(
                        "{file}: no failed Validate Certificate with an array: {}",
                        a.text
                    )),
                }
                a
            }
            "destination_delete_200.json" | "destination_delete_tfp_200.json" => {
                let (g, _) = self.destination_like(&json!({}), "snowflake", false).await;
                let a = self.api.delete(&dp(&g)).await;
                if !a.message().contains(&g) {
                    self.problems.push(format!(
                        "{file}: the message does not contain the id: {}",
                        a.text
                    ));
                }
                a
            }
            "reconstructed_destination_delete_409.json" => {
                let (g, _) = self.destination_like(&json!({}), "snowflake", false).await;
                self.api
                    .post(
                        "/connections",
                        json!({"group_id": g, "service": "postgres", "paused": true,
                    "config": {"schema_prefix": "fixture_blocking"}}),
                    )
                    .await;
                self.api.delete(&dp(&g)).await
            }
            "reconstructed_destination_details_404.json" => {
                let (g, _) = self.destination_like(&json!({}), "snowflake", false).await;
                self.api.delete(&dp(&g)).await;
                self.api.get(&dp(&g)).await
            }
            "destination_details_200.json"
            | "reconstructed_destination_details_e2e_observed.json" => {
                let (g, _) = self.destination_like(fixture, "snowflake", false).await;
                let a = self.api.get(&dp(&g)).await;
                self.expect(file, &a.body, "/data/group_id", json!(g));
                a
            }
            "destination_details_tfp_200.json" => {
                let (g, _) = self.destination_like(fixture, "snowflake", true).await;
                self.api.get(&dp(&g)).await
            }
            // Its port is a number: what a service that keeps numbers answers.
            "destination_details_int_port_200.json" | "destination_details_mdls_tfp_200.json" => {
                let (g, _) = self
                    .destination_like(fixture, "managed_data_lake", false)
                    .await;
                self.api.get(&dp(&g)).await
            }
            "destination_list_200.json" | "destination_list_tfp_page1_200.json" => {
                let first = self.rich_destination().await;
                self.rich_destination().await;
                self.list_page_of(&first).await
            }
            "destination_list_tfp_page2_200.json" => {
                let last = self.rich_destination().await;
                self.list_page_of(&last).await
            }
            "reconstructed_destination_list_e2e_observed.json" => {
                let a = self.api.get("/destinations").await;
                self.expect(
                    file,
                    &a.body,
                    "/message",
                    json!("Destinations list retrieved successfully"),
                );
                a
            }
            "destination_modify_200.json" => {
                let (g, _) = self.destination_like(fixture, "snowflake", false).await;
                self.api
                    .patch(
                        &dp(&g),
                        json!({"region": "GCP_AUSTRALIA_SOUTHEAST1", "time_zone_offset": "+10",
                    "config": {"port": 1433}}),
                    )
                    .await
            }
            "reconstructed_destination_modify_e2e_observed.json" => {
                let (g, _) = self.destination_like(&json!({}), "snowflake", false).await;
                let a = self.api.patch(&dp(&g), json!({"region": "GCP_AUSTRALIA_SOUTHEAST1", "time_zone_offset": "+10",
                    "run_setup_tests": false, "daylight_saving_time_enabled": true,
                    "config": {"host": "updated_host.snowflakecomputing.com", "port": 444, "database": "fivetran_updated",
                        "user": "fivetran_user_updated", "password": "p"}})).await;
                for (k, v) in [
                    ("/data/region", json!("GCP_AUSTRALIA_SOUTHEAST1")),
                    ("/data/config/port", json!("444")),
                    (
                        "/data/config/host",
                        json!("updated_host.snowflakecomputing.com"),
                    ),
                    ("/data/config/password", json!("******")),
                ] {
                    self.expect(file, &a.body, k, v);
                }
                a
            }
            "destination_modify_big_query_tfp_200.json" => {
                let (g, _) = self.destination_like(fixture, "big_query", false).await;
                self.api
                    .patch(
                        &dp(&g),
                        json!({"region": "GCP_US_WEST1", "run_setup_tests": false}),
                    )
                    .await
            }
            "destination_modify_s3_datalake_tfp_200.json" => {
                let (g, _) = self
                    .destination_like(fixture, "new_s3_datalake", false)
                    .await;
                self.api
                    .patch(
                        &dp(&g),
                        json!({"run_setup_tests": false, "config": {"bucket": "bucket1"}}),
                    )
                    .await
            }
            "destination_setup_tests_200.json"
            | "reconstructed_destination_setup_tests_e2e_observed.json" => {
                let (g, _) = self.destination_like(fixture, "snowflake", false).await;
                self.api
                    .post(
                        &format!("{}/test", dp(&g)),
                        json!({"trust_certificates": true, "trust_fingerprints": true}),
                    )
                    .await
            }
            "destination_setup_tests_private_link_tfp_200.json" => {
                let (g, _) = self.destination_like(fixture, "snowflake", false).await;
                let a = self.api.post(&format!("{}/test", dp(&g)), json!({})).await;
                self.absent(file, a.data(), &["private_link_id"]);
                a
            }
            "reconstructed_destination_setup_tests_no_networking_pr483.json" => {
                let (g, _) = self.destination_like(fixture, "databricks", false).await;
                self.api
                    .admin()
                    .update_knobs(|k| k.destination_test_legacy_answer = true);
                let a = self.api.post(&format!("{}/test", dp(&g)), json!({})).await;
                self.api
                    .admin()
                    .update_knobs(|k| k.destination_test_legacy_answer = false);
                self.absent(
                    file,
                    a.data(),
                    &["private_link_id", "networking_method", "config"],
                );
                a
            }
            "group_create_201.json" => {
                self.groups += 1;
                self.api
                    .post(
                        "/groups",
                        json!({"name": format!("fixture_created_{}", self.groups)}),
                    )
                    .await
            }
            "group_delete_200.json" | "group_delete_tfp_200.json" => {
                let g = self.group().await;
                let a = self.api.delete(&format!("/groups/{g}")).await;
                if !a.message().contains(&g) {
                    self.problems.push(format!(
                        "{file}: the message does not contain the id: {}",
                        a.text
                    ));
                }
                a
            }
            "group_details_200.json" => {
                self.api
                    .get(&format!("/groups/{}", self.api.sim.group_id()))
                    .await
            }
            "group_list_200.json" => {
                self.group().await;
                self.api.get("/groups?limit=1").await
            }
            "group_list_tfp_200.json" => self.api.get("/groups").await,
            "reconstructed_group_list_e2e_observed.json" => {
                let a = self.api.get("/groups").await;
                self.expect(
                    file,
                    &a.body,
                    "/message",
                    json!("Groups retrieved successfully"),
                );
                a
            }
            "group_modify_200.json" => {
                let g = self.group().await;
                self.api
                    .patch(
                        &format!("/groups/{g}"),
                        json!({"name": format!("fixture_renamed_{}", self.groups)}),
                    )
                    .await
            }
            "group_public_key_200.json" => {
                let a = self
                    .api
                    .get(&format!("/groups/{}/public-key", self.api.sim.group_id()))
                    .await;
                if !a.data()["public_key"]
                    .as_str()
                    .is_some_and(|k| k.ends_with(" fivetran user key\n"))
                {
                    self.problems
                        .push(format!("{file}: no trailing newline: {}", a.text));
                }
                a
            }
            "reconstructed_group_details_404.json" => self.api.get("/groups/no_such_group").await,
            _ => return None,
        };
        // List items carry neither config nor setup tests (README, behaviour 26).
        if base.contains("destination_list") {
            let items = a.data()["items"].as_array().cloned().unwrap_or_default();
            for item in &items {
                self.absent(file, item, &["config", "setup_tests"]);
            }
        }
        Some(a)
    }

    /// A connection created from a connection fixture: its service, its config, and a
    /// tunnel host so the first setup test fails with details.
    async fn connection_like(&self, fixture: &Value, prefix: &str, tests: bool) -> Answer {
        let d = &fixture["data"];
        let mut config = request_config(fixture);
        config["schema"] = json!(prefix);
        if tests {
            config["tunnel_host"] = json!("bastion.example.com");
            config["host"] = json!("db-7.example.com");
        }
        let mut body = json!({"group_id": self.api.sim.group_id(), "service": d["service"],
            "paused": d["paused"], "run_setup_tests": tests, "config": config});
        for k in [
            "daily_sync_time",
            "hybrid_deployment_agent_id",
            "proxy_agent_id",
            "data_delay_sensitivity",
            "data_delay_threshold",
            "pause_after_trial",
        ] {
            if !d[k].is_null() {
                body[k] = d[k].clone();
            }
        }
        if d["sync_frequency"].is_number() {
            body["sync_frequency"] = d["sync_frequency"].clone();
            if d["daily_sync_time"].is_string() {
                body["sync_frequency"] = json!(1440);
            }
        }
        if d["private_link_id"].is_string() {
            body["networking_method"] = json!("PrivateLink");
            body["private_link_id"] = json!(self.link);
        }
        self.api.post("/connections", body).await
    }
}

#[tokio::test]
async fn simulator_answers_have_the_fixtures_shapes() {
    let Some(dir) = fixtures_dir() else {
        fivetran_sim::skips::skip(
            "simulator_answers_have_the_fixtures_shapes",
            "no fixtures at ../shared/api/fixtures (set FIVETRAN_API_FIXTURES)",
        );
        return;
    };
    let api = Api::start(SimConfig::instant());
    let link = api.create_link("fixture-link").await;
    api.wait_link_state(&link, "OK").await;
    api.create_link("fixture-link-2").await;
    let mut run = Run {
        api,
        link,
        conn: String::new(),
        groups: 0,
        checked: Vec::new(),
        problems: Vec::new(),
    };
    let cert = presented_certificate("db-7.example.com");
    let key = presented_host_key("bastion.example.com");

    let json_files = |sub: &str| -> Vec<String> {
        std::fs::read_dir(dir.join(sub))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|f| f.ends_with(".json"))
                    .map(|f| {
                        if sub.is_empty() {
                            f
                        } else {
                            format!("{sub}/{f}")
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut files = json_files("");
    let groups_and_destinations = json_files(DG);
    assert!(
        !groups_and_destinations.is_empty(),
        "no fixtures in {}",
        dir.join(DG).display()
    );
    files.extend(groups_and_destinations);
    files.sort();
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        let Ok(fixture) = serde_json::from_str::<Value>(&text) else {
            run.problems.push(format!("{file}: not JSON"));
            continue;
        };
        let prefix = format!("fixture_{i}");
        let a = match file.as_str() {
            "private_link_create_201.json" => {
                run.api
                    .post(
                        "/private-links",
                        crate::common::link_body("fixture-created"),
                    )
                    .await
            }
            f if f.starts_with("private_link_details") => {
                run.api.get(&format!("/private-links/{}", run.link)).await
            }
            "private_link_list_200.json" => {
                let a = run.api.get("/private-links").await;
                // The README: list items have no `config`.
                for item in a.data()["items"].as_array().into_iter().flatten() {
                    if item.get("config").is_some() {
                        run.problems.push(format!("{file}: a list item has config"));
                    }
                }
                a
            }
            f if f.starts_with("connection_create") => {
                run.connection_like(&fixture, &prefix, true).await
            }
            "connection_details_200.json" | "connection_missing_setup_state_200.json" => {
                let a = run.connection_like(&fixture, &prefix, true).await;
                let id = a.data()["id"].as_str().unwrap_or_default().to_string();
                run.api.get(&format!("/connections/{id}")).await
            }
            "connection_setup_tests_200.json" => {
                let a = run.connection_like(&fixture, &prefix, false).await;
                let id = a.data()["id"].as_str().unwrap_or_default().to_string();
                // A tunnel host, so the first test fails with details as in the fixture.
                run.api
                    .admin()
                    .set_connection_config(&id, "tunnel_host", Some(json!("bastion.example.com")))
                    .ok();
                run.api
                    .post(&format!("/connections/{id}/test"), json!({}))
                    .await
            }
            "reconstructed_setup_tests_certificate_and_ssh.json" => {
                // Its SSH and certificate tests both fail; the sim stops at the first
                // failure, so the two shapes come from two connections.
                let ssh = run
                    .connection_like(
                        &json!({"data": {"service": "postgres_rds", "paused": true, "config": {}}}),
                        &prefix,
                        true,
                    )
                    .await;
                let mut direct = run.connection_like(&json!({"data": {"service": "postgres_rds", "paused": true, "config": {"host": "db-7.example.com"}}}), &format!("{prefix}_b"), false).await;
                let id = direct.data()["id"].as_str().unwrap_or_default().to_string();
                let tested = run
                    .api
                    .post(&format!("/connections/{id}/test"), json!({}))
                    .await;
                let cert_test = tested.data()["setup_tests"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|t| t["title"] == "Validate Certificate")
                    .cloned()
                    .unwrap_or_default();
                let ssh_test = ssh.data()["setup_tests"][0].clone();
                direct.status = 201;
                direct.body["data"]["setup_tests"] = json!([ssh_test, cert_test]);
                for (i, title) in ["SSH Tunnel Connection", "Validate Certificate"]
                    .iter()
                    .enumerate()
                {
                    if direct.data()["setup_tests"][i]["title"] != *title {
                        run.problems.push(format!(
                            "{file}: test {i} is not '{title}': {}",
                            direct.data()["setup_tests"][i]
                        ));
                    }
                }
                let kinds = (
                    kind(&direct.data()["setup_tests"][0]["details"]),
                    kind(&direct.data()["setup_tests"][1]["details"]),
                );
                if kinds != ("object", "array") {
                    run.problems.push(format!(
                        "{file}: details kinds {kinds:?}, fixture (object, array)"
                    ));
                }
                direct
            }
            "reconstructed_connection_create_e2e_observed.json" => {
                // go-fivetran e2e: created without `paused`, run_setup_tests=false.
                let body = json!({"group_id": run.api.sim.group_id(), "service": "itunes_connect",
                    "run_setup_tests": false, "config": {"schema": prefix, "username": "fivetran", "password": "p"}});
                let a = run.api.post("/connections", body).await;
                if (
                    a.data()["paused"].clone(),
                    a.data()["status"]["setup_state"].clone(),
                ) != (json!(false), json!("incomplete"))
                {
                    run.problems.push(format!(
                        "{file}: not created unpaused and incomplete: {}",
                        a.text
                    ));
                }
                a
            }
            "reconstructed_private_link_patch_while_creating.json" => {
                let id = run.api.create_link("fixture-creating").await;
                run.api
                    .admin()
                    .set_private_link_state(&id, "CREATING", None)
                    .ok();
                run.api
                    .patch(
                        &format!("/private-links/{id}"),
                        json!({"config": {"connection_service_name": "x"}}),
                    )
                    .await
            }
            "connection_delete_404.json" => run.api.delete("/connections/connection_id").await,
            "reconstructed_429_too_many_requests.json" => {
                run.api.admin().script_fault(
                    Some("GET /v1/groups"),
                    fivetran_sim::FaultKind::TooManyRequests,
                    1,
                );
                let a = run.api.get("/groups").await;
                if a.headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .is_none()
                {
                    run.problems.push(format!("{file}: no Retry-After seconds"));
                }
                a
            }
            f if f.starts_with("certificate_") || f.starts_with("fingerprint_") => {
                if run.conn.is_empty() {
                    let c = run
                        .connection_like(
                            &json!({"data": {"service": "postgres", "paused": true, "config": {}}}),
                            "fixture_approvals",
                            false,
                        )
                        .await;
                    run.conn = c.data()["id"].as_str().unwrap_or_default().to_string();
                }
                let base = format!("/connections/{}", run.conn);
                let (what, body, hash) = if f.starts_with("certificate_") {
                    (
                        "certificates",
                        json!({"hash": cert.hash, "encoded_cert": cert.encoded_cert}),
                        cert.hash.clone(),
                    )
                } else {
                    (
                        "fingerprints",
                        json!({"hash": key.hash, "public_key": key.public_key}),
                        key.hash.clone(),
                    )
                };
                let approved = run.api.post(&format!("{base}/{what}"), body).await;
                if f.contains("_approve_") {
                    approved
                } else if f.contains("_details_") {
                    let id = approved.data()["id"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| {
                            use base64::Engine;
                            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash.as_bytes())
                        });
                    run.api.get(&format!("{base}/{what}/{id}")).await
                } else {
                    // A second approval and a page of one, so `next_cursor` is a string as
                    // in the fixture.
                    let other = presented_certificate("db2.example.com");
                    let body = if what == "certificates" {
                        json!({"hash": other.hash, "encoded_cert": other.encoded_cert})
                    } else {
                        json!({"hash": "second", "public_key": key.public_key})
                    };
                    run.api.post(&format!("{base}/{what}"), body).await;
                    run.api.get(&format!("{base}/{what}?limit=1")).await
                }
            }
            f if NOT_SERVED.iter().any(|(n, _)| *n == f) => continue,
            "destination_create_setup_tests_tfp.json" => {
                // The managed_data_lake create whose details are
                // destinations-groups/destination_details_mdls_tfp_200.json.
                let (_, a) = run
                    .destination_like(&fixture, "managed_data_lake", true)
                    .await;
                a
            }
            f if f.starts_with(DG) => {
                let base = f.rsplit('/').next().unwrap_or(f).to_string();
                match run.groups_and_destinations(&base, file, &fixture).await {
                    Some(a) => a,
                    None => {
                        run.problems.push(format!(
                            "{file}: no simulator request is known for this fixture"
                        ));
                        continue;
                    }
                }
            }
            _ => {
                run.problems.push(format!(
                    "{file}: no simulator request is known for this fixture"
                ));
                continue;
            }
        };
        run.check(file, &fixture, &a);
    }
    eprintln!("fixture shapes: checked {:?}", run.checked);
    let mut expected: Vec<&String> = files
        .iter()
        .filter(|f| !NOT_SERVED.iter().any(|(n, _)| n == f))
        .collect();
    expected.sort();
    assert_eq!(
        run.checked.iter().collect::<Vec<_>>(),
        expected,
        "every fixture of an endpoint the simulator serves is checked"
    );
    assert!(
        run.problems.is_empty(),
        "{} problems:\n{}",
        run.problems.len(),
        run.problems.join("\n")
    );
}
