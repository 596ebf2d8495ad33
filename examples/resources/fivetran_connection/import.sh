# Import a connection by its id. Secrets are not imported (Fivetran never shows them): add
# config_secrets or config_secrets_wo afterwards if Terraform should manage them.
terraform import fivetran_connection.orders_db <connection_id>
