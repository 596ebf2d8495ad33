//! A small resource framework over the plugin protocol: a registry of resources and data
//! sources written against typed models (`typed/`), default planning from the schema,
//! timeouts, import and state upgrades.
//!
//! Knows nothing of Fivetran: the provider plugs in through [`Provider`], [`Resource`] and
//! [`DataSource`].

pub mod data_source;
pub mod plan;
pub mod private;
pub mod provider;
pub mod resource;
pub mod server;
pub mod timeouts;
pub mod typed;
pub mod values;

#[cfg(test)]
mod tests;

pub use data_source::DataSource;
pub use private::Private;
pub use provider::Provider;
pub use resource::{OpContext, Outcome, Resource, ResourceSchema, WriteOnlyAlternative};
pub use server::Framework;
