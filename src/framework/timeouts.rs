//! The `timeouts` block: Go duration strings (`"30s"`, `"1h30m"`) per operation, with defaults.

use std::time::Duration;

use crate::protocol::{
    Attribute, AttributePath, Block, Diagnostics, NestedBlock, Nesting, Type, Value,
};

use super::values::attr;

/// The block's name. It only steers this provider: a change to it alone asks nothing of the
/// API (see [`super::plan::only_timeouts_change`]).
pub const BLOCK: &str = "timeouts";

/// Operations a `timeouts` block can bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Read,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Read => "read",
        }
    }
}

/// The nested block for `operations`, with each default in its description.
pub fn block(operations: &[(Operation, Duration)]) -> NestedBlock {
    let attributes = operations
        .iter()
        .map(|(op, default)| {
            Attribute::optional(op.name(), Type::String).describe(&format!(
                "How long to wait for {} to finish, as a Go duration string such as `\"30m\"` or `\"1h30m\"`. Default: `\"{}\"`.",
                match op {
                    Operation::Create => "creation",
                    Operation::Update => "an update",
                    Operation::Delete => "deletion",
                    Operation::Read => "a read",
                },
                format_duration(*default)
            ))
        })
        .collect();
    NestedBlock {
        type_name: BLOCK.into(),
        block: Block {
            attributes,
            description: "Bounds on how long operations wait.".into(),
            ..Block::default()
        },
        nesting: Nesting::Single,
        min_items: 0,
        max_items: 0,
    }
}

/// Checks every duration written in the `timeouts` block of `config`.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let Some(entries) = attr(config, BLOCK).as_entries() else {
        return;
    };
    for (name, v) in entries {
        if let Some(text) = v.as_str() {
            if let Err(e) = parse_duration(text) {
                diags.attribute_error(
                    AttributePath::root("timeouts").attr(name),
                    "Invalid duration",
                    format!("{e}. Write a Go duration such as \"90s\", \"30m\" or \"1h30m\"."),
                );
            }
        }
    }
}

/// The `timeouts` block in a typed model: one field per operation a resource may bound
/// (a resource's block declares only some; the others stay null).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Timeouts {
    #[serde(default)]
    pub create: super::typed::Attr<String>,
    #[serde(default)]
    pub read: super::typed::Attr<String>,
    #[serde(default)]
    pub update: super::typed::Attr<String>,
    #[serde(default)]
    pub delete: super::typed::Attr<String>,
}

impl Timeouts {
    /// The timeout for `op` written in `block`, or `default` when not written.
    pub fn resolve(
        block: &super::typed::Attr<Timeouts>,
        op: Operation,
        default: Duration,
    ) -> Duration {
        let written = block.get().and_then(|t| match op {
            Operation::Create => t.create.get(),
            Operation::Read => t.read.get(),
            Operation::Update => t.update.get(),
            Operation::Delete => t.delete.get(),
        });
        written
            .and_then(|s| parse_duration(s).ok())
            .unwrap_or(default)
    }
}

/// Parses a Go duration string: a sequence of decimal numbers with units ns, us, µs, ms, s, m, h.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("the duration is empty".into());
    }
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.starts_with('-') {
        return Err(format!("{text:?} is negative"));
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!("{text:?} is not a duration: expected a number"));
        }
        let number: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("{text:?} has a malformed number"))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "" => return Err(format!("{text:?} is missing a unit (s, m or h)")),
            other => return Err(format!("{text:?} has an unknown unit {other:?}")),
        };
        rest = &rest[unit_len..];
        total += number * seconds_per_unit;
    }
    if !total.is_finite() || total > 366.0 * 86_400.0 {
        return Err(format!("{text:?} is longer than a year"));
    }
    Ok(Duration::from_secs_f64(total))
}

/// Formats a whole-second duration the Go way (`1h30m`, `20m`, `45s`).
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::Attr;

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_malformed_durations() {
        for bad in [
            "",
            "10",
            "ten minutes",
            "5d",
            "-1s",
            "1h-",
            "..s",
            "99999999h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_whole_durations() {
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_secs(1200)), "20m");
        assert_eq!(format_duration(Duration::from_secs(0)), "0s");
    }

    #[test]
    fn validation_names_the_attribute() {
        let config =
            Value::object([("timeouts", Value::object([("create", Value::from("soon"))]))]);
        let mut d = Diagnostics::new();
        validate(&config, &mut d);
        assert_eq!(
            d.first().expect("a diagnostic").attribute,
            Some(AttributePath::root("timeouts").attr("create"))
        );
    }

    #[test]
    fn resolve_falls_back_to_the_default() {
        let written = Attr::Known(Timeouts {
            create: "2s".into(),
            ..Timeouts::default()
        });
        let minute = Duration::from_secs(60);
        assert_eq!(
            Timeouts::resolve(&written, Operation::Create, minute),
            Duration::from_secs(2)
        );
        assert_eq!(
            Timeouts::resolve(&written, Operation::Delete, minute),
            minute
        );
        assert_eq!(
            Timeouts::resolve(&Attr::Null, Operation::Create, minute),
            minute
        );
        let unparsable = Attr::Known(Timeouts {
            create: "soon".into(),
            ..Timeouts::default()
        });
        assert_eq!(
            Timeouts::resolve(&unparsable, Operation::Create, minute),
            minute
        );
    }
}
