//! Property tests: money text and exact arithmetic, ID number check characters.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use ruhu::core::id_number::{check_char, make, normalise, parse_resident, IdError};
use ruhu::core::io::{read_records, write_record};
use ruhu::core::money::{format_plain, format_yuan, Money};
use ruhu::core::record::{Household, Member, Sex};
use ruhu::core::rules::figures;
use ruhu::core::testkit;
use rust_decimal::Decimal;

/// `n / k` in cents, rounded half-up (away from zero), in integers: the reference.
fn div_half_up(n: i128, k: i128) -> i128 {
    let q = (2 * n.abs() + k) / (2 * k);
    if n < 0 {
        -q
    } else {
        q
    }
}

fn cents(c: i128) -> Decimal {
    Decimal::from_i128_with_scale(c, 2)
}

/// A record (the core's builder) with these incomes in cents (A21–A25), A28, and `size`
/// members with nothing answered.
fn household(parts: [i64; 5], other: Option<i64>, size: usize) -> Household {
    let m = |c: i64| Some(Money::Amount(cents(c as i128)));
    testkit::household()
        .with(|h| {
            h.income.production = m(parts[0]);
            h.income.wage = m(parts[1]);
            h.income.property = m(parts[2]);
            h.income.transfer = m(parts[3]);
            h.income.production_cost = m(parts[4]);
            h.income.other_expense = other.and_then(m);
            h.members = (0..size).map(|_| Member::default()).collect();
        })
        .build()
}

fn date(days_from_1900: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(days_from_1900))
        .unwrap()
}

const DAYS_1900_TO_2023: u64 = 45_290;

prop_compose! {
    /// A valid ID: a 6-digit area code, a birth date 1900–2023, a sequence number.
    fn valid_id()(area in 110_000u32..660_000, day in 0..DAYS_1900_TO_2023, seq in 0u16..1000) -> (String, NaiveDate, u16) {
        let birth = date(day);
        (make(&area.to_string(), birth, seq), birth, seq)
    }
}

proptest! {
    #[test]
    fn money_text_round_trips(c in -1_000_000_000_000i64..1_000_000_000_000) {
        let d = cents(c as i128);
        let text = format_plain(d);
        prop_assert!(text.split_once('.').is_some_and(|(_, f)| f.len() == 2), "{}", text);
        let m = Money::parse(&text);
        prop_assert_eq!(&m, &Money::Amount(d));
        prop_assert_eq!(m.to_text(), text.clone());
        // The shown form with thousands separators reads back as the same amount.
        prop_assert_eq!(Money::parse(&format_yuan(d)), Money::Amount(d));
        // Through JSON, as a string and as a number.
        let from_str: Money = serde_json::from_str(&format!("\"{text}\"")).unwrap();
        prop_assert_eq!(from_str, Money::Amount(d));
        let from_num: Money = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(from_num.to_text(), text);
        // Valid exactly when not negative.
        prop_assert_eq!(Money::Amount(d).valid().is_some(), c >= 0);
    }

    #[test]
    fn a_third_decimal_is_refused_and_kept(m in 0i64..1_000_000_000, last in 1i64..10) {
        let text = format!("{}", Decimal::new(m * 10 + last, 3));
        let parsed = Money::parse(&text);
        prop_assert_eq!(&parsed, &Money::Invalid(text.clone()));
        prop_assert_eq!(parsed.problem(), Some("金额最多保留两位小数"));
        prop_assert_eq!(parsed.to_text(), text, "what was typed is kept");
    }

    #[test]
    fn income_arithmetic_is_exact(
        parts in prop::array::uniform5(0i64..2_000_000_000),
        other in proptest::option::of(0i64..2_000_000_000),
        size in 1usize..15,
    ) {
        let h = household(parts, other, size);
        let f = figures(&h);
        let [p, w, pr, t, cost] = parts.map(i128::from);
        let total = p + w + pr + t;
        let net = total - cost;
        prop_assert_eq!(f.household_size, size);
        prop_assert_eq!(f.total_income, Some(cents(total)));
        prop_assert_eq!(f.net_income, Some(cents(net)));
        prop_assert_eq!(f.per_capita_net, Some(cents(div_half_up(net, size as i128))));
        let after = net - other.unwrap_or(0) as i128;
        prop_assert_eq!(f.per_capita_after_rigid, Some(cents(div_half_up(after, size as i128))));
        // The figures survive the file: written as text, read back, computed again.
        let mut h = h;
        h.format = "ruhu.household/1".into();
        let again = figures(&read_records(&write_record(&h)).unwrap()[0]);
        prop_assert_eq!(again, f);
    }

    #[test]
    fn made_ids_always_validate((id, birth, seq) in valid_id()) {
        prop_assert_eq!(id.len(), 18);
        let info = parse_resident(&id, Some(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())).unwrap();
        prop_assert_eq!(info.birth, birth);
        prop_assert_eq!(info.sex, if seq % 2 == 1 { Sex::Male } else { Sex::Female });
    }

    #[test]
    fn any_single_character_change_fails_the_check((id, _, _) in valid_id(), pos in 0usize..18, shift in 1u8..11) {
        let mut b = id.clone().into_bytes();
        if pos < 17 {
            // Another digit at this place (shift 10 is taken as 1..9 below).
            let d = b[pos] - b'0';
            b[pos] = b'0' + (d + (shift % 10).max(1)) % 10;
            let changed = String::from_utf8(b).unwrap();
            prop_assert_ne!(check_char(&changed.as_bytes()[..17]), check_char(&id.as_bytes()[..17]));
            prop_assert!(parse_resident(&changed, None).is_err(), "{} still reads as valid", changed);
        } else {
            // Another check character.
            let all = b"0123456789X";
            let i = all.iter().position(|&c| c == b[17]).unwrap();
            b[17] = all[(i + shift as usize) % 11];
            let changed = String::from_utf8(b).unwrap();
            prop_assert_eq!(parse_resident(&changed, None), Err(IdError::Checksum { expected: id.as_bytes()[17] as char }));
        }
    }

    #[test]
    fn lower_case_x_is_accepted_and_stored_upper_case(area in 110_000u32..660_000, day in 0..DAYS_1900_TO_2023) {
        let birth = date(day);
        // About one sequence number in eleven gives the check character X.
        let id = (0u16..1000).map(|s| make(&area.to_string(), birth, s)).find(|id| id.ends_with('X')).unwrap();
        let lower = id.to_lowercase();
        prop_assert_eq!(parse_resident(&lower, None).map(|i| i.birth), Ok(birth));
        prop_assert_eq!(normalise(&lower), id.clone());
        // Read from a file, the record holds the upper-case X.
        let mut h = Household { format: "ruhu.household/1".into(), ..Default::default() };
        h.members.push(Member { id_number: lower.clone(), ..Default::default() });
        let text = write_record(&h);
        prop_assert!(text.contains(&lower));
        prop_assert_eq!(&read_records(&text).unwrap()[0].members[0].id_number, &id);
    }
}

/// The proof behind `any_single_character_change_fails_the_check`, for every ID at once.
/// The MOD 11-2 sum is linear: changing digit `i` from `a` to `b` changes it by
/// `w_i · (b − a)`, whatever the other digits are. So it is enough to try every position and
/// every pair of digits on one background: if none of these changes leaves the sum the same
/// modulo 11, no single-digit change of any ID does. (11 is prime, each weight `w_i` is 1–10
/// and each `b − a` is ±1–±9, so none can be a multiple of 11 — this test checks it for the
/// weights the code really uses.)
#[test]
fn no_single_digit_change_keeps_the_check_character() {
    let mut tried = 0;
    for background in [*b"00000000000000000", *b"15072219681231459", *b"99999999999999999"] {
        for i in 0..17 {
            for a in b'0'..=b'9' {
                for b in b'0'..=b'9' {
                    if a == b {
                        continue;
                    }
                    let mut x = background;
                    let mut y = background;
                    x[i] = a;
                    y[i] = b;
                    assert_ne!(
                        check_char(&x),
                        check_char(&y),
                        "position {i}: {} vs {}",
                        a as char,
                        b as char
                    );
                    tried += 1;
                }
            }
        }
    }
    assert_eq!(tried, 3 * 17 * 90);
    // And the check character of the standard's example.
    assert_eq!(check_char(b"11010519491231002"), 'X');
}

#[test]
fn rounding_reference_is_half_up() {
    // The reference itself: 0.005 → 0.01, −0.005 → −0.01, 1/3 → 0.33, 2/3 → 0.67.
    assert_eq!(div_half_up(1, 2), 1);
    assert_eq!(div_half_up(-1, 2), -1);
    assert_eq!(div_half_up(100, 3), 33);
    assert_eq!(div_half_up(200, 3), 67);
    assert_eq!(div_half_up(4_100_000, 3), 1_366_667);
    // And the engine on the 大病 household's figures: 41000 ÷ 3 = 13666.67.
    let f = figures(&household([3_000_000, 1_800_000, 0, 200_000, 900_000], Some(3_800_000), 3));
    assert_eq!(f.per_capita_net.map(format_plain).as_deref(), Some("13666.67"));
    assert_eq!(f.per_capita_after_rigid.map(format_plain).as_deref(), Some("1000.00"));
}
