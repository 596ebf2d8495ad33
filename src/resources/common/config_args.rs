//! The four arguments that carry a connector's settings, shared by connections and
//! destinations: `config` (an HCL object), `config_secrets` (sensitive), `config_secrets_wo`
//! (write-only) and `config_secrets_wo_version`. What a create sends, what an update sends,
//! and their plan-time checks, written once for both.

use serde_json::{Map, Value as Json};

use crate::framework::typed::{Attr, StringMap};
use crate::protocol::value::Number;
use crate::protocol::{AttributePath, Diagnostics, Value};

use super::config::{changed_entries, looks_secret, with_secrets, MASK};

/// A model's settings arguments, borrowed.
#[derive(Clone, Copy)]
pub struct ConfigArgs<'a> {
    pub config: &'a Value,
    pub secrets: &'a Attr<StringMap>,
    pub secrets_wo: &'a Attr<StringMap>,
    pub secrets_wo_version: &'a Attr<Number>,
}

/// The config a create sends: the planned `config` and `config_secrets`, and the write-only
/// secrets of the apply-time configuration (`config`, since the plan never holds them).
pub fn for_create(
    planned: ConfigArgs<'_>,
    config: ConfigArgs<'_>,
) -> Result<Map<String, Json>, String> {
    let secrets = planned.secrets.known_or_empty();
    let write_only = config.secrets_wo.known_or_empty();
    with_secrets(planned.config, [&secrets, &write_only])
}

/// The config entries an update sends: the `config` keys whose value changed, the secrets
/// whose value changed, and every write-only secret when `config_secrets_wo_version`
/// changed (Terraform keeps no trace of write-only values to compare).
pub fn changes(
    prior: ConfigArgs<'_>,
    planned: ConfigArgs<'_>,
    config: ConfigArgs<'_>,
) -> Result<Map<String, Json>, String> {
    let mut out = changed_entries(prior.config, planned.config)?;
    let before = prior.secrets.known_or_empty();
    for (k, v) in planned.secrets.known_or_empty() {
        if before.get(&k) != Some(&v) {
            out.insert(k, Json::String(v));
        }
    }
    if prior.secrets_wo_version != planned.secrets_wo_version {
        for (k, v) in config.secrets_wo.known_or_empty() {
            out.insert(k, Json::String(v));
        }
    }
    Ok(out)
}

/// Plan-time checks: `config` is an object; no masked value in it; a warning for a key that
/// looks secret; no key both in `config` (or in `reserved`, the keys with a top-level
/// argument) and in a secrets map; a warning for write-only secrets without a version.
/// `object` names what the config belongs to (`connection`, `destination`).
pub fn validate(args: ConfigArgs<'_>, object: &str, reserved: &[&str], diags: &mut Diagnostics) {
    let cfg = args.config;
    // An index step, for maps and object literals alike: Terraform follows it into the
    // `{ key = value }` expression and points at the value.
    let path = |k: &str| AttributePath::root("config").key(k);
    if cfg.is_wholly_known() && !cfg.is_null() && cfg.as_entries().is_none() {
        diags.attribute_error(
            AttributePath::root("config"),
            format!("Invalid {object} config"),
            "config must be an object, e.g. config = { host = \"db.internal\", port = 5432 } (not a JSON string: drop jsonencode).",
        );
        return;
    }
    let visible = cfg.as_entries();
    for (k, v) in visible.into_iter().flatten() {
        if reserved.contains(&k.as_str()) {
            diags.attribute_error(
                path(k),
                "Schema key in config",
                format!("Write {k} as the top-level argument {k} = ..., not inside config."),
            );
        } else if v.as_str() == Some(MASK) {
            diags.attribute_error(
                path(k),
                "Masked value in config",
                format!("{MASK:?} is how Fivetran hides a secret; sending it would store it literally. Put the real value of {k:?} in config_secrets or config_secrets_wo."),
            );
        } else if looks_secret(k) {
            diags.attribute_warning(
                path(k),
                "Secret in visible config",
                format!("{k:?} looks like a secret, and config is shown in plans. Move it to config_secrets (sensitive) or config_secrets_wo (write-only, never stored)."),
            );
        }
    }
    for (secrets, entries) in [
        ("config_secrets", args.secrets.get()),
        ("config_secrets_wo", args.secrets_wo.get()),
    ] {
        for k in entries.into_iter().flat_map(|e| e.keys()) {
            if visible.is_some_and(|v| v.contains_key(k)) || reserved.contains(&k.as_str()) {
                diags.attribute_error(
                    AttributePath::root(secrets).key(k),
                    "Duplicate config key",
                    format!("{k:?} is set both in {secrets} and elsewhere (config or a top-level argument); keep one."),
                );
            }
        }
    }
    if !args.secrets_wo.is_null() && args.secrets_wo_version.is_null() {
        diags.attribute_warning(
            AttributePath::root("config_secrets_wo"),
            "Write-only secrets without a version",
            "config_secrets_wo is sent only at create unless config_secrets_wo_version is set and changed; add config_secrets_wo_version = 1 and increment it to rotate.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn map(pairs: &[(&str, &str)]) -> Attr<StringMap> {
        Attr::Known(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Attr::from(*v)))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn object(pairs: &[(&str, Value)]) -> Value {
        let v = Value::object(pairs.iter().cloned());
        Value::Dynamic(v.infer_type().expect("known"), Box::new(v))
    }

    #[test]
    fn create_merges_both_kinds_of_secrets_and_updates_send_only_changes() {
        let cfg = object(&[("host", Value::from("db")), ("port", Value::from(5432))]);
        let secrets = map(&[("password", "pw")]);
        let wo = map(&[("client_secret", "wo")]);
        let none = Attr::Null;
        let v1 = Attr::Known(Number::from(1u64));
        let planned = ConfigArgs {
            config: &cfg,
            secrets: &secrets,
            secrets_wo: &none,
            secrets_wo_version: &v1,
        };
        let configured = ConfigArgs {
            secrets_wo: &wo,
            ..planned
        };
        let sent = for_create(planned, configured).expect("known");
        assert_eq!(
            Json::Object(sent),
            serde_json::json!({"host": "db", "port": 5432, "password": "pw", "client_secret": "wo"})
        );
        assert!(changes(planned, planned, configured)
            .expect("known")
            .is_empty());
        let v2 = Attr::Known(Number::from(2u64));
        let rotated = ConfigArgs {
            secrets_wo_version: &v2,
            ..planned
        };
        let sent = changes(planned, rotated, configured).expect("known");
        assert_eq!(
            sent.keys().collect::<Vec<_>>(),
            ["client_secret"],
            "a new version sends the write-only secrets again"
        );
    }

    #[test]
    fn checks_name_the_key() {
        let cfg = object(&[
            ("password", Value::from("x")),
            ("token", Value::from(MASK)),
            ("schema", Value::from("s")),
            ("host", Value::from("h")),
        ]);
        let secrets = map(&[("host", "again")]);
        let none = Attr::Null;
        let args = ConfigArgs {
            config: &cfg,
            secrets: &secrets,
            secrets_wo: &none,
            secrets_wo_version: &Attr::Null,
        };
        let mut d = Diagnostics::new();
        validate(args, "connection", &["schema"], &mut d);
        let found: Vec<(String, crate::protocol::Severity)> = d
            .iter()
            .map(|x| {
                (
                    x.attribute
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    x.severity,
                )
            })
            .collect();
        use crate::protocol::Severity::{Error, Warning};
        assert_eq!(
            found,
            [
                ("config[\"password\"]".to_string(), Warning),
                ("config[\"schema\"]".to_string(), Error),
                ("config[\"token\"]".to_string(), Error),
                ("config_secrets[\"host\"]".to_string(), Error),
            ]
        );
        // A JSON string instead of an object.
        let text = Value::Dynamic(crate::protocol::Type::String, Box::new(Value::from("{}")));
        let mut d = Diagnostics::new();
        validate(
            ConfigArgs {
                config: &text,
                ..args
            },
            "destination",
            &[],
            &mut d,
        );
        assert_eq!(
            d.first().map(|x| x.summary.clone()).as_deref(),
            Some("Invalid destination config")
        );
    }
}
