//! `cargo run -p xtask -- <task>`: demo, package, install, docs. See `help`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use xtask::{install_into_mirror, package, provider_version, workspace_root};

const HELP: &str = "Project tasks (run with: cargo run -p xtask -- <task>)

  demo                 Build the provider, start the Fivetran simulator, apply examples/quickstart,
                       show drift detection, destroy, and clean up.
  package              Build the release binary and write registry-shaped artifacts to dist/:
                       terraform-provider-fivetran_<version>_linux_amd64.zip, _SHA256SUMS, _manifest.json.
  install [MIRROR]     Package, then install into a filesystem mirror (default ~/.terraform.d/plugins,
                       which Terraform searches by itself) so `terraform init` finds
                       registry.terraform.io/fivetran/fivetran.
  docs                 Regenerate the Registry documentation in docs/ from the provider's schemas,
                       examples/ and templates/ (a test fails while docs/ is stale).
  help                 This text.";

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("demo") => xtask::demo::run(&root),
        Some("package") => build_and_package(&root).map(|a| println!("wrote {}\n      {}\n      {}", a.zip.display(), a.sha256sums.display(), a.manifest.display())),
        Some("install") => build_and_package(&root).and_then(|a| {
            let mirror = args.get(1).map(PathBuf::from).unwrap_or_else(default_mirror);
            let path = install_into_mirror(&a.zip, &mirror)?;
            println!("installed {}\nUse it with:\n  terraform {{ required_providers {{ fivetran = {{ source = \"fivetran/fivetran\" }} }} }}\nthen `terraform init`.", path.display());
            Ok(())
        }),
        Some("docs") => xtask::docs::write_all(&root).map(|pages| {
            println!("wrote {} pages under {}", pages.len(), root.join("docs").display())
        }),
        Some("help") | Some("--help") | None => {
            println!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task {other:?}\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build_and_package(root: &std::path::Path) -> Result<xtask::Artifacts, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["build", "--release", "-p", "terraform-provider-fivetran"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let version = provider_version(root)?;
    package(
        &target.join("release/terraform-provider-fivetran"),
        &version,
        "linux_amd64",
        &root.join("dist"),
    )
}

fn default_mirror() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".terraform.d/plugins")
}
