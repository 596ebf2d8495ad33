//! Terraform resources and data sources: thin mappings between Terraform values and the
//! Fivetran client, one file per type. Client errors become diagnostics in `diagnostics.rs`.

pub mod approval;
mod diagnostics;
pub mod private_link;
pub mod private_link_catalog;
pub mod private_link_data;

use std::sync::Arc;

use crate::framework::{DataSource, Resource};
use crate::provider::Configured;

/// Every resource type the provider serves.
pub fn resources() -> Vec<Arc<dyn Resource<Configured>>> {
    let mut all: Vec<Arc<dyn Resource<Configured>>> =
        vec![Arc::new(private_link::PrivateLinkResource)];
    all.extend(approval::resources());
    all
}

/// Every data source type the provider serves.
pub fn data_sources() -> Vec<Arc<dyn DataSource<Configured>>> {
    let mut all: Vec<Arc<dyn DataSource<Configured>>> = vec![
        Arc::new(private_link_data::PrivateLinkData),
        Arc::new(private_link_data::PrivateLinksData),
    ];
    all.extend(approval::data_sources());
    all
}
