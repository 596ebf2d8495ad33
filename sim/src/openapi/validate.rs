//! The recursive check behind [`super::Spec::validate`].

use serde_json::{Map, Value};

/// Deeper than this is taken as a reference cycle.
const MAX_DEPTH: usize = 96;

pub(super) struct Validator<'a> {
    pub spec: &'a Value,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(expected: &str, v: &Value) -> bool {
    match expected {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "number" => v.is_number(),
        "integer" => match v {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        _ => true,
    }
}

fn enum_matches(entry: &Value, v: &Value) -> bool {
    if entry == v {
        return true;
    }
    match (entry, v) {
        (Value::String(s), Value::Number(_) | Value::Bool(_)) => {
            s.as_str() == v.to_string().as_str()
        }
        (Value::Number(_) | Value::Bool(_), Value::String(s)) => {
            s.as_str() == entry.to_string().as_str()
        }
        _ => false,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!(
            "{}...",
            &s[..s.char_indices().nth(57).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s
    }
}

impl Validator<'_> {
    fn resolve(&self, reference: &str) -> Option<&Value> {
        let pointer = reference.strip_prefix('#')?;
        self.spec.pointer(pointer)
    }

    /// Checks `value` (at JSON path `at`) against `schema`. `dispatched` is true while
    /// checking the schema a discriminator selected, so that the base schema it extends
    /// does not dispatch again.
    pub(super) fn check(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        dispatched: bool,
        depth: usize,
        errors: &mut Vec<String>,
    ) {
        if depth > MAX_DEPTH {
            errors.push(format!("{at}: schema nesting too deep (reference cycle?)"));
            return;
        }
        let Some(s) = schema.as_object() else {
            return; // `true`, `{}` and other non-object schemas accept anything.
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            match self.resolve(r) {
                Some(target) => self.check(target, value, at, dispatched, depth + 1, errors),
                None => errors.push(format!("{at}: unresolvable $ref {r}")),
            }
            return;
        }
        if value.is_null() && s.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if !dispatched {
            if let Some(target) = self.discriminated(s, value) {
                self.check(target, value, at, true, depth + 1, errors);
                return;
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = s.get(key).and_then(Value::as_array) {
                self.combine(key, list, value, at, dispatched, depth, errors);
            }
        }
        let mut enum_ok = false;
        if let Some(entries) = s.get("enum").and_then(Value::as_array) {
            if value.is_null() || entries.iter().any(|e| enum_matches(e, value)) {
                enum_ok = !value.is_null();
                if value.is_null() {
                    errors.push(format!("{at}: null is not allowed"));
                    return;
                }
            } else {
                errors.push(format!(
                    "{at}: {} is not one of {}",
                    short(value),
                    short(&Value::Array(entries.clone()))
                ));
                return;
            }
        }
        if !enum_ok {
            if let Some(t) = s.get("type").and_then(Value::as_str) {
                if !type_matches(t, value) {
                    errors.push(format!(
                        "{at}: expected {t}, found {} {}",
                        type_name(value),
                        short(value)
                    ));
                    return;
                }
            } else if value.is_null() && (s.contains_key("properties") || s.contains_key("items")) {
                errors.push(format!("{at}: null is not allowed"));
                return;
            }
        }
        if let Value::Object(obj) = value {
            self.check_object(s, obj, at, depth, errors);
        }
        if let (Some(items), Value::Array(arr)) = (s.get("items"), value) {
            for (i, item) in arr.iter().enumerate() {
                self.check(items, item, &format!("{at}[{i}]"), false, depth + 1, errors);
            }
        }
    }

    fn discriminated(&self, s: &Map<String, Value>, value: &Value) -> Option<&Value> {
        let d = s.get("discriminator")?;
        let prop = d.get("propertyName")?.as_str()?;
        let tag = value.get(prop)?.as_str()?;
        let target = d.get("mapping")?.get(tag)?.as_str()?;
        self.resolve(target)
    }

    #[allow(clippy::too_many_arguments)]
    fn combine(
        &self,
        key: &str,
        list: &[Value],
        value: &Value,
        at: &str,
        dispatched: bool,
        depth: usize,
        errors: &mut Vec<String>,
    ) {
        match key {
            "allOf" => {
                for sub in list {
                    self.check(sub, value, at, dispatched, depth + 1, errors);
                }
            }
            _ => {
                let mut passing = 0;
                let mut first_errors = Vec::new();
                for sub in list {
                    let mut e = Vec::new();
                    self.check(sub, value, at, false, depth + 1, &mut e);
                    if e.is_empty() {
                        passing += 1;
                    } else if first_errors.is_empty() {
                        first_errors = e;
                    }
                }
                let ok = if key == "oneOf" {
                    passing == 1
                } else {
                    passing >= 1
                };
                if !ok {
                    errors.push(format!(
                        "{at}: matches {passing} of the {} {key} alternatives{}",
                        list.len(),
                        first_errors
                            .first()
                            .map(|e| format!(" (first problem: {e})"))
                            .unwrap_or_default()
                    ));
                }
            }
        }
    }

    fn check_object(
        &self,
        s: &Map<String, Value>,
        obj: &Map<String, Value>,
        at: &str,
        depth: usize,
        errors: &mut Vec<String>,
    ) {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for r in required.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    errors.push(format!("{at}: missing required property '{r}'"));
                }
            }
        }
        if let Some(props) = props {
            for (k, sub) in props {
                if let Some(v) = obj.get(k) {
                    self.check(sub, v, &format!("{at}.{k}"), false, depth + 1, errors);
                }
            }
        }
        match s.get("additionalProperties") {
            Some(Value::Bool(false)) => {
                for k in obj.keys() {
                    if !props.is_some_and(|p| p.contains_key(k)) {
                        errors.push(format!("{at}: unexpected property '{k}'"));
                    }
                }
            }
            Some(extra @ Value::Object(_)) => {
                for (k, v) in obj {
                    if !props.is_some_and(|p| p.contains_key(k)) {
                        self.check(extra, v, &format!("{at}.{k}"), false, depth + 1, errors);
                    }
                }
            }
            _ => {}
        }
    }
}
