output "private_link_id" {
  value = fivetran_private_link.this.id
}

output "private_link_host" {
  value = fivetran_private_link.this.host
}

output "connection_id" {
  value = fivetran_connection.this.id
}

output "setup_state" {
  value = fivetran_connection_setup_tests.this.setup_state
}

output "approved_certificates" {
  value = { for k, c in fivetran_connection_certificate.this : k => c.hash }
}
