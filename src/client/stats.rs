//! Request counters shared by every clone of a [`Client`](super::Client): what the
//! benchmarks and reliability tests read to see how the client behaved.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the counters, from [`Client::stats`](super::Client::stats).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent (every attempt counts).
    pub requests: u64,
    /// Attempts that were retries of a failed one.
    pub retries: u64,
    /// `429 Too Many Requests` answers received.
    pub rate_limited: u64,
    /// 5xx answers received.
    pub server_errors: u64,
    /// Requests that got no HTTP answer.
    pub transport_errors: u64,
    /// Requests that had to wait for the shared request budget.
    pub throttled: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    server_errors: AtomicU64,
    transport_errors: AtomicU64,
    throttled: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    pub(crate) fn request(&self) {
        bump(&self.requests);
    }
    pub(crate) fn retry(&self) {
        bump(&self.retries);
    }
    pub(crate) fn throttled(&self) {
        bump(&self.throttled);
    }
    pub(crate) fn transport_error(&self) {
        bump(&self.transport_errors);
    }

    /// Counts an HTTP answer by its status.
    pub(crate) fn answered(&self, status: u16) {
        match status {
            429 => bump(&self.rate_limited),
            500..=599 => bump(&self.server_errors),
            _ => {}
        }
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            requests: get(&self.requests),
            retries: get(&self.retries),
            rate_limited: get(&self.rate_limited),
            server_errors: get(&self.server_errors),
            transport_errors: get(&self.transport_errors),
            throttled: get(&self.throttled),
        }
    }
}
