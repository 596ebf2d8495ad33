# The SSH public key Fivetran uses for a group: add it to your bastion's authorized_keys.
data "fivetran_group_public_key" "warehouse" {
  group_id = "warehouse_group"
}

output "bastion_authorized_key" {
  value = data.fivetran_group_public_key.warehouse.public_key
}
