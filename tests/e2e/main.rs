//! End-to-end tests: the real `terraform` CLI drives the provider binary built by cargo.
//! Every test goes through [`harness`].

mod harness;
mod plugin_channel;
mod provider_config;
