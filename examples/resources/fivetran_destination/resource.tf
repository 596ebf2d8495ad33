# A Snowflake warehouse reached through AWS PrivateLink. The destination is created once the
# private link is OK, without running the setup tests: fivetran_destination_setup_tests runs
# them (see its page).
variable "warehouse_password" {
  type      = string
  sensitive = true
}

variable "warehouse_password_version" {
  type    = number
  default = 1
}

resource "fivetran_group" "analytics" {
  name = "analytics"
}

resource "fivetran_private_link" "snowflake" {
  name    = "analytics_snowflake"
  region  = "AWS_US_EAST_1"
  service = "SNOWFLAKE_AWS"

  config = {
    account_url = "acme-xy12345.us-east-1.privatelink.snowflakecomputing.com"
    vpce_id     = "vpce-0123456789abcdef0"
  }
}

resource "fivetran_destination" "warehouse" {
  group_id         = fivetran_group.analytics.id
  service          = "snowflake"
  region           = "AWS_US_EAST_1"
  time_zone_offset = "0"

  networking_method = "PrivateLink"
  private_link_id   = fivetran_private_link.snowflake.id

  # Visible, drift-checked settings. Fivetran answers the port as text: no diff.
  config = {
    host     = "acme-xy12345.us-east-1.privatelink.snowflakecomputing.com"
    port     = 443
    database = "ANALYTICS"
    auth     = "PASSWORD"
    user     = "FIVETRAN_USER"
    role     = "FIVETRAN_ROLE"
  }

  # Write-only (Terraform 1.11+): never stored in the state. Increment the version to send
  # a rotated password. Before 1.11, use config_secrets (sensitive, stored in the state).
  config_secrets_wo = {
    password = var.warehouse_password
  }
  config_secrets_wo_version = var.warehouse_password_version
}
