//! The provider block: schema, validation and configuration through the real Terraform.

use fivetran_sim::{SimConfig, SimServer};

use crate::harness::{Run, Workspace, REQUIRED_PROVIDERS};

#[test]
fn providers_schema_lists_the_provider_schema() {
    let ws = Workspace::new(REQUIRED_PROVIDERS);
    let run = ws.terraform(&["providers", "schema", "-json"]);
    run.assert_success();
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("schema JSON");
    let provider = &schema["provider_schemas"]["registry.terraform.io/fivetran/fivetran"];
    let attrs = &provider["provider"]["block"]["attributes"];
    for name in ["api_key", "api_secret", "api_url"] {
        assert!(
            attrs[name].is_object(),
            "provider attribute {name} missing: {provider}"
        );
    }
    assert_eq!(attrs["api_secret"]["sensitive"], true);
    assert!(attrs["api_url"]["description"]
        .as_str()
        .is_some_and(|d| d.contains("FIVETRAN_API_URL")));
}

/// A simulator with credentials of its own, so only the configured ones can reach it.
fn sim_with_credentials() -> SimServer {
    let mut config = SimConfig::instant();
    config.api_key = "config_test_key".to_string();
    config.api_secret = "config-test-secret".to_string();
    SimServer::spawn(config).expect("simulator")
}

/// A data source the plan must read and a resource it must plan.
fn reads_and_plans(sim: &SimServer) -> String {
    format!(
        r#"
data "fivetran_group" "g" {{
  id = "{}"
}}

resource "fivetran_private_link" "pl" {{
  name    = "config_${{data.fivetran_group.g.name}}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config  = {{ connection_service_name = "svc" }}
}}
"#,
        sim.group_id()
    )
}

/// The plan read the group with the credentials it was given, and planned the link from it.
#[track_caller]
fn assert_planned_through(sim: &SimServer, plan: &Run) {
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy")
            && plan.stdout.contains("config_sim_warehouse"),
        "{}",
        plan.output()
    );
    let reads: Vec<_> = sim
        .admin()
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "GET /v1/groups/{groupId}")
        .map(|r| r.status)
        .collect();
    assert!(
        !reads.is_empty() && reads.iter().all(|s| *s == 200),
        "the group read with the configured credentials: {reads:?}"
    );
}

#[test]
fn validate_and_plan_with_a_provider_block() {
    let sim = sim_with_credentials();
    // Arguments win over the environment, which holds wrong credentials here.
    let ws = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{\n  api_key = \"{}\"\n  api_secret = \"{}\"\n  api_url = \"{}\"\n}}\n{}",
        sim.api_key(),
        sim.api_secret(),
        sim.base_url(),
        reads_and_plans(&sim)
    ))
    .env("FIVETRAN_APIKEY", "wrong_key")
    .env("FIVETRAN_APISECRET", "wrong-secret")
    .env("FIVETRAN_API_URL", "http://127.0.0.1:9/v1");
    ws.terraform(&["validate"]).assert_success();
    let plan = ws.terraform(&["plan", "-input=false", "-detailed-exitcode"]);
    assert_planned_through(&sim, &plan);
}

#[test]
fn plan_with_environment_configuration() {
    let sim = sim_with_credentials();
    let ws = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{}}\n{}",
        reads_and_plans(&sim)
    ))
    .env("FIVETRAN_APIKEY", sim.api_key())
    .env("FIVETRAN_APISECRET", sim.api_secret())
    .env("FIVETRAN_API_URL", &sim.base_url());
    ws.terraform(&["validate"]).assert_success();
    let plan = ws.terraform(&["plan", "-input=false", "-detailed-exitcode"]);
    assert_planned_through(&sim, &plan);
    // The same configuration with a wrong secret in the environment is refused by the API:
    // the credentials above really came from the environment.
    let wrong = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{}}\n{}",
        reads_and_plans(&sim)
    ))
    .env("FIVETRAN_APIKEY", sim.api_key())
    .env("FIVETRAN_APISECRET", "not-the-secret")
    .env("FIVETRAN_API_URL", &sim.base_url());
    let refused = wrong.terraform(&["plan", "-input=false"]);
    refused.assert_failure();
    assert!(
        refused.output().contains("401") || refused.output().contains("nauthor"),
        "{}",
        refused.output()
    );
}

#[test]
fn a_bad_api_url_fails_validate_and_plan_on_that_attribute() {
    let ws = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{\n  api_url = \"ftp://example.com/v1\"\n}}\ndata \"fivetran_private_links\" \"all\" {{}}\n"
    ));
    for run in [ws.terraform(&["validate"]), ws.plan()] {
        run.assert_failure();
        let out = run.output();
        assert!(out.contains("Invalid api_url"), "{out}");
        assert!(
            out.contains("api_url = \"ftp://example.com/v1\""),
            "diagnostic must point at the attribute: {out}"
        );
        assert!(!out.contains("panic"), "{out}");
    }
}

#[test]
fn missing_credentials_say_what_to_set() {
    let ws = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{\n  api_url = \"http://127.0.0.1:9/v1\"\n}}\ndata \"fivetran_private_links\" \"all\" {{}}\n"
    ));
    let run = ws.plan();
    run.assert_failure();
    let out = run.output();
    assert!(
        out.contains("FIVETRAN_APIKEY") && out.contains("api_key"),
        "{out}"
    );
}
