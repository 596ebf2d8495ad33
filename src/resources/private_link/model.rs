//! The typed state of `fivetran_private_link` and of its data sources, and how an API
//! private link fills it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::client::PrivateLink;
use crate::framework::timeouts::Timeouts;
use crate::framework::typed::{Attr, StringMap};

/// The string values of an API config as a `map(string)` (other values left out), keeping
/// only the keys in `managed` when given.
pub fn config_map(
    api: &BTreeMap<String, serde_json::Value>,
    managed: Option<&BTreeMap<String, String>>,
) -> StringMap {
    api.iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), Attr::from(s))))
        .filter(|(k, _)| managed.is_none_or(|m| m.contains_key(k)))
        .collect()
}

/// `fivetran_private_link`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateLinkModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub region: Attr<String>,
    pub service: Attr<String>,
    pub config: Attr<StringMap>,
    pub wait_for_ready: Attr<bool>,
    pub state: Attr<String>,
    pub state_summary: Attr<String>,
    pub cloud_provider: Attr<String>,
    pub host: Attr<String>,
    pub created_at: Attr<String>,
    pub created_by: Attr<String>,
    pub timeouts: Attr<Timeouts>,
}

impl PrivateLinkModel {
    /// The state for `link` over `self` (the plan or the current state): only the config
    /// keys in `managed` are kept (all string keys when `None`, as after an import), so keys
    /// Fivetran adds cause no diff.
    pub fn with_link(
        &self,
        link: &PrivateLink,
        managed: Option<&BTreeMap<String, String>>,
    ) -> Self {
        PrivateLinkModel {
            id: link.id.clone().into(),
            name: link.name.clone().into(),
            region: link.region.clone().into(),
            service: link.service.clone().into(),
            config: config_map(&link.config, managed).into(),
            state: link.state.as_str().to_string().into(),
            state_summary: link.state_summary.clone().into(),
            cloud_provider: link.cloud_provider.clone().into(),
            host: link.host.clone().into(),
            created_at: link.created_at.clone().into(),
            created_by: link.created_by.clone().into(),
            ..self.clone()
        }
    }

    /// Whether create and update wait until the link is `OK` (default yes).
    pub fn waits(&self) -> bool {
        self.wait_for_ready.get().copied().unwrap_or(true)
    }
}

/// One link as the data sources show it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkItem {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub region: Attr<String>,
    pub service: Attr<String>,
    pub config: Attr<StringMap>,
    pub state: Attr<String>,
    pub state_summary: Attr<String>,
    pub cloud_provider: Attr<String>,
    pub host: Attr<String>,
    pub created_at: Attr<String>,
    pub created_by: Attr<String>,
}

impl From<&PrivateLink> for LinkItem {
    fn from(link: &PrivateLink) -> Self {
        LinkItem {
            id: link.id.clone().into(),
            name: link.name.clone().into(),
            region: link.region.clone().into(),
            service: link.service.clone().into(),
            config: config_map(&link.config, None).into(),
            state: link.state.as_str().to_string().into(),
            state_summary: link.state_summary.clone().into(),
            cloud_provider: link.cloud_provider.clone().into(),
            host: link.host.clone().into(),
            created_at: link.created_at.clone().into(),
            created_by: link.created_by.clone().into(),
        }
    }
}

/// `fivetran_private_links`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateLinksModel {
    pub items: Attr<Vec<LinkItem>>,
}
