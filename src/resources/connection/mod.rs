//! The connection family: the `fivetran_connection` resource (created paused after its
//! private link is `OK`, PATCHed only where it changed), its setup-tests gate
//! `fivetran_connection_setup_tests` (runs the tests, unpauses when they pass), and the
//! `fivetran_connection` data source.
//!
//! * `model.rs`: the typed state of the resource, the gate and the data source.
//! * `schema.rs`: the resource's schema and the values it allows.
//! * `resource.rs`: the resource (state from API answers, create, update, delete).
//! * `request.rs`: the create and update requests.
//! * `validate.rs`: plan-time checks.
//! * `gate.rs`: `fivetran_connection_setup_tests`.
//! * `data.rs`: the data source.

pub mod data;
pub mod gate;
pub mod model;
pub mod request;
pub mod resource;
pub mod schema;
pub mod validate;

pub use data::ConnectionData;
pub use gate::SetupTestsResource;
pub use resource::ConnectionResource;
