# Both ends of a private pipeline in one module: a group, the warehouse behind its own
# private link (the destination, its pinned certificates, its setup-tests gate), and a source
# behind another private link (the private-connection module: connection, pins, gate).
#
# Order comes from references: the destination waits for its link to be OK; its gate for
# its pins; the connection loads into the group only once the destination's gate passed
# (group_id is the gate's id); the source's private link provisions meanwhile, since nothing
# it needs is on the warehouse side.

terraform {
  required_providers {
    fivetran = { source = "fivetran/fivetran" }
  }
}

resource "fivetran_group" "this" {
  name = var.group_name
}

resource "fivetran_private_link" "warehouse" {
  name    = var.warehouse_link_name
  region  = var.warehouse_link_region
  service = var.warehouse_link_service
  config  = var.warehouse_link_config
}

resource "fivetran_destination" "this" {
  group_id          = fivetran_group.this.id
  service           = var.destination_service
  region            = var.destination_region
  time_zone_offset  = var.time_zone_offset
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.warehouse.id
  config            = var.destination_config
  config_secrets    = var.destination_secrets
}

resource "fivetran_destination_certificate" "this" {
  for_each       = var.destination_certificate_sha256
  destination_id = fivetran_destination.this.id
  sha256         = each.value
}

resource "fivetran_destination_setup_tests" "this" {
  destination_id = fivetran_destination.this.id

  depends_on = [fivetran_destination_certificate.this]
}

module "source" {
  source = "../private-connection"

  name         = var.source_link_name
  region       = var.source_link_region
  link_service = var.source_link_service
  link_config  = var.source_link_config

  # The gate's id is the destination's, which is the group's.
  group_id           = fivetran_destination_setup_tests.this.id
  service            = var.source_service
  schema_prefix      = var.source_schema_prefix
  config             = var.source_config
  secrets            = var.source_secrets
  certificate_sha256 = var.source_certificate_sha256
}
