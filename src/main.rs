//! Entry point: serve the Fivetran provider to Terraform over the plugin protocol.

fn main() -> std::process::ExitCode {
    terraform_provider_fivetran::run()
}
