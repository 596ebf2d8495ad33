# Import the gate of a destination by the destination's id (its group's id). The next apply
# runs no test while the destination is connected.
terraform import fivetran_destination_setup_tests.reporting <destination_id>
