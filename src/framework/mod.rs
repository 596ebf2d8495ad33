//! A small resource framework over the plugin protocol: a registry of typed resources and data
//! sources, default planning from the schema, timeouts, import and state upgrades.
//!
//! Knows nothing of Fivetran: the provider plugs in through [`Provider`], [`Resource`] and
//! [`DataSource`].

pub mod data_source;
pub mod model;
pub mod plan;
pub mod provider;
pub mod resource;
pub mod server;
pub mod timeouts;
pub mod typed;

#[cfg(test)]
mod tests;

pub use data_source::DataSource;
pub use provider::Provider;
pub use resource::{OpContext, Outcome, Resource, ResourceSchema, WriteOnlyAlternative};
pub use server::Framework;
