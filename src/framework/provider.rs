//! The provider itself: its configuration schema, how it configures a client, and what it serves.

use std::sync::Arc;

use crate::protocol::{Diagnostics, Schema, Value};

use super::{DataSource, Resource};

#[async_trait::async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What resources and data sources receive once the provider is configured.
    type Client: Send + Sync + 'static;

    fn schema(&self) -> Schema;

    /// Static checks of the provider block (values may be unknown).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Builds the client from the provider block. Runs once per provider process.
    async fn configure(
        &self,
        terraform_version: &str,
        config: &Value,
    ) -> Result<Self::Client, Diagnostics>;

    fn resources(&self) -> Vec<Arc<dyn Resource<Self::Client>>>;

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Self::Client>>>;
}
