# The whole private-link flow in one `terraform apply`:
#   private link (waits until OK) -> paused connection on it -> certificate pin (runs the
#   setup tests, approves exactly the pinned certificate) -> setup-tests gate (runs the tests
#   again, and unpauses the connection once they pass).
#
# Only validated after the fivetran_connection and fivetran_connection_setup_tests resources
# are merged; see README.md.

terraform {
  required_providers {
    fivetran = { source = "fivetran/fivetran" }
  }
}

provider "fivetran" {}

variable "group_id" {
  type        = string
  description = "The destination group the connection loads into."
}

variable "orders_db_sha256" {
  type        = string
  description = "SHA-256 fingerprint of the database's TLS certificate (colons allowed)."
  default     = "C9:05:08:ED:33:5D:02:60:EB:88:66:86:5E:F1:CA:B7:E4:79:5C:E8:8E:25:1B:AF:47:C6:DB:60:07:D6:B5:EB"
}

resource "fivetran_private_link" "orders_db" {
  name    = "orders_db"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"

  config = {
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  }
}

resource "fivetran_connection" "orders_db" {
  group_id          = var.group_id
  service           = "postgres"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.orders_db.id

  config = {
    schema_prefix = "orders"
    host          = "orders-db.example.com"
    port          = 5432
    database      = "orders"
    user          = "fivetran"
  }
}

resource "fivetran_connection_certificate" "orders_db" {
  connection_id = fivetran_connection.orders_db.id
  sha256        = var.orders_db_sha256
}

resource "fivetran_connection_setup_tests" "orders_db" {
  connection_id = fivetran_connection.orders_db.id
  paused        = false

  # The tests can only pass once the certificate is approved.
  depends_on = [fivetran_connection_certificate.orders_db]
}

output "approved_certificate" {
  value = {
    name   = fivetran_connection_certificate.orders_db.name
    sha256 = fivetran_connection_certificate.orders_db.sha256
    id     = fivetran_connection_certificate.orders_db.id
  }
}
