# A PostgreSQL source reached through a private link. The connection is created paused and
# without running the setup tests; the fivetran_connection_setup_tests gate below tests it
# and unpauses it once every test passes.
variable "db_password" {
  type      = string
  sensitive = true
}

variable "db_password_version" {
  type    = number
  default = 1
}

data "fivetran_group" "warehouse" {
  name = "warehouse"
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
  group_id      = data.fivetran_group.warehouse.id
  service       = "postgres_rds"
  schema_prefix = "orders"

  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.orders_db.id
  sync_frequency    = 60

  # Visible, drift-checked settings: numbers stay numbers.
  config = {
    host          = "orders.internal.example.com"
    port          = 5432
    database      = "orders"
    user          = "fivetran"
    update_method = "XMIN"
  }

  # Secrets: write-only (Terraform 1.11+), never stored in the state. Increment the version
  # to send a rotated password.
  config_secrets_wo = {
    password = var.db_password
  }
  config_secrets_wo_version = var.db_password_version
}

resource "fivetran_connection_setup_tests" "orders_db" {
  connection_id = fivetran_connection.orders_db.id
  paused        = false

  # Run the tests again when the settings or the password change.
  triggers = {
    config   = jsonencode(fivetran_connection.orders_db.config)
    password = tostring(var.db_password_version)
  }
}
