//! AutoMTLS as Terraform expects it: a fresh server certificate for `localhost`, and a client
//! verifier that accepts exactly one certificate, the one Terraform handed us.
//!
//! Why not rustls' stock verifier: Terraform's client certificate is self-signed with `CA:TRUE`,
//! which webpki refuses as an end-entity certificate. Pinning the exact DER is stronger anyway:
//! no other local process can talk to the provider.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("could not generate the server certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("could not build the TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The server side of AutoMTLS: the rustls config and the certificate to announce.
pub struct ServerTls {
    pub config: Arc<rustls::ServerConfig>,
    pub cert_der: Vec<u8>,
}

/// Builds the TLS server configuration pinned to `client_cert_der`.
pub fn server_tls(client_cert_der: Vec<u8>) -> Result<ServerTls, TlsError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    let cert_der = generated.cert.der().to_vec();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        generated.signing_key.serialize_der(),
    ));
    let verifier = Arc::new(PinnedClientCert {
        expected: client_cert_der,
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![CertificateDer::from(cert_der.clone())], key)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(ServerTls {
        config: Arc::new(config),
        cert_der,
    })
}

/// Accepts only a client presenting exactly the pinned certificate.
#[derive(Debug)]
struct PinnedClientCert {
    expected: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_slice() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "client certificate is not the one Terraform announced".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Makes the aws-lc-rs provider the process default, for code (reqwest) that asks for one.
pub fn install_default_crypto_provider() {
    let _ = CryptoProvider::install_default(rustls::crypto::aws_lc_rs::default_provider());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p521_sha512_is_offered_for_terraforms_client_key() {
        let tls = server_tls(vec![1, 2, 3]).expect("tls");
        assert_eq!(tls.config.alpn_protocols, vec![b"h2".to_vec()]);
        let verifier = PinnedClientCert {
            expected: vec![],
            algorithms: rustls::crypto::aws_lc_rs::default_provider()
                .signature_verification_algorithms,
        };
        assert!(verifier
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn only_the_pinned_certificate_is_accepted() {
        let verifier = PinnedClientCert {
            expected: vec![9, 9, 9],
            algorithms: rustls::crypto::aws_lc_rs::default_provider()
                .signature_verification_algorithms,
        };
        let now = UnixTime::now();
        assert!(verifier
            .verify_client_cert(&CertificateDer::from(vec![9, 9, 9]), &[], now)
            .is_ok());
        assert!(verifier
            .verify_client_cert(&CertificateDer::from(vec![9, 9, 8]), &[], now)
            .is_err());
    }
}
