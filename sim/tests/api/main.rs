//! One test binary for the simulator: every endpoint over real HTTP on port 0, state
//! transitions, knobs, the admin API, conformance with the OpenAPI spec, the tutorial
//! script and a load test.

mod admin;
mod after_commit;
mod approvals;
mod binary;
mod common;
mod conformance;
mod connections;
mod destination_config;
mod destinations;
mod errors;
mod fixture_shapes;
mod groups;
mod knobs;
mod load;
mod optional_bodies;
mod private_links;
mod router;
mod tutorial;
mod tutorial_requests;
