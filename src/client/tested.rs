//! Setup tests of a connection or a destination: [`Tested`], what both API objects say
//! about their tests, and one way to run them and to read the object back.

use serde::de::DeserializeOwned;

use super::http::Call;
use super::models::RunSetupTests;
use super::{Client, Connection, Destination, Error, Op, SetupState, SetupTest};

/// An API object that runs setup tests: a [`Connection`] or a [`Destination`].
pub trait Tested: DeserializeOwned + Clone + Send + Sync + 'static {
    /// The path of one object.
    const ONE: &'static str;
    /// The path that runs its setup tests.
    const TEST: &'static str;
    /// Whether a test run is answered in version 2 of the object (as a destination's is).
    const TEST_ANSWER_V2: bool;

    /// The results of the tests the object was answered with.
    fn setup_tests(&self) -> &[SetupTest];

    /// Its setup state: `None` when Fivetran does not track it (nothing to wait for),
    /// `Some(true)` when connected.
    fn connected(&self) -> Option<bool>;

    /// Its setup state as shown, for a wait's progress.
    fn setup_state(&self) -> String;
}

impl Tested for Connection {
    const ONE: &'static str = super::connections::ONE;
    const TEST: &'static str = "/connections/{connectionId}/test";
    const TEST_ANSWER_V2: bool = false;

    fn setup_tests(&self) -> &[SetupTest] {
        &self.setup_tests
    }

    fn connected(&self) -> Option<bool> {
        self.status
            .setup_state
            .as_ref()
            .map(|s| *s == SetupState::Connected)
    }

    fn setup_state(&self) -> String {
        self.status
            .setup_state
            .as_ref()
            .map_or_else(|| "unknown".to_string(), ToString::to_string)
    }
}

impl Tested for Destination {
    const ONE: &'static str = super::destinations::ONE;
    const TEST: &'static str = "/destinations/{destinationId}/test";
    const TEST_ANSWER_V2: bool = true;

    fn setup_tests(&self) -> &[SetupTest] {
        &self.setup_tests
    }

    fn connected(&self) -> Option<bool> {
        self.setup_status.as_ref().map(|_| self.is_connected())
    }

    fn setup_state(&self) -> String {
        self.setup_status
            .as_deref()
            .map_or_else(|| "unknown".to_string(), str::to_ascii_lowercase)
    }
}

impl Client {
    /// `POST …/test`: runs the object's setup tests, trusting the certificates and
    /// fingerprints presented when asked to, and returns it with their results. Safe to
    /// re-send, so retried like a GET.
    pub async fn run_setup_tests<T: Tested>(
        &self,
        op: &Op,
        id: &str,
        trust_certificates: Option<bool>,
        trust_fingerprints: Option<bool>,
    ) -> Result<T, Error> {
        let body = RunSetupTests {
            trust_certificates,
            trust_fingerprints,
        };
        let call = Call::post_repeatable(T::TEST, &[id], &body);
        let call = if T::TEST_ANSWER_V2 {
            call.accept_v2()
        } else {
            call
        };
        self.fetch(op, call).await
    }

    /// `GET` one object that runs setup tests (version 2 of the answer).
    pub async fn tested<T: Tested>(&self, op: &Op, id: &str) -> Result<T, Error> {
        self.fetch(op, Call::get(T::ONE, &[id]).accept_v2()).await
    }
}
