//! Wall-clock timestamps as the API prints them (RFC 3339, UTC, microseconds).
//!
//! Owns the mapping from the monotonic clock that drives state transitions to the wall
//! clock that appears in responses, so that "became OK at" is the instant the transition
//! was due, not the instant somebody happened to look.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

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

/// Formats `t` like the API does: `2024-12-01T15:43:29.013729Z` (times before the Unix epoch
/// as the epoch).
pub fn rfc3339(t: SystemTime) -> String {
    const FORMAT: &[BorrowedFormatItem<'_>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    let t = t.max(UNIX_EPOCH);
    // Formatting fails only for components a date-time lacks or a failing writer: neither can
    // happen for an OffsetDateTime into a String.
    OffsetDateTime::from(t).format(FORMAT).unwrap_or_default()
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
