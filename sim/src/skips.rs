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

/// How this run treats a skip: read from the environment by [`Skips::from_env`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skips {
    /// [`NO_SKIP_ENV`]`=1`: a skip fails the test.
    pub refused: bool,
    /// [`SKIP_LOG_ENV`]: the file every skip's line is appended to.
    pub log: Option<std::path::PathBuf>,
}

impl Skips {
    /// The settings of this process's environment.
    pub fn from_env() -> Skips {
        Skips::from_vars(|k| std::env::var_os(k))
    }

    /// The settings that `var` (an environment lookup) describes.
    pub fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Skips {
        Skips {
            refused: var(NO_SKIP_ENV).is_some_and(|v| v == "1"),
            log: var(SKIP_LOG_ENV)
                .filter(|p| !p.is_empty())
                .map(std::path::PathBuf::from),
        }
    }

    /// Records that `test` does not run because of `reason` (see [`skip`]); panics when
    /// skipping is refused.
    #[track_caller]
    pub fn skip(&self, test: &str, reason: &str) {
        let line = if self.refused {
            format!("SKIP REFUSED ({NO_SKIP_ENV}=1): {test}: {reason}")
        } else {
            format!("SKIP: {test}: {reason}")
        };
        let _ = writeln!(std::io::stdout(), "{line}");
        let _ = writeln!(std::io::stderr(), "{line}");
        if let Some(path) = &self.log {
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let _ = writeln!(f, "{line}");
            }
        }
        if self.refused {
            panic!("{test} must run here ({NO_SKIP_ENV}=1) but would skip: {reason}");
        }
    }
}

/// Whether skipping is refused in this run.
pub fn skipping_refused() -> bool {
    Skips::from_env().refused
}

/// Records that `test` does not run because of `reason`: a line `SKIP: <test>: <reason>`
/// on the process's own stdout and stderr (past the test harness's capture, so it shows for
/// a passing test) and in the file named by [`SKIP_LOG_ENV`]. Under [`NO_SKIP_ENV`]`=1` it
/// panics instead, failing the test. Callers `return` right after it.
#[track_caller]
pub fn skip(test: &str, reason: &str) {
    Skips::from_env().skip(test, reason);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn a_skip_is_logged_and_refused_when_asked() {
        // Settings passed in, not the process's variables: tests run in parallel.
        let log = std::env::temp_dir().join(format!("sim-skips-{}.log", std::process::id()));
        let _ = std::fs::remove_file(&log);
        let allowed = Skips {
            refused: false,
            log: Some(log.clone()),
        };
        allowed.skip("some_test", "no spec");
        let refused = Skips {
            refused: true,
            ..allowed
        };
        let outcome = std::panic::catch_unwind(|| refused.skip("other_test", "no jq"));
        assert!(
            outcome.is_err(),
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

    #[test]
    fn the_settings_come_from_the_two_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(Skips::from_vars(vars(&[])), Skips::default());
        assert_eq!(
            Skips::from_vars(vars(&[(NO_SKIP_ENV, "1"), (SKIP_LOG_ENV, "/tmp/s.log")])),
            Skips {
                refused: true,
                log: Some("/tmp/s.log".into())
            }
        );
        assert!(!Skips::from_vars(vars(&[(NO_SKIP_ENV, "0")])).refused);
        assert_eq!(Skips::from_vars(vars(&[(SKIP_LOG_ENV, "")])).log, None);
    }
}
