//! The Fivetran provider: its `provider "fivetran"` block, how credentials are resolved, and
//! the list of resources and data sources it serves.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::model::string;
use crate::framework::{self, DataSource, Resource};
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};

/// Where the API lives unless the user says otherwise.
pub const DEFAULT_API_URL: &str = "https://api.fivetran.com/v1";

/// Environment variables, named as the official provider names them so users can switch.
pub const ENV_API_KEY: &str = "FIVETRAN_APIKEY";
pub const ENV_API_SECRET: &str = "FIVETRAN_APISECRET";
pub const ENV_API_URL: &str = "FIVETRAN_API_URL";

pub struct FivetranProvider;

/// The provider's resolved settings, handed to every resource.
pub struct Configured {
    pub api_url: reqwest::Url,
    pub credentials: Option<Credentials>,
    pub terraform_version: String,
}

/// API key and secret. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Credentials {
    pub key: String,
    pub secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .field("secret", &"(redacted)")
            .finish()
    }
}

impl Configured {
    /// The credentials, or an error saying exactly what to set.
    pub fn require_credentials(&self) -> Result<&Credentials, Diagnostics> {
        self.credentials.as_ref().ok_or_else(|| {
            let mut d = Diagnostics::new();
            d.error(
                "Missing Fivetran API credentials",
                format!(
                    "Set api_key and api_secret in the provider \"fivetran\" block, or the environment variables {ENV_API_KEY} and {ENV_API_SECRET}. Create a key in the Fivetran dashboard under Settings > API Config."
                ),
            );
            d
        })
    }
}

pub fn provider_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Manages Fivetran private links, connections, certificates and fingerprints, waiting until each is really ready.".into(),
            attributes: vec![
                Attribute::optional("api_key", Type::String)
                    .describe(&format!("Fivetran API key. Falls back to the `{ENV_API_KEY}` environment variable.")),
                Attribute::optional("api_secret", Type::String).sensitive().describe(&format!(
                    "Fivetran API secret. Falls back to the `{ENV_API_SECRET}` environment variable. Never shown in plans or logs."
                )),
                Attribute::optional("api_url", Type::String).describe(&format!(
                    "Base URL of the Fivetran REST API, including `/v1`. Falls back to `{ENV_API_URL}`, then `{DEFAULT_API_URL}`."
                )),
            ],
            ..Block::default()
        },
    }
}

/// Parses an API base URL, explaining what is wrong with it.
pub fn parse_api_url(text: &str) -> Result<reqwest::Url, String> {
    let url =
        reqwest::Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{text:?} must start with https:// (or http:// for a local simulator)"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{text:?} has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} must not have a query or fragment"));
    }
    Ok(url)
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[async_trait]
impl framework::Provider for FivetranProvider {
    type Client = Configured;

    fn schema(&self) -> Schema {
        provider_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if let Some(url) = string(config, "api_url") {
            if let Err(e) = parse_api_url(&url) {
                diags.attribute_error(
                    AttributePath::root("api_url"),
                    "Invalid api_url",
                    format!("{e}. Example: api_url = \"{DEFAULT_API_URL}\"."),
                );
            }
        }
    }

    async fn configure(
        &self,
        terraform_version: &str,
        config: &Value,
    ) -> Result<Configured, Diagnostics> {
        let mut d = Diagnostics::new();
        let from_config = |name: &str| string(config, name).filter(|v| !v.trim().is_empty());
        let api_url = match from_config("api_url") {
            Some(url) => parse_api_url(&url).ok(),
            None => match env_value(ENV_API_URL) {
                Some(url) => parse_api_url(&url)
                    .map_err(|e| {
                        d.error(
                            "Invalid FIVETRAN_API_URL",
                            format!("{e}. Fix or unset the {ENV_API_URL} environment variable."),
                        )
                    })
                    .ok(),
                None => parse_api_url(DEFAULT_API_URL).ok(),
            },
        };
        let key = from_config("api_key").or_else(|| env_value(ENV_API_KEY));
        let secret = from_config("api_secret").or_else(|| env_value(ENV_API_SECRET));
        let credentials = match (key, secret) {
            (Some(key), Some(secret)) => Some(Credentials { key, secret }),
            _ => None,
        };
        match api_url {
            Some(api_url) if !d.has_errors() => Ok(Configured {
                api_url,
                credentials,
                terraform_version: terraform_version.to_string(),
            }),
            _ => Err(d),
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource<Configured>>> {
        vec![]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Configured>>> {
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_url_rules() {
        assert!(parse_api_url("https://api.fivetran.com/v1").is_ok());
        assert!(parse_api_url("http://127.0.0.1:8080/v1").is_ok());
        for bad in [
            "",
            "not a url",
            "ftp://x/v1",
            "https://",
            "https://x/v1?a=b",
            "https://x/v1#f",
        ] {
            assert!(parse_api_url(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn validation_points_at_api_url() {
        let config = Value::object([
            ("api_url", Value::from("nope")),
            ("api_key", Value::Null),
            ("api_secret", Value::Null),
        ]);
        let mut d = Diagnostics::new();
        framework::Provider::validate(&FivetranProvider, &config, &mut d);
        assert_eq!(d.0[0].attribute, Some(AttributePath::root("api_url")));
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let c = Credentials {
            key: "k".into(),
            secret: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
