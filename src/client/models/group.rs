//! A group (a destination and its connections share the group's id), the body that
//! creates or renames one, and its SSH public key.

use serde::{Deserialize, Serialize};

/// `GET /groups/{id}` and the items of `GET /groups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub created_at: Option<String>,
}

/// Body of `POST /groups` and `PATCH /groups/{id}`: the name is the only writable field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupName<'a> {
    pub name: &'a str,
}

/// `GET /groups/{id}/public-key`: the key Fivetran uses to reach an SSH bastion for the
/// group's connections and destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPublicKey {
    pub public_key: String,
}
