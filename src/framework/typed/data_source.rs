//! [`TypedDataSource`]: a data source written against its typed model, and [`Typed`], the
//! adapter that serves it as the framework's `DataSource`.

use std::sync::OnceLock;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::framework::{DataSource, OpContext};
use crate::protocol::{Diagnostics, Schema, Type, Value};

use super::{
    check_fields, from_value, to_attributes, to_fields, to_value, type_to_fields, Renames,
};

/// A data source over its model: the configuration arrives as the model (values may be
/// unknown at validate), and `read` returns it filled in.
#[async_trait]
pub trait TypedDataSource<C: Send + Sync + 'static>: Send + Sync + 'static {
    type Model: Serialize + DeserializeOwned + Send + Sync;

    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Attributes the model's fields name differently (see [`Renames`]).
    fn renames(&self) -> Renames {
        &[]
    }

    /// Static checks of a configuration; values may be unknown. No API calls.
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// Reads the data; the result must be wholly known.
    async fn read(
        &self,
        ctx: &OpContext<'_, C>,
        config: &Self::Model,
    ) -> Result<Self::Model, Diagnostics>;
}

/// A typed data source served as the framework's `DataSource`.
pub struct Typed<D> {
    source: D,
    ty: OnceLock<Type>,
}

impl<D> Typed<D> {
    pub fn new(source: D) -> Self {
        Typed {
            source,
            ty: OnceLock::new(),
        }
    }
}

fn decode<M: DeserializeOwned>(
    value: &Value,
    renames: Renames,
    what: &str,
) -> Result<M, Diagnostics> {
    from_value(&to_fields(value, renames)).map_err(|e| e.diagnostic(what).into())
}

#[async_trait]
impl<C, D> DataSource<C> for Typed<D>
where
    C: Send + Sync + 'static,
    D: TypedDataSource<C>,
{
    fn type_name(&self) -> &'static str {
        self.source.type_name()
    }

    fn schema(&self) -> Schema {
        self.source.schema()
    }

    fn check_model(&self, schema: &Schema) -> Result<(), String> {
        check_fields::<D::Model>(
            self.source.type_name(),
            &schema.block,
            self.source.renames(),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        match decode::<D::Model>(config, self.source.renames(), "the configuration") {
            Ok(model) => self.source.validate(&model, diags),
            Err(d) => diags.extend(d),
        }
    }

    async fn read(&self, ctx: &OpContext<'_, C>, config: &Value) -> Result<Value, Diagnostics> {
        let renames = self.source.renames();
        let config = decode::<D::Model>(config, renames, "the configuration")?;
        let model = self.source.read(ctx, &config).await?;
        let ty = self
            .ty
            .get_or_init(|| type_to_fields(&self.source.schema().block.implied_type(), renames));
        to_value(&model, ty)
            .map(|v| to_attributes(v, renames))
            .map_err(|e| e.diagnostic("the data read").into())
    }
}
