//! `fivetran_private_link`: create blocks until Fivetran reports the link `OK`; config updates
//! wait through `UPDATING`; delete waits until the link is gone.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;

use crate::client::wait::{self, WaitError};
use crate::client::{Client, NewPrivateLink, Op, PrivateLink, PrivateLinkState};
use crate::framework::model::{attr, boolean, map_value, opt_string, set, string, string_map};
use crate::framework::resource::PlanContext;
use crate::framework::timeouts::{self, Operation};
use crate::framework::{OpContext, Outcome, Resource, ResourceSchema};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};
use crate::provider::Configured;

use super::diagnostics::{api_error, wait_error, Left};
use super::private_link_catalog::{self as catalog, listing};

pub struct PrivateLinkResource;

const CREATE_TIMEOUT: Duration = Duration::from_secs(60 * 60);
const UPDATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const DELETE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub fn schema() -> Schema {
    let services = listing(catalog::SERVICES.iter().map(|s| s.name));
    Schema {
        version: 0,
        block: Block {
            description: "A Fivetran Private Link. Creation waits until Fivetran reports the link `OK` (or fails with its `state_summary`), so resources that use it can rely on it.".into(),
            attributes: vec![
                Attribute::computed("id", Type::String).describe("The private link's id."),
                Attribute::required("name", Type::String).describe(
                    "Unique name of the link in the account, e.g. `pl-source-aws-prod`. Changing it replaces the link.",
                ),
                Attribute::required("region", Type::String).describe(
                    "Region, prefixed with the cloud of the service, e.g. `AWS_US_EAST_1`, `AZURE_EASTUS2`, `GCP_US_EAST4`. Changing it replaces the link.",
                ),
                Attribute::required("service", Type::String)
                    .describe(&format!("Service the link connects to, one of {services}. Changing it replaces the link.")),
                Attribute::required("config", Type::Map(Box::new(Type::String))).describe(
                    "Service-specific settings, e.g. `connection_service_name` for `SOURCE_AWS`. Only the keys written here are compared with Fivetran; keys Fivetran adds do not cause a diff. Changing a value updates the link in place and waits until it is `OK` again.",
                ),
                Attribute::optional("wait_for_ready", Type::Bool).describe(
                    "Whether create and update wait until the link is `OK`. Default `true`. Set `false` when the endpoint must first be approved on your cloud side (the link then stays pending until you do), and wait for it there.",
                ),
                Attribute::computed("state", Type::String).describe("`CREATING`, `UPDATING`, `DESTROYING`, `OK` or `FAIL`."),
                Attribute::computed("state_summary", Type::String).describe("Details of the state, e.g. why it failed."),
                Attribute::computed("cloud_provider", Type::String).describe("`AWS`, `AZURE` or `GCP`."),
                Attribute::computed("host", Type::String).describe("Host name of the endpoint service."),
                Attribute::computed("created_at", Type::String).describe("When the link was created (RFC 3339)."),
                Attribute::computed("created_by", Type::String).describe("Id of the user who created the link."),
            ],
            blocks: vec![timeouts::block(&[
                (Operation::Create, CREATE_TIMEOUT),
                (Operation::Update, UPDATE_TIMEOUT),
                (Operation::Delete, DELETE_TIMEOUT),
            ])],
            ..Block::default()
        },
    }
}

/// Checks a private link's arguments (shared with nothing else; values may be unknown).
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(name) = string(config, "name") {
        if let Some(problem) = catalog::name_problem(&name) {
            diags.attribute_error(
                AttributePath::root("name"),
                "Invalid private link name",
                problem,
            );
        }
    }
    let service = string(config, "service");
    let spec = service.as_deref().and_then(catalog::service);
    if let (Some(service), None) = (&service, spec) {
        diags.attribute_warning(
            AttributePath::root("service"),
            "Unknown private link service",
            format!(
                "{service:?} is not a service this provider knows ({}); if Fivetran added it recently the API will decide.",
                listing(catalog::SERVICES.iter().map(|s| s.name))
            ),
        );
    }
    if let Some(region) = string(config, "region") {
        if !catalog::REGIONS.contains(&region.as_str()) {
            diags.attribute_warning(
                AttributePath::root("region"),
                "Unknown private link region",
                format!("{region:?} is not a region this provider knows; if Fivetran added it recently the API will decide."),
            );
        }
        if let (Some(spec), Some(cloud)) = (spec, catalog::region_cloud(&region)) {
            if cloud != spec.cloud {
                diags.attribute_error(
                    AttributePath::root("region"),
                    "Region does not match the service's cloud",
                    format!(
                        "Service {} runs on {}, but region {region:?} is in {cloud}. Use a region starting with {}_.",
                        spec.name, spec.cloud, spec.cloud
                    ),
                );
            }
        }
    }
    let (Some(spec), Some(entries)) = (spec, attr(config, "config").as_entries()) else {
        return;
    };
    for key in spec.required {
        // The API requires a value: an empty one would be refused, or make a link that
        // never provisions.
        if entries
            .get(*key)
            .and_then(Value::as_str)
            .is_some_and(|v| v.trim().is_empty())
        {
            diags.attribute_error(
                AttributePath::root("config").key(key),
                "Empty private link config key",
                format!(
                    "Service {} requires a value for config key {key:?}, and it is empty.",
                    spec.name
                ),
            );
        }
        if !entries.contains_key(*key) {
            diags.attribute_error(
                AttributePath::root("config"),
                "Missing private link config key",
                format!(
                    "Service {} requires config key {key:?} (required keys: {}).",
                    spec.name,
                    listing(spec.required.iter().copied())
                ),
            );
        }
    }
    for key in entries.keys() {
        if !spec.required.contains(&key.as_str()) && !spec.optional.contains(&key.as_str()) {
            diags.attribute_warning(
                AttributePath::root("config").key(key),
                "Unexpected private link config key",
                format!(
                    "Service {} does not document config key {key:?}; known keys: {}.",
                    spec.name,
                    listing(spec.required.iter().chain(spec.optional).copied())
                ),
            );
        }
    }
}

/// The Terraform state for `link`. Only the config keys in `managed` are kept (all string keys
/// when `managed` is `None`, as after an import), so keys Fivetran adds cause no diff.
pub fn state_from(
    link: &PrivateLink,
    base: &Value,
    managed: Option<&BTreeMap<String, String>>,
) -> Value {
    let mut state = base.clone();
    let api_config: BTreeMap<String, String> = link
        .config
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
        .filter(|(k, _)| managed.is_none_or(|m| m.contains_key(k)))
        .collect();
    set(&mut state, "id", Value::from(link.id.as_str()));
    set(&mut state, "name", Value::from(link.name.as_str()));
    set(&mut state, "region", Value::from(link.region.as_str()));
    set(&mut state, "service", Value::from(link.service.as_str()));
    set(&mut state, "config", map_value(&api_config));
    set(&mut state, "state", Value::from(link.state.as_str()));
    set(
        &mut state,
        "state_summary",
        opt_string(link.state_summary.clone()),
    );
    set(
        &mut state,
        "cloud_provider",
        opt_string(link.cloud_provider.clone()),
    );
    set(&mut state, "host", opt_string(link.host.clone()));
    set(
        &mut state,
        "created_at",
        opt_string(link.created_at.clone()),
    );
    set(
        &mut state,
        "created_by",
        opt_string(link.created_by.clone()),
    );
    state
}

/// Whether the state records the link as settled (`OK`, `FAIL` or `DESTROYING`), so that a
/// PATCH or DELETE may be sent without waiting first. Unknown or missing states are not.
fn recorded_settled(state: &Value) -> bool {
    string(state, "state").is_some_and(|s| {
        matches!(
            PrivateLinkState::from(s.as_str()),
            PrivateLinkState::Ok | PrivateLinkState::Failed | PrivateLinkState::Destroying
        )
    })
}

fn subject(name: &str) -> String {
    format!("private link {name:?}")
}

/// Waits until the link is `OK`; on failure returns the diagnostics and the last link seen.
async fn wait_until_ready(
    client: &Client,
    op: &Op,
    id: &str,
    name: &str,
    left: Left,
) -> Result<PrivateLink, (Diagnostics, Option<PrivateLink>)> {
    wait::until(
        op,
        client.poll_policy(),
        || client.private_link(op, id),
        PrivateLink::readiness,
    )
    .await
    .map_err(|e| (wait_error(&subject(name), left, &e), e.last().cloned()))
}

#[async_trait]
impl Resource<Configured> for PrivateLinkResource {
    fn type_name(&self) -> &'static str {
        "fivetran_private_link"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema())
            .replace_on_change(&["name", "region", "service"])
            .stable(&["id", "cloud_provider", "host", "created_at", "created_by"])
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate(config, diags);
    }

    fn modify_plan(&self, plan: &mut PlanContext<'_>) {
        // An in-place update ends with the link OK again: say so instead of "known after apply".
        let waits = boolean(plan.config, "wait_for_ready").unwrap_or(true);
        if !plan.prior.is_null() && waits && attr(&plan.planned, "state").is_unknown() {
            set(&mut plan.planned, "state", Value::from("OK"));
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &Value,
        _config: &Value,
    ) -> Outcome {
        let client = &ctx.client.api;
        let name = string(planned, "name").unwrap_or_default();
        let op = Op::new(
            format!("creating {}", subject(&name)),
            timeouts::resolve(planned, Operation::Create, CREATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let request = NewPrivateLink {
            name: name.clone(),
            region: string(planned, "region").unwrap_or_default(),
            service: string(planned, "service").unwrap_or_default(),
            config: string_map(planned, "config").unwrap_or_default(),
        };
        let managed = string_map(planned, "config");
        let mut adopted = Diagnostics::new();
        let created = match client.create_private_link_by_name(&op, &request).await {
            Ok((link, false)) => link,
            Ok((link, true)) => {
                tracing::info!(name = %name, id = %link.id, "adopted an existing private link with the same name");
                adopted.warning(
                    "Adopted an Existing Private Link",
                    format!(
                        "Private link {name:?} already existed with the same region and service (id {}), most likely created by an earlier apply that was interrupted before it could record it. It is now managed by this resource.",
                        link.id
                    ),
                );
                link
            }
            Err(e) => return Outcome::failed(None, api_error(&e)),
        };
        let recorded = state_from(&created, planned, managed.as_ref());
        let mut outcome = if !boolean(planned, "wait_for_ready").unwrap_or(true) {
            Outcome::ok(recorded)
        } else {
            match wait_until_ready(client, &op, &created.id, &name, Left::Created).await {
                Ok(link) => Outcome::ok(state_from(&link, planned, managed.as_ref())),
                Err((d, last)) => {
                    let state = last
                        .map(|l| state_from(&l, planned, managed.as_ref()))
                        .unwrap_or(recorded);
                    Outcome::failed(Some(state), d)
                }
            }
        };
        adopted.extend(outcome.diagnostics);
        outcome.diagnostics = adopted;
        outcome
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        let id = string(current, "id").unwrap_or_default();
        let op = Op::new(
            format!("reading private link {id:?}"),
            Duration::from_secs(5 * 60),
            ctx.cancel.clone(),
        );
        match ctx.client.api.private_link(&op, &id).await {
            Ok(link) => Ok(Some(state_from(
                &link,
                current,
                string_map(current, "config").as_ref(),
            ))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_error(&e)),
        }
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &Value,
        planned: &Value,
        _config: &Value,
    ) -> Outcome {
        let client = &ctx.client.api;
        let id = string(prior, "id").unwrap_or_default();
        let name = string(planned, "name").unwrap_or_default();
        let op = Op::new(
            format!("updating {}", subject(&name)),
            timeouts::resolve(planned, Operation::Update, UPDATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let config = string_map(planned, "config").unwrap_or_default();
        let mut base = planned.clone();
        // Carry computed values the plan left unknown from the prior state until the API says.
        for key in ["state", "state_summary"] {
            if attr(&base, key).is_unknown() {
                set(&mut base, key, attr(prior, key).clone());
            }
        }
        // What the state records if the wait below does not finish: the change was sent.
        let mut sent = None;
        if string_map(prior, "config").as_ref() != Some(&config) {
            // A link recorded mid-transition (e.g. a create that timed out) is waited for
            // first: the API refuses changes until it is settled.
            if !recorded_settled(prior) {
                if let Err(e) = client.wait_until_private_link_settled(&op, &id).await {
                    return Outcome::failed(None, wait_error(&subject(&name), Left::Unchanged, &e));
                }
            }
            match client
                .update_private_link_when_settled(&op, &id, &config)
                .await
            {
                Ok(link) => sent = Some(state_from(&link, &base, Some(&config))),
                Err(e) => {
                    return Outcome::failed(None, wait_error(&subject(&name), Left::Unchanged, &e))
                }
            }
        }
        if !boolean(planned, "wait_for_ready").unwrap_or(true) {
            return match client.private_link(&op, &id).await {
                Ok(link) => Outcome::ok(state_from(&link, &base, Some(&config))),
                Err(e) => Outcome::failed(None, api_error(&e)),
            };
        }
        match wait_until_ready(client, &op, &id, &name, Left::Updated).await {
            Ok(link) => Outcome::ok(state_from(&link, &base, Some(&config))),
            Err((d, last)) => Outcome::failed(
                last.map(|l| state_from(&l, &base, Some(&config))).or(sent),
                d,
            ),
        }
    }

    async fn delete(&self, ctx: &OpContext<'_, Configured>, prior: &Value) -> Diagnostics {
        let client = &ctx.client.api;
        let id = string(prior, "id").unwrap_or_default();
        let name = string(prior, "name").unwrap_or_default();
        let op = Op::new(
            format!("deleting {}", subject(&name)),
            timeouts::resolve(prior, Operation::Delete, DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        if !recorded_settled(prior) {
            match client.wait_until_private_link_settled(&op, &id).await {
                Ok(_) => {}
                Err(WaitError::Api(e)) if e.is_not_found() => return Diagnostics::new(),
                Err(e) => return wait_error(&subject(&name), Left::Deleting, &e),
            }
        }
        // Gone means 404: the cloud-side endpoint service can only be removed after that.
        match client.delete_private_link_when_settled(&op, &id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => wait_error(&subject(&name), Left::Deleting, &e),
        }
    }
}
