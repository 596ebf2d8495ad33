//! The envelope around every answer, `{"code", "message", "data"}`, and the page shape
//! of list answers, `{"items": [...], "next_cursor"}`.

use serde::Deserialize;

/// A success answer: `data` is absent on deletions.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<T> {
    pub data: Option<T>,
}

/// An error answer: both fields are optional (a proxy's HTML page has neither).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ApiErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
}

/// One page of a list; `next_cursor` is absent, null or empty on the last page.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub(crate) struct Page<T> {
    #[serde(default = "Vec::new", deserialize_with = "super::null_as_default")]
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
