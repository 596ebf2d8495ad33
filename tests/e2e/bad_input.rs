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
            "link required config key empty",
            link_with(
                "connection_service_name = \"svc\"",
                "connection_service_name = \"\"",
            ),
            &[
                "Empty private link config key",
                "connection_service_name = \"\"",
            ],
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

fn connection_with(extra: &str, config: &str) -> String {
    format!(
        r#"
resource "fivetran_connection" "c" {{
  group_id      = "some_group"
  service       = "postgres"
  schema_prefix = "orders"
  {extra}
  config = {{
    {config}
  }}
}}
"#
    )
}

const SHA: &str = "692b38c2615942fb9b5392f69ea574dcacf81468f967c03f46080727f51a5ae1";

pub fn connection_and_approval_cases() -> Vec<Case> {
    let c = |name, hcl: String, expect| Case { name, hcl, expect };
    let host = "host = \"db.example.com\"";
    vec![
        c("connection unknown networking method", connection_with("networking_method = \"Carrier\"", host), &["Invalid networking method", "networking_method = \"Carrier\""]),
        c("connection private link without PrivateLink", connection_with("private_link_id = \"pl\"", host), &["Private link needs the PrivateLink", "private_link_id = \"pl\""]),
        c("connection PrivateLink without link", connection_with("networking_method = \"PrivateLink\"", host), &["PrivateLink needs a private link"]),
        c("connection malformed daily sync time", connection_with("daily_sync_time = \"25:61\"", host), &["Invalid daily sync time", "daily_sync_time = \"25:61\""]),
        c("connection sync frequency not offered", connection_with("sync_frequency = 7", host), &["Invalid sync frequency", "sync_frequency = 7"]),
        c("connection unknown schedule type", connection_with("schedule_type = \"sometimes\"", host), &["Invalid schedule type"]),
        c("connection schema and prefix both", connection_with("schema = \"x\"", host), &["Conflicting schema naming arguments"]),
        c("connection schema key in config", connection_with("", "schema = \"x\""), &["Schema key in config"]),
        c("connection masked value in config", connection_with("", "password = \"******\""), &["Masked value in config"]),
        c("connection duplicate secret key", connection_with("config_secrets = { host = \"h\" }", host), &["Duplicate config key"]),
        c("connection missing group", connection_with("", host).replace("group_id      = \"some_group\"\n", ""), &["\"group_id\" is required"]),
        c("connection bad timeouts", connection_with("timeouts {\n    create = \"1x\"\n  }", host), &["Invalid duration", "create = \"1x\""]),
        c(
            "gate computed setup_state set",
            "resource \"fivetran_connection_setup_tests\" \"g\" {\n  connection_id = \"c\"\n  setup_state = \"connected\"\n}\n".into(),
            &["setup_state"],
        ),
        c(
            "gate paused wrong type",
            "resource \"fivetran_connection_setup_tests\" \"g\" {\n  connection_id = \"c\"\n  paused = \"maybe\"\n}\n".into(),
            &["paused"],
        ),
        c(
            "certificate both forms",
            format!("resource \"fivetran_connection_certificate\" \"x\" {{\n  connection_id = \"c\"\n  sha256 = \"{SHA}\"\n  hash = \"abc\"\n  encoded_cert = \"YWJj\"\n}}\n"),
            &["Conflicting Arguments"],
        ),
        c(
            "certificate malformed sha256",
            "resource \"fivetran_connection_certificate\" \"x\" {\n  connection_id = \"c\"\n  sha256 = \"xyz\"\n}\n".into(),
            &["Fingerprint", "sha256 = \"xyz\""],
        ),
        c(
            "certificate no form",
            "resource \"fivetran_connection_certificate\" \"x\" {\n  connection_id = \"c\"\n}\n".into(),
            &["Missing Certificate"],
        ),
        c(
            "certificate malformed base64",
            "resource \"fivetran_destination_certificate\" \"x\" {\n  destination_id = \"d\"\n  hash = \"abc\"\n  encoded_cert = \"%%%not base64%%%\"\n}\n".into(),
            &["Invalid Encoded Certificate"],
        ),
        c(
            "fingerprint malformed public key",
            "resource \"fivetran_connection_fingerprint\" \"x\" {\n  connection_id = \"c\"\n  public_key = \"not-a-key\"\n}\n".into(),
            &["Invalid SSH Public Key", "public_key = \"not-a-key\""],
        ),
        c(
            "fingerprint key with bad base64",
            "resource \"fivetran_destination_fingerprint\" \"x\" {\n  destination_id = \"d\"\n  public_key = \"ssh-ed25519 @@@@\"\n}\n".into(),
            &["Invalid SSH Public Key"],
        ),
        c(
            "fingerprint missing parent",
            "resource \"fivetran_connection_fingerprint\" \"x\" {\n  public_key = \"ssh-ed25519 AAAA\"\n}\n".into(),
            &["connection_id"],
        ),
        c(
            "group data both id and name",
            "data \"fivetran_group\" \"g\" {\n  id = \"a\"\n  name = \"b\"\n}\n".into(),
            &["fivetran_group"],
        ),
    ]
}

fn destination_with(line_from: &str, line_to: &str) -> String {
    let base = r#"
resource "fivetran_destination" "d" {
  group_id         = "some_group"
  service          = "snowflake"
  time_zone_offset = "0"
  config = {
    host = "acme.snowflakecomputing.com"
  }
}
"#;
    assert!(base.contains(line_from), "{line_from}");
    base.replace(line_from, line_to)
}

/// The group and destination family: at least 15 cases, each on its attribute.
pub fn group_and_destination_cases() -> Vec<Case> {
    let c = |name, hcl: String, expect| Case { name, hcl, expect };
    let tz = "time_zone_offset = \"0\"";
    let host = "host = \"acme.snowflakecomputing.com\"";
    vec![
        c("group empty name", "resource \"fivetran_group\" \"g\" {\n  name = \"\"\n}\n".into(), &["Empty name", "name = \"\""]),
        c("group blank name", "resource \"fivetran_group\" \"g\" {\n  name = \"   \"\n}\n".into(), &["Empty name"]),
        c("group id set", "resource \"fivetran_group\" \"g\" {\n  name = \"a\"\n  id = \"x\"\n}\n".into(), &["Invalid Configuration for Read-Only Attribute", "id = \"x\""]),
        c("group public key empty group", "data \"fivetran_group_public_key\" \"k\" {\n  group_id = \"\"\n}\n".into(), &["Empty group_id", "group_id = \"\""]),
        c("destination empty group", destination_with("group_id         = \"some_group\"", "group_id = \"\""), &["Empty group_id", "group_id = \"\""]),
        c("destination blank service", destination_with("service          = \"snowflake\"", "service = \" \""), &["Empty service", "service = \" \""]),
        c("destination empty region", destination_with(tz, &format!("{tz}\n  region = \"\"")), &["Empty region", "region = \"\""]),
        c("destination time zone out of range", destination_with(tz, "time_zone_offset = \"+13\""), &["Invalid time zone offset", "time_zone_offset = \"+13\""]),
        c("destination time zone signed zero", destination_with(tz, "time_zone_offset = \"+0\""), &["Invalid time zone offset"]),
        c("destination time zone half hour", destination_with(tz, "time_zone_offset = \"+5:30\""), &["Invalid time zone offset"]),
        c("destination missing time zone", destination_with(tz, ""), &["\"time_zone_offset\" is required"]),
        c("destination unknown networking method", destination_with(tz, &format!("{tz}\n  networking_method = \"Carrier\"")), &["Invalid networking method", "networking_method = \"Carrier\""]),
        c("destination private link without PrivateLink", destination_with(tz, &format!("{tz}\n  private_link_id = \"pl\"")), &["Private link needs the PrivateLink", "private_link_id = \"pl\""]),
        c("destination PrivateLink without link", destination_with(tz, &format!("{tz}\n  networking_method = \"PrivateLink\"")), &["PrivateLink needs a private link"]),
        c("destination config as JSON text", destination_with("config = {\n    host = \"acme.snowflakecomputing.com\"\n  }", "config = jsonencode({ host = \"h\" })"), &["Invalid destination config"]),
        c("destination masked value in config", destination_with(host, &format!("{host}\n    password = \"******\"")), &["Masked value in config"]),
        c("destination duplicate secret key", destination_with(tz, &format!("{tz}\n  config_secrets = {{ host = \"h\" }}")), &["Duplicate config key"]),
        c("destination computed setup_status set", destination_with(tz, &format!("{tz}\n  setup_status = \"connected\"")), &["Invalid Configuration for Read-Only Attribute", "setup_status = \"connected\""]),
        c("destination bad timeouts", destination_with(tz, &format!("{tz}\n  timeouts {{\n    delete = \"soon\"\n  }}")), &["Invalid duration", "delete = \"soon\""]),
        c("destination gate empty destination", "resource \"fivetran_destination_setup_tests\" \"t\" {\n  destination_id = \"\"\n}\n".into(), &["Empty destination_id", "destination_id = \"\""]),
        c("destination gate trust wrong type", "resource \"fivetran_destination_setup_tests\" \"t\" {\n  destination_id = \"d\"\n  trust_certificates = \"sometimes\"\n}\n".into(), &["Incorrect attribute value type", "trust_certificates = \"sometimes\""]),
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
fn invalid_configurations_of_every_resource_are_rejected_before_any_request() {
    let mut cases = private_link_and_provider_cases();
    cases.extend(connection_and_approval_cases());
    assert!(cases.len() >= 40, "the corpus must have at least 40 cases");
    run_cases(cases);
}

#[test]
fn invalid_group_and_destination_configurations_are_rejected_before_any_request() {
    let cases = group_and_destination_cases();
    assert!(cases.len() >= 15, "the issue asks for at least 15 cases");
    run_cases(cases);
}

/// A config key the spec requires for the chosen service, given as an empty (or blank)
/// string, fails `terraform validate` itself, on that key, before any request; the other
/// services' keys are checked the same way, and a key the service does not require may be
/// empty (no other rule).
#[test]
fn an_empty_required_private_link_config_key_fails_validate_on_that_key() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let cases = [
        (
            "SOURCE_AWS",
            "AWS_US_EAST_1",
            "connection_service_name = \"\"",
            "",
        ),
        (
            "SNOWFLAKE_AWS",
            "AWS_US_EAST_1",
            "account_url = \"  \"",
            "vpce_id = \"vpce-0123\"",
        ),
        (
            "SOURCE_AZURE",
            "AZURE_EASTUS2",
            "sub_resource_name = \"\"",
            "connection_service_id = \"/subscriptions/s/pls\"",
        ),
    ];
    for (service, region, empty, other) in cases {
        let hcl = format!(
            "resource \"fivetran_private_link\" \"pl\" {{\n  name    = \"pl\"\n  region  = \"{region}\"\n  service = \"{service}\"\n  config = {{\n    {empty}\n    {other}\n  }}\n}}\n"
        );
        let ws = Workspace::with_sim(&sim, &hcl);
        let validate = ws.terraform(&["validate"]);
        let out = validate.output();
        assert_eq!(validate.code, 1, "{service}: validate must fail:\n{out}");
        assert!(
            out.contains("Empty private link config key") && out.contains(empty),
            "{service}: the diagnostic names the key and quotes its line:\n{out}"
        );
    }
    // An optional key may be empty: no new rule beyond the required keys.
    let ws = Workspace::with_sim(
        &sim,
        "resource \"fivetran_private_link\" \"pl\" {\n  name    = \"pl\"\n  region  = \"AZURE_EASTUS2\"\n  service = \"SOURCE_AZURE\"\n  config = {\n    connection_service_id = \"/subscriptions/s/pls\"\n    sub_resource_name     = \"sqlServer\"\n    private_dns_records   = \"\"\n  }\n}\n",
    );
    ws.terraform(&["validate"]).assert_success();
    assert_eq!(sim.admin().counters().total, 0, "validate sends nothing");
}
