//! The group family: the `fivetran_group` data source (a group is a destination and the
//! connections loading into it; its id is also its destination's id).

pub mod data;

pub use data::GroupData;
