# Import a group by its id (also its destination's id).
terraform import fivetran_group.warehouse <group_id>
