//! Framework behaviour, exercised through a fake provider with one fake resource.

use std::sync::Arc;
use std::sync::Mutex;

use async_trait::async_trait;

use super::values::{attr, null_object, set};

/// A known string attribute of an object value (test inspection only).
fn string(obj: &Value, name: &str) -> Option<String> {
    attr(obj, name).as_str().map(str::to_string)
}
use super::*;
use crate::protocol::*;

#[derive(Default)]
struct Remote {
    objects: Mutex<Vec<String>>,
    updates: std::sync::atomic::AtomicUsize,
    /// The private state each read and update was given.
    seen_private: Mutex<Vec<Private>>,
}

struct FakeProvider;
struct Thing;
struct ThingSource;

#[async_trait]
impl Provider for FakeProvider {
    type Client = Remote;
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }
    async fn configure(&self, _: &str, _: &Value) -> Result<Remote, Diagnostics> {
        Ok(Remote::default())
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<Remote>>> {
        vec![Arc::new(Thing)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Remote>>> {
        vec![Arc::new(ThingSource)]
    }
}

fn thing_schema() -> Schema {
    Schema {
        version: 1,
        block: Block {
            attributes: vec![
                Attribute::computed("id", Type::String),
                Attribute::required("name", Type::String),
                Attribute::computed("state", Type::String),
                Attribute::optional("token", Type::String).write_only(),
                Attribute::optional("token_sensitive", Type::String).sensitive(),
            ],
            blocks: vec![timeouts::block(&[(
                timeouts::Operation::Create,
                std::time::Duration::from_secs(60),
            )])],
            ..Block::default()
        },
    }
}

#[async_trait]
impl Resource<Remote> for Thing {
    fn type_name(&self) -> &'static str {
        "fake_thing"
    }
    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(thing_schema())
            .replace_on_change(&["name"])
            .stable(&["id"])
            .write_only_alternative("token", "token_sensitive", "kept in state")
    }
    async fn create(&self, ctx: &OpContext<'_, Remote>, planned: &Value, _: &Value) -> Outcome {
        let name = string(planned, "name").unwrap_or_default();
        let mut state = planned.clone();
        set(&mut state, "id", Value::from(format!("id-{name}")));
        set(&mut state, "state", Value::from("OK"));
        ctx.client.objects.lock().expect("lock").push(name.clone());
        if name == "fails-late" {
            let mut d = Diagnostics::new();
            d.error("Provisioning failed", "after the object existed");
            return Outcome::failed(Some(state), d);
        }
        Outcome::ok(state).with_private(Private::default().with("created_as", &name))
    }
    async fn read(
        &self,
        ctx: &OpContext<'_, Remote>,
        current: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        let name = string(current, "name").unwrap_or_default();
        ctx.client
            .seen_private
            .lock()
            .expect("lock")
            .push(ctx.private.clone());
        let exists = ctx.client.objects.lock().expect("lock").contains(&name);
        Ok(exists.then(|| current.clone()))
    }
    async fn update(
        &self,
        ctx: &OpContext<'_, Remote>,
        _: &Value,
        planned: &Value,
        _: &Value,
    ) -> Outcome {
        ctx.client
            .updates
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ctx.client
            .seen_private
            .lock()
            .expect("lock")
            .push(ctx.private.clone());
        let mut state = planned.clone();
        set(&mut state, "state", Value::from("OK"));
        Outcome::ok(state)
    }
    async fn delete(&self, ctx: &OpContext<'_, Remote>, prior: &Value) -> Diagnostics {
        let name = string(prior, "name").unwrap_or_default();
        ctx.client
            .objects
            .lock()
            .expect("lock")
            .retain(|n| n != &name);
        Diagnostics::new()
    }
}

#[async_trait]
impl DataSource<Remote> for ThingSource {
    fn type_name(&self) -> &'static str {
        "fake_things"
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![Attribute::computed("count", Type::Number)],
                ..Block::default()
            },
        }
    }
    async fn read(&self, ctx: &OpContext<'_, Remote>, _: &Value) -> Result<Value, Diagnostics> {
        let n = ctx.client.objects.lock().expect("lock").len() as i64;
        Ok(Value::object([("count", Value::from(n))]))
    }
}

fn ctx() -> RequestContext {
    RequestContext {
        cancel: Default::default(),
    }
}

async fn configured() -> Framework<FakeProvider> {
    let fw = Framework::new(FakeProvider).expect("registry");
    let d = fw
        .configure(ConfigureRequest {
            terraform_version: "1.11.4".into(),
            config: Value::object::<&str>([]),
            client_capabilities: WRITE_ONLY_CLIENT,
        })
        .await;
    assert!(d.is_empty());
    fw
}

/// Capabilities as Terraform 1.11 sends them.
const WRITE_ONLY_CLIENT: ClientCapabilities = ClientCapabilities {
    deferral_allowed: false,
    write_only_attributes_allowed: true,
};

/// Capabilities as Terraform 1.0 "sends" them: none.
const OLD_CLIENT: ClientCapabilities = ClientCapabilities {
    deferral_allowed: false,
    write_only_attributes_allowed: false,
};

fn config(name: &str) -> Value {
    let mut v = null_object(&thing_schema().block);
    set(&mut v, "name", Value::from(name));
    set(&mut v, "token", Value::from("secret-token"));
    v
}

async fn plan(fw: &Framework<FakeProvider>, prior: &Value, cfg: &Value) -> PlanResponse {
    plan_as(fw, prior, cfg, WRITE_ONLY_CLIENT).await
}

async fn plan_as(
    fw: &Framework<FakeProvider>,
    prior: &Value,
    cfg: &Value,
    client: ClientCapabilities,
) -> PlanResponse {
    // Terraform's proposed new state: config, with prior values for null computed attributes.
    let mut proposed = cfg.clone();
    for name in ["id", "state"] {
        if !prior.is_null() {
            set(&mut proposed, name, attr(prior, name).clone());
        }
    }
    fw.plan_resource_change(
        ctx(),
        PlanRequest {
            type_name: "fake_thing".into(),
            prior_state: prior.clone(),
            proposed_new_state: proposed,
            config: cfg.clone(),
            prior_private: vec![],
            client_capabilities: client,
        },
    )
    .await
}

async fn apply(
    fw: &Framework<FakeProvider>,
    prior: &Value,
    planned: &Value,
    cfg: &Value,
) -> ApplyResponse {
    fw.apply_resource_change(
        ctx(),
        ApplyRequest {
            type_name: "fake_thing".into(),
            prior_state: prior.clone(),
            planned_state: planned.clone(),
            config: cfg.clone(),
            planned_private: vec![],
        },
    )
    .await
}

/// Plans and applies the create of `cfg`; the new state.
async fn created(fw: &Framework<FakeProvider>, cfg: &Value) -> Value {
    let p = plan(fw, &Value::Null, cfg).await;
    apply(fw, &Value::Null, &p.planned_state, cfg)
        .await
        .new_state
}

#[tokio::test]
async fn create_plans_unknowns_then_applies_known_values_without_write_only() {
    let fw = configured().await;
    let cfg = config("a");
    let p = plan(&fw, &Value::Null, &cfg).await;
    assert!(p.requires_replace.is_empty(), "no replace paths on create");
    assert!(attr(&p.planned_state, "id").is_unknown());
    assert_eq!(
        attr(&p.planned_state, "token"),
        &Value::Null,
        "write-only is planned null"
    );
    let a = apply(&fw, &Value::Null, &p.planned_state, &cfg).await;
    assert!(a.diagnostics.is_empty());
    assert_eq!(string(&a.new_state, "id").as_deref(), Some("id-a"));
    assert!(a.new_state.is_wholly_known());
    assert_eq!(attr(&a.new_state, "token"), &Value::Null);
}

#[tokio::test]
async fn a_failed_create_still_records_what_exists() {
    let fw = configured().await;
    let cfg = config("fails-late");
    let p = plan(&fw, &Value::Null, &cfg).await;
    let a = apply(&fw, &Value::Null, &p.planned_state, &cfg).await;
    assert!(a.diagnostics.has_errors());
    assert_eq!(
        string(&a.new_state, "id").as_deref(),
        Some("id-fails-late"),
        "the id must reach state"
    );
}

#[tokio::test]
async fn unchanged_config_plans_no_change_and_renames_replace() {
    let fw = configured().await;
    let cfg = config("a");
    let state = created(&fw, &cfg).await;
    let again = plan(&fw, &state, &cfg).await;
    assert_eq!(again.planned_state, state, "a second plan must be empty");
    let renamed = plan(&fw, &state, &config("b")).await;
    assert_eq!(renamed.requires_replace, vec![AttributePath::root("name")]);
    assert_eq!(
        attr(&renamed.planned_state, "id"),
        &Value::from("id-a"),
        "stable ids are kept"
    );
    assert!(attr(&renamed.planned_state, "state").is_unknown());
}

#[tokio::test]
async fn a_timeouts_only_change_is_recorded_without_calling_the_resource() {
    let fw = configured().await;
    let cfg = config("a");
    let state = created(&fw, &cfg).await;
    // As after an import: the state has no timeouts, the configuration has some.
    let mut timed = cfg.clone();
    set(
        &mut timed,
        timeouts::BLOCK,
        Value::object([("create", Value::from("45m"))]),
    );
    let p = plan(&fw, &state, &timed).await;
    assert_eq!(
        attr(&p.planned_state, "state"),
        &Value::from("OK"),
        "computed values are kept, not known after apply"
    );
    let a = apply(&fw, &state, &p.planned_state, &timed).await;
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    assert_eq!(
        attr(attr(&a.new_state, timeouts::BLOCK), "create"),
        &Value::from("45m")
    );
    let updates = |fw: &Framework<FakeProvider>| {
        fw.client()
            .map(|c| c.updates.load(std::sync::atomic::Ordering::SeqCst))
            .unwrap_or(usize::MAX)
    };
    assert_eq!(updates(&fw), 0, "the resource's update was not called");
    // A computed value the plan changes (as a resource's own planning may) still goes to
    // the resource.
    let mut fixing = a.new_state.clone();
    set(&mut fixing, "state", Value::from("REPAIRED"));
    let _ = apply(&fw, &a.new_state, &fixing, &timed).await;
    assert_eq!(updates(&fw), 1);
}

#[tokio::test]
async fn read_of_a_gone_object_returns_null_and_delete_returns_null() {
    let fw = configured().await;
    let cfg = config("a");
    let state = created(&fw, &cfg).await;
    let gone = apply(&fw, &state, &Value::Null, &Value::Null).await;
    assert_eq!(gone.new_state, Value::Null);
    let read = fw
        .read_resource(
            ctx(),
            ReadRequest {
                type_name: "fake_thing".into(),
                current_state: state,
                private: vec![],
            },
        )
        .await;
    assert_eq!(read.new_state, Value::Null);
}

#[tokio::test]
async fn private_state_set_by_a_create_reaches_later_reads_and_updates() {
    let fw = configured().await;
    let cfg = config("p");
    let p = plan(&fw, &Value::Null, &cfg).await;
    let made = apply(&fw, &Value::Null, &p.planned_state, &cfg).await;
    let private = Private::from_bytes(&made.private);
    assert_eq!(private.get::<String>("created_as").as_deref(), Some("p"));
    // Terraform hands the bytes back with the next read...
    let read = fw
        .read_resource(
            ctx(),
            ReadRequest {
                type_name: "fake_thing".into(),
                current_state: made.new_state.clone(),
                private: made.private.clone(),
            },
        )
        .await;
    assert_eq!(read.private, made.private, "a read keeps the private state");
    // ...and with an update, whose outcome sets none, so the planned private is kept.
    let mut changed = made.new_state.clone();
    set(&mut changed, "token_sensitive", Value::from("t"));
    let updated = fw
        .apply_resource_change(
            ctx(),
            ApplyRequest {
                type_name: "fake_thing".into(),
                prior_state: made.new_state.clone(),
                planned_state: changed.clone(),
                config: changed,
                planned_private: made.private.clone(),
            },
        )
        .await;
    assert_eq!(updated.private, made.private);
    let seen = fw
        .client()
        .expect("configured")
        .seen_private
        .lock()
        .expect("lock")
        .clone();
    assert_eq!(seen, vec![private.clone(), private]);
}

#[tokio::test]
async fn import_sets_the_id_and_data_sources_read() {
    let fw = configured().await;
    let imported = fw
        .import_resource_state(
            ctx(),
            ImportRequest {
                type_name: "fake_thing".into(),
                id: "id-9".into(),
            },
        )
        .await;
    assert_eq!(attr(&imported.state, "id"), &Value::from("id-9"));
    assert_eq!(attr(&imported.state, "name"), &Value::Null);
    let empty = fw
        .import_resource_state(
            ctx(),
            ImportRequest {
                type_name: "fake_thing".into(),
                id: " ".into(),
            },
        )
        .await;
    assert!(empty.diagnostics.has_errors());
    let read = fw
        .read_data_source(
            ctx(),
            ReadDataRequest {
                type_name: "fake_things".into(),
                config: Value::object([("count", Value::Null)]),
            },
        )
        .await;
    assert_eq!(attr(&read.state, "count"), &Value::from(0));
}

#[tokio::test]
async fn upgrade_fills_new_attributes_and_refuses_newer_versions() {
    let fw = configured().await;
    // Written before `state` and `token` existed.
    let raw = br#"{"id":"x","name":"n","timeouts":null}"#.to_vec();
    let up = fw
        .upgrade_resource_state(UpgradeRequest {
            type_name: "fake_thing".into(),
            version: 1,
            raw_json: raw.clone(),
        })
        .await;
    assert!(up.diagnostics.is_empty(), "{:?}", up.diagnostics);
    // `attr` answers Null for a missing key too: look at the keys themselves.
    for added in ["state", "token"] {
        assert_eq!(
            up.state.get(added),
            Some(&Value::Null),
            "the attribute {added} added to the schema must be filled in: {:?}",
            up.state
        );
    }
    assert_eq!(string(&up.state, "id").as_deref(), Some("x"), "kept");
    let newer = fw
        .upgrade_resource_state(UpgradeRequest {
            type_name: "fake_thing".into(),
            version: 2,
            raw_json: raw,
        })
        .await;
    assert!(newer.diagnostics.has_errors());
}

#[tokio::test]
async fn bad_timeouts_and_unconfigured_use_are_diagnostics() {
    let fw = Framework::new(FakeProvider).expect("registry");
    let mut cfg = config("a");
    set(
        &mut cfg,
        "timeouts",
        Value::object([("create", Value::from("forever"))]),
    );
    let d = fw
        .validate_resource_config("fake_thing", cfg.clone(), WRITE_ONLY_CLIENT)
        .await;
    assert_eq!(
        d.first().expect("a diagnostic").attribute,
        Some(AttributePath::root("timeouts").attr("create"))
    );
    let a = apply(&fw, &Value::Null, &cfg, &cfg).await;
    assert!(
        a.diagnostics.has_errors(),
        "apply before configure is reported, not a panic"
    );
    let d = fw
        .validate_resource_config("nope", cfg, WRITE_ONLY_CLIENT)
        .await;
    assert!(d.has_errors());
}

#[tokio::test]
async fn without_the_write_only_capability_a_write_only_value_is_refused_on_the_attribute() {
    let fw = configured().await;
    let cfg = config("a");
    let d = fw
        .validate_resource_config("fake_thing", cfg.clone(), OLD_CLIENT)
        .await;
    assert_eq!(d.len(), 1, "{d:?}");
    let e = &d.first().expect("a diagnostic");
    assert_eq!(e.attribute, Some(AttributePath::root("token")));
    assert!(e.summary.contains("`token` needs Terraform 1.11"), "{e:?}");
    assert!(
        e.detail
            .contains("Use `token_sensitive` instead (kept in state)"),
        "{e:?}"
    );
    assert!(!e.detail.contains("bug"), "{e:?}");
    assert!(
        !format!("{e:?}").contains("secret-token"),
        "the value is never quoted"
    );

    // The same configuration is fine where write-only attributes are known.
    let d = fw
        .validate_resource_config("fake_thing", cfg.clone(), WRITE_ONLY_CLIENT)
        .await;
    assert!(d.is_empty(), "{d:?}");

    // Not known yet at validate: plan decides (it is validated again with known values).
    let mut later = cfg.clone();
    set(&mut later, "token", Value::Unknown(Default::default()));
    let d = fw
        .validate_resource_config("fake_thing", later.clone(), OLD_CLIENT)
        .await;
    assert!(d.is_empty(), "{d:?}");

    // Plan refuses it too, with the proposed state as is: never an invalid plan.
    for cfg in [cfg, later] {
        let p = plan_as(&fw, &Value::Null, &cfg, OLD_CLIENT).await;
        assert!(p.diagnostics.has_errors());
        assert_eq!(
            p.diagnostics.first().expect("a diagnostic").attribute,
            Some(AttributePath::root("token"))
        );
        assert_eq!(attr(&p.planned_state, "token"), attr(&cfg, "token"));
    }
}

#[tokio::test]
async fn without_the_capability_a_configuration_without_write_only_values_plans_and_destroys() {
    let fw = configured().await;
    let mut cfg = config("a");
    set(&mut cfg, "token", Value::Null);
    let d = fw
        .validate_resource_config("fake_thing", cfg.clone(), OLD_CLIENT)
        .await;
    assert!(d.is_empty(), "{d:?}");
    let p = plan_as(&fw, &Value::Null, &cfg, OLD_CLIENT).await;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let state = apply(&fw, &Value::Null, &p.planned_state, &cfg)
        .await
        .new_state;
    let again = plan_as(&fw, &state, &cfg, OLD_CLIENT).await;
    assert_eq!(again.planned_state, state, "a second plan is empty");
    let gone = apply(&fw, &state, &Value::Null, &Value::Null).await;
    assert!(gone.diagnostics.is_empty());
    assert_eq!(gone.new_state, Value::Null);
}

/// A resource whose planning names an attribute its schema lacks.
struct Misspelt;

#[async_trait]
impl Resource<Remote> for Misspelt {
    fn type_name(&self) -> &'static str {
        "fake_misspelt"
    }
    fn schema(&self) -> ResourceSchema {
        ResourceSchema::new(thing_schema()).stable(&["nmae"])
    }
    async fn create(&self, _: &OpContext<'_, Remote>, _: &Value, _: &Value) -> Outcome {
        Outcome::default()
    }
    async fn read(
        &self,
        _: &OpContext<'_, Remote>,
        _: &Value,
    ) -> Result<Option<Value>, Diagnostics> {
        Ok(None)
    }
    async fn update(&self, _: &OpContext<'_, Remote>, _: &Value, _: &Value, _: &Value) -> Outcome {
        Outcome::default()
    }
    async fn delete(&self, _: &OpContext<'_, Remote>, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
}

struct MisspeltProvider;

#[async_trait]
impl Provider for MisspeltProvider {
    type Client = Remote;
    fn schema(&self) -> Schema {
        FakeProvider.schema()
    }
    async fn configure(&self, _: &str, _: &Value) -> Result<Remote, Diagnostics> {
        Ok(Remote::default())
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<Remote>>> {
        vec![Arc::new(Misspelt)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Remote>>> {
        vec![]
    }
}

#[test]
fn a_misspelt_planning_name_stops_the_provider_at_start_up() {
    let err = Framework::check(&MisspeltProvider).expect_err("refused by the check");
    assert!(err.to_string().contains("\"nmae\""), "{err}");
    if cfg!(debug_assertions) {
        assert!(
            Framework::new(MisspeltProvider).is_err(),
            "a debug build checks at start-up"
        );
    }
}
