//! A small validator of JSON values against the schemas of an OpenAPI 3.0 document,
//! written for the Fivetran spec (`../shared/api/fivetran-openapi.json`).
//!
//! Supported: `$ref` (local JSON pointers), `type`, `properties`, `required`, `enum`,
//! `items`, `allOf`/`oneOf`/`anyOf`, `nullable`, `additionalProperties`, and
//! `discriminator` with `mapping` (the spec selects per-service schemas this way).
//! Formats, lengths, patterns and numeric bounds are ignored.
//!
//! Two leniencies match the spec's own habits: a value equal to one of a schema's `enum`
//! entries is accepted whatever its `type` says (the spec declares `type: object` or
//! `type: integer` next to string enums, e.g. `auth_method` or `sync_frequency`), and an
//! enum entry matches a number or boolean whose text is the same (`"360"` vs `360`).
//!
//! ```no_run
//! use fivetran_sim::openapi::Spec;
//! if let Some(spec) = Spec::load() {
//!     let body = serde_json::json!({"code": "Success", "data": {"items": []}});
//!     assert!(spec.validate_response("GET", "/v1/private-links", 200, &body).is_ok());
//! }
//! ```

mod validate;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Environment variable naming the spec file (wins over the default location).
pub const SPEC_ENV: &str = "FIVETRAN_OPENAPI_SPEC";

/// A parsed OpenAPI document.
#[derive(Debug, Clone)]
pub struct Spec {
    doc: Value,
}

impl Spec {
    /// Loads the spec from `$FIVETRAN_OPENAPI_SPEC`, else from
    /// `../shared/api/fivetran-openapi.json` relative to the workspace root (the parent of
    /// this crate's directory; the current directory and its parent are tried too).
    /// `None` when no file is found or it does not parse.
    pub fn load() -> Option<Spec> {
        Spec::candidates()
            .into_iter()
            .find(|p| p.is_file())
            .and_then(|p| Spec::from_path(&p).ok())
    }

    /// Where [`Spec::load`] looks, in order.
    pub fn candidates() -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Some(p) = std::env::var_os(SPEC_ENV) {
            out.push(PathBuf::from(p));
        }
        let rel = Path::new("shared")
            .join("api")
            .join("fivetran-openapi.json");
        let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        if let Some(workspace) = crate_dir.parent() {
            out.push(workspace.join("..").join(&rel));
        }
        if let Ok(cwd) = std::env::current_dir() {
            out.push(cwd.join("..").join(&rel));
            out.push(cwd.join("..").join("..").join(&rel));
        }
        out
    }

    /// Reads and parses a spec file.
    pub fn from_path(path: &Path) -> Result<Spec, String> {
        let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc = serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Spec::from_value(doc))
    }

    /// Wraps an already parsed document.
    pub fn from_value(doc: Value) -> Spec {
        Spec { doc }
    }

    /// `components.schemas[name]`.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.doc
            .pointer(&format!("/components/schemas/{}", escape(name)))
    }

    /// Every `(METHOD, path template)` of the document.
    pub fn operations(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(paths) = self.doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for method in ["get", "post", "put", "patch", "delete"] {
                    if item.get(method).is_some() {
                        out.push((method.to_ascii_uppercase(), path.clone()));
                    }
                }
            }
        }
        out
    }

    /// Every `(METHOD, path template)` that takes a request body, with whether the spec
    /// marks that body `required: true` (a `$ref` to `components.requestBodies` is
    /// followed). OpenAPI 3.0 makes a request body optional unless it says so.
    pub fn request_bodies(&self) -> Vec<(String, String, bool)> {
        self.operations()
            .into_iter()
            .filter_map(|(method, path)| {
                let op = self.operation(&method, &path).ok()?;
                let mut body = op.get("requestBody")?;
                if let Some(r) = body.get("$ref").and_then(Value::as_str) {
                    body = self.doc.pointer(r.strip_prefix('#')?)?;
                }
                let required = body.get("required").and_then(Value::as_bool) == Some(true);
                Some((method, path, required))
            })
            .collect()
    }

    fn operation(&self, method: &str, path_template: &str) -> Result<&Value, Vec<String>> {
        let paths = self.doc.get("paths").and_then(Value::as_object);
        let item = paths.and_then(|p| {
            p.get(path_template)
                .or_else(|| p.get(&format!("/v1{path_template}")))
        });
        item.and_then(|i| i.get(method.to_ascii_lowercase()))
            .ok_or_else(|| vec![format!("{method} {path_template} is not in the spec")])
    }

    /// Validates a response body against the schema the spec documents for this
    /// operation and status. A status the operation does not document is an error; a
    /// documented status without a schema accepts any body.
    pub fn validate_response(
        &self,
        method: &str,
        path_template: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<String>> {
        let op = self.operation(method, path_template)?;
        let responses = op.get("responses");
        let response = responses
            .and_then(|r| r.get(status.to_string()).or_else(|| r.get("default")))
            .ok_or_else(|| {
                vec![format!(
                    "status {status} is not documented for {method} {path_template}"
                )]
            })?;
        match json_schema(response) {
            Some(schema) => self.validate(schema, body),
            None => Ok(()),
        }
    }

    /// Validates a request body against the operation's request schema.
    pub fn validate_request(
        &self,
        method: &str,
        path_template: &str,
        body: &Value,
    ) -> Result<(), Vec<String>> {
        let op = self.operation(method, path_template)?;
        match op.get("requestBody").and_then(json_schema) {
            Some(schema) => self.validate(schema, body),
            None if body.is_null() => Ok(()),
            None => Err(vec![format!(
                "{method} {path_template} takes no request body"
            )]),
        }
    }

    /// Validates `value` against any schema of this document.
    pub fn validate(&self, schema: &Value, value: &Value) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        validate::Validator { spec: &self.doc }.check(schema, value, "$", false, 0, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The JSON schema of a response or request body object.
fn json_schema(object: &Value) -> Option<&Value> {
    let content = object.get("content")?.as_object()?;
    content
        .iter()
        .find(|(ct, _)| ct.contains("json"))
        .and_then(|(_, c)| c.get("schema"))
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        Spec::from_value(json!({
            "paths": {
                "/v1/things/{id}": {
                    "get": {"responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}},
                        "404": {"description": "not found"}
                    }},
                    "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                             "responses": {"200": {"description": "ok"}}}
                }
            },
            "components": {"schemas": {
                "Envelope": {"required": ["code"], "properties": {"code": {"type": "string"}, "data": {"$ref": "#/components/schemas/Thing"}}},
                "Thing": {
                    "type": "object", "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string"},
                        "size": {"type": "integer", "enum": ["1", "5"]},
                        "mode": {"type": "object", "enum": ["A", "B"]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "note": {"type": "string", "nullable": true}
                    },
                    "discriminator": {"propertyName": "kind", "mapping": {"box": "#/components/schemas/box_Thing"}}
                },
                "box_Thing": {"allOf": [{"$ref": "#/components/schemas/Thing"},
                    {"properties": {"config": {"type": "object", "required": ["depth"], "additionalProperties": false,
                        "properties": {"depth": {"type": "number"}}}}}]},
                "Either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "Any": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}
            }}
        }))
    }

    #[test]
    fn validates_envelopes_and_reports_paths() {
        let s = spec();
        let ok = json!({"code": "Success", "data": {"kind": "plain", "size": 5, "mode": "A", "tags": ["x"], "note": null}});
        assert_eq!(
            s.validate_response("GET", "/v1/things/{id}", 200, &ok),
            Ok(())
        );
        let bad = json!({"data": {"kind": 3, "size": 7, "tags": [1]}});
        let errs = s
            .validate_response("GET", "/v1/things/{id}", 200, &bad)
            .err()
            .unwrap_or_default();
        assert!(
            errs.iter()
                .any(|e| e.contains("$: missing required property 'code'")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.starts_with("$.data.kind")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.starts_with("$.data.size")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.starts_with("$.data.tags[0]")),
            "{errs:?}"
        );
        assert!(s
            .validate_response("GET", "/v1/things/{id}", 404, &json!("anything"))
            .is_ok());
        assert!(s
            .validate_response("GET", "/v1/things/{id}", 500, &json!({}))
            .is_err());
        assert!(s
            .validate_response("GET", "/v1/nothing", 200, &json!({}))
            .is_err());
    }

    #[test]
    fn follows_discriminator_mappings() {
        let s = spec();
        let good = json!({"kind": "box", "config": {"depth": 2.5}});
        assert_eq!(s.validate_request("POST", "/v1/things/{id}", &good), Ok(()));
        let missing = json!({"kind": "box", "config": {}});
        assert!(s
            .validate_request("POST", "/v1/things/{id}", &missing)
            .is_err());
        let extra = json!({"kind": "box", "config": {"depth": 1, "width": 2}});
        assert!(s
            .validate_request("POST", "/v1/things/{id}", &extra)
            .is_err());
        let unmapped = json!({"kind": "bag", "config": {"anything": true}});
        assert_eq!(
            s.validate_request("POST", "/v1/things/{id}", &unmapped),
            Ok(())
        );
        assert!(s
            .validate_request("POST", "/v1/things/{id}", &json!({"note": 5}))
            .is_err());
    }

    #[test]
    fn request_bodies_are_optional_unless_marked_required() {
        let s = Spec::from_value(json!({
            "paths": {
                "/v1/a": {"post": {"requestBody": {"content": {}}}, "get": {}},
                "/v1/b": {"patch": {"requestBody": {"required": true, "content": {}}}},
                "/v1/c": {"post": {"requestBody": {"$ref": "#/components/requestBodies/C"}}}
            },
            "components": {"requestBodies": {"C": {"required": true, "content": {}}}}
        }));
        let mut bodies = s.request_bodies();
        bodies.sort();
        assert_eq!(
            bodies,
            [
                ("PATCH".to_string(), "/v1/b".to_string(), true),
                ("POST".to_string(), "/v1/a".to_string(), false),
                ("POST".to_string(), "/v1/c".to_string(), true),
            ]
        );
    }

    #[test]
    fn one_of_and_any_of() {
        let s = spec();
        let either = s.schema("Either").cloned().unwrap_or_default();
        assert!(s.validate(&either, &json!("x")).is_ok());
        assert!(s.validate(&either, &json!(3)).is_ok());
        assert!(s.validate(&either, &json!(true)).is_err());
        let any = s.schema("Any").cloned().unwrap_or_default();
        assert!(s.validate(&any, &json!(false)).is_ok());
        assert!(s.validate(&any, &json!(1.5)).is_err());
    }
}
