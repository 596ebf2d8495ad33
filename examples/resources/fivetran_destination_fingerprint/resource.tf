# A destination reached through an SSH tunnel: approve the bastion's host key by its public
# key, and pin the warehouse's certificate behind it. No depends_on is needed: the
# certificate pin waits (up to two minutes) while the host key check stops the setup tests.
resource "fivetran_destination_fingerprint" "bastion" {
  destination_id = "warehouse_group"
  public_key     = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbGWNEyAvqvP3A+Uoyle9/s1cCtPi8kQFdmDDKX8iP3 root@bastion"
}

resource "fivetran_destination_certificate" "warehouse_behind_bastion" {
  destination_id = "warehouse_group"
  sha256         = "8fa614c4b234e5f024816dd5d2393020f8c662a1075beb28bd10dadae36ddb5b"
}
