//! The id of one approval: `<parent_id>/<hash>`, with `%`, `/` and `+` of the hash
//! percent-encoded (`%25`, `%2F`, `%2B`). Fivetran hashes are base64 and may hold `/` and
//! `+`; parent ids never hold `/`, so the first `/` always separates the two and the id
//! reads back unambiguously. Import ids have the same form; a raw `+` or `/` in the hash
//! part is accepted too (the first `/` still separates).

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// What the hash part encodes: `%`, `/` and `+` (and control characters, which base64
/// never holds).
const IN_HASH: &AsciiSet = &CONTROLS.add(b'%').add(b'/').add(b'+');

/// The id of the approval `hash` of the parent `parent_id`.
pub fn approval_id(parent_id: &str, hash: &str) -> String {
    format!("{parent_id}/{}", utf8_percent_encode(hash, IN_HASH))
}

/// Splits an approval id (or import id) into the parent id and the decoded hash.
pub fn parse_approval_id(id: &str) -> Result<(String, String), String> {
    let Some((parent, encoded)) = id.trim().split_once('/') else {
        return Err(format!(
            "{id:?} has no `/` between the parent id and the hash"
        ));
    };
    if parent.is_empty() || parent.chars().any(char::is_whitespace) {
        return Err(format!(
            "{id:?} does not start with a parent id (no spaces) before the first `/`"
        ));
    }
    let hash = percent_decode(encoded)?;
    if hash.trim().is_empty() {
        return Err(format!("{id:?} has no hash after the first `/`"));
    }
    Ok((parent.to_string(), hash))
}

/// Decodes the hash part, refusing a `%` that starts no escape (the crate would keep it as
/// is, and a hand-typed import id with a lone `%` is a mistake worth naming).
fn percent_decode(text: &str) -> Result<String, String> {
    let malformed = text.match_indices('%').any(|(i, _)| {
        text.get(i + 1..i + 3)
            .is_none_or(|h| !h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if malformed {
        return Err(format!(
            "{text:?} has a `%` not followed by two hexadecimal digits; write `%25` for a `%`"
        ));
    }
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| format!("{text:?} does not decode to text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_slash_plus_and_percent_round_trip() {
        for hash in ["ab/c+d", "a%2Fb", "plain=", "//++%%"] {
            let id = approval_id("conn_1", hash);
            assert_eq!(id.matches('/').count(), 1, "{id}");
            assert_eq!(
                parse_approval_id(&id),
                Ok(("conn_1".to_string(), hash.to_string()))
            );
        }
        assert_eq!(approval_id("c", "a/b+c%d"), "c/a%2Fb%2Bc%25d");
    }

    #[test]
    fn raw_slash_and_plus_in_the_hash_part_are_accepted() {
        assert_eq!(
            parse_approval_id("c/ab/c+d"),
            Ok(("c".to_string(), "ab/c+d".to_string()))
        );
        assert_eq!(
            parse_approval_id("c/a%2fb"),
            Ok(("c".to_string(), "a/b".to_string()))
        );
    }

    #[test]
    fn malformed_ids_are_explained() {
        for (id, expected) in [
            ("no-separator", "no `/`"),
            ("/hash", "parent id"),
            ("my conn/hash", "parent id"),
            ("c/", "no hash"),
            ("c/%zz", "two hexadecimal digits"),
            ("c/abc%2", "two hexadecimal digits"),
            ("c/%FF", "does not decode"),
        ] {
            let err = parse_approval_id(id).expect_err(id);
            assert!(err.contains(expected), "{id}: {err}");
        }
    }
}
