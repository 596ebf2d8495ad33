//! The only code that touches generated protobuf messages: tfplugin5 requests into the
//! protocol's own types ([`from_proto`]) and answers, schemas and diagnostics back out
//! ([`to_proto`]). The server's handlers only route; terraform-plugin-go keeps its
//! `fromproto`/`toproto` apart from its server the same way.

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
