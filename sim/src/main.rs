//! `fivetran-sim`: serve the simulator on 127.0.0.1 until SIGINT/SIGTERM (or end of
//! standard input with `--exit-on-stdin-eof`). See `fivetran-sim --help`.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use fivetran_sim::cli::{self, Action};

fn main() -> ExitCode {
    let options = match cli::from_env() {
        Ok(Action::Run(o)) => o,
        Ok(Action::Help) => return print(&cli::help()),
        Ok(Action::Version) => {
            return print(&format!("fivetran-sim {}\n", env!("CARGO_PKG_VERSION")))
        }
        Err(e) => {
            eprintln!("fivetran-sim: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fivetran-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(*options))
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

async fn run(options: cli::Options) -> ExitCode {
    let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("fivetran-sim: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fivetran-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (api_key, api_secret) = (
        options.config.api_key.clone(),
        options.config.api_secret.clone(),
    );
    let knobs = options.config.knobs.clone();
    let (app, admin) = fivetran_sim::app(options.config);
    let banner = format!(
        "fivetran-sim listening on http://{local}/v1\n\
         FIVETRAN_API_URL=http://{local}/v1\n\
         FIVETRAN_APIKEY={api_key}\n\
         FIVETRAN_APISECRET={api_secret}\n\
         FIVETRAN_GROUP_ID={}\n\
         FIVETRAN_SIM_ADMIN_URL=http://{local}/_sim\n",
        admin.group_id()
    );
    if print(&banner) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    eprintln!(
        "fivetran-sim: provisioning {}, update {}, destroy {}; logging requests to stderr",
        cli::describe(&knobs.provisioning),
        cli::describe(&knobs.update),
        cli::describe(&knobs.destroy)
    );
    fivetran_sim::serve(listener, app, stop_signal(options.exit_on_stdin_eof)).await;
    eprintln!("fivetran-sim: stopped");
    ExitCode::SUCCESS
}

/// Completes on SIGINT, SIGTERM, or (when asked) end of standard input.
async fn stop_signal(exit_on_stdin_eof: bool) {
    let stdin_eof = async {
        if exit_on_stdin_eof {
            use tokio::io::AsyncReadExt;
            let mut stdin = tokio::io::stdin();
            let mut buf = [0u8; 1024];
            while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
        } else {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
        () = stdin_eof => {}
    }
}
