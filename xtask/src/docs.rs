//! Registry-layout documentation generated from the provider's own schemas, so the reference
//! sections cannot drift from the code.
//!
//! Each page is: front matter, the schema's description, an example (the file under
//! `examples/`), an optional hand-written section (`templates/<kind>/<name>.md`), the generated
//! schema reference (arguments, read-only attributes, nested blocks, with required/optional,
//! sensitivity, write-only, replace-on-change and defaults from the descriptions), and the
//! import section (`examples/resources/<type>/import.sh`). `tests/e2e/docs.rs` fails when the
//! committed `docs/` differ; `cargo run -p xtask -- docs` or `UPDATE_DOCS=1 cargo test --test
//! e2e docs` rewrites them. Tooling, not product: it lives here so that the provider library
//! does not ship it.

use std::collections::BTreeMap;
use std::path::Path;

use terraform_provider_fivetran::framework::ResourceSchema;
use terraform_provider_fivetran::protocol::{Attribute, Block, Nesting, Schema, Type};

/// Writes every generated page under `root`; returns their paths relative to it.
pub fn write_all(root: &Path) -> Result<Vec<String>, String> {
    let pages = render_all(root);
    for (rel, content) in &pages {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, content).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(pages.into_keys().collect())
}

/// Every generated page, keyed by its path under the repository root.
pub fn render_all(root: &Path) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    pages.insert("docs/index.md".to_string(), index_page(root));
    for r in terraform_provider_fivetran::resources::resources() {
        let name = r.type_name();
        let short = name.trim_start_matches("fivetran_");
        let schema = r.schema();
        let page = resource_page(root, name, &schema);
        pages.insert(format!("docs/resources/{short}.md"), page);
    }
    for d in terraform_provider_fivetran::resources::data_sources() {
        let name = d.type_name();
        let short = name.trim_start_matches("fivetran_");
        let page = data_source_page(root, name, &d.schema());
        pages.insert(format!("docs/data-sources/{short}.md"), page);
    }
    pages
}

fn index_page(root: &Path) -> String {
    let schema = terraform_provider_fivetran::provider::provider_schema();
    let mut out = String::from(
        "---\npage_title: \"fivetran Provider\"\ndescription: |-\n  Manage Fivetran private links, connections, groups, destinations, certificates and fingerprints.\n---\n\n<!-- Generated from the provider schema by `UPDATE_DOCS=1 cargo test --test e2e docs`; edit templates/index.md instead. -->\n\n# fivetran Provider\n\n",
    );
    out.push_str(&schema.block.description);
    out.push_str("\n\n");
    push_example(&mut out, root, "examples/provider/provider.tf");
    if let Some(extra) = read(root, "templates/index.md") {
        out.push_str(extra.trim_end());
        out.push_str("\n\n");
    }
    out.push_str(&schema_section(&schema, None));
    out
}

fn read(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

fn resource_page(root: &Path, name: &str, rs: &ResourceSchema) -> String {
    let short = name.trim_start_matches("fivetran_");
    let mut out = front_matter(name, "Resource", &rs.schema.block.description);
    push_example(
        &mut out,
        root,
        &format!("examples/resources/{name}/resource.tf"),
    );
    if let Some(extra) = read(root, &format!("templates/resources/{short}.md")) {
        out.push_str(extra.trim_end());
        out.push_str("\n\n");
    }
    out.push_str(&schema_section(&rs.schema, Some(rs)));
    if let Some(import) = read(root, &format!("examples/resources/{name}/import.sh")) {
        out.push_str("## Import\n\nImport is supported using the following syntax:\n\n```shell\n");
        out.push_str(import.trim_end());
        out.push_str("\n```\n");
    }
    out
}

fn data_source_page(root: &Path, name: &str, schema: &Schema) -> String {
    let short = name.trim_start_matches("fivetran_");
    let mut out = front_matter(name, "Data Source", &schema.block.description);
    push_example(
        &mut out,
        root,
        &format!("examples/data-sources/{name}/data-source.tf"),
    );
    if let Some(extra) = read(root, &format!("templates/data-sources/{short}.md")) {
        out.push_str(extra.trim_end());
        out.push_str("\n\n");
    }
    out.push_str(&schema_section(schema, None));
    out
}

fn front_matter(name: &str, kind: &str, description: &str) -> String {
    let first_sentence = description
        .split(". ")
        .next()
        .unwrap_or(description)
        .trim_end_matches('.');
    format!(
        "---\npage_title: \"{name} {kind} - fivetran\"\nsubcategory: \"\"\ndescription: |-\n  {first_sentence}.\n---\n\n<!-- Generated from the provider schema by `UPDATE_DOCS=1 cargo test --test e2e docs`; edit the schema descriptions, examples/ or templates/ instead. -->\n\n# {name} ({kind})\n\n{description}\n\n"
    )
}

fn push_example(out: &mut String, root: &Path, rel: &str) {
    if let Some(example) = read(root, rel) {
        out.push_str("## Example Usage\n\n```terraform\n");
        out.push_str(example.trim_end());
        out.push_str("\n```\n\n");
    }
}

fn schema_section(schema: &Schema, rs: Option<&ResourceSchema>) -> String {
    let mut out = String::from("## Schema\n\n");
    render_block(&mut out, &schema.block, rs, "");
    out
}

fn render_block(out: &mut String, block: &Block, rs: Option<&ResourceSchema>, anchor: &str) {
    let required: Vec<&Attribute> = block.attributes.iter().filter(|a| a.required).collect();
    let optional: Vec<&Attribute> = block.attributes.iter().filter(|a| a.optional).collect();
    let read_only: Vec<&Attribute> = block
        .attributes
        .iter()
        .filter(|a| a.computed && !a.optional && !a.required)
        .collect();
    for (title, attrs) in [("Required", &required), ("Optional", &optional)] {
        let lists_blocks = title == "Optional" && !block.blocks.is_empty();
        if attrs.is_empty() && !lists_blocks {
            continue;
        }
        out.push_str(&format!("### {title}\n\n"));
        for a in attrs.iter() {
            out.push_str(&attribute_line(a, rs));
        }
        if title == "Optional" {
            for b in &block.blocks {
                let nesting = match b.nesting {
                    Nesting::Single | Nesting::Group => "Block",
                    Nesting::List => "Block List",
                    Nesting::Set => "Block Set",
                    Nesting::Map => "Block Map",
                };
                out.push_str(&format!(
                    "- `{}` ({nesting}) {} (see [below for nested schema](#nestedblock--{anchor}{}))\n",
                    b.type_name,
                    b.block.description,
                    b.type_name
                ));
            }
        }
        out.push('\n');
    }
    if !read_only.is_empty() {
        out.push_str("### Read-Only\n\n");
        for a in read_only {
            out.push_str(&attribute_line(a, rs));
        }
        out.push('\n');
    }
    for b in &block.blocks {
        out.push_str(&format!(
            "<a id=\"nestedblock--{anchor}{0}\"></a>\n### Nested Schema for `{0}`\n\n",
            b.type_name
        ));
        render_block(out, &b.block, None, &format!("{anchor}{}--", b.type_name));
    }
}

fn attribute_line(a: &Attribute, rs: Option<&ResourceSchema>) -> String {
    let mut tags = vec![type_name(&a.ty)];
    if a.sensitive {
        tags.push("Sensitive".into());
    }
    if a.write_only {
        tags.push("Write-only: never stored in state or plan".into());
    }
    if rs.is_some_and(|rs| rs.requires_replace.contains(a.name.as_str())) {
        tags.push("Forces replacement".into());
    }
    if a.deprecated {
        tags.push("Deprecated".into());
    }
    format!("- `{}` ({}) {}\n", a.name, tags.join(", "), a.description)
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(t) => format!("List of {}", type_name(t)),
        Type::Set(t) => format!("Set of {}", type_name(t)),
        Type::Map(t) => format!("Map of {}", type_name(t)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_all_writes_every_page_where_render_all_names_it() {
        // An empty root: pages without examples or templates, written into new directories.
        let root = std::env::temp_dir().join(format!("xtask-docs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let written = write_all(&root).expect("write");
        let pages = render_all(&root);
        assert!(pages.contains_key("docs/index.md"));
        assert!(pages.keys().any(|k| k.starts_with("docs/resources/")));
        assert!(pages.keys().any(|k| k.starts_with("docs/data-sources/")));
        assert_eq!(written, pages.keys().cloned().collect::<Vec<_>>());
        for (rel, content) in &pages {
            let on_disk = std::fs::read_to_string(root.join(rel)).expect("page written");
            assert_eq!(&on_disk, content, "{rel}");
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}
