//! Certificates and SSH host keys approved for a connection or a destination: four
//! resources, one approval each (`fivetran_{connection,destination}_{certificate,fingerprint}`),
//! and four data sources listing a parent's approvals.
//!
//! One generic implementation: [`resource::ApprovalResource`] and [`data::ApprovalsData`]
//! hold the lifecycle (plan, create, read by hash, revoke, import) and are parameterised by
//! the parent ([`ParentKind`]) and by what is approved ([`Kind`]: [`Certificates`] or
//! [`Fingerprints`]). Their models name the parent's id `parent_id` whatever the schema
//! calls it (`connection_id`, `destination_id`).
//!
//! # Layout
//! * `model.rs`       — the typed states: one approval, a listing.
//! * `id.rs`          — the `<parent_id>/<percent-encoded hash>` id and import id.
//! * `pin.rs`         — fingerprints, SSH keys, encoded certificates, and what failing
//!   setup tests presented (pure functions).
//! * `presented.rs`   — runs a parent's setup tests to see what it presents.
//! * `resource.rs`    — the generic resource; `certificate.rs`, `fingerprint.rs` — the kinds.
//! * `data.rs`        — the generic list data source.

mod certificate;
mod data;
mod fingerprint;
mod id;
pub mod model;
mod pin;
mod presented;
mod resource;

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::{Client, Error, Op, Parent};
use crate::framework::typed::{Renames, Typed, TypedData};
use crate::framework::{DataSource, Resource};
use crate::protocol::{Attribute, Diagnostics};
use crate::resources::common::Configured;

pub use crate::resources::common::parent::ParentKind;
pub use certificate::Certificates;
pub use fingerprint::Fingerprints;
pub use model::ApprovalModel;
pub use pin::PinMiss;

/// What one kind of approval is called on one kind of parent.
pub struct Names {
    /// The resource type, as `fivetran_connection_certificate`.
    pub resource: &'static str,
    /// The data source type, as `fivetran_connection_certificates`.
    pub data_source: &'static str,
    /// How the data source's schema names its list (`certificates` / `fingerprints`) and
    /// the parent's id, as renames to the listing model's fields.
    pub listing: Renames,
}

/// What is being approved, as the generic resource and data source need it.
#[async_trait]
pub trait Kind: Send + Sync + 'static {
    /// The API object.
    type Approval: Send + Sync + 'static;
    /// The state of one approval (the resource).
    type Model: ApprovalModel;
    /// One approval in a data source's list.
    type Item: Serialize + DeserializeOwned + Send + Sync + Default + Clone + 'static;

    /// `certificate` / `SSH host key`, for messages.
    const NOUN: &'static str;

    /// The kind's names on a connection and on a destination.
    const CONNECTION: Names;
    const DESTINATION: Names;

    fn names(parent: ParentKind) -> &'static Names {
        match parent {
            ParentKind::Connection => &Self::CONNECTION,
            ParentKind::Destination => &Self::DESTINATION,
        }
    }
    fn type_name(parent: ParentKind) -> &'static str {
        Self::names(parent).resource
    }
    fn data_type_name(parent: ParentKind) -> &'static str {
        Self::names(parent).data_source
    }
    fn listing_renames(parent: ParentKind) -> Renames {
        Self::names(parent).listing
    }
    /// How the resource's schema names the parent's id, as a rename to `parent_id`.
    fn model_renames(parent: ParentKind) -> Renames {
        match parent {
            ParentKind::Connection => &[("connection_id", "parent_id")],
            ParentKind::Destination => &[("destination_id", "parent_id")],
        }
    }
    fn description(parent: ParentKind) -> String;
    /// The kind's own attributes (arguments and read-only values, not `id`, the parent id
    /// or `validated_*`).
    fn attributes(parent: ParentKind) -> Vec<Attribute>;
    /// The schema of one item of the data source's list.
    fn item_attributes() -> Vec<(&'static str, &'static str)>;
    /// Arguments that replace the approval when changed.
    fn arguments() -> &'static [&'static str];
    /// Computed attributes that never change once approved.
    fn stable() -> &'static [&'static str];
    /// Checks the kind's arguments; values may be unknown. No API calls.
    fn validate(parent: ParentKind, config: &Self::Model, diags: &mut Diagnostics);
    /// A written spelling that means the prior value (a fingerprint with colons, a key with
    /// another comment) keeps the prior spelling in the plan.
    fn keep_spelling(config: &Self::Model, prior: &Self::Model, planned: &mut Self::Model);

    /// Approves what the configuration asks for and returns the approval.
    async fn approve(ctx: &Approve<'_, Self::Model>) -> Result<Self::Approval, Diagnostics>;
    async fn get(
        client: &Client,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Self::Approval, Error>;
    async fn revoke(client: &Client, op: &Op, parent: &Parent, hash: &str) -> Result<(), Error>;
    async fn list(client: &Client, op: &Op, parent: &Parent) -> Result<Vec<Self::Approval>, Error>;

    /// The state of approval `a` over `base` (the plan or the prior state): the API's
    /// values, keeping a written spelling that means the same.
    fn state(a: &Self::Approval, base: &Self::Model) -> Self::Model;
    /// Approval `a` as an item of a list.
    fn item(parent_id: &str, a: &Self::Approval) -> Self::Item;
    fn hash(a: &Self::Approval) -> &str;
}

/// Everything [`Kind::approve`] needs.
pub struct Approve<'a, M> {
    pub client: &'a Client,
    pub op: &'a Op,
    pub parent: ParentKind,
    pub parent_id: &'a str,
    pub planned: &'a M,
    /// The configuration (write-only arguments are only here).
    pub config: &'a M,
}

const PARENTS: [ParentKind; 2] = [ParentKind::Connection, ParentKind::Destination];

/// The four approval resources.
pub fn resources() -> Vec<Arc<dyn Resource<Configured>>> {
    let mut out: Vec<Arc<dyn Resource<Configured>>> = Vec::new();
    for parent in PARENTS {
        out.push(Arc::new(Typed::new(resource::ApprovalResource::<
            Certificates,
        >::new(parent))));
        out.push(Arc::new(Typed::new(resource::ApprovalResource::<
            Fingerprints,
        >::new(parent))));
    }
    out
}

/// The four approval list data sources.
pub fn data_sources() -> Vec<Arc<dyn DataSource<Configured>>> {
    let mut out: Vec<Arc<dyn DataSource<Configured>>> = Vec::new();
    for parent in PARENTS {
        out.push(Arc::new(TypedData::new(
            data::ApprovalsData::<Certificates>::new(parent),
        )));
        out.push(Arc::new(TypedData::new(
            data::ApprovalsData::<Fingerprints>::new(parent),
        )));
    }
    out
}
