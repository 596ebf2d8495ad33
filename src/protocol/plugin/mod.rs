//! go-plugin plumbing: the handshake, AutoMTLS, the listener and the controller services.
//! Knows nothing of Terraform resources; it serves whatever tonic routes it is given.

pub mod controller;
pub mod handshake;
pub mod io;
pub mod serve;
pub mod tls;

pub use handshake::{HandshakeError, LaunchSettings};
pub use serve::{serve, ServeError};
