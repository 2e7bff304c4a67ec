//! Money in yuan: exact decimals, written as strings, read from strings or numbers.
//!
//! A money answer keeps what was typed even when it is not a valid amount (`"12a"`,
//! `"1.234"`), so that nothing typed is lost; the rule `money-invalid` reports it.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One money answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Money {
    /// A number with at most 2 decimals (it may be negative: `money-invalid` says so).
    Amount(Decimal),
    /// Text that is not a number of at most 2 decimals, kept as it was typed.
    Invalid(String),
}

impl Money {
    /// Reads a typed or stored text. Full-width digits and separators (`，` `,` spaces) are accepted.
    pub fn parse(text: &str) -> Money {
        match parse_amount(text) {
            Some(d) => Money::Amount(d),
            None => Money::Invalid(text.to_string()),
        }
    }

    /// The amount, when the answer is a valid non-negative amount.
    pub fn valid(&self) -> Option<Decimal> {
        match self {
            Money::Amount(d) if !d.is_sign_negative() || d.is_zero() => Some(*d),
            _ => None,
        }
    }

    /// Why the answer is not a valid amount, in Chinese; `None` when it is.
    pub fn problem(&self) -> Option<&'static str> {
        match self {
            Money::Amount(d) if d.is_sign_negative() && !d.is_zero() => Some("金额不能为负数"),
            Money::Amount(_) => None,
            Money::Invalid(s) if looks_numeric(s) => Some("金额最多保留两位小数"),
            Money::Invalid(_) => Some("不是有效的金额"),
        }
    }

    /// The text written to files: the amount with exactly 2 decimals, or the kept text.
    pub fn to_text(&self) -> String {
        match self {
            Money::Amount(d) => format_plain(*d),
            Money::Invalid(s) => s.clone(),
        }
    }
}

fn looks_numeric(s: &str) -> bool {
    let t = normalise(s);
    !t.is_empty() && !t.contains(['e', 'E']) && Decimal::from_str(&t).is_ok()
}

/// Full-width to ASCII, thousands separators and spaces dropped.
fn normalise(s: &str) -> String {
    s.trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            '－' => Some('-'),
            ',' | '，' | ' ' | '\u{3000}' | '_' => None,
            c => Some(c),
        })
        .collect()
}

fn parse_amount(s: &str) -> Option<Decimal> {
    let t = normalise(s);
    if t.is_empty() || t.contains(['e', 'E']) {
        return None;
    }
    let d = Decimal::from_str(&t).ok()?;
    (d.scale() <= 2).then_some(d)
}

/// `12345.6` → `"12345.60"` (no thousands separators): the file form.
pub fn format_plain(d: Decimal) -> String {
    format!("{:.2}", round2(d))
}

/// `12345.6` → `"12,345.60"`: how messages and the UI show an amount.
pub fn format_yuan(d: Decimal) -> String {
    let plain = format_plain(d);
    let (sign, rest) = plain.strip_prefix('-').map(|r| ("-", r)).unwrap_or(("", plain.as_str()));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

/// Rounds half-up (away from zero at .5) to 2 decimals: the rule for every quotient.
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("金额（字符串或数字）")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Money, E> {
                Ok(Money::parse(s))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Money, E> {
                Ok(Money::Amount(Decimal::from(n)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Money, E> {
                Ok(Money::Amount(Decimal::from(n)))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Money, E> {
                // The shortest text that reads back as the same f64 is what the writer meant.
                Ok(Money::parse(&format!("{n}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// Money fields: `None` and an empty string are both "not answered".
pub mod opt {
    use super::Money;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(m) => s.serialize_str(&m.to_text()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
        Ok(match Option::<Money>::deserialize(d)? {
            Some(Money::Invalid(s)) if s.trim().is_empty() => None,
            other => other,
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "元，最多两位小数；写出时总是字符串（\"12345.60\"），读入时也接受数字",
            "type": ["string", "number"],
            "pattern": "^-?[0-9]+(\\.[0-9]{1,2})?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes() {
        assert_eq!(Money::parse("12345.6").to_text(), "12345.60");
        assert_eq!(Money::parse(" 1,200 ").to_text(), "1200.00");
        assert_eq!(Money::parse("１２．５").to_text(), "12.50");
        assert_eq!(Money::parse("1.234"), Money::Invalid("1.234".into()));
        assert_eq!(Money::parse("1.234").problem(), Some("金额最多保留两位小数"));
        assert_eq!(Money::parse("12a").problem(), Some("不是有效的金额"));
        assert_eq!(Money::parse("-5").problem(), Some("金额不能为负数"));
        assert_eq!(Money::parse("-5").valid(), None);
        assert_eq!(Money::parse("0").valid(), Some(Decimal::ZERO));
        assert_eq!(Money::parse("1e3").problem(), Some("不是有效的金额"));
    }

    #[test]
    fn formats_with_separators() {
        assert_eq!(format_yuan(Decimal::from_str("5333.333").unwrap()), "5,333.33");
        assert_eq!(format_yuan(Decimal::from(7000)), "7,000.00");
        assert_eq!(format_yuan(Decimal::from(-1234567)), "-1,234,567.00");
        assert_eq!(format_yuan(Decimal::from_str("0.005").unwrap()), "0.01");
        assert_eq!(format_yuan(Decimal::from(100)), "100.00");
    }

    #[test]
    fn reads_numbers() {
        let m: Money = serde_json::from_str("12345.6").unwrap();
        assert_eq!(m.to_text(), "12345.60");
        let m: Money = serde_json::from_str("300").unwrap();
        assert_eq!(m.to_text(), "300.00");
        let m: Money = serde_json::from_str("0.1").unwrap();
        assert_eq!(m.to_text(), "0.10");
    }
}
