# Import the gate of an existing connection by the connection's id.
terraform import fivetran_connection_setup_tests.billing <connection_id>
