# Import with <destination_id>/<hash>, the hash percent-encoded: "/" as %2F, "+" as %2B,
# "%" as %25 (the `id` attribute and the fivetran_destination_fingerprints data source show it).
terraform import fivetran_destination_fingerprint.bastion 'warehouse_group/x76N9I9%2BynJvConEUClCJ53lBpRxDSY%2B6WGcOceEsjM'
