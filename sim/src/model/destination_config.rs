//! How the API rewrites a destination's `config`, per service: one table
//! ([`CONFIG_RULES`]) plus the rules that hold for every service ([`ENUM_CASE`],
//! [`EXTRA_SECRET_KEYS`], the Databricks private-link rewrite), each with its evidence. The fixtures
//! named here are in `../shared/api/fixtures/destinations-groups/`; "behaviour N" is the
//! numbered list of that folder's README.
//!
//! The simulator stores the rewritten config, so every later answer (details, update,
//! setup tests) shows what the real API showed after its rewrite.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::model::connection::masked;
use crate::model::MASK;

/// When a key is added to the stored config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Before the create answer (the create answer shows it).
    Create,
    /// Right after the create answer (the create answer lacks it, details show it).
    AfterCreate,
    /// On every `PATCH` (the update answer shows it).
    Update,
}

/// The value of an added key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// The destination's (group's) id.
    GroupId,
    /// The empty string.
    Empty,
    /// `null`, only when the key is absent.
    NullIfAbsent,
    /// A copy of another key's value, when that key is set.
    CopyOf(&'static str),
    /// The Polaris catalog object `{polarisServerEndpoint, polarisCatalog, clientId,
    /// clientSecret}` (camelCase keys; `clientSecret` shown as eight stars).
    PolarisCatalog,
}

/// How one service's config is rewritten.
#[derive(Clone, Copy, Debug)]
pub struct ConfigRule {
    /// The service, or `"*"` for every service without a row of its own.
    pub service: &'static str,
    /// Top-level numbers are answered as decimal text (`443` -> `"443"`).
    pub numbers_as_text: bool,
    /// Top-level booleans are answered as `"true"` / `"false"`.
    pub booleans_as_text: bool,
    /// Keys the API adds: name, when, value.
    pub added: &'static [(&'static str, When, Added)],
    /// Where the row comes from.
    pub evidence: &'static str,
}

/// The per-service rewrites. The last row (`"*"`) applies to every other service.
pub const CONFIG_RULES: &[ConfigRule] = &[
    ConfigRule {
        service: "snowflake",
        numbers_as_text: true,
        booleans_as_text: true,
        added: &[],
        evidence: "behaviour 11: port sent 443 / 444 answered \"443\" / \"444\" [e2e, \
                   reconstructed_destination_create_e2e_observed.json, \
                   reconstructed_destination_modify_e2e_observed.json]; booleans \
                   is_private_key_encrypted and create_external_tables answered \"false\" \
                   [mock, destination_create_mapping_tfp_201.json]",
    },
    ConfigRule {
        service: "postgres_rds_warehouse",
        numbers_as_text: true,
        booleans_as_text: true,
        added: &[],
        evidence: "the spec's example answer of POST /v1/destinations/{destinationId}/test: \
                   \"port\": \"5432\", \"tunnel_port\": \"22\"; booleans: ASSUMPTION, as the \
                   default row",
    },
    ConfigRule {
        service: "managed_data_lake",
        numbers_as_text: false,
        booleans_as_text: false,
        added: &[(
            "polaris_catalog_configuration",
            When::AfterCreate,
            Added::PolarisCatalog,
        )],
        evidence: "behaviours 11 and 14: port 443 and real booleans kept, \
                   polaris_catalog_configuration added [mock, \
                   destination_details_mdls_tfp_200.json]; its create answer lacks the \
                   catalog [mock, ../destination_create_setup_tests_tfp.json]",
    },
    ConfigRule {
        service: "big_query",
        numbers_as_text: true,
        booleans_as_text: false,
        added: &[
            ("bucket", When::Create, Added::NullIfAbsent),
            ("bucket", When::Update, Added::NullIfAbsent),
            ("location", When::Update, Added::CopyOf("data_set_location")),
        ],
        evidence: "behaviour 14: support_json_type stays a boolean, bucket: null, and the \
                   update answer carries location beside data_set_location [mock, \
                   destination_create_big_query_tfp_201.json, \
                   destination_modify_big_query_tfp_200.json]; numbers: ASSUMPTION, as the \
                   default row",
    },
    ConfigRule {
        service: "new_s3_datalake",
        numbers_as_text: true,
        booleans_as_text: true,
        added: &[
            ("external_id", When::Create, Added::GroupId),
            ("external_id", When::Update, Added::Empty),
        ],
        evidence: "behaviour 14: read-only external_id = the group id on create, \"\" after \
                   a PATCH [mock, destination_create_s3_datalake_tfp_201.json, \
                   destination_modify_s3_datalake_tfp_200.json]; numbers and booleans: \
                   ASSUMPTION, as the default row",
    },
    ConfigRule {
        service: "*",
        numbers_as_text: true,
        booleans_as_text: true,
        added: &[],
        evidence: "ASSUMPTION (the strict choice): most recorded answers turn numbers and \
                   booleans into text (behaviour 11: go-fivetran's mock of a generic service \
                   answers \"443\" and \"true\" with the comment \"Inconsistent response\", \
                   destination_create_201.json; the official provider's mocks convert on \
                   purpose); clients must accept both forms",
    },
];

/// `connection_type` values are answered in upper snake case (behaviour 13: the official
/// provider's fix #510 for issue #502, and its mocks: `DIRECTLY` in
/// `destination_details_tfp_200.json`, `PRIVATE_LINK` and `databricks_connection_type:
/// "DIRECTLY"` in `destination_details_mdls_tfp_200.json`). `SshTunnel` and `ProxyAgent`
/// were never seen rewritten: ASSUMPTION, the same rule.
pub const ENUM_CASE: &[(&str, &str)] = &[
    ("Directly", "DIRECTLY"),
    ("PrivateLink", "PRIVATE_LINK"),
    ("SshTunnel", "SSH_TUNNEL"),
    ("ProxyAgent", "PROXY_AGENT"),
];

/// The config keys [`ENUM_CASE`] applies to.
pub const ENUM_CASE_KEYS: &[&str] = &["connection_type", "databricks_connection_type"];

/// Destination config keys masked besides those of [`crate::model::is_secret_key`]:
/// `role_arn` (behaviour 14: `"******"` in the official provider's mocks
/// `destination_create_mapping_tfp_201.json` and `destination_details_tfp_200.json`, while
/// `fivetran_role_arn` beside it is shown).
pub const EXTRA_SECRET_KEYS: &[&str] = &["role_arn"];

/// Config keys the API sets itself, refused in requests: `new_s3_datalake`'s `external_id`
/// (behaviour 14: the official provider's `TestReadonlyFieldSetMock` asserts the provider
/// never sends it back). ASSUMPTION: the API refuses it (`400 InvalidInput`) rather than
/// ignoring it: the strict choice.
pub const READ_ONLY_KEYS: &[(&str, &str)] = &[("new_s3_datalake", "external_id")];

/// Whether `key` is one of the [`READ_ONLY_KEYS`] of `service`.
pub fn read_only_key(service: &str, key: &str) -> bool {
    READ_ONLY_KEYS.contains(&(service, key))
}

/// The mask of the Polaris catalog's `clientSecret`: eight stars, not six (behaviour 14,
/// `destination_details_mdls_tfp_200.json`).
pub const POLARIS_MASK: &str = "********";

/// The rule of `service` (the `"*"` row when it has none of its own).
pub fn rule(service: &str) -> &'static ConfigRule {
    CONFIG_RULES
        .iter()
        .find(|r| r.service == service)
        .or_else(|| CONFIG_RULES.iter().find(|r| r.service == "*"))
        .unwrap_or(&CONFIG_RULES[CONFIG_RULES.len() - 1])
}

/// Rewrites stored values as the API does: numbers and booleans to text where the
/// service's rule says so, and [`ENUM_CASE`] for [`ENUM_CASE_KEYS`].
pub(crate) fn rewrite(service: &str, config: &mut Map<String, Value>) {
    let r = rule(service);
    for (k, v) in config.iter_mut() {
        match v {
            Value::Number(n) if r.numbers_as_text => *v = Value::String(n.to_string()),
            Value::Bool(b) if r.booleans_as_text => *v = Value::String(b.to_string()),
            Value::String(s) if ENUM_CASE_KEYS.contains(&k.as_str()) => {
                if let Some((_, upper)) = ENUM_CASE.iter().find(|(from, _)| from == s) {
                    *s = (*upper).to_string();
                }
            }
            _ => {}
        }
    }
}

/// Adds the keys the service's rule adds at `when`.
pub(crate) fn add_keys(service: &str, when: When, group_id: &str, config: &mut Map<String, Value>) {
    for (key, _, added) in rule(service).added.iter().filter(|(_, w, _)| *w == when) {
        let value = match added {
            Added::GroupId => Value::String(group_id.to_string()),
            Added::Empty => Value::String(String::new()),
            Added::NullIfAbsent if config.contains_key(*key) => continue,
            Added::NullIfAbsent => Value::Null,
            Added::CopyOf(source) => match config.get(*source) {
                Some(v) if !v.is_null() => v.clone(),
                _ => continue,
            },
            Added::PolarisCatalog => polaris_catalog(group_id, config),
        };
        config.insert((*key).to_string(), value);
    }
}

/// The Polaris catalog the API adds to a `managed_data_lake` destination: an endpoint in the
/// bucket's region, the group id as catalog, a client id derived from it, and the masked
/// secret (shape of `destination_details_mdls_tfp_200.json`; values are the simulator's).
fn polaris_catalog(group_id: &str, config: &Map<String, Value>) -> Value {
    let region = config
        .get("region")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
        .unwrap_or("us-east-1");
    let digest = Sha256::digest(format!("fivetran-sim polaris client:{group_id}").as_bytes());
    let client_id: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    serde_json::json!({
        "polarisServerEndpoint": format!("https://{}.{region}.aws.polaris.fivetran-sim.internal/api/catalog", group_id.replace('_', "-")),
        "polarisCatalog": group_id,
        "clientId": client_id,
        "clientSecret": POLARIS_MASK,
    })
}

/// A Databricks destination on a private link: `server_host_name` becomes the link's
/// endpoint host and `cloud_provider` becomes `AWS` (behaviour 12: official provider issue
/// #482 and PR #483, `reconstructed_destination_create_databricks_private_link_pr483.json`,
/// where an Azure workspace host became `pls-prod-fivetran-eastus-pls-1.eastus.azure.fivetran.com`
/// and `AZURE` became `AWS`). Only keys that are set are replaced. ASSUMPTION: the one
/// observation (AZURE -> AWS) is taken as "always AWS", and the rewrite applies on `PATCH`
/// as on create.
pub(crate) fn private_link_rewrite(
    service: &str,
    config: &mut Map<String, Value>,
    link_host: &str,
) {
    if service != "databricks" {
        return;
    }
    if let Some(v) = config.get_mut("server_host_name") {
        *v = Value::String(link_host.to_string());
    }
    if let Some(v) = config.get_mut("cloud_provider") {
        *v = Value::String("AWS".to_string());
    }
}

/// Config as answers show it: secrets as `"******"` ([`crate::model::is_secret_key`] and
/// [`EXTRA_SECRET_KEYS`]), the Polaris catalog's `clientSecret` as [`POLARIS_MASK`].
pub(crate) fn shown(config: &Map<String, Value>) -> Map<String, Value> {
    let mut out = masked(config);
    for key in EXTRA_SECRET_KEYS {
        if let Some(v) = out.get_mut(*key) {
            if !v.is_null() {
                *v = Value::String(MASK.to_string());
            }
        }
    }
    if let Some(catalog) = config.get("polaris_catalog_configuration") {
        out.insert("polaris_catalog_configuration".into(), catalog.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::model::test_object as cfg;

    #[test]
    fn every_service_has_a_rule_and_the_default_row_is_last() {
        assert_eq!(rule("snowflake").service, "snowflake");
        assert_eq!(rule("redshift").service, "*");
        assert_eq!(CONFIG_RULES[CONFIG_RULES.len() - 1].service, "*");
        assert!(CONFIG_RULES.iter().all(|r| !r.evidence.is_empty()));
    }

    #[test]
    fn numbers_booleans_and_enum_case_follow_the_service() {
        let mut c =
            cfg(json!({"port": 443, "flag": true, "connection_type": "PrivateLink", "host": "h"}));
        rewrite("snowflake", &mut c);
        assert_eq!(
            Value::Object(c),
            json!({"port": "443", "flag": "true", "connection_type": "PRIVATE_LINK", "host": "h"})
        );
        let mut c =
            cfg(json!({"port": 443, "flag": false, "databricks_connection_type": "Directly"}));
        rewrite("managed_data_lake", &mut c);
        assert_eq!(
            Value::Object(c),
            json!({"port": 443, "flag": false, "databricks_connection_type": "DIRECTLY"})
        );
        let mut c = cfg(json!({"support_json_type": true, "n": 1}));
        rewrite("big_query", &mut c);
        assert_eq!(
            Value::Object(c),
            json!({"support_json_type": true, "n": "1"})
        );
    }

    #[test]
    fn added_keys_follow_the_phase() {
        let mut c = cfg(json!({"bucket": "b"}));
        add_keys("new_s3_datalake", When::Create, "g_1", &mut c);
        assert_eq!(c["external_id"], "g_1");
        add_keys("new_s3_datalake", When::Update, "g_1", &mut c);
        assert_eq!(c["external_id"], "");
        let mut c = cfg(json!({"data_set_location": "US"}));
        add_keys("big_query", When::Create, "g", &mut c);
        assert_eq!(
            Value::Object(c.clone()),
            json!({"data_set_location": "US", "bucket": null})
        );
        add_keys("big_query", When::Update, "g", &mut c);
        assert_eq!(c["location"], "US");
        let mut c = cfg(json!({"region": "eu-west-1"}));
        add_keys("managed_data_lake", When::Create, "g_1", &mut c);
        assert!(c.get("polaris_catalog_configuration").is_none());
        add_keys("managed_data_lake", When::AfterCreate, "g_1", &mut c);
        let p = &c["polaris_catalog_configuration"];
        assert_eq!(p["polarisCatalog"], "g_1");
        assert!(p["polarisServerEndpoint"]
            .as_str()
            .is_some_and(|e| e.contains("eu-west-1")));
    }

    #[test]
    fn databricks_on_a_private_link_points_at_the_link() {
        let mut c = cfg(
            json!({"server_host_name": "adb-1.azuredatabricks.net", "cloud_provider": "AZURE"}),
        );
        private_link_rewrite("databricks", &mut c, "pl.host");
        assert_eq!(
            Value::Object(c),
            json!({"server_host_name": "pl.host", "cloud_provider": "AWS"})
        );
        let mut c = cfg(json!({"host": "h"}));
        private_link_rewrite("snowflake", &mut c, "pl.host");
        assert_eq!(c["host"], "h");
    }

    #[test]
    fn shown_masks_secrets_role_arn_and_keeps_eight_polaris_stars() {
        let mut c = cfg(json!({"password": "p", "role_arn": "arn", "fivetran_role_arn": "f"}));
        add_keys("managed_data_lake", When::AfterCreate, "g", &mut c);
        let s = shown(&c);
        assert_eq!(s["password"], MASK);
        assert_eq!(s["role_arn"], MASK);
        assert_eq!(s["fivetran_role_arn"], "f");
        assert_eq!(
            s["polaris_catalog_configuration"]["clientSecret"],
            POLARIS_MASK
        );
    }
}
