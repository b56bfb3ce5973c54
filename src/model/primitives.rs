//! The small value types of the format: months, dates, GUIDs, partner IDs, series.

use super::json::{Cx, FromJson, describe};
use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// A calendar month (`YYYY-MM`), stored as a month count so arithmetic is cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=9999).contains(&year))
            .then(|| Month(year * 12 + month as i32 - 1))
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1..=12
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// This month shifted by `n` months (negative goes back).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// Months from `earlier` to `self` (negative when `earlier` is later).
    pub fn since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }

    pub fn first_day(self) -> Date {
        Date::from_ymd(self.year(), self.month(), 1).unwrap_or(Date::MIN)
    }

    /// The month's last day: associations are judged on it.
    pub fn last_day(self) -> Date {
        self.plus(1).first_day().pred()
    }

    pub fn of(date: Date) -> Month {
        Month(date.0.year() * 12 + date.0.month0() as i32)
    }

    /// Parse `YYYY-MM` strictly.
    pub fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        Month::new(s[..4].parse().ok()?, s[5..].parse().ok()?)
    }

    /// The months `from..=to`, in order.
    pub fn range(from: Month, to: Month) -> impl Iterator<Item = Month> {
        (from.0..=to.0).map(Month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// A month written `YYYY-MM` on the stack (a series writes one key per month: millions in a
/// large workspace).
pub struct MonthKey([u8; 7]);

impl MonthKey {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl Month {
    /// The month as `YYYY-MM` without allocating; none outside years 0–9999.
    pub fn key(self) -> Option<MonthKey> {
        year_month(self.year(), self.month()).map(MonthKey)
    }
}

/// `YYYY-MM` as bytes, for years 0–9999 (none outside them).
fn year_month(y: i32, m: u32) -> Option<[u8; 7]> {
    let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
    let [a, b] = two_digits(m);
    Some([
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        a,
        b,
    ])
}

fn two_digits(n: u32) -> [u8; 2] {
    [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromJson for Month {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(Month::parse);
        if parsed.is_none() {
            cx.error(format!(
                "expected a month as YYYY-MM (e.g. 2026-10), found {}",
                describe(v)
            ));
        }
        parsed
    }
}

/// A calendar date (`YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    pub const MIN: Date = Date(NaiveDate::MIN);
    /// The last date files can hold (an open end compares as this).
    pub const MAX: Date = Date(match NaiveDate::from_ymd_opt(9999, 12, 31) {
        Some(d) => d,
        None => NaiveDate::MAX,
    });

    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(y, m, d).map(Date)
    }

    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        Date::from_ymd(
            s[..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..].parse().ok()?,
        )
    }

    pub fn pred(self) -> Date {
        Date(self.0.pred_opt().unwrap_or(NaiveDate::MIN))
    }

    pub fn plus_days(self, n: i64) -> Date {
        Date(
            self.0
                .checked_add_signed(chrono::Duration::days(n))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// Days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i64 {
        (self.0 - earlier.0).num_days()
    }

    /// Monday = 0 .. Sunday = 6.
    pub fn weekday(self) -> u32 {
        self.0.weekday().num_days_from_monday()
    }

    /// The date `n` business days (Monday to Friday) after this one.
    pub fn plus_business_days(self, n: u32) -> Date {
        let mut d = self;
        let mut left = n;
        while left > 0 {
            d = d.plus_days(1);
            if d.weekday() < 5 {
                left -= 1;
            }
        }
        d
    }

    pub fn month(self) -> Month {
        Month::of(self)
    }
}

impl Date {
    /// The date as `YYYY-MM-DD` on the stack, as chrono's `%Y-%m-%d` writes it for years
    /// 0–9999 (none outside them): chrono's formatting reads its pattern at every call, and
    /// a large workspace writes hundreds of thousands of dates.
    fn key(self) -> Option<[u8; 10]> {
        let [y0, y1, y2, y3, dash, m0, m1] = year_month(self.0.year(), self.0.month())?;
        let [d0, d1] = two_digits(self.0.day());
        Some([y0, y1, y2, y3, dash, m0, m1, b'-', d0, d1])
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key() {
            Some(key) => f.write_str(std::str::from_utf8(&key).unwrap_or_default()),
            None => write!(f, "{}", self.0.format("%Y-%m-%d")),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.key() {
            Some(key) => s.serialize_str(std::str::from_utf8(&key).unwrap_or_default()),
            None => s.collect_str(self),
        }
    }
}

impl FromJson for Date {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(Date::parse);
        if parsed.is_none() {
            cx.error(format!(
                "expected a date as YYYY-MM-DD (e.g. 2026-03-31), found {}",
                describe(v)
            ));
        }
        parsed
    }
}

/// A GUID in the 8-4-4-4-12 hex form, kept as written; compared without case. Its 32 hex
/// digits are read once, when it is parsed (the only way to make one): comparing and hashing
/// GUIDs, and matching a usage line's subscription, read that number, not the text.
#[derive(Debug, Clone, Eq)]
pub struct Guid {
    text: String,
    /// [`Guid::number`] as its high and low halves (a `u128` field would align the GUID to
    /// 16 bytes and make it 48 bytes, not 40).
    number: [u64; 2],
}

impl Guid {
    pub fn parse(s: &str) -> Option<Guid> {
        let n = Guid::number_of(s)?;
        Some(Guid {
            text: s.to_owned(),
            number: [(n >> 64) as u64, n as u64],
        })
    }

    /// Whether `s` is written as a GUID (8-4-4-4-12 hex digits).
    pub fn is_valid(s: &str) -> bool {
        // Read for every usage line's scope: the dashes at their places, then the five groups
        // of hex digits (no per-position branch).
        let b = s.as_bytes();
        b.len() == 36
            && [b[8], b[13], b[18], b[23]] == [b'-'; 4]
            && [&b[..8], &b[9..13], &b[14..18], &b[19..23], &b[24..]]
                .iter()
                .all(|group| group.iter().all(u8::is_ascii_hexdigit))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The 32 hex digits of a GUID written as `s` ([`Guid::is_valid`]), as one number: two
    /// GUIDs are the same (without case) exactly when their numbers are.
    pub fn number_of(s: &str) -> Option<u128> {
        if !Guid::is_valid(s) {
            return None;
        }
        // Read for every usage line as it is decoded: each half of the digits into a u64,
        // a hex digit's value as `(c & 15) + 9 * (c >> 6)` (letters, either case, are 0x4_
        // or 0x6_; digits 0x3_), exact on the hex digits `is_valid` let through.
        let b = s.as_bytes();
        let half = |groups: [&[u8]; 2]| {
            groups
                .iter()
                .flat_map(|g| g.iter())
                .fold(0u64, |n, &c| n << 4 | u64::from((c & 15) + 9 * (c >> 6)))
        };
        let high = half([&b[..8], &b[9..13]]) << 16 | half([&b[14..18], &[]]);
        let low = half([&b[19..23], &b[24..]]);
        Some(u128::from(high) << 64 | u128::from(low))
    }

    /// [`Guid::number_of`] this GUID, read when it was parsed.
    pub fn number(&self) -> u128 {
        u128::from(self.number[0]) << 64 | u128::from(self.number[1])
    }

    /// The lower-case form, for indexes and comparisons.
    pub fn key(&self) -> String {
        self.text.to_ascii_lowercase()
    }
}

/// Equal without case exactly when the numbers are ([`Guid::number_of`]).
impl PartialEq for Guid {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
    }
}

impl std::hash::Hash for Guid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.number.hash(state);
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Guid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl FromJson for Guid {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(Guid::parse);
        if parsed.is_none() {
            cx.error(format!(
                "expected a GUID like 7c6e1f0a-1111-4222-8333-944455556666, found {}",
                describe(v)
            ));
        }
        parsed
    }
}

/// A Microsoft partner ID (PGA or PLA): digits only, no length enforced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartnerId(String);

impl PartnerId {
    pub fn parse(s: &str) -> Option<PartnerId> {
        (!s.is_empty() && s.len() <= 20 && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| PartnerId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PartnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for PartnerId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl FromJson for PartnerId {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(PartnerId::parse);
        if parsed.is_none() {
            let extra = if v.is_number() {
                " (write it as text, in quotes)"
            } else {
                ""
            };
            cx.error(format!(
                "expected a partner ID of digits such as \"4977985\"{extra}, found {}",
                describe(v)
            ));
        }
        parsed
    }
}

/// An id that other records refer to (`ada`, `fabrikam`): non-empty, no surrounding spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    pub fn new(s: impl Into<String>) -> Option<Id> {
        let s = s.into();
        (!s.is_empty() && s.len() <= 200 && s.trim() == s).then_some(Id(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl FromJson for Id {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let parsed = v.as_str().and_then(Id::new);
        if parsed.is_none() {
            cx.error(format!(
                "expected an id (non-empty text without leading or trailing spaces, at most 200 characters), found {}",
                describe(v)
            ));
        }
        parsed
    }
}

/// A monthly series `{ "YYYY-MM": number }`; a missing month is 0. Held as the months that
/// have a value, in order, in one array: read by binary search, ranges as slices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series(Vec<(Month, f64)>);

impl Series {
    fn find(&self, m: Month) -> Result<usize, usize> {
        // The months are strictly ascending: a series without a gap (most of them) holds
        // `m` at its distance from the first month, found without a search (see `span`).
        if let (Some((first, _)), Some((last, _))) = (self.0.first(), self.0.last()) {
            let n = self.0.len();
            if i64::from(last.since(*first)) + 1 == n as i64 {
                return match usize::try_from(m.since(*first)) {
                    Err(_) => Err(0),
                    Ok(k) if k < n => Ok(k),
                    Ok(_) => Err(n),
                };
            }
        }
        self.0.binary_search_by(|(x, _)| x.cmp(&m))
    }

    pub fn get(&self, m: Month) -> f64 {
        self.find(m).map_or(0.0, |i| self.0[i].1)
    }

    pub fn set(&mut self, m: Month, v: f64) {
        match (self.find(m), v == 0.0) {
            (Ok(i), true) => {
                self.0.remove(i);
            }
            (Ok(i), false) => self.0[i].1 = v,
            (Err(_), true) => {}
            (Err(i), false) => self.0.insert(i, (m, v)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Month, f64)> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The months of `from..=to` that have a value, in order.
    pub fn range(&self, from: Month, to: Month) -> impl Iterator<Item = (Month, f64)> + '_ {
        self.0[self.span(from, to)].iter().copied()
    }

    /// Where the months of `from..=to` sit. Most series the engine reads lie wholly inside
    /// the months it asks for: that is seen from the first and the last month (two
    /// independent reads) without a search, whose reads each wait on the one before (the
    /// first touch of a series is a cache miss, hundreds of thousands per evaluation).
    fn span(&self, from: Month, to: Month) -> std::ops::Range<usize> {
        match (self.0.first(), self.0.last()) {
            (Some((first, _)), Some((last, _))) if *first >= from && *last <= to => 0..self.0.len(),
            _ => {
                let start = self.0.partition_point(|(x, _)| *x < from);
                let end = self.0.partition_point(|(x, _)| *x <= to).max(start);
                start..end
            }
        }
    }

    /// Sum over `from..=to`.
    pub fn sum(&self, from: Month, to: Month) -> f64 {
        self.range(from, to).map(|(_, v)| v).sum()
    }

    /// True when any month has a value other than 0.
    pub fn any_nonzero(&self) -> bool {
        self.0.iter().any(|(_, v)| *v != 0.0)
    }

    pub fn last_month(&self) -> Option<Month> {
        self.0.last().map(|(m, _)| *m)
    }

    /// A series of `pairs`; of two values for one month, the later one holds.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Month, f64)>) -> Series {
        let mut v: Vec<(Month, f64)> = pairs.into_iter().collect();
        if !v.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable: equal months stay in the order given, and the last of each run is kept.
            v.sort_by_key(|(m, _)| *m);
            let mut out: Vec<(Month, f64)> = Vec::with_capacity(v.len());
            for (m, x) in v {
                match out.last_mut() {
                    Some(last) if last.0 == m => last.1 = x,
                    _ => out.push((m, x)),
                }
            }
            v = out;
        }
        Series(v)
    }
}

impl Serialize for Series {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (m, v) in &self.0 {
            match m.key() {
                Some(key) => map.serialize_entry(key.as_str(), &Number(*v))?,
                None => map.serialize_entry(&m.to_string(), &Number(*v))?,
            }
        }
        map.end()
    }
}

/// A number written without a trailing `.0` when it is whole (files stay as people write them).
pub struct Number(pub f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

impl FromJson for Series {
    fn from_json(v: &Value, cx: &mut Cx) -> Option<Self> {
        let Some(obj) = v.as_object() else {
            cx.error(format!(
                "expected a monthly series like {{ \"2026-10\": 120 }}, found {}",
                super::json::kind_of(v)
            ));
            return None;
        };
        let mut out = Vec::with_capacity(obj.len());
        let mut ok = true;
        for (k, x) in obj {
            cx.at_key(k, |cx| {
                let Some(m) = Month::parse(k) else {
                    cx.error(format!(
                        "\"{}\" is not a month; write months as YYYY-MM",
                        super::json::shorten(k, 40)
                    ));
                    ok = false;
                    return;
                };
                match x.as_f64() {
                    Some(n) if n.is_finite() && n >= 0.0 => out.push((m, n)),
                    Some(n) if n < 0.0 => {
                        cx.error(format!("{n} is negative; monthly values are 0 or more"));
                        ok = false;
                    }
                    _ => {
                        cx.error(format!("expected a number, found {}", describe(x)));
                        ok = false;
                    }
                }
            });
        }
        ok.then(|| Series::from_pairs(out))
    }
    fn when_missing() -> Option<Self> {
        Some(Series::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_written_as_chrono_writes_it() {
        let days = [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(5, 3, 9).unwrap(),
            NaiveDate::from_ymd_opt(999, 10, 10).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
        ];
        // Every day of four years, and the edges above.
        let every = (0..4 * 366).filter_map(|n| {
            NaiveDate::from_ymd_opt(2024, 1, 1)?.checked_add_days(chrono::Days::new(n))
        });
        for day in days.into_iter().chain(every) {
            let chrono = day.format("%Y-%m-%d").to_string();
            assert_eq!(Date(day).to_string(), chrono);
            assert_eq!(
                serde_json::to_string(&Date(day)).unwrap(),
                format!("\"{chrono}\"")
            );
        }
    }

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2026-01").unwrap();
        assert_eq!(m.plus(-1).to_string(), "2025-12");
        assert_eq!(m.plus(-12).to_string(), "2025-01");
        assert_eq!(m.last_day().to_string(), "2026-01-31");
        assert_eq!(
            Month::parse("2024-02").unwrap().last_day().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2026-13",
            "2026-00",
            "26-01",
            "2026-1",
            "2026/01",
            "２０２６-01",
            "",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_parse_strictly() {
        assert!(Date::parse("2026-02-28").is_some());
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "20260228",
            "2026-02-28T00:00",
            "+2026-02-2",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn business_days_skip_weekends() {
        // 2026-11-20 is a Friday.
        let fri = Date::parse("2026-11-20").unwrap();
        assert_eq!(fri.weekday(), 4);
        assert_eq!(fri.plus_business_days(1).to_string(), "2026-11-23");
        assert_eq!(fri.plus_business_days(14).to_string(), "2026-12-10");
    }

    #[test]
    fn guids_compare_without_case() {
        let a = Guid::parse("7C6E1F0A-1111-4222-8333-944455556666").unwrap();
        let b = Guid::parse("7c6e1f0a-1111-4222-8333-944455556666").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "7C6E1F0A-1111-4222-8333-944455556666");
        assert!(Guid::parse("7c6e1f0a11114222833394445555666600").is_none());
        assert!(Guid::parse("7c6e1f0a-1111-4222-8333-94445555666g").is_none());
        // Their numbers: equal exactly when the GUIDs are, read digit by digit in order.
        assert_eq!(a.number(), b.number());
        assert_eq!(a.number(), 0x7c6e1f0a_1111_4222_8333_944455556666);
        // Hashed by the number too: the same GUID in either case is one key.
        let keys: std::collections::HashSet<Guid> = [a.clone(), b.clone()].into_iter().collect();
        assert_eq!(keys.len(), 1);
        let c = Guid::parse("7c6e1f0a-1111-4222-8333-944455556667").unwrap();
        assert_ne!(a.number(), c.number());
        assert_eq!(
            Guid::number_of("7c6e1f0a-1111-4222-8333-94445555666g"),
            None
        );
        assert_eq!(
            Guid::number_of("ffffffff-ffff-ffff-ffff-ffffffffffff"),
            Some(u128::MAX)
        );
    }

    /// The GUID check agrees with the plain rule (36 characters: hex digits, dashes at 8,
    /// 13, 18 and 23) on every one-character change of a valid GUID, and on lengths around 36.
    #[test]
    fn the_guid_check_reads_every_position() {
        let plain = |s: &str| {
            s.chars().count() == 36
                && s.chars().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => c == '-',
                    _ => c.is_ascii_hexdigit(),
                })
        };
        let good = "7c6e1f0a-1111-4222-8333-944455556666";
        let mut cases = vec![String::new(), good[1..].to_owned(), format!("{good}0")];
        for i in 0..36 {
            for c in ['-', '0', '9', 'a', 'F', 'g', 'G', ' ', '/', 'é', '\u{0}'] {
                let mut chars: Vec<char> = good.chars().collect();
                chars[i] = c;
                cases.push(chars.into_iter().collect());
            }
        }
        let mut valid = 0;
        for case in &cases {
            assert_eq!(Guid::is_valid(case), plain(case), "{case:?}");
            // The number is the 32 digits read as one hex number, whatever their case.
            let digits: String = case.chars().filter(|&c| c != '-').collect();
            assert_eq!(
                Guid::number_of(case),
                plain(case).then(|| u128::from_str_radix(&digits, 16).expect("hex")),
                "{case:?}"
            );
            valid += usize::from(plain(case));
        }
        // Some of the changes keep it a GUID (a digit for a digit), most do not.
        assert!(
            valid > 36 * 3 && valid < cases.len() / 2,
            "{valid} of {}",
            cases.len()
        );
    }

    #[test]
    fn series_write_whole_numbers_plainly() {
        let s = Series::from_pairs([
            (Month::parse("2026-10").unwrap(), 1500.0),
            (Month::parse("2026-09").unwrap(), 0.25),
        ]);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"2026-09":0.25,"2026-10":1500}"#
        );
    }

    #[test]
    fn a_month_key_is_written_as_displayed() {
        for m in [Month::new(2026, 1), Month::new(1, 12), Month::new(9999, 10)] {
            let m = m.expect("month");
            assert_eq!(m.key().expect("key").as_str(), m.to_string());
        }
        assert!(Month::new(9999, 12).expect("month").plus(1).key().is_none());
    }

    #[test]
    fn series_keep_months_in_order_and_the_last_value_given() {
        let m = |s: &str| Month::parse(s).unwrap();
        let mut s = Series::from_pairs([
            (m("2026-10"), 3.0),
            (m("2026-01"), 1.0),
            (m("2026-10"), 4.0),
            (m("2026-05"), 2.0),
        ]);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [
                (m("2026-01"), 1.0),
                (m("2026-05"), 2.0),
                (m("2026-10"), 4.0)
            ]
        );
        assert_eq!(s.get(m("2026-05")), 2.0);
        assert_eq!(s.get(m("2026-06")), 0.0);
        assert_eq!(s.sum(m("2026-02"), m("2026-10")), 6.0);
        assert_eq!(s.range(m("2026-11"), m("2026-01")).count(), 0);
        s.set(m("2026-05"), 0.0);
        s.set(m("2026-03"), 7.0);
        s.set(m("2026-10"), 5.0);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [
                (m("2026-01"), 1.0),
                (m("2026-03"), 7.0),
                (m("2026-10"), 5.0)
            ]
        );
        assert_eq!(s.last_month(), Some(m("2026-10")));
    }

    /// `get` and `range` read gap-free series and series wholly inside a range without a
    /// search: on random series, with and without gaps, they find what a scan finds.
    #[test]
    fn series_reads_agree_with_a_scan() {
        let mut rng = crate::generate::Rng::new(7);
        let base = Month::new(2024, 1).expect("month");
        for case in 0..2000 {
            let start = rng.range(0, 30) as i32;
            let len = rng.range(0, 14) as i32;
            let gaps = case % 2 == 1;
            let pairs: Vec<(Month, f64)> = (0..len)
                .filter(|_| !gaps || rng.chance(0.7))
                .map(|k| (base.plus(start + k), (k + 1) as f64))
                .collect();
            let s = Series::from_pairs(pairs.clone());
            for k in -3..50 {
                let at = base.plus(k);
                let scan = pairs.iter().find(|(x, _)| *x == at).map_or(0.0, |p| p.1);
                assert_eq!(s.get(at), scan, "case {case} get {k}: {pairs:?}");
            }
            for _ in 0..20 {
                let (a, b) = (rng.range(0, 50) as i32 - 3, rng.range(0, 50) as i32 - 3);
                let (from, to) = (base.plus(a), base.plus(b));
                let scan: Vec<(Month, f64)> = pairs
                    .iter()
                    .copied()
                    .filter(|(x, _)| *x >= from && *x <= to)
                    .collect();
                assert_eq!(
                    s.range(from, to).collect::<Vec<_>>(),
                    scan,
                    "case {case} range {a}..={b}: {pairs:?}"
                );
            }
        }
    }
}

/// An id from a name: lower-case letters and digits joined by dashes (`Contoso Cloud — FY27` → `contoso-cloud-fy27`).
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A count with its noun: `1 customer`, `3 customers`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A whole number with thousands separators: `212,781`.
pub fn thousands(n: u64) -> String {
    let mut digits = n.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    format!("{digits}{grouped}")
}

/// Dollars as people write them: `$12,345` (cents only below $100).
pub fn money(v: f64) -> String {
    let negative = v < 0.0;
    let v = v.abs();
    let whole = v.trunc() as u64;
    let grouped = thousands(whole);
    let cents = if v < 100.0 && v.fract() != 0.0 {
        format!(".{:02}", ((v.fract() * 100.0).round() as u64).min(99))
    } else {
        String::new()
    };
    format!("{}${grouped}{cents}", if negative { "-" } else { "" })
}

#[cfg(test)]
mod money_tests {
    #[test]
    fn money_groups_thousands() {
        assert_eq!(super::money(4054.0), "$4,054");
        assert_eq!(super::money(1234567.8), "$1,234,567");
        assert_eq!(super::money(12.5), "$12.50");
        assert_eq!(super::money(0.0), "$0");
    }
}

/// Read a string-backed primitive (an id, a GUID, a date) with serde, through its parser:
/// used for app-side records such as what-if changes, never for workspace files.
macro_rules! deserialize_via_parse {
    ($($t:ty => $parse:expr, $what:literal;)*) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::json::one_pass::parsed(d, $what, $parse)
            }
        }
    )*};
}

// The same values as their `FromJson`, for one-pass decoding (`json::one_pass`).
deserialize_via_parse! {
    Guid => Guid::parse, "a GUID";
    PartnerId => PartnerId::parse, "a partner ID";
    Month => Month::parse, "a month (YYYY-MM)";
    Date => Date::parse, "a date (YYYY-MM-DD)";
    Id => |s| Id::new(s), "an id";
}

impl<'de> serde::Deserialize<'de> for Series {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        thread_local! {
            // The months of the series being read, before they get an allocation of their
            // exact size: the engine reads series in hot loops, and allocations without the
            // holes growth leaves keep them close together in memory.
            static SCRATCH: std::cell::RefCell<Vec<(Month, f64)>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Series;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a monthly series")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Series, A::Error> {
                use serde::de::Error as _;
                SCRATCH.with_borrow_mut(|out| {
                    out.clear();
                    while let Some(m) = map.next_key::<Month>()? {
                        let n: f64 = map.next_value()?;
                        if !(n.is_finite() && n >= 0.0) {
                            return Err(A::Error::custom("a monthly value is 0 or more"));
                        }
                        out.push((m, n));
                    }
                    Ok(Series::from_pairs(out.iter().copied()))
                })
            }
        }
        d.deserialize_map(V)
    }
}
