//! The harness: a simulator on port 0, a small JSON client, and `wait_until`.

#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

use fivetran_sim::{SimConfig, SimServer};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

/// A simulator plus a client that speaks its API.
pub struct Api {
    pub sim: SimServer,
    pub client: reqwest::Client,
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

/// Percent-encodes a path segment (everything but unreserved characters).
pub fn enc(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Api {
    pub fn start(config: SimConfig) -> Api {
        let sim = SimServer::spawn(config).expect("simulator starts");
        Api {
            sim,
            client: reqwest::Client::new(),
        }
    }

    /// With zero provisioning/update/destroy durations.
    pub fn instant() -> Api {
        Api::start(SimConfig::instant())
    }

    pub fn admin(&self) -> fivetran_sim::Admin {
        self.sim.admin()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .client
            .request(method, self.url(path))
            .basic_auth(self.sim.api_key(), Some(self.sim.api_secret()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        answer(req.send().await.expect("request answered")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send("POST", path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send("PATCH", path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Answer {
        self.send("DELETE", path, None).await
    }

    /// Creates a SOURCE_AWS private link and returns its id.
    pub async fn create_link(&self, name: &str) -> String {
        let a = self.post("/private-links", link_body(name)).await;
        assert_eq!(a.status, 201, "{a:?}");
        a.data()["id"].as_str().expect("id").to_string()
    }

    /// Polls a link's details until its state is `state`.
    pub async fn wait_link_state(&self, id: &str, state: &str) -> Answer {
        let path = format!("/private-links/{id}");
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let a = self.get(&path).await;
            if a.data()["state"] == state {
                return a;
            }
            assert!(
                Instant::now() < end,
                "link {id} never reached {state}: {a:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

pub async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}

pub fn link_body(name: &str) -> Value {
    json!({
        "name": name,
        "region": "AWS_US_EAST_1",
        "service": "SOURCE_AWS",
        "config": {"connection_service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"}
    })
}

/// Polls `condition` until it holds; panics after `deadline`.
pub async fn wait_until<F, Fut>(deadline: Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let end = Instant::now() + deadline;
    loop {
        if condition().await {
            return;
        }
        assert!(
            Instant::now() < end,
            "condition not met within {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
