# A private link to a database behind an AWS endpoint service. `terraform apply` returns only
# once Fivetran reports the link OK, so a connection that uses it can be created right after.
resource "fivetran_private_link" "orders_db" {
  name    = "orders_db"
  region  = "AWS_US_EAST_1"
  service = "SOURCE_AWS"

  config = {
    connection_service_name = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  }

  timeouts {
    create = "45m"
  }
}
