# Read a connection's live state: whether it is paused and connected right now.
data "fivetran_connection" "orders_db" {
  id = "intending_vacancy"
}

output "orders_db_running" {
  value = !data.fivetran_connection.orders_db.paused && data.fivetran_connection.orders_db.status.setup_state == "connected"
}
