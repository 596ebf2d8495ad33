# Import with <connection_id>/<hash>, the hash percent-encoded: "/" as %2F, "+" as %2B,
# "%" as %25 (the `id` attribute and the fivetran_connection_certificates data source show it).
terraform import fivetran_connection_certificate.orders_db 'orders_db_connection/yQUI7TNdAmDriGaGXvHKt%2BR5XOiOJRuvR8bbYAfWtes'
