//! Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`), parsed as
//! `k8s.io/apimachinery`'s `resource.ParseQuantity` reads them, and compared exactly.

use crate::Value;
use std::fmt;
use std::str::FromStr;

/// A quantity, held exactly in units of 10⁻⁹ (what Kubernetes calls nano), so that `1Gi`,
/// `1073741824` and `1073741824000m` are equal. Anything finer than a nano is rounded away
/// from zero, as Kubernetes rounds a quantity it cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity {
    nanos: i128,
}

/// Why a text is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    text: String,
    reason: &'static str,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a quantity: {}", self.text, self.reason)
    }
}

impl std::error::Error for QuantityError {}

impl Quantity {
    /// `value` in units of 10⁻⁹.
    pub fn from_nanos(nanos: i128) -> Quantity {
        Quantity { nanos }
    }

    /// The quantity in units of 10⁻⁹.
    pub fn nanos(self) -> i128 {
        self.nanos
    }

    /// The quantity in thousandths (`500m` is 500), rounded up as Kubernetes'
    /// `MilliValue` does.
    pub fn millis(self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// Parses `text`: an optionally signed decimal number (`2`, `0.5`, `.5`, `5.`) and a
    /// suffix: none, a binary one (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`), a decimal one (`n`,
    /// `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal exponent (`e3`, `E-2`).
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let fail = |reason| QuantityError {
            text: text.to_string(),
            reason,
        };
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() {
            return Err(fail("no digits"));
        }
        if fraction.contains('.') {
            return Err(fail("more than one decimal point"));
        }
        let (base2, base10) = suffix_exponents(suffix).ok_or_else(|| fail("unknown suffix"))?;

        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        let mut scale = i64::from(base10) + 9 - fraction.len() as i64;
        // Trailing zeros only move the scale: keeps `100000000000000000000000000000000000000`
        // representable.
        let significant = digits.trim_end_matches('0');
        scale += (digits.len() - significant.len()) as i64;
        if significant.is_empty() {
            return Ok(Quantity { nanos: 0 });
        }
        if significant.len() > 38 {
            return Err(fail("too many digits"));
        }
        let mut value: i128 = significant.parse().map_err(|_| fail("too many digits"))?;
        value = value
            .checked_mul(1i128 << base2)
            .ok_or_else(|| fail("too large"))?;
        if scale >= 0 {
            let factor = u32::try_from(scale)
                .ok()
                .and_then(|s| 10i128.checked_pow(s))
                .ok_or_else(|| fail("too large"))?;
            value = value.checked_mul(factor).ok_or_else(|| fail("too large"))?;
        } else {
            value = match u32::try_from(-scale)
                .ok()
                .and_then(|s| 10i128.checked_pow(s))
            {
                Some(divisor) => ceil_div(value, divisor),
                // Below 10^-38 of a nano: the smallest quantity that is not zero.
                None => 1,
            };
        }
        Ok(Quantity {
            nanos: if negative { -value } else { value },
        })
    }

    /// A quantity as a manifest holds it: a string (`"500m"`) or a JSON number (`2`,
    /// `0.5`).
    pub fn from_value(value: &Value) -> Result<Quantity, QuantityError> {
        match value {
            Value::String(s) => Quantity::parse(s),
            Value::Number(n) => Quantity::parse(&n.to_string()),
            other => Err(QuantityError {
                text: other.to_string(),
                reason: "not a string or a number",
            }),
        }
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(s: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(s)
    }
}

/// The powers of 2 and 10 a suffix stands for.
fn suffix_exponents(suffix: &str) -> Option<(u32, i32)> {
    Some(match suffix {
        "" => (0, 0),
        "Ki" => (10, 0),
        "Mi" => (20, 0),
        "Gi" => (30, 0),
        "Ti" => (40, 0),
        "Pi" => (50, 0),
        "Ei" => (60, 0),
        "n" => (0, -9),
        "u" => (0, -6),
        "m" => (0, -3),
        "k" => (0, 3),
        "M" => (0, 6),
        "G" => (0, 9),
        "T" => (0, 12),
        "P" => (0, 15),
        "E" => (0, 18),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (0, exponent.parse().ok()?)
        }
    })
}

/// `a / b` rounded away from zero (`b` positive).
fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b == 0 {
        q
    } else if a > 0 {
        q + 1
    } else {
        q - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(text: &str) -> i128 {
        Quantity::parse(text).unwrap().nanos()
    }

    #[test]
    fn parses_every_suffix() {
        const G: i128 = 1_000_000_000;
        for (text, want) in [
            ("0", 0),
            ("1", G),
            ("2", 2 * G),
            ("+2", 2 * G),
            ("-2", -2 * G),
            ("0.5", G / 2),
            (".5", G / 2),
            ("5.", 5 * G),
            ("500m", G / 2),
            ("1500m", 3 * G / 2),
            ("100u", 100_000),
            ("3n", 3),
            ("1k", 1000 * G),
            ("1M", 1_000_000 * G),
            ("1G", 1_000_000_000 * G),
            ("1T", 1_000_000_000_000 * G),
            ("1P", 1_000_000_000_000_000 * G),
            ("1E", 1_000_000_000_000_000_000 * G),
            ("1Ki", 1024 * G),
            ("1Mi", 1024 * 1024 * G),
            ("1.5Gi", 3 * (1 << 29) * G),
            ("1Ti", (1 << 40) * G),
            ("1Pi", (1 << 50) * G),
            ("1Ei", (1 << 60) * G),
            ("1e3", 1000 * G),
            ("1E3", 1000 * G),
            ("1e+3", 1000 * G),
            ("25e-1", 5 * G / 2),
            ("1e-9", 1),
            ("0.0000000001", 1),
            ("-0.0000000001", -1),
            ("00012", 12 * G),
            (
                "1000000000000000000000000000000000000000e-30",
                1_000_000_000 * G,
            ),
        ] {
            assert_eq!(nanos(text), want, "{text}");
        }
    }

    #[test]
    fn compares_across_suffixes() {
        let q = |s: &str| Quantity::parse(s).unwrap();
        assert_eq!(q("1Gi"), q("1073741824"));
        assert_eq!(q("1073741824000m"), q("1Gi"));
        assert_eq!(q("2"), q("2000m"));
        assert!(q("1Gi") > q("1G"));
        assert!(q("4Gi") < q("4.5Gi"));
        assert!(q("2001m") > q("2"));
        assert!(q("-1") < q("0"));
        assert_eq!(q("250m").millis(), 250);
        assert_eq!(q("1n").millis(), 1);
    }

    #[test]
    fn refuses_what_is_not_a_quantity() {
        for text in [
            "", "-", "+", ".", "1..2", "1.2.3", "Gi", "1gi", "1 Gi", "1Gb", "1e", "1e+", "1ee3",
            "1e3.5", "one", "1K", "1Gi ", " 1",
        ] {
            assert!(Quantity::parse(text).is_err(), "{text:?}");
        }
        assert!(Quantity::parse("1e40").is_err());
        assert!(Quantity::parse("99999999999999999999Ei").is_err());
        assert!(
            Quantity::parse("1K")
                .unwrap_err()
                .to_string()
                .contains("unknown suffix")
        );
    }

    #[test]
    fn reads_json_numbers() {
        assert_eq!(
            Quantity::from_value(&serde_json::json!(2)).unwrap(),
            Quantity::parse("2").unwrap()
        );
        assert_eq!(
            Quantity::from_value(&serde_json::json!(0.5)).unwrap(),
            Quantity::parse("500m").unwrap()
        );
        assert!(Quantity::from_value(&serde_json::json!(true)).is_err());
    }
}
