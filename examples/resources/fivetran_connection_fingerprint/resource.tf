# Approve the SSH tunnel's host key by the public key you already have (e.g. the content of
# the bastion's /etc/ssh/ssh_host_ed25519_key.pub; the comment does not matter). The provider
# runs the connection's setup tests and approves the key only if the tunnel presents it.
resource "fivetran_connection_fingerprint" "bastion" {
  connection_id = "orders_db_connection" # e.g. fivetran_connection.orders_db.id
  public_key    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbGWNEyAvqvP3A+Uoyle9/s1cCtPi8kQFdmDDKX8iP3 root@bastion"
}

# With `hash` as well, the key is approved as the API takes it, without running setup tests.
resource "fivetran_connection_fingerprint" "bastion_explicit" {
  connection_id = "orders_db_connection"
  hash          = "x76N9I9+ynJvConEUClCJ53lBpRxDSY+6WGcOceEsjM"
  public_key    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbGWNEyAvqvP3A+Uoyle9/s1cCtPi8kQFdmDDKX8iP3"
}
