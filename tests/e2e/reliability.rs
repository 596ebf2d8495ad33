//! Faults, interruptions and secrets: nothing lost, nothing orphaned, nothing leaked.

use std::time::Duration;

use fivetran_sim::{DurationRange, SimConfig, SimServer};

use crate::harness::{
    children_named, signal, signal_group, wait_until, Workspace, REQUIRED_PROVIDERS,
};

fn link(name: &str) -> String {
    format!(
        r#"
resource "fivetran_private_link" "{name}" {{
  name    = "{name}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {{
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-{name}"
  }}
}}
"#
    )
}

fn link_count(sim: &SimServer) -> usize {
    sim.admin().inventory()["private_links"]
        .as_array()
        .map_or(0, Vec::len)
}

fn sim(provisioning: Duration) -> SimServer {
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(provisioning);
    SimServer::spawn(config).expect("simulator")
}

#[test]
fn ctrl_c_to_the_process_group_during_a_wait_stops_at_once_keeps_the_id_and_converges() {
    // Provisioning takes a minute; a provider that ignored Stop would keep waiting for it.
    let sim = sim(Duration::from_secs(60));
    let ws = Workspace::with_sim(&sim, &link("pl"));
    let mut apply = ws.spawn_in_own_group(&["apply", "-auto-approve", "-input=false"]);
    let pgid = apply.id();
    // The wait has begun once the link exists and the provider has polled it.
    assert!(
        wait_until(Duration::from_secs(60), || {
            link_count(&sim) == 1 && sim.admin().count("GET /v1/private-links/{privateLinkId}") > 0
        }),
        "the link was never created and polled:\n{}",
        ws.spawned_output()
    );
    let providers = children_named(apply.id(), "terraform-provider-fivetran");
    assert_eq!(
        providers.len(),
        1,
        "one provider process expected: {providers:?}"
    );
    assert_eq!(
        crate::harness::process_group_of(providers[0]),
        Some(pgid),
        "the provider shares Terraform's process group, as under a terminal"
    );
    let interrupted = std::time::Instant::now();
    signal_group(pgid, "INT");
    let status = loop {
        if let Some(s) = apply.try_wait().expect("terraform status") {
            break s;
        }
        if interrupted.elapsed() > Duration::from_secs(15) {
            let _ = apply.kill();
            panic!(
                "terraform still running 15 s after Ctrl-C (provisioning takes 60 s):\n{}",
                ws.spawned_output()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = interrupted.elapsed();
    let output = ws.spawned_output();
    assert!(
        !status.success(),
        "an interrupted apply must not report success:\n{output}"
    );
    assert!(
        output.contains("Error: Interrupted")
            && output.contains("is recorded in the state; apply again to continue"),
        "the cancellation diagnostic must be shown:\n{output}"
    );
    assert!(
        !output.contains("plugin crashed") && !output.contains("Plugin did not respond"),
        "the provider must survive SIGINT and answer Stop:\n{output}"
    );
    eprintln!("Ctrl-C to the process group: terraform exited {took:?} later");
    let id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .map(str::to_string);
    let created = sim.admin().inventory()["private_links"][0]["id"]
        .as_str()
        .map(str::to_string);
    assert!(
        id.is_some(),
        "the id must be in state after Ctrl-C:\n{output}"
    );
    assert_eq!(
        id, created,
        "the state holds the id of the link that was made"
    );
    // The provisioning finishes (a link still CREATING cannot be deleted), Terraform has
    // tainted the interrupted link, and the next apply replaces it: the recorded one is
    // destroyed, so nothing is orphaned.
    sim.admin()
        .set_private_link_state(id.as_deref().unwrap_or_default(), "OK", None)
        .expect("finish provisioning");
    sim.admin()
        .update_knobs(|k| k.provisioning = DurationRange::ZERO);
    ws.apply().assert_success();
    assert_eq!(link_count(&sim), 1, "no duplicate, nothing orphaned");
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn a_provider_killed_mid_create_is_adopted_by_the_next_apply() {
    // Long enough to kill the provider while it waits; the adopted link then becomes OK
    // during the next apply's wait.
    let sim = sim(Duration::from_secs(4));
    let ws = Workspace::with_sim(&sim, &link("pl"));
    let mut apply = ws.spawn(&["apply", "-auto-approve", "-input=false"]);
    assert!(
        wait_until(Duration::from_secs(60), || link_count(&sim) == 1),
        "the link was never created"
    );
    let providers = children_named(apply.id(), "terraform-provider-fivetran");
    assert_eq!(
        providers.len(),
        1,
        "one provider process expected: {providers:?}"
    );
    signal(providers[0], "KILL");
    let status = apply.wait().expect("terraform exits");
    assert!(!status.success());
    let run = ws.apply();
    run.assert_success();
    assert!(
        run.output().contains("Adopted an Existing Private Link"),
        "{}",
        run.output()
    );
    assert_eq!(
        link_count(&sim),
        1,
        "the link must be adopted, not duplicated"
    );
    assert_eq!(ws.plan().code, 0);
    ws.destroy().assert_success();
    assert_eq!(link_count(&sim), 0);
}

/// Whether `pid` is a live process (not gone, not a zombie waiting for its reaper).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

#[test]
fn a_provider_whose_terraform_dies_exits_on_its_own() {
    // Terraform killed outright (OOM killer, a CI runner's SIGKILL) never calls Shutdown;
    // the provider, mid-wait on a link that provisions for a minute, must not linger.
    let sim = sim(Duration::from_secs(60));
    let ws = Workspace::with_sim(&sim, &link("pl"));
    let mut apply = ws.spawn(&["apply", "-auto-approve", "-input=false"]);
    assert!(
        wait_until(Duration::from_secs(60), || {
            link_count(&sim) == 1 && sim.admin().count("GET /v1/private-links/{privateLinkId}") > 0
        }),
        "the link was never created and polled:\n{}",
        ws.spawned_output()
    );
    let providers = children_named(apply.id(), "terraform-provider-fivetran");
    assert_eq!(
        providers.len(),
        1,
        "one provider process expected: {providers:?}"
    );
    let provider = providers[0];
    signal(apply.id(), "KILL");
    let _ = apply.wait();
    let killed = std::time::Instant::now();
    if !wait_until(Duration::from_secs(15), || !running(provider)) {
        signal(provider, "KILL");
        panic!("the provider still ran 15 s after its Terraform died");
    }
    eprintln!(
        "provider exited {:?} after its Terraform was killed",
        killed.elapsed()
    );
}

#[test]
fn a_provider_bug_shows_terraform_s_crash_report_and_other_operations_land() {
    // A debug build panics on purpose in the connection's apply (release builds have no
    // such switch); the link provisions meanwhile, in the same process.
    let sim = sim(Duration::from_secs(2));
    let body = format!(
        r#"{}
resource "fivetran_connection" "c" {{
  group_id      = "{}"
  service       = "postgres"
  schema_prefix = "crash"
  config        = {{ host = "db.example.com", port = 5432, database = "db", user = "fivetran" }}
}}
"#,
        link("pl"),
        sim.group_id()
    );
    let ws = Workspace::with_sim(&sim, &body).env(
        terraform_provider_fivetran::protocol::server::DELIBERATE_PANIC_VAR,
        "ApplyResourceChange:fivetran_connection",
    );
    let run = ws.apply();
    run.assert_failure();
    let out = run.output();
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Error: Provider Bug")
            && flat.contains("in ApplyResourceChange for fivetran_connection: deliberate panic")
            && flat.contains("with fivetran_connection.c"),
        "the failing operation gets a diagnostic naming the bug, on its resource:\n{out}"
    );
    assert!(
        out.contains("Stack trace from the terraform-provider-fivetran plugin:")
            && out.contains("panic: ")
            && out.contains("Error: The terraform-provider-fivetran plugin crashed!"),
        "Terraform's crash report:\n{out}"
    );
    assert!(!out.contains("Request cancelled"), "{out}");
    // The link provisioning beside it finished and is recorded.
    let link_id = ws.resource("fivetran_private_link.pl")["attributes"]["id"]
        .as_str()
        .map(str::to_string);
    assert!(link_id.is_some(), "{out}");
    assert_eq!(link_count(&sim), 1);
    assert!(ws.resource("fivetran_connection.c").is_null());
    // Without the bug, the next apply converges.
    let ws = ws.env(
        terraform_provider_fivetran::protocol::server::DELIBERATE_PANIC_VAR,
        "",
    );
    ws.apply().assert_success();
    assert_eq!(link_count(&sim), 1);
    assert_eq!(ws.plan().code, 0);
}

#[test]
fn trace_logs_never_contain_the_api_secret() {
    let sim = sim(Duration::ZERO);
    let secret = sim.api_secret().to_string();
    let basic = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", sim.api_key(), secret))
    };
    let ws = Workspace::with_sim(&sim, &link("pl")).env("TF_LOG", "trace");
    let log = ws.dir().join("trace.log");
    let ws = ws.env("TF_LOG_PATH", &log.display().to_string());
    let mut outputs = String::new();
    for (what, run) in [
        ("apply", ws.apply()),
        ("plan", ws.plan()),
        ("destroy", ws.destroy()),
    ] {
        assert_eq!(run.code, 0, "{what} must succeed:\n{}", run.output());
        outputs.push_str(&run.output());
    }
    let logs = std::fs::read_to_string(&log).expect("trace log");
    assert!(
        logs.contains("provider.terraform-provider-fivetran"),
        "provider logs must reach Terraform's log"
    );
    for haystack in [&logs, &outputs, &ws.state_text()] {
        assert!(!haystack.contains(&secret), "the API secret leaked");
        assert!(!haystack.contains(&basic), "the Basic auth header leaked");
    }
}

#[test]
fn faults_are_absorbed_by_retries_and_nothing_is_orphaned() {
    let sim = sim(Duration::from_millis(300));
    let body: String = (0..8).map(|i| link(&format!("pl{i}"))).collect();
    let ws = Workspace::new(&format!("{REQUIRED_PROVIDERS}\n{body}\nprovider \"fivetran\" {{\n  requests_per_second = 200\n  request_burst = 50\n}}\n"))
        .env("FIVETRAN_APIKEY", sim.api_key())
        .env("FIVETRAN_APISECRET", sim.api_secret())
        .env("FIVETRAN_API_URL", &sim.base_url());
    sim.admin().update_knobs(|k| {
        k.faults.error_500 = 0.03;
        k.faults.error_503 = 0.02;
        k.faults.drop = 0.05;
        k.latency = DurationRange::between(Duration::ZERO, Duration::from_millis(30));
    });
    // Random draws may spare a short run; one fault of each kind strikes regardless.
    for kind in [
        fivetran_sim::FaultKind::Drop,
        fivetran_sim::FaultKind::Error500,
        fivetran_sim::FaultKind::Error503,
    ] {
        sim.admin()
            .script_fault(Some("POST /v1/private-links"), kind, 1);
    }
    ws.apply().assert_success();
    assert_eq!(ws.plan().code, 0, "a plan after the apply must be empty");
    ws.destroy().assert_success();
    sim.admin().update_knobs(|k| k.faults = Default::default());
    assert_eq!(link_count(&sim), 0, "destroy must leave nothing behind");
    let injected: u64 = sim
        .admin()
        .injected_faults()
        .values()
        .flat_map(|kinds| kinds.values())
        .sum();
    eprintln!(
        "faults injected: {injected}, requests: {}",
        sim.admin().counters().total
    );
    assert!(
        injected >= 3,
        "the test must actually inject faults ({injected})"
    );
}

#[test]
fn a_hundred_links_at_parallelism_50_all_land_exactly_once() {
    let sim = sim(Duration::from_millis(200));
    let body = r#"
provider "fivetran" {
  requests_per_second = 500
  request_burst       = 100
}

resource "fivetran_private_link" "many" {
  count   = 100
  name    = "many_${count.index}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config = {
    connection_service_name = "svc-${count.index}"
  }
}
"#;
    let ws = Workspace::with_sim(&sim, body);
    ws.terraform(&["apply", "-auto-approve", "-input=false", "-parallelism=50"])
        .assert_success();
    let links = sim.admin().inventory()["private_links"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(links.len(), 100, "every link exactly once");
    for l in &links {
        let name = l["name"].as_str().expect("name");
        let index = name.trim_start_matches("many_");
        assert_eq!(
            l["config"]["connection_service_name"],
            format!("svc-{index}"),
            "no lost or crossed update"
        );
        assert_eq!(l["state"], "OK");
    }
    assert_eq!(
        ws.terraform(&[
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-parallelism=50"
        ])
        .code,
        0
    );
    ws.terraform(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        "-parallelism=50",
    ])
    .assert_success();
    assert_eq!(link_count(&sim), 0);
}

/// `count` full private-link stacks: link -> connection -> certificate pin -> gate.
fn stacks(sim: &SimServer, count: usize) -> String {
    let mut body = String::from(
        "provider \"fivetran\" {\n  requests_per_second = 500\n  request_burst       = 100\n}\n",
    );
    for i in 0..count {
        let host = format!("db-{i}.stack.example.com");
        let sha = fivetran_sim::presented_certificate(&host).sha256;
        body.push_str(&format!(
            r#"
resource "fivetran_private_link" "s{i}" {{
  name    = "stack_{i}"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config  = {{ connection_service_name = "svc-{i}" }}
}}

resource "fivetran_connection" "s{i}" {{
  group_id          = "{group}"
  service           = "postgres"
  schema_prefix     = "stack_{i}"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.s{i}.id
  config            = {{ host = "{host}", port = 5432, database = "db", user = "fivetran" }}
  config_secrets    = {{ password = "stack-secret-{i}" }}
}}

resource "fivetran_connection_certificate" "s{i}" {{
  connection_id = fivetran_connection.s{i}.id
  sha256        = "{sha}"
}}

resource "fivetran_connection_setup_tests" "s{i}" {{
  connection_id = fivetran_connection.s{i}.id
  paused        = false
  depends_on    = [fivetran_connection_certificate.s{i}]
}}
"#,
            group = sim.group_id()
        ));
    }
    body
}

/// The create endpoints of a stack, where a lost answer may hide a created object.
const CREATE_ENDPOINTS: [&str; 2] = ["POST /v1/private-links", "POST /v1/connections"];
/// Every POST a stack sends: the creates and the repeatable approval and setup-test calls.
const STACK_POSTS: [&str; 4] = [
    "POST /v1/private-links",
    "POST /v1/connections",
    "POST /v1/connections/{connectionId}/certificates",
    "POST /v1/connections/{connectionId}/test",
];

/// The `diagnostic` messages of a `terraform <command> -json` run: (severity, summary, detail).
fn json_diagnostics(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["type"] == "diagnostic")
        .map(|m| {
            let d = &m["diagnostic"];
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (text("severity"), text("summary"), text("detail"))
        })
        .collect()
}

#[test]
fn thirty_full_stacks_under_faults_before_and_after_commit_converge_exactly_once() {
    let started = std::time::Instant::now();
    let mut config = SimConfig::instant();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_millis(200));
    // Keep every request: the figures below are read from the whole log.
    config.request_log_capacity = 1_000_000;
    let sim = SimServer::spawn(config).expect("simulator");
    let ws = Workspace::with_sim(&sim, &stacks(&sim, 30));
    let admin = sim.admin();
    admin.update_knobs(|k| {
        // Before the handler, as before: nothing is made, the answer is an error.
        k.faults.error_500 = 0.02;
        k.faults.error_502 = 0.015;
        k.faults.error_503 = 0.015;
        k.faults.drop = 0.05;
        // After the handler: the object is made and its answer lost, 5% on every POST.
        k.faults.after_commit.drop = 0.02;
        k.faults.after_commit.error_500 = 0.01;
        k.faults.after_commit.error_502 = 0.01;
        k.faults.after_commit.error_504 = 0.01;
        k.faults.after_commit.endpoints = STACK_POSTS.iter().map(|e| e.to_string()).collect();
        k.latency = DurationRange::between(Duration::ZERO, Duration::from_millis(20));
    });
    // A random 5% may miss 30 creates; these make sure each create endpoint loses answers.
    for endpoint in CREATE_ENDPOINTS {
        admin.script_fault(Some(endpoint), fivetran_sim::FaultKind::AfterDrop, 1);
        admin.script_fault(Some(endpoint), fivetran_sim::FaultKind::After504, 1);
    }
    let apply = ws.terraform(&[
        "apply",
        "-json",
        "-auto-approve",
        "-input=false",
        "-parallelism=20",
    ]);
    assert_eq!(apply.code, 0, "the apply must succeed:\n{}", apply.output());
    let diagnostics = json_diagnostics(&apply.stdout);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.0 == "error").collect();
    assert!(
        errors.is_empty(),
        "no failure may reach the user: {errors:?}"
    );

    // Exactly 30 of each kind, each name once.
    let inv = admin.inventory();
    for (kind, field) in [("private_links", "name"), ("connections", "schema")] {
        let mut names: Vec<String> = inv[kind]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| o[field].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(names.len(), 30, "exactly 30 {kind}: {names:?}");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 30, "duplicate {kind}");
    }

    // Every lost answer to a create that made an object was adopted, and reported.
    let requests = admin.requests();
    for (endpoint, summary) in [
        ("POST /v1/private-links", "Adopted an Existing Private Link"),
        ("POST /v1/connections", "Adopted an Existing Connection"),
    ] {
        let lost = requests
            .iter()
            .filter(|r| r.endpoint == endpoint && r.fault.is_some_and(|f| f.starts_with("after-")))
            .filter(|r| r.handler_status == Some(201))
            .count();
        let reported = diagnostics
            .iter()
            .filter(|d| d.0 == "warning" && d.1 == summary)
            .count();
        assert!(
            lost >= 2,
            "{endpoint}: the scripted lost answers must fire ({lost})"
        );
        assert_eq!(
            reported, lost,
            "{endpoint}: one '{summary}' warning per object whose answer was lost"
        );
        eprintln!("{endpoint}: {lost} answers lost after the object was made, {reported} adoptions reported");
    }
    let before = requests
        .iter()
        .filter(|r| r.fault.is_some_and(|f| !f.starts_with("after-")))
        .count();
    let after = requests
        .iter()
        .filter(|r| r.fault.is_some_and(|f| f.starts_with("after-")))
        .count();
    assert!(before > 0, "faults before the handler must fire too");

    let plan = ws.terraform(&[
        "plan",
        "-detailed-exitcode",
        "-input=false",
        "-parallelism=20",
    ]);
    assert_eq!(
        plan.code,
        0,
        "a plan after the apply must be empty:\n{}",
        plan.output()
    );
    ws.terraform(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        "-parallelism=20",
    ])
    .assert_success();
    admin.update_knobs(|k| k.faults = Default::default());
    let inv = admin.inventory();
    for kind in ["private_links", "connections"] {
        assert_eq!(
            inv[kind].as_array().map_or(0, Vec::len),
            0,
            "orphaned {kind}: {inv}"
        );
    }
    eprintln!(
        "fault run: 30 links + 30 connections, {} requests in the apply, {before} faults before the handler, {after} after it, 0 failures shown, 0 duplicates, 0 orphans, empty plan, {:.1}s",
        requests.len(),
        started.elapsed().as_secs_f64()
    );
}

/// One of each of the seven resource types: a link, a connection on it with a certificate pin
/// and a gate, a tunnelled connection with a host-key pin, and the destination's two pins.
fn every_type(sim: &SimServer) -> String {
    let g = sim.group_id();
    sim.admin()
        .set_destination_host(
            g,
            "oob-warehouse.example.com",
            Some("oob-dw-bastion.example.com"),
        )
        .expect("destination host");
    format!(
        r#"
resource "fivetran_private_link" "pl" {{
  name    = "oob_link"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config  = {{ connection_service_name = "svc-oob" }}
}}

resource "fivetran_connection" "c" {{
  group_id          = "{g}"
  service           = "postgres"
  schema_prefix     = "oob_linked"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.pl.id
  config            = {{ host = "oob-db.example.com", port = 5432, database = "db", user = "fivetran" }}
}}

resource "fivetran_connection_certificate" "c" {{
  connection_id = fivetran_connection.c.id
  sha256        = "{cert}"
}}

resource "fivetran_connection_setup_tests" "c" {{
  connection_id = fivetran_connection.c.id
  paused        = false
  depends_on    = [fivetran_connection_certificate.c]
}}

resource "fivetran_connection" "t" {{
  group_id      = "{g}"
  service       = "postgres"
  schema_prefix = "oob_tunnelled"
  config        = {{ host = "oob-tunnel-db.example.com", port = 5432, database = "db", user = "fivetran", tunnel_host = "oob-bastion.example.com", tunnel_port = 22, tunnel_user = "fivetran" }}
}}

resource "fivetran_connection_fingerprint" "t" {{
  connection_id = fivetran_connection.t.id
  public_key    = "{key}"
}}

resource "fivetran_destination_fingerprint" "d" {{
  destination_id = "{g}"
  public_key     = "{dest_key}"
}}

resource "fivetran_destination_certificate" "d" {{
  destination_id = "{g}"
  sha256         = "{dest_cert}"
}}
"#,
        cert = fivetran_sim::presented_certificate("oob-db.example.com").sha256,
        key = fivetran_sim::presented_host_key("oob-bastion.example.com").public_key,
        dest_key = fivetran_sim::presented_host_key("oob-dw-bastion.example.com").public_key,
        dest_cert = fivetran_sim::presented_certificate("oob-warehouse.example.com").sha256,
    )
}

/// The addresses a plan says it will create, in order.
fn planned_creations(plan: &str) -> Vec<String> {
    let mut created: Vec<String> = plan
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("# ")
                .and_then(|l| l.strip_suffix(" will be created"))
                .map(str::to_string)
        })
        .collect();
    created.sort();
    created
}

#[test]
fn out_of_band_deletion_of_every_type_plans_recreation_and_destroy_still_succeeds() {
    use fivetran_sim::ParentKind::{Connection, Destination};
    let sim = sim(Duration::ZERO);
    let g = sim.group_id().to_string();
    let ws = Workspace::with_sim(&sim, &every_type(&sim));
    ws.apply().assert_success();
    let id = |address: &str| {
        ws.resource(address)["attributes"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{address} in state"))
            .to_string()
    };
    let (link, linked, tunnelled) = (
        id("fivetran_private_link.pl"),
        id("fivetran_connection.c"),
        id("fivetran_connection.t"),
    );
    let cert = fivetran_sim::presented_certificate("oob-db.example.com").hash;
    let key = fivetran_sim::presented_host_key("oob-bastion.example.com").hash;
    let dest_key = fivetran_sim::presented_host_key("oob-dw-bastion.example.com").hash;
    let dest_cert = fivetran_sim::presented_certificate("oob-warehouse.example.com").hash;
    let admin = sim.admin();
    let revoke_every_approval = || {
        admin
            .revoke_certificate(Connection, &linked, &cert)
            .expect("connection certificate");
        admin
            .revoke_fingerprint(Connection, &tunnelled, &key)
            .expect("connection fingerprint");
        admin
            .revoke_fingerprint(Destination, &g, &dest_key)
            .expect("destination fingerprint");
        admin
            .revoke_certificate(Destination, &g, &dest_cert)
            .expect("destination certificate");
    };

    // The four approvals, each on its own: exactly they are planned again.
    revoke_every_approval();
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert_eq!(
        planned_creations(&plan.stdout),
        [
            "fivetran_connection_certificate.c",
            "fivetran_connection_fingerprint.t",
            "fivetran_destination_certificate.d",
            "fivetran_destination_fingerprint.d",
        ],
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("4 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply().assert_success();
    let again = ws.plan();
    assert_eq!(
        again.code, 0,
        "converged after re-approving:\n{}",
        again.stdout
    );

    // The link and both connections (a connection takes its approvals and its gate's
    // subject with it): everything built on them is planned again, the destination's pins
    // are left alone.
    for object in [&linked, &tunnelled, &link] {
        admin.delete_object(object).expect("delete out of band");
    }
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert_eq!(
        planned_creations(&plan.stdout),
        [
            "fivetran_connection.c",
            "fivetran_connection.t",
            "fivetran_connection_certificate.c",
            "fivetran_connection_fingerprint.t",
            "fivetran_connection_setup_tests.c",
            "fivetran_private_link.pl",
        ],
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("6 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );

    // Everything gone outside Terraform, and destroy not even told (no refresh): every
    // type's delete finds its object gone and succeeds.
    admin
        .revoke_fingerprint(Destination, &g, &dest_key)
        .expect("destination fingerprint");
    admin
        .revoke_certificate(Destination, &g, &dest_cert)
        .expect("destination certificate");
    let destroy = ws.terraform(&["destroy", "-auto-approve", "-input=false", "-refresh=false"]);
    destroy.assert_success();
    assert!(
        destroy.stdout.contains("8 destroyed"),
        "every resource's delete ran: {}",
        destroy.stdout
    );
    assert_eq!(ws.state()["resources"].as_array().map_or(0, Vec::len), 0);
}

/// Seconds since the Unix epoch of an RFC 3339 UTC timestamp such as `2026-11-24T21:02:24.692877Z`.
#[test]
fn a_rate_limited_api_never_shows_a_429_and_is_used_near_its_limit() {
    const LIMIT: u32 = 15;
    const MAX_UNSCRIPTED_429: usize = 2;
    let sim = sim(Duration::from_millis(200));
    let body = stacks(&sim, 8).replace(
        "requests_per_second = 500\n  request_burst       = 100",
        // Just under the API's limit, as a user who knows it would set it: a bucket at the
        // limit itself overshoots a fixed window by its burst, and every such 429 closes
        // the client for its Retry-After.
        &format!(
            "requests_per_second = {}\n  request_burst       = 1",
            LIMIT - 1
        ),
    );
    let ws = Workspace::with_sim(&sim, &body);
    sim.admin().update_knobs(|k| {
        k.rate_limit = Some(fivetran_sim::RateLimit {
            max: LIMIT,
            window_secs: 1,
        })
    });
    // The client's own limiter may keep under the limit; these 429s reach it regardless,
    // on the endpoints where a repeat could create a second object.
    for endpoint in CREATE_ENDPOINTS {
        sim.admin()
            .script_fault(Some(endpoint), fivetran_sim::FaultKind::TooManyRequests, 3);
    }
    let apply = ws.terraform(&["apply", "-auto-approve", "-input=false", "-parallelism=20"]);
    apply.assert_success();
    assert!(
        !apply.output().contains("429") && !apply.output().contains("TooManyRequests"),
        "no 429 may reach the user:\n{}",
        apply.output()
    );
    let requests = sim.admin().requests();
    let throttled = requests.iter().filter(|r| r.status == 429).count();
    for endpoint in CREATE_ENDPOINTS {
        let refused = requests
            .iter()
            .filter(|r| r.endpoint == endpoint && r.status == 429 && r.fault.is_some())
            .count();
        assert_eq!(
            refused, 3,
            "{endpoint}: the scripted 429s must be met and answered"
        );
    }
    let inv = sim.admin().inventory();
    for kind in ["private_links", "connections"] {
        assert_eq!(
            inv[kind].as_array().map_or(0, Vec::len),
            8,
            "every {kind} exactly once after the 429s"
        );
    }
    // The API's own 429s (not scripted) say the client overran the limit: a bucket of 14/s
    // with a burst of 1 keeps within 15 per second, so at most a stray one from scheduling
    // jitter. A bucket that let bursts through would earn many.
    let unscripted = requests
        .iter()
        .filter(|r| r.status == 429 && r.fault.is_none())
        .count();
    assert!(
        unscripted <= MAX_UNSCRIPTED_429,
        "{unscripted} requests overran the API's limit and were refused"
    );
    let seconds = |r: &fivetran_sim::RequestRecord| r.at_unix_ms as f64 / 1000.0;
    let start = requests.iter().map(seconds).fold(f64::MAX, f64::min);
    let span = requests.iter().map(seconds).fold(f64::MIN, f64::max) - start;
    // Time the API told the client to hold back with the scripted 429s: each closes its
    // class for its Retry-After (1 s), which the client must honour. The API's own 429s
    // earn no such allowance: the client caused them, so their holds count against it.
    let mut held: Vec<(f64, f64)> = requests
        .iter()
        .filter(|r| r.status == 429 && r.fault.is_some())
        .map(|r| {
            let t = seconds(r) - start;
            (t, (t + 1.0).min(span))
        })
        .collect();
    held.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut idle = 0.0;
    let mut reach = f64::MIN;
    for (from, to) in held {
        let from = from.max(reach);
        if to > from {
            idle += to - from;
            reach = to;
        }
    }
    // Only answered requests count as use: a refused one did no work.
    let answered = requests.iter().filter(|r| r.status != 429).count();
    let achieved = answered as f64 / (span - idle).max(1.0);
    eprintln!(
        "rate limit {LIMIT}/s: {} requests ({answered} answered, {throttled} refused with 429 of which {unscripted} not scripted) in {span:.1} s; {idle:.1} s held back by the scripted Retry-After; {achieved:.1}/s of the rest ({:.0}% of the limit)",
        requests.len(),
        100.0 * achieved / f64::from(LIMIT)
    );
    assert!(
        achieved >= 0.7 * f64::from(LIMIT),
        "the API must be used near its limit when it allows requests: {achieved:.1}/s of {LIMIT}/s"
    );
    ws.terraform(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        "-parallelism=20",
    ])
    .assert_success();
}

#[test]
fn no_secret_of_any_resource_type_reaches_output_logs_or_state() {
    let sim = sim(Duration::ZERO);
    let host = "secret-db.example.com";
    let cert = fivetran_sim::presented_certificate(host);
    let key = fivetran_sim::presented_host_key("bastion.secret.example.com");
    let body = format!(
        r#"
resource "fivetran_private_link" "pl" {{
  name    = "secret_link"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"
  config  = {{ connection_service_name = "svc" }}
}}

resource "fivetran_connection" "c" {{
  group_id          = "{group}"
  service           = "postgres"
  schema_prefix     = "secrets"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.pl.id
  config            = {{ host = "{host}", port = 5432, user = "fivetran", tunnel_host = "bastion.secret.example.com" }}
  config_secrets    = {{ password = "sensitive-password-123" }}
  config_secrets_wo = {{ private_key = "write-only-key-456" }}
  config_secrets_wo_version = 1
}}

resource "fivetran_connection_fingerprint" "f" {{
  connection_id = fivetran_connection.c.id
  public_key    = "{public_key}"
}}

resource "fivetran_connection_certificate" "cert" {{
  connection_id = fivetran_connection.c.id
  hash          = "{hash}"
  encoded_cert  = "{encoded}"
}}

resource "fivetran_connection_setup_tests" "g" {{
  connection_id = fivetran_connection.c.id
  paused        = false
  depends_on    = [fivetran_connection_certificate.cert, fivetran_connection_fingerprint.f]
}}
"#,
        group = sim.group_id(),
        public_key = key.public_key,
        hash = cert.hash,
        encoded = cert.encoded_cert,
    );
    let log = std::env::temp_dir().join(format!("tfp-secrets-{}.log", std::process::id()));
    let ws = Workspace::with_sim(&sim, &body)
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", &log.display().to_string());
    let mut outputs = String::new();
    for (what, run) in [
        ("apply", ws.apply()),
        ("plan", ws.plan()),
        ("destroy", ws.destroy()),
    ] {
        outputs.push_str(&run.output());
        assert_eq!(
            run.code,
            0,
            "{what} must succeed (plan: empty):\n{}",
            run.output()
        );
    }
    let logs = std::fs::read_to_string(&log).expect("trace log");
    let _ = std::fs::remove_file(&log);
    let basic = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            sim.api_key(),
            sim.api_secret()
        ))
    };
    for (what, secret) in [
        ("API secret", sim.api_secret()),
        ("Basic auth header", basic.as_str()),
        ("sensitive config secret", "sensitive-password-123"),
        ("write-only config secret", "write-only-key-456"),
    ] {
        assert!(!logs.contains(secret), "{what} in the trace log");
        assert!(!outputs.contains(secret), "{what} in terraform's output");
    }
    // Write-only values never reach the state file, not even while the objects existed.
    ws.apply().assert_success();
    let state = ws.state_text();
    assert!(
        !state.contains("write-only-key-456"),
        "write-only secret in state"
    );
    assert!(
        !state.contains(&cert.encoded_cert),
        "write-only encoded_cert in state"
    );
    ws.destroy().assert_success();
}
