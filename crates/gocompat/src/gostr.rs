//! Go strings hold any bytes; a Rust `str` holds UTF-8 only.
//!
//! A Go string that is not UTF-8 (a binary file read with `.Files.Get`, `b64dec` of random
//! bytes, a template file with a stray Latin-1 byte) is carried in a Rust string with each
//! byte of an invalid sequence replaced by a stand-in: the private-use code point
//! U+10FF00 + byte, for bytes 0x80..=0xFF (an invalid sequence never holds an ASCII byte).
//! [`to_bytes`] and [`len`] give back exactly Go's bytes; every other character is itself.
//! A genuine U+10FF80..=U+10FFFF in UTF-8 input reads as such a byte: that corner of the
//! last private-use plane is the price of carrying Go strings in Rust strings.

use std::borrow::Cow;

/// The code point that stands for byte `b` is `RAW_BASE + b`, for `b` in 0x80..=0xFF.
const RAW_BASE: u32 = 0x10_FF00;

/// The UTF-8 lead byte of every stand-in (they are all encoded as F4 8F BE/BF xx).
const RAW_LEAD: u8 = 0xF4;

/// Go's `string(b)`: valid UTF-8 stays as it is; each byte of an invalid sequence becomes
/// its stand-in.
pub fn from_bytes(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(escape(b)),
    }
}

/// [`from_bytes`] for an owned buffer, without a copy when it is UTF-8.
pub fn from_vec(b: Vec<u8>) -> String {
    match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => escape(e.as_bytes()),
    }
}

fn escape(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 8);
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        for &x in chunk.invalid() {
            out.extend(char::from_u32(RAW_BASE + u32::from(x)));
        }
    }
    out
}

/// The byte a stand-in code point stands for.
pub fn raw_byte(c: char) -> Option<u8> {
    let d = u32::from(c).checked_sub(RAW_BASE + 0x80)?;
    u8::try_from(d + 0x80).ok()
}

/// Whether `s` carries any byte that is not UTF-8.
pub fn has_raw(s: &str) -> bool {
    s.as_bytes().contains(&RAW_LEAD) && s.chars().any(|c| raw_byte(c).is_some())
}

/// The bytes of the Go string `s` stands for.
pub fn to_bytes(s: &str) -> Cow<'_, [u8]> {
    if !s.as_bytes().contains(&RAW_LEAD) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

/// Go's `len(s)`: its length in bytes.
pub fn len(s: &str) -> usize {
    if !s.as_bytes().contains(&RAW_LEAD) {
        return s.len();
    }
    s.chars()
        .map(|c| {
            if raw_byte(c).is_some() {
                1
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

/// The text Go's UTF-8 decoding sees (`encoding/json`, `strings.Map`, a `range` over
/// runes): each raw byte reads as U+FFFD.
pub fn lossy(s: &str) -> Cow<'_, str> {
    if !has_raw(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if raw_byte(c).is_some() { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// What go-yaml's reader says of the first byte sequence in `s` that is not UTF-8
/// (`invalid leading UTF-8 octet`, ...), or `None` when `s` is UTF-8.
pub fn yaml_utf8_error(s: &str) -> Option<&'static str> {
    if !has_raw(s) {
        return None;
    }
    let b = to_bytes(s);
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        let width = match lead {
            _ if lead & 0x80 == 0 => 1,
            _ if lead & 0xE0 == 0xC0 => 2,
            _ if lead & 0xF0 == 0xE0 => 3,
            _ if lead & 0xF8 == 0xF0 => 4,
            _ => return Some("invalid leading UTF-8 octet"),
        };
        if i + width > b.len() {
            return Some("incomplete UTF-8 octet sequence");
        }
        let mut value = u32::from(match width {
            1 => lead & 0x7F,
            2 => lead & 0x1F,
            3 => lead & 0x0F,
            _ => lead & 0x07,
        });
        for &octet in &b[i + 1..i + width] {
            if octet & 0xC0 != 0x80 {
                return Some("invalid trailing UTF-8 octet");
            }
            value = (value << 6) | u32::from(octet & 0x3F);
        }
        let shortest = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !shortest {
            return Some("invalid length of a UTF-8 sequence");
        }
        if (0xD800..=0xDFFF).contains(&value) || value > 0x10_FFFF {
            return Some("invalid Unicode character");
        }
        i += width;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let raw = b"ab\xff\xfe\x00c\xc3\xa9d\xc3";
        let s = from_bytes(raw);
        assert!(has_raw(&s));
        assert_eq!(&*to_bytes(&s), raw);
        assert_eq!(len(&s), raw.len());
        assert_eq!(from_vec(raw.to_vec()), s);
        assert_eq!(lossy(&s), "ab\u{FFFD}\u{FFFD}\u{0}céd\u{FFFD}");
    }

    #[test]
    fn utf8_is_itself() {
        let s = from_bytes("héllo €".as_bytes());
        assert!(matches!(s, Cow::Borrowed(_)));
        assert!(!has_raw(&s));
        assert_eq!(len(&s), "héllo €".len());
        assert_eq!(yaml_utf8_error(&s), None);
        // A four-byte character that is not a stand-in.
        assert!(!has_raw("\u{10FF7F}\u{1F600}"));
    }

    #[test]
    fn go_yaml_reader_messages() {
        let err = |b: &[u8]| yaml_utf8_error(&from_bytes(b));
        assert_eq!(err(b"a: \xff"), Some("invalid leading UTF-8 octet"));
        assert_eq!(err(b"a: \x80"), Some("invalid leading UTF-8 octet"));
        assert_eq!(err(b"a: \xc3"), Some("incomplete UTF-8 octet sequence"));
        assert_eq!(err(b"a: \xc3a"), Some("invalid trailing UTF-8 octet"));
        assert_eq!(
            err(b"a: \xc0\x80"),
            Some("invalid length of a UTF-8 sequence")
        );
        assert_eq!(err(b"a: \xed\xa0\x80"), Some("invalid Unicode character"));
    }
}
