//! A destination as the setup-test endpoint answers it. Only what the provider uses is
//! typed; other fields are ignored.

use serde::{Deserialize, Serialize};

use super::{null_as_default, SetupTest};

/// `POST /destinations/{id}/test` (`DestinationExtendedResponse`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Destination {
    pub id: String,
    pub group_id: Option<String>,
    pub service: Option<String>,
    /// `INCOMPLETE`, `CONNECTED` or `BROKEN`.
    pub setup_status: Option<String>,
    /// Results of the setup tests this answer ran.
    #[serde(default, deserialize_with = "null_as_default")]
    pub setup_tests: Vec<SetupTest>,
}
