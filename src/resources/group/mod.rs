//! The group family: the `fivetran_group` resource (a group is a destination and the
//! connections loading into it; its id is also its destination's id), and the
//! `fivetran_group` and `fivetran_group_public_key` data sources.
//!
//! * `resource.rs`: the resource.
//! * `data.rs`: the data sources.

pub mod data;
pub mod resource;

pub use data::{GroupData, GroupPublicKeyData};
pub use resource::GroupResource;
