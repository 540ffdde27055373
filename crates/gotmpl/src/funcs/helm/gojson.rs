//! `encoding/json.Unmarshal` into `interface{}`: Go's syntax check first (with its error
//! messages), then the decoding.

// Go's `quoteChar`: the offending character as the scanner's messages show it.
use rudder_gocompat::quote::quote_rune as quote_char;

struct Scanner<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    /// Byte ranges of number literals too large for a float64.
    overflow: Vec<(usize, usize)>,
}

type Step = Result<(), String>;

const EOF: &str = "unexpected end of JSON input";

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn char_at(&self) -> char {
        self.text[self.i..].chars().next().unwrap_or('\0')
    }

    fn bad(&self, context: &str) -> String {
        format!("invalid character {} {context}", quote_char(self.char_at()))
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Step {
        if depth > 10_000 {
            return Err("exceeded max depth".to_string());
        }
        self.skip_ws();
        match self.peek() {
            None => Err(EOF.into()),
            Some(b'{') => {
                if self.open(b'}') {
                    return Ok(());
                }
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => return Err(EOF.into()),
                        Some(b'"') => self.string()?,
                        Some(_) => {
                            return Err(self.bad("looking for beginning of object key string"));
                        }
                    }
                    self.skip_ws();
                    match self.peek() {
                        None => return Err(EOF.into()),
                        Some(b':') => self.i += 1,
                        Some(_) => return Err(self.bad("after object key")),
                    }
                    self.value(depth + 1)?;
                    if self.closes(b'}', "after object key:value pair")? {
                        return Ok(());
                    }
                }
            }
            Some(b'[') => {
                if self.open(b']') {
                    return Ok(());
                }
                loop {
                    self.value(depth + 1)?;
                    if self.closes(b']', "after array element")? {
                        return Ok(());
                    }
                }
            }
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(_) => Err(self.bad("looking for beginning of value")),
        }
    }

    /// Past the opening bracket of an object or array: whether `close` follows at once (and
    /// is consumed), making it empty.
    fn open(&mut self, close: u8) -> bool {
        self.i += 1;
        self.skip_ws();
        if self.peek() == Some(close) {
            self.i += 1;
            return true;
        }
        false
    }

    /// After a member of an object or array: `true` at `close`, `false` at a comma (either is
    /// consumed), else Go's error `invalid character ... {context}`.
    fn closes(&mut self, close: u8, context: &str) -> Result<bool, String> {
        self.skip_ws();
        match self.peek() {
            None => Err(EOF.into()),
            Some(b',') => {
                self.i += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            Some(_) => Err(self.bad(context)),
        }
    }

    fn literal(&mut self, word: &str) -> Step {
        for (k, want) in word.bytes().enumerate() {
            match self.peek() {
                None => return Err(EOF.into()),
                Some(c) if c == want => self.i += 1,
                Some(_) => {
                    let expecting = word.as_bytes()[k] as char;
                    return Err(self.bad(&format!("in literal {word} (expecting '{expecting}')")));
                }
            }
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Step {
        let start = self.i;
        self.number_syntax()?;
        let lit = &self.text[start..self.i];
        if lit.parse::<f64>().is_ok_and(f64::is_infinite) {
            self.overflow.push((start, self.i));
        }
        Ok(())
    }

    /// A digit must come next: else Go's error `invalid character ... {context}`.
    fn digit_next(&self, context: &str) -> Step {
        match self.peek() {
            None => Err(EOF.into()),
            Some(b'0'..=b'9') => Ok(()),
            Some(_) => Err(self.bad(context)),
        }
    }

    fn number_syntax(&mut self) -> Step {
        if self.peek() == Some(b'-') {
            self.i += 1;
            self.digit_next("in numeric literal")?;
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digit_next("after decimal point in numeric literal")?;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.digit_next("in exponent of numeric literal")?;
            self.digits();
        }
        Ok(())
    }

    fn string(&mut self) -> Step {
        self.i += 1;
        loop {
            match self.peek() {
                None => return Err(EOF.into()),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        None => return Err(EOF.into()),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            self.i += 1;
                            for _ in 0..4 {
                                match self.peek() {
                                    None => return Err(EOF.into()),
                                    Some(c) if c.is_ascii_hexdigit() => self.i += 1,
                                    Some(_) => {
                                        return Err(self.bad("in \\u hexadecimal character escape"));
                                    }
                                }
                            }
                        }
                        Some(_) => return Err(self.bad("in string escape code")),
                    }
                }
                Some(c) if c < 0x20 => return Err(self.bad("in string literal")),
                Some(_) => {
                    let w = self.char_at().len_utf8();
                    self.i += w;
                }
            }
        }
    }
}

/// A syntactically valid document: its value (numbers too large for a float64 read as null)
/// and Go's decoding error for the first such number, which `json.Unmarshal` reports after
/// decoding everything else.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub value: serde_json::Value,
    pub overflow: Option<String>,
}

/// Checks `text` like `json.Unmarshal` and decodes it. Errors are Go's messages.
pub(crate) fn parse(text: &str) -> Result<Parsed, String> {
    let mut sc = Scanner {
        s: text.as_bytes(),
        text,
        i: 0,
        overflow: Vec::new(),
    };
    sc.value(0)?;
    sc.skip_ws();
    if sc.peek().is_some() {
        return Err(sc.bad("after top-level value"));
    }
    let mut overflow = None;
    let mut owned = String::new();
    let mut last = 0;
    for &(a, b) in &sc.overflow {
        if overflow.is_none() {
            overflow = Some(format!(
                "json: cannot unmarshal number {} into Go value of type float64",
                &text[a..b]
            ));
        }
        owned.push_str(&text[last..a]);
        owned.push_str("null");
        last = b;
    }
    owned.push_str(&text[last..]);
    let value = serde_json::from_str(&owned).map_err(|e| e.to_string())?;
    Ok(Parsed { value, overflow })
}

/// `json: cannot unmarshal array into Go value of type map[string]interface {}`.
pub(crate) fn type_error(v: &serde_json::Value, go_type: &str) -> String {
    let what = rudder_gocompat::json::kind(v);
    format!("json: cannot unmarshal {what} into Go value of type {go_type}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_messages() {
        assert_eq!(parse("").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(
            parse("{a: 1}").unwrap_err(),
            "invalid character 'a' looking for beginning of object key string"
        );
        assert_eq!(
            parse(r#"{"a" 1}"#).unwrap_err(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            parse(r#"{"a": tru}"#).unwrap_err(),
            "invalid character '}' in literal true (expecting 'e')"
        );
        assert_eq!(
            parse(r#"{"a": 1} x"#).unwrap_err(),
            "invalid character 'x' after top-level value"
        );
        assert!(parse(r#" {"a": [1, 2.5e3, "x\u00e9"]} "#).is_ok());
        let p = parse(r#"{"a": 1e400, "b": 1}"#).unwrap();
        assert_eq!(
            p.overflow.as_deref(),
            Some("json: cannot unmarshal number 1e400 into Go value of type float64")
        );
        assert_eq!(p.value, serde_json::json!({"a": null, "b": 1}));
    }
}
