//! Masterminds/semver v3.4, as Helm and Sprig use it: its parsing (the loose "coerce" form:
//! `v1`, `1.2`, `01.2` are versions) and its constraint language: `=`, `!=`, `>`, `<`, `>=`,
//! `<=`, `~`, `~>`, `^`, wildcards `x`/`X`/`*`, hyphen ranges `1 - 2`, `,` or spaces for
//! AND, `||` for OR, and its prerelease rule (a prerelease version only satisfies a group
//! of constraints that itself names a prerelease).

use std::cmp::Ordering;
use std::sync::OnceLock;

use regex::Regex;

/// A parsed semantic version (Masterminds' `Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

/// Go's `\s` in a character class.
const WS: &str = r"[\t\n\f\r ]";

#[expect(
    clippy::expect_used,
    reason = "a constant pattern, compiled by every version test"
)]
fn loose_version_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let part = r"[0-9A-Za-z\-]+";
        let pat = format!(
            r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-({part}(\.{part})*))?(\+({part}(\.{part})*))?$"
        );
        Regex::new(&pat).expect("static pattern")
    })
}

fn parse_segment(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        format!(
            "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
            crate::quote::quote(s)
        )
    })
}

/// Masterminds' check of a prerelease (`SetPrerelease`): dot-separated identifiers, numeric
/// ones without leading zeros.
pub fn validate_prerelease(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err("invalid prerelease string".into());
        }
        if part.bytes().all(|c| c.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        } else if !part.chars().all(|c| ALLOWED.contains(c)) {
            return Err("invalid prerelease string".into());
        }
    }
    Ok(())
}

/// Masterminds' check of build metadata (`SetMetadata`).
pub fn validate_metadata(m: &str) -> Result<(), String> {
    for part in m.split('.') {
        if part.is_empty() || !part.chars().all(|c| ALLOWED.contains(c)) {
            return Err("invalid metadata string".into());
        }
    }
    Ok(())
}

impl Version {
    /// Masterminds' `NewVersion` (in its default coercing mode).
    pub fn parse(v: &str) -> Result<Version, String> {
        let caps = loose_version_re()
            .captures(v)
            .ok_or("invalid semantic version")?;
        let get = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let version = Version {
            major: parse_segment(get(1))?,
            minor: if get(2).is_empty() {
                0
            } else {
                parse_segment(&get(2)[1..])?
            },
            patch: if get(3).is_empty() {
                0
            } else {
                parse_segment(&get(3)[1..])?
            },
            pre: get(5).to_string(),
            metadata: get(8).to_string(),
            original: v.to_string(),
        };
        if !version.pre.is_empty() {
            validate_prerelease(&version.pre)?;
        }
        if !version.metadata.is_empty() {
            validate_metadata(&version.metadata)?;
        }
        Ok(version)
    }

    /// `"v"` when the version was written with one.
    pub fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    /// The version with its original text rewritten from its parts, after `prefix`.
    pub fn with_original(mut self, prefix: &str) -> Version {
        self.original = format!("{prefix}{self}");
        self
    }

    pub fn inc_patch(&self) -> Version {
        let mut n = self.clone();
        if self.pre.is_empty() {
            n.patch = self.patch.wrapping_add(1);
        }
        n.pre.clear();
        n.metadata.clear();
        n.with_original(self.v_prefix())
    }

    pub fn inc_minor(&self) -> Version {
        let mut n = self.clone();
        n.pre.clear();
        n.metadata.clear();
        n.patch = 0;
        n.minor = self.minor.wrapping_add(1);
        n.with_original(self.v_prefix())
    }

    pub fn inc_major(&self) -> Version {
        let mut n = self.clone();
        n.pre.clear();
        n.metadata.clear();
        n.patch = 0;
        n.minor = 0;
        n.major = self.major.wrapping_add(1);
        n.with_original(self.v_prefix())
    }

    /// Semver precedence; metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let x = ap.get(i).copied().unwrap_or("");
        let y = bp.get(i).copied().unwrap_or("");
        let d = compare_pre_part(x, y);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        // A number sorts before an identifier.
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

// --- constraints ------------------------------------------------------------------------

/// The operator alternatives, in Masterminds' order (the empty one second).
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

fn cv() -> String {
    let x = r"[0-9|x|X|\*]+";
    let part = r"[0-9A-Za-z\-]+";
    format!(r"v?({x})(\.{x})?(\.{x})?(-({part}(\.{part})*))?(\+({part}(\.{part})*))?")
}

struct ConstraintRes {
    single: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

#[expect(
    clippy::expect_used,
    reason = "constant patterns, compiled by every constraint test"
)]
fn res() -> &'static ConstraintRes {
    static RES: OnceLock<ConstraintRes> = OnceLock::new();
    RES.get_or_init(|| {
        let cv = cv();
        let build = |p: String| Regex::new(&p).expect("static pattern");
        ConstraintRes {
            single: build(format!(r"^{WS}*({OPS}){WS}*({cv}){WS}*$")),
            range: build(format!(r"{WS}*({cv}){WS}+-{WS}+({cv}){WS}*")),
            find: build(format!(r"({OPS}){WS}*({cv})")),
            valid: build(format!(
                r"^({WS}*({OPS}){WS}*({cv}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({cv}){WS}*)*$"
            )),
        }
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

struct Constraint {
    con: Version,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    let caps = res()
        .single
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {c}"))?;
    let get = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let op = match get(1) {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (major, minor, patch, pre) = (get(3), get(4), get(5), get(6));
    let strip = |s: &str| s.strip_prefix('.').unwrap_or(s).to_string();
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if is_x(&strip(minor)) || minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if is_x(&strip(patch)) || patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        get(2).to_string()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        con,
        op,
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

/// Masterminds' `Constraints`: OR groups of AND-ed constraints.
pub struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

impl Constraints {
    /// Masterminds' `NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, String> {
        let c = rewrite_range(c);
        let mut groups = Vec::new();
        for part in c.split("||") {
            if !res().valid.is_match(part) {
                return Err(format!("improper constraint: {part}"));
            }
            let found: Vec<&str> = res().find.find_iter(part).map(|m| m.as_str()).collect();
            let found = if found.is_empty() { vec![part] } else { found };
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for s in found {
                let pc = parse_constraint(s)?;
                has_pre |= !pc.con.pre.is_empty();
                group.push(pc);
            }
            groups.push((group, has_pre));
        }
        Ok(Constraints { groups })
    }

    pub fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .any(|(g, pre)| g.iter().all(|c| check(c, v, *pre)))
    }
}

/// `a - b` → `>= a, <= b `, as Masterminds rewrites hyphen ranges.
fn rewrite_range(c: &str) -> String {
    let mut out = c.to_string();
    for caps in res().range.captures_iter(c) {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        let a = caps.get(1).map_or("", |m| m.as_str());
        let b = caps.get(11).map_or("", |m| m.as_str());
        out = out.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    out
}

fn check(c: &Constraint, v: &Version, include_pre: bool) -> bool {
    if !v.pre.is_empty() && !include_pre {
        return false;
    }
    let con = &c.con;
    match c.op {
        Op::NotEqual => {
            if c.dirty {
                if con.major != v.major {
                    return true;
                }
                if con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !con.pre.is_empty() {
                        return compare_prerelease(&v.pre, &con.pre) != Ordering::Equal;
                    }
                    return false;
                }
            }
            v.compare(con) != Ordering::Equal
        }
        Op::Greater => {
            if !c.dirty {
                return v.compare(con) == Ordering::Greater;
            }
            if v.major > con.major {
                true
            } else if v.major < con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > con.minor
            } else {
                v.compare(con) == Ordering::Greater
            }
        }
        Op::Less => v.compare(con) == Ordering::Less,
        Op::GreaterEqual => v.compare(con) != Ordering::Less,
        Op::LessEqual => {
            if !c.dirty {
                return v.compare(con) != Ordering::Greater;
            }
            !(v.major > con.major
                || (v.major == con.major && v.minor > con.minor && !c.minor_dirty))
        }
        Op::Tilde => tilde(c, v),
        Op::TildeOrEqual => {
            if c.dirty {
                tilde(c, v)
            } else {
                v.compare(con) == Ordering::Equal
            }
        }
        Op::Caret => {
            if v.compare(con) == Ordering::Less {
                return false;
            }
            if con.major > 0 || c.minor_dirty {
                return v.major == con.major;
            }
            if v.major > 0 {
                return false;
            }
            if con.minor > 0 || c.patch_dirty {
                return v.minor == con.minor;
            }
            if v.minor > 0 {
                return false;
            }
            con.patch == v.patch
        }
    }
}

fn tilde(c: &Constraint, v: &Version) -> bool {
    let con = &c.con;
    if v.compare(con) == Ordering::Less {
        return false;
    }
    if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minor_dirty && !c.patch_dirty {
        return true;
    }
    if v.major != con.major {
        return false;
    }
    v.minor == con.minor || c.minor_dirty
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(constraint)) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(Version::parse("1").is_ok());
        assert!(Version::parse("v1.2.3-rc.1+b").is_ok());
        assert!(Version::parse("1.x").is_err());
        assert!(Version::parse("").is_err());
        assert!(Version::parse("1.2.3.4").is_err());
    }

    #[test]
    fn constraints() {
        let cases = [
            ("~2.0.0", "1.0.0", false),
            ("~2.0.0", "2.0.5", true),
            ("~2.0.0", "2.1.0", false),
            ("^1.2.3", "1.9.0", true),
            ("^1.2.3", "2.0.0", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("1.x", "1.5.0", true),
            ("1.x", "2.0.0", false),
            ("2.x.x", "2.3.4", true),
            ("*", "9.9.9", true),
            ("", "1.0.0", false),
            (">=1.0.0 <2.0.0", "1.5.0", true),
            (">=1.0.0, <2.0.0", "2.0.0", false),
            ("1.0.0 - 2.0.0", "2.0.0", true),
            ("1.0.0 - 2.0.0", "2.0.1", false),
            ("<1.0 || >=3", "3.1.0", true),
            ("<1.0 || >=3", "2.0.0", false),
            (">=1.0.0", "1.1.0-rc.1", false),
            (">=1.0.0-0", "1.1.0-rc.1", true),
            ("1.2.3", "1.2.3", true),
            ("=1.2.3", "1.2.4", false),
            ("!=1.2.3", "1.2.4", true),
            (">1.2", "1.2.9", false),
            (">1.2", "1.3.0", true),
            ("<=1.2", "1.2.9", true),
            (">= 1.19.0-0", "1.35.0", true),
            ("bogus", "1.0.0", false),
        ];
        for (c, v, want) in cases {
            assert_eq!(is_compatible_range(c, v), want, "{c} vs {v}");
        }
    }
}
