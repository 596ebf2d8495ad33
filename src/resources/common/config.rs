//! A connector's `config` (a connection's now, a destination's next): a `dynamic` Terraform
//! value (an HCL object, so numbers stay numbers and nested values work) sent to Fivetran as
//! JSON together with its secrets, and the API's answer read back key by key.
//!
//! Rules, in one place:
//! * only the keys the user wrote are compared with the API (keys Fivetran adds are
//!   ignored); after an import, every key the API shows is taken;
//! * a value the API masks (`"******"`) is never stored nor compared: the prior value is
//!   kept (or, with none, the key is left out);
//! * a value equal to the prior one as JSON keeps the prior value and its type exactly, so
//!   a refresh never invents a diff from number formatting or list/tuple typing.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::protocol::value::Number;
use crate::protocol::{Type, Value};

/// How Fivetran shows a secret in an answer.
pub const MASK: &str = "******";

/// Parts of config keys that usually hold a secret (for the plan-time warning).
const SECRET_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "private_key",
    "api_key",
    "apikey",
    "passphrase",
    "pass_phrase",
    "access_key",
    "credential",
    "connection_string",
    "client_key",
    "account_key",
];

/// Whether a config key looks like it holds a secret (`password`, `client_secret`, ...).
pub fn looks_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "key" || SECRET_KEY_PARTS.iter().any(|p| k.contains(p))
}

/// A known Terraform value as JSON. Unknown values cannot be sent: an error names them.
pub fn to_json(v: &Value) -> Result<Json, String> {
    Ok(match v.concrete() {
        Value::Null => Json::Null,
        Value::Unknown(_) => return Err("the value is not known yet".into()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => number_to_json(n)?,
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            Json::Array(items.iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Value::Map(entries) | Value::Object(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| to_json(v).map(|j| (k.clone(), j)))
                .collect::<Result<_, _>>()?,
        ),
        Value::Dynamic(_, inner) => to_json(inner)?,
    })
}

fn number_to_json(n: &Number) -> Result<Json, String> {
    if let Some(i) = n.as_i64() {
        return Ok(Json::from(i));
    }
    serde_json::Number::from_f64(n.as_f64())
        .map(Json::Number)
        .ok_or_else(|| format!("the number {n} cannot be sent as JSON"))
}

/// JSON as Terraform would type the same HCL literal: objects, tuples, numbers.
pub fn from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .to_string()
            .parse::<Number>()
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Tuple(items.iter().map(from_json).collect()),
        Json::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// JSON equality as Fivetran means it: `1` and `1.0` are the same number, and a number
/// or a boolean equals its text (`5432` and `"5432"`, `true` and `"true"`), because the
/// API stores typed values for text it was sent (the tutorial sends `"port": "<port>"`
/// and reads back a number; fixture connection_setup_tests_200.json shows the reverse,
/// `service_version: "0"`).
pub fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => numbers_equal(x, y),
        (Json::Number(n), Json::String(s)) | (Json::String(s), Json::Number(n)) => {
            s.trim() == s
                && serde_json::from_str::<serde_json::Number>(s).is_ok_and(|t| numbers_equal(n, &t))
        }
        (Json::Bool(v), Json::String(s)) | (Json::String(s), Json::Bool(v)) => {
            s == if *v { "true" } else { "false" }
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn numbers_equal(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    match (x.as_i64(), y.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => x.as_f64() == y.as_f64(),
    }
}

/// The API's value with every masked position replaced by the prior value at the same
/// position; `None` where a masked value has no prior counterpart (leave it out).
fn unmask(prior: Option<&Json>, api: &Json) -> Option<Json> {
    match api {
        Json::String(s) if s == MASK => prior.cloned(),
        Json::Object(m) => Some(Json::Object(
            m.iter()
                .filter_map(|(k, v)| {
                    let p = prior.and_then(|p| p.get(k));
                    unmask(p, v).map(|v| (k.clone(), v))
                })
                .collect(),
        )),
        Json::Array(items) => Some(Json::Array(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| unmask(prior.and_then(|p| p.get(i)), v))
                .collect(),
        )),
        other => Some(other.clone()),
    }
}

/// The entries of a config value (an object or a map) with the type of each.
pub fn typed_entries(v: &Value) -> BTreeMap<String, (Type, Value)> {
    let declared = match v {
        Value::Dynamic(ty, _) => Some(ty),
        _ => None,
    };
    let Some(entries) = v.as_entries() else {
        return BTreeMap::new();
    };
    entries
        .iter()
        .map(|(k, item)| {
            let ty = match declared {
                Some(Type::Object(types)) => types.get(k).cloned(),
                Some(Type::Map(elem)) => Some((**elem).clone()),
                _ => None,
            };
            let ty = ty.or_else(|| item.infer_type()).unwrap_or(Type::Dynamic);
            (k.clone(), (ty, item.clone()))
        })
        .collect()
}

/// A config value (a dynamic object) from typed entries. A prior `map(T)` stays a map
/// when every entry still has type `T`, so its type does not change under the user.
pub fn config_value(entries: BTreeMap<String, (Type, Value)>, like: &Value) -> Value {
    if let Value::Dynamic(Type::Map(elem), _) = like {
        if entries.values().all(|(t, _)| t == &**elem) {
            let map = entries.into_iter().map(|(k, (_, v))| (k, v)).collect();
            return Value::Dynamic(Type::Map(elem.clone()), Box::new(Value::Map(map)));
        }
    }
    let ty = Type::Object(
        entries
            .iter()
            .map(|(k, (t, _))| (k.clone(), t.clone()))
            .collect(),
    );
    let obj = entries.into_iter().map(|(k, (_, v))| (k, v)).collect();
    Value::Dynamic(ty, Box::new(Value::Object(obj)))
}

/// The refreshed `config`: `prior` (the state's value) against the API's `api` config.
/// When `importing`, every key the API shows unmasked is taken but the `excluded` ones
/// (which have top-level arguments); otherwise a null `prior` (no `config` written) stays
/// null. See [`refresh_answered`] to also recognise how the API answered a write.
pub fn refresh(
    prior: &Value,
    api: &Map<String, Json>,
    importing: bool,
    excluded: &[&str],
) -> Value {
    refresh_answered(prior, api, importing, excluded, &BTreeMap::new())
}

/// [`refresh`], where a key whose API value is still what the API answered when this
/// provider last sent it (`answered`, `null` for a key the answer left out) keeps its
/// prior value: the API's way of showing what it was sent (a number as text, an enum in
/// upper case, a host name replaced by a private-link endpoint) is not a change.
pub fn refresh_answered(
    prior: &Value,
    api: &Map<String, Json>,
    importing: bool,
    excluded: &[&str],
    answered: &BTreeMap<String, Json>,
) -> Value {
    if importing {
        let entries = api
            .iter()
            .filter(|(k, _)| !excluded.contains(&k.as_str()))
            .filter_map(|(k, v)| unmask(None, v).map(|v| (k.clone(), v)))
            .map(|(k, v)| {
                let value = from_json(&v);
                (k, (value.infer_type().unwrap_or(Type::Dynamic), value))
            })
            .collect();
        return config_value(entries, prior);
    }
    if prior.is_null() {
        return Value::Null;
    }
    let entries = typed_entries(prior)
        .into_iter()
        .map(|(k, (ty, old))| {
            let old_json = to_json(&old).ok();
            let now = match api.get(&k) {
                None if old.is_null() => None,
                None => Some(Json::Null),
                Some(v) => unmask(old_json.as_ref(), v),
            };
            let as_answered = |now: &Json| answered.get(&k).is_some_and(|a| json_equal(now, a));
            let entry = match (now, &old_json) {
                (None, _) => (ty, old),
                (Some(now), Some(o)) if json_equal(&now, o) => (ty, old),
                (Some(now), _) if as_answered(&now) => (ty, old),
                (Some(now), _) => {
                    let value = from_json(&now);
                    (value.infer_type().unwrap_or(Type::Dynamic), value)
                }
            };
            (k, entry)
        })
        .collect();
    config_value(entries, prior)
}

/// What the API answered, for each key of `written` (the config a write sent): its value
/// in `api`, `null` when the answer left the key out. For [`refresh_answered`].
pub fn answered_keys<'a>(
    written: impl IntoIterator<Item = &'a String>,
    api: &Map<String, Json>,
) -> BTreeMap<String, Json> {
    written
        .into_iter()
        .map(|k| (k.clone(), api.get(k).cloned().unwrap_or(Json::Null)))
        .collect()
}

/// The keys of `planned` whose JSON differs from `prior` (or that `prior` lacks), as JSON.
pub fn changed_entries(prior: &Value, planned: &Value) -> Result<Map<String, Json>, String> {
    let before = prior.as_entries();
    let mut out = Map::new();
    for (k, v) in planned.as_entries().into_iter().flatten() {
        let now = to_json(v).map_err(|e| format!("config key {k:?}: {e}"))?;
        let old = before.and_then(|b| b.get(k)).and_then(|o| to_json(o).ok());
        if !old.is_some_and(|o| json_equal(&o, &now)) {
            out.insert(k.clone(), now);
        }
    }
    Ok(out)
}

/// The config sent on create: every non-null entry of `config`, then the secrets (a key
/// in both is refused at validate).
pub fn with_secrets<'a>(
    config: &Value,
    secrets: impl IntoIterator<Item = &'a std::collections::BTreeMap<String, String>>,
) -> Result<Map<String, Json>, String> {
    let mut out = all_entries(config)?;
    for (k, v) in secrets.into_iter().flatten() {
        out.insert(k.clone(), Json::String(v.clone()));
    }
    Ok(out)
}

/// Every non-null entry of a config value as JSON (for a create).
pub fn all_entries(v: &Value) -> Result<Map<String, Json>, String> {
    let mut out = Map::new();
    for (k, item) in v.as_entries().into_iter().flatten() {
        if item.is_null() {
            continue;
        }
        let j = to_json(item).map_err(|e| format!("config key {k:?}: {e}"))?;
        out.insert(k.clone(), j);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Keys with top-level arguments (a connection's schema naming).
    const SCHEMA: &[&str] = &["schema", "schema_prefix", "table", "table_group_name"];

    fn obj(j: Json) -> Map<String, Json> {
        match j {
            Json::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// A config as Terraform decodes `{ host = "db", port = 5432, tags = ["a"] }`.
    fn hcl_config() -> Value {
        let v = Value::object([
            ("host", Value::from("db")),
            ("port", Value::from(5432)),
            ("ratio", Value::Number("0.1".parse().expect("number"))),
            ("password", Value::from("p")),
            ("tags", Value::Tuple(vec![Value::from("a")])),
        ]);
        Value::Dynamic(v.infer_type().expect("known"), Box::new(v))
    }

    #[test]
    fn json_round_trip_keeps_numbers_numbers() {
        let j = to_json(&hcl_config()).expect("known");
        assert_eq!(j["port"], json!(5432));
        assert_eq!(j["ratio"], json!(0.1));
        assert_eq!(
            from_json(&json!(0.1)),
            Value::Number("0.1".parse().expect("n"))
        );
        assert!(to_json(&Value::Unknown(Default::default())).is_err());
    }

    #[test]
    fn an_unchanged_answer_refreshes_to_the_identical_value() {
        let api = obj(
            json!({"host": "db", "port": 5432, "ratio": 0.1, "password": "******",
            "tags": ["a"], "added_by_fivetran": true, "schema_prefix": "x"}),
        );
        assert_eq!(refresh(&hcl_config(), &api, false, SCHEMA), hcl_config());
    }

    #[test]
    fn values_the_api_retypes_are_equal_to_their_text() {
        assert!(json_equal(&json!(5432), &json!("5432")));
        assert!(json_equal(&json!("5432"), &json!(5432.0)));
        assert!(json_equal(&json!(true), &json!("true")));
        assert!(json_equal(&json!("false"), &json!(false)));
        assert!(!json_equal(&json!(5432), &json!("5433")));
        assert!(!json_equal(&json!(true), &json!("false")));
        assert!(!json_equal(&json!(1), &json!("one")));
        assert!(
            !json_equal(&json!(1), &json!(" 1")),
            "only exact decimal text"
        );
        // A config written like the tutorial (port as text) refreshes to itself when the
        // API answers a number, and a real change still shows.
        let written = Value::object([("port", Value::from("5432"))]);
        let written = Value::Dynamic(written.infer_type().expect("known"), Box::new(written));
        assert_eq!(
            refresh(&written, &obj(json!({"port": 5432})), false, SCHEMA),
            written
        );
        let moved = refresh(&written, &obj(json!({"port": 6543})), false, SCHEMA);
        assert_eq!(moved.get("port"), Some(&Value::from(6543)));
    }

    #[test]
    fn drift_on_a_managed_key_shows_and_masked_keys_never_do() {
        let api = obj(
            json!({"host": "other", "port": 5432, "ratio": 0.1, "password": "******", "tags": ["a"]}),
        );
        let fresh = refresh(&hcl_config(), &api, false, SCHEMA);
        assert_eq!(fresh.get("host"), Some(&Value::from("other")));
        assert_eq!(fresh.get("password"), Some(&Value::from("p")));
        let gone = obj(json!({"host": "db", "port": 5432, "ratio": 0.1, "password": "******"}));
        assert_eq!(
            refresh(&hcl_config(), &gone, false, SCHEMA).get("tags"),
            Some(&Value::Null)
        );
    }

    #[test]
    fn import_takes_visible_keys_only() {
        let api = obj(json!({"host": "db", "password": "******", "schema": "s",
            "nested": {"client_secret": "******", "region": "eu"}}));
        let v = refresh(&Value::Null, &api, true, SCHEMA);
        assert_eq!(refresh(&Value::Null, &api, false, SCHEMA), Value::Null);
        let entries = v.as_entries().expect("object");
        assert_eq!(entries.keys().collect::<Vec<_>>(), vec!["host", "nested"]);
        assert_eq!(
            to_json(&v).expect("known"),
            json!({"host": "db", "nested": {"region": "eu"}})
        );
    }

    #[test]
    fn only_changed_keys_are_sent() {
        let mut next = hcl_config();
        if let Value::Dynamic(_, inner) = &mut next {
            if let Value::Object(m) = inner.as_mut() {
                m.insert("host".into(), Value::from("db2"));
            }
        }
        let changed = changed_entries(&hcl_config(), &next).expect("known");
        assert_eq!(Json::Object(changed), json!({"host": "db2"}));
    }

    #[test]
    fn a_map_config_stays_a_map() {
        let m = Value::Map(BTreeMap::from([("host".to_string(), Value::from("db"))]));
        let prior = Value::Dynamic(Type::map(Type::String), Box::new(m));
        let fresh = refresh(&prior, &obj(json!({"host": "db"})), false, SCHEMA);
        assert_eq!(fresh, prior);
        let drifted = refresh(&prior, &obj(json!({"host": "db3"})), false, SCHEMA);
        assert!(matches!(drifted, Value::Dynamic(Type::Map(_), _)));
    }

    #[test]
    fn secret_looking_keys() {
        for k in [
            "password",
            "client_secret",
            "private_key",
            "api_key",
            "token",
            "key",
        ] {
            assert!(looks_secret(k), "{k}");
        }
        for k in ["host", "public_key", "user", "port", "database"] {
            assert!(!looks_secret(k), "{k}");
        }
    }

    #[test]
    fn a_value_as_the_api_answered_it_is_not_drift_but_a_later_change_is() {
        // Written: a host and an enum; the API answered them rewritten (a private-link
        // endpoint, upper snake case) and leaves out a key it renamed.
        let written = Value::object([
            ("server_host_name", Value::from("adb-1.azuredatabricks.net")),
            ("connection_type", Value::from("PrivateLink")),
            ("data_set_location", Value::from("US")),
        ]);
        let written = Value::Dynamic(written.infer_type().expect("known"), Box::new(written));
        let answer = obj(json!({
            "server_host_name": "pls-1.eastus.azure.fivetran.com",
            "connection_type": "PRIVATE_LINK",
            "location": "US"
        }));
        let keys: Vec<String> = typed_entries(&written).into_keys().collect();
        let answered = answered_keys(&keys, &answer);
        assert_eq!(answered["data_set_location"], Json::Null);
        assert_eq!(
            refresh_answered(&written, &answer, false, &[], &answered),
            written,
            "the answer to our own write is no drift"
        );
        // Without the record of the answer, the same values are drift.
        assert_ne!(refresh(&written, &answer, false, &[]), written);
        // A change made after the answer shows.
        let mut changed = answer.clone();
        changed.insert("server_host_name".into(), json!("other.example.com"));
        let fresh = refresh_answered(&written, &changed, false, &[], &answered);
        assert_eq!(
            fresh
                .get("server_host_name")
                .and_then(|v| v.as_str().map(str::to_string)),
            Some("other.example.com".to_string())
        );
        assert_eq!(fresh.get("connection_type"), written.get("connection_type"));
    }
}
