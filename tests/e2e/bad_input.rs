//! The bad-input corpus: every invalid configuration fails at `validate` or `plan` with a
//! diagnostic that names the attribute and says how to fix it, never crashes, and sends the
//! API nothing.

use fivetran_sim::{SimConfig, SimServer};

use crate::harness::Workspace;

/// One invalid configuration: what it is, the HCL, and a piece of the diagnostic that shows
/// the right attribute was named (a source line Terraform quotes, or an argument name).
pub struct Case {
    name: &'static str,
    hcl: String,
    expect: &'static [&'static str],
}

fn link_with(line_from: &str, line_to: &str) -> String {
    let base = r#"
resource "fivetran_private_link" "pl" {
  name    = "pl"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {
    connection_service_name = "svc"
  }
}
"#;
    assert!(base.contains(line_from), "{line_from}");
    base.replace(line_from, line_to)
}

fn provider_with(body: &str) -> String {
    format!("provider \"fivetran\" {{\n{body}\n}}\ndata \"fivetran_private_links\" \"all\" {{}}\n")
}

pub fn private_link_and_provider_cases() -> Vec<Case> {
    let c = |name, hcl: String, expect| Case { name, hcl, expect };
    vec![
        c(
            "provider api_url scheme",
            provider_with("  api_url = \"ftp://x/v1\""),
            &["Invalid api_url", "api_url = \"ftp://x/v1\""],
        ),
        c(
            "provider api_url not a url",
            provider_with("  api_url = \"not a url\""),
            &["Invalid api_url"],
        ),
        c(
            "provider api_url with query",
            provider_with("  api_url = \"https://x/v1?a=1\""),
            &["Invalid api_url"],
        ),
        c(
            "provider api_url wrong type",
            provider_with("  api_url = [\"x\"]"),
            &["api_url"],
        ),
        c(
            "provider unknown argument",
            provider_with("  api_token = \"x\""),
            &["api_token"],
        ),
        c(
            "provider rate zero",
            provider_with("  requests_per_second = 0"),
            &["Invalid request rate", "requests_per_second = 0"],
        ),
        c(
            "provider rate negative",
            provider_with("  requests_per_second = -3"),
            &["Invalid request rate"],
        ),
        c(
            "provider burst fractional",
            provider_with("  request_burst = 1.5"),
            &["Invalid request burst", "request_burst = 1.5"],
        ),
        c(
            "provider rate wrong type",
            provider_with("  requests_per_second = \"fast\""),
            &["requests_per_second"],
        ),
        c(
            "link name starts with digit",
            link_with("name    = \"pl\"", "name    = \"1pl\""),
            &["Invalid private link name", "name    = \"1pl\""],
        ),
        c(
            "link name with dash",
            link_with("name    = \"pl\"", "name    = \"p-l\""),
            &["Invalid private link name"],
        ),
        c(
            "link name too long",
            link_with(
                "name    = \"pl\"",
                "name    = \"abcdefghijklmnopqrstuvwxyz\"",
            ),
            &["Invalid private link name"],
        ),
        c(
            "link name empty",
            link_with("name    = \"pl\"", "name    = \"\""),
            &["Invalid private link name"],
        ),
        c(
            "link region on another cloud",
            link_with("region  = \"AWS_US_EAST_1\"", "region  = \"GCP_US_EAST4\""),
            &["Region does not match", "region  = \"GCP_US_EAST4\""],
        ),
        c(
            "link missing config key",
            link_with("connection_service_name = \"svc\"", "vpce_id = \"x\""),
            &["Missing private link config key", "config = {"],
        ),
        c(
            "link missing required name",
            link_with("name    = \"pl\"\n", ""),
            &["\"name\" is required"],
        ),
        c(
            "link missing required config",
            link_with(
                "  config = {\n    connection_service_name = \"svc\"\n  }\n",
                "",
            ),
            &["\"config\" is required"],
        ),
        c(
            "link config wrong type",
            link_with(
                "  config = {\n    connection_service_name = \"svc\"\n  }\n",
                "  config = \"svc\"\n",
            ),
            &["config"],
        ),
        c(
            "link region wrong type",
            link_with("region  = \"AWS_US_EAST_1\"", "region  = { a = 1 }"),
            &["region"],
        ),
        c(
            "link unknown argument",
            link_with("name    = \"pl\"", "name    = \"pl\"\n  colour = \"red\""),
            &["colour"],
        ),
        c(
            "link computed argument set",
            link_with("name    = \"pl\"", "name    = \"pl\"\n  state = \"OK\""),
            &["Read-Only Attribute", "state = \"OK\""],
        ),
        c(
            "link malformed create timeout",
            link_with(
                "name    = \"pl\"",
                "name    = \"pl\"\n  timeouts {\n    create = \"10\"\n  }",
            ),
            &["Invalid duration", "create = \"10\""],
        ),
        c(
            "link unknown timeout unit",
            link_with(
                "name    = \"pl\"",
                "name    = \"pl\"\n  timeouts {\n    delete = \"5d\"\n  }",
            ),
            &["Invalid duration", "delete = \"5d\""],
        ),
        c(
            "link negative timeout",
            link_with(
                "name    = \"pl\"",
                "name    = \"pl\"\n  timeouts {\n    update = \"-1m\"\n  }",
            ),
            &["Invalid duration"],
        ),
        c(
            "link two timeouts blocks",
            link_with(
                "name    = \"pl\"",
                "name    = \"pl\"\n  timeouts {}\n  timeouts {}",
            ),
            &["timeouts"],
        ),
        c(
            "link wait_for_ready wrong type",
            link_with(
                "name    = \"pl\"",
                "name    = \"pl\"\n  wait_for_ready = \"perhaps\"",
            ),
            &["wait_for_ready"],
        ),
        c(
            "data link both id and name",
            "data \"fivetran_private_link\" \"x\" {\n  id   = \"a\"\n  name = \"b\"\n}\n".into(),
            &["Conflicting arguments", "name = \"b\""],
        ),
        c(
            "data link neither id nor name",
            "data \"fivetran_private_link\" \"x\" {}\n".into(),
            &["Missing argument", "fivetran_private_link"],
        ),
    ]
}

fn run_cases(cases: Vec<Case>) {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let mut failures = Vec::new();
    let count = cases.len();
    for case in cases {
        let ws = Workspace::with_sim(&sim, &case.hcl);
        let validate = ws.terraform(&["validate"]);
        let run = if validate.code != 0 {
            validate
        } else {
            ws.plan()
        };
        let out = run.output();
        let named = case.expect.iter().all(|e| out.contains(e));
        let crashed = out.contains("panic")
            || out.contains("crashed")
            || out.contains("Plugin did not respond");
        if run.code != 1 || !named || crashed {
            failures.push(format!("--- {} (exit {}):\n{out}", case.name, run.code));
        }
    }
    assert_eq!(
        sim.admin().counters().total,
        0,
        "invalid configurations must not reach the API"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("bad-input corpus: {count} cases, all rejected before any API request");
}

#[test]
fn invalid_provider_and_private_link_configurations_are_rejected_before_any_request() {
    run_cases(private_link_and_provider_cases());
}
