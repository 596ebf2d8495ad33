//! Plan-time checks of `fivetran_connection` (no API calls). Values may be unknown, and an
//! unknown value never produces an error: it is checked at apply, when it is known.

use crate::framework::typed::Attr;
use crate::protocol::{AttributePath, Diagnostics};
use crate::resources::common::{config_args, networking, one_of};

use super::model::ConnectionModel;
use super::request::SCHEMA_KEYS;
use super::schema::{SCHEDULE_TYPES, SYNC_FREQUENCIES};

/// Whether an argument is written (known or unknown).
fn written<T>(a: &Attr<T>) -> bool {
    !a.is_null()
}

/// Plan-time checks of a connection's arguments.
pub fn validate(config: &ConnectionModel, diags: &mut Diagnostics) {
    networking::validate(&config.networking_method, &config.private_link_id, diags);
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
    one_of(
        &config.schedule_type,
        SCHEDULE_TYPES,
        "schedule_type",
        "Invalid schedule type",
        "a schedule type",
        diags,
    );
    validate_naming(config, diags);
    config_args::validate(config.config_args(), "connection", SCHEMA_KEYS, diags);
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
        d.error_paths()
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
