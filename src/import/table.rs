//! CSV files as partners download them: headers matched without case or BOM and through
//! aliases, rows read with the `csv` crate a few thousand at a time, every refused value
//! pointed at by line and column.

use super::facts::RowProblem;
use crate::model::{Date, Guid, Month, PartnerId};
use std::io::Cursor;

/// One column a reader uses: its name in the docs and the header spellings accepted.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    /// Accepted headers, compared without case, spaces or underscores (the first is the
    /// documented name).
    pub headers: &'static [&'static str],
    pub required: bool,
}

/// A required column.
pub const fn req(key: &'static str, headers: &'static [&'static str]) -> Column {
    Column {
        key,
        headers,
        required: true,
    }
}

/// A column read when present.
pub const fn opt(key: &'static str, headers: &'static [&'static str]) -> Column {
    Column {
        key,
        headers,
        required: false,
    }
}

/// A header as compared: no BOM, case, spaces, underscores or hyphens.
pub fn header_key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each column of a reader sits in a file, by its header row.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// `index[i]`: the file column of `columns[i]`.
    index: Vec<Option<usize>>,
    columns: &'static [Column],
    /// The file's headers as written (for messages).
    pub headers: Vec<String>,
}

impl ColumnMap {
    /// Match `headers` against `columns`; the required columns that are missing.
    pub fn new(columns: &'static [Column], headers: &[String]) -> (ColumnMap, Vec<&'static str>) {
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let index: Vec<Option<usize>> = columns
            .iter()
            .map(|c| {
                c.headers
                    .iter()
                    .find_map(|h| keys.iter().position(|k| *k == header_key(h)))
            })
            .collect();
        let missing = columns
            .iter()
            .zip(&index)
            .filter(|(c, i)| c.required && i.is_none())
            .map(|(c, _)| c.headers[0])
            .collect();
        (
            ColumnMap {
                index,
                columns,
                headers: headers.to_vec(),
            },
            missing,
        )
    }

    /// How many of the reader's columns the file has.
    pub fn matched(&self) -> usize {
        self.index.iter().filter(|i| i.is_some()).count()
    }

    fn slot(&self, key: &str) -> Option<usize> {
        let i = self.columns.iter().position(|c| c.key == key)?;
        self.index[i]
    }
}

/// The CSV reader over a whole file, kept between steps.
pub struct CsvSource {
    reader: csv::Reader<Cursor<Vec<u8>>>,
    record: csv::ByteRecord,
    total_bytes: usize,
    pub headers: Vec<String>,
    /// The file is read to its end.
    done: bool,
    /// Line counting (csv's own counter lags a line behind on CRLF files): the byte up to
    /// which newlines are counted, and the line it starts.
    counted_to: usize,
    line: u64,
}

/// Why a file is not a CSV table at all.
#[derive(Debug, Clone, PartialEq)]
pub enum NotCsv {
    Empty,
    NotText(String),
}

impl CsvSource {
    /// Open `bytes` and read its header row.
    pub fn open(bytes: Vec<u8>) -> Result<CsvSource, NotCsv> {
        let total_bytes = bytes.len();
        let skip = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(NotCsv::NotText(
                "the file is UTF-16 text; save or download it as UTF-8 CSV".into(),
            ));
        }
        let mut cursor = Cursor::new(bytes);
        cursor.set_position(skip);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(cursor);
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Err(NotCsv::Empty),
            Err(e) => {
                return Err(NotCsv::NotText(format!(
                    "the file cannot be read as CSV: {e}"
                )));
            }
        }
        let mut headers = Vec::with_capacity(record.len());
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => headers.push(s.trim().to_owned()),
                Err(_) => {
                    return Err(NotCsv::NotText(format!(
                        "the header row is not UTF-8 text (column {}); save the file as UTF-8 CSV",
                        i + 1
                    )));
                }
            }
        }
        Ok(CsvSource {
            reader,
            record,
            total_bytes,
            headers,
            done: false,
            counted_to: 0,
            line: 1,
        })
    }

    /// The 1-based line on which the record starting at byte `start` begins.
    fn line_at(&mut self, start: usize) -> u64 {
        let bytes = self.reader.get_ref().get_ref();
        let start = start.min(bytes.len());
        if start > self.counted_to {
            self.line += bytes[self.counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.counted_to = start;
        }
        // A record's position can sit on the end of the previous line (CRLF).
        let mut line = self.line;
        for b in &bytes[start..] {
            match b {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
        }
        line
    }

    /// Share of the file read so far.
    pub fn progress(&self) -> f64 {
        if self.total_bytes == 0 || self.done {
            return 1.0;
        }
        (self.reader.position().byte() as f64 / self.total_bytes as f64).min(1.0)
    }

    /// Read up to `n` rows into `each`; true when the file is done.
    pub fn step(
        &mut self,
        n: usize,
        map: &ColumnMap,
        mut each: impl FnMut(&Row) -> Result<(), RowProblem>,
        mut problem: impl FnMut(RowProblem),
    ) -> bool {
        for _ in 0..n {
            if self.done {
                return true;
            }
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    return true;
                }
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    problem(RowProblem {
                        line,
                        column: None,
                        header: None,
                        message: format!("this row cannot be read as CSV: {e}"),
                    });
                    continue;
                }
            }
            let start = self.record.position().map_or(0, |p| p.byte() as usize);
            let line = self.line_at(start);
            // Blank lines (a trailing newline, Excel's empty rows) carry nothing.
            if self
                .record
                .iter()
                .all(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            let row = Row {
                record: &self.record,
                map,
                line,
            };
            if self.record.len() < map.headers.len() {
                let last_needed = map.index.iter().flatten().max().copied().unwrap_or(0);
                if self.record.len() <= last_needed {
                    problem(RowProblem {
                        line,
                        column: Some(self.record.len() + 1),
                        header: map.headers.get(self.record.len()).cloned(),
                        message: format!(
                            "the row ends after {} of {} columns (is the file cut short?)",
                            self.record.len(),
                            map.headers.len()
                        ),
                    });
                    continue;
                }
            }
            if let Err(p) = each(&row) {
                problem(p);
            }
        }
        self.done
    }
}

/// One data row, with its columns found by key.
pub struct Row<'a> {
    record: &'a csv::ByteRecord,
    map: &'a ColumnMap,
    pub line: u64,
}

impl Row<'_> {
    /// A problem with the value of column `key` on this row.
    pub fn problem(&self, key: &str, message: impl Into<String>) -> RowProblem {
        let slot = self.map.slot(key);
        RowProblem {
            line: self.line,
            column: slot.map(|i| i + 1),
            header: slot.and_then(|i| self.map.headers.get(i).cloned()),
            message: message.into(),
        }
    }

    /// The trimmed text of column `key`; none when absent or empty.
    pub fn text(&self, key: &str) -> Result<Option<&str>, RowProblem> {
        let Some(i) = self.map.slot(key) else {
            return Ok(None);
        };
        let Some(bytes) = self.record.get(i) else {
            return Ok(None);
        };
        let s = std::str::from_utf8(bytes)
            .map_err(|_| self.problem(key, "the value is not UTF-8 text"))?
            .trim();
        Ok((!s.is_empty()).then_some(s))
    }

    /// The text of a required column.
    pub fn required(&self, key: &str) -> Result<&str, RowProblem> {
        self.text(key)?.ok_or_else(|| {
            let name = self.header_name(key);
            self.problem(key, format!("{name} is empty"))
        })
    }

    fn header_name(&self, key: &str) -> String {
        self.map
            .slot(key)
            .and_then(|i| self.map.headers.get(i).cloned())
            .unwrap_or_else(|| key.to_owned())
    }

    pub fn guid(&self, key: &str) -> Result<Guid, RowProblem> {
        let s = self.required(key)?;
        let s = s.trim_matches(|c| c == '{' || c == '}');
        Guid::parse(s).ok_or_else(|| {
            self.problem(
                key,
                format!(
                    "\"{}\" is not a GUID like 7c6e1f0a-1111-4222-8333-944455556666",
                    crate::model::json::shorten(s, 40)
                ),
            )
        })
    }

    pub fn optional_guid(&self, key: &str) -> Result<Option<Guid>, RowProblem> {
        match self.text(key)? {
            None => Ok(None),
            Some(_) => self.guid(key).map(Some),
        }
    }

    pub fn partner_id(&self, key: &str) -> Result<Option<PartnerId>, RowProblem> {
        match self.text(key)? {
            None => Ok(None),
            Some(s) => {
                // Spreadsheets turn IDs into numbers: "4977985.0".
                let s = s.strip_suffix(".0").unwrap_or(s);
                PartnerId::parse(s).map(Some).ok_or_else(|| {
                    self.problem(
                        key,
                        format!(
                            "\"{}\" is not a partner ID (digits only)",
                            crate::model::json::shorten(s, 40)
                        ),
                    )
                })
            }
        }
    }

    pub fn date(&self, key: &str) -> Result<Option<Date>, RowProblem> {
        match self.text(key)? {
            None => Ok(None),
            Some(s) => parse_date(s).map(Some).ok_or_else(|| {
                self.problem(
                    key,
                    format!(
                        "\"{}\" is not a date (2026-09-01 or 9/1/2026)",
                        crate::model::json::shorten(s, 40)
                    ),
                )
            }),
        }
    }

    /// A month from a date column ("first of the month") or a `YYYY-MM` value.
    pub fn month(&self, key: &str) -> Result<Month, RowProblem> {
        let s = self.required(key)?;
        Month::parse(s)
            .or_else(|| parse_date(s).map(Date::month))
            .ok_or_else(|| {
                self.problem(
                    key,
                    format!(
                        "\"{}\" is not a month (2026-09-01, 9/1/2026 or 2026-09)",
                        crate::model::json::shorten(s, 40)
                    ),
                )
            })
    }

    /// A number; empty is 0.
    pub fn number(&self, key: &str) -> Result<f64, RowProblem> {
        match self.text(key)? {
            None => Ok(0.0),
            Some(s) => parse_number(s).ok_or_else(|| {
                self.problem(
                    key,
                    format!("\"{}\" is not a number", crate::model::json::shorten(s, 40)),
                )
            }),
        }
    }

    /// A yes/no flag (1/0, true/false, yes/no); empty is no.
    pub fn flag(&self, key: &str) -> Result<bool, RowProblem> {
        match self.text(key)?.map(str::to_ascii_lowercase).as_deref() {
            None | Some("0" | "false" | "no" | "n") => Ok(false),
            Some("1" | "true" | "yes" | "y") => Ok(true),
            Some(other) => Err(self.problem(
                key,
                format!(
                    "\"{}\" is not 1/0 or true/false",
                    crate::model::json::shorten(other, 20)
                ),
            )),
        }
    }
}

/// A date as Partner Center and Cost Management write them: ISO (`2026-09-01`, with or
/// without a time) or US (`9/1/2026`, `09/01/2026 12:00:00 AM`).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let day = s.split(['T', ' ']).next()?;
    if let Some(d) = Date::parse(day) {
        return Some(d);
    }
    let parts: Vec<&str> = day.split('/').collect();
    if let [m, d, y] = parts.as_slice()
        && (1..=2).contains(&m.len())
        && (1..=2).contains(&d.len())
        && y.len() == 4
    {
        return Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    }
    // Compact ISO, as some exports write it: 20260901.
    if day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()) {
        return Date::from_ymd(
            day[..4].parse().ok()?,
            day[4..6].parse().ok()?,
            day[6..].parse().ok()?,
        );
    }
    None
}

/// A number as exports write it: `1234.5`, `1,234.50`, `$1,234.50`, `-12`, `1.2E3`.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim().trim_start_matches('$').trim();
    let plain: String = if s.contains(',') {
        // Thousands separators only in the en-US form exports use: 1,234,567.89.
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = int.strip_prefix('-').unwrap_or(int);
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
            && frac.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return None;
        }
        s.replace(',', "")
    } else {
        s.to_owned()
    };
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_iso_and_us_forms() {
        let want = Date::parse("2026-09-01");
        for s in [
            "2026-09-01",
            "9/1/2026",
            "09/01/2026",
            "2026-09-01T00:00:00Z",
            "2026-09-01 00:00:00",
            "9/1/2026 12:00:00 AM",
            "20260901",
        ] {
            assert_eq!(parse_date(s), want, "{s}");
        }
        for bad in ["1/9/26", "2026-13-01", "13/1/2026", "next tuesday", ""] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_read_with_thousands_and_dollars() {
        assert_eq!(parse_number("1234.5"), Some(1234.5));
        assert_eq!(parse_number("1,234.50"), Some(1234.5));
        assert_eq!(parse_number("$12,345"), Some(12345.0));
        assert_eq!(parse_number("-7"), Some(-7.0));
        assert_eq!(parse_number("1.5E3"), Some(1500.0));
        assert_eq!(parse_number("1,23"), None, "a decimal comma is not guessed");
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn headers_match_without_case_bom_or_separators() {
        assert_eq!(header_key("\u{feff}Customer Tenant_Id"), "customertenantid");
        const COLS: &[Column] = &[
            req("tenant", &["CustomerTenantId"]),
            opt("mpn", &["MPNID", "PartnerID"]),
        ];
        let (map, missing) = ColumnMap::new(COLS, &["partnerid".into(), "CUSTOMERTENANTID".into()]);
        assert!(missing.is_empty());
        assert_eq!(map.slot("tenant"), Some(1));
        assert_eq!(map.slot("mpn"), Some(0));
    }
}
