# Every SSH host key approved for a destination.
data "fivetran_destination_fingerprints" "warehouse" {
  destination_id = "warehouse_group"
}

output "warehouse_host_keys" {
  value = data.fivetran_destination_fingerprints.warehouse.fingerprints[*].public_key
}
