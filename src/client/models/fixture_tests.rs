//! Every recorded real-API answer in `../shared/api/fixtures/` decodes into the client's
//! types (skipped, saying so, when the folder is absent; `FIVETRAN_API_FIXTURES` points
//! elsewhere). The fixtures' README says what each file shows and where it comes from.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::envelope::{ApiErrorBody, Envelope, Page};
use super::{Certificate, Connection, Destination, Fingerprint, PrivateLink};

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

/// Which client type each fixture's body is, by the endpoint its name says.
fn decode(name: &str, body: &Value) -> Result<(), String> {
    let stem = name.trim_end_matches(".json");
    let kind = stem
        .strip_prefix("reconstructed_")
        .unwrap_or(stem)
        .to_string();
    match kind.as_str() {
        k if k.ends_with("_404") || k.starts_with("429") || k.contains("too_many_requests") => {
            let e: ApiErrorBody =
                serde_json::from_value(body.clone()).map_err(|e| format!("{name}: {e}"))?;
            match e.code {
                Some(c) if !c.is_empty() => Ok(()),
                _ => Err(format!("{name}: an error body without a code")),
            }
        }
        "private_link_patch_while_creating" => {
            let e: ApiErrorBody =
                serde_json::from_value(body.clone()).map_err(|e| format!("{name}: {e}"))?;
            (e.code.as_deref() == Some("IllegalState"))
                .then_some(())
                .ok_or_else(|| format!("{name}: expected IllegalState"))
        }
        "private_link_list_200" => data::<Page<PrivateLink>>(name, body).map(drop),
        k if k.starts_with("private_link_") => data::<PrivateLink>(name, body).map(drop),
        k if k.starts_with("connection_") || k.starts_with("setup_tests_") => {
            data::<Connection>(name, body).map(drop)
        }
        k if k.starts_with("destination_") => data::<Destination>(name, body).map(drop),
        k if k.starts_with("certificate_list") => data::<Page<Certificate>>(name, body).map(drop),
        k if k.starts_with("certificate_") => data::<Certificate>(name, body).map(drop),
        k if k.starts_with("fingerprint_list") => data::<Page<Fingerprint>>(name, body).map(drop),
        k if k.starts_with("fingerprint_") => data::<Fingerprint>(name, body).map(drop),
        _ => Err(format!(
            "{name}: no client type is known for this fixture; add it here"
        )),
    }
}

#[test]
fn every_real_api_fixture_decodes() {
    let Some(dir) = fixtures_dir() else {
        fivetran_sim::skips::skip(
            "every_real_api_fixture_decodes",
            "../shared/api/fixtures not found (set FIVETRAN_API_FIXTURES)",
        );
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures folder readable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "fixtures found: {names:?}");
    let failures: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture readable");
            let body: Value = serde_json::from_str(&text).expect("fixture is JSON");
            decode(name, &body).err()
        })
        .collect();
    assert!(
        failures.is_empty(),
        "fixtures that do not decode:\n{}",
        failures.join("\n")
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
