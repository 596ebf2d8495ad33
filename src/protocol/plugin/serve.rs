//! Listens, prints the handshake line, serves gRPC until Terraform says `Shutdown` (or our
//! parent dies), then removes the socket file.
//!
//! Signals: SIGINT reaches us too when a user presses Ctrl-C (same process group). We ignore it
//! and let Terraform call `Stop`, so in-flight applies finish and land in state.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;

use super::controller::{Controller, Stdio};
use super::handshake::{handshake_line, Address, LaunchSettings};
use super::io::PluginIo;
use super::tls::{server_tls, TlsError};
use crate::protocol::wire::plugin::{
    grpc_controller_server::GrpcControllerServer, grpc_stdio_server::GrpcStdioServer,
};

/// How long a TLS handshake may take before the connection is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// After `Shutdown`, in-flight responses get this long to drain before we exit; Terraform
/// closes its side right away, and kills us after 2 s.
const DRAIN_AFTER_SHUTDOWN: Duration = Duration::from_millis(50);
/// A unix socket path longer than this does not fit `sun_path`; use TCP instead.
const MAX_SOCKET_PATH: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("could not listen for Terraform: {0}")]
    Listen(std::io::Error),
    #[error("could not write the handshake line: {0}")]
    Handshake(std::io::Error),
}

enum Listener {
    Unix(UnixListener, PathBuf),
    Tcp(TcpListener),
}

/// Serves `routes` (the tfplugin5 service) plus go-plugin's controller and stdio services.
/// `shutdown` is cancelled by the `Shutdown` RPC; cancel it yourself to stop serving.
pub async fn serve(
    settings: LaunchSettings,
    routes: Routes,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    ignore_interrupts();
    exit_with_parent(shutdown.clone());

    let tls = match settings.client_cert_der.clone() {
        Some(client_cert) => Some(server_tls(client_cert)?),
        None => None,
    };
    let listener = listen(&settings).await.map_err(ServeError::Listen)?;
    let address = match &listener {
        Listener::Unix(_, path) => Address::Unix(path.display().to_string()),
        Listener::Tcp(l) => Address::Tcp(l.local_addr().map_err(ServeError::Listen)?),
    };

    let (tx, rx) = tokio::sync::mpsc::channel::<Result<PluginIo, std::io::Error>>(16);
    let acceptor = tls
        .as_ref()
        .map(|t| tokio_rustls::TlsAcceptor::from(t.config.clone()));
    let socket_path = match &listener {
        Listener::Unix(_, path) => Some(path.clone()),
        Listener::Tcp(_) => None,
    };
    tokio::spawn(accept_loop(listener, acceptor, tx, shutdown.clone()));

    let routes = routes
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcStdioServer::new(Stdio {
            shutdown: shutdown.clone(),
        }));
    let server = tonic::transport::Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(ReceiverStream::new(rx), shutdown.clone().cancelled_owned());
    let server = tokio::spawn(server);

    let line = handshake_line(&address, tls.as_ref().map(|t| t.cert_der.as_slice()));
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|_| stdout.flush())
        .map_err(ServeError::Handshake)?;
    drop(stdout);
    tracing::debug!(address = ?address, "serving plugin protocol 5");

    shutdown.cancelled().await;
    let _ = tokio::time::timeout(DRAIN_AFTER_SHUTDOWN, server).await;
    if let Some(path) = socket_path {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

async fn listen(settings: &LaunchSettings) -> std::io::Result<Listener> {
    let dir = settings
        .socket_dir
        .as_ref()
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let candidates = (0..10).map(|_| dir.join(format!("plugin{:016x}", rand::random::<u64>())));
    if let Some((listener, path)) = bind_fresh_socket(candidates) {
        return Ok(Listener::Unix(listener, path));
    }
    let span = u32::from(settings.max_port - settings.min_port) + 1;
    let start = rand::random::<u32>() % span;
    let mut last_error = None;
    for i in 0..span {
        let port = settings.min_port + ((start + i) % span) as u16;
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => return Ok(Listener::Tcp(l)),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free port in range")))
}

/// Binds the first candidate path that does not exist yet. An existing path is never reused
/// or removed: it may be another process's live socket. `None` when no candidate fits
/// `sun_path` or the directory refuses sockets (the caller falls back to TCP).
fn bind_fresh_socket(candidates: impl Iterator<Item = PathBuf>) -> Option<(UnixListener, PathBuf)> {
    for path in candidates {
        if path.as_os_str().len() > MAX_SOCKET_PATH {
            return None;
        }
        if path.exists() {
            continue;
        }
        match UnixListener::bind(&path) {
            Ok(l) => return Some((l, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                tracing::debug!(error = %e, "unix socket unavailable, using TCP");
                return None;
            }
        }
    }
    None
}

async fn accept_loop(
    listener: Listener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    tx: tokio::sync::mpsc::Sender<Result<PluginIo, std::io::Error>>,
    shutdown: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = accept(&listener) => accepted,
        };
        match accepted {
            Ok(Accepted::Unix(s)) => spawn_handshake(s, acceptor.clone(), tx.clone()),
            Ok(Accepted::Tcp(s)) => spawn_handshake(s, acceptor.clone(), tx.clone()),
            Err(e) => {
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

enum Accepted {
    Unix(tokio::net::UnixStream),
    Tcp(tokio::net::TcpStream),
}

async fn accept(listener: &Listener) -> std::io::Result<Accepted> {
    match listener {
        Listener::Unix(l, _) => l.accept().await.map(|(s, _)| Accepted::Unix(s)),
        Listener::Tcp(l) => l.accept().await.map(|(s, _)| {
            let _ = s.set_nodelay(true);
            Accepted::Tcp(s)
        }),
    }
}

fn spawn_handshake<S>(
    stream: S,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    tx: tokio::sync::mpsc::Sender<Result<PluginIo, std::io::Error>>,
) where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    tokio::spawn(async move {
        let io = match acceptor {
            None => PluginIo::new(stream),
            Some(acceptor) => {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(tls)) => PluginIo::new(tls),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "refused a connection without Terraform's client certificate");
                        return;
                    }
                    Err(_) => {
                        tracing::warn!("refused a connection: TLS handshake timed out");
                        return;
                    }
                }
            }
        };
        let _ = tx.send(Ok(io)).await;
    });
}

fn ignore_interrupts() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
        Ok(mut interrupts) => {
            tokio::spawn(async move {
                while interrupts.recv().await.is_some() {
                    tracing::info!("SIGINT received (ignored); Terraform will call Stop");
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "could not install the SIGINT handler"),
    }
}

/// Terraform never shuts down a provider whose Terraform crashed; notice and leave.
fn exit_with_parent(shutdown: CancellationToken) {
    let parent = std::os::unix::process::parent_id();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
            if std::os::unix::process::parent_id() != parent {
                tracing::warn!("Terraform (our parent process) is gone; exiting");
                shutdown.cancel();
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_existing_socket_path_is_never_reused() {
        let dir = std::env::temp_dir().join(format!("tfp-socket-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let stale = dir.join("plugin-stale");
        std::fs::write(&stale, b"someone else's").expect("stale file");
        let fresh = dir.join("plugin-fresh");
        let (_listener, path) =
            bind_fresh_socket([stale.clone(), fresh.clone()].into_iter()).expect("bound");
        assert_eq!(path, fresh);
        assert_eq!(std::fs::read(&stale).expect("untouched"), b"someone else's");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_path_too_long_for_sun_path_falls_back() {
        let long = PathBuf::from(format!("/tmp/{}", "x".repeat(MAX_SOCKET_PATH + 1)));
        assert!(bind_fresh_socket(std::iter::once(long)).is_none());
    }
}
