//! The typed state of `fivetran_destination` and of its setup-tests gate.

use serde::{Deserialize, Serialize};

use crate::framework::timeouts::Timeouts;
use crate::framework::typed::{Attr, Raw, StringMap};
use crate::protocol::value::Number;
use crate::resources::common::config_args::ConfigArgs;
use crate::resources::common::networking::{Networked, NetworkingArgs};
use crate::resources::common::test_results::TestResult;

/// `fivetran_destination`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationModel {
    pub id: Attr<String>,
    pub group_id: Attr<String>,
    pub service: Attr<String>,
    pub region: Attr<String>,
    pub time_zone_offset: Attr<String>,
    pub daylight_saving_time_enabled: Attr<bool>,
    pub networking_method: Attr<String>,
    pub private_link_id: Attr<String>,
    pub proxy_agent_id: Attr<String>,
    pub hybrid_deployment_agent_id: Attr<String>,
    /// A `dynamic` object, kept with its type.
    pub config: Raw,
    pub config_secrets: Attr<StringMap>,
    pub config_secrets_wo: Attr<StringMap>,
    pub config_secrets_wo_version: Attr<Number>,
    pub setup_status: Attr<String>,
    pub timeouts: Attr<Timeouts>,
}

impl Networked for DestinationModel {
    fn networking(&self) -> NetworkingArgs<'_> {
        NetworkingArgs {
            method: &self.networking_method,
            private_link_id: &self.private_link_id,
            proxy_agent_id: &self.proxy_agent_id,
            hybrid_deployment_agent_id: &self.hybrid_deployment_agent_id,
        }
    }

    fn networking_method_mut(&mut self) -> &mut Attr<String> {
        &mut self.networking_method
    }
}

impl DestinationModel {
    /// The settings arguments (`config` and its secrets).
    pub fn config_args(&self) -> ConfigArgs<'_> {
        ConfigArgs {
            config: self.config.value(),
            secrets: &self.config_secrets,
            secrets_wo: &self.config_secrets_wo,
            secrets_wo_version: &self.config_secrets_wo_version,
        }
    }
}

/// `fivetran_destination_setup_tests`, the destination's gate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationGateModel {
    pub id: Attr<String>,
    pub destination_id: Attr<String>,
    pub trust_certificates: Attr<bool>,
    pub trust_fingerprints: Attr<bool>,
    pub triggers: Attr<StringMap>,
    pub setup_status: Attr<String>,
    pub results: Attr<Vec<TestResult>>,
    pub timeouts: Attr<Timeouts>,
}
