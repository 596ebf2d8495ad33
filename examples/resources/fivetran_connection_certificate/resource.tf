# Pin the certificate the database presents by its SHA-256 fingerprint, as printed by
# `openssl s_client -connect orders-db.example.com:5432 -starttls postgres </dev/null |
#  openssl x509 -noout -fingerprint -sha256`. The provider runs the connection's setup tests
# and approves exactly the certificate presented with this fingerprint; a wrong pin fails
# with the list of what was presented, and nothing is approved.
resource "fivetran_connection_certificate" "orders_db" {
  connection_id = "orders_db_connection" # e.g. fivetran_connection.orders_db.id
  sha256        = "C9:05:08:ED:33:5D:02:60:EB:88:66:86:5E:F1:CA:B7:E4:79:5C:E8:8E:25:1B:AF:47:C6:DB:60:07:D6:B5:EB"
}

# Or approve a certificate as the API takes it: the hash and the certificate a failed setup
# test reported (`encoded_cert` also accepts a PEM block; it is never stored in the state).
resource "fivetran_connection_certificate" "orders_db_replica" {
  connection_id = "orders_db_connection"
  hash          = "yQUI7TNdAmDriGaGXvHKt+R5XOiOJRuvR8bbYAfWtes"
  encoded_cert  = "LS0tLS1GSVZFVFJBTiBTSU0gQ0VSVElGSUNBVEUtLS0tLQpzdWJqZWN0PUNOPW9yZGVycy1kYi5leGFtcGxlLmNvbQppc3N1ZXI9Q049Rml2ZXRyYW4gU2ltdWxhdG9yIENBCnNlcmlhbD1kY2FhMDNlNjMzZjgyYmUwCmtleT0yZDcwMDljMTZhMzkyNTg3NjlkZmRlNzZiMDUzNmNjNGNmOGU4MDFjOTc1ZDc0NDhhNzFkYjZkZWQxODQyZWJiCg=="
}
