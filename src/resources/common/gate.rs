//! The heart of a setup-tests gate, for any parent that runs setup tests ([`Tested`]): run
//! the tests (or only read the parent when nothing asks for a run), report every failure
//! with the approval block that fixes it, warn about warnings, and wait until Fivetran
//! reports the parent connected. What a gate does around it (a connection's paused state)
//! stays with that gate.

use crate::client::wait::{self, Progress};
use crate::client::{self, Client, Connection, Destination, Error, Op, SetupTest};
use crate::framework::typed::{Attr, TypedPlan};
use crate::protocol::{Diagnostic, Diagnostics};

use super::diagnostics::{wait_error, Left};
use super::parent::ParentKind;
use super::test_results::{self as report, TestResult};

/// A gate's `results` after a run (`Some`: its results) or a refresh (`None`: the ones it
/// had, or none after an import).
pub fn results_or_prior(
    ran: Option<Vec<TestResult>>,
    prior: &Attr<Vec<TestResult>>,
) -> Attr<Vec<TestResult>> {
    match ran {
        Some(r) => Attr::Known(r),
        None if prior.is_known() => prior.clone(),
        None => Attr::Known(Vec::new()),
    }
}

/// The end of a gate's plan: a run always ends connected or fails, so the planned setup
/// state (`connected`, set by the caller) differing from the prior one, or any other
/// change, plans a new run whose results are not known yet.
pub fn plan_run<M: PartialEq>(
    plan: &mut TypedPlan<'_, M>,
    results: fn(&mut M) -> &mut Attr<Vec<TestResult>>,
) {
    if plan.prior.is_some_and(|prior| plan.planned != *prior) {
        *results(&mut plan.planned) = Attr::Unknown;
    }
}

/// The id of the parent a gate is about: its `connection_id` / `destination_id` argument,
/// else its `id` (after an import), else an error saying it is missing.
pub fn parent_id(
    kind: ParentKind,
    argument: &Attr<String>,
    id: &Attr<String>,
) -> Result<String, Diagnostics> {
    argument.get().or(id.get()).cloned().ok_or_else(|| {
        Diagnostic::error(
            format!("Missing {} Id", report::title(kind)),
            format!(
                "This setup-tests gate has no {}. This is a bug in the provider; please report it.",
                kind.id_attribute()
            ),
        )
        .into()
    })
}

/// A parent whose setup tests a gate runs: the API object (see [`client::Tested`]) and
/// the kind of parent it is.
pub trait Tested: client::Tested {
    const KIND: ParentKind;
}

impl Tested for Connection {
    const KIND: ParentKind = ParentKind::Connection;
}

impl Tested for Destination {
    const KIND: ParentKind = ParentKind::Destination;
}

/// What a gate asks for.
pub struct Run<'a> {
    pub id: &'a str,
    /// Run the tests (otherwise only read the parent).
    pub testing: bool,
    pub trust_certificates: Option<bool>,
    pub trust_fingerprints: Option<bool>,
    /// What a wait that does not finish leaves (the gate is created or updated).
    pub left: Left,
}

/// How a run ended: the parent as last seen, the results of the tests run (if any), and
/// the diagnostics (errors when a test failed or the wait did not finish).
pub struct Ran<O> {
    pub object: O,
    pub tests: Option<Vec<SetupTest>>,
    pub diagnostics: Diagnostics,
}

/// Runs the tests when asked (otherwise reads the parent): the parent as answered and the
/// results of the run.
pub async fn test<T: Tested>(
    client: &Client,
    op: &Op,
    run: &Run<'_>,
) -> Result<(T, Option<Vec<SetupTest>>), Error> {
    let object: T = if run.testing {
        client
            .run_setup_tests(op, run.id, run.trust_certificates, run.trust_fingerprints)
            .await?
    } else {
        client.tested(op, run.id).await?
    };
    let tests = run.testing.then(|| object.setup_tests().to_vec());
    Ok((object, tests))
}

/// After [`test`] (and whatever the gate does in between): a failed test ends the run with
/// the report; warnings are reported; then it waits until the parent is connected.
pub async fn settle<T: Tested>(
    client: &Client,
    op: &Op,
    run: &Run<'_>,
    object: T,
    tests: Option<Vec<SetupTest>>,
) -> Ran<T> {
    let mut diagnostics = Diagnostics::new();
    if let Some(t) = &tests {
        if !t.iter().all(report::passes) {
            diagnostics.extend(report::failure(T::KIND, run.id, t));
            return Ran {
                object,
                tests,
                diagnostics,
            };
        }
        report::warnings(T::KIND, run.id, t, &mut diagnostics);
    }
    if object.connected() != Some(false) {
        return Ran {
            object,
            tests,
            diagnostics,
        };
    }
    // Fivetran may settle the setup state after the tests answer.
    let subject = T::KIND.subject(run.id);
    let waiting = op.with_what(format!("waiting for {subject} to be connected"));
    let classify = |o: &T| match o.connected() {
        Some(true) | None => Progress::Done,
        Some(false) => Progress::Pending {
            state: o.setup_state(),
        },
    };
    let object = match wait::until(
        &waiting,
        client.poll_policy(),
        || client.tested::<T>(&waiting, run.id),
        classify,
    )
    .await
    {
        Ok(o) => o,
        Err(e) => {
            diagnostics.extend(wait_error(&subject, run.left, &e));
            object
        }
    };
    Ran {
        object,
        tests,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Gate {
        state: Attr<String>,
        results: Attr<Vec<TestResult>>,
    }

    fn planned(prior: Option<&Gate>, state: &str) -> Attr<Vec<TestResult>> {
        let config = Gate {
            state: Attr::Null,
            results: Attr::Null,
        };
        let mut plan = TypedPlan {
            prior,
            config: &config,
            planned: Gate {
                state: state.into(),
                results: Attr::Known(Vec::new()),
            },
            diagnostics: Diagnostics::new(),
            requires_replace: Vec::new(),
        };
        plan_run(&mut plan, |g| &mut g.results);
        plan.planned.results
    }

    #[test]
    fn only_a_change_plans_a_new_run() {
        let connected = Gate {
            state: "connected".into(),
            results: Attr::Known(Vec::new()),
        };
        let broken = Gate {
            state: "broken".into(),
            ..connected.clone()
        };
        assert_eq!(
            planned(Some(&connected), "connected"),
            Attr::Known(Vec::new())
        );
        assert_eq!(planned(Some(&broken), "connected"), Attr::Unknown);
        // A create has no prior to differ from; its results come from the run itself.
        assert_eq!(planned(None, "connected"), Attr::Known(Vec::new()));
    }
}
