//! Setup-test results: as Terraform shows them ([`TestResult`], shared by every resource that
//! runs or reports tests), and what to tell the user about a run: which tests failed and why,
//! and for an untrusted certificate or SSH host key, the exact values and the resource block
//! that approves it. Written for any parent ([`ParentKind`]): connections now, destinations
//! next.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::client::{SetupTest, SetupTestStatus};
use crate::framework::typed::Attr;
use crate::protocol::{Diagnostic, Diagnostics, Type};

use super::parent::ParentKind;

/// One setup-test result as Terraform shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestResult {
    pub title: Attr<String>,
    pub status: Attr<String>,
    pub message: Attr<String>,
}

impl From<&SetupTest> for TestResult {
    fn from(t: &SetupTest) -> Self {
        TestResult {
            title: t.title.clone().into(),
            status: t.status.as_str().to_string().into(),
            message: t.message.clone().into(),
        }
    }
}

/// The results of a run, in order.
pub fn results(tests: &[SetupTest]) -> Vec<TestResult> {
    tests.iter().map(TestResult::from).collect()
}

/// The Terraform type of a list of [`TestResult`].
pub fn results_type() -> Type {
    Type::list(Type::object([
        ("title", Type::String),
        ("status", Type::String),
        ("message", Type::String),
    ]))
}

/// Whether a result lets the parent go ahead (`WARNING` only warns).
pub fn passes(t: &SetupTest) -> bool {
    matches!(
        t.status,
        SetupTestStatus::Passed | SetupTestStatus::Skipped | SetupTestStatus::Warning
    )
}

/// `Connection` / `Destination`, for summaries.
pub fn title(parent: ParentKind) -> String {
    let noun = parent.noun();
    let mut c = noun.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A warning per `WARNING` result.
pub fn warnings(parent: ParentKind, parent_id: &str, tests: &[SetupTest], diags: &mut Diagnostics) {
    for t in tests
        .iter()
        .filter(|t| t.status == SetupTestStatus::Warning)
    {
        diags.warning(
            format!("{} Setup Test Warning", title(parent)),
            format!(
                "Setup test {:?} of {} passed with a warning: {}",
                t.title,
                parent.subject(parent_id),
                t.message.as_deref().unwrap_or("no message")
            ),
        );
    }
}

/// The error for failed setup tests: each failing test with its message and, for a
/// certificate or host key nobody approved yet, the resource to write.
pub fn failure(parent: ParentKind, parent_id: &str, tests: &[SetupTest]) -> Diagnostics {
    let consequence = match parent {
        ParentKind::Connection => "; the connection stays paused",
        ParentKind::Destination => "",
    };
    let mut detail = format!(
        "The setup tests of {} failed{consequence}.\n",
        parent.subject(parent_id)
    );
    for t in tests.iter().filter(|t| !passes(t)) {
        detail.push_str(&format!(
            "\n- {} ({}): {}\n",
            t.title,
            t.status,
            t.message.as_deref().unwrap_or("no message")
        ));
        for item in detail_objects(&t.details) {
            if let Some(advice) = approval_advice(parent, parent_id, item) {
                detail.push_str(&advice);
            }
        }
    }
    detail.push_str("\nFix the source or approve what it presents, then apply again: this resource is recorded as failed (tainted) and runs the tests again.");
    Diagnostic::error(format!("{} Setup Tests Failed", title(parent)), detail).into()
}

/// The objects in a test's `details`: an object, or each object of a list.
fn detail_objects(details: &Json) -> Vec<&serde_json::Map<String, Json>> {
    match details {
        Json::Object(m) => vec![m],
        Json::Array(items) => items.iter().filter_map(Json::as_object).collect(),
        _ => Vec::new(),
    }
}

/// A Terraform label from a certificate or key name (`CN=db.example.com` → `db_example_com`).
fn label(name: Option<&str>, fallback: &str) -> String {
    let base = name.unwrap_or_default();
    let base = base.strip_prefix("CN=").unwrap_or(base);
    let mut out: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    out = out.trim_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("{fallback}_{out}")
            .trim_end_matches('_')
            .to_string();
    }
    out
}

/// A resource block, indented to sit under a list item.
fn block(kind: &str, label: &str, args: &[(&str, &str)]) -> String {
    let mut out = format!("    resource \"{kind}\" \"{label}\" {{\n");
    for (k, v) in args {
        out.push_str(&format!("      {k:<13} = \"{v}\"\n"));
    }
    out.push_str("    }\n");
    out
}

fn approval_advice(
    parent: ParentKind,
    parent_id: &str,
    item: &serde_json::Map<String, Json>,
) -> Option<String> {
    let get = |k: &str| item.get(k).and_then(Json::as_str).filter(|s| !s.is_empty());
    let id_attribute = parent.id_attribute();
    let presenter = match parent {
        ParentKind::Connection => "source",
        ParentKind::Destination => "destination",
    };
    let hash = get("hash")?;
    let name = get("name").unwrap_or("(unnamed)");
    if get("encoded_cert").is_some() || get("sha256").is_some() {
        let sha256 = get("sha256");
        let args: Vec<(&str, &str)> = match sha256 {
            Some(sha) => vec![(id_attribute, parent_id), ("sha256", sha)],
            None => vec![
                (id_attribute, parent_id),
                ("hash", hash),
                ("encoded_cert", get("encoded_cert").unwrap_or_default()),
            ],
        };
        return Some(format!(
            "\n  The {presenter} presents the certificate {name}:\n    sha256: {}\n    hash:   {hash}\n  To approve exactly this certificate, add (and make this resource depend on it):\n\n{}\n  or set trust_certificates = true here to trust any certificate the {presenter} presents.\n",
            sha256.unwrap_or("(not given)"),
            block(&format!("fivetran_{}_certificate", parent.noun()), &label(get("name"), "certificate"), &args),
        ));
    }
    let public_key = get("public_key")?;
    let args = [(id_attribute, parent_id), ("public_key", public_key)];
    Some(format!(
        "\n  The tunnel presents the SSH host key of {name}:\n    hash:       {hash}\n    public key: {public_key}\n  To approve exactly this key, add (and make this resource depend on it):\n\n{}\n  or set trust_fingerprints = true here to trust any key the tunnel presents.\n",
        block(&format!("fivetran_{}_fingerprint", parent.noun()), &label(get("name"), "fingerprint"), &args),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn test(title: &str, status: &str, details: Json) -> SetupTest {
        serde_json::from_value(
            json!({"title": title, "status": status, "message": "m", "details": details}),
        )
        .expect("a setup test")
    }

    #[test]
    fn certificate_failures_name_the_values_and_the_block() {
        let tests = [
            test("Connecting to Host", "PASSED", Json::Null),
            test(
                "Validate Certificate",
                "FAILED",
                json!({"hash": "ab/c+d", "sha256": "0f0f", "encoded_cert": "QUJD", "name": "CN=db-7.example.com"}),
            ),
            test("Validating Access", "SKIPPED", Json::Null),
        ];
        let d = failure(ParentKind::Connection, "conn1", &tests);
        let text = &d.first().expect("a diagnostic").detail;
        assert!(
            text.contains("sha256: 0f0f") && text.contains("hash:   ab/c+d"),
            "{text}"
        );
        assert!(
            text.contains("resource \"fivetran_connection_certificate\" \"db_7_example_com\""),
            "{text}"
        );
        assert!(text.contains("sha256        = \"0f0f\""), "{text}");
        assert!(
            !text.contains("Connecting to Host"),
            "only failures are listed: {text}"
        );
    }

    #[test]
    fn fingerprint_failures_give_the_public_key() {
        let tests = [test(
            "SSH Tunnel Connection",
            "FAILED",
            // An object, as the SSH test reports it (reconstructed_setup_tests_certificate_and_ssh.json).
            json!({"hash": "h1", "public_key": "ssh-ed25519 AAAA", "name": "bastion"}),
        )];
        let text = failure(ParentKind::Connection, "c", &tests)
            .first()
            .expect("a diagnostic")
            .detail
            .clone();
        assert!(
            text.contains("public_key    = \"ssh-ed25519 AAAA\""),
            "{text}"
        );
        assert!(
            text.contains("fivetran_connection_fingerprint\" \"bastion\""),
            "{text}"
        );
    }

    #[test]
    fn warnings_pass_and_warn() {
        let tests = [
            test("Latency", "WARNING", Json::Null),
            test("x", "JOB_FAILED", Json::Null),
        ];
        assert!(passes(&tests[0]) && !passes(&tests[1]));
        let mut d = Diagnostics::new();
        warnings(ParentKind::Connection, "c", &tests, &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(label(Some("9lives"), "certificate"), "certificate_9lives");
    }

    #[test]
    fn a_destination_s_report_names_the_destination_resources() {
        let tests = [test(
            "Validate Certificate",
            "FAILED",
            json!({"hash": "h", "sha256": "0f0f", "name": "CN=wh.example.com"}),
        )];
        let d = failure(ParentKind::Destination, "dest1", &tests);
        let first = d.first().expect("a diagnostic");
        assert_eq!(first.summary, "Destination Setup Tests Failed");
        let text = &first.detail;
        assert!(text.contains("fivetran_destination_certificate"), "{text}");
        assert!(text.contains("destination_id = \"dest1\""), "{text}");
        assert!(!text.contains("stays paused"), "{text}");
    }
}
