//! The plugin channel itself: the handshake, who may connect, and how the process ends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{provider_binary, wait_until};

const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

#[test]
fn running_the_binary_by_hand_explains_and_exits_1() {
    let out = Command::new(provider_binary())
        .env_remove(COOKIE.0)
        .stdin(Stdio::null())
        .output()
        .expect("run provider");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("This binary is a plugin"),
        "stderr: {stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing may be printed on stdout");
}

#[test]
fn a_wrong_cookie_exits_1() {
    let out = Command::new(provider_binary())
        .env(COOKIE.0, "not-the-cookie")
        .stdin(Stdio::null())
        .output()
        .expect("run provider");
    assert_eq!(out.status.code(), Some(1));
}

/// A certificate + key a test client presents.
struct ClientIdentity {
    pem: String,
    der: Vec<u8>,
    key: Vec<u8>,
}

fn client_identity() -> ClientIdentity {
    let generated =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
    ClientIdentity {
        pem: generated.cert.pem(),
        der: generated.cert.der().to_vec(),
        key: generated.signing_key.serialize_der(),
    }
}

/// A provider process launched the way Terraform launches it, with its handshake parsed.
struct Launched {
    child: Child,
    socket: String,
    server_cert: Vec<u8>,
}

fn launch(client_cert_pem: &str) -> Launched {
    let mut child = Command::new(provider_binary())
        .env(COOKIE.0, COOKIE.1)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6,5")
        .env("PLUGIN_CLIENT_CERT", client_cert_pem)
        .env_remove("TF_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("handshake line");
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line: {line:?}");
    assert_eq!(&fields[..3], &["1", "5", "unix"]);
    assert_eq!(fields[4], "grpc");
    assert!(
        !fields[5].ends_with('='),
        "certificate must be unpadded base64"
    );
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .expect("base64 cert");
    Launched {
        child,
        socket: fields[3].to_string(),
        server_cert,
    }
}

/// Accepts exactly the server certificate announced in the handshake, as Terraform does.
#[derive(Debug)]
struct PinnedServer(Vec<u8>);

impl rustls::client::danger::ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_slice() {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "unexpected server certificate".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            m,
            c,
            d,
            &provider().signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            m,
            c,
            d,
            &provider().signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

fn tls_client(server_cert: &[u8], identity: Option<&ClientIdentity>) -> tokio_rustls::TlsConnector {
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(server_cert.to_vec())));
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(id.der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key.clone())),
            )
            .expect("client auth"),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Connects, sends the HTTP/2 preface, and reports whether the server answered with a frame.
async fn server_answers(launched: &Launched, identity: Option<&ClientIdentity>) -> bool {
    let stream = tokio::net::UnixStream::connect(&launched.socket)
        .await
        .expect("connect socket");
    let connector = tls_client(&launched.server_cert, identity);
    let name = ServerName::try_from("localhost").expect("name");
    let Ok(mut tls) = connector.connect(name, stream).await else {
        return false;
    };
    if tls
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 9];
    matches!(
        tokio::time::timeout(Duration::from_secs(5), tls.read(&mut buf)).await,
        Ok(Ok(n)) if n > 0
    )
}

#[tokio::test]
async fn only_terraforms_client_certificate_is_accepted() {
    let terraform = client_identity();
    let intruder = client_identity();
    let mut launched = launch(&terraform.pem);
    assert!(
        !server_answers(&launched, None).await,
        "a client without a certificate was served"
    );
    assert!(
        !server_answers(&launched, Some(&intruder)).await,
        "a client with another certificate was served"
    );
    assert!(
        server_answers(&launched, Some(&terraform)).await,
        "Terraform's own certificate was refused"
    );
    let _ = launched.child.kill();
    let _ = launched.child.wait();
}

/// The empty message of go-plugin's controller service.
#[derive(Clone, PartialEq, prost::Message)]
struct Empty {}

#[tokio::test]
async fn shutdown_exits_promptly_and_removes_the_socket() {
    let identity = client_identity();
    let mut launched = launch(&identity.pem);
    let socket = launched.socket.clone();
    let connector = tls_client(&launched.server_cert, Some(&identity));
    let channel = tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let (socket, connector) = (socket.clone(), connector.clone());
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                let name = ServerName::try_from("localhost").expect("name");
                let tls = connector.connect(name, stream).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
        .expect("connect with Terraform's certificate");
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.expect("ready");
    let path =
        tonic::codegen::http::uri::PathAndQuery::from_static("/plugin.GRPCController/Shutdown");
    let codec = tonic_prost::ProstCodec::<Empty, Empty>::default();
    grpc.unary(tonic::Request::new(Empty {}), path, codec)
        .await
        .expect("Shutdown RPC");
    let answered = Instant::now();
    let exited = wait_until(Duration::from_secs(2), || {
        matches!(launched.child.try_wait(), Ok(Some(_)))
    });
    let took = answered.elapsed();
    eprintln!("provider exited {took:?} after answering Shutdown");
    assert!(
        exited,
        "provider still running 2 s after Shutdown (Terraform would SIGKILL it)"
    );
    assert_eq!(launched.child.wait().expect("status").code(), Some(0));
    assert!(
        !std::path::Path::new(&launched.socket).exists(),
        "socket file left behind"
    );
}
