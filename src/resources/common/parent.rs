//! [`ParentKind`]: what a certificate, a host key or a setup-test run belongs to.

use crate::client::Parent;

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

    pub fn id_description(self) -> &'static str {
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
