//! Documentation and examples are part of the product: the committed `docs/` must equal what
//! the schema generates, and every example must pass `terraform validate`.

use std::path::{Path, PathBuf};

use crate::harness::{Workspace, REQUIRED_PROVIDERS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_match_the_schema() {
    let pages = xtask::docs::render_all(&root());
    assert!(!pages.is_empty());
    let update = std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (rel, content) in &pages {
        let path = root().join(rel);
        if update {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, content).expect("write doc");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(rel.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "docs out of date: {stale:?}\nRegenerate with: UPDATE_DOCS=1 cargo test --test e2e docs_match_the_schema"
    );
}

/// Every `.tf` file directly in `dir` (one example).
fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    files
}

/// Every example directory: examples/{resources,data-sources}/<type>/ and examples/provider/.
fn example_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        root().join("examples/provider"),
        root().join("examples/quickstart"),
        root().join("examples/modules/private-connection"),
    ];
    for kind in ["resources", "data-sources"] {
        for entry in std::fs::read_dir(root().join("examples").join(kind))
            .into_iter()
            .flatten()
            .flatten()
        {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_resource_and_data_source_has_an_example_and_every_example_validates() {
    let names: Vec<String> = example_dirs()
        .iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for r in terraform_provider_fivetran::resources::resources() {
        assert!(
            names.contains(&r.type_name().to_string()),
            "no example for resource {}",
            r.type_name()
        );
        let import = root()
            .join("examples/resources")
            .join(r.type_name())
            .join("import.sh");
        assert!(import.exists(), "no import.sh for {}", r.type_name());
    }
    for d in terraform_provider_fivetran::resources::data_sources() {
        assert!(
            names.contains(&d.type_name().to_string()),
            "no example for data source {}",
            d.type_name()
        );
    }
    for dir in example_dirs() {
        let mut body = String::new();
        for f in tf_files(&dir) {
            body.push_str(&std::fs::read_to_string(&f).expect("read example"));
            body.push('\n');
        }
        if !body.contains("required_providers") {
            body = format!("{REQUIRED_PROVIDERS}\n{body}");
        }
        let ws = Workspace::new(&body);
        let run = ws.terraform(&["validate"]);
        assert_eq!(
            run.code,
            0,
            "example {} does not validate:\n{}",
            dir.display(),
            run.output()
        );
    }
}

#[test]
fn examples_are_formatted() {
    let run = std::process::Command::new("terraform")
        .args(["fmt", "-check", "-recursive", "-diff"])
        .arg(root().join("examples"))
        .output()
        .expect("terraform fmt");
    assert!(
        run.status.success(),
        "run `terraform fmt -recursive examples`:\n{}",
        String::from_utf8_lossy(&run.stdout)
    );
}
