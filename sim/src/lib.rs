//! A local simulator of the Fivetran REST API: groups and their destinations, private
//! links, connections with setup tests, and approved certificates/fingerprints. Its contract is the official OpenAPI spec
//! (`../shared/api/fivetran-openapi.json`); [`openapi`] validates bodies against it.
//!
//! # Quick start
//!
//! ```no_run
//! use fivetran_sim::{SimConfig, SimServer};
//!
//! let sim = SimServer::spawn(SimConfig::instant()).expect("simulator starts");
//! // sim.base_url() == "http://127.0.0.1:PORT/v1"; Basic auth with
//! // sim.api_key() / sim.api_secret(); sim.group_id() is the starting group.
//! let admin = sim.admin();
//! admin.update_knobs(|k| k.failing_links.push("broken_*".into()));
//! assert_eq!(admin.counters().total, 0);
//! ```
//!
//! The binary `fivetran-sim` serves the same on `127.0.0.1` (`--help` lists every flag).
//!
//! # Layout
//!
//! * `config.rs`     — [`SimConfig`] and the run-time [`Knobs`].
//! * `server.rs`     — [`SimServer`] and [`serve`]: accept loop, per-connection kill switch.
//! * `routes/`       — one file per API family, plus the `/_sim` admin routes.
//! * `middleware.rs` — counting, latency, faults, Basic auth, rate limits, logging.
//! * `behaviour.rs`  — counters, request log, rate-limit windows, fault draws.
//! * `model/`        — private links, connections, setup tests, approvals, groups,
//!   destinations (`destination_config.rs`: the table of config rewrites per service).
//! * `store.rs`      — the in-memory inventory; `shared.rs` — the state behind the locks.
//! * `error.rs`      — [`ApiError`] → `{code, message}`; `extract.rs` — body/path/query parsing.
//! * `certs.rs`      — the deterministic certificate / host key a source presents.
//! * `admin.rs`      — [`Admin`], the in-process control handle (`admin_destination.rs`:
//!   its destination and group methods).
//! * `openapi/`      — a small OpenAPI 3.0 schema validator over the spec.
//! * `cli.rs`        — flags and environment variables of the binary.
//!
//! # The API surface (under `/v1`)
//!
//! Every answer is the envelope `{"code": "Success", "message": ..., "data": ...}`; errors
//! are `{"code", "message"}` with:
//!
//! | Status | Code | When |
//! |---|---|---|
//! | 400 | `InvalidInput` | malformed JSON, not an object, unknown fields, wrong types, body over `max_body_bytes`, bad `limit`/`cursor`, broken rules; destinations: `Field 'group_id' is required`, `Unsupported service '<service>'` (the spec's examples), `region cannot be empty` (fixture `destinations-groups/destination_create_400_empty_region_tfp.json`) |
//! | 401 | `Unauthorized` | missing or wrong Basic credentials (with `WWW-Authenticate`) |
//! | 400 | `InvalidInput` | an encoded `/` or `\` (`%2F`, `%5C`, any case) anywhere in a `/v1` path: "Encoded '/' or '\' in the request path is not allowed" (strict: servlet containers such as Tomcat refuse them) |
//! | 404 | `NotFound_Connector` | connection details, update, setup tests: `Cannot find entity 'Connector' with id '<id>'` (reference doc 3.6, official provider issue #385) |
//! | 404 | `NotFound_Integration` | connection `DELETE`: `Cannot find entity 'Integration' with id '<id>'` (fixture `connection_delete_404.json`) |
//! | 404 | `NotFound_Group`, `NotFound_Destination` | groups (details, update, delete, connections, public key), destinations (details, update, delete, test; e2e CheckDestroy of the official provider) |
//! | 404 | `NotFound` | private links ("Private Link not found", the spec's wording), approvals and their parents, unknown paths; `POST /destinations` for a missing group: `Destination with id <groupId> not found` (the spec's example) |
//! | 409 | `Conflict` | a private-link name (thin evidence: strict) or group name already taken; a connection schema already used in the group; deleting a group that has connections or a destination (assumption); creating a destination in a group that has one (assumption); deleting a destination whose group has connections (the status: official provider issue #369; the code and message: assumption) |
//! | 409 | `IllegalState` | PATCH or DELETE of a private link that is `CREATING`, `UPDATING` or `DESTROYING`: "Private link in CREATING state is not allowed to perform any operation" (fixture `reconstructed_private_link_patch_while_creating.json`; the status was not recorded, 409 chosen) |
//! | 415 | `UnsupportedMediaType` | a POST/PATCH body without `Content-Type: application/json` (no body at all is `{}`: the spec makes every request body optional) |
//! | 429 | `TooManyRequests` | a rate limit; `Retry-After` carries the seconds left |
//! | 500 / 502 / 503 | `InternalServerError` / HTML pages | injected faults only |
//!
//! Lists take `cursor` and `limit` (1..=1000, default 100) and answer `{items, next_cursor}`
//! with `next_cursor` absent on the last page.
//!
//! Endpoints: `GET/POST /groups`, `GET/PATCH/DELETE /groups/{groupId}`,
//! `GET /groups/{groupId}/connections`, `GET /groups/{groupId}/public-key`,
//! `GET/POST /destinations`, `GET/PATCH/DELETE /destinations/{destinationId}`,
//! `POST /destinations/{destinationId}/test`,
//! `GET/POST /private-links`, `GET/PATCH/DELETE /private-links/{privateLinkId}`,
//! `GET/POST /connections` (filters `group_id`, `schema`),
//! `GET/PATCH/DELETE /connections/{connectionId}`, `POST /connections/{connectionId}/test`,
//! `GET/POST /{connections,destinations}/{id}/{certificates,fingerprints}`,
//! `GET/DELETE /{connections,destinations}/{id}/{certificates,fingerprints}/{hash}`,
//! `POST /certificates`, `POST /fingerprints` (parent named by `connection_id`,
//! `connector_id` or `destination_id`; answer 200 with only `{code, message}`, spec and the
//! support article "Certificate Management"). The `{hash}` segment is the approval's `id`,
//! Base64URL without padding of the hash (spec `CertificateDetailsResponse.id`); a raw hash
//! answers 404. Creating answers 201: private links, connections, groups, destinations, and
//! `POST …/certificates`, `POST …/fingerprints` (fixtures `*_201.json`).
//!
//! # Behaviour
//!
//! **Private links.** Any non-empty name (the tutorial's `pl-source-aws-prod`, go-fivetran
//! e2e's all-digit names); names are unique (409, thin evidence). `service` and `region` must be
//! in the spec's enums and the region must be on the service's cloud; `cloud_provider`
//! comes from the service; each service's required `config` keys must be non-empty strings
//! (`InvalidInput` names the key). `host` is `<id>.<region>.privatelink.<cloud>.fivetran-sim.internal`.
//! A new link is `CREATING`; after the provisioning time it is `OK`, or `FAIL` (with a
//! `state_summary`) if its name matches a failing-link pattern when it was created.
//! `PATCH {config}` (merged, `null` removes a key; only in `OK` or `FAIL`, else 409
//! `IllegalState`) moves it to `UPDATING` then `OK`/`FAIL` after the update time. List
//! items carry no `config`. `DELETE` (also only in `OK` or `FAIL`) answers 200 and
//! moves it to `DESTROYING`; after the destroy time it is gone (404). Transitions are
//! applied lazily at the next look, stamped with the time they were due. With
//! `polls_until_ready = N`, a transition also waits until N detail reads answered with the
//! pending state.
//!
//! **Connections.** `group_id` and `service` are required; the group must exist (404).
//! `schema` is `config.schema_prefix`, else `config.schema` (`schema.table` with
//! `config.table` or `config.table_group_name`), lower-cased, unique per group (409), and
//! fixed after creation. `networking_method` defaults to `Directly`; `private_link_id`
//! needs `networking_method = PrivateLink` ("Networking method must be PrivateLink in order
//! to set private_link_id") and an existing link (404 `NotFound`); `PrivateLink` (or
//! `UnmanagedPrivateLink`) needs a `private_link_id`. With the knob
//! `private_link_networking_rewrite` (default on) `PrivateLink` is stored and answered as
//! `UnmanagedPrivateLink` (official provider issue #408). Config keys the spec types
//! integer or boolean (`port`, `tunnel_port`, `always_encrypted`, `delete_capture_enabled`)
//! sent as text are stored typed; the only config defaults added are those a real answer
//! showed (`itunes_connect`'s `timeframe_months` and `app_sync_mode`), and
//! `status.schema_status` starts as `ready` only for the service a fixture shows it on.
//! Secrets in `config` (see [`model::is_secret_key`]) come back as `"******"`, and in a
//! `secrets_list` each item's `value` does (its `key` stays); `auth` is stored, never
//! returned. `PATCH` merges `config`.
//! `run_setup_tests` defaults to false on create (official provider issue #339) and, on
//! update, to whether `config` or `auth` changed; `paused` defaults to false;
//! `trust_*`/`run_setup_tests` alone in a PATCH are refused. Setup tests
//! are described in [`model::test_run`]; when they pass `status.setup_state` becomes
//! `connected`, when they fail it stays `incomplete` (or becomes `broken` if it was
//! connected); details answers show the last ones. A connection may be unpaused in any
//! setup state (fixture `reconstructed_connection_create_e2e_observed.json`).
//! `succeeded_at`/`failed_at` are `null` (the sim never syncs).
//!
//! **Certificates and host keys.** See [`presented_certificate`] and
//! [`presented_host_key`]. Hashes are base64 and may contain `/` and `+`: the host
//! `db-7.example.com` presents a certificate whose hash contains both.
//!
//! **Groups.** `name` is the only writable field; names are unique (409). The public key
//! ([`group_public_key`]) is one stable `ssh-rsa … fivetran user key\n` per group, trailing
//! newline included (fixture `destinations-groups/group_public_key_200.json`). Delete
//! messages contain the id; a group that still has connections or a destination is refused
//! with 409 (assumption: no evidence).
//!
//! **Destinations** (fixtures and numbered behaviours of
//! `../shared/api/fixtures/destinations-groups/`). A destination's id is its group's; create
//! answers 201 `Success` "Destination has been created". `group_id`, `service` (the spec's
//! services, plus `new_s3_datalake`) and `time_zone_offset` are required; `region` defaults
//! to `GCP_US_EAST4` (`""` is refused), `networking_method` to `Directly`,
//! `daylight_saving_time_enabled` to false, `run_setup_tests` to **true** (the spec's
//! examples answer setup tests to requests without it; the official provider's "default value
//! is true"), `trust_*` to false. `private_link_id` needs `PrivateLink` and an existing link,
//! and the reverse (assumption, as for connections). New destinations start `incomplete`;
//! `setup_status` is answered lower case (`incomplete`, `connected`, `broken`), except by the
//! starting destination, which keeps the spec's upper case it always had. The config is
//! stored as the API rewrites it ([`model::destination_config`]): numbers and booleans as
//! text per service (snowflake: `443` -> `"443"`; managed_data_lake keeps them),
//! `connection_type` in upper snake case, keys the API adds (`external_id`, `bucket`,
//! `location`, the Polaris catalog), secrets masked (`role_arn` too), and a Databricks
//! destination on a private link gets the link's host as `server_host_name` and `AWS` as
//! `cloud_provider`. `PATCH` changes region, time zone, daylight saving, networking, agents
//! in place and merges `config` (`null` removes); `time_zone_offset` may be left out
//! although the spec requires it. Details answers show the last setup tests; list items
//! have no `config` nor `setup_tests` and show `daylight_saving_time_enabled: false`. The
//! setup-test answer (`POST …/test`, body `{trust_certificates?, trust_fingerprints?}`) never
//! carries `private_link_id`. `DELETE` answers `Destination with id '<id>' has been deleted`,
//! 409 while the group has connections, 404 when the group has no destination.
//!
//! A destination's setup tests are a connection's (private link, SSH host key of its
//! `tunnel_host`, certificate of its `host` or Databricks `server_host_name`) against the
//! destination's approvals; they pass -> `connected`, fail -> `incomplete` (or `broken` if it
//! was connected). The starting destination (a Snowflake warehouse at
//! `<group_id>.snowflakecomputing.com`, `CONNECTED`) changes host with
//! [`Admin::set_destination_host`] or `PATCH /_sim/destinations/{id}`.
//!
//! # Knobs
//!
//! [`Knobs`] (changeable at run time through [`Admin`] or `PATCH /_sim/knobs`):
//! provisioning / update / destroy durations (fixed or a range), `polls_until_ready`,
//! failing-link name patterns, a global rate limit and per-endpoint rate limits (fixed
//! windows; 429 with `Retry-After`, plus `X-Rate-Limit` / `X-Rate-Limit-Remaining` under a
//! global limit), Fivetran's documented account limits (`limits`, [`ClassLimit`]: classes
//! of requests — all requests, connection creation, setup tests — each with its rolling
//! windows, presets `documented` and `trial`, off by default; 429 `TooManyRequests` with the
//! API's message and `Retry-After` = seconds until a slot frees, and `X-Rate-Limit` /
//! `X-Rate-Limit-Remaining` for the all-requests class on every answer), fault rates (`drop`: close the socket without answering; `error_500`;
//! `error_502`/`error_503` with HTML bodies) optionally restricted to some endpoints,
//! scripted one-off faults ([`Admin::script_fault`]) and added latency. Destinations:
//! `destination_first_setup_tests_incomplete` (each destination's first test run comes back
//! incomplete although no test failed, the next connects: official provider issue #177), `destination_metadata_connection`
//! (creating a destination adds a `fivetran_metadata` connection to its group, which blocks
//! the destination's delete: issue #369), `destination_test_legacy_answer` (the setup-test
//! answer also lacks `networking_method` and `config`: PR #483); all off by default. The random
//! generator is seeded by [`SimConfig::seed`]. Counters are keyed by method and path
//! template (`"POST /v1/private-links"`).
//!
//! # Admin
//!
//! [`Admin`] in process; over HTTP under `/_sim` (see `routes/admin.rs`): counters and
//! reset, request log, inventory dump, knobs, scripted faults, out-of-band changes to
//! private links, connections and destinations ([`Admin::set_destination_field`],
//! [`Admin::set_destination_config`], [`Admin::delete_destination`]), the
//! `fivetran_metadata` connection Fivetran may add to a group
//! ([`Admin::add_metadata_connection`]), deletion of any object, revocation of approvals, and
//! timelines (creation and ready times, state history). Request logs hold method, path,
//! status and time only: never the `Authorization` header or any body.

#![warn(missing_docs)]

mod admin;
mod admin_destination;
mod behaviour;
mod certs;
pub mod cli;
mod config;
mod error;
mod extract;
mod middleware;
pub mod model;
pub mod openapi;
mod page;
mod routes;
mod server;
mod shared;
pub mod skips;
mod store;
mod time;

use std::sync::Arc;

pub use admin::{Admin, AdminError, Counters};
pub use behaviour::{RequestRecord, ScriptedFault};
pub use certs::{
    group_public_key, presented_certificate, presented_host_key, PresentedCertificate,
    PresentedHostKey,
};
pub use config::{
    parse_duration, AfterCommitFaults, ClassLimit, DurationRange, FaultKind, Faults, Knobs,
    RateLimit, SimConfig,
};
pub use error::ApiError;
pub use model::approval::ParentKind;
pub use model::private_link::GONE;
pub use model::{StateChange, Timeline};
pub use server::{serve, SimServer};
pub use time::{rfc3339, unix_millis};

/// Builds the router (for `tower::ServiceExt::oneshot` tests or [`serve`]) and its admin
/// handle.
pub fn app(config: SimConfig) -> (axum::Router, Admin) {
    let shared = Arc::new(shared::Shared::new(config));
    let router = routes::router(shared.clone());
    (router, Admin { shared })
}
