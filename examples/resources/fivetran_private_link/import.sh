# Import a private link by its id.
terraform import fivetran_private_link.orders_db <private_link_id>
