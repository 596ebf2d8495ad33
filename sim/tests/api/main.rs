//! One test binary for the simulator: every endpoint over real HTTP on port 0, state
//! transitions, knobs, the admin API, conformance with the OpenAPI spec, the tutorial
//! script and a load test.

mod common;
mod errors;
mod groups;
mod private_links;
