# The whole private-link workflow in one `terraform apply`:
#   private link (waits until OK) -> connection on it (created paused) -> certificate pin (runs
#   the setup tests, approves exactly the pinned certificate) -> setup-tests gate (tests again
#   and unpauses the connection once every test passes).
#
# `cargo run -p xtask -- demo` applies this against the bundled Fivetran simulator.

terraform {
  required_providers {
    fivetran = { source = "fivetran/fivetran" }
  }
}

# Credentials from FIVETRAN_APIKEY / FIVETRAN_APISECRET (and FIVETRAN_API_URL).
provider "fivetran" {}

variable "group_id" {
  type        = string
  description = "The destination group the connection loads into."
}

variable "database_host" {
  type        = string
  description = "Host name of the PostgreSQL database, as reached through the private link."
  default     = "orders-db.internal.example.com"
}

variable "database_certificate_sha256" {
  type        = string
  description = "SHA-256 fingerprint of the database's TLS certificate (hex, colons allowed): the one certificate Fivetran may trust."
}

variable "database_password" {
  type        = string
  sensitive   = true
  description = "Password of the database user."
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
  schema_prefix     = "orders"
  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.orders_db.id

  config = {
    host     = var.database_host
    port     = 5432
    database = "orders"
    user     = "fivetran"
  }

  config_secrets = {
    password = var.database_password
  }
}

resource "fivetran_connection_certificate" "orders_db" {
  connection_id = fivetran_connection.orders_db.id
  sha256        = var.database_certificate_sha256
}

resource "fivetran_connection_setup_tests" "orders_db" {
  connection_id = fivetran_connection.orders_db.id
  paused        = false

  # The tests can only pass once the certificate is approved.
  depends_on = [fivetran_connection_certificate.orders_db]
}

output "private_link" {
  value = {
    id    = fivetran_private_link.orders_db.id
    state = fivetran_private_link.orders_db.state
    host  = fivetran_private_link.orders_db.host
  }
}

output "connection" {
  value = {
    id          = fivetran_connection.orders_db.id
    setup_state = fivetran_connection_setup_tests.orders_db.setup_state
    paused      = fivetran_connection_setup_tests.orders_db.paused
  }
}

output "approved_certificate" {
  value = {
    name   = fivetran_connection_certificate.orders_db.name
    sha256 = fivetran_connection_certificate.orders_db.sha256
  }
}
