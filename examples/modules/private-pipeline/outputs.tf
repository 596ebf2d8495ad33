output "group_id" {
  description = "The group's id (also the destination's)."
  value       = fivetran_group.this.id
}

output "destination_setup_status" {
  description = "The destination's setup status after its gate (connected)."
  value       = fivetran_destination_setup_tests.this.setup_status
}

output "connection_id" {
  description = "The connection's id."
  value       = module.source.connection_id
}

output "connection_setup_state" {
  description = "The connection's setup state after its gate (connected)."
  value       = module.source.setup_state
}
