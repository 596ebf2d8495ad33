//! Conversions between the generated tfplugin5 messages and the protocol's own types:
//! requests in ([`from_proto`]), answers, schemas and diagnostics out ([`to_proto`]). The
//! server's handlers only route (and answer the few RPCs that have nothing to convert, such as
//! `Stop`); terraform-plugin-go keeps its `fromproto`/`toproto` apart from its server the same
//! way.

pub(crate) mod from_proto;
pub(crate) mod to_proto;

use super::diagnostics::{Diagnostic, Severity};

/// A problem in the provider itself, phrased as Terraform's own SDKs do.
pub(crate) fn internal(detail: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        summary: "Provider Internal Error".into(),
        detail: format!("{detail}\n\nThis is always a bug in the provider; please report it."),
        attribute: None,
    }
}
