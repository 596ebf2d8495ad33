//! [`Answered`]: how the API answered the values this provider last sent, kept in the
//! resource's private state (never shown, never diffed). A refresh compares the API's
//! value with what the user wrote and, failing that, with this answer: a value the API
//! shows differently from how it was sent (`443` as `"443"`, `PrivateLink` as
//! `PRIVATE_LINK`, a Databricks host replaced by the private-link endpoint, a field it
//! leaves out) is not a change, while a value that moved after the answer is.
//!
//! Only what the user can see anyway is kept: top-level fields and the keys of `config`,
//! never a secret.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::framework::typed::Attr;
use crate::framework::Private;

use super::config::answered_keys;

/// The private-state entry holding the answer.
const ENTRY: &str = "answered";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answered {
    /// Top-level fields, by attribute name (`null`: the answer left it out or empty).
    #[serde(default)]
    pub fields: BTreeMap<String, Json>,
    /// The keys of `config` the user wrote (`null`: the answer left it out).
    #[serde(default)]
    pub config: BTreeMap<String, Json>,
}

impl Answered {
    /// The answer recorded in `private` (none when it holds none).
    pub fn from_private(private: &Private) -> Answered {
        private.get(ENTRY).unwrap_or_default()
    }

    /// `private` holding this answer instead of the one it held.
    pub fn into_private(self, private: &Private) -> Private {
        private.clone().with(ENTRY, &self)
    }

    /// Records the answer's value of field `name` (an empty text is "left out").
    pub fn field(&mut self, name: &str, api: Option<&str>) {
        let value = api
            .filter(|v| !v.is_empty())
            .map_or(Json::Null, |v| Json::String(v.to_string()));
        self.fields.insert(name.to_string(), value);
    }

    /// Records the answer's value of each `written` config key.
    pub fn config_keys<'a>(
        &mut self,
        written: impl IntoIterator<Item = &'a String>,
        api: &Map<String, Json>,
    ) {
        self.config = answered_keys(written, api);
    }

    /// The refreshed value of text field `name`: the API's value `api`, unless it is the
    /// prior value, or how the API answered the last write, or nothing (an answer that
    /// leaves a field out or empty is never taken as a change: Fivetran omits some fields
    /// on some answers).
    pub fn refresh_field(
        &self,
        name: &str,
        prior: &Attr<String>,
        api: Option<&str>,
    ) -> Attr<String> {
        let Some(now) = api.filter(|v| !v.is_empty()) else {
            return prior.clone();
        };
        if prior.as_deref() == Some(now)
            || self.fields.get(name).and_then(Json::as_str) == Some(now)
        {
            return prior.clone();
        }
        Attr::from(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_keeps_its_value_while_the_api_shows_its_answer_or_nothing() {
        let mut a = Answered::default();
        a.field("networking_method", Some("Directly"));
        a.field("private_link_id", Some(""));
        let private = a.clone().into_private(&Private::default());
        let a = Answered::from_private(&Private::from_bytes(&private.to_bytes()));
        assert_eq!(a.fields["private_link_id"], Json::Null);
        let planned = Attr::from("PrivateLink");
        // The answer to our write, and nothing at all: kept.
        assert_eq!(
            a.refresh_field("networking_method", &planned, Some("Directly")),
            planned
        );
        assert_eq!(
            a.refresh_field("networking_method", &planned, None),
            planned
        );
        assert_eq!(
            a.refresh_field("private_link_id", &Attr::from("pl_1"), Some("")),
            Attr::from("pl_1")
        );
        // Anything else is a change made outside Terraform.
        assert_eq!(
            a.refresh_field("networking_method", &planned, Some("SshTunnel")),
            Attr::from("SshTunnel")
        );
        // With no answer recorded (an import), the API's value is taken.
        assert_eq!(
            Answered::default().refresh_field("region", &Attr::Null, Some("GCP_US_EAST4")),
            Attr::from("GCP_US_EAST4")
        );
    }
}
