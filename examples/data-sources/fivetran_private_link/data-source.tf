# Look up a private link created elsewhere, by name (or by id).
data "fivetran_private_link" "shared" {
  name = "shared_warehouse_link"
}

output "shared_link_host" {
  value = data.fivetran_private_link.shared.host
}
