# A group: the container of one destination and the connections loading into it.
resource "fivetran_group" "warehouse" {
  name = "analytics_warehouse"
}

output "warehouse_group_id" {
  value = fivetran_group.warehouse.id
}
