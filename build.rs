//! Compiles `proto/` into Rust with tonic + prost.
//!
//! The proto compiler is `protox` (pure Rust, with the well-known types built in), so building
//! needs no `protoc` on the system. Only server stubs are generated: the provider never dials
//! Terraform.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = ["proto/tfplugin5.proto", "proto/plugin.proto"];
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let descriptors = protox::compile(protos, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
