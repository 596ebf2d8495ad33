//! The private-link family: the `fivetran_private_link` resource (create blocks until
//! Fivetran reports the link `OK`; config updates wait through `UPDATING`; delete waits
//! until the link is gone) and the `fivetran_private_link` / `fivetran_private_links` data
//! sources.
//!
//! * `model.rs`: the typed state of the resource and of the data sources.
//! * `resource.rs`: the resource.
//! * `data.rs`: the data sources.
//! * `catalog.rs`: what the API accepts (services, their cloud and config keys, regions).

pub mod catalog;
pub mod data;
pub mod model;
pub mod resource;

pub use data::{PrivateLinkData, PrivateLinksData};
pub use resource::PrivateLinkResource;
