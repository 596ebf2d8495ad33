//! Terraform resources and data sources: thin mappings between Terraform values and the
//! Fivetran client, one file per type. Client errors become diagnostics in `diagnostics.rs`.

pub mod connection;
mod connection_config;
pub mod connection_data;
mod connection_request;
mod connection_schema;
pub mod connection_setup_tests;
mod connection_validate;
mod diagnostics;
pub mod private_link;
pub mod private_link_catalog;
pub mod private_link_data;
mod setup_test_report;

use std::sync::Arc;

use crate::framework::{DataSource, Resource};
use crate::provider::Configured;

/// Every resource type the provider serves.
pub fn resources() -> Vec<Arc<dyn Resource<Configured>>> {
    vec![
        Arc::new(private_link::PrivateLinkResource),
        Arc::new(connection::ConnectionResource),
        Arc::new(connection_setup_tests::SetupTestsResource),
    ]
}

/// Every data source type the provider serves.
pub fn data_sources() -> Vec<Arc<dyn DataSource<Configured>>> {
    vec![
        Arc::new(private_link_data::PrivateLinkData),
        Arc::new(private_link_data::PrivateLinksData),
        Arc::new(connection_data::GroupData),
        Arc::new(connection_data::ConnectionData),
    ]
}
