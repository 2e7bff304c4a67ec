//! The device's clock: now with the local UTC offset (for `updated_at`), and today.

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

/// Now, with the device's UTC offset (RFC 3339 `+08:00` in China).
pub fn now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

/// Today's date on the device.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}
