//! Terraform resources and data sources: thin mappings between Terraform values and the
//! Fivetran client, one file per type. Client errors become diagnostics in `diagnostics.rs`.
//!
//! # Layout
//! * `private_link.rs` (+ `_catalog.rs`, `_data.rs`): `fivetran_private_link` and its data
//!   sources.
//! * `connection.rs`: `fivetran_connection` (CRUD, state from the API); its schema in
//!   `connection_schema.rs`, plan-time checks in `connection_validate.rs`, requests in
//!   `connection_request.rs`, and the `config` rules (JSON, masking, drift) in
//!   `connection_config.rs`.
//! * `connection_setup_tests.rs`: the gate `fivetran_connection_setup_tests`; what its
//!   errors say about failed tests in `setup_test_report.rs`.
//! * `connection_data.rs`: data sources `fivetran_group` and `fivetran_connection`.
//! * `approval/`: the certificate and fingerprint resources and data sources, for connections
//!   and destinations (one generic implementation per kind).

pub mod approval;
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
    let mut all: Vec<Arc<dyn Resource<Configured>>> = vec![
        Arc::new(private_link::PrivateLinkResource),
        Arc::new(connection::ConnectionResource),
        Arc::new(connection_setup_tests::SetupTestsResource),
    ];
    all.extend(approval::resources());
    all
}

/// Every data source type the provider serves.
pub fn data_sources() -> Vec<Arc<dyn DataSource<Configured>>> {
    let mut all: Vec<Arc<dyn DataSource<Configured>>> = vec![
        Arc::new(private_link_data::PrivateLinkData),
        Arc::new(private_link_data::PrivateLinksData),
        Arc::new(connection_data::GroupData),
        Arc::new(connection_data::ConnectionData),
    ];
    all.extend(approval::data_sources());
    all
}
