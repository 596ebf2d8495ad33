//! Diagnostics as Terraform shows them: severity, summary, detail, and the attribute they are
//! about. Every user-facing problem travels as one of these, never as a gRPC error.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One step into a value: an attribute (or block type), a map key, or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    Attribute(String),
    Key(String),
    Index(i64),
}

/// Where in a configuration a diagnostic points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    pub fn root(name: &str) -> Self {
        AttributePath(vec![PathStep::Attribute(name.to_string())])
    }
    pub fn attr(mut self, name: &str) -> Self {
        self.0.push(PathStep::Attribute(name.to_string()));
        self
    }
    pub fn key(mut self, key: &str) -> Self {
        self.0.push(PathStep::Key(key.to_string()));
        self
    }
    pub fn index(mut self, index: i64) -> Self {
        self.0.push(PathStep::Index(index));
        self
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(a) if i == 0 => write!(f, "{a}")?,
                PathStep::Attribute(a) => write!(f, ".{a}")?,
                PathStep::Key(k) => write!(f, "[{k:?}]")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttributePath>,
}

/// An ordered collection of diagnostics with helpers for the common shapes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Error, summary.into(), detail.into(), None);
    }

    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Warning, summary.into(), detail.into(), None);
    }

    pub fn attribute_error(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Severity::Error, summary.into(), detail.into(), Some(path));
    }

    pub fn attribute_warning(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Severity::Warning, summary.into(), detail.into(), Some(path));
    }

    fn push(
        &mut self,
        severity: Severity,
        summary: String,
        detail: String,
        attribute: Option<AttributePath>,
    ) {
        self.0.push(Diagnostic {
            severity,
            summary,
            detail,
            attribute,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_display_like_terraform_addresses() {
        let p = AttributePath::root("config").key("host").attr("x").index(2);
        assert_eq!(p.to_string(), "config[\"host\"].x[2]");
    }

    #[test]
    fn errors_are_detected_among_warnings() {
        let mut d = Diagnostics::new();
        d.warning("w", "");
        assert!(!d.has_errors());
        d.attribute_error(AttributePath::root("api_url"), "Invalid URL", "");
        assert!(d.has_errors());
    }
}
