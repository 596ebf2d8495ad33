//! The demo: the whole private-link workflow against the embedded simulator, in one command.
//!
//! Builds the provider, starts the Fivetran simulator on a free local port with a few seconds
//! of provisioning time, applies `examples/quickstart` (private link -> connection -> pinned
//! certificate -> setup-tests gate), shows the outputs, changes the connection outside
//! Terraform and shows `terraform plan -detailed-exitcode` catching it, destroys everything,
//! and stops the simulator. The working directory is temporary and removed at the end.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use fivetran_sim::{presented_certificate, DurationRange, SimConfig, SimServer};

/// The database host the quickstart connects to; the simulator derives the certificate the
/// source presents from it, so the demo knows its SHA-256 up front, as a user would.
pub const DATABASE_HOST: &str = "orders-db.internal.example.com";

pub fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    step("Building the provider (cargo build)");
    let status = Command::new(env_or("CARGO", "cargo"))
        .current_dir(root)
        .args(["build", "-q", "-p", "terraform-provider-fivetran"])
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    ensure(status, "cargo build")?;
    let bin_dir = target_dir(root).join("debug");

    step("Starting the Fivetran API simulator");
    let mut config = SimConfig::default();
    config.knobs.provisioning = DurationRange::fixed(Duration::from_secs(4));
    config.knobs.update = DurationRange::fixed(Duration::from_secs(2));
    config.knobs.destroy = DurationRange::fixed(Duration::from_secs(2));
    let sim = SimServer::spawn(config).map_err(|e| format!("starting the simulator: {e}"))?;
    say(&format!(
        "Simulator listening at {} (private links take 4 s to provision)",
        sim.base_url()
    ));

    let work = std::env::temp_dir().join(format!("fivetran-demo-{}", std::process::id()));
    let result = run_in(root, &work, &bin_dir, &sim);
    let _ = std::fs::remove_dir_all(&work);
    sim.shutdown();
    match &result {
        Ok(()) => say(&format!(
            "Demo complete in {:.0} s: simulator stopped, temporary directory removed.",
            started.elapsed().as_secs_f64()
        )),
        Err(e) => say(&format!("Demo failed: {e}")),
    }
    result
}

fn run_in(root: &Path, work: &Path, bin_dir: &Path, sim: &SimServer) -> Result<(), String> {
    std::fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let quickstart = root.join("examples/quickstart");
    for entry in
        std::fs::read_dir(&quickstart).map_err(|e| format!("{}: {e}", quickstart.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "tf") {
            std::fs::copy(&path, work.join(path.file_name().expect("file name")))
                .map_err(|e| e.to_string())?;
        }
    }
    std::fs::write(
        work.join("cli.tfrc"),
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/fivetran/fivetran\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            bin_dir.display()
        ),
    )
    .map_err(|e| e.to_string())?;
    let cert = presented_certificate(DATABASE_HOST);
    let tf = Terraform {
        dir: work.to_path_buf(),
        env: vec![
            (
                "TF_CLI_CONFIG_FILE".into(),
                work.join("cli.tfrc").display().to_string(),
            ),
            ("FIVETRAN_API_URL".into(), sim.base_url()),
            ("FIVETRAN_APIKEY".into(), sim.api_key().to_string()),
            ("FIVETRAN_APISECRET".into(), sim.api_secret().to_string()),
            ("TF_VAR_group_id".into(), sim.group_id().to_string()),
            ("TF_VAR_database_host".into(), DATABASE_HOST.to_string()),
            (
                "TF_VAR_database_certificate_sha256".into(),
                cert.sha256.clone(),
            ),
            (
                "TF_VAR_database_password".into(),
                "demo-password-not-shown".into(),
            ),
            ("TF_IN_AUTOMATION".into(), "1".into()),
            ("CHECKPOINT_DISABLE".into(), "1".into()),
        ],
    };

    step("terraform apply: link -> wait until OK -> connection (paused) -> pin certificate -> setup tests -> unpause");
    say(&format!("The database at {DATABASE_HOST} presents a certificate with SHA-256 {}; the configuration pins it.", cert.sha256));
    let t = Instant::now();
    ensure(
        tf.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-compact-warnings",
        ])?,
        "terraform apply",
    )?;
    say(&format!("apply took {:.1} s", t.elapsed().as_secs_f64()));

    step("terraform output");
    ensure(tf.run(&["output"])?, "terraform output")?;

    step("A second plan right after the apply is empty (exit code 0)");
    let code = tf
        .run(&[
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-compact-warnings",
        ])?
        .code();
    say(&format!(
        "terraform plan -detailed-exitcode exited {}",
        code.unwrap_or(-1)
    ));
    if code != Some(0) {
        return Err("the plan after apply was not empty".into());
    }

    step("Someone changes the connection outside Terraform (port 5432 -> 6543)");
    let admin = sim.admin();
    let inventory = admin.inventory();
    let connection_id = inventory["connections"][0]["id"]
        .as_str()
        .ok_or("the simulator has no connection")?
        .to_string();
    admin
        .set_connection_config(&connection_id, "port", Some(serde_json::json!(6543)))
        .map_err(|e| format!("changing the connection: {e:?}"))?;

    step("terraform plan -refresh-only -detailed-exitcode catches the drift (exit code 2)");
    let code = tf
        .run(&[
            "plan",
            "-refresh-only",
            "-detailed-exitcode",
            "-input=false",
            "-compact-warnings",
        ])?
        .code();
    say(&format!("exited {}", code.unwrap_or(-1)));
    if code != Some(2) {
        return Err("the drift was not detected".into());
    }

    step("terraform destroy");
    ensure(
        tf.run(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-compact-warnings",
        ])?,
        "terraform destroy",
    )?;
    let left = admin.inventory();
    let leftover = ["private_links", "connections"]
        .iter()
        .map(|k| left[*k].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    say(&format!(
        "Objects left in the simulator after destroy: {leftover}"
    ));
    if leftover != 0 {
        return Err("destroy left objects behind".into());
    }
    Ok(())
}

struct Terraform {
    dir: PathBuf,
    env: Vec<(String, String)>,
}

impl Terraform {
    fn run(&self, args: &[&str]) -> Result<ExitStatus, String> {
        say(&format!("$ terraform {}", args.join(" ")));
        let mut cmd = Command::new("terraform");
        cmd.current_dir(&self.dir).args(args).stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.status()
            .map_err(|e| format!("running terraform (is it on PATH?): {e}"))
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

fn ensure(status: ExitStatus, what: &str) -> Result<(), String> {
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

#[allow(clippy::print_stdout)]
fn step(title: &str) {
    println!("\n=== {title}\n");
}

#[allow(clippy::print_stdout)]
fn say(text: &str) {
    println!("{text}");
}
