variable "group_name" {
  type        = string
  description = "Name of the group (unique in the account)."
}

variable "warehouse_link_name" {
  type        = string
  description = "Name of the warehouse-side private link."
}

variable "warehouse_link_region" {
  type        = string
  description = "Region of the warehouse-side private link, e.g. AWS_US_EAST_1."
}

variable "warehouse_link_service" {
  type        = string
  description = "Private link service of the warehouse, e.g. SNOWFLAKE_AWS."
}

variable "warehouse_link_config" {
  type        = map(string)
  description = "Its config, e.g. { account_url = \"...privatelink.snowflakecomputing.com\", vpce_id = \"vpce-...\" }."
}

variable "destination_service" {
  type        = string
  description = "Destination type, e.g. snowflake."
}

variable "destination_region" {
  type        = string
  description = "Fivetran processing region of the destination, e.g. AWS_US_EAST_1."
}

variable "time_zone_offset" {
  type        = string
  description = "Time zone offset of the destination, \"-11\" to \"+12\" (zero as \"0\")."
  default     = "0"
}

variable "destination_config" {
  type        = any
  description = "Visible destination settings (host, port, database, user, ...)."
}

variable "destination_secrets" {
  type        = map(string)
  sensitive   = true
  description = "Secret destination settings (password, private_key, ...)."
  default     = {}
}

variable "destination_certificate_sha256" {
  type        = set(string)
  description = "SHA-256 fingerprints of the warehouse certificates to approve."
  default     = []
}

variable "source_link_name" {
  type        = string
  description = "Name of the source-side private link."
}

variable "source_link_region" {
  type        = string
  description = "Region of the source-side private link."
}

variable "source_link_service" {
  type        = string
  description = "Private link service of the source, e.g. SOURCE_AWS."
  default     = "SOURCE_AWS"
}

variable "source_link_config" {
  type        = map(string)
  description = "Its config, e.g. { connection_service_name = \"com.amazonaws.vpce...\" }."
}

variable "source_service" {
  type        = string
  description = "Connector service, e.g. postgres."
}

variable "source_schema_prefix" {
  type        = string
  description = "Destination schema prefix of the connection."
}

variable "source_config" {
  type        = any
  description = "Visible connection settings."
}

variable "source_secrets" {
  type        = map(string)
  sensitive   = true
  description = "Secret connection settings."
  default     = {}
}

variable "source_certificate_sha256" {
  type        = set(string)
  description = "SHA-256 fingerprints of the source certificates to approve."
  default     = []
}
