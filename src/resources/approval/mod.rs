//! Certificates and SSH host keys approved for a connection or a destination: four
//! resources, one approval each (`fivetran_{connection,destination}_{certificate,fingerprint}`),
//! and four data sources listing a parent's approvals.
//!
//! One generic implementation: [`resource::ApprovalResource`] and [`data::ApprovalsData`]
//! hold the lifecycle (plan, create, read by hash, revoke, import) and are parameterised by
//! the parent ([`ParentKind`]) and by what is approved ([`Kind`]: [`Certificates`] or
//! [`Fingerprints`]).
//!
//! # Layout
//! * `id.rs`          — the `<parent_id>/<percent-encoded hash>` id and import id.
//! * `pin.rs`         — fingerprints, SSH keys, encoded certificates, and what failing
//!   setup tests presented (pure functions).
//! * `setup_tests.rs` — runs a parent's setup tests to see what it presents.
//! * `resource.rs`    — the generic resource; `certificate.rs`, `fingerprint.rs` — the kinds.
//! * `data.rs`        — the generic list data source.

mod certificate;
mod data;
mod fingerprint;
mod id;
mod pin;
mod resource;
mod setup_tests;

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::{Client, Error, Op, Parent};
use crate::framework::{DataSource, Resource};
use crate::protocol::{Attribute, Diagnostics, Value};
use crate::provider::Configured;

pub use certificate::Certificates;
pub use fingerprint::Fingerprints;
pub use pin::PinMiss;

/// What an approval belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParentKind {
    Connection,
    Destination,
}

impl ParentKind {
    /// `connection` / `destination`, for messages and descriptions.
    pub fn noun(self) -> &'static str {
        match self {
            ParentKind::Connection => "connection",
            ParentKind::Destination => "destination",
        }
    }

    /// The argument naming the parent: `connection_id` / `destination_id`.
    pub fn id_attribute(self) -> &'static str {
        match self {
            ParentKind::Connection => "connection_id",
            ParentKind::Destination => "destination_id",
        }
    }

    fn id_description(self) -> &'static str {
        match self {
            ParentKind::Connection => "Id of the connection the approval is for. Changing it replaces the approval.",
            ParentKind::Destination => "Id of the destination the approval is for (the id of its group). Changing it replaces the approval.",
        }
    }

    /// The client's name for the parent `id`.
    pub fn parent(self, id: &str) -> Parent {
        match self {
            ParentKind::Connection => Parent::Connection(id.to_string()),
            ParentKind::Destination => Parent::Destination(id.to_string()),
        }
    }

    /// `connection "abc"`, for messages.
    pub fn subject(self, id: &str) -> String {
        format!("{} {id:?}", self.noun())
    }
}

/// Whether two spellings of an attribute mean the same value.
pub type SameValue = fn(&str, &str) -> bool;

/// What is being approved, as the generic resource and data source need it.
#[async_trait]
pub trait Kind: Send + Sync + 'static {
    /// The API object.
    type Approval: Send + Sync + 'static;

    /// `certificate` / `SSH host key`, for messages.
    const NOUN: &'static str;
    /// Arguments that are kept in the state (all replace the approval when changed).
    const ARGUMENTS: &'static [&'static str];
    /// Names of the string values [`Kind::values`] returns, in order (`hash` first).
    const VALUES: &'static [&'static str];
    /// Attributes whose written spelling is kept while it means the same value as the
    /// API's (e.g. a fingerprint with colons), with the comparison.
    const SPELLINGS: &'static [(&'static str, SameValue)];

    fn type_name(parent: ParentKind) -> &'static str;
    fn data_type_name(parent: ParentKind) -> &'static str;
    /// The data source's list attribute (`certificates` / `fingerprints`).
    const LIST: &'static str;
    fn description(parent: ParentKind) -> String;
    /// The kind's own attributes (arguments and read-only values, not `id`, the parent id
    /// or `validated_*`).
    fn attributes(parent: ParentKind) -> Vec<Attribute>;
    /// Checks the kind's arguments; values may be unknown. No API calls.
    fn validate(parent: ParentKind, config: &Value, diags: &mut Diagnostics);

    /// Approves what the configuration asks for and returns the approval.
    async fn approve(ctx: &Approve<'_>) -> Result<Self::Approval, Diagnostics>;
    async fn get(
        client: &Client,
        op: &Op,
        parent: &Parent,
        hash: &str,
    ) -> Result<Self::Approval, Error>;
    async fn revoke(client: &Client, op: &Op, parent: &Parent, hash: &str) -> Result<(), Error>;
    async fn list(client: &Client, op: &Op, parent: &Parent) -> Result<Vec<Self::Approval>, Error>;

    /// The approval's string values, named as [`Kind::VALUES`].
    fn values(a: &Self::Approval) -> Vec<(&'static str, Option<String>)>;
    fn hash(a: &Self::Approval) -> &str;
}

/// Everything [`Kind::approve`] needs.
pub struct Approve<'a> {
    pub client: &'a Client,
    pub op: &'a Op,
    pub parent: ParentKind,
    pub parent_id: &'a str,
    pub planned: &'a Value,
    /// The configuration (write-only arguments are only here).
    pub config: &'a Value,
}

const PARENTS: [ParentKind; 2] = [ParentKind::Connection, ParentKind::Destination];

/// The four approval resources.
pub fn resources() -> Vec<Arc<dyn Resource<Configured>>> {
    let mut out: Vec<Arc<dyn Resource<Configured>>> = Vec::new();
    for parent in PARENTS {
        out.push(Arc::new(resource::ApprovalResource::<Certificates>::new(
            parent,
        )));
        out.push(Arc::new(resource::ApprovalResource::<Fingerprints>::new(
            parent,
        )));
    }
    out
}

/// The four approval list data sources.
pub fn data_sources() -> Vec<Arc<dyn DataSource<Configured>>> {
    let mut out: Vec<Arc<dyn DataSource<Configured>>> = Vec::new();
    for parent in PARENTS {
        out.push(Arc::new(data::ApprovalsData::<Certificates>::new(parent)));
        out.push(Arc::new(data::ApprovalsData::<Fingerprints>::new(parent)));
    }
    out
}
