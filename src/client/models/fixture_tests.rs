//! Every recorded real-API answer in `../shared/api/fixtures/` decodes into the client's
//! types, and the values the client reads are the values the fixture holds (skipped, saying
//! so, when the folder is absent; `FIVETRAN_API_FIXTURES` points elsewhere). The fixtures'
//! README says what each file shows and where it comes from.
//!
//! "Holds the fixture's values" is checked by encoding each decoded value back: every key
//! the type writes must carry the fixture's value where the fixture has that key (a number
//! and its decimal text are the same, `null` and an empty list or map are the same), and be
//! empty where it has not; and every key a type writes must be present in at least one of
//! its fixtures (or be listed in [`NOT_IN_ANY_FIXTURE`] with the reason). So a renamed serde
//! key, which decodes to nothing, fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::envelope::{ApiErrorBody, Envelope, Page};
use super::{
    Certificate, Connection, Destination, Fingerprint, Group, GroupPublicKey, PrivateLink,
};

fn fixtures_dir() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("FIVETRAN_API_FIXTURES") {
        candidates.push(PathBuf::from(p));
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    candidates.push(root.join("../shared/api/fixtures"));
    candidates.into_iter().find(|p| p.is_dir())
}

/// Decodes `data` of a success envelope as `T`, naming the file on failure.
fn data<T: DeserializeOwned>(name: &str, body: &Value) -> Result<T, String> {
    let env: Envelope<T> =
        serde_json::from_value(body.clone()).map_err(|e| format!("{name}: {e}"))?;
    env.data.ok_or_else(|| format!("{name}: no data"))
}

/// Keys a client type writes that no fixture holds, per type, with the reason.
const NOT_IN_ANY_FIXTURE: &[(&str, &str, &str)] = &[
    (
        "Certificate",
        "id",
        "the spec's `CertificateDetailsResponse.id`; the SDK's recorded answers predate it",
    ),
    (
        "Fingerprint",
        "id",
        "the spec's `FingerprintDetailsResponse.id`; the SDK's recorded answers predate it",
    ),
    (
        "Connection",
        "destination_schema_names",
        "spec `ConnectorResponseV1.destination_schema_names`; newer than the recorded answers",
    ),
    (
        "Connection",
        "external_secrets_manager_id",
        "spec `ConnectorResponseV1.external_secrets_manager_id`; newer than the recorded answers",
    ),
    (
        "PrivateLink",
        "resource_upstream_status",
        "spec `PrivateLinkResponse.resource_upstream_status` (the API reference's example shows `IDLE`); newer than the recorded answers",
    ),
    (
        "Connection",
        "status.rescheduled_for",
        "spec `ConnectorStatusResponse.rescheduled_for`; only set while a sync is rescheduled",
    ),
];

/// The keys each client type wrote, and those a fixture held, over all fixtures.
#[derive(Default)]
struct Coverage {
    written: BTreeMap<&'static str, BTreeSet<String>>,
    held: BTreeMap<&'static str, BTreeSet<String>>,
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Equal as the client reads them: a number and its decimal text are the same value.
fn same_value(fixture: &Value, written: &Value) -> bool {
    match (fixture, written) {
        (Value::String(t), Value::Number(n)) | (Value::Number(n), Value::String(t)) => {
            t.trim() == n.to_string()
        }
        _ => fixture == written || (is_empty(fixture) && is_empty(written)),
    }
}

/// Compares what the client wrote back with the fixture, key by key.
fn compare(
    fixture: &Value,
    written: &Value,
    path: &str,
    coverage: &mut Coverage,
    ty: &'static str,
    problems: &mut Vec<String>,
) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (fixture, written) {
        // A free-form map (config) or a typed object: the same rule for each key.
        (Value::Object(f), Value::Object(w)) => {
            for (k, wv) in w {
                let p = join(k);
                coverage.written.entry(ty).or_default().insert(p.clone());
                match f.get(k) {
                    Some(fv) => {
                        coverage.held.entry(ty).or_default().insert(p.clone());
                        compare(fv, wv, &p, coverage, ty, problems);
                    }
                    None if is_empty(wv) => {}
                    None => problems.push(format!("{p}: {wv} read from a fixture without it")),
                }
            }
        }
        (Value::Array(f), Value::Array(w)) if f.len() == w.len() => {
            for (fv, wv) in f.iter().zip(w) {
                compare(fv, wv, &format!("{path}[]"), coverage, ty, problems);
            }
        }
        _ if same_value(fixture, written) => {}
        _ => problems.push(format!(
            "{path}: the fixture holds {fixture}, read as {written}"
        )),
    }
}

/// Decodes `data` as `T` and checks that it holds the fixture's values.
fn holds<T: DeserializeOwned + Serialize>(
    ty: &'static str,
    data: &Value,
    coverage: &mut Coverage,
) -> Result<(), String> {
    let t: T = serde_json::from_value(data.clone()).map_err(|e| e.to_string())?;
    let written = serde_json::to_value(&t).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    compare(data, &written, "", coverage, ty, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// `data` of a list answer: each item as `T`, and the page itself.
fn page_holds<T: DeserializeOwned + Serialize>(
    ty: &'static str,
    data: &Value,
    coverage: &mut Coverage,
) -> Result<(), String> {
    let page: Page<Value> = serde_json::from_value(data.clone()).map_err(|e| e.to_string())?;
    if page.next_cursor.as_deref() != data["next_cursor"].as_str() {
        return Err(format!("next_cursor read as {:?}", page.next_cursor));
    }
    page.items.iter().enumerate().try_for_each(|(i, item)| {
        holds::<T>(ty, item, coverage).map_err(|e| format!("items[{i}]: {e}"))
    })
}

/// Which client type each fixture's body is, by the endpoint its name says; checks that it
/// decodes and holds the fixture's values.
fn decode(name: &str, body: &Value, coverage: &mut Coverage) -> Result<(), String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.trim_end_matches(".json");
    let kind = stem
        .strip_prefix("reconstructed_")
        .unwrap_or(stem)
        .to_string();
    let error_body = || -> Result<ApiErrorBody, String> {
        serde_json::from_value(body.clone()).map_err(|e| format!("{name}: {e}"))
    };
    let data = || -> Result<&Value, String> {
        let env: Envelope<Value> =
            serde_json::from_value(body.clone()).map_err(|e| format!("{name}: {e}"))?;
        env.data
            .is_some()
            .then(|| &body["data"])
            .ok_or_else(|| format!("{name}: no data"))
    };
    let result = match kind.as_str() {
        k if k.ends_with("_404") || k.starts_with("429") || k.contains("too_many_requests") => {
            let e = error_body()?;
            return if e.code.is_some() && e.code == body["code"].as_str().map(str::to_string) {
                Ok(())
            } else {
                Err(format!("{name}: code read as {:?}", e.code))
            };
        }
        "private_link_patch_while_creating" => {
            let e = error_body()?;
            return (e.code.as_deref() == Some("IllegalState")
                && e.message.as_deref() == body["message"].as_str())
            .then_some(())
            .ok_or_else(|| format!("{name}: expected IllegalState with its message"));
        }
        k if k.contains("_400_") || k.ends_with("_409") => {
            let e = error_body()?;
            return e
                .code
                .is_some()
                .then_some(())
                .ok_or_else(|| format!("{name}: an error body without a code"));
        }
        // The docs elide every field but the setup tests (fixture's own `_note`).
        "destination_create_validate_certificate_docs" => {
            let tests: Vec<crate::client::SetupTest> =
                serde_json::from_value(data()?["setup_tests"].clone())
                    .map_err(|e| format!("{name}: {e}"))?;
            return tests
                .iter()
                .any(|t| t.details.is_array())
                .then_some(())
                .ok_or_else(|| format!("{name}: no certificate list in the failed test"));
        }
        // Answers with no data: the message is what the client reads (deletions).
        k if k.starts_with("destination_delete")
            || k.starts_with("group_delete")
            || k == "group_add_user_200"
            || k == "group_remove_user_200" =>
        {
            let e = error_body()?;
            return (e.code.as_deref() == Some("Success") && body.get("data").is_none())
                .then_some(())
                .ok_or_else(|| format!("{name}: expected a Success answer without data"));
        }
        k if k.starts_with("destination_list") => {
            page_holds::<Destination>("Destination", data()?, coverage)
        }
        k if k.starts_with("group_list") => page_holds::<Group>("Group", data()?, coverage),
        "group_public_key_200" => holds::<GroupPublicKey>("GroupPublicKey", data()?, coverage),
        k if k.starts_with("group_service_account") || k.starts_with("group_users") => {
            // Endpoints the client does not call; decoding them proves nothing.
            return data().map(drop);
        }
        k if k.starts_with("group_") => holds::<Group>("Group", data()?, coverage),
        "private_link_list_200" => page_holds::<PrivateLink>("PrivateLink", data()?, coverage),
        k if k.starts_with("private_link_") => {
            holds::<PrivateLink>("PrivateLink", data()?, coverage)
        }
        k if k.starts_with("connection_") || k.starts_with("setup_tests_") => {
            holds::<Connection>("Connection", data()?, coverage)
        }
        k if k.starts_with("destination_") => {
            holds::<Destination>("Destination", data()?, coverage)
        }
        k if k.starts_with("certificate_list") => {
            page_holds::<Certificate>("Certificate", data()?, coverage)
        }
        k if k.starts_with("certificate_") => {
            holds::<Certificate>("Certificate", data()?, coverage)
        }
        k if k.starts_with("fingerprint_list") => {
            page_holds::<Fingerprint>("Fingerprint", data()?, coverage)
        }
        k if k.starts_with("fingerprint_") => {
            holds::<Fingerprint>("Fingerprint", data()?, coverage)
        }
        _ => Err("no client type is known for this fixture; add it here".to_string()),
    };
    result.map_err(|e| format!("{name}: {e}"))
}

/// The keys some type writes that none of its fixtures holds (renamed keys among them).
fn never_held(coverage: &Coverage) -> Vec<String> {
    let mut out = Vec::new();
    for (ty, written) in &coverage.written {
        let held = coverage.held.get(ty).cloned().unwrap_or_default();
        for key in written.difference(&held) {
            // `config.<key>`, `details` contents: free-form, only what a fixture holds.
            let listed = NOT_IN_ANY_FIXTURE
                .iter()
                .any(|(t, k, _)| t == ty && k == key);
            if !listed {
                out.push(format!("{ty}.{key}"));
            }
        }
    }
    out
}

#[test]
fn every_real_api_fixture_decodes_and_is_read_as_it_holds() {
    let Some(dir) = fixtures_dir() else {
        fivetran_sim::skips::skip(
            "every_real_api_fixture_decodes_and_is_read_as_it_holds",
            "../shared/api/fixtures not found (set FIVETRAN_API_FIXTURES)",
        );
        return;
    };
    // The top folder and `destinations-groups/` (groups and destinations).
    let mut names: Vec<String> = ["", "destinations-groups"]
        .iter()
        .flat_map(|sub| {
            std::fs::read_dir(dir.join(sub))
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .map(move |e| {
                    let file = e.file_name().to_string_lossy().into_owned();
                    if sub.is_empty() {
                        file
                    } else {
                        format!("{sub}/{file}")
                    }
                })
        })
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(
        names.iter().any(|n| n.starts_with("destinations-groups/")),
        "no destinations-groups fixtures in {}",
        dir.display()
    );
    let mut coverage = Coverage::default();
    let failures: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture readable");
            let body: Value = serde_json::from_str(&text).expect("fixture is JSON");
            decode(name, &body, &mut coverage).err()
        })
        .collect();
    assert!(
        failures.is_empty(),
        "fixtures that do not decode or are not read as they hold:\n{}",
        failures.join("\n")
    );
    for (ty, key, why) in NOT_IN_ANY_FIXTURE {
        let written = coverage.written.get(ty).is_some_and(|w| w.contains(*key));
        let held = coverage.held.get(ty).is_some_and(|h| h.contains(*key));
        assert!(
            written && !held,
            "{ty}.{key} is listed as in no fixture ({why}) but is {}",
            if held {
                "held by one now"
            } else {
                "not written by the type"
            }
        );
    }
    let unseen = never_held(&coverage);
    assert!(
        unseen.is_empty(),
        "keys the client reads that no fixture holds (renamed?): {unseen:?}"
    );
}

#[test]
fn the_answers_the_client_relies_on_read_as_the_fixtures_say() {
    let Some(dir) = fixtures_dir() else {
        fivetran_sim::skips::skip(
            "the_answers_the_client_relies_on_read_as_the_fixtures_say",
            "fixtures not found (set FIVETRAN_API_FIXTURES)",
        );
        return;
    };
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("fixture"))
            .expect("json")
    };
    // `status` without `setup_state` (an unsupported service).
    let c: Connection =
        data("missing", &read("connection_missing_setup_state_200.json")).expect("decodes");
    assert_eq!(c.status.setup_state, None);
    // `details` of a certificate failure is an array of objects; a null config is empty.
    let t: Connection = data("tests", &read("connection_setup_tests_200.json")).expect("decodes");
    assert!(t.setup_tests.iter().any(|s| s.details.is_array()));
    let pl: PrivateLink = data(
        "null config",
        &read("private_link_details_null_config_200.json"),
    )
    .expect("decodes");
    assert!(pl.config.is_empty());
    // List items carry no config.
    let list: Page<PrivateLink> =
        data("list", &read("private_link_list_200.json")).expect("decodes");
    assert!(list.items.iter().all(|l| l.config.is_empty()));
    assert_eq!(list.next_cursor, None);
}
