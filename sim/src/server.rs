//! Serving the router on a TCP listener, and [`SimServer`], the in-process handle tests
//! use.
//!
//! The accept loop is hand-written on hyper (rather than `axum::serve`) for one reason:
//! the "dropped connection" fault must close a socket without answering, so every
//! connection gets a [`ConnectionKiller`] that the middleware can fire.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::admin::Admin;
use crate::config::SimConfig;

/// Closes the connection a request arrived on (request extension set by [`serve`]).
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKiller(Arc<Notify>);

impl ConnectionKiller {
    pub(crate) fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then closes every connection.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let (closing_tx, closing_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let Ok((stream, _peer)) = accepted else {
            // Accept errors (e.g. too many open files) are transient: keep serving.
            tokio::task::yield_now().await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let killer = ConnectionKiller(kill.clone());
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let mut req = req.map(Body::new);
                req.extensions_mut().insert(killer.clone());
                app.clone().oneshot(req)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                () = kill.notified() => {}
                _ = closing.wait_for(|c| *c) => {}
            }
        });
    }
    let _ = closing_tx.send(true);
}

/// A simulator running on `127.0.0.1` in a background thread with its own tokio runtime.
/// Usable from plain `#[test]` functions and from async code; dropping it shuts it down.
pub struct SimServer {
    addr: SocketAddr,
    api_key: String,
    api_secret: String,
    group_id: String,
    admin: Admin,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SimServer {
    /// Starts a simulator on `127.0.0.1:0` (any free port).
    pub fn spawn(config: SimConfig) -> io::Result<SimServer> {
        SimServer::spawn_on(config, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Starts a simulator on the given address.
    pub fn spawn_on(config: SimConfig, addr: SocketAddr) -> io::Result<SimServer> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (api_key, api_secret) = (config.api_key.clone(), config.api_secret.clone());
        let (app, admin) = crate::app(config);
        let group_id = admin.group_id().to_string();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fivetran-sim")
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let thread = std::thread::Builder::new()
            .name("fivetran-sim".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    serve(listener, app, async {
                        let _ = stopped.await;
                    })
                    .await;
                });
                runtime.shutdown_background();
            })?;
        ready_rx
            .recv()
            .map_err(|_| io::Error::other("the simulator thread exited before listening"))??;
        Ok(SimServer {
            addr,
            api_key,
            api_secret,
            group_id,
            admin,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// `http://127.0.0.1:PORT` (the admin API is under `/_sim`).
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The accepted API key.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The accepted API secret.
    pub fn api_secret(&self) -> &str {
        &self.api_secret
    }

    /// The starting group; its destination has the same id.
    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    /// The in-process admin handle.
    pub fn admin(&self) -> Admin {
        self.admin.clone()
    }

    /// Stops serving and waits for the background thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

impl std::fmt::Debug for SimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr)
            .field("group_id", &self.group_id)
            .finish_non_exhaustive()
    }
}
