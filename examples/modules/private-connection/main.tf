# A connection behind a private link, its pinned certificates and host keys, and the
# setup-tests gate: everything Fivetran's private-link workflow needs, as one module.

terraform {
  required_providers {
    fivetran = { source = "fivetran/fivetran" }
  }
}

resource "fivetran_private_link" "this" {
  name    = var.name
  region  = var.region
  service = var.link_service
  config  = var.link_config
}

resource "fivetran_connection" "this" {
  group_id          = var.group_id
  service           = var.service
  schema_prefix     = var.schema_prefix
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.this.id
  config            = var.config
  config_secrets    = var.secrets
}

resource "fivetran_connection_fingerprint" "this" {
  for_each      = var.host_key_public_keys
  connection_id = fivetran_connection.this.id
  public_key    = each.value
}

resource "fivetran_connection_certificate" "this" {
  for_each      = var.certificate_sha256
  connection_id = fivetran_connection.this.id
  sha256        = each.value
}

resource "fivetran_connection_setup_tests" "this" {
  connection_id = fivetran_connection.this.id
  paused        = var.paused

  depends_on = [fivetran_connection_certificate.this, fivetran_connection_fingerprint.this]
}
