//! OpenAPI validation (filled in below).
