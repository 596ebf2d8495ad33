//! The one way a test skips: [`skip`] says so where the run's summary shows it, and refuses
//! to skip at all where a skip would hide a gap (CI sets [`NO_SKIP_ENV`]).
//!
//! Used by this crate's tests and by the provider's (the fixtures, the OpenAPI spec, the
//! tutorial's tools, Terraform 1.0.3 may be absent on a developer's machine).

use std::io::Write;

/// `FIVETRAN_TESTS_NO_SKIP=1`: every [`skip`] fails the test instead (CI sets it).
pub const NO_SKIP_ENV: &str = "FIVETRAN_TESTS_NO_SKIP";
/// A file that every [`skip`] appends its line to, for a summary at the end of the run.
pub const SKIP_LOG_ENV: &str = "FIVETRAN_TESTS_SKIP_LOG";

/// Whether skipping is refused in this run.
pub fn skipping_refused() -> bool {
    std::env::var(NO_SKIP_ENV).is_ok_and(|v| v == "1")
}

/// Records that `test` does not run because of `reason`: a line `SKIP: <test>: <reason>`
/// on the process's own stdout and stderr (past the test harness's capture, so it shows for
/// a passing test) and in the file named by [`SKIP_LOG_ENV`]. Under [`NO_SKIP_ENV`]`=1` it
/// panics instead, failing the test. Callers `return` right after it.
#[track_caller]
pub fn skip(test: &str, reason: &str) {
    let refused = skipping_refused();
    let line = if refused {
        format!("SKIP REFUSED ({NO_SKIP_ENV}=1): {test}: {reason}")
    } else {
        format!("SKIP: {test}: {reason}")
    };
    let _ = writeln!(std::io::stdout(), "{line}");
    let _ = writeln!(std::io::stderr(), "{line}");
    if let Some(path) = std::env::var_os(SKIP_LOG_ENV).filter(|p| !p.is_empty()) {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{line}");
        }
    }
    if refused {
        panic!("{test} must run here ({NO_SKIP_ENV}=1) but would skip: {reason}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skip_is_logged_and_refused_when_asked() {
        // One test owns these variables (tests in this binary run in parallel).
        let log = std::env::temp_dir().join(format!("sim-skips-{}.log", std::process::id()));
        let _ = std::fs::remove_file(&log);
        std::env::set_var(SKIP_LOG_ENV, &log);
        std::env::remove_var(NO_SKIP_ENV);
        skip("some_test", "no spec");
        std::env::set_var(NO_SKIP_ENV, "1");
        let refused = std::panic::catch_unwind(|| skip("other_test", "no jq"));
        std::env::remove_var(NO_SKIP_ENV);
        std::env::remove_var(SKIP_LOG_ENV);
        assert!(
            refused.is_err(),
            "a skip under {NO_SKIP_ENV}=1 must fail the test"
        );
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let _ = std::fs::remove_file(&log);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "SKIP: some_test: no spec",
                "SKIP REFUSED (FIVETRAN_TESTS_NO_SKIP=1): other_test: no jq"
            ]
        );
    }
}
