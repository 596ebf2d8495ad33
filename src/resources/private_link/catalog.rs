//! What the Fivetran API accepts for private links, declared once: services, their cloud and
//! config keys, and regions. Validators and documentation are both derived from these tables,
//! and a test holds them (and the simulator's) against the OpenAPI spec's
//! `PrivateLinkCreateRequest`: its service and region enums and each service's config
//! schema. The regions are the create request's 34; the spec's `PrivateLinkResponse.region`
//! lists only 30 of them (not `AZURE_CENTRALINDIA`, `AZURE_EASTUS`, `AZURE_JAPANEAST`,
//! `GCP_US_CENTRAL1`), a gap in the spec: a link created there is read back like any other.

/// A private-link service: its cloud and the `config` keys it requires and allows.
pub struct ServiceSpec {
    pub name: &'static str,
    pub cloud: &'static str,
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

pub const SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        name: "DATABRICKS_AWS",
        cloud: "AWS",
        required: &["connection_service_name"],
        optional: &[],
    },
    ServiceSpec {
        name: "SNOWFLAKE_AWS",
        cloud: "AWS",
        required: &["account_url", "vpce_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "REDSHIFT_AWS",
        cloud: "AWS",
        required: &["aws_account_id", "cluster_identifier"],
        optional: &[],
    },
    ServiceSpec {
        name: "SOURCE_AWS",
        cloud: "AWS",
        required: &["connection_service_name"],
        optional: &[],
    },
    ServiceSpec {
        name: "DATABRICKS_AZURE",
        cloud: "AZURE",
        required: &["connection_service_id", "workspace_url"],
        optional: &[],
    },
    ServiceSpec {
        name: "SNOWFLAKE_AZURE",
        cloud: "AZURE",
        required: &["account_url", "pls_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "ONELAKE_AZURE",
        cloud: "AZURE",
        required: &["connection_service_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "POSTGRES_WAREHOUSE_AZURE",
        cloud: "AZURE",
        required: &["connection_service_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "SQL_DATA_WAREHOUSE_AZURE",
        cloud: "AZURE",
        required: &["connection_service_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "SOURCE_AZURE",
        cloud: "AZURE",
        required: &["connection_service_id", "sub_resource_name"],
        optional: &["private_dns_records"],
    },
    ServiceSpec {
        name: "SNOWFLAKE_GCP",
        cloud: "GCP",
        required: &["account_url", "pls_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "SOURCE_GCP",
        cloud: "GCP",
        required: &["private_connection_service_id"],
        optional: &[],
    },
    ServiceSpec {
        name: "DATABRICKS_GCP",
        cloud: "GCP",
        required: &["connection_service_id", "workspace_url"],
        optional: &[],
    },
];

pub const REGIONS: &[&str] = &[
    "GCP_US_EAST4",
    "GCP_US_WEST1",
    "GCP_US_CENTRAL1",
    "GCP_EUROPE_WEST3",
    "GCP_AUSTRALIA_SOUTHEAST1",
    "GCP_NORTHAMERICA_NORTHEAST1",
    "GCP_EUROPE_WEST2",
    "GCP_ASIA_SOUTHEAST1",
    "GCP_ASIA_SOUTHEAST2",
    "GCP_ASIA_SOUTH1",
    "GCP_ASIA_NORTHEAST1",
    "AWS_US_EAST_1",
    "AWS_US_EAST_2",
    "AWS_US_WEST_2",
    "AWS_AP_NORTHEAST_1",
    "AWS_AP_SOUTHEAST_1",
    "AWS_AP_SOUTHEAST_2",
    "AWS_EU_CENTRAL_1",
    "AWS_EU_WEST_1",
    "AWS_EU_WEST_2",
    "AWS_AP_SOUTH_1",
    "AWS_CA_CENTRAL_1",
    "AWS_US_GOV_WEST_1",
    "AZURE_EASTUS2",
    "AZURE_AUSTRALIAEAST",
    "AZURE_UKSOUTH",
    "AZURE_WESTEUROPE",
    "AZURE_CENTRALUS",
    "AZURE_CANADACENTRAL",
    "AZURE_UAENORTH",
    "AZURE_SOUTHEASTASIA",
    "AZURE_EASTUS",
    "AZURE_JAPANEAST",
    "AZURE_CENTRALINDIA",
];

pub fn service(name: &str) -> Option<&'static ServiceSpec> {
    SERVICES.iter().find(|s| s.name == name)
}

/// The cloud a region belongs to, from its prefix.
pub fn region_cloud(region: &str) -> Option<&'static str> {
    ["AWS", "AZURE", "GCP"]
        .into_iter()
        .find(|c| region.strip_prefix(c).is_some_and(|r| r.starts_with('_')))
}

/// What is wrong with a private-link name, if anything. Only emptiness: the API reference
/// describes a letter/underscore rule of at most 23 characters, but the real API does not
/// enforce it (Fivetran's own tutorial names its link `pl-source-aws-prod`, and go-fivetran's
/// end-to-end tests create all-digit names), so the provider invents no rule and lets the
/// API decide, showing its own error when it refuses.
pub fn name_problem(name: &str) -> Option<String> {
    name.trim()
        .is_empty()
        .then(|| "the name is empty".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// From the spec: service -> (required config keys, all config keys), and the regions a
    /// create request accepts. `None` when the spec is absent (the test then skips).
    #[allow(clippy::type_complexity)]
    fn spec_catalog() -> Option<(
        BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
        BTreeSet<String>,
    )> {
        let spec = fivetran_sim::openapi::Spec::load()?;
        let create = spec.schema("PrivateLinkCreateRequest")?;
        let strings = |v: &serde_json::Value| -> BTreeSet<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        };
        let regions = strings(&create["properties"]["region"]["enum"]);
        let mut services = BTreeMap::new();
        for (service, reference) in create["discriminator"]["mapping"].as_object()? {
            let per_service = spec.schema(reference.as_str()?.rsplit('/').next()?)?;
            let config_schema = per_service["allOf"]
                .as_array()?
                .iter()
                .filter_map(|part| part["$ref"].as_str())
                .filter_map(|r| spec.schema(r.rsplit('/').next()?))
                .find_map(|s| s["properties"].get("config").cloned())?;
            let all: BTreeSet<String> = config_schema["properties"]
                .as_object()?
                .keys()
                .cloned()
                .collect();
            services.insert(service.clone(), (strings(&config_schema["required"]), all));
        }
        Some((services, regions))
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Both catalogues (the provider's, which validates configurations, and the
    /// simulator's, which answers like the API) against the spec's enums and per-service
    /// config schemas.
    #[test]
    fn both_catalogues_match_the_spec() {
        let Some((services, regions)) = spec_catalog() else {
            fivetran_sim::skips::skip(
                "both_catalogues_match_the_spec",
                "the OpenAPI spec is absent (../shared/api/fivetran-openapi.json or FIVETRAN_OPENAPI_SPEC)",
            );
            return;
        };
        assert_eq!(services.len(), 13, "{services:?}");
        // The provider's.
        assert_eq!(
            REGIONS
                .iter()
                .map(|r| r.to_string())
                .collect::<BTreeSet<_>>(),
            regions
        );
        let ours: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = SERVICES
            .iter()
            .map(|s| {
                let all = set(s.required).union(&set(s.optional)).cloned().collect();
                (s.name.to_string(), (set(s.required), all))
            })
            .collect();
        assert_eq!(ours, services, "provider catalogue vs spec");
        for s in SERVICES {
            assert!(s.name.ends_with(&format!("_{}", s.cloud)), "{}", s.name);
        }
        // The simulator's.
        use fivetran_sim::model::catalog as sim;
        assert_eq!(
            sim::REGIONS
                .iter()
                .map(|r| r.to_string())
                .collect::<BTreeSet<_>>(),
            regions
        );
        let sim_services: BTreeMap<String, BTreeSet<String>> = sim::SERVICES
            .iter()
            .map(|(name, cloud, required)| {
                assert!(name.ends_with(&format!("_{cloud}")), "{name}");
                (name.to_string(), set(required))
            })
            .collect();
        let required: BTreeMap<String, BTreeSet<String>> = services
            .iter()
            .map(|(k, (req, _))| (k.clone(), req.clone()))
            .collect();
        assert_eq!(sim_services, required, "simulator catalogue vs spec");
    }

    #[test]
    fn every_region_has_a_known_cloud() {
        for r in REGIONS {
            assert!(region_cloud(r).is_some(), "{r}");
        }
        assert_eq!(region_cloud("AWS_US_EAST_1"), Some("AWS"));
        assert_eq!(region_cloud("AWSX"), None);
    }

    #[test]
    fn name_rules() {
        assert_eq!(name_problem("pl_1"), None);
        assert_eq!(name_problem("_a"), None);
        // The tutorial's name, go-fivetran e2e's all-digit names, and long names: the real
        // API accepts them, so the provider does not refuse them.
        assert_eq!(name_problem("pl-source-aws-prod"), None);
        assert_eq!(name_problem("1234567890"), None);
        assert_eq!(name_problem("abcdefghijklmnopqrstuvwxyz_0123"), None);
        assert!(name_problem("").is_some());
        assert!(name_problem("  ").is_some());
    }
}
