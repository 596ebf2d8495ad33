//! Cursor pagination: `cursor` (opaque) and `limit` (1..=1000, default 100) in, `items`
//! and `next_cursor` (absent on the last page) out. A cursor names the creation sequence
//! number of the last item returned, so pages stay stable while objects come and go.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::error::ApiError;

/// Parsed `cursor` and `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PageParams {
    after: u64,
    limit: usize,
}

pub(crate) fn params(query: &HashMap<String, String>) -> Result<PageParams, ApiError> {
    let limit = match query.get("limit") {
        None => 100,
        Some(s) => match s.trim().parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid(format!(
                    "Invalid value '{s}' for parameter 'limit': it must be a number from 1 to 1000"
                )))
            }
        },
    };
    let after = match query.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => decode(c).ok_or_else(|| ApiError::invalid(format!("Invalid cursor '{c}'")))?,
    };
    Ok(PageParams { after, limit })
}

fn encode(seq: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("seq:{seq}"))
}

fn decode(cursor: &str) -> Option<u64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("seq:")?
        .parse()
        .ok()
}

/// One page of `items` (any order; sorted here by sequence number) as
/// `{"items": [...], "next_cursor"?: "..."}`.
pub(crate) fn page(mut items: Vec<(u64, Value)>, p: PageParams) -> Value {
    items.sort_by_key(|(seq, _)| *seq);
    let mut rest = items.into_iter().filter(|(seq, _)| *seq > p.after);
    let chosen: Vec<(u64, Value)> = rest.by_ref().take(p.limit).collect();
    let more = rest.next().is_some();
    let mut out = json!({ "items": chosen.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>() });
    if more {
        if let Some((last, _)) = chosen.last() {
            out["next_cursor"] = Value::String(encode(*last));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pages_through_everything_once() {
        let items: Vec<(u64, Value)> = (1..=5).map(|i| (i, json!(i))).collect();
        let mut cursor = String::new();
        let mut seen = Vec::new();
        loop {
            let Ok(p) = params(&q(&[("limit", "2"), ("cursor", &cursor)])) else {
                panic!("valid params")
            };
            let page = page(items.clone(), p);
            seen.extend(page["items"].as_array().into_iter().flatten().cloned());
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen, (1..=5).map(|i| json!(i)).collect::<Vec<_>>());
    }

    #[test]
    fn rejects_bad_limits_and_cursors() {
        for bad in ["0", "1001", "ten", "-1"] {
            assert!(params(&q(&[("limit", bad)])).is_err(), "{bad}");
        }
        assert!(params(&q(&[("cursor", "garbage!")])).is_err());
        assert_eq!(params(&q(&[])).map(|p| p.limit).ok(), Some(100));
    }
}
