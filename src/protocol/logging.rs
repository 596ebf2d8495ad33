//! Logs as hclog JSON lines on stderr, the format Terraform re-logs under the provider's name.
//!
//! Rules Terraform imposes (a wrong one crashes it): `@level`, `@message` and `@timestamp` are
//! always JSON strings, the timestamp has exactly six fractional digits. stdout is never used: it
//! carries the handshake line. The level comes from `TF_LOG_PROVIDER`, else `TF_LOG`.
//! Only this crate's events are written; dependencies (h2, hyper, rustls) stay quiet.

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

const OUR_TARGET: &str = "terraform_provider_fivetran";

/// Installs the JSON logger as the global subscriber (idempotent).
pub fn init_from_env() {
    let level = std::env::var("TF_LOG_PROVIDER")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| std::env::var("TF_LOG").ok())
        .and_then(|v| level_from_tf_log(&v));
    let layer = HclogLayer { max_level: level };
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// `TF_LOG` values: TRACE, DEBUG, INFO, WARN, ERROR, JSON (= TRACE); anything else, or unset:
/// warnings and errors only (Terraform shows nothing without TF_LOG anyway).
fn level_from_tf_log(value: &str) -> Option<Level> {
    match value.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => Some(Level::TRACE),
        "DEBUG" => Some(Level::DEBUG),
        "INFO" => Some(Level::INFO),
        "WARN" => Some(Level::WARN),
        "ERROR" => Some(Level::ERROR),
        "OFF" => None,
        _ => Some(Level::WARN),
    }
}

struct HclogLayer {
    max_level: Option<Level>,
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        let max = self.max_level.unwrap_or(Level::WARN);
        metadata.target().starts_with(OUR_TARGET) && *metadata.level() <= max
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = JsonFields(serde_json::Map::new());
        event.record(&mut fields);
        let line = format_line(
            *event.metadata().level(),
            event.metadata().target(),
            fields.0,
            SystemTime::now(),
        );
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{line}");
    }
}

struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}").into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_string(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_string(), value.into());
    }
}

fn format_line(
    level: Level,
    target: &str,
    mut fields: serde_json::Map<String, serde_json::Value>,
    now: SystemTime,
) -> String {
    let message = match fields.remove("message") {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let module = target
        .replacen(OUR_TARGET, "provider.fivetran", 1)
        .replace("::", ".");
    let mut line = serde_json::Map::new();
    line.insert("@level".into(), level.as_str().to_ascii_lowercase().into());
    line.insert("@message".into(), message.into());
    line.insert("@module".into(), module.into());
    line.insert("@timestamp".into(), timestamp(now).into());
    for (k, v) in fields {
        // Keys starting with '@' are Terraform's own; never let a field impersonate one.
        let key = if k.starts_with('@') {
            format!("_{k}")
        } else {
            k
        };
        line.insert(key, v);
    }
    serde_json::Value::Object(line).to_string()
}

/// `YYYY-MM-DDThh:mm:ss.ffffffZ` in UTC (times before the Unix epoch as the epoch).
fn timestamp(now: SystemTime) -> String {
    const FORMAT: &[BorrowedFormatItem<'_>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    let now = now.max(UNIX_EPOCH);
    // Formatting fails only for components a date-time lacks or a failing writer: neither can
    // happen for an OffsetDateTime into a String.
    OffsetDateTime::from(now).format(FORMAT).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamp_has_six_fraction_digits() {
        let t = UNIX_EPOCH + Duration::from_micros(1_795_000_000_123_456);
        assert_eq!(timestamp(t), "2026-11-18T11:06:40.123456Z");
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
    }

    #[test]
    fn line_keeps_terraform_keys_as_strings() {
        let mut fields = serde_json::Map::new();
        fields.insert("message".into(), serde_json::json!(42));
        fields.insert("@level".into(), serde_json::json!(1));
        fields.insert("state".into(), serde_json::json!("CREATING"));
        let line = format_line(
            Level::INFO,
            "terraform_provider_fivetran::client::wait",
            fields,
            UNIX_EPOCH,
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(parsed["@level"], "info");
        assert_eq!(parsed["@message"], "42");
        assert_eq!(parsed["@module"], "provider.fivetran.client.wait");
        assert_eq!(parsed["_@level"], 1);
        assert_eq!(parsed["state"], "CREATING");
        assert!(parsed["@timestamp"].is_string());
    }

    #[test]
    fn tf_log_levels() {
        assert_eq!(level_from_tf_log("json"), Some(Level::TRACE));
        assert_eq!(level_from_tf_log("debug"), Some(Level::DEBUG));
        assert_eq!(level_from_tf_log("off"), None);
        assert_eq!(level_from_tf_log("banana"), Some(Level::WARN));
    }
}
