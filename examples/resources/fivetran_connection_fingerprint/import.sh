# Import with <connection_id>/<hash>, the hash percent-encoded: "/" as %2F, "+" as %2B,
# "%" as %25 (the `id` attribute and the fivetran_connection_fingerprints data source show it).
terraform import fivetran_connection_fingerprint.bastion 'orders_db_connection/x76N9I9%2BynJvConEUClCJ53lBpRxDSY%2B6WGcOceEsjM'
