# Import a destination by its id, which is its group's id. Secrets are not imported
# (Fivetran never shows them): add config_secrets or config_secrets_wo afterwards.
terraform import fivetran_destination.warehouse <destination_id>
