//! Policy parameters per monitoring year. No monitoring line is a constant in the engine:
//! it comes from a [`Policy`], which comes from the shipped table, a policy file, or the
//! township's confirmed settings.
//!
//! A policy file is read with [`Policy::from_json`], through [`crate::io::messages::parse`]
//! (Chinese errors with the JSON path) and not through the `io` façade, which itself uses the
//! policy ([`crate::io::read_policy`] adds the file-level checks): no dependency cycle.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The parameters one evaluation uses (`rules.md`, *Policy*).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Policy {
    /// The monitoring year.
    pub year: i32,
    /// 防止返贫监测范围: per-capita net income, yuan per person per year.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub monitoring_line: Decimal,
    /// Early-warning band above the line (`income-near-line`).
    #[serde(default = "default_near_line_factor", with = "decimal_text")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub near_line_factor: Decimal,
    /// 帮扶消除 needs at least this long since identification.
    #[serde(default = "default_elimination_min_months")]
    pub elimination_min_months: u32,
    /// 识别1年以上还未消除风险.
    #[serde(default = "default_unresolved_flag_months")]
    pub unresolved_flag_months: u32,
    /// Whether a person at the township has confirmed these figures. Shipped defaults are not.
    #[serde(default)]
    pub confirmed: bool,
    /// Where the figure comes from (a document, or "出厂默认值").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

fn default_near_line_factor() -> Decimal {
    Decimal::new(12, 1)
}
fn default_elimination_min_months() -> u32 {
    6
}
fn default_unresolved_flag_months() -> u32 {
    12
}

/// The shipped per-year monitoring lines (yuan per person per year). Every one is
/// **unconfirmed**: the township confirms or corrects it in the app's settings (or passes a
/// policy file to the CLI). They follow the published national/Inner Mongolia practice of
/// raising the line each year (2021: 6,000; 2022: 6,500; 2023: 7,000; …) and must be checked
/// against the year's notice before any decision rests on them.
pub const SHIPPED_LINES: &[(i32, i64)] =
    &[(2021, 6000), (2022, 6500), (2023, 7000), (2024, 7500), (2025, 8000), (2026, 8300)];

impl Policy {
    /// The shipped default for a year (unconfirmed). Years outside the table take the
    /// nearest year's line.
    pub fn shipped(year: i32) -> Policy {
        let line = SHIPPED_LINES
            .iter()
            .min_by_key(|(y, _)| (y - year).abs())
            .map(|(_, l)| *l)
            .unwrap_or(7000);
        Policy {
            year,
            monitoring_line: Decimal::from(line),
            near_line_factor: default_near_line_factor(),
            elimination_min_months: default_elimination_min_months(),
            unresolved_flag_months: default_unresolved_flag_months(),
            confirmed: false,
            source: "出厂默认值（未经核对）".to_string(),
        }
    }

    /// Reads a policy file (`year` and `monitoring_line` required).
    pub fn from_json(text: &str) -> Result<Policy, String> {
        let p: Policy = crate::io::messages::parse(text.as_bytes()).map_err(|e| e.to_string())?;
        if p.monitoring_line <= Decimal::ZERO {
            return Err("monitoring_line: 监测标准必须大于 0".into());
        }
        if p.near_line_factor < Decimal::ONE {
            return Err("near_line_factor: 预警系数不能小于 1".into());
        }
        Ok(p)
    }

    /// The policy a record visited on `visit` is judged with, when `self` is the device's
    /// (the settings'): `self` when it is for the visit's year or the visit has no date yet,
    /// otherwise the shipped default of the visit's year, which is unconfirmed and says so.
    /// A 2023 visit is never judged by a 2026 line because the phone's settings say 2026 —
    /// the same choice the CLI makes without `--policy` and the township pages per period.
    pub fn for_visit(&self, visit: Option<NaiveDate>) -> Cow<'_, Policy> {
        match visit {
            Some(d) => self.for_year(d.year()),
            None => Cow::Borrowed(self),
        }
    }

    /// `self` when it is for `year`, else the shipped (unconfirmed) default of `year`.
    pub fn for_year(&self, year: i32) -> Cow<'_, Policy> {
        if year == self.year {
            Cow::Borrowed(self)
        } else {
            Cow::Owned(Policy::shipped(year))
        }
    }

    /// The upper edge of the early-warning band.
    pub fn near_line(&self) -> Decimal {
        super::money::round2(self.monitoring_line * self.near_line_factor)
    }
}

/// Decimals written as strings, read from strings or numbers.
mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{de, Deserializer, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.normalize().to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("数字（字符串或数字）")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Decimal, E> {
                Decimal::from_str(s.trim())
                    .map_err(|_| E::custom(format!("不是有效的数字 \"{s}\"")))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(n))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Decimal, E> {
                self.visit_str(&format!("{n}"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_visit_is_judged_by_its_own_year() {
        let mut settings = Policy::shipped(2026);
        settings.monitoring_line = Decimal::from(8500);
        settings.confirmed = true;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Same year, or no date yet: the settings' own (confirmed) policy.
        assert_eq!(*settings.for_visit(Some(d(2026, 3, 1))), settings);
        assert_eq!(*settings.for_visit(None), settings);
        // Another year: that year's shipped line, unconfirmed.
        let p = settings.for_visit(Some(d(2023, 2, 23)));
        assert_eq!((p.year, p.monitoring_line, p.confirmed), (2023, Decimal::from(7000), false));
    }

    #[test]
    fn shipped_is_unconfirmed_and_per_year() {
        let p = Policy::shipped(2023);
        assert_eq!(p.monitoring_line, Decimal::from(7000));
        assert!(!p.confirmed);
        assert_eq!(Policy::shipped(2019).monitoring_line, Decimal::from(6000));
        assert_eq!(p.near_line(), Decimal::from(8400));
    }

    #[test]
    fn policy_file() {
        let p = Policy::from_json(r#"{"year":2023,"monitoring_line":"6800"}"#).unwrap();
        assert_eq!(
            (p.year, p.monitoring_line, p.elimination_min_months),
            (2023, Decimal::from(6800), 6)
        );
        let e = Policy::from_json(r#"{"year":2023}"#).unwrap_err();
        assert!(e.contains("monitoring_line"), "{e}");
        let e = Policy::from_json(r#"{"year":2023,"monitoring_line":"abc"}"#).unwrap_err();
        assert!(e.starts_with("monitoring_line"), "{e}");
    }
}
