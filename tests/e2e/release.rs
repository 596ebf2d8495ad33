//! Release packaging: the registry-shaped zip, installed into a filesystem mirror, is what a
//! normal `terraform init` picks up.

use fivetran_sim::{SimConfig, SimServer};

use crate::harness::{provider_binary, Workspace};

#[test]
fn the_packaged_zip_installs_into_a_mirror_and_terraform_init_uses_it() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, "data \"fivetran_private_links\" \"all\" {}\n");
    let version = xtask::provider_version(&xtask::workspace_root()).expect("version");
    let artifacts = xtask::package(
        &provider_binary(),
        &version,
        "linux_amd64",
        &ws.dir().join("dist"),
    )
    .expect("package");
    let mirror = ws.dir().join("mirror");
    xtask::install_into_mirror(&artifacts.zip, &mirror).expect("install");
    ws.write("cli.tfrc", &xtask::mirror_cli_config(&mirror));

    let init = ws.terraform(&["init", "-input=false"]);
    init.assert_success();
    assert!(
        init.output()
            .contains(&format!("Installed fivetran/fivetran v{version}")),
        "init must install our packaged provider:\n{}",
        init.output()
    );
    let lock = std::fs::read_to_string(ws.dir().join(".terraform.lock.hcl")).expect("lock file");
    assert!(
        lock.contains("registry.terraform.io/fivetran/fivetran"),
        "{lock}"
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.output());
    assert!(
        sim.admin().counters().total > 0,
        "the plan read the data source through the installed provider"
    );
}
