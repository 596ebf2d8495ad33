//! Certificates and fingerprints approved for a connection or a destination:
//! approve, list, details, revoke; plus the top-level `POST /v1/certificates` and
//! `POST /v1/fingerprints` that name the parent in the body.
//!
//! * `POST .../certificates` and `POST .../fingerprints` answer `201` with the approval
//!   (fixtures `certificate_approve_201.json`, `fingerprint_approve_201.json`, recorded from
//!   go-fivetran, which expects 201; the spec lists 200 for certificates and 200/201 for
//!   fingerprints).
//! * The top-level `POST /v1/certificates` and `POST /v1/fingerprints` answer `200` with
//!   only `{code, message}` (spec `#/paths/~1v1~1certificates/post/responses/200`; the
//!   support article "Certificate Management" approves this way with `connector_id`).
//! * `GET`/`DELETE .../{hash}` are addressed by the approval's `id` (Base64URL of the hash,
//!   see [`crate::model::approval::id_of`]) only: the segment is compared with each
//!   approval's id, a raw hash answers 404 even when it is valid path text. Encoded `/` and
//!   `\` in paths are refused before routing (`middleware::reject_encoded_separators`).
//! * A missing approval (or parent) answers a plain `404 NotFound`.

use std::sync::Arc;

use axum::extract::State;

use crate::error::{ApiError, ApiResult, Reply};
use crate::extract::{ApiPath, ApiQuery, JsonBody};
use crate::model::approval::{
    ApprovedCert, ApprovedFingerprint, CertificateRequest, FingerprintRequest, ParentKind,
};
use crate::page::{page, params};
use crate::shared::{lock, Shared};

use ParentKind::{Connection, Destination};

fn list_certificates(
    s: &Shared,
    kind: ParentKind,
    id: &str,
    q: &std::collections::HashMap<String, String>,
) -> ApiResult {
    let p = params(q)?;
    let store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let items = store
        .approvals(kind, id)
        .map(|a| {
            a.certificates
                .values()
                .map(|c| (c.seq, c.to_json()))
                .collect()
        })
        .unwrap_or_default();
    Ok(Reply::ok(
        "Certificates retrieved successfully",
        page(items, p),
    ))
}

fn list_fingerprints(
    s: &Shared,
    kind: ParentKind,
    id: &str,
    q: &std::collections::HashMap<String, String>,
) -> ApiResult {
    let p = params(q)?;
    let store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let items = store
        .approvals(kind, id)
        .map(|a| {
            a.fingerprints
                .values()
                .map(|f| (f.seq, f.to_json()))
                .collect()
        })
        .unwrap_or_default();
    Ok(Reply::ok(
        "Fingerprints retrieved successfully",
        page(items, p),
    ))
}

/// Approves a certificate; returns its JSON.
pub(crate) fn approve_certificate(
    s: &Shared,
    kind: ParentKind,
    id: &str,
    req: &CertificateRequest,
) -> Result<serde_json::Value, ApiError> {
    let details = req.certificate()?;
    let mut store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let seq = store.next_seq();
    let cert = ApprovedCert {
        seq,
        details,
        validated_by: s.user_id.clone(),
        validated_at: s.now_system(),
    };
    let json = cert.to_json();
    store
        .approvals_mut(kind, id)
        .certificates
        .insert(cert.details.hash.clone(), cert);
    Ok(json)
}

/// Approves a fingerprint; returns its JSON.
pub(crate) fn approve_fingerprint(
    s: &Shared,
    kind: ParentKind,
    id: &str,
    req: &FingerprintRequest,
) -> Result<serde_json::Value, ApiError> {
    let (hash, public_key) = req.fingerprint()?;
    let mut store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let seq = store.next_seq();
    let fp = ApprovedFingerprint {
        seq,
        hash: hash.clone(),
        public_key,
        validated_by: s.user_id.clone(),
        validated_at: s.now_system(),
    };
    let json = fp.to_json();
    store.approvals_mut(kind, id).fingerprints.insert(hash, fp);
    Ok(json)
}

fn cert_missing(approval_id: &str) -> ApiError {
    ApiError::missing(format!("Certificate with id '{approval_id}' not found"))
}

fn fingerprint_missing(approval_id: &str) -> ApiError {
    ApiError::missing(format!("Fingerprint with id '{approval_id}' not found"))
}

fn certificate(s: &Shared, kind: ParentKind, id: &str, approval_id: &str) -> ApiResult {
    let store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let cert = store
        .approvals(kind, id)
        .and_then(|a| a.certificate_by_id(approval_id))
        .ok_or_else(|| cert_missing(approval_id))?;
    Ok(Reply::ok(
        "Certificate details retrieved successfully",
        cert.to_json(),
    ))
}

fn fingerprint(s: &Shared, kind: ParentKind, id: &str, approval_id: &str) -> ApiResult {
    let store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let fp = store
        .approvals(kind, id)
        .and_then(|a| a.fingerprint_by_id(approval_id))
        .ok_or_else(|| fingerprint_missing(approval_id))?;
    Ok(Reply::ok(
        "Fingerprint details retrieved successfully",
        fp.to_json(),
    ))
}

fn revoke_certificate(s: &Shared, kind: ParentKind, id: &str, approval_id: &str) -> ApiResult {
    let mut store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let hash = store
        .approvals(kind, id)
        .and_then(|a| a.certificate_by_id(approval_id))
        .map(|c| c.details.hash.clone())
        .ok_or_else(|| cert_missing(approval_id))?;
    store.approvals_mut(kind, id).certificates.remove(&hash);
    Ok(Reply::message(format!(
        "Certificate with id '{approval_id}' has been revoked"
    )))
}

fn revoke_fingerprint(s: &Shared, kind: ParentKind, id: &str, approval_id: &str) -> ApiResult {
    let mut store = lock(&s.store);
    store.parent_exists(kind, id)?;
    let hash = store
        .approvals(kind, id)
        .and_then(|a| a.fingerprint_by_id(approval_id))
        .map(|f| f.hash.clone())
        .ok_or_else(|| fingerprint_missing(approval_id))?;
    store.approvals_mut(kind, id).fingerprints.remove(&hash);
    Ok(Reply::message(format!(
        "Fingerprint with id '{approval_id}' has been revoked"
    )))
}

type Shd = State<Arc<Shared>>;
type One = ApiPath<String>;
type Two = ApiPath<(String, String)>;

macro_rules! per_parent {
    ($kind:expr, $list_c:ident, $approve_c:ident, $get_c:ident, $revoke_c:ident,
     $list_f:ident, $approve_f:ident, $get_f:ident, $revoke_f:ident) => {
        pub(crate) async fn $list_c(
            State(s): Shd,
            ApiPath(id): One,
            ApiQuery(q): ApiQuery,
        ) -> ApiResult {
            list_certificates(&s, $kind, &id, &q)
        }
        pub(crate) async fn $approve_c(
            State(s): Shd,
            ApiPath(id): One,
            JsonBody(r): JsonBody<CertificateRequest>,
        ) -> ApiResult {
            if r.connection_id.is_some() || r.destination_id.is_some() {
                return Err(ApiError::invalid(
                    "Unknown field: the parent is given by the path",
                ));
            }
            approve_certificate(&s, $kind, &id, &r)
                .map(|d| Reply::created("The certificate has been approved", d))
        }
        pub(crate) async fn $get_c(State(s): Shd, ApiPath((id, hash)): Two) -> ApiResult {
            certificate(&s, $kind, &id, &hash)
        }
        pub(crate) async fn $revoke_c(State(s): Shd, ApiPath((id, hash)): Two) -> ApiResult {
            revoke_certificate(&s, $kind, &id, &hash)
        }
        pub(crate) async fn $list_f(
            State(s): Shd,
            ApiPath(id): One,
            ApiQuery(q): ApiQuery,
        ) -> ApiResult {
            list_fingerprints(&s, $kind, &id, &q)
        }
        pub(crate) async fn $approve_f(
            State(s): Shd,
            ApiPath(id): One,
            JsonBody(r): JsonBody<FingerprintRequest>,
        ) -> ApiResult {
            if r.connection_id.is_some() || r.destination_id.is_some() {
                return Err(ApiError::invalid(
                    "Unknown field: the parent is given by the path",
                ));
            }
            approve_fingerprint(&s, $kind, &id, &r)
                .map(|d| Reply::created("The fingerprint has been approved", d))
        }
        pub(crate) async fn $get_f(State(s): Shd, ApiPath((id, hash)): Two) -> ApiResult {
            fingerprint(&s, $kind, &id, &hash)
        }
        pub(crate) async fn $revoke_f(State(s): Shd, ApiPath((id, hash)): Two) -> ApiResult {
            revoke_fingerprint(&s, $kind, &id, &hash)
        }
    };
}

per_parent!(
    Connection,
    connection_certificates,
    approve_connection_certificate,
    connection_certificate,
    revoke_connection_certificate,
    connection_fingerprints,
    approve_connection_fingerprint,
    connection_fingerprint,
    revoke_connection_fingerprint
);
per_parent!(
    Destination,
    destination_certificates,
    approve_destination_certificate,
    destination_certificate,
    revoke_destination_certificate,
    destination_fingerprints,
    approve_destination_fingerprint,
    destination_fingerprint,
    revoke_destination_fingerprint
);

fn parent_of(
    connection_id: Option<&String>,
    destination_id: Option<&String>,
) -> Result<(ParentKind, String), ApiError> {
    match (connection_id, destination_id) {
        (Some(c), None) => Ok((Connection, c.clone())),
        (None, Some(d)) => Ok((Destination, d.clone())),
        _ => Err(ApiError::invalid(
            "Exactly one of 'connection_id' (or 'connector_id') and 'destination_id' is required",
        )),
    }
}

pub(crate) async fn approve_certificate_top_level(
    State(s): Shd,
    JsonBody(r): JsonBody<CertificateRequest>,
) -> ApiResult {
    let (kind, id) = parent_of(r.connection_id.as_ref(), r.destination_id.as_ref())?;
    approve_certificate(&s, kind, &id, &r)?;
    Ok(Reply::message("The certificate has been approved"))
}

pub(crate) async fn approve_fingerprint_top_level(
    State(s): Shd,
    JsonBody(r): JsonBody<FingerprintRequest>,
) -> ApiResult {
    let (kind, id) = parent_of(r.connection_id.as_ref(), r.destination_id.as_ref())?;
    approve_fingerprint(&s, kind, &id, &r)?;
    Ok(Reply::message("The fingerprint has been approved"))
}
