# Import with <destination_id>/<hash>, the hash percent-encoded: "/" as %2F, "+" as %2B,
# "%" as %25 (the `id` attribute and the fivetran_destination_certificates data source show it).
terraform import fivetran_destination_certificate.warehouse 'warehouse_group/j6YUxLI05fAkgW3V0jkwIPjGYqEHW%2BsovRDa2uNt21s'
