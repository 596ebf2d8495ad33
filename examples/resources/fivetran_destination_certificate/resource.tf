# Pin the certificate the destination's warehouse presents by its SHA-256 fingerprint. The
# provider runs the destination's setup tests and approves exactly that certificate.
resource "fivetran_destination_certificate" "warehouse" {
  destination_id = "warehouse_group" # the destination's id is its group's id
  sha256         = "8fa614c4b234e5f024816dd5d2393020f8c662a1075beb28bd10dadae36ddb5b"
}
