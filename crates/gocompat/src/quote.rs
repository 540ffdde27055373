//! `strconv.Quote` and its relatives, as Go's messages and `%q` write strings and runes.

use std::fmt::Write as _;

use crate::gostr;

/// Go's `strconv.Quote`: `"a\n\"b\""`, with `\x..` for each byte that is not UTF-8.
pub fn quote(s: &str) -> String {
    quote_with(s, '"', false)
}

/// Go's `strconv.QuoteToASCII`: like [`quote`], every non-ASCII character escaped.
pub fn quote_ascii(s: &str) -> String {
    quote_with(s, '"', true)
}

/// Go's `strconv.QuoteRune`: `'a'`, `'\''`, `'"'`, `'\n'` (what `%q` of a rune and
/// `encoding/json`'s syntax errors print).
pub fn quote_rune(c: char) -> String {
    let mut out = String::with_capacity(6);
    out.push('\'');
    push_quoted_char(&mut out, c, '\'', false);
    out.push('\'');
    out
}

fn quote_with(s: &str, quote: char, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        push_quoted_char(&mut out, c, quote, ascii);
    }
    out.push(quote);
    out
}

/// Whether Go's `strconv.IsPrint` holds for `c` (approximated with Rust's Unicode tables).
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF
        | 0xD800..=0xDFFF | 0xFFFE | 0xFFFF)
}

fn push_quoted_char(out: &mut String, c: char, quote: char, ascii: bool) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        // A byte that is not UTF-8.
        c if let Some(b) = gostr::raw_byte(c) => {
            let _ = write!(out, "\\x{b:02x}");
        }
        c if (ascii && !c.is_ascii()) || !is_print(c) => {
            let v = c as u32;
            if v < 0x80 {
                let _ = write!(out, "\\x{v:02x}");
            } else if v < 0x10000 {
                let _ = write!(out, "\\u{v:04x}");
            } else {
                let _ = write!(out, "\\U{v:08x}");
            }
        }
        c => out.push(c),
    }
}

/// `%#U` of a character: `U+0023 '#'`.
pub fn char_u(c: char) -> String {
    if is_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_go_does() {
        assert_eq!(
            quote("a\n\"b\"\u{7f}é\u{a0}"),
            "\"a\\n\\\"b\\\"\\x7fé\\u00a0\""
        );
        assert_eq!(quote_ascii("é☺"), "\"\\u00e9\\u263a\"");
        assert_eq!(quote(&gostr::from_bytes(b"a\xff")), "\"a\\xff\"");
        assert_eq!(quote_rune('\''), "'\\''");
        assert_eq!(quote_rune('"'), "'\"'");
        assert_eq!(quote_rune('\t'), "'\\t'");
        assert_eq!(char_u('#'), "U+0023 '#'");
    }
}
