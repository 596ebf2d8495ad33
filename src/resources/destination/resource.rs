//! `fivetran_destination`: created without setup tests (after its private link is `OK`),
//! PATCHed with only what changed, refreshed on the arguments the user manages. How the API
//! answered each write is kept in the private state ([`Answered`]), so that the values it
//! rewrites are not drift. A delete Fivetran refuses because the group still holds
//! connections names them.

use async_trait::async_trait;

use crate::client::{Client, Connection, Destination, Op};
use crate::framework::timeouts::{Operation, Timeouts};
use crate::framework::typed::{Attr, Raw, TypedPlan, TypedResource};
use crate::framework::{OpContext, Outcome, ResourceSchema};
use crate::protocol::{Diagnostic, Diagnostics};
use crate::resources::common::answered::Answered;
use crate::resources::common::config::{refresh_answered, typed_entries};
use crate::resources::common::lookup::{self, found, gone_is_done};
use crate::resources::common::networking::{
    networking_method_read, plan_update, wait_for_new_private_link,
};
use crate::resources::common::Configured;

use super::model::DestinationModel;
use super::{request, schema, validate};

pub struct DestinationResource;

/// One text field of a destination: its attribute (the key of its recorded answer), its
/// value in an answer, and its place in the model.
struct TextField {
    name: &'static str,
    api: fn(&Destination) -> Option<&str>,
    get: fn(&DestinationModel) -> &Attr<String>,
    set: fn(&mut DestinationModel) -> &mut Attr<String>,
}

/// The text fields a refresh compares and whose answer is recorded.
const TEXT_FIELDS: [TextField; 6] = [
    TextField {
        name: "region",
        api: |d| d.region.as_deref(),
        get: |m| &m.region,
        set: |m| &mut m.region,
    },
    TextField {
        name: "time_zone_offset",
        api: |d| d.time_zone_offset.as_deref(),
        get: |m| &m.time_zone_offset,
        set: |m| &mut m.time_zone_offset,
    },
    TextField {
        name: "networking_method",
        api: |d| d.networking_method.as_deref(),
        get: |m| &m.networking_method,
        set: |m| &mut m.networking_method,
    },
    TextField {
        name: "private_link_id",
        api: |d| d.private_link_id.as_deref(),
        get: |m| &m.private_link_id,
        set: |m| &mut m.private_link_id,
    },
    TextField {
        name: "proxy_agent_id",
        api: |d| d.proxy_agent_id.as_deref(),
        get: |m| &m.proxy_agent_id,
        set: |m| &mut m.proxy_agent_id,
    },
    TextField {
        name: "hybrid_deployment_agent_id",
        api: |d| d.hybrid_deployment_agent_id.as_deref(),
        get: |m| &m.hybrid_deployment_agent_id,
        set: |m| &mut m.hybrid_deployment_agent_id,
    },
];

impl TextField {
    /// The API's value, with `PrivateLink` and `UnmanagedPrivateLink` read as one method
    /// (keeping `base`'s spelling).
    fn answer(&self, d: &Destination, base: &DestinationModel) -> Option<String> {
        let api = (self.api)(d);
        if self.name == "networking_method" {
            networking_method_read(api, base.networking_method.as_deref())
        } else {
            api.map(str::to_string)
        }
    }
}

/// Fivetran shows `setup_status` in lower case, the spec and list items in upper case.
fn setup_status(d: &Destination) -> Attr<String> {
    d.setup_status
        .as_deref()
        .map(str::to_ascii_lowercase)
        .into()
}

/// The state after a create or an update the API accepted: what was planned, with the
/// values Fivetran chose where the plan left them to it.
fn after_write(d: &Destination, planned: &DestinationModel) -> DestinationModel {
    // Only what the plan left unknown is Fivetran's to fill in; a known (or null) planned
    // value is what Terraform expects back.
    let or_answer = |p: &Attr<String>, a: Option<&str>| -> Attr<String> {
        if p.is_unknown() {
            a.filter(|v| !v.is_empty()).map(str::to_string).into()
        } else {
            p.clone()
        }
    };
    DestinationModel {
        id: d.id.clone().into(),
        region: or_answer(&planned.region, d.region.as_deref()),
        networking_method: or_answer(
            &planned.networking_method,
            networking_method_read(d.networking_method.as_deref(), None).as_deref(),
        ),
        daylight_saving_time_enabled: match planned.daylight_saving_time_enabled {
            Attr::Unknown => d.daylight_saving_time_enabled.into(),
            ref p => p.clone(),
        },
        config_secrets_wo: Attr::Null,
        setup_status: setup_status(d),
        ..planned.clone()
    }
}

/// How the API answered a write, for later refreshes.
fn answered(d: &Destination, written: &DestinationModel) -> Answered {
    let mut a = Answered::default();
    for f in &TEXT_FIELDS {
        a.field(f.name, (f.api)(d));
    }
    let keys: Vec<String> = typed_entries(written.config.value()).into_keys().collect();
    a.config_keys(&keys, &d.config);
    a
}

/// The state a refresh reads: the API's values where they changed (see [`Answered`]); all
/// of them after an import (no group id recorded yet).
fn refreshed(d: &Destination, current: &DestinationModel, answer: &Answered) -> DestinationModel {
    let importing = current.group_id.is_null();
    let mut state = DestinationModel {
        id: d.id.clone().into(),
        group_id: d.group_id.clone().unwrap_or_else(|| d.id.clone()).into(),
        service: d
            .service
            .clone()
            .map_or_else(|| current.service.clone(), Attr::from),
        daylight_saving_time_enabled: d
            .daylight_saving_time_enabled
            .map_or_else(|| current.daylight_saving_time_enabled.clone(), Attr::from),
        config: Raw(refresh_answered(
            current.config.value(),
            &d.config,
            importing,
            &[],
            &answer.config,
        )),
        config_secrets_wo: Attr::Null,
        ..current.clone()
    };
    for f in &TEXT_FIELDS {
        let api = f.answer(d, current);
        *(f.set)(&mut state) = answer.refresh_field(f.name, (f.get)(current), api.as_deref());
    }
    if importing {
        state.setup_status = setup_status(d);
    }
    state
}

/// Fields the answer shows with another value than the one sent (`PrivateLink` and
/// `UnmanagedPrivateLink` being one method; a field left out or empty contradicts nothing).
fn contradictions(d: &Destination, planned: &DestinationModel) -> Vec<String> {
    TEXT_FIELDS
        .iter()
        .filter_map(|f| {
            let sent = (f.get)(planned).get()?;
            let now = f.answer(d, planned).filter(|v| !v.is_empty())?;
            (now != *sent).then(|| format!("{}: sent {sent:?}, answered {now:?}", f.name))
        })
        .collect()
}

/// The answer to a write, read again once when it contradicts what was sent (an answer may
/// leave out or misstate networking fields: fixtures
/// `reconstructed_destination_create_databricks_private_link_pr483.json`,
/// `destination_setup_tests_private_link_tfp_200.json`), with a warning if it still does.
async fn confirmed(
    client: &Client,
    op: &Op,
    answer: Destination,
    planned: &DestinationModel,
) -> (Destination, Diagnostics) {
    if contradictions(&answer, planned).is_empty() {
        return (answer, Diagnostics::new());
    }
    let d = match client.destination(op, &answer.id).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(id = %answer.id, error = %e, "could not read the destination again");
            answer
        }
    };
    let left = contradictions(&d, planned);
    if left.is_empty() {
        return (d, Diagnostics::new());
    }
    let warning = Diagnostic::warning(
        "Fivetran Answered Other Values Than Sent",
        format!(
            "Fivetran accepted the request for destination {:?} but shows other values than the ones sent:\n- {}\nThe values sent are recorded, and this answer is remembered so that it is not shown as a change. If the destination does not behave as configured, check it in Fivetran's dashboard.",
            d.id,
            left.join("\n- ")
        ),
    );
    (d, warning.into())
}

fn recorded_id(model: &DestinationModel) -> Result<String, Diagnostics> {
    lookup::recorded_id(&model.id, "destination")
}

/// One line per connection still in a group.
fn connection_lines(connections: &[Connection]) -> String {
    connections
        .iter()
        .map(|c| {
            let own = if c.service == "fivetran_log" || c.schema.starts_with("fivetran_metadata") {
                " (Fivetran may have created this one on its own)"
            } else {
                ""
            };
            format!("- {} ({}, id {}){own}", c.schema, c.service, c.id)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error for a delete Fivetran refused with 409, naming what the group still holds.
async fn refused_delete(client: &Client, op: &Op, id: &str, refusal: &str) -> Diagnostics {
    let held = match client.connections(op, id, None).await {
        Ok(c) if c.is_empty() => "Its group holds no connection now: destroy again.".to_string(),
        Ok(c) => format!(
            "Its group still holds {} connection{}:\n{}\nDelete {} (in Terraform, or in Fivetran for one Terraform does not manage), then destroy again.",
            c.len(),
            if c.len() == 1 { "" } else { "s" },
            connection_lines(&c),
            if c.len() == 1 { "it" } else { "them" }
        ),
        Err(e) => format!("Listing the connections of its group failed too ({e}); delete them, then destroy again."),
    };
    Diagnostic::error(
        "Destination Still Has Connections",
        format!("Fivetran refused to delete destination {id:?} while connections load into it ({refusal}). {held} Nothing was deleted."),
    )
    .into()
}

#[async_trait]
impl TypedResource<Configured> for DestinationResource {
    type Model = DestinationModel;

    fn type_name(&self) -> &'static str {
        "fivetran_destination"
    }

    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(schema::destination())
            .replace_on_change(&["group_id", "service"])
            .stable(&[
                "id",
                "region",
                "networking_method",
                "daylight_saving_time_enabled",
            ])
            .write_only_alternative(
                "config_secrets_wo",
                "config_secrets",
                "sensitive: hidden in plans and output, but stored in state",
            )
    }

    fn validate(&self, config: &DestinationModel, diags: &mut Diagnostics) {
        validate::destination(config, diags);
    }

    fn modify_plan(&self, plan: &mut TypedPlan<'_, DestinationModel>) {
        plan_update(plan, "destination");
    }

    async fn create(
        &self,
        ctx: &OpContext<'_, Configured>,
        planned: &DestinationModel,
        config: &DestinationModel,
    ) -> Result<Outcome<DestinationModel>, Diagnostics> {
        let client = &ctx.client.api;
        let group = planned.group_id.require("group_id")?;
        let op = Op::new(
            format!("creating the destination of group {group:?}"),
            Timeouts::resolve(&planned.timeouts, Operation::Create, schema::CREATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        wait_for_new_private_link(client, &op, None, planned).await?;
        let body = request::new_destination(planned, config)?;
        let (created, adopted) = client.create_destination_for_group(&op, &body).await?;
        if adopted {
            // Its values are not an answer to this request: compare them at the next refresh.
            let state = after_write(&created, planned);
            let warning = Diagnostic::warning(
                "Adopted an Existing Destination",
                format!("Group {group:?} already had a {} destination, most likely created by an earlier apply that was interrupted before it could record it. It is now managed by this resource; the next plan shows where its settings differ from the configuration.", body.service),
            );
            return Ok(Outcome::recorded(state, warning)
                .with_private(Answered::default().into_private(&ctx.private)));
        }
        let (answer, warnings) = confirmed(client, &op, created, planned).await;
        let private = answered(&answer, planned).into_private(&ctx.private);
        Ok(Outcome::recorded(after_write(&answer, planned), warnings).with_private(private))
    }

    async fn read(
        &self,
        ctx: &OpContext<'_, Configured>,
        current: &DestinationModel,
    ) -> Result<Option<DestinationModel>, Diagnostics> {
        let id = recorded_id(current)?;
        let op = Op::new(
            format!("reading destination {id:?}"),
            schema::READ_TIMEOUT,
            ctx.cancel.clone(),
        );
        let answer = Answered::from_private(&ctx.private);
        Ok(found(ctx.client.api.destination(&op, &id).await)?
            .map(|d| refreshed(&d, current, &answer)))
    }

    async fn update(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &DestinationModel,
        planned: &DestinationModel,
        config: &DestinationModel,
    ) -> Result<Outcome<DestinationModel>, Diagnostics> {
        let client = &ctx.client.api;
        let id = recorded_id(prior)?;
        let op = Op::new(
            format!("updating destination {id:?}"),
            Timeouts::resolve(&planned.timeouts, Operation::Update, schema::UPDATE_TIMEOUT),
            ctx.cancel.clone(),
        );
        wait_for_new_private_link(client, &op, Some(prior), planned).await?;
        let sent = match request::update(prior, planned, config)? {
            Some(change) => client.update_destination(&op, &id, &change).await?,
            None => client.destination(&op, &id).await?,
        };
        let (answer, warnings) = confirmed(client, &op, sent, planned).await;
        let private = answered(&answer, planned).into_private(&ctx.private);
        Ok(Outcome::recorded(after_write(&answer, planned), warnings).with_private(private))
    }

    async fn delete(
        &self,
        ctx: &OpContext<'_, Configured>,
        prior: &DestinationModel,
    ) -> Result<(), Diagnostics> {
        let client = &ctx.client.api;
        let id = recorded_id(prior)?;
        let op = Op::new(
            format!("deleting destination {id:?}"),
            Timeouts::resolve(&prior.timeouts, Operation::Delete, schema::DELETE_TIMEOUT),
            ctx.cancel.clone(),
        );
        match client.delete_destination(&op, &id).await {
            Err(e) if e.is_conflict() => {
                Err(refused_delete(client, &op, &id, &e.to_string()).await)
            }
            other => gone_is_done(other),
        }
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
