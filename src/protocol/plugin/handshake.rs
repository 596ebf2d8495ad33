//! The go-plugin handshake: what Terraform puts in our environment and the line we answer with.
//!
//! Pure functions over an environment snapshot, so every rule is testable without a process.

use std::collections::HashMap;

/// The magic cookie go-plugin clients set for Terraform providers.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's core protocol version, the first field of the handshake line.
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol major version this provider serves.
pub const APP_PROTOCOL_VERSION: u32 = 5;

/// What a person sees when running the binary by hand (go-plugin's wording, so users recognise it).
pub const NOT_A_PROGRAM: &str =
    "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will load any plugins\n\
automatically";

/// Why the process cannot serve Terraform.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    #[error("{NOT_A_PROGRAM}")]
    NotLaunchedByTerraform,
    #[error("this provider speaks plugin protocol {APP_PROTOCOL_VERSION}, but Terraform offered only {offered:?}; use Terraform 0.12 or later")]
    NoCommonProtocol { offered: String },
    #[error("PLUGIN_CLIENT_CERT is not a PEM certificate: {0}")]
    BadClientCertificate(String),
}

/// Where and how to listen, decided from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchSettings {
    /// Terraform's client certificate (DER). `None` only when Terraform disabled AutoMTLS.
    pub client_cert_der: Option<Vec<u8>>,
    /// Directory for the unix socket, if Terraform asked for one.
    pub socket_dir: Option<String>,
    /// Port range for the TCP fallback.
    pub min_port: u16,
    pub max_port: u16,
}

impl LaunchSettings {
    /// Checks the cookie and the protocol versions and reads the transport settings.
    pub fn from_env(env: &HashMap<String, String>) -> Result<Self, HandshakeError> {
        if env.get(MAGIC_COOKIE_KEY).map(String::as_str) != Some(MAGIC_COOKIE_VALUE) {
            return Err(HandshakeError::NotLaunchedByTerraform);
        }
        if let Some(offered) = env.get("PLUGIN_PROTOCOL_VERSIONS") {
            let ours = APP_PROTOCOL_VERSION.to_string();
            if !offered.split(',').any(|v| v.trim() == ours) {
                return Err(HandshakeError::NoCommonProtocol {
                    offered: offered.clone(),
                });
            }
        }
        let client_cert_der = match env
            .get("PLUGIN_CLIENT_CERT")
            .filter(|s| !s.trim().is_empty())
        {
            Some(pem) => Some(pem_to_der(pem)?),
            None => None,
        };
        let port = |key: &str, default: u16| {
            env.get(key)
                .and_then(|v| v.trim().parse::<u16>().ok())
                .unwrap_or(default)
        };
        let (min_port, max_port) = (
            port("PLUGIN_MIN_PORT", 10000),
            port("PLUGIN_MAX_PORT", 25000),
        );
        Ok(LaunchSettings {
            client_cert_der,
            socket_dir: env
                .get("PLUGIN_UNIX_SOCKET_DIR")
                .filter(|s| !s.is_empty())
                .cloned(),
            min_port: min_port.min(max_port),
            max_port: max_port.max(min_port),
        })
    }
}

fn pem_to_der(pem: &str) -> Result<Vec<u8>, HandshakeError> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    CertificateDer::from_pem_slice(pem.as_bytes())
        .map(|der| der.to_vec())
        .map_err(|e| HandshakeError::BadClientCertificate(format!("{e:?}")))
}

/// The network part of the handshake line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(String),
    Tcp(std::net::SocketAddr),
}

/// `CORE|APP|NETWORK|ADDRESS|grpc|CERT`: the one line Terraform reads from our stdout.
/// The certificate is standard base64 *without padding*, as Go's `RawStdEncoding` expects.
pub fn handshake_line(address: &Address, server_cert_der: Option<&[u8]>) -> String {
    use base64::Engine as _;
    let (network, addr) = match address {
        Address::Unix(path) => ("unix", path.clone()),
        Address::Tcp(sock) => ("tcp", sock.to_string()),
    };
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{network}|{addr}|grpc|{cert}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn missing_or_wrong_cookie_is_refused() {
        assert_eq!(
            LaunchSettings::from_env(&env(&[])),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
        let wrong = env(&[(MAGIC_COOKIE_KEY, "nope")]);
        assert_eq!(
            LaunchSettings::from_env(&wrong),
            Err(HandshakeError::NotLaunchedByTerraform)
        );
    }

    #[test]
    fn protocol_5_must_be_offered_in_any_order() {
        let ok = env(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "6,5"),
        ]);
        assert!(LaunchSettings::from_env(&ok).is_ok());
        let only6 = env(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "6"),
        ]);
        assert!(matches!(
            LaunchSettings::from_env(&only6),
            Err(HandshakeError::NoCommonProtocol { .. })
        ));
    }

    #[test]
    fn garbage_client_cert_is_an_error_not_a_panic() {
        let bad = env(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_CLIENT_CERT", "garbage"),
        ]);
        assert!(matches!(
            LaunchSettings::from_env(&bad),
            Err(HandshakeError::BadClientCertificate(_))
        ));
    }

    #[test]
    fn bad_ports_fall_back_to_defaults() {
        let e = env(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_MIN_PORT", "x"),
            ("PLUGIN_MAX_PORT", "99999"),
        ]);
        let s = LaunchSettings::from_env(&e).expect("valid");
        assert_eq!((s.min_port, s.max_port), (10000, 25000));
    }

    #[test]
    fn handshake_line_uses_unpadded_base64() {
        // 4 bytes: padded base64 would end in "==".
        let line = handshake_line(&Address::Unix("/tmp/plugin1".into()), Some(&[1, 2, 3, 4]));
        assert_eq!(line, "1|5|unix|/tmp/plugin1|grpc|AQIDBA");
        let tcp = handshake_line(
            &Address::Tcp("127.0.0.1:10001".parse().expect("addr")),
            None,
        );
        assert_eq!(tcp, "1|5|tcp|127.0.0.1:10001|grpc|");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_environment_never_panics(
            cookie in proptest::option::of(".{0,80}"),
            versions in proptest::option::of(".{0,20}"),
            cert in proptest::option::of(".{0,300}"),
            minp in proptest::option::of(".{0,8}"),
        ) {
            let mut e = HashMap::new();
            if let Some(c) = cookie { e.insert(MAGIC_COOKIE_KEY.to_string(), c); }
            e.insert(MAGIC_COOKIE_KEY.to_string() + "_", String::new());
            if let Some(v) = versions { e.insert("PLUGIN_PROTOCOL_VERSIONS".into(), v); }
            if let Some(c) = cert { e.insert("PLUGIN_CLIENT_CERT".into(), format!("-----BEGIN CERTIFICATE-----\n{c}\n-----END CERTIFICATE-----\n")); }
            if let Some(p) = minp { e.insert("PLUGIN_MIN_PORT".into(), p); }
            let _ = LaunchSettings::from_env(&e);
            e.insert(MAGIC_COOKIE_KEY.to_string(), MAGIC_COOKIE_VALUE.to_string());
            let _ = LaunchSettings::from_env(&e);
        }
    }
}
