//! go-plugin's controller (`Shutdown`) and stdio stream services.

use std::pin::Pin;

use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::protocol::wire::plugin::{
    grpc_controller_server::GrpcController, grpc_stdio_server::GrpcStdio, Empty, StdioData,
};

/// `plugin.GRPCController`: Terraform calls `Shutdown` at the end of every provider instance
/// and SIGKILLs us two seconds later if we are still there.
pub struct Controller {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::debug!("Shutdown requested by Terraform");
        self.shutdown.cancel();
        Ok(Response::new(Empty {}))
    }
}

/// `plugin.GRPCStdio`: we never write to stdout or stderr through it (Terraform logs every
/// chunk as unexpected data), so the stream stays idle and ends at shutdown.
pub struct Stdio {
    pub shutdown: CancellationToken,
}

type StdioStream =
    Pin<Box<dyn tokio_stream::Stream<Item = Result<StdioData, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = StdioStream;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            shutdown.cancelled().await;
            drop(tx);
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
