//! `/v1/groups*`: create, list, details, rename, delete, the group's connections and its
//! SSH public key. Fixtures named here are in `../shared/api/fixtures/destinations-groups/`;
//! "behaviour N" is that folder's README.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult, Reply};
use crate::extract::{ApiPath, ApiQuery, JsonBody};
use crate::model::group::{validate_group_name, Group};
use crate::page::{page, params};
use crate::shared::{lock, Shared};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupRequest {
    name: Option<String>,
}

impl GroupRequest {
    fn name(self) -> Result<String, ApiError> {
        let name = self
            .name
            .ok_or_else(|| ApiError::invalid("Missing required field 'name'"))?;
        validate_group_name(&name)?;
        Ok(name)
    }
}

pub(crate) async fn list(State(s): State<Arc<Shared>>, ApiQuery(q): ApiQuery) -> ApiResult {
    let p = params(&q)?;
    let store = lock(&s.store);
    let items = store
        .groups
        .values()
        .map(|g| (g.seq, g.to_json()))
        .collect();
    Ok(Reply::ok("Groups retrieved successfully", page(items, p)))
}

pub(crate) async fn create(
    State(s): State<Arc<Shared>>,
    JsonBody(req): JsonBody<GroupRequest>,
) -> ApiResult {
    let name = req.name()?;
    let mut store = lock(&s.store);
    if store.groups.values().any(|g| g.name == name) {
        return Err(ApiError::Conflict(format!(
            "Group with name '{name}' already exists"
        )));
    }
    let id = s.new_id(&store);
    let seq = store.next_seq();
    let group = Group {
        id: id.clone(),
        seq,
        name,
        created_at: s.clock.system_at(Instant::now()),
    };
    let json = group.to_json();
    store.groups.insert(id, group);
    Ok(Reply::created("Group has been created", json))
}

pub(crate) async fn details(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let store = lock(&s.store);
    Ok(Reply::ok(
        "Group details retrieved successfully",
        store.group(&id)?.to_json(),
    ))
}

pub(crate) async fn update(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
    JsonBody(req): JsonBody<GroupRequest>,
) -> ApiResult {
    let mut store = lock(&s.store);
    store.group(&id)?;
    let name = req.name()?;
    if store.groups.values().any(|g| g.name == name && g.id != id) {
        return Err(ApiError::Conflict(format!(
            "Group with name '{name}' already exists"
        )));
    }
    let group = store
        .groups
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Group", &id))?;
    group.name = name;
    Ok(Reply::ok("Group has been updated", group.to_json()))
}

pub(crate) async fn delete(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let mut store = lock(&s.store);
    store.group(&id)?;
    // ASSUMPTION (behaviour 24: no evidence of what the API does; the spec lists only 200):
    // a group that still holds connections or a destination is refused with 409, the
    // strict choice; the maintainers always delete connections and destinations first.
    if store.connections.values().any(|c| c.group_id == id) {
        return Err(ApiError::Conflict(format!(
            "Group with id '{id}' still has connections: delete them first"
        )));
    }
    if store.destinations.contains_key(&id) {
        return Err(ApiError::Conflict(format!(
            "Group with id '{id}' still has a destination: delete it first"
        )));
    }
    store.groups.remove(&id);
    // The message contains the id (behaviour 3 [e2e]; group_delete_tfp_200.json).
    Ok(Reply::message(format!(
        "Group with id '{id}' has been deleted"
    )))
}

pub(crate) async fn connections(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery,
) -> ApiResult {
    let p = params(&q)?;
    let store = lock(&s.store);
    store.group(&id)?;
    let schema = q.get("schema");
    let items = store
        .connections
        .values()
        .filter(|c| c.group_id == id && schema.is_none_or(|s| *s == c.schema))
        .map(|c| (c.seq, c.to_json(false, None)))
        .collect();
    Ok(Reply::ok(
        "Connections retrieved successfully",
        page(items, p),
    ))
}

/// `GET /v1/groups/{groupId}/public-key`: the group's SSH public key,
/// [`crate::group_public_key`] (behaviour 27; message: the spec's example).
pub(crate) async fn public_key(
    State(s): State<Arc<Shared>>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult {
    let store = lock(&s.store);
    store.group(&id)?;
    Ok(Reply::ok(
        "Group SSH public key retrieved successfully",
        serde_json::json!({ "public_key": crate::group_public_key(&id) }),
    ))
}
