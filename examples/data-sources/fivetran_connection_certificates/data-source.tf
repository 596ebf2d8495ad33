# Every certificate approved for a connection, however it was approved.
data "fivetran_connection_certificates" "orders_db" {
  connection_id = "orders_db_connection"
}

output "orders_db_certificates" {
  value = { for c in data.fivetran_connection_certificates.orders_db.certificates : c.name => c.sha256 }
}
