# Every certificate approved for a destination, with the id `terraform import` takes.
data "fivetran_destination_certificates" "warehouse" {
  destination_id = "warehouse_group"
}

output "warehouse_certificate_ids" {
  value = data.fivetran_destination_certificates.warehouse.certificates[*].id
}
