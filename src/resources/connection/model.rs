//! The typed state of `fivetran_connection`, of its setup-tests gate and of the
//! `fivetran_connection` data source.

use serde::{Deserialize, Serialize};

use crate::client::{Connection, ConnectionStatus};
use crate::framework::timeouts::Timeouts;
use crate::framework::typed::{Attr, Raw, StringMap};
use crate::protocol::value::Number;
use crate::resources::common::config_args::ConfigArgs;
use crate::resources::common::networking::{Networked, NetworkingArgs};
use crate::resources::common::test_results::TestResult;

/// `status` of a connection: the part of the API's status object worth keeping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub setup_state: Attr<String>,
    pub sync_state: Attr<String>,
    pub update_state: Attr<String>,
    pub is_historical_sync: Attr<bool>,
}

impl From<&ConnectionStatus> for Status {
    fn from(s: &ConnectionStatus) -> Self {
        Status {
            setup_state: s
                .setup_state
                .as_ref()
                .map(|st| st.as_str().to_string())
                .into(),
            sync_state: s.sync_state.clone().into(),
            update_state: s.update_state.clone().into(),
            is_historical_sync: s.is_historical_sync.into(),
        }
    }
}

/// `fivetran_connection`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionModel {
    pub id: Attr<String>,
    pub group_id: Attr<String>,
    pub service: Attr<String>,
    pub schema: Attr<String>,
    pub schema_prefix: Attr<String>,
    pub table: Attr<String>,
    pub table_group_name: Attr<String>,
    pub networking_method: Attr<String>,
    pub private_link_id: Attr<String>,
    pub proxy_agent_id: Attr<String>,
    pub hybrid_deployment_agent_id: Attr<String>,
    pub sync_frequency: Attr<Number>,
    pub schedule_type: Attr<String>,
    pub daily_sync_time: Attr<String>,
    pub trust_certificates: Attr<bool>,
    pub trust_fingerprints: Attr<bool>,
    /// A `dynamic` object, kept with its type.
    pub config: Raw,
    pub config_secrets: Attr<StringMap>,
    pub config_secrets_wo: Attr<StringMap>,
    pub config_secrets_wo_version: Attr<Number>,
    pub paused: Attr<bool>,
    pub status: Attr<Status>,
    pub setup_tests: Attr<Vec<TestResult>>,
    pub created_at: Attr<String>,
    pub connected_by: Attr<String>,
    pub timeouts: Attr<Timeouts>,
}

/// The naming arguments of a connection, in the API's precedence.
#[derive(Debug, Clone, Copy)]
pub struct Naming<'a> {
    pub schema: Option<&'a str>,
    pub schema_prefix: Option<&'a str>,
    pub table: Option<&'a str>,
    pub table_group_name: Option<&'a str>,
}

impl Networked for ConnectionModel {
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

impl ConnectionModel {
    /// The settings arguments (`config` and its secrets).
    pub fn config_args(&self) -> ConfigArgs<'_> {
        ConfigArgs {
            config: self.config.value(),
            secrets: &self.config_secrets,
            secrets_wo: &self.config_secrets_wo,
            secrets_wo_version: &self.config_secrets_wo_version,
        }
    }

    pub fn naming(&self) -> Naming<'_> {
        Naming {
            schema: self.schema.as_deref(),
            schema_prefix: self.schema_prefix.as_deref(),
            table: self.table.as_deref(),
            table_group_name: self.table_group_name.as_deref(),
        }
    }

    /// The whole-number sync frequency, when known and a whole number in range.
    pub fn sync_frequency_minutes(&self) -> Option<u32> {
        self.sync_frequency
            .get()
            .and_then(Number::as_i64)
            .and_then(|n| u32::try_from(n).ok())
    }
}

impl Naming<'_> {
    /// The destination schema name Fivetran derives from the naming arguments (lower-cased
    /// `schema_prefix`, else `schema` or `schema.table`), to find a connection by it.
    pub fn api_schema_name(&self) -> Option<String> {
        let name = match (
            self.schema_prefix,
            self.schema,
            self.table.or(self.table_group_name),
        ) {
            (Some(p), _, _) => p.to_string(),
            (None, Some(s), Some(t)) => format!("{s}.{t}"),
            (None, Some(s), None) => s.to_string(),
            (None, None, _) => return None,
        };
        Some(name.to_ascii_lowercase())
    }
}

/// `fivetran_connection_setup_tests`, the gate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateModel {
    pub id: Attr<String>,
    pub connection_id: Attr<String>,
    pub trust_certificates: Attr<bool>,
    pub trust_fingerprints: Attr<bool>,
    pub paused: Attr<bool>,
    pub triggers: Attr<StringMap>,
    pub setup_state: Attr<String>,
    pub results: Attr<Vec<TestResult>>,
    pub timeouts: Attr<Timeouts>,
}

/// The `fivetran_connection` data source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionDataModel {
    pub id: Attr<String>,
    pub group_id: Attr<String>,
    pub service: Attr<String>,
    pub schema: Attr<String>,
    pub paused: Attr<bool>,
    pub status: Attr<Status>,
    pub networking_method: Attr<String>,
    pub private_link_id: Attr<String>,
    pub proxy_agent_id: Attr<String>,
    pub hybrid_deployment_agent_id: Attr<String>,
    pub sync_frequency: Attr<Number>,
    pub schedule_type: Attr<String>,
    pub daily_sync_time: Attr<String>,
    pub created_at: Attr<String>,
    pub connected_by: Attr<String>,
    pub succeeded_at: Attr<String>,
    pub failed_at: Attr<String>,
    pub config: Raw,
}

impl From<&Connection> for ConnectionDataModel {
    fn from(c: &Connection) -> Self {
        ConnectionDataModel {
            id: c.id.clone().into(),
            group_id: c.group_id.clone().into(),
            service: c.service.clone().into(),
            schema: c.schema.clone().into(),
            paused: c.paused.into(),
            status: Status::from(&c.status).into(),
            networking_method: c.networking_method.clone().into(),
            private_link_id: c.private_link_id.clone().into(),
            proxy_agent_id: c.proxy_agent_id.clone().into(),
            hybrid_deployment_agent_id: c.hybrid_deployment_agent_id.clone().into(),
            sync_frequency: c.sync_frequency.map(|f| Number::from(u64::from(f))).into(),
            schedule_type: c.schedule_type.clone().into(),
            daily_sync_time: c.daily_sync_time.clone().into(),
            created_at: c.created_at.clone().into(),
            connected_by: c.connected_by.clone().into(),
            succeeded_at: c.succeeded_at.clone().into(),
            failed_at: c.failed_at.clone().into(),
            config: Raw::default(),
        }
    }
}
