//! End-to-end tests: the real `terraform` CLI drives the provider binary built by cargo.
//! Every test goes through [`harness`].

mod acceptance;
mod approvals;
mod bad_input;
mod both_ends;
mod connection;
mod connection_state;
mod destinations;
mod docs;
mod examples;
mod groups;
mod harness;
mod plugin_channel;
mod private_link;
mod promises;
mod provider_config;
mod rate_limits;
mod real_api_shapes;
mod release;
mod reliability;
mod terraform_versions;
