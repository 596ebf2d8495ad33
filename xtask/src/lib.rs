//! Project tasks that need nothing but Rust: registry-shaped release packaging, installing the
//! provider into a local filesystem mirror, the Registry documentation generated from the
//! provider's schemas, and the demo (`cargo run -p xtask -- help`).

pub mod demo;
pub mod docs;
pub mod zip;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The provider type name (the last segment of its source address).
pub const PROVIDER_TYPE: &str = "fivetran";
/// Where Terraform finds it: `registry.terraform.io/fivetran/fivetran`.
pub const SOURCE_HOST: &str = "registry.terraform.io";
pub const SOURCE_NAMESPACE: &str = "fivetran";

/// The files a release consists of.
#[derive(Debug)]
pub struct Artifacts {
    pub zip: PathBuf,
    pub sha256sums: PathBuf,
    pub manifest: PathBuf,
}

/// The workspace root (this crate lives in `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

/// The provider's version, read from the root Cargo.toml.
pub fn provider_version(root: &Path) -> Result<String, String> {
    let toml = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let package = toml
        .split("[package]")
        .nth(1)
        .ok_or("no [package] in Cargo.toml")?;
    package
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
        })
        .map(str::to_string)
        .ok_or_else(|| "no version in [package]".to_string())
}

/// Packages `binary` for `os_arch` (e.g. `linux_amd64`) the way the Terraform Registry expects:
/// `terraform-provider-fivetran_<version>_<os>_<arch>.zip` holding
/// `terraform-provider-fivetran_v<version>`, plus `..._SHA256SUMS` and
/// `..._manifest.json` (a copy of `terraform-registry-manifest.json`: protocol 5.0).
pub fn package(
    binary: &Path,
    version: &str,
    os_arch: &str,
    out_dir: &Path,
) -> Result<Artifacts, String> {
    let data = std::fs::read(binary).map_err(|e| format!("reading {}: {e}", binary.display()))?;
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let base = format!("terraform-provider-{PROVIDER_TYPE}_{version}");
    let inner = format!("terraform-provider-{PROVIDER_TYPE}_v{version}");
    let zip_name = format!("{base}_{os_arch}.zip");
    let zip_bytes = zip::write(&[zip::Entry {
        name: &inner,
        data: &data,
        mode: 0o755,
    }]);
    let zip = out_dir.join(&zip_name);
    std::fs::write(&zip, &zip_bytes).map_err(|e| e.to_string())?;
    let manifest_text = manifest();
    let manifest_name = format!("{base}_manifest.json");
    let manifest = out_dir.join(&manifest_name);
    std::fs::write(&manifest, &manifest_text).map_err(|e| e.to_string())?;
    let sums = format!(
        "{}  {zip_name}\n{}  {manifest_name}\n",
        hex(&Sha256::digest(&zip_bytes)),
        hex(&Sha256::digest(manifest_text.as_bytes()))
    );
    let sha256sums = out_dir.join(format!("{base}_SHA256SUMS"));
    std::fs::write(&sha256sums, sums).map_err(|e| e.to_string())?;
    Ok(Artifacts {
        zip,
        sha256sums,
        manifest,
    })
}

/// The registry manifest: this provider speaks plugin protocol 5.
pub fn manifest() -> String {
    "{\n  \"version\": 1,\n  \"metadata\": {\n    \"protocol_versions\": [\"5.0\"]\n  }\n}\n"
        .to_string()
}

/// Copies a packaged zip into a filesystem mirror (packed layout):
/// `<mirror>/registry.terraform.io/fivetran/fivetran/<zip name>`. Returns the path.
pub fn install_into_mirror(zip: &Path, mirror: &Path) -> Result<PathBuf, String> {
    let dir = mirror
        .join(SOURCE_HOST)
        .join(SOURCE_NAMESPACE)
        .join(PROVIDER_TYPE);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let target = dir.join(zip.file_name().ok_or("zip has no file name")?);
    std::fs::copy(zip, &target).map_err(|e| e.to_string())?;
    Ok(target)
}

/// The CLI configuration that makes `terraform init` take the provider from `mirror`.
pub fn mirror_cli_config(mirror: &Path) -> String {
    format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{SOURCE_HOST}/{SOURCE_NAMESPACE}/{PROVIDER_TYPE}\"]\n  }}\n  direct {{\n    exclude = [\"{SOURCE_HOST}/{SOURCE_NAMESPACE}/{PROVIDER_TYPE}\"]\n  }}\n}}\n",
        mirror.display()
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_root_manifest() {
        let v = provider_version(&workspace_root()).expect("version");
        assert!(v.split('.').count() == 3, "{v}");
    }

    #[test]
    fn package_names_follow_the_registry_convention() {
        let dir = std::env::temp_dir().join(format!("xtask-pkg-{}", std::process::id()));
        let bin = dir.join("bin");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(&bin, b"#!/bin/sh\n").expect("bin");
        let a = package(&bin, "1.2.3", "linux_amd64", &dir.join("dist")).expect("package");
        assert!(a
            .zip
            .ends_with("terraform-provider-fivetran_1.2.3_linux_amd64.zip"));
        let sums = std::fs::read_to_string(&a.sha256sums).expect("sums");
        assert!(sums.contains("  terraform-provider-fivetran_1.2.3_linux_amd64.zip\n"));
        assert!(std::fs::read_to_string(&a.manifest)
            .expect("manifest")
            .contains("\"5.0\""));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
