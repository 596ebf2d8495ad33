//! The destination family: `fivetran_destination` (the warehouse a group loads into; its id
//! is the group's) and its gate `fivetran_destination_setup_tests`. Their approvals
//! (`fivetran_destination_certificate` / `_fingerprint`) live in `approval/`.
//!
//! * `model.rs`: the typed states.
//! * `schema.rs`: the schemas, and the values the API states for the arguments.
//! * `validate.rs`: plan-time checks.
//! * `request.rs`: the create and update bodies.
//! * `resource.rs`: the destination.
//! * `gate.rs`: the setup-tests gate.

pub mod gate;
pub mod model;
pub mod request;
pub mod resource;
pub mod schema;
pub mod validate;

pub use gate::DestinationSetupTestsResource;
pub use resource::DestinationResource;
