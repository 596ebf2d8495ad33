# Look up a group (a destination and its connections) by name, or by id.
data "fivetran_group" "warehouse" {
  name = "warehouse"
}

output "warehouse_group_id" {
  value = data.fivetran_group.warehouse.id
}
