//! The provider block: schema, validation and configuration through the real Terraform.

use crate::harness::{Workspace, REQUIRED_PROVIDERS};

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

#[test]
fn validate_and_plan_with_a_provider_block() {
    let ws = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{\n  api_key = \"key\"\n  api_secret = \"secret\"\n  api_url = \"http://127.0.0.1:9/v1\"\n}}\n"
    ));
    ws.terraform(&["validate"]).assert_success();
    let plan = ws.terraform(&["plan", "-input=false", "-detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{}", plan.output());
}

#[test]
fn plan_with_environment_configuration() {
    let ws = Workspace::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"fivetran\" {{}}\n"
    ))
    .env("FIVETRAN_APIKEY", "key")
    .env("FIVETRAN_APISECRET", "secret")
    .env("FIVETRAN_API_URL", "http://127.0.0.1:9/v1");
    ws.terraform(&["validate"]).assert_success();
    let plan = ws.terraform(&["plan", "-input=false", "-detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{}", plan.output());
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
