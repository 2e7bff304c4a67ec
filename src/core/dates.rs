//! Dates of the visit: the default income period and whole months between two days.

use chrono::{Datelike, Months, NaiveDate};

/// The 12 months ending on the visit date: the seed's 2022-02-15 to 2023-02-15.
pub fn default_period(visit: NaiveDate) -> (NaiveDate, NaiveDate) {
    (visit.checked_sub_months(Months::new(12)).unwrap_or(visit), visit)
}

/// Whole months from `from` to `to` (0 when `to` is before `from`).
/// 2022-08-31 → 2023-02-28 is 5 months (the 31st has not come round in February).
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }
    #[test]
    fn period() {
        assert_eq!(default_period(d(2023, 2, 15)), (d(2022, 2, 15), d(2023, 2, 15)));
        assert_eq!(default_period(d(2024, 2, 29)), (d(2023, 2, 28), d(2024, 2, 29)));
    }
    #[test]
    fn months() {
        assert_eq!(whole_months(d(2022, 2, 15), d(2023, 2, 15)), 12);
        assert_eq!(whole_months(d(2022, 2, 15), d(2023, 2, 14)), 11);
        assert_eq!(whole_months(d(2022, 8, 31), d(2023, 2, 28)), 5);
        assert_eq!(whole_months(d(2023, 3, 1), d(2023, 2, 1)), 0);
    }
}
