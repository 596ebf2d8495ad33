# Test a connection and unpause it once the tests pass.
resource "fivetran_connection" "billing" {
  group_id = "decent_dropsy"
  service  = "mysql"
  schema   = "billing"

  config = {
    host     = "billing-db.example.com"
    port     = 3306
    user     = "fivetran"
    database = "billing"
  }
}

resource "fivetran_connection_setup_tests" "billing" {
  connection_id = fivetran_connection.billing.id

  # Trusts whatever TLS certificate the source presents. To approve exactly one instead,
  # leave this out: a failed run prints the fivetran_connection_certificate block to add
  # (then list it in depends_on).
  trust_certificates = true

  paused = false

  timeouts {
    create = "45m"
  }
}
