//! The services, regions and time zones the API accepts for private links and
//! destinations, declared once: validation, error messages and docs all read these tables.

/// Services a private link can be made for: name, cloud provider, required config keys.
pub const SERVICES: &[(&str, &str, &[&str])] = &[
    ("DATABRICKS_AWS", "AWS", &["connection_service_name"]),
    ("SNOWFLAKE_AWS", "AWS", &["account_url", "vpce_id"]),
    (
        "REDSHIFT_AWS",
        "AWS",
        &["aws_account_id", "cluster_identifier"],
    ),
    ("SOURCE_AWS", "AWS", &["connection_service_name"]),
    (
        "DATABRICKS_AZURE",
        "AZURE",
        &["connection_service_id", "workspace_url"],
    ),
    ("SNOWFLAKE_AZURE", "AZURE", &["account_url", "pls_id"]),
    ("ONELAKE_AZURE", "AZURE", &["connection_service_id"]),
    (
        "POSTGRES_WAREHOUSE_AZURE",
        "AZURE",
        &["connection_service_id"],
    ),
    (
        "SQL_DATA_WAREHOUSE_AZURE",
        "AZURE",
        &["connection_service_id"],
    ),
    (
        "SOURCE_AZURE",
        "AZURE",
        &["connection_service_id", "sub_resource_name"],
    ),
    ("SNOWFLAKE_GCP", "GCP", &["account_url", "pls_id"]),
    ("SOURCE_GCP", "GCP", &["private_connection_service_id"]),
    (
        "DATABRICKS_GCP",
        "GCP",
        &["connection_service_id", "workspace_url"],
    ),
];

/// Regions accepted on create (the create-request enum of the spec,
/// `#/components/schemas/PrivateLinkCreateRequest/properties/region`; the destination
/// schemas `NewDestinationRequest` and `UpdateDestinationRequest` declare the same enum).
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

/// Destination services the API accepts: the keys of the spec's discriminator mapping of
/// `#/components/schemas/NewDestinationRequest` (37 services), plus `new_s3_datalake`,
/// which the official provider's mock tests create (fixture
/// `destinations-groups/destination_create_s3_datalake_tfp_201.json`). Any other service is
/// refused with `400 InvalidInput` `Unsupported service '<service>'` (the spec's example
/// `service_not_supported` of `POST /v1/destinations`).
pub const DESTINATION_SERVICES: &[&str] = &[
    "aiven_kafka_wh",
    "aurora_postgres_warehouse",
    "aurora_warehouse",
    "aws_msk_wh",
    "azure_postgres_warehouse",
    "azure_sql_data_warehouse",
    "azure_sql_database",
    "azure_sql_managed_db_warehouse",
    "big_query",
    "big_query_dts",
    "clickhouse",
    "confluent_cloud_wh",
    "databricks",
    "databricks_via_managed_data_lake",
    "managed_big_query",
    "managed_data_lake",
    "maria_rds_warehouse",
    "maria_warehouse",
    "materialize",
    "milvus",
    "motherduck",
    "mysql_rds_warehouse",
    "mysql_warehouse",
    "new_s3_datalake",
    "oracle_rac_warehouse",
    "oracle_rds_warehouse",
    "oracle_warehouse",
    "postgres_databricks_warehouse",
    "postgres_gcp_warehouse",
    "postgres_rds_warehouse",
    "postgres_warehouse",
    "redshift",
    "singlestore",
    "snowflake",
    "sql_server_rds_warehouse",
    "sql_server_warehouse",
    "surrealdb_destination",
    "teradata_destination",
];

/// A destination's `time_zone_offset`: the spec's enum (`NewDestinationRequest`,
/// `UpdateDestinationRequest`, `DestinationExtendedResponse`), whole hours with a sign,
/// zero unsigned.
pub const TIME_ZONE_OFFSETS: &[&str] = &[
    "-11", "-10", "-9", "-8", "-7", "-6", "-5", "-4", "-3", "-2", "-1", "0", "+1", "+2", "+3",
    "+4", "+5", "+6", "+7", "+8", "+9", "+10", "+11", "+12",
];

/// A destination's `networking_method`: the spec's enum (`NewDestinationRequest`,
/// `UpdateDestinationRequest`). Unlike connections, no `UnmanagedPrivateLink` was ever seen
/// for a destination (fixtures README, behaviour 22).
pub const DESTINATION_NETWORKING_METHODS: &[&str] =
    &["Directly", "PrivateLink", "SshTunnel", "ProxyAgent"];
