//! Wall-clock timestamps as the API prints them (RFC 3339, UTC, microseconds).
//!
//! Owns the mapping from the monotonic clock that drives state transitions to the wall
//! clock that appears in responses, so that "became OK at" is the instant the transition
//! was due, not the instant somebody happened to look.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Pairs a monotonic instant with the wall-clock time at the same moment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    base_instant: Instant,
    base_system: SystemTime,
}

impl Clock {
    pub(crate) fn new() -> Self {
        Clock {
            base_instant: Instant::now(),
            base_system: SystemTime::now(),
        }
    }

    /// The wall-clock time corresponding to `at` on the monotonic clock.
    pub(crate) fn system_at(&self, at: Instant) -> SystemTime {
        match at.checked_duration_since(self.base_instant) {
            Some(after) => self.base_system + after,
            None => self.base_system - self.base_instant.duration_since(at),
        }
    }
}

/// Milliseconds since the Unix epoch (0 for times before it).
pub fn unix_millis(t: SystemTime) -> u64 {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Formats `t` like the API does: `2024-12-01T15:43:29.013729Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let secs = d.as_secs();
    let micros = d.subsec_micros();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, day) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's public-domain algorithm, rewritten here).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        let t = UNIX_EPOCH + Duration::from_micros(1_701_445_409_013_729);
        assert_eq!(rfc3339(t), "2023-12-01T15:43:29.013729Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(&rfc3339(leap)[..10], "2000-02-29");
    }

    #[test]
    fn clock_maps_instants_forward_and_back() {
        let c = Clock::new();
        let later = c.base_instant + Duration::from_secs(5);
        assert_eq!(c.system_at(later), c.base_system + Duration::from_secs(5));
    }
}
