//! Terraform resources and data sources: thin mappings between the framework's typed
//! models and the Fivetran client, one folder per family. Client errors become diagnostics
//! in `common/diagnostics.rs`.
//!
//! # Layout
//! * `common/`: what the families share (the configured client, diagnostics, a connector's
//!   config and secrets, networking and the wait for a private link, setup-test results).
//! * `private_link/`: `fivetran_private_link` and its two data sources.
//! * `connection/`: `fivetran_connection`, its gate `fivetran_connection_setup_tests`, and
//!   the `fivetran_connection` data source.
//! * `approval/`: the certificate and fingerprint resources and data sources, for
//!   connections and destinations (one generic implementation per kind).
//! * `group/`: `fivetran_group` (resource and data source) and `fivetran_group_public_key`.
//! * `destination/`: `fivetran_destination` and its gate `fivetran_destination_setup_tests`.
//!
//! [`resources`] and [`data_sources`] are the one registry: the provider serves them, and the
//! documentation and the end-to-end tables read them.

pub mod approval;
pub mod common;
pub mod connection;
pub mod destination;
pub mod group;
pub mod private_link;

use std::sync::Arc;

use crate::framework::typed::{Typed, TypedData};
use crate::framework::{DataSource, Resource};

pub use common::Configured;

/// Every resource type the provider serves.
pub fn resources() -> Vec<Arc<dyn Resource<Configured>>> {
    let mut all: Vec<Arc<dyn Resource<Configured>>> = vec![
        Arc::new(Typed::new(private_link::PrivateLinkResource)),
        Arc::new(Typed::new(connection::ConnectionResource)),
        Arc::new(Typed::new(connection::SetupTestsResource)),
        Arc::new(Typed::new(group::GroupResource)),
        Arc::new(Typed::new(destination::DestinationResource)),
        Arc::new(Typed::new(destination::DestinationSetupTestsResource)),
    ];
    all.extend(approval::resources());
    all
}

/// Every data source type the provider serves.
pub fn data_sources() -> Vec<Arc<dyn DataSource<Configured>>> {
    let mut all: Vec<Arc<dyn DataSource<Configured>>> = vec![
        Arc::new(TypedData::new(private_link::PrivateLinkData)),
        Arc::new(TypedData::new(private_link::PrivateLinksData)),
        Arc::new(TypedData::new(group::GroupData)),
        Arc::new(TypedData::new(group::GroupPublicKeyData)),
        Arc::new(TypedData::new(connection::ConnectionData)),
    ];
    all.extend(approval::data_sources());
    all
}

#[cfg(test)]
mod tests {
    use crate::framework::Framework;
    use crate::provider::FivetranProvider;

    /// The start-up check over the whole registry: every model's fields are its schema's
    /// attributes, and every planning name is in its schema.
    #[test]
    fn every_model_fits_its_schema_at_start_up() {
        // The same check a debug build runs at start-up, whatever the build profile.
        if let Err(e) = Framework::check(&FivetranProvider) {
            panic!("a model does not fit its schema: {e}");
        }
        if let Err(e) = Framework::new(FivetranProvider) {
            panic!("the provider would not start: {e}");
        }
    }
}
