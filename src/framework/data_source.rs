//! The contract of one data source type.

use async_trait::async_trait;

use crate::protocol::{Diagnostics, Schema, Value};

use super::OpContext;

#[async_trait]
pub trait DataSource<C>: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Checked by `Framework::check` (tests, debug start-up): whether the data source's model fits its schema.
    fn check_model(&self, _schema: &Schema) -> Result<(), String> {
        Ok(())
    }

    /// Static checks of a configuration; values may be unknown. No API calls.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Reads the data; the result must be wholly known.
    async fn read(&self, ctx: &OpContext<'_, C>, config: &Value) -> Result<Value, Diagnostics>;
}
