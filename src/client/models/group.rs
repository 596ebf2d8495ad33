//! A group (a destination and its connections share the group's id).

use serde::{Deserialize, Serialize};

/// `GET /groups/{id}` and the items of `GET /groups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub created_at: Option<String>,
}
