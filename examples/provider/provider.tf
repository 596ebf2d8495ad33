terraform {
  required_providers {
    fivetran = {
      source = "fivetran/fivetran"
    }
  }
}

# Credentials can also come from FIVETRAN_APIKEY / FIVETRAN_APISECRET / FIVETRAN_API_URL.
provider "fivetran" {
  api_key    = var.fivetran_api_key
  api_secret = var.fivetran_api_secret
}

variable "fivetran_api_key" {
  type = string
}

variable "fivetran_api_secret" {
  type      = string
  sensitive = true
}
