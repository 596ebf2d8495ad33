//! Typed request and response bodies of the Fivetran REST API, with the API's JSON field
//! names. Unknown response fields are ignored; fields the API may omit are `Option`s.
//!
//! Connection configs can hold secrets: the types that carry one redact its values in
//! `Debug`, so no log line or panic message can show them.

mod certificate;
mod connection;
mod destination;
mod envelope;
mod group;
mod private_link;

pub use certificate::{Approval, Certificate, Fingerprint};
pub(crate) use certificate::{ApproveCertificate, ApproveFingerprint};
pub(crate) use connection::RunSetupTests;
pub use connection::{
    Alert, Connection, ConnectionStatus, ConnectionUpdate, NewConnection, SetupState, SetupTest,
    SetupTestStatus,
};
pub use destination::{Destination, DestinationUpdate, NewDestination};
pub(crate) use envelope::{ApiErrorBody, Envelope, Page};
pub(crate) use group::GroupName;
pub use group::{Group, GroupPublicKey};
pub(crate) use private_link::PrivateLinkUpdate;
pub use private_link::{NewPrivateLink, PrivateLink, PrivateLinkState};

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (the API sends `"config": null` at times).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Writes a config's keys with its values hidden: `{"password": <redacted>, ...}`.
pub(crate) fn redacted_keys<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let keys: Vec<String> = keys.map(|k| format!("{k:?}: <redacted>")).collect();
    format!("{{{}}}", keys.join(", "))
}

/// Declares a string enum of the API: known values as variants, anything else kept in
/// `Other` (the API adds values over time; a new one must not break decoding).
macro_rules! api_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this client does not know.
            Other(String),
        }

        impl $name {
            /// The API's spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}
pub(crate) use api_enum;

#[cfg(test)]
mod contract_tests;
#[cfg(test)]
mod fixture_tests;
