variable "name" {
  type        = string
  description = "Name of the private link, unique in the account (e.g. pl-source-aws-prod)."
}

variable "region" {
  type        = string
  description = "Private link region, e.g. AWS_US_EAST_1."
}

variable "link_service" {
  type        = string
  description = "Private link service, e.g. SOURCE_AWS."
  default     = "SOURCE_AWS"
}

variable "link_config" {
  type        = map(string)
  description = "Private link config, e.g. { connection_service_name = \"com.amazonaws.vpce...\" }."
}

variable "group_id" {
  type        = string
  description = "Destination group the connection loads into."
}

variable "service" {
  type        = string
  description = "Connector service, e.g. postgres."
}

variable "schema_prefix" {
  type        = string
  description = "Destination schema prefix."
}

variable "config" {
  type        = any
  description = "Visible connection settings (host, port, database, user, ...)."
}

variable "secrets" {
  type        = map(string)
  sensitive   = true
  description = "Secret connection settings (password, private_key, ...)."
  default     = {}
}

variable "certificate_sha256" {
  type        = set(string)
  description = "SHA-256 fingerprints of the TLS certificates to approve."
  default     = []
}

variable "host_key_public_keys" {
  type        = set(string)
  description = "SSH public key lines of the tunnel hosts to approve."
  default     = []
}

variable "paused" {
  type        = bool
  description = "Leave the connection paused after the setup tests pass."
  default     = false
}
