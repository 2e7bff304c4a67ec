//! Chinese resident ID numbers (GB 11643-1999) and the 20-character 残疾人证 number.
//!
//! 18 characters: 6-digit area code, 8-digit birth date `YYYYMMDD`, 3-digit sequence
//! (odd 17th digit = male), and an ISO 7064 MOD 11-2 check character (0–9 or X).
//! A 残疾人证 number is the holder's 18-character ID + disability category (1–7) +
//! grade (1–4).

use chrono::{Datelike, NaiveDate};

use super::record::{IdType, Sex};

/// What a valid ID number tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdInfo {
    pub birth: NaiveDate,
    pub sex: Sex,
    /// 残疾类别 1–7 (视力、听力、言语、肢体、智力、精神、多重), only for a 残疾人证.
    pub disability_category: Option<u8>,
    /// 残疾等级 1–4 (一级最重), only for a 残疾人证.
    pub disability_grade: Option<u8>,
}

/// Why an ID number is not valid (each is a Chinese sentence for the field).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("身份证号应为18位（现有{0}位）")]
    ResidentLength(usize),
    #[error("残疾人证号应为20位（现有{0}位）")]
    DisabilityLength(usize),
    #[error("身份证号前17位应全为数字，第18位为数字或X")]
    Characters,
    #[error("残疾人证号应为身份证号18位加残疾类别、等级2位数字")]
    DisabilityCharacters,
    #[error("身份证号中的出生日期 {0} 不存在")]
    BirthImpossible(String),
    #[error("身份证号中的出生日期 {0} 晚于走访日期")]
    BirthAfterVisit(NaiveDate),
    #[error("身份证号校验码错误（按前17位应为 {expected}）")]
    Checksum { expected: char },
    #[error("残疾人证号第19位（残疾类别）应为1–7")]
    DisabilityCategory,
    #[error("残疾人证号第20位（残疾等级）应为1–4")]
    DisabilityGrade,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| (d - b'0') as u32 * w).sum();
    CHECK[(sum % 11) as usize]
}

/// Upper-cases the check character and drops spaces: how an ID is stored.
pub fn normalise(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
}

/// [`normalise`] without allocating when the number is already stored normalised.
fn normalised(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| !(b.is_ascii_digit() || b.is_ascii_uppercase())) {
        normalise(s).into()
    } else {
        s.into()
    }
}

/// Checks an 18-character resident ID; `visit` bounds the birth date when known.
pub fn parse_resident(s: &str, visit: Option<NaiveDate>) -> Result<IdInfo, IdError> {
    let s = normalised(s);
    let n = s.chars().count();
    if n != 18 {
        return Err(IdError::ResidentLength(n));
    }
    let b = s.as_bytes();
    if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(IdError::Characters);
    }
    let digits = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (digits(6..10), digits(10..12), digits(12..14));
    let birth = NaiveDate::from_ymd_opt(y as i32, m, d)
        .filter(|_| y >= 1850)
        .ok_or_else(|| IdError::BirthImpossible(s[6..14].to_string()))?;
    if let Some(v) = visit {
        if birth > v {
            return Err(IdError::BirthAfterVisit(birth));
        }
    }
    let expected = check_char(&b[..17]);
    if b[17] as char != expected {
        return Err(IdError::Checksum { expected });
    }
    let sex = if (b[16] - b'0') % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(IdInfo { birth, sex, disability_category: None, disability_grade: None })
}

/// Checks a 20-character 残疾人证 number.
pub fn parse_disability(s: &str, visit: Option<NaiveDate>) -> Result<IdInfo, IdError> {
    let s = normalised(s);
    let n = s.chars().count();
    if n != 20 {
        return Err(IdError::DisabilityLength(n));
    }
    if !s.is_ascii() {
        return Err(IdError::DisabilityCharacters);
    }
    let mut info = parse_resident(&s[..18], visit)?;
    let cat = s.as_bytes()[18];
    let grade = s.as_bytes()[19];
    if !(b'1'..=b'7').contains(&cat) {
        return Err(IdError::DisabilityCategory);
    }
    if !(b'1'..=b'4').contains(&grade) {
        return Err(IdError::DisabilityGrade);
    }
    info.disability_category = Some(cat - b'0');
    info.disability_grade = Some(grade - b'0');
    Ok(info)
}

/// Checks an ID of the given type.
pub fn parse(id_type: IdType, s: &str, visit: Option<NaiveDate>) -> Result<IdInfo, IdError> {
    match id_type {
        IdType::ResidentId => parse_resident(s, visit),
        IdType::DisabilityCert => parse_disability(s, visit),
    }
}

/// The holder's 18-character ID inside either kind of number (for duplicate checks).
pub fn person_key(s: &str) -> Option<String> {
    let s = normalise(s);
    (s.len() >= 18 && s.is_ascii()).then(|| s[..18].to_string())
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// Makes a valid 18-character ID from an area code, a birth date and a 3-digit sequence
/// (used by tests, examples and fixtures).
pub fn make(area: &str, birth: NaiveDate, seq: u16) -> String {
    let mut s = format!("{area:0>6.6}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let c = check_char(s.as_bytes());
    s.push(c);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn known_valid_number() {
        // The GB 11643-1999 example: 11010519491231002X
        let info = parse_resident("11010519491231002x", Some(d(2023, 2, 20))).unwrap();
        assert_eq!(info.birth, d(1949, 12, 31));
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(age_on(info.birth, d(2023, 2, 20)), 73);
    }

    #[test]
    fn errors() {
        assert_eq!(parse_resident("1234", None), Err(IdError::ResidentLength(4)));
        assert_eq!(parse_resident("11010519491231002Y", None), Err(IdError::Characters));
        assert_eq!(
            parse_resident("110105194902300021", None),
            Err(IdError::BirthImpossible("19490230".into()))
        );
        assert_eq!(
            parse_resident("110105194912310021", None),
            Err(IdError::Checksum { expected: 'X' })
        );
        let id = make("150722", d(2024, 1, 1), 11);
        assert_eq!(
            parse_resident(&id, Some(d(2023, 2, 20))),
            Err(IdError::BirthAfterVisit(d(2024, 1, 1)))
        );
    }

    #[test]
    fn disability_cert() {
        let id = make("150722", d(1960, 5, 1), 31);
        let info = parse_disability(&format!("{id}42"), None).unwrap();
        assert_eq!(
            (info.disability_category, info.disability_grade, info.sex),
            (Some(4), Some(2), Sex::Male)
        );
        assert_eq!(parse_disability(&format!("{id}82"), None), Err(IdError::DisabilityCategory));
        assert_eq!(parse_disability(&format!("{id}45"), None), Err(IdError::DisabilityGrade));
        assert_eq!(parse_disability(&id, None), Err(IdError::DisabilityLength(18)));
        assert_eq!(
            parse_disability(&format!("{}０4", &id[..18]), None),
            Err(IdError::DisabilityCharacters)
        );
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d(2007, 2, 21), d(2023, 2, 20)), 15);
        assert_eq!(age_on(d(2007, 2, 20), d(2023, 2, 20)), 16);
        assert_eq!(age_on(d(2000, 2, 29), d(2023, 2, 28)), 22);
    }
}
