//! The one harness every end-to-end test goes through.
//!
//! A [`Workspace`] is a fresh temporary directory with its own Terraform CLI configuration:
//! `dev_overrides` points `fivetran/fivetran` at the provider binary cargo built for this test
//! run (`CARGO_BIN_EXE_terraform-provider-fivetran`), so no `terraform init` and no registry are
//! involved. [`Workspace::terraform`] runs the real `terraform` with a clean environment (no
//! inherited `FIVETRAN_*` or `TF_*` variables, plus whatever the test adds with
//! [`Workspace::env`]) and returns the exit code and output. [`Workspace::state`] reads the state
//! file as JSON. The directory is removed when the workspace is dropped, unless the test failed
//! and `E2E_KEEP=1` is set.
//!
//! The `terraform` binary is `terraform` on `PATH` unless the workspace is given another
//! ([`Workspace::using`]); [`terraforms`] lists every binary the version matrix runs on.

#![allow(dead_code)]

pub mod backend;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

mod terraform;
pub use terraform::{terraforms, Terraform};

/// The provider binary under test.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-fivetran"))
}

/// The result of one terraform command.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for assertions on messages.
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert_eq!(self.code, 0, "terraform failed:\n{}", self.output());
        self
    }

    #[track_caller]
    pub fn assert_failure(&self) -> &Self {
        assert_ne!(
            self.code,
            0,
            "terraform unexpectedly succeeded:\n{}",
            self.output()
        );
        self
    }
}

pub struct Workspace {
    dir: PathBuf,
    env: Vec<(String, String)>,
    terraform: PathBuf,
}

/// The `terraform` block every configuration starts with.
pub const REQUIRED_PROVIDERS: &str = r#"terraform {
  required_providers {
    fivetran = { source = "fivetran/fivetran" }
  }
}
"#;

/// Subcommands that accept `-no-color` right after their name.
const TAKES_NO_COLOR: &[&str] = &[
    "validate", "plan", "apply", "destroy", "import", "refresh", "show", "output",
];

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Workspace {
    /// A new workspace holding `main.tf`.
    pub fn new(main_tf: &str) -> Workspace {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("tfp-fivetran-e2e-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create workspace dir");
        let overrides = provider_binary()
            .parent()
            .expect("binary dir")
            .display()
            .to_string();
        let cli_config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/fivetran/fivetran\" = \"{overrides}\"\n  }}\n  direct {{}}\n}}\n"
        );
        std::fs::write(dir.join("cli.tfrc"), cli_config).expect("write cli config");
        let ws = Workspace {
            dir,
            env: Vec::new(),
            terraform: PathBuf::from("terraform"),
        };
        ws.write("main.tf", main_tf);
        ws
    }

    /// A workspace whose provider talks to `sim` (credentials and URL through the environment,
    /// as a user would set them). `body` is appended after the `terraform` block.
    pub fn with_sim(sim: &fivetran_sim::SimServer, body: &str) -> Workspace {
        Workspace::new(&format!("{REQUIRED_PROVIDERS}\n{body}"))
            .env("FIVETRAN_APIKEY", sim.api_key())
            .env("FIVETRAN_APISECRET", sim.api_secret())
            .env("FIVETRAN_API_URL", &sim.base_url())
    }

    /// `terraform apply -auto-approve -input=false`.
    pub fn apply(&self) -> Run {
        self.terraform(&["apply", "-auto-approve", "-input=false"])
    }

    /// `terraform plan -detailed-exitcode -input=false` (0 = no changes, 2 = changes).
    pub fn plan(&self) -> Run {
        self.terraform(&["plan", "-detailed-exitcode", "-input=false"])
    }

    /// `terraform destroy -auto-approve -input=false`.
    pub fn destroy(&self) -> Run {
        self.terraform(&["destroy", "-auto-approve", "-input=false"])
    }

    /// The attributes of the resource at `address` (e.g. `fivetran_private_link.pl`) in state.
    pub fn resource(&self, address: &str) -> serde_json::Value {
        let state = self.state();
        let (ty, name) = address.split_once('.').expect("address TYPE.NAME");
        state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["type"] == ty && r["name"] == name && r["mode"] == "managed")
            .map(|r| r["instances"][0].clone())
            .unwrap_or(serde_json::Value::Null)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes (or replaces) a file in the workspace.
    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir.join(name), content).expect("write workspace file");
    }

    /// Replaces `main.tf` with the `terraform` block followed by `body` (a changed
    /// configuration, as `with_sim` and `Backend::workspace` first wrote it).
    pub fn rewrite(&self, body: &str) {
        self.write("main.tf", &format!("{REQUIRED_PROVIDERS}\n{body}"));
    }

    /// Runs every later command with `terraform` instead of `terraform` on `PATH`.
    pub fn using(mut self, terraform: &Terraform) -> Self {
        self.terraform = terraform.path.clone();
        self
    }

    /// Adds an environment variable for every later terraform command.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Runs `terraform <args>` in the workspace (with `-no-color`; add `-input=false` yourself
    /// where the command takes it).
    pub fn terraform(&self, args: &[&str]) -> Run {
        let out = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("run {} (is it on PATH?): {e}", self.terraform.display()));
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `bash <script>` (a file in the workspace) with the environment every terraform
    /// command gets, `terraform` on `PATH` being this workspace's binary: for the examples'
    /// shell scripts, run as a user would.
    pub fn bash(&self, script: &str) -> Run {
        let mut cmd = Command::new("bash");
        cmd.current_dir(&self.dir).arg(script).stdin(Stdio::null());
        self.environment(&mut cmd);
        if let Some(dir) = self
            .terraform
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            let inherited = std::env::var_os("PATH").unwrap_or_default();
            let dirs = std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&inherited));
            cmd.env("PATH", std::env::join_paths(dirs).expect("PATH"));
        }
        let out = cmd.output().expect("run bash");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Starts `terraform <args>` without waiting (output goes to `<dir>/terraform.out`), for
    /// tests that interrupt it.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        let out = std::fs::File::create(self.dir.join("terraform.out")).expect("output file");
        let err = out.try_clone().expect("clone");
        self.command(args)
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("spawn terraform")
    }

    /// Like [`Workspace::spawn`], but Terraform leads a new process group (its pgid is its
    /// pid), as a shell's foreground job does: [`signal_group`] then reaches Terraform and the
    /// provider it starts at once, as Ctrl-C in a terminal does.
    pub fn spawn_in_own_group(&self, args: &[&str]) -> std::process::Child {
        use std::os::unix::process::CommandExt;
        let out = std::fs::File::create(self.dir.join("terraform.out")).expect("output file");
        let err = out.try_clone().expect("clone");
        self.command(args)
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .expect("spawn terraform")
    }

    /// What a spawned terraform printed so far.
    pub fn spawned_output(&self) -> String {
        std::fs::read_to_string(self.dir.join("terraform.out")).unwrap_or_default()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.terraform);
        cmd.current_dir(&self.dir).args(args.iter().take(1));
        if args.first().is_some_and(|c| TAKES_NO_COLOR.contains(c)) {
            cmd.arg("-no-color");
        }
        cmd.args(args.iter().skip(1)).stdin(Stdio::null());
        self.environment(&mut cmd);
        cmd
    }

    /// A clean environment: the basics, this workspace's CLI configuration, and what the
    /// test added with [`Workspace::env`].
    fn environment(&self, cmd: &mut Command) {
        cmd.env_clear();
        for key in ["PATH", "HOME", "TMPDIR", "LANG"] {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        cmd.env("TF_CLI_CONFIG_FILE", self.dir.join("cli.tfrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
    }

    /// The state file as JSON (`null` when there is none).
    pub fn state(&self) -> serde_json::Value {
        match std::fs::read(self.dir.join("terraform.tfstate")) {
            Ok(bytes) => serde_json::from_slice(&bytes).expect("state is JSON"),
            Err(_) => serde_json::Value::Null,
        }
    }

    /// The state file's text (for secret-leak checks).
    pub fn state_text(&self) -> String {
        std::fs::read_to_string(self.dir.join("terraform.tfstate")).unwrap_or_default()
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if std::thread::panicking() && std::env::var("E2E_KEEP").is_ok_and(|v| v == "1") {
            eprintln!("keeping workspace {}", self.dir.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
pub fn wait_until(timeout: std::time::Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Sends `signal` (e.g. "INT", "KILL") to a process with the system's `kill` command.
pub fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Sends `signal` to every process of the group `pgid` (`kill -SIG -- -PGID`).
pub fn signal_group(pgid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pgid}"))
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{signal} -- -{pgid} failed");
}

/// The process group of a running process (field 5 of `/proc/PID/stat`).
pub fn process_group_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(2))
        .and_then(|p| p.parse().ok())
}

/// Pids of running processes whose parent is `parent` and whose command line contains `needle`.
pub fn children_named(parent: u32, needle: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Field 4 (after the parenthesised command name) is the parent pid.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if ppid == Some(parent) && cmdline.contains(needle) {
            found.push(pid);
        }
    }
    found
}
