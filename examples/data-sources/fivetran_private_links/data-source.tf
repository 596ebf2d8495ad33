# Every private link of the account.
data "fivetran_private_links" "all" {}

output "links_not_ok" {
  value = [for l in data.fivetran_private_links.all.items : l.name if l.state != "OK"]
}
