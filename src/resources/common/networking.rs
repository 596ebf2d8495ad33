//! How Fivetran reaches a source or a destination: the networking methods, the API's second
//! spelling of `PrivateLink`, and waiting until the private link an object uses is `OK`
//! before the object is created or moved onto it (one implementation, the client's wait).

use crate::client::{Client, Op, PrivateLink};
use crate::framework::typed::{Attr, TypedPlan};
use crate::protocol::{AttributePath, Diagnostic, Diagnostics};

use super::diagnostics::{wait_error, Left};

/// The networking methods the API accepts on create and update.
pub const NETWORKING_METHODS: &[&str] = &["Directly", "SshTunnel", "ProxyAgent", "PrivateLink"];

/// The method everything uses unless told otherwise (Fivetran's default).
pub const DIRECTLY: &str = "Directly";

/// The method that goes through `private_link_id`.
pub const PRIVATE_LINK: &str = "PrivateLink";

/// The API's other spelling of `PrivateLink`: a connection created with `PrivateLink` may be
/// answered as `UnmanagedPrivateLink` (official provider issue #408). Both mean "through
/// the private link in `private_link_id`".
pub const UNMANAGED_PRIVATE_LINK: &str = "UnmanagedPrivateLink";

/// Whether a networking method means "through a private link".
pub fn is_private_link_method(method: &str) -> bool {
    method == PRIVATE_LINK || method == UNMANAGED_PRIVATE_LINK
}

/// The `networking_method` to store: the API's answer, except that `PrivateLink` and
/// `UnmanagedPrivateLink` are one method, so the spelling already in `base` (the plan or
/// the state) is kept, and an import of an unmanaged answer reads as `PrivateLink`.
pub fn networking_method_read(api: Option<&str>, base: Option<&str>) -> Option<String> {
    match (api, base) {
        (Some(a), Some(b)) if is_private_link_method(a) && is_private_link_method(b) => {
            Some(b.to_string())
        }
        (Some(UNMANAGED_PRIVATE_LINK), _) => Some(PRIVATE_LINK.to_string()),
        (a, _) => a.map(str::to_string),
    }
}

/// Plan-time checks of `networking_method` and `private_link_id` (unknown values pass): a
/// method Fivetran knows, a private link only with `PrivateLink`, and `PrivateLink` only
/// with a private link.
pub fn validate(method: &Attr<String>, private_link_id: &Attr<String>, diags: &mut Diagnostics) {
    let name = method.as_deref();
    if let Some(m) = name {
        if !NETWORKING_METHODS.contains(&m) && !is_private_link_method(m) {
            diags.attribute_error(
                AttributePath::root("networking_method"),
                "Invalid networking method",
                format!(
                    "{m:?} is not a networking method; use one of {}.",
                    super::listing(NETWORKING_METHODS.iter().copied())
                ),
            );
        }
    }
    let is_private_link = name.is_some_and(is_private_link_method);
    if !private_link_id.is_null() && !method.is_unknown() && !is_private_link {
        diags.attribute_error(
            AttributePath::root("private_link_id"),
            "Private link needs the PrivateLink networking method",
            format!(
                "private_link_id is set but networking_method is {}; Fivetran refuses that. Add networking_method = \"PrivateLink\", or remove private_link_id.",
                name.map_or("not set (Directly)".to_string(), |m| format!("{m:?}"))
            ),
        );
    }
    if is_private_link && private_link_id.is_null() {
        diags.attribute_error(
            AttributePath::root("networking_method"),
            "PrivateLink needs a private link",
            "networking_method = \"PrivateLink\" needs private_link_id (e.g. fivetran_private_link.example.id).",
        );
    }
}

/// A model's networking arguments, borrowed.
#[derive(Clone, Copy)]
pub struct NetworkingArgs<'a> {
    pub method: &'a Attr<String>,
    pub private_link_id: &'a Attr<String>,
    pub proxy_agent_id: &'a Attr<String>,
    pub hybrid_deployment_agent_id: &'a Attr<String>,
}

/// Removals the API cannot carry out: its update requests (connection and destination)
/// declare no field nullable, so an agent id can only be replaced, or dropped together
/// with the networking method that needs it. Refused at plan, on the attribute, instead of
/// sending a `null` the API documents no meaning for. `object` is `connection` or
/// `destination`.
fn unclearable_removals(
    prior: NetworkingArgs<'_>,
    planned: NetworkingArgs<'_>,
    object: &str,
) -> Diagnostics {
    let removed =
        |before: &Attr<String>, after: &Attr<String>| !before.is_null() && after.is_null();
    let mut refusals = Vec::new();
    if removed(
        prior.hybrid_deployment_agent_id,
        planned.hybrid_deployment_agent_id,
    ) {
        refusals.push((
            "hybrid_deployment_agent_id",
            format!("Keep it, set another agent, or replace the {object} (`terraform apply -replace=...`)."),
        ));
    }
    if removed(prior.proxy_agent_id, planned.proxy_agent_id)
        && planned.method.as_deref() == Some("ProxyAgent")
    {
        refusals.push((
            "proxy_agent_id",
            "Set another proxy agent, or change `networking_method` (the API drops the agent with the method).".to_string(),
        ));
    }
    let mut diags = Diagnostics::new();
    for (name, instead) in refusals {
        diags.push(
            Diagnostic::error(
                "Cannot Remove This Setting",
                format!("Fivetran's API has no way to clear `{name}` of a {object} (its update request accepts no null). {instead}"),
            )
            .at(AttributePath::root(name)),
        );
    }
    diags
}

/// The networking method to plan when an update drops `private_link_id` without naming a
/// method (`configured` is the method in the configuration): Fivetran's default, since
/// keeping `PrivateLink` without a link would be refused. `None`: keep the plan's.
fn method_after_link_removed(
    configured: &Attr<String>,
    planned: NetworkingArgs<'_>,
) -> Option<&'static str> {
    (configured.is_null()
        && planned.private_link_id.is_null()
        && planned
            .method
            .as_deref()
            .is_some_and(is_private_link_method))
    .then_some(DIRECTLY)
}

/// A model with networking arguments.
pub trait Networked {
    fn networking(&self) -> NetworkingArgs<'_>;
    fn networking_method_mut(&mut self) -> &mut Attr<String>;
}

/// The networking part of an update's plan: refuses the removals the API cannot carry out
/// (see [`unclearable_removals`]) and plans Fivetran's default method when the private link
/// is dropped without naming one (see [`method_after_link_removed`]). `object` is
/// `connection` or `destination`.
pub fn plan_update<M: Networked>(plan: &mut TypedPlan<'_, M>, object: &str) {
    let Some(prior) = plan.prior else {
        return;
    };
    let refused = unclearable_removals(prior.networking(), plan.planned.networking(), object);
    plan.diagnostics.extend(refused);
    let configured = plan.config.networking().method;
    if let Some(m) = method_after_link_removed(configured, plan.planned.networking()) {
        *plan.planned.networking_method_mut() = m.into();
    }
}

/// Waits until private link `link_id` is `OK` (one request when it already is), before the
/// request that puts an object on it; `left` says what a failed wait leaves (`Nothing` before
/// a create, `Unchanged` before an update).
async fn wait_for_private_link(
    client: &Client,
    op: &Op,
    link_id: &str,
    left: Left,
) -> Result<PrivateLink, Diagnostics> {
    let waiting = op.with_what(format!(
        "{}: waiting for private link {link_id:?} to be OK",
        op.what
    ));
    client
        .wait_until_private_link_ready(&waiting, link_id)
        .await
        .map_err(|e| wait_error(&format!("private link {link_id:?}"), left, &e))
}

/// Before a create (`prior` is `None`) or an update: waits until the private link the
/// planned object names is `OK`, when it names one it did not name before.
pub async fn wait_for_new_private_link<M: Networked>(
    client: &Client,
    op: &Op,
    prior: Option<&M>,
    planned: &M,
) -> Result<(), Diagnostics> {
    let Some(link_id) = planned.networking().private_link_id.get() else {
        return Ok(());
    };
    let left = match prior {
        None => Left::Nothing,
        Some(p) if p.networking().private_link_id.get() == Some(link_id) => return Ok(()),
        Some(_) => Left::Unchanged,
    };
    wait_for_private_link(client, op, link_id, left)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_spellings_of_private_link_are_one_method() {
        assert!(is_private_link_method(PRIVATE_LINK));
        assert!(is_private_link_method(UNMANAGED_PRIVATE_LINK));
        assert!(!is_private_link_method(DIRECTLY));
        // The state's spelling is kept while the API answers the other one.
        assert_eq!(
            networking_method_read(Some(UNMANAGED_PRIVATE_LINK), Some(PRIVATE_LINK)).as_deref(),
            Some(PRIVATE_LINK)
        );
        // An import reads the unmanaged answer as PrivateLink.
        assert_eq!(
            networking_method_read(Some(UNMANAGED_PRIVATE_LINK), None).as_deref(),
            Some(PRIVATE_LINK)
        );
        assert_eq!(
            networking_method_read(Some(DIRECTLY), Some(PRIVATE_LINK)).as_deref(),
            Some(DIRECTLY)
        );
    }
}
