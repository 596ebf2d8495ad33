//! Codec tests: golden vectors from the protocol reference, malformed input, and
//! property tests (round trips, never panicking on arbitrary bytes).

mod fuzz;
mod golden;
mod json_cases;
mod malformed;
mod number_cases;
mod roundtrip;
mod strategies;
