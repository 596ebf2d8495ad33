//! terraform-provider-fivetran: a Terraform provider for the Fivetran REST API that speaks the
//! plugin protocol 5 itself, and whose resources wait until the remote object is really ready.
//!
//! # Layout
//!
//! * [`protocol`]: tfplugin5 over gRPC, go-plugin handshake and AutoMTLS, cty values, schemas,
//!   diagnostics, logging. Knows nothing of Fivetran.
//! * [`framework`]: resources and data sources over the protocol: registry, typed models,
//!   default planning, timeouts, import. Knows nothing of Fivetran.
//! * [`client`]: the Fivetran REST API: typed calls, retries, rate limiting, waiting.
//!   Knows nothing of Terraform.
//! * [`resources`]: one folder per family of Terraform resources and data sources, mapping
//!   between their typed models and the client.
//! * [`provider`]: the `provider "fivetran"` block and the list of what it serves.
//!
//! The Registry documentation generated from the schemas is tooling, not product: it is in
//! `xtask/src/docs.rs`.

pub mod client;
pub mod framework;
pub mod protocol;
pub mod provider;
pub mod resources;

use std::process::ExitCode;
use std::sync::Arc;

use protocol::plugin::{HandshakeError, LaunchSettings};

/// Runs the provider as Terraform launches it; returns the process exit code.
pub fn run() -> ExitCode {
    install_panic_hook();
    let env: std::collections::HashMap<String, String> = std::env::vars().collect();
    let settings = match LaunchSettings::from_env(&env) {
        Ok(s) => s,
        Err(e @ HandshakeError::NotLaunchedByTerraform) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("Error: {e}");
            return ExitCode::from(1);
        }
    };
    protocol::logging::init_from_env();
    protocol::plugin::tls::install_default_crypto_provider();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async move {
        let framework =
            framework::Framework::new(provider::FivetranProvider).map_err(|e| e.to_string())?;
        let service = protocol::server::GrpcProvider::new(Arc::new(framework)).into_service();
        let shutdown = tokio_util::sync::CancellationToken::new();
        protocol::plugin::serve(settings, tonic::service::Routes::new(service), shutdown)
            .await
            .map_err(|e| e.to_string())
    });
    // Leave at once: background tasks (waits cancelled by Stop) must not delay the exit
    // Terraform is waiting for.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Terraform shows a crash report for a plugin whose stderr has a line starting `panic: `.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        eprintln!("panic: {info}\n\ngoroutine 1 [running]:\n{backtrace}");
    }));
}
