# Every SSH host key approved for a connection.
data "fivetran_connection_fingerprints" "orders_db" {
  connection_id = "orders_db_connection"
}

output "orders_db_host_keys" {
  value = data.fivetran_connection_fingerprints.orders_db.fingerprints[*].public_key
}
