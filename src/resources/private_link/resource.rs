//! `fivetran_private_link`: create blocks until Fivetran reports the link `OK`; config updates
//! wait through `UPDATING`; delete waits until the link is gone.

use std::time::Duration;

use async_trait::async_trait;

use crate::client::wait::WaitError;
use crate::client::{Client, NewPrivateLink, Op, PrivateLink, PrivateLinkState};
use crate::framework::timeouts::{self, Operation, Timeouts};
use crate::framework::typed::{Attr, TypedPlan, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type};
use crate::resources::common::diagnostics::{wait_error, Left};
use crate::resources::common::lookup::{self, found};
use crate::resources::common::Configured;

use super::catalog;
use super::model::PrivateLinkModel;
use crate::resources::common::listing;

pub struct PrivateLinkResource;

const CREATE_TIMEOUT: Duration = Duration::from_secs(60 * 60);
const UPDATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const DELETE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

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

/// Checks a private link's arguments (values may be unknown).
pub fn validate(config: &PrivateLinkModel, diags: &mut Diagnostics) {
    if let Some(problem) = config.name.as_deref().and_then(catalog::name_problem) {
        diags.attribute_error(
            AttributePath::root("name"),
            "Invalid private link name",
            problem,
        );
    }
    let service = config.service.as_deref();
    let spec = service.and_then(catalog::service);
    if let (Some(service), None) = (service, spec) {
        diags.attribute_warning(
            AttributePath::root("service"),
            "Unknown private link service",
            format!(
                "{service:?} is not a service this provider knows ({}); if Fivetran added it recently the API will decide.",
                listing(catalog::SERVICES.iter().map(|s| s.name))
            ),
        );
    }
    if let Some(region) = config.region.as_deref() {
        if !catalog::REGIONS.contains(&region) {
            diags.attribute_warning(
                AttributePath::root("region"),
                "Unknown private link region",
                format!("{region:?} is not a region this provider knows; if Fivetran added it recently the API will decide."),
            );
        }
        if let (Some(spec), Some(cloud)) = (spec, catalog::region_cloud(region)) {
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
    let (Some(spec), Some(entries)) = (spec, config.config.get()) else {
        return;
    };
    for key in spec.required {
        // The API requires a value: an empty one would be refused, or make a link that
        // never provisions.
        if entries
            .get(*key)
            .and_then(Attr::as_deref)
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

/// Whether the state records the link as settled (`OK`, `FAIL` or `DESTROYING`), so that a
/// PATCH or DELETE may be sent without waiting first. Unknown or missing states are not.
fn recorded_settled(state: &PrivateLinkModel) -> bool {
    state
        .state
        .as_deref()
        .is_some_and(|s| PrivateLinkState::from(s).is_settled())
}

fn subject(model: &PrivateLinkModel) -> String {
    format!(
        "private link {:?}",
        model.name.as_deref().unwrap_or_default()
    )
}

fn recorded_id(model: &PrivateLinkModel) -> Result<String, Diagnostics> {
    lookup::recorded_id(&model.id, "private link")
}

/// Waits until the link is `OK`; on failure returns the diagnostics and the last link seen.
async fn wait_until_ready(
    client: &Client,
    op: &Op,
    id: &str,
    subject: &str,
    left: Left,
) -> Result<PrivateLink, (Diagnostics, Option<PrivateLink>)> {
    client
        .wait_until_private_link_ready(op, id)
        .await
        .map_err(|e| (wait_error(subject, left, &e), e.last().cloned()))
}

#[async_trait]
impl TypedResource<Configured> for PrivateLinkResource {
    type Model = PrivateLinkModel;

    fn type_name(&self) -> &'static str {
        "fivetran_private_link"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema())
            .replace_on_change(&["name", "region", "service"])
            .stable(&["id", "cloud_provider", "host", "created_at", "created_by"])
    }

    fn validate(&self, config: &PrivateLinkModel, diags: &mut Diagnostics) {
        validate(config, diags);
    }

    fn modify_plan(&self, plan: &mut TypedPlan<'_, PrivateLinkModel>) {
        // An in-place update ends with the link OK again: say so instead of "known after apply".
        if plan.prior.is_some() && plan.config.waits() && plan.planned.state.is_unknown() {
            plan.planned.state = PrivateLinkState::Ok.as_str().to_string().into();
        }
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &PrivateLinkModel,
        _config: &PrivateLinkModel,
    ) -> Result<Outcome<PrivateLinkModel>, Diagnostics> {
        let client = &ctx.client.api;
        let subject = subject(planned);
        let op = Op::new(
            format!("creating {subject}"),
            Timeouts::resolve(&planned.timeouts, Operation::Create, CREATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let managed = planned.config.known_entries();
        let request = NewPrivateLink {
            name: planned.name.require("name")?.clone(),
            region: planned.region.require("region")?.clone(),
            service: planned.service.require("service")?.clone(),
            config: managed.clone().unwrap_or_default(),
        };
        let mut adopted = Diagnostics::new();
        let created = match client.create_private_link_by_name(&op, &request).await? {
            (link, false) => link,
            (link, true) => {
                tracing::info!(name = %request.name, id = %link.id, "adopted an existing private link with the same name");
                adopted.warning(
                    "Adopted an Existing Private Link",
                    format!(
                        "Private link {:?} already existed with the same region and service (id {}), most likely created by an earlier apply that was interrupted before it could record it. It is now managed by this resource.",
                        request.name, link.id
                    ),
                );
                link
            }
        };
        let recorded = planned.with_link(&created, managed.as_ref());
        if !planned.waits() {
            return Ok(Outcome::recorded(recorded, adopted));
        }
        let outcome =
            match wait_until_ready(client, &op, &created.id, &subject, Left::Created).await {
                Ok(link) => Outcome::ok(planned.with_link(&link, managed.as_ref())),
                Err((d, last)) => {
                    let state = last.map_or(recorded, |l| planned.with_link(&l, managed.as_ref()));
                    Outcome::recorded(state, d)
                }
            };
        Ok(outcome.after(adopted))
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &PrivateLinkModel,
    ) -> Result<Option<PrivateLinkModel>, Diagnostics> {
        let id = recorded_id(current)?;
        let op = Op::new(
            format!("reading private link {id:?}"),
            READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let managed = current.config.known_entries();
        Ok(found(ctx.client.api.private_link(&op, &id).await)?
            .map(|link| current.with_link(&link, managed.as_ref())))
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &PrivateLinkModel,
        planned: &PrivateLinkModel,
        _config: &PrivateLinkModel,
    ) -> Result<Outcome<PrivateLinkModel>, Diagnostics> {
        let client = &ctx.client.api;
        let id = recorded_id(prior)?;
        let subject = subject(planned);
        let op = Op::new(
            format!("updating {subject}"),
            Timeouts::resolve(&planned.timeouts, Operation::Update, UPDATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        let config = planned.config.known_entries().unwrap_or_default();
        // Carry computed values the plan left unknown from the prior state until the API says.
        let base = PrivateLinkModel {
            state: planned.state.clone().or_if_unknown(prior.state.clone()),
            state_summary: planned
                .state_summary
                .clone()
                .or_if_unknown(prior.state_summary.clone()),
            ..planned.clone()
        };
        // What the state records if the wait below does not finish: the change was sent.
        let mut sent = None;
        if prior.config.known_entries().as_ref() != Some(&config) {
            // A link recorded mid-transition (e.g. a create that timed out) is waited for
            // first: the API refuses changes until it is settled.
            if !recorded_settled(prior) {
                client
                    .wait_until_private_link_settled(&op, &id)
                    .await
                    .map_err(|e| wait_error(&subject, Left::Unchanged, &e))?;
            }
            let link = client
                .update_private_link_when_settled(&op, &id, &config)
                .await
                .map_err(|e| wait_error(&subject, Left::Unchanged, &e))?;
            sent = Some(base.with_link(&link, Some(&config)));
        }
        if !planned.waits() {
            let link = client.private_link(&op, &id).await?;
            return Ok(Outcome::ok(base.with_link(&link, Some(&config))));
        }
        Ok(
            match wait_until_ready(client, &op, &id, &subject, Left::Updated).await {
                Ok(link) => Outcome::ok(base.with_link(&link, Some(&config))),
                Err((d, last)) => {
                    Outcome::failed(last.map(|l| base.with_link(&l, Some(&config))).or(sent), d)
                }
            },
        )
    }

    async fn delete(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &PrivateLinkModel,
    ) -> Result<(), Diagnostics> {
        let client = &ctx.client.api;
        let id = recorded_id(prior)?;
        let subject = subject(prior);
        let op = Op::new(
            format!("deleting {subject}"),
            Timeouts::resolve(&prior.timeouts, Operation::Delete, DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        if !recorded_settled(prior) {
            match client.wait_until_private_link_settled(&op, &id).await {
                Ok(_) => {}
                Err(WaitError::Api(e)) if e.is_not_found() => return Ok(()),
                Err(e) => return Err(wait_error(&subject, Left::Deleting, &e)),
            }
        }
        // Gone means 404: the cloud-side endpoint service can only be removed after that.
        client
            .delete_private_link_when_settled(&op, &id)
            .await
            .map_err(|e| wait_error(&subject, Left::Deleting, &e))
    }
}
