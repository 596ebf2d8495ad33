//! [`StringMap`]: a `map(string)` attribute whose entries may each be unknown at plan time,
//! and its known entries.

use std::collections::BTreeMap;

use super::Attr;

/// The value of a `map(string)` attribute: each entry may be unknown on its own.
pub type StringMap = BTreeMap<String, Attr<String>>;

impl Attr<StringMap> {
    /// The known entries (unknown and null ones left out); `None` when the map itself is
    /// null or unknown.
    pub fn known_entries(&self) -> Option<BTreeMap<String, String>> {
        self.get().map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.get().map(|v| (k.clone(), v.clone())))
                .collect()
        })
    }

    /// The known entries, none when the map is null or unknown.
    pub fn known_or_empty(&self) -> BTreeMap<String, String> {
        self.known_entries().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_entries_are_read() {
        let map: Attr<StringMap> = Attr::Known(BTreeMap::from([
            ("a".to_string(), Attr::from("1")),
            ("b".to_string(), Attr::Unknown),
            ("c".to_string(), Attr::Null),
        ]));
        assert_eq!(
            map.known_entries(),
            Some(BTreeMap::from([("a".to_string(), "1".to_string())]))
        );
        assert_eq!(Attr::<StringMap>::Unknown.known_entries(), None);
        assert!(Attr::<StringMap>::Null.known_or_empty().is_empty());
    }
}
