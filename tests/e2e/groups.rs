//! `fivetran_group`: created, renamed in place (never replaced), imported by id (the
//! command, an `import` block, and `-generate-config-out`) with a clean plan, destroyed.

use fivetran_sim::{SimConfig, SimServer};

use crate::harness::Workspace;

fn group_tf(name: &str) -> String {
    format!("resource \"fivetran_group\" \"g\" {{\n  name = \"{name}\"\n}}\n")
}

fn groups_named(sim: &SimServer, name: &str) -> Vec<serde_json::Value> {
    sim.admin().inventory()["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["name"] == name)
        .cloned()
        .collect()
}

#[test]
fn a_group_is_renamed_in_place_and_plans_clean() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, &group_tf("analytics_one"));
    ws.apply().assert_success();
    let id = ws.resource("fivetran_group.g")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(groups_named(&sim, "analytics_one").len(), 1);
    assert_eq!(ws.plan().code, 0, "a second plan must be empty");

    ws.rewrite(&group_tf("analytics_two"));
    let plan = ws.plan();
    assert!(
        plan.stdout.contains("will be updated in-place") && !plan.stdout.contains("replace"),
        "a rename is an in-place update:\n{}",
        plan.output()
    );
    ws.apply().assert_success();
    assert_eq!(
        ws.resource("fivetran_group.g")["attributes"]["id"],
        id.as_str(),
        "same group"
    );
    let renamed = groups_named(&sim, "analytics_two");
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0]["id"], id.as_str());
    assert!(groups_named(&sim, "analytics_one").is_empty());
    assert_eq!(
        sim.admin().count("PATCH /v1/groups/{groupId}"),
        1,
        "renamed by PATCH"
    );
    assert_eq!(ws.plan().code, 0);
    let refresh = ws.terraform(&[
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
    ]);
    assert_eq!(refresh.code, 0, "{}", refresh.output());

    ws.destroy().assert_success();
    assert!(groups_named(&sim, "analytics_two").is_empty());
}

#[test]
fn a_group_imports_by_id_and_generates_its_configuration() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let ws = Workspace::with_sim(&sim, &group_tf("imported_group"));
    ws.apply().assert_success();
    let id = ws.resource("fivetran_group.g")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    ws.terraform(&["state", "rm", "fivetran_group.g"])
        .assert_success();
    // An import block with generated configuration, in a fresh file.
    ws.rewrite("");
    ws.write(
        "import.tf",
        &format!("import {{\n  to = fivetran_group.g\n  id = \"{id}\"\n}}\n"),
    );
    let generated = ws.terraform(&["plan", "-input=false", "-generate-config-out=generated.tf"]);
    assert_eq!(generated.code, 0, "{}", generated.output());
    let text = std::fs::read_to_string(ws.dir().join("generated.tf")).expect("generated.tf");
    assert!(text.contains("name = \"imported_group\""), "{text}");
    ws.apply().assert_success();
    assert_eq!(
        ws.resource("fivetran_group.g")["attributes"]["id"],
        id.as_str()
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.output());
    assert_eq!(
        groups_named(&sim, "imported_group").len(),
        1,
        "no duplicate"
    );
    ws.destroy().assert_success();
}

#[test]
fn the_public_key_of_a_new_group_is_read_without_its_trailing_newline() {
    let sim = SimServer::spawn(SimConfig::instant()).expect("simulator");
    let body = format!(
        "{}\ndata \"fivetran_group_public_key\" \"k\" {{\n  group_id = fivetran_group.g.id\n}}\n\noutput \"key\" {{\n  value = data.fivetran_group_public_key.k.public_key\n}}\n",
        group_tf("keyed_group")
    );
    let ws = Workspace::with_sim(&sim, &body);
    ws.apply().assert_success();
    let id = ws.resource("fivetran_group.g")["attributes"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let served = fivetran_sim::group_public_key(&id);
    assert!(served.ends_with('\n'), "the API's key ends in a newline");
    let out = ws.terraform(&["output", "-json", "key"]);
    let key: String = serde_json::from_str(&out.stdout).expect("a JSON string");
    assert_eq!(key, served.trim_end());
    assert!(key.starts_with("ssh-rsa "), "{key}");
    assert_eq!(ws.plan().code, 0);
    ws.destroy().assert_success();
}
