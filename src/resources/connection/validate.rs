//! Plan-time checks of `fivetran_connection` (no API calls). Values may be unknown, and an
//! unknown value never produces an error: it is checked at apply, when it is known.

use crate::framework::typed::Attr;
use crate::protocol::{AttributePath, Diagnostics};
use crate::resources::common::config::{looks_secret, MASK};
use crate::resources::common::networking::{is_private_link_method, NETWORKING_METHODS};

use super::model::ConnectionModel;
use super::request::SCHEMA_KEYS;
use super::schema::{listing, SCHEDULE_TYPES, SYNC_FREQUENCIES};

/// Whether an argument is written (known or unknown).
fn written<T>(a: &Attr<T>) -> bool {
    !a.is_null()
}

/// Plan-time checks of a connection's arguments.
pub fn validate(config: &ConnectionModel, diags: &mut Diagnostics) {
    let method = config.networking_method.as_deref();
    if let Some(m) = method {
        if !NETWORKING_METHODS.contains(&m) && !is_private_link_method(m) {
            diags.attribute_error(
                AttributePath::root("networking_method"),
                "Invalid networking method",
                format!(
                    "{m:?} is not a networking method; use one of {}.",
                    listing(NETWORKING_METHODS)
                ),
            );
        }
    }
    let method_known = !config.networking_method.is_unknown();
    let is_private_link = method.is_some_and(is_private_link_method);
    if written(&config.private_link_id) && method_known && !is_private_link {
        diags.attribute_error(
            AttributePath::root("private_link_id"),
            "Private link needs the PrivateLink networking method",
            format!(
                "private_link_id is set but networking_method is {}; Fivetran refuses that. Add networking_method = \"PrivateLink\", or remove private_link_id.",
                method.map_or("not set (Directly)".to_string(), |m| format!("{m:?}"))
            ),
        );
    }
    if is_private_link && !written(&config.private_link_id) {
        diags.attribute_error(
            AttributePath::root("networking_method"),
            "PrivateLink needs a private link",
            "networking_method = \"PrivateLink\" needs private_link_id (e.g. fivetran_private_link.example.id).",
        );
    }
    if let Some(t) = config.daily_sync_time.as_deref() {
        if !is_whole_hour(t) {
            diags.attribute_error(
                AttributePath::root("daily_sync_time"),
                "Invalid daily sync time",
                format!("{t:?} is not a whole hour; write \"HH:00\" from \"00:00\" to \"23:00\", e.g. \"03:00\"."),
            );
        }
    }
    if let Some(n) = config.sync_frequency.get() {
        if !n.as_i64().is_some_and(|f| SYNC_FREQUENCIES.contains(&f)) {
            diags.attribute_error(
                AttributePath::root("sync_frequency"),
                "Invalid sync frequency",
                format!(
                    "{n} minutes is not a frequency Fivetran offers; use one of {}.",
                    SYNC_FREQUENCIES
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    if let Some(s) = config.schedule_type.as_deref() {
        if !SCHEDULE_TYPES.contains(&s) {
            diags.attribute_error(
                AttributePath::root("schedule_type"),
                "Invalid schedule type",
                format!(
                    "{s:?} is not a schedule type; use one of {}.",
                    listing(SCHEDULE_TYPES)
                ),
            );
        }
    }
    validate_naming(config, diags);
    validate_config(config, diags);
}

fn is_whole_hour(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 5
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && &t[2..] == ":00"
        && t[..2].parse::<u8>().is_ok_and(|h| h < 24)
}

fn validate_naming(config: &ConnectionModel, diags: &mut Diagnostics) {
    let schema = written(&config.schema);
    let prefix = written(&config.schema_prefix);
    let table = written(&config.table);
    let group = written(&config.table_group_name);
    let conflict = |diags: &mut Diagnostics, name: &str, detail: &str| {
        diags.attribute_error(
            AttributePath::root(name),
            "Conflicting schema naming arguments",
            detail.to_string(),
        );
    };
    if prefix && (schema || table || group) {
        conflict(diags, "schema_prefix", "schema_prefix names the schemas of a database source by itself; remove schema, table and table_group_name, or remove schema_prefix.");
    }
    if table && group {
        conflict(
            diags,
            "table_group_name",
            "Set table or table_group_name, not both.",
        );
    }
    if (table || group) && !schema && !prefix {
        let name = if table { "table" } else { "table_group_name" };
        conflict(
            diags,
            name,
            &format!("{name} needs schema (the schema the table goes into)."),
        );
    }
    if !schema && !prefix && !table && !group {
        diags.error(
            "Missing destination schema",
            "Set schema (most sources) or schema_prefix (database sources): Fivetran needs a destination schema name.",
        );
    }
}

fn validate_config(config: &ConnectionModel, diags: &mut Diagnostics) {
    let cfg = config.config.value();
    // An index step, for maps and object literals alike: Terraform follows it into the
    // `{ key = value }` expression and points at the value.
    let path = |k: &str| AttributePath::root("config").key(k);
    if cfg.is_wholly_known() && !cfg.is_null() && cfg.as_entries().is_none() {
        diags.attribute_error(
            AttributePath::root("config"),
            "Invalid connection config",
            "config must be an object, e.g. config = { host = \"db.internal\", port = 5432 } (not a JSON string: drop jsonencode).",
        );
        return;
    }
    let visible = cfg.as_entries();
    for (k, v) in visible.into_iter().flatten() {
        if SCHEMA_KEYS.contains(&k.as_str()) {
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
        ("config_secrets", config.config_secrets.get()),
        ("config_secrets_wo", config.config_secrets_wo.get()),
    ] {
        for k in entries.into_iter().flat_map(|e| e.keys()) {
            if visible.is_some_and(|v| v.contains_key(k)) || SCHEMA_KEYS.contains(&k.as_str()) {
                diags.attribute_error(
                    AttributePath::root(secrets).key(k),
                    "Duplicate config key",
                    format!("{k:?} is set both in {secrets} and elsewhere (config or a schema argument); keep one."),
                );
            }
        }
    }
    if written(&config.config_secrets_wo) && !written(&config.config_secrets_wo_version) {
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
    use crate::framework::typed::from_value;
    use crate::framework::values::null_object;
    use crate::protocol::Value;
    use crate::resources::connection::schema::schema;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut v = null_object(&schema().block);
        for (k, val) in pairs {
            crate::framework::values::set(&mut v, k, val.clone());
        }
        v
    }

    fn errors_on(pairs: &[(&str, Value)]) -> Vec<String> {
        let mut d = Diagnostics::new();
        validate(&from_value(&config(pairs)).expect("fits the model"), &mut d);
        d.iter()
            .filter(|d| d.severity == crate::protocol::Severity::Error)
            .map(|d| {
                d.attribute
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect()
    }

    fn unknown() -> Value {
        Value::Unknown(Default::default())
    }

    #[test]
    fn each_bad_argument_is_named() {
        let s = ("schema", Value::from("s"));
        assert_eq!(
            errors_on(&[s.clone(), ("networking_method", Value::from("Carrier"))]),
            ["networking_method"]
        );
        assert_eq!(
            errors_on(&[s.clone(), ("private_link_id", Value::from("pl"))]),
            ["private_link_id"]
        );
        assert_eq!(
            errors_on(&[s.clone(), ("daily_sync_time", Value::from("3:30"))]),
            ["daily_sync_time"]
        );
        assert_eq!(
            errors_on(&[s.clone(), ("sync_frequency", Value::from(7))]),
            ["sync_frequency"]
        );
        assert_eq!(
            errors_on(&[s.clone(), ("schedule_type", Value::from("often"))]),
            ["schedule_type"]
        );
        assert_eq!(
            errors_on(&[s.clone(), ("schema_prefix", Value::from("p"))]),
            ["schema_prefix"]
        );
        assert_eq!(errors_on(&[("table", Value::from("t"))]), ["table"]);
        assert_eq!(errors_on(&[]), [""]);
    }

    #[test]
    fn unknown_values_never_fail() {
        let all_unknown: Vec<(&str, Value)> = [
            "schema",
            "networking_method",
            "private_link_id",
            "daily_sync_time",
            "sync_frequency",
            "schedule_type",
            "config",
            "config_secrets",
        ]
        .iter()
        .map(|n| (*n, unknown()))
        .collect();
        assert!(errors_on(&all_unknown).is_empty());
        assert!(errors_on(&[
            ("schema", Value::from("s")),
            ("networking_method", Value::from("PrivateLink")),
            ("private_link_id", unknown()),
        ])
        .is_empty());
    }

    #[test]
    fn config_keys_are_checked_and_secrets_warned_about() {
        let cfg = Value::object([
            ("password", Value::from("x")),
            ("host", Value::from("h")),
            ("schema", Value::from("s")),
        ]);
        let cfg = Value::Dynamic(cfg.infer_type().expect("known"), Box::new(cfg));
        let mut d = Diagnostics::new();
        validate(
            &from_value(&config(&[("schema", Value::from("s")), ("config", cfg)]))
                .expect("fits the model"),
            &mut d,
        );
        let by_path = |p: &str| {
            d.iter()
                .find(|x| x.attribute.as_ref().map(ToString::to_string).as_deref() == Some(p))
                .map(|x| x.severity)
        };
        assert_eq!(
            by_path("config[\"password\"]"),
            Some(crate::protocol::Severity::Warning)
        );
        assert_eq!(
            by_path("config[\"schema\"]"),
            Some(crate::protocol::Severity::Error)
        );
        assert_eq!(by_path("config.host"), None);
    }

    #[test]
    fn whole_hours_only() {
        for ok in ["00:00", "03:00", "23:00"] {
            assert!(is_whole_hour(ok), "{ok}");
        }
        for bad in ["3:00", "24:00", "03:30", "0300", "ab:00", ""] {
            assert!(!is_whole_hour(bad), "{bad}");
        }
    }
}
