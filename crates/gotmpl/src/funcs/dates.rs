//! Sprig's date functions (`now`, `date`, `dateInZone`, `toDate`, `dateModify`, `duration`,
//! ...) over a Go `time.Time` ([`GoTime`]), with Go's reference-time layouts
//! (`2006-01-02T15:04:05Z07:00`), Go's `time.Duration` printing and parsing, and Go's
//! parse-error texts.
//!
//! The render has no clock and no time-zone database: `now` is [`FuncCtx::now`], the local
//! zone is UTC, and the IANA zones known are `UTC`, `Local`, `""`, `Etc/GMT±N` and a table of
//! common zones with today's DST rules (older dates in those zones may be off by the
//! historical rule changes; an unknown zone prints in UTC, as Sprig does when Go cannot load
//! a zone).

use std::sync::Arc;

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::arg_str;
use crate::funcs::conv::go_quote;
use crate::value::{Object, Value};

/// Go's `time.Time` as a parameter type (`unixEpoch`, `dateModify`).
const TIME: Ty = Ty::Named("time.Time");

pub static FUNCS: &[Func] = &[
    Func::new("ago", &[Ty::Any], ago),
    Func::new("date", &[Ty::String, Ty::Any], date),
    Func::new(
        "date_in_zone",
        &[Ty::String, Ty::Any, Ty::String],
        date_in_zone,
    ),
    Func::new(
        "dateInZone",
        &[Ty::String, Ty::Any, Ty::String],
        date_in_zone,
    ),
    Func::new("date_modify", &[Ty::String, TIME], date_modify),
    Func::new("dateModify", &[Ty::String, TIME], date_modify),
    Func::new("must_date_modify", &[Ty::String, TIME], must_date_modify),
    Func::new("mustDateModify", &[Ty::String, TIME], must_date_modify),
    Func::new("duration", &[Ty::Any], duration),
    Func::new("durationRound", &[Ty::Any], duration_round),
    Func::new("htmlDate", &[Ty::Any], html_date),
    Func::new("htmlDateInZone", &[Ty::Any, Ty::String], html_date_in_zone),
    Func::new("mustToDate", &[Ty::String, Ty::String], must_to_date),
    Func::new("now", &[], now),
    Func::new("toDate", &[Ty::String, Ty::String], to_date),
    Func::new("unixEpoch", &[TIME], unix_epoch),
];

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// A Go `time.Time`: an instant plus the zone it is shown in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoTime {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    pub nanos: u32,
    /// Offset east of UTC, in seconds.
    pub offset: i32,
    /// Zone abbreviation (`UTC`, `PST`, or empty for an unnamed fixed zone).
    pub zone: String,
}

impl GoTime {
    pub fn utc(secs: i64, nanos: u32) -> GoTime {
        GoTime {
            secs,
            nanos,
            offset: 0,
            zone: "UTC".into(),
        }
    }

    /// Go's zero `time.Time` (`0001-01-01 00:00:00 +0000 UTC`).
    pub fn zero() -> GoTime {
        GoTime::utc(-62_135_596_800, 0)
    }

    pub fn value(self) -> Value {
        Value::Object(Arc::new(self))
    }

    /// The same instant in `zone` as `time.LoadLocation` would find it (UTC when unknown).
    fn in_zone(&self, zone: &str) -> GoTime {
        let (offset, name) = zone_at(zone, self.secs);
        GoTime {
            secs: self.secs,
            nanos: self.nanos,
            offset,
            zone: name,
        }
    }

    /// Local wall-clock fields.
    fn civil(&self) -> Civil {
        let local = self.secs + self.offset as i64;
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let yday = days - days_from_civil(year, 1, 1) + 1;
        Civil {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: (sod / 60 % 60) as u32,
            second: (sod % 60) as u32,
            weekday: (days + 4).rem_euclid(7) as usize,
            yday: yday as u32,
        }
    }

    pub fn format(&self, layout: &str) -> String {
        format_time(self, layout)
    }

    fn add_nanos(&self, d: i64) -> GoTime {
        let total = self.nanos as i128 + d as i128;
        let secs = self.secs as i128 + total.div_euclid(NANOS_PER_SEC as i128);
        GoTime {
            secs: secs.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
            nanos: total.rem_euclid(NANOS_PER_SEC as i128) as u32,
            offset: self.offset,
            zone: self.zone.clone(),
        }
    }

    /// `t.Sub(u)` as a Go `Duration` (saturating).
    fn sub(&self, u: &GoTime) -> i64 {
        let d = (self.secs as i128 - u.secs as i128) * NANOS_PER_SEC as i128
            + (self.nanos as i128 - u.nanos as i128);
        d.clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }
}

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: usize,
    yday: u32,
}

pub(crate) use rudder_gocompat::civil::{civil_from_days, days_from_civil, is_leap};

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Daylight-saving rules of the zones [`zone_at`] knows (current rules only).
#[derive(Clone, Copy)]
enum Dst {
    None,
    /// United States and Canada: second Sunday of March 02:00 to first Sunday of November
    /// 02:00, local time.
    Us,
    /// European Union and UK: last Sunday of March to last Sunday of October, 01:00 UTC.
    Eu,
    /// South-east Australia: first Sunday of October 02:00 to first Sunday of April 03:00,
    /// local time.
    Au,
}

/// IANA zones with their standard offset (seconds east), abbreviations and DST rule.
const ZONES: &[(&str, i32, &str, &str, Dst)] = &[
    ("America/New_York", -5 * 3600, "EST", "EDT", Dst::Us),
    ("America/Detroit", -5 * 3600, "EST", "EDT", Dst::Us),
    ("America/Toronto", -5 * 3600, "EST", "EDT", Dst::Us),
    ("America/Chicago", -6 * 3600, "CST", "CDT", Dst::Us),
    ("America/Denver", -7 * 3600, "MST", "MDT", Dst::Us),
    ("America/Phoenix", -7 * 3600, "MST", "MST", Dst::None),
    ("America/Los_Angeles", -8 * 3600, "PST", "PDT", Dst::Us),
    ("America/Vancouver", -8 * 3600, "PST", "PDT", Dst::Us),
    ("America/Anchorage", -9 * 3600, "AKST", "AKDT", Dst::Us),
    ("Pacific/Honolulu", -10 * 3600, "HST", "HST", Dst::None),
    ("America/Sao_Paulo", -3 * 3600, "-03", "-03", Dst::None),
    ("Europe/London", 0, "GMT", "BST", Dst::Eu),
    ("Europe/Lisbon", 0, "WET", "WEST", Dst::Eu),
    ("Europe/Berlin", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Paris", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Amsterdam", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Brussels", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Madrid", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Rome", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Vienna", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Zurich", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Stockholm", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Oslo", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Copenhagen", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Warsaw", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Prague", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Budapest", 3600, "CET", "CEST", Dst::Eu),
    ("Europe/Athens", 2 * 3600, "EET", "EEST", Dst::Eu),
    ("Europe/Helsinki", 2 * 3600, "EET", "EEST", Dst::Eu),
    ("Europe/Bucharest", 2 * 3600, "EET", "EEST", Dst::Eu),
    ("Europe/Kyiv", 2 * 3600, "EET", "EEST", Dst::Eu),
    ("Europe/Kiev", 2 * 3600, "EET", "EEST", Dst::Eu),
    ("Europe/Istanbul", 3 * 3600, "+03", "+03", Dst::None),
    ("Europe/Moscow", 3 * 3600, "MSK", "MSK", Dst::None),
    ("Africa/Johannesburg", 2 * 3600, "SAST", "SAST", Dst::None),
    ("Africa/Lagos", 3600, "WAT", "WAT", Dst::None),
    ("Africa/Nairobi", 3 * 3600, "EAT", "EAT", Dst::None),
    ("Asia/Dubai", 4 * 3600, "+04", "+04", Dst::None),
    ("Asia/Kolkata", 19800, "IST", "IST", Dst::None),
    ("Asia/Calcutta", 19800, "IST", "IST", Dst::None),
    ("Asia/Bangkok", 7 * 3600, "+07", "+07", Dst::None),
    ("Asia/Jakarta", 7 * 3600, "WIB", "WIB", Dst::None),
    ("Asia/Shanghai", 8 * 3600, "CST", "CST", Dst::None),
    ("Asia/Hong_Kong", 8 * 3600, "HKT", "HKT", Dst::None),
    ("Asia/Singapore", 8 * 3600, "+08", "+08", Dst::None),
    ("Asia/Taipei", 8 * 3600, "CST", "CST", Dst::None),
    ("Asia/Seoul", 9 * 3600, "KST", "KST", Dst::None),
    ("Asia/Tokyo", 9 * 3600, "JST", "JST", Dst::None),
    ("Australia/Perth", 8 * 3600, "AWST", "AWST", Dst::None),
    ("Australia/Brisbane", 10 * 3600, "AEST", "AEST", Dst::None),
    ("Australia/Sydney", 10 * 3600, "AEST", "AEDT", Dst::Au),
    ("Australia/Melbourne", 10 * 3600, "AEST", "AEDT", Dst::Au),
    ("Etc/UTC", 0, "UTC", "UTC", Dst::None),
    ("Etc/GMT", 0, "GMT", "GMT", Dst::None),
    ("GMT", 0, "GMT", "GMT", Dst::None),
];

/// Days since the epoch of the `n`th (1-based) Sunday of a month, or of the last one when
/// `n == 0`.
fn sunday(year: i64, month: u32, n: u32) -> i64 {
    if n == 0 {
        let last = days_from_civil(year, month, days_in(month, year));
        return last - (last + 4).rem_euclid(7);
    }
    let first = days_from_civil(year, month, 1);
    let to_sunday = (7 - (first + 4).rem_euclid(7)) % 7;
    first + to_sunday + 7 * (n as i64 - 1)
}

fn in_dst(rule: Dst, std: i32, secs: i64) -> bool {
    let year = civil_from_days((secs + std as i64).div_euclid(86_400)).0;
    let at = |day: i64, local_secs: i64, offset: i32| day * 86_400 + local_secs - offset as i64;
    match rule {
        Dst::None => false,
        Dst::Us => {
            let start = at(sunday(year, 3, 2), 2 * 3600, std);
            let end = at(sunday(year, 11, 1), 2 * 3600, std + 3600);
            secs >= start && secs < end
        }
        Dst::Eu => {
            let start = at(sunday(year, 3, 0), 3600, 0);
            let end = at(sunday(year, 10, 0), 3600, 0);
            secs >= start && secs < end
        }
        Dst::Au => {
            let end = at(sunday(year, 4, 1), 3 * 3600, std + 3600);
            let start = at(sunday(year, 10, 1), 2 * 3600, std);
            secs < end || secs >= start
        }
    }
}

/// `time.LoadLocation` for the zones a sandbox can know: the offset and abbreviation in
/// effect at `secs`. `UTC`, `Local` (UTC here), `""`, `Etc/GMT±N` and the common IANA zones
/// of [`ZONES`] (with today's DST rules); anything else falls back to UTC as Sprig does
/// when a zone cannot be loaded.
fn zone_at(zone: &str, secs: i64) -> (i32, String) {
    if let Some(n) = zone.strip_prefix("Etc/GMT")
        && let Ok(h) = n.parse::<i32>()
        && (-14..=12).contains(&h)
        && (n.starts_with('+') || n.starts_with('-'))
    {
        // POSIX sign: Etc/GMT+5 is five hours west.
        let name = if h > 0 {
            format!("-{h:02}")
        } else {
            format!("+{:02}", -h)
        };
        return (-h * 3600, name);
    }
    if let Some(&(_, std, std_name, dst_name, rule)) = ZONES.iter().find(|z| z.0 == zone) {
        if in_dst(rule, std, secs) {
            return (std + 3600, dst_name.to_string());
        }
        return (std, std_name.to_string());
    }
    (0, "UTC".into())
}

const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    Tz,
    Iso8601Tz,
    Iso8601SecondsTz,
    Iso8601ShortTz,
    Iso8601ColonTz,
    Iso8601ColonSecondsTz,
    NumTz,
    NumSecondsTz,
    NumShortTz,
    NumColonTz,
    NumColonSecondsTz,
    /// Fractional seconds: digits, whether trailing zeros are dropped (`9`), separator.
    Frac(usize, bool, char),
}

fn starts(s: &[u8], i: usize, p: &str) -> bool {
    s.len() >= i + p.len() && &s[i..i + p.len()] == p.as_bytes()
}

/// The first of `elements` whose text `s` has at `i`, with that text's length (so a longer
/// text must come before any text it starts with).
fn first_of(s: &[u8], i: usize, elements: &[(&str, Std)]) -> Option<(Std, usize)> {
    elements
        .iter()
        .find(|(p, _)| starts(s, i, p))
        .map(|(p, std)| (*std, p.len()))
}

/// Go's `nextStdChunk`: the literal prefix, the next element, and the rest of the layout.
fn next_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let hit: Option<(Std, usize)> = match b[i] {
            b'J' => first_of(b, i, &[("January", Std::LongMonth), ("Jan", Std::Month)]),
            b'M' => first_of(
                b,
                i,
                &[
                    ("Monday", Std::LongWeekDay),
                    ("Mon", Std::WeekDay),
                    ("MST", Std::Tz),
                ],
            ),
            b'0' if i + 1 < b.len() && (b'1'..=b'6').contains(&b[i + 1]) => {
                let s = [
                    Std::ZeroMonth,
                    Std::ZeroDay,
                    Std::ZeroHour12,
                    Std::ZeroMinute,
                    Std::ZeroSecond,
                    Std::Year,
                ];
                Some((s[(b[i + 1] - b'1') as usize], 2))
            }
            b'0' if starts(b, i, "002") => Some((Std::ZeroYearDay, 3)),
            b'1' => first_of(b, i, &[("15", Std::Hour), ("1", Std::NumMonth)]),
            b'2' => first_of(b, i, &[("2006", Std::LongYear), ("2", Std::Day)]),
            b'_' if starts(b, i, "_2") => {
                if starts(b, i, "_2006") {
                    // "_2006" is a literal underscore and a year.
                    return (&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]);
                }
                Some((Std::UnderDay, 2))
            }
            b'_' if starts(b, i, "__2") => Some((Std::UnderYearDay, 3)),
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if starts(b, i, "PM") => Some((Std::PM, 2)),
            b'p' if starts(b, i, "pm") => Some((Std::Pm, 2)),
            c @ (b'-' | b'Z') => {
                // The numeric zones, longest first; after `Z` (UTC) they are ISO 8601's.
                let zones = if c == b'-' {
                    [
                        Std::NumSecondsTz,
                        Std::NumColonSecondsTz,
                        Std::NumTz,
                        Std::NumColonTz,
                        Std::NumShortTz,
                    ]
                } else {
                    [
                        Std::Iso8601SecondsTz,
                        Std::Iso8601ColonSecondsTz,
                        Std::Iso8601Tz,
                        Std::Iso8601ColonTz,
                        Std::Iso8601ShortTz,
                    ]
                };
                ["070000", "07:00:00", "0700", "07:00", "07"]
                    .iter()
                    .zip(zones)
                    .find(|(z, _)| starts(b, i + 1, z))
                    .map(|(z, std)| (std, z.len() + 1))
            }
            c @ (b'.' | b',') if i + 1 < b.len() && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    None
                } else {
                    Some((Std::Frac(j - (i + 1), ch == b'9', c as char), j - i))
                }
            }
            _ => None,
        };
        if let Some((std, len)) = hit {
            return (&layout[..i], Some(std), &layout[i + len..]);
        }
        i += 1;
    }
    (layout, None, "")
}

fn pad(out: &mut String, n: i64, width: usize) {
    if n < 0 {
        out.push('-');
        pad(out, -n, width);
        return;
    }
    let s = n.to_string();
    for _ in s.len()..width {
        out.push('0');
    }
    out.push_str(&s);
}

fn format_time(t: &GoTime, layout: &str) -> String {
    let c = t.civil();
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout;
    loop {
        let (prefix, std, tail) = next_chunk(rest);
        out.push_str(prefix);
        let Some(std) = std else { break };
        rest = tail;
        match std {
            Std::Year => pad(&mut out, c.year.rem_euclid(100), 2),
            Std::LongYear => pad(&mut out, c.year, 4),
            Std::Month => out.push_str(&LONG_MONTHS[c.month as usize - 1][..3]),
            Std::LongMonth => out.push_str(LONG_MONTHS[c.month as usize - 1]),
            Std::NumMonth => pad(&mut out, c.month as i64, 0),
            Std::ZeroMonth => pad(&mut out, c.month as i64, 2),
            Std::WeekDay => out.push_str(&LONG_DAYS[c.weekday][..3]),
            Std::LongWeekDay => out.push_str(LONG_DAYS[c.weekday]),
            Std::Day => pad(&mut out, c.day as i64, 0),
            Std::UnderDay => {
                if c.day < 10 {
                    out.push(' ');
                }
                pad(&mut out, c.day as i64, 0);
            }
            Std::ZeroDay => pad(&mut out, c.day as i64, 2),
            Std::UnderYearDay => {
                if c.yday < 100 {
                    out.push(' ');
                    if c.yday < 10 {
                        out.push(' ');
                    }
                }
                pad(&mut out, c.yday as i64, 0);
            }
            Std::ZeroYearDay => pad(&mut out, c.yday as i64, 3),
            Std::Hour => pad(&mut out, c.hour as i64, 2),
            Std::Hour12 | Std::ZeroHour12 => {
                let h = if c.hour.is_multiple_of(12) {
                    12
                } else {
                    c.hour % 12
                };
                pad(&mut out, h as i64, if std == Std::Hour12 { 0 } else { 2 });
            }
            Std::Minute => pad(&mut out, c.minute as i64, 0),
            Std::ZeroMinute => pad(&mut out, c.minute as i64, 2),
            Std::Second => pad(&mut out, c.second as i64, 0),
            Std::ZeroSecond => pad(&mut out, c.second as i64, 2),
            Std::PM => out.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if c.hour >= 12 { "pm" } else { "am" }),
            Std::Iso8601Tz
            | Std::Iso8601ColonTz
            | Std::Iso8601SecondsTz
            | Std::Iso8601ShortTz
            | Std::Iso8601ColonSecondsTz
            | Std::NumTz
            | Std::NumColonTz
            | Std::NumSecondsTz
            | Std::NumShortTz
            | Std::NumColonSecondsTz => format_offset(&mut out, std, t.offset),
            Std::Tz => {
                if !t.zone.is_empty() {
                    out.push_str(&t.zone);
                } else {
                    let z = t.offset / 60;
                    out.push(if z < 0 { '-' } else { '+' });
                    pad(&mut out, (z.abs() / 60) as i64, 2);
                    pad(&mut out, (z.abs() % 60) as i64, 2);
                }
            }
            Std::Frac(n, trim, sep) => {
                let digits = format!("{:09}", t.nanos);
                let mut d = &digits[..n.min(9)];
                if trim {
                    d = d.trim_end_matches('0');
                    if d.is_empty() {
                        continue;
                    }
                }
                out.push(sep);
                out.push_str(d);
                for _ in 9..n {
                    out.push('0');
                }
            }
        }
    }
    out
}

fn format_offset(out: &mut String, std: Std, offset: i32) {
    let iso = matches!(
        std,
        Std::Iso8601Tz
            | Std::Iso8601ColonTz
            | Std::Iso8601SecondsTz
            | Std::Iso8601ShortTz
            | Std::Iso8601ColonSecondsTz
    );
    if iso && offset == 0 {
        out.push('Z');
        return;
    }
    let mut zone = offset / 60;
    let mut abs = offset;
    if zone < 0 {
        out.push('-');
        zone = -zone;
        abs = -abs;
    } else {
        out.push('+');
    }
    pad(out, (zone / 60) as i64, 2);
    let colon = matches!(
        std,
        Std::Iso8601ColonTz | Std::NumColonTz | Std::Iso8601ColonSecondsTz | Std::NumColonSecondsTz
    );
    if colon {
        out.push(':');
    }
    if !matches!(std, Std::NumShortTz | Std::Iso8601ShortTz) {
        pad(out, (zone % 60) as i64, 2);
    }
    if matches!(
        std,
        Std::Iso8601SecondsTz
            | Std::NumSecondsTz
            | Std::NumColonSecondsTz
            | Std::Iso8601ColonSecondsTz
    ) {
        if colon {
            out.push(':');
        }
        pad(out, (abs % 60) as i64, 2);
    }
}

// --- parsing ------------------------------------------------------------------------------

/// Leading digits as Go's `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(v: &str, fixed: bool) -> Option<(u32, &str)> {
    let b = v.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() < 2 || !b[1].is_ascii_digit() {
        if fixed {
            return None;
        }
        return Some(((b[0] - b'0') as u32, &v[1..]));
    }
    Some((((b[0] - b'0') * 10 + (b[1] - b'0')) as u32, &v[2..]))
}

/// [`getnum`], storing the number in `into`.
fn getnum_into<'a>(v: &'a str, fixed: bool, into: &mut i64) -> Option<&'a str> {
    let (n, rest) = getnum(v, fixed)?;
    *into = n as i64;
    Some(rest)
}

/// Exactly `n` digits (Go's `getnum3` for `n == 3`, and the 4-digit year).
fn getdigits(v: &str, n: usize) -> Option<(u32, &str)> {
    let b = v.as_bytes();
    if b.len() < n || !b[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((v[..n].parse().ok()?, &v[n..]))
}

/// Go's `skip`: matches a literal layout prefix, where a space matches any run of spaces.
fn skip<'a>(mut value: &'a str, mut prefix: &str) -> Option<&'a str> {
    while !prefix.is_empty() {
        if prefix.starts_with(' ') {
            if !value.is_empty() && !value.starts_with(' ') {
                return None;
            }
            prefix = prefix.trim_start_matches(' ');
            value = value.trim_start_matches(' ');
            continue;
        }
        let c = prefix.chars().next()?;
        value = value.strip_prefix(c)?;
        prefix = &prefix[c.len_utf8()..];
    }
    Some(value)
}

fn lookup<'a>(table: &[&str], short: bool, v: &'a str) -> Option<(usize, &'a str)> {
    for (i, name) in table.iter().enumerate() {
        let name = if short { &name[..3] } else { name };
        if v.len() >= name.len()
            && v.is_char_boundary(name.len())
            && v[..name.len()].eq_ignore_ascii_case(name)
        {
            return Some((i, &v[name.len()..]));
        }
    }
    None
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `v`.
fn zone_len(v: &str) -> Option<usize> {
    let b = v.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if starts(b, 0, "ChST") || starts(b, 0, "MeST") {
        return Some(4);
    }
    if starts(b, 0, "GMT") {
        let mut n = 3;
        if b.len() > 3 && (b[3] == b'+' || b[3] == b'-') {
            n = 4;
            while n < b.len() && b[n].is_ascii_digit() {
                n += 1;
            }
            if n == 4 {
                return None;
            }
        }
        return Some(n);
    }
    if b[0] == b'+' || b[0] == b'-' {
        let mut n = 1;
        while n < b.len() && b[n].is_ascii_digit() {
            n += 1;
        }
        return (n == 3 || n == 5).then_some(n);
    }
    let upper = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    match upper {
        0..=2 => None,
        3 => Some(3),
        4 if b[3] == b'T' || starts(b, 0, "WITA") => Some(4),
        4 => None,
        _ if b[3] == b'T' || b[4] == b'T' => Some(5.min(upper)),
        _ => None,
    }
}

/// Go's `time.ParseInLocation(layout, value, time.Local)` with Local = UTC.
pub fn parse_time(layout: &str, value: &str) -> Result<GoTime, String> {
    let (alayout, avalue) = (layout, value);
    let bad = |vrest: &str, elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(avalue),
            go_quote(alayout),
            go_quote(vrest),
            go_quote(elem)
        )
    };
    let range_err = |what: &str| format!("parsing time {}: {what} out of range", go_quote(avalue));
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let (mut pm_set, mut am_set) = (false, false);
    let mut zone_offset: Option<i32> = None;
    let mut zone_name: Option<String> = None;
    let mut utc_z = false;
    let mut layout = layout;
    let mut value = value;
    loop {
        let (prefix, std, suffix) = next_chunk(layout);
        let std_str = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix).ok_or_else(|| bad(value, prefix))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(format!(
                    "parsing time {}: extra text: {}",
                    go_quote(avalue),
                    go_quote(value)
                ));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let res: Option<&str> = (|| -> Option<&str> {
            match std {
                Std::Year => {
                    let (n, rest) = getdigits(value, 2)?;
                    year = if n >= 69 {
                        1900 + n as i64
                    } else {
                        2000 + n as i64
                    };
                    Some(rest)
                }
                Std::LongYear => {
                    let (n, rest) = getdigits(value, 4)?;
                    year = n as i64;
                    Some(rest)
                }
                Std::Month | Std::LongMonth => {
                    let (i, rest) = lookup(&LONG_MONTHS, std == Std::Month, value)?;
                    month = i as i64 + 1;
                    Some(rest)
                }
                Std::NumMonth | Std::ZeroMonth => {
                    getnum_into(value, std == Std::ZeroMonth, &mut month)
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let (_, rest) = lookup(&LONG_DAYS, std == Std::WeekDay, value)?;
                    Some(rest)
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    let v = if std == Std::UnderDay {
                        value.strip_prefix(' ').unwrap_or(value)
                    } else {
                        value
                    };
                    getnum_into(v, std == Std::ZeroDay, &mut day)
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    let mut v = value;
                    if std == Std::UnderYearDay {
                        for _ in 0..2 {
                            v = v.strip_prefix(' ').unwrap_or(v);
                        }
                    }
                    let n = v.bytes().take(3).take_while(u8::is_ascii_digit).count();
                    if n == 0 || (std == Std::ZeroYearDay && n < 3) {
                        return None;
                    }
                    yday = v[..n].parse().ok()?;
                    Some(&v[n..])
                }
                Std::Hour | Std::Hour12 | Std::ZeroHour12 => {
                    getnum_into(value, std == Std::ZeroHour12, &mut hour)
                }
                Std::Minute | Std::ZeroMinute => {
                    getnum_into(value, std == Std::ZeroMinute, &mut min)
                }
                Std::Second | Std::ZeroSecond => {
                    let (n, mut rest) = getnum(value, std == Std::ZeroSecond)?;
                    sec = n as i64;
                    // Fractional seconds the layout does not mention are still read.
                    let b = rest.as_bytes();
                    if b.len() >= 2
                        && (b[0] == b'.' || b[0] == b',')
                        && b[1].is_ascii_digit()
                        && !matches!(next_chunk(layout).1, Some(Std::Frac(..)))
                        && next_chunk(layout).0.is_empty()
                    {
                        let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nsec = frac_nanos(&rest[1..n]);
                        rest = &rest[n..];
                    }
                    Some(rest)
                }
                Std::PM | Std::Pm => {
                    let p = value.get(..2)?;
                    match p {
                        "PM" | "pm" if (p == "PM") == (std == Std::PM) => pm_set = true,
                        "AM" | "am" if (p == "AM") == (std == Std::PM) => am_set = true,
                        _ => return None,
                    }
                    Some(&value[2..])
                }
                Std::Tz => {
                    if let Some(rest) = value.strip_prefix("UTC") {
                        utc_z = true;
                        return Some(rest);
                    }
                    let n = zone_len(value)?;
                    zone_name = Some(value[..n].to_string());
                    Some(&value[n..])
                }
                Std::Frac(n, trim, _) => {
                    let b = value.as_bytes();
                    if trim {
                        if b.len() < 2 || !(b[0] == b'.' || b[0] == b',') || !b[1].is_ascii_digit()
                        {
                            return Some(value);
                        }
                        let k = 1 + b[1..]
                            .iter()
                            .take(9)
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                        nsec = frac_nanos(&value[1..k]);
                        Some(&value[k..])
                    } else {
                        if b.len() < n + 1 || !(b[0] == b'.' || b[0] == b',') {
                            return None;
                        }
                        if !b[1..=n].iter().all(u8::is_ascii_digit) {
                            return None;
                        }
                        nsec = frac_nanos(&value[1..=n]);
                        Some(&value[n + 1..])
                    }
                }
                _ => {
                    // Numeric zones.
                    let iso = matches!(
                        std,
                        Std::Iso8601Tz
                            | Std::Iso8601ColonTz
                            | Std::Iso8601SecondsTz
                            | Std::Iso8601ShortTz
                            | Std::Iso8601ColonSecondsTz
                    );
                    if iso && value.starts_with('Z') {
                        utc_z = true;
                        return Some(&value[1..]);
                    }
                    let b = value.as_bytes();
                    let sign = *b.first()?;
                    if sign != b'+' && sign != b'-' {
                        return None;
                    }
                    let colon = matches!(
                        std,
                        Std::Iso8601ColonTz
                            | Std::NumColonTz
                            | Std::Iso8601ColonSecondsTz
                            | Std::NumColonSecondsTz
                    );
                    let secs = matches!(
                        std,
                        Std::Iso8601SecondsTz
                            | Std::NumSecondsTz
                            | Std::Iso8601ColonSecondsTz
                            | Std::NumColonSecondsTz
                    );
                    let short = matches!(std, Std::Iso8601ShortTz | Std::NumShortTz);
                    let mut v = &value[1..];
                    let (hh, r) = getdigits(v, 2)?;
                    v = r;
                    let mut mm = 0;
                    let mut ss = 0;
                    if !short {
                        if colon {
                            v = v.strip_prefix(':')?;
                        }
                        let (m, r) = getdigits(v, 2)?;
                        mm = m;
                        v = r;
                        if secs {
                            if colon {
                                v = v.strip_prefix(':')?;
                            }
                            let (s, r) = getdigits(v, 2)?;
                            ss = s;
                            v = r;
                        }
                    }
                    if hh > 24 || mm > 60 || ss > 60 {
                        return None;
                    }
                    let off = (hh * 3600 + mm * 60 + ss) as i32;
                    zone_offset = Some(if sign == b'-' { -off } else { off });
                    Some(v)
                }
            }
        })();
        match res {
            Some(rest) => value = rest,
            None => return Err(bad(hold, std_str)),
        }
        // Range checks happen as each element is read in Go.
        match std {
            Std::NumMonth | Std::ZeroMonth if !(1..=12).contains(&month) => {
                return Err(range_err("month"));
            }
            Std::Hour if !(0..24).contains(&hour) => return Err(range_err("hour")),
            Std::Hour12 | Std::ZeroHour12 if !(0..=12).contains(&hour) => {
                return Err(range_err("hour"));
            }
            Std::Minute | Std::ZeroMinute if !(0..60).contains(&min) => {
                return Err(range_err("minute"));
            }
            Std::Second | Std::ZeroSecond if !(0..60).contains(&sec) => {
                return Err(range_err("second"));
            }
            Std::UnderYearDay | Std::ZeroYearDay if !(1..=366).contains(&yday) => {
                return Err(range_err("day-of-year"));
            }
            _ => {}
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }
    if yday >= 0 {
        let (mut m, mut d) = (0i64, 0i64);
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if yday > 365 {
            return Err(range_err("day-of-year"));
        }
        if m == 0 {
            let mut left = yday;
            m = 1;
            while left > days_in(m as u32, 2001) as i64 {
                left -= days_in(m as u32, 2001) as i64;
                m += 1;
            }
            d = left;
        }
        if month >= 0 && month != m {
            return Err(range_err("day-of-year"));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(range_err("day-of-year"));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month as u32, year) as i64 {
        return Err(range_err("day"));
    }
    let days = days_from_civil(year, month as u32, day as u32);
    let wall = days * 86_400 + hour * 3600 + min * 60 + sec;
    let nanos = nsec as u32;
    if utc_z {
        return Ok(GoTime::utc(wall, nanos));
    }
    if let Some(off) = zone_offset {
        let secs = wall - off as i64;
        if off == 0 && zone_name.is_none() {
            return Ok(GoTime::utc(secs, nanos));
        }
        return Ok(GoTime {
            secs,
            nanos,
            offset: off,
            zone: zone_name.unwrap_or_default(),
        });
    }
    if let Some(name) = zone_name {
        // An abbreviation the local zone does not use: Go keeps the name with offset zero,
        // or the offset spelled in a GMT+N name (without moving the instant).
        let off = name
            .strip_prefix("GMT")
            .and_then(|n| n.parse::<i32>().ok())
            .map_or(0, |h| h * 3600);
        return Ok(GoTime {
            secs: wall,
            nanos,
            offset: off,
            zone: name,
        });
    }
    Ok(GoTime::utc(wall, nanos))
}

fn frac_nanos(digits: &str) -> i64 {
    let mut n: i64 = 0;
    for (i, c) in digits.bytes().enumerate() {
        if i >= 9 {
            break;
        }
        n = n * 10 + (c - b'0') as i64;
    }
    for _ in digits.len()..9 {
        n *= 10;
    }
    n
}

// --- durations ----------------------------------------------------------------------------

/// Go's `time.Duration.String`: `1h2m3.5s`, `1.5ms`, `0s`.
pub fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < NANOS_PER_SEC as u64 {
        if u == 0 {
            return "0s".into();
        }
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "µs")
        } else {
            (6, "ms")
        };
        let (frac, int) = fmt_frac(u, prec);
        out = format!("{int}{frac}{unit}");
    } else {
        let (frac, secs) = fmt_frac(u, 9);
        u = secs;
        let s = u % 60;
        u /= 60;
        let tail = format!("{s}{frac}s");
        if u > 0 {
            let m = u % 60;
            u /= 60;
            if u > 0 {
                out.push_str(&format!("{u}h"));
            }
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&tail);
    }
    if neg { format!("-{out}") } else { out }
}

/// The fraction `v / 10^prec` without trailing zeros (`".25"`, or `""`), and the integer.
fn fmt_frac(v: u64, prec: u32) -> (String, u64) {
    let p = 10u64.pow(prec);
    let frac = v % p;
    if frac == 0 {
        return (String::new(), v / p);
    }
    let s = format!("{:0width$}", frac, width = prec as usize);
    (format!(".{}", s.trim_end_matches('0')), v / p)
}

/// Go's `time.ParseDuration`.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let orig = s;
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = s;
    let mut neg = false;
    if let Some(c) = s.chars().next()
        && (c == '-' || c == '+')
    {
        neg = c == '-';
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let pre = int_len > 0;
        let mut v: u64 = 0;
        for c in &b[..int_len] {
            v = v
                .checked_mul(10)
                .and_then(|x| x.checked_add((c - b'0') as u64))
                .ok_or_else(invalid)?;
        }
        s = &s[int_len..];
        let (mut f, mut scale) = (0u64, 1f64);
        let mut post = false;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            post = n > 0;
            let mut overflow = false;
            for c in s[..n].bytes() {
                if overflow {
                    continue;
                }
                if f > (1u64 << 63) / 10 {
                    overflow = true;
                    continue;
                }
                f = f * 10 + (c - b'0') as u64;
                scale *= 10.0;
            }
            s = &s[n..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let ulen = s
            .bytes()
            .take_while(|c| *c != b'.' && !c.is_ascii_digit())
            .count();
        if ulen == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let u = &s[..ulen];
        s = &s[ulen..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(u),
                    go_quote(orig)
                ));
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1u64 << 63 {
                return Err(invalid());
            }
        }
        total = total.checked_add(v).ok_or_else(invalid)?;
        if total > 1u64 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((total as i64).wrapping_neg());
    }
    if total > i64::MAX as u64 {
        return Err(invalid());
    }
    Ok(total as i64)
}

/// `Duration.Round(m)` (half away from zero).
fn round_duration(d: i64, m: i64) -> i64 {
    let r = d % m;
    if d < 0 {
        let r = -r;
        if r + r < m {
            return d + r;
        }
        d.checked_sub(m - r).unwrap_or(i64::MIN)
    } else {
        if r + r < m {
            return d - r;
        }
        d.checked_add(m - r).unwrap_or(i64::MAX)
    }
}

// --- the template object ------------------------------------------------------------------

impl Object for GoTime {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let c = self.civil();
        Some(match name {
            "Unix" => Value::Int64(self.secs),
            "UnixMilli" => {
                Value::Int64(self.secs.wrapping_mul(1000) + (self.nanos / 1_000_000) as i64)
            }
            "UnixMicro" => {
                Value::Int64(self.secs.wrapping_mul(1_000_000) + (self.nanos / 1000) as i64)
            }
            "UnixNano" => Value::Int64(self.secs.wrapping_mul(NANOS_PER_SEC) + self.nanos as i64),
            "Year" => Value::Int(c.year),
            "Month" => Value::str(LONG_MONTHS[c.month as usize - 1]),
            "Day" => Value::Int(c.day as i64),
            "Hour" => Value::Int(c.hour as i64),
            "Minute" => Value::Int(c.minute as i64),
            "Second" => Value::Int(c.second as i64),
            "Nanosecond" => Value::Int(self.nanos as i64),
            "YearDay" => Value::Int(c.yday as i64),
            "Weekday" => Value::str(LONG_DAYS[c.weekday]),
            "IsZero" => Value::Bool(
                *self == GoTime::zero() || (self.secs == GoTime::zero().secs && self.nanos == 0),
            ),
            "UTC" | "Local" => GoTime::utc(self.secs, self.nanos).value(),
            // The name of the zone's location, which prints as the location does: a fixed zone
            // made from an offset has none.
            "Location" => Value::str(self.zone.as_str()),
            "String" => Value::str(self.go_format()),
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if args.is_empty()
            && let Some(v) = self.field(name)
        {
            return Some(Ok(v));
        }
        Some(match (name, args) {
            ("Format", [Value::String(l)]) => Ok(Value::str(self.format(l))),
            ("In", _) => return None,
            ("Add", [Value::Int(d) | Value::Int64(d)]) => Ok(self.add_nanos(*d).value()),
            ("AddDate", [Value::Int(y), Value::Int(m), Value::Int(d)]) => {
                let c = self.civil();
                let months = c.month as i64 - 1 + m;
                let year = c.year + y + months.div_euclid(12);
                let month = months.rem_euclid(12) as u32 + 1;
                let days = days_from_civil(year, month, 1) + c.day as i64 - 1 + d;
                let local = days * 86_400 + (c.hour * 3600 + c.minute * 60 + c.second) as i64;
                Ok(GoTime {
                    secs: local - self.offset as i64,
                    ..self.clone()
                }
                .value())
            }
            _ => return None,
        })
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Format" | "Add" | "AddDate") || self.field(name).is_some()
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.format("2006-01-02T15:04:05.999999999Z07:00"))
    }

    fn go_format(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }
}

/// The `time.Time` inside a value, if it is one.
pub fn as_time(v: &Value) -> Option<GoTime> {
    let Value::Object(o) = v else { return None };
    if o.type_name() != "time.Time" {
        return None;
    }
    let secs = match o.field("Unix")? {
        Value::Int64(s) => s,
        _ => return None,
    };
    let nanos = match o.field("Nanosecond")? {
        Value::Int(n) => n as u32,
        _ => 0,
    };
    // Recover the zone from the formatted offset and name.
    let zone = o.call("Format", &[Value::str("-0700 MST")])?.ok()?;
    let zone = zone.as_str()?;
    let (off, name) = zone.split_once(' ')?;
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let h: i32 = off.get(1..3)?.parse().ok()?;
    let m: i32 = off.get(3..5)?.parse().ok()?;
    let offset = sign * (h * 3600 + m * 60);
    let name = if name == off {
        String::new()
    } else {
        name.to_string()
    };
    Some(GoTime {
        secs,
        nanos,
        offset,
        zone: name,
    })
}

fn time_param(v: &Value) -> Result<GoTime, String> {
    as_time(v).ok_or_else(|| {
        format!(
            "wrong type for value; expected time.Time; got {}",
            v.type_name()
        )
    })
}

fn ctx_now(ctx: &FuncCtx<'_>) -> GoTime {
    GoTime::utc(ctx.now.0, ctx.now.1)
}

/// Sprig's reading of a date argument: a `time.Time`, or Unix seconds as Go `int`/`int64`;
/// anything else (a float64 from YAML included) is "now".
fn date_arg(ctx: &FuncCtx<'_>, v: &Value) -> GoTime {
    match v {
        Value::Int(s) | Value::Int64(s) => GoTime::utc(*s, 0),
        other => as_time(other).unwrap_or_else(|| ctx_now(ctx)),
    }
}

fn now(ctx: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value, String> {
    Ok(ctx_now(ctx).value())
}

fn date(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(
        date_arg(ctx, &a[1]).in_zone("Local").format(arg_str(a, 0)),
    ))
}

fn date_in_zone(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(
        date_arg(ctx, &a[1])
            .in_zone(arg_str(a, 2))
            .format(arg_str(a, 0)),
    ))
}

fn html_date(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(
        date_arg(ctx, &a[0]).in_zone("Local").format("2006-01-02"),
    ))
}

fn html_date_in_zone(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(
        date_arg(ctx, &a[0])
            .in_zone(arg_str(a, 1))
            .format("2006-01-02"),
    ))
}

fn date_modify(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let t = time_param(&a[1])?;
    Ok(match parse_duration(arg_str(a, 0)) {
        Ok(d) => t.add_nanos(d).value(),
        Err(_) => t.value(),
    })
}

fn must_date_modify(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let t = time_param(&a[1])?;
    Ok(t.add_nanos(parse_duration(arg_str(a, 0))?).value())
}

fn ago(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let t = match &a[0] {
        Value::Int(s) | Value::Int64(s) => GoTime::utc(*s, 0),
        other => as_time(other).unwrap_or_else(|| ctx_now(ctx)),
    };
    let d = ctx_now(ctx).sub(&t);
    Ok(Value::str(format_duration(round_duration(
        d,
        NANOS_PER_SEC,
    ))))
}

fn duration(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let n: i64 = match &a[0] {
        Value::String(s) => crate::funcs::conv::parse_go_int(s, 10).unwrap_or(0),
        Value::Int64(n) => *n,
        _ => 0,
    };
    Ok(Value::str(format_duration(n.wrapping_mul(NANOS_PER_SEC))))
}

fn duration_round(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let d: i64 = match &a[0] {
        Value::String(s) => parse_duration(s).unwrap_or(0),
        Value::Int64(n) => *n,
        other => match as_time(other) {
            Some(t) => ctx_now(ctx).sub(&t),
            None => 0,
        },
    };
    let u = d.unsigned_abs();
    const HOUR: u64 = 3_600_000_000_000;
    let units: [(u64, &str); 6] = [
        (HOUR * 24 * 365, "y"),
        (HOUR * 24 * 30, "mo"),
        (HOUR * 24, "d"),
        (HOUR, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    for (size, unit) in units {
        if u > size {
            return Ok(Value::str(format!("{}{unit}", u / size)));
        }
    }
    Ok(Value::str("0s"))
}

fn to_date(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(parse_time(arg_str(a, 0), arg_str(a, 1))
        .unwrap_or_else(|_| GoTime::zero())
        .value())
}

fn must_to_date(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(parse_time(arg_str(a, 0), arg_str(a, 1))?.value())
}

fn unix_epoch(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(Value::str(time_param(&a[0])?.secs.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = parse_time("2006-01-02T15:04:05Z07:00", "2024-02-03T04:05:06+02:00").unwrap();
        assert_eq!(t.go_format(), "2024-02-03 04:05:06 +0200 +0200");
        assert_eq!(t.secs, 1_706_925_906);
        let u = GoTime::utc(1_706_925_906, 120_000_000);
        assert_eq!(u.go_format(), "2024-02-03 02:05:06.12 +0000 UTC");
        assert_eq!(
            u.format("Mon Jan _2 3:04PM 06 .000 Z07:00 002"),
            "Sat Feb  3 2:05AM 24 .120 Z 034"
        );
        assert_eq!(
            u.format("Monday, January 2, 2006 15h"),
            "Saturday, February 3, 2024 02h"
        );
        assert_eq!(GoTime::zero().go_format(), "0001-01-01 00:00:00 +0000 UTC");
        assert_eq!(
            parse_time("3:04pm", "5:06am").unwrap().go_format(),
            "0000-01-01 05:06:00 +0000 UTC"
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            parse_time("2006-01-02", "2024-02-x").unwrap_err(),
            "parsing time \"2024-02-x\" as \"2006-01-02\": cannot parse \"x\" as \"02\""
        );
        assert_eq!(
            parse_time("2006-01-02", "2024-13-01").unwrap_err(),
            "parsing time \"2024-13-01\": month out of range"
        );
        assert_eq!(
            parse_time("2006-01-02", "2024-02-30").unwrap_err(),
            "parsing time \"2024-02-30\": day out of range"
        );
        assert_eq!(
            parse_time("2006-01-02", "2024-01-01x").unwrap_err(),
            "parsing time \"2024-01-01x\": extra text: \"x\""
        );
    }

    #[test]
    fn zones() {
        // 2024-03-10 07:00 UTC is 03:00 EDT; one second earlier is 01:59:59 EST.
        assert_eq!(
            zone_at("America/New_York", 1_710_054_000),
            (-4 * 3600, "EDT".into())
        );
        assert_eq!(
            zone_at("America/New_York", 1_710_053_999),
            (-5 * 3600, "EST".into())
        );
        // 2024-10-27 01:00 UTC ends summer time in Europe.
        assert_eq!(
            zone_at("Europe/Berlin", 1_729_990_800),
            (3600, "CET".into())
        );
        assert_eq!(
            zone_at("Europe/Berlin", 1_729_990_799),
            (7200, "CEST".into())
        );
        assert_eq!(
            zone_at("Australia/Sydney", 1_704_067_200),
            (11 * 3600, "AEDT".into())
        );
        assert_eq!(zone_at("Etc/GMT+5", 0), (-5 * 3600, "-05".into()));
        assert_eq!(zone_at("Nope/Zone", 0), (0, "UTC".into()));
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(90 * NANOS_PER_SEC), "1m30s");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(1_500_000), "1.5ms");
        assert_eq!(format_duration(-3_723_500_000_000), "-1h2m3.5s");
        assert_eq!(format_duration(1500), "1.5µs");
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400 * NANOS_PER_SEC);
        assert_eq!(parse_duration("-1.5s").unwrap(), -1_500_000_000);
        for (text, err) in [
            ("1x", "time: unknown unit \"x\" in duration \"1x\""),
            ("1", "time: missing unit in duration \"1\""),
            ("", "time: invalid duration \"\""),
        ] {
            assert_eq!(parse_duration(text).unwrap_err(), err, "{text:?}");
        }
        assert_eq!(round_duration(1_500_000_000, NANOS_PER_SEC), 2_000_000_000);
    }
}
