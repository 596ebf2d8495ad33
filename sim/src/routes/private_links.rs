//! `/v1/private-links*`: create, list, details, update (config), delete.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;

use crate::error::{ApiError, ApiResult, Reply};
use crate::extract::{ApiPath, ApiQuery, JsonBody};
use crate::model::private_link::{CreateRequest, LinkState, PrivateLink, Target, UpdateRequest};
use crate::page::{page, params};
use crate::shared::{lock, Shared};

pub(crate) async fn create(
    State(s): State<Arc<Shared>>,
    JsonBody(req): JsonBody<CreateRequest>,
) -> ApiResult {
    let new = req.validate()?;
    let knobs = s.knobs();
    let now = Instant::now();
    let mut store = lock(&s.store);
    store.advance(now, &s.clock);
    // Thin evidence: no source shows whether the API refuses a duplicate name; the sim is
    // strict and answers 409 Conflict.
    if store.links.values().any(|l| l.name == new.name) {
        return Err(ApiError::Conflict(format!(
            "Private link with name '{}' already exists",
            new.name
        )));
    }
    let id = s.new_id(&store);
    let seq = store.next_seq();
    let provisioning = knobs.provisioning.sample(&mut *lock(&s.rng));
    let fails = knobs.link_fails(&new.name);
    let link = PrivateLink::new(
        id.clone(),
        seq,
        new,
        s.user_id.clone(),
        now,
        &s.clock,
        provisioning,
        fails,
        knobs.polls_until_ready,
    );
    let json = link.to_json(true);
    store.links.insert(id, link);
    Ok(Reply::created("Private link has been created", json))
}

pub(crate) async fn list(State(s): State<Arc<Shared>>, ApiQuery(q): ApiQuery) -> ApiResult {
    let p = params(&q)?;
    let mut store = lock(&s.store);
    store.advance(Instant::now(), &s.clock);
    let items = store
        .links
        .values()
        .map(|l| (l.seq, l.to_json(false)))
        .collect();
    Ok(Reply::ok(
        "Private links retrieved successfully",
        page(items, p),
    ))
}

pub(crate) async fn details(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let mut store = lock(&s.store);
    let link = store.link(&id, Instant::now(), &s.clock)?;
    link.observe_poll();
    Ok(Reply::ok(
        "Private link details retrieved successfully",
        link.to_json(true),
    ))
}

pub(crate) async fn update(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
    JsonBody(req): JsonBody<UpdateRequest>,
) -> ApiResult {
    let knobs = s.knobs();
    let now = Instant::now();
    let mut store = lock(&s.store);
    let link = store.link(&id, now, &s.clock)?;
    link.operable()?;
    let config = req.merged_config(link)?;
    let after = knobs.update.sample(&mut *lock(&s.rng));
    let target = if knobs.link_fails(&link.name) {
        Target::Fail
    } else {
        Target::Ok
    };
    link.config = config;
    link.begin(
        LinkState::Updating,
        target,
        now,
        &s.clock,
        after,
        knobs.polls_until_ready,
    );
    Ok(Reply::ok(
        "Private link has been updated",
        link.to_json(true),
    ))
}

pub(crate) async fn delete(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let knobs = s.knobs();
    let now = Instant::now();
    let mut store = lock(&s.store);
    let link = store.link(&id, now, &s.clock)?;
    link.operable()?;
    let after = knobs.destroy.sample(&mut *lock(&s.rng));
    link.begin(
        LinkState::Destroying,
        Target::Gone,
        now,
        &s.clock,
        after,
        knobs.polls_until_ready,
    );
    // A zero destroy time still answers 200 and is gone on the next read.
    Ok(Reply::message(format!(
        "Private link with id '{id}' is marked for deletion"
    )))
}
