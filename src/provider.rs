//! The Fivetran provider: its `provider "fivetran"` block, how credentials are resolved, and
//! the list of resources and data sources it serves.

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::{Client, ClientConfig, DEFAULT_BASE_URL};
use crate::framework::typed::{from_value, Attr};
use crate::framework::{self, DataSource, Resource};
use crate::protocol::value::Number;
use crate::protocol::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};
use crate::resources::common::Configured;

/// Environment variables, named as the official provider names them so users can switch.
pub const ENV_API_KEY: &str = "FIVETRAN_APIKEY";
pub const ENV_API_SECRET: &str = "FIVETRAN_APISECRET";
pub const ENV_API_URL: &str = "FIVETRAN_API_URL";
/// Set to `off` to disable the request budget: only for the benchmark that measures its cost
/// (`bench/run.py`), so only with the `bench-switches` feature; the API's 429s are still
/// retried after `Retry-After`.
#[cfg(feature = "bench-switches")]
pub const ENV_CLIENT_BUDGET: &str = "FIVETRAN_CLIENT_BUDGET";

pub struct FivetranProvider;

pub fn provider_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Manages Fivetran private links, connections, groups, destinations, certificates and fingerprints, waiting until each is really ready.".into(),
            attributes: vec![
                Attribute::optional("api_key", Type::String)
                    .describe(&format!("Fivetran API key. Falls back to the `{ENV_API_KEY}` environment variable.")),
                Attribute::optional("api_secret", Type::String).sensitive().describe(&format!(
                    "Fivetran API secret. Falls back to the `{ENV_API_SECRET}` environment variable. Never shown in plans or logs."
                )),
                Attribute::optional("api_url", Type::String).describe(&format!(
                    "Base URL of the Fivetran REST API, including `/v1`. Falls back to `{ENV_API_URL}`, then `{DEFAULT_BASE_URL}`. Must be `https://`, so the credentials never travel in clear text; `http://` is accepted only for a loopback host (`127.0.0.1`, `::1`, `localhost`), such as the local simulator."
                )),
                Attribute::optional("requests_per_second", Type::Number).describe(
                    "An extra cap on this provider process's sustained request rate, shared by all operations. Unset by default: the provider follows Fivetran's documented rate limits on its own (full speed while the hour's 20,000 requests have room, connection creations 20 a minute and setup tests 250 a minute, slowing down only as the API's `X-Rate-Limit-Remaining` runs low, and waiting out any 429's `Retry-After`). Set it when one API key is shared by many workspaces or pipelines running at the same time, which no single process can see: e.g. 2 for three concurrent workspaces sharing 20,000 requests per hour.",
                ),
                Attribute::optional("request_burst", Type::Number)
                    .describe("Requests that may go out at once before `requests_per_second` applies. Default: 10. Has no effect without `requests_per_second`."),
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
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(format!(
            "{text:?} uses http://, so the API key and secret would travel in clear text to {}. Use https://; http:// is accepted only for a loopback host (127.0.0.1, ::1 or localhost), such as the local Fivetran simulator",
            url.host_str().unwrap_or_default()
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} must not have a query or fragment"));
    }
    Ok(url)
}

/// Whether the URL's host is this machine (nothing it sends leaves it).
fn is_loopback(url: &reqwest::Url) -> bool {
    // The URL parser has already normalised IP addresses (`127.1` is `127.0.0.1`) and
    // bracketed IPv6 ones.
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The `User-Agent` of every API request, in the shape HashiCorp's providers use:
/// `Terraform/<version> terraform-provider-fivetran/<version>`.
pub fn user_agent(terraform_version: &str) -> String {
    let tf = match terraform_version.trim() {
        "" => "unknown",
        v => v,
    };
    format!(
        "Terraform/{tf} terraform-provider-fivetran/{}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The `provider "fivetran"` block as a typed model (its fields are the schema's
/// attributes; a test holds them together).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProviderModel {
    pub api_key: Attr<String>,
    pub api_secret: Attr<String>,
    pub api_url: Attr<String>,
    pub requests_per_second: Attr<Number>,
    pub request_burst: Attr<Number>,
}

impl ProviderModel {
    fn decode(config: &Value) -> Result<ProviderModel, Diagnostics> {
        from_value(config).map_err(|e| e.diagnostic("the provider block").into())
    }

    /// A written, non-blank string setting.
    fn setting(a: &Attr<String>) -> Option<String> {
        a.get().filter(|v| !v.trim().is_empty()).cloned()
    }
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
        let model = match ProviderModel::decode(config) {
            Ok(m) => m,
            Err(d) => return diags.extend(d),
        };
        if let Some(rate) = model.requests_per_second.get().map(Number::as_f64) {
            if !(rate > 0.0 && rate <= 10_000.0) {
                diags.attribute_error(
                    AttributePath::root("requests_per_second"),
                    "Invalid request rate",
                    format!("requests_per_second must be above 0 and at most 10000, not {rate}."),
                );
            }
        }
        if let Some(burst) = model.request_burst.get().map(Number::as_f64) {
            if !((1.0..=10_000.0).contains(&burst) && burst.fract() == 0.0) {
                diags.attribute_error(
                    AttributePath::root("request_burst"),
                    "Invalid request burst",
                    format!("request_burst must be a whole number from 1 to 10000, not {burst}."),
                );
            }
        }
        if let Some(url) = model.api_url.get() {
            if let Err(e) = parse_api_url(url) {
                diags.attribute_error(
                    AttributePath::root("api_url"),
                    "Invalid api_url",
                    format!("{e}. Example: api_url = \"{DEFAULT_BASE_URL}\"."),
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
        let model = ProviderModel::decode(config)?;
        let api_url = match ProviderModel::setting(&model.api_url) {
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
                None => parse_api_url(DEFAULT_BASE_URL).ok(),
            },
        };
        let mut client_config = ClientConfig {
            api_key: ProviderModel::setting(&model.api_key).or_else(|| env_value(ENV_API_KEY)),
            api_secret: ProviderModel::setting(&model.api_secret)
                .or_else(|| env_value(ENV_API_SECRET)),
            user_agent: user_agent(terraform_version),
            ..ClientConfig::default()
        };
        if let Some(rate) = model.requests_per_second.get() {
            client_config.requests_per_second = rate.as_f64();
        }
        // For the benchmark only (BENCHMARKS.md measures the budget's cost against it).
        #[cfg(feature = "bench-switches")]
        if env_value(ENV_CLIENT_BUDGET).is_some_and(|v| v == "off") {
            client_config.budget = false;
        }
        if let Some(burst) = model.request_burst.get() {
            client_config.burst = burst.as_f64() as u32;
        }
        let Some(api_url) = api_url.filter(|_| !d.has_errors()) else {
            return Err(d);
        };
        client_config.base_url = api_url;
        match Client::new(client_config) {
            Ok(api) => Ok(Configured { api }),
            Err(e) => {
                d.error("Cannot Build the API Client", e.to_string());
                Err(d)
            }
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource<Configured>>> {
        crate::resources::resources()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Configured>>> {
        crate::resources::data_sources()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_model_matches_the_provider_schema() {
        assert_eq!(
            crate::framework::typed::check_fields::<ProviderModel>(
                "provider",
                &provider_schema().block,
                &[]
            ),
            Ok(())
        );
    }

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
    fn plain_http_only_for_loopback_hosts() {
        for local in [
            "http://127.0.0.1:8080/v1",
            "http://127.8.9.10/v1",
            "http://127.1/v1",
            "http://[::1]:9/v1",
            "http://localhost:9/v1",
            "http://LOCALHOST/v1",
        ] {
            assert!(parse_api_url(local).is_ok(), "{local:?} is loopback");
        }
        for remote in [
            "http://api.example.com/v1",
            "http://api.fivetran.com/v1",
            "http://10.0.0.1/v1",
            "http://[2001:db8::1]/v1",
            "http://localhost.example.com/v1",
            "http://128.0.0.1/v1",
        ] {
            let e = parse_api_url(remote).expect_err(remote);
            assert!(e.contains("clear text"), "{e}");
            assert!(e.contains("https://"), "{e}");
        }
        // https is fine anywhere, loopback or not.
        assert!(parse_api_url("https://10.0.0.1/v1").is_ok());
    }

    #[test]
    fn plain_http_to_a_remote_host_fails_validation_on_api_url() {
        let config = Value::object([
            ("api_url", Value::from("http://api.example.com/v1")),
            ("api_key", Value::Null),
            ("api_secret", Value::Null),
        ]);
        let mut d = Diagnostics::new();
        framework::Provider::validate(&FivetranProvider, &config, &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d.first().expect("a diagnostic").attribute,
            Some(AttributePath::root("api_url"))
        );
        assert!(
            d.first()
                .expect("a diagnostic")
                .detail
                .contains("clear text"),
            "{:?}",
            d.first().expect("a diagnostic")
        );
    }

    #[test]
    fn the_user_agent_names_terraform_and_this_provider() {
        assert_eq!(
            user_agent("1.0.3"),
            format!(
                "Terraform/1.0.3 terraform-provider-fivetran/{}",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert!(user_agent("").starts_with("Terraform/unknown "));
    }

    #[tokio::test]
    async fn configure_sends_the_terraform_version_in_the_user_agent() {
        use crate::client::test_support::{response, Canned};
        let canned = Canned::spawn(vec![response(
            "200 OK",
            &[],
            r#"{"code":"Success","data":{"items":[]}}"#,
        )])
        .await;
        let config = Value::object([
            ("api_url", Value::from(canned.base_url.as_str())),
            ("api_key", Value::from("key")),
            ("api_secret", Value::from("secret")),
            ("requests_per_second", Value::Null),
            ("request_burst", Value::Null),
        ]);
        let configured = framework::Provider::configure(&FivetranProvider, "1.11.4", &config)
            .await
            .expect("configured");
        let op = crate::client::Op::new(
            "listing",
            std::time::Duration::from_secs(30),
            Default::default(),
        );
        let _ = configured.api.private_links(&op).await;
        let requests = canned.requests();
        let head = requests.first().expect("one request").to_ascii_lowercase();
        let expected = format!(
            "user-agent: terraform/1.11.4 terraform-provider-fivetran/{}\r\n",
            env!("CARGO_PKG_VERSION")
        );
        assert!(head.contains(&expected), "{head}");
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
        assert_eq!(
            d.first().expect("a diagnostic").attribute,
            Some(AttributePath::root("api_url"))
        );
    }
}
