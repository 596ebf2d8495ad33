# Test a destination; apply fails, naming each failed test, until they pass.
variable "warehouse_password" {
  type      = string
  sensitive = true
}

resource "fivetran_group" "reporting" {
  name = "reporting"
}

resource "fivetran_destination" "reporting" {
  group_id         = fivetran_group.reporting.id
  service          = "postgres_rds_warehouse"
  time_zone_offset = "-5"

  config = {
    host     = "reporting-db.example.com"
    port     = 5432
    database = "reporting"
    user     = "fivetran"
  }

  config_secrets = {
    password = var.warehouse_password
  }
}

resource "fivetran_destination_setup_tests" "reporting" {
  destination_id = fivetran_destination.reporting.id

  # Trusts whatever TLS certificate the warehouse presents. To approve exactly one instead,
  # leave this out: a failed run prints the fivetran_destination_certificate block to add
  # (then list it in depends_on).
  trust_certificates = true

  # Run the tests again when the settings change.
  triggers = {
    config = jsonencode(fivetran_destination.reporting.config)
  }
}
