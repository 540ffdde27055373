//! Masterminds/semver v3.4, as Helm and Sprig use it: its parsing (the loose "coerce" form:
//! `v1`, `1.2`, `01.2` are versions) and its constraint language: `=`, `!=`, `>`, `<`, `>=`,
//! `<=`, `~`, `~>`, `^`, wildcards `x`/`X`/`*`, hyphen ranges `1 - 2`, `,` or spaces for
//! AND, `||` for OR, and its prerelease rule (a prerelease version only satisfies a group
//! of constraints that itself names a prerelease).

use std::cmp::Ordering;

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

// Masterminds matches versions and constraints with regular expressions. Compiling them
// costs more than everything else a plugin call does with them (a fresh sandbox compiles
// them again on every call), so they are matched by hand here, with the regexps' exact
// language and captures; the tests compare both on generated strings.
//
//   version:    ^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-(P(\.P)*))?(\+(P(\.P)*))?$
//   constraint version CV: the same with X = [0-9|x|X|\*]+ for the numbers, unanchored
//   P = [0-9A-Za-z\-]+, and `\s` Go's `[\t\n\f\r ]`.

/// Go's `\s`.
fn is_ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// A character of a prerelease or metadata identifier (`P`).
fn is_part(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// A character of a constraint's version number, wildcards included (`X`; the class
/// `[0-9|x|X|\*]` holds a literal `|`).
fn is_x_char(c: u8) -> bool {
    c.is_ascii_digit() || matches!(c, b'|' | b'x' | b'X' | b'*')
}

fn is_op_char(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'<' | b'>' | b'~' | b'^')
}

/// The end of the run of `class` characters from `i`.
fn run(s: &[u8], i: usize, class: fn(u8) -> bool) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&c| class(c))
        .count()
}

fn skip_ws(s: &[u8], i: usize) -> usize {
    run(s, i, is_ws)
}

/// The end of `P(\.P)*` from `i` (`i` when no identifier starts there).
fn dotted(s: &[u8], i: usize) -> usize {
    let mut end = run(s, i, is_part);
    if end == i {
        return i;
    }
    while s.get(end) == Some(&b'.') {
        let next = run(s, end + 1, is_part);
        if next == end + 1 {
            break;
        }
        end = next;
    }
    end
}

/// The pieces of a version as the pattern captures them, as byte ranges: `minor` and
/// `patch` keep their dot, `pre` its dash and `meta` its plus (empty when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pieces {
    start: usize,
    major: (usize, usize),
    minor: (usize, usize),
    patch: (usize, usize),
    pre: (usize, usize),
    meta: (usize, usize),
    end: usize,
}

/// The greedy (leftmost-first) match of the version pattern starting at `i`, numbers of
/// `num` characters; `None` when there is none. Every optional part is taken whenever it
/// can be, which is also the longest match.
fn pieces(s: &[u8], i: usize, num: fn(u8) -> bool) -> Option<Pieces> {
    let start = i;
    let i = if s.get(i) == Some(&b'v') { i + 1 } else { i };
    let major_end = run(s, i, num);
    if major_end == i {
        return None;
    }
    let mut at = major_end;
    let dot_number = |at: &mut usize| {
        let from = *at;
        if s.get(from) == Some(&b'.') {
            let end = run(s, from + 1, num);
            if end > from + 1 {
                *at = end;
                return (from, end);
            }
        }
        (from, from)
    };
    let minor = dot_number(&mut at);
    let patch = dot_number(&mut at);
    let tail = |at: &mut usize, lead: u8| {
        let from = *at;
        if s.get(from) == Some(&lead) {
            let end = dotted(s, from + 1);
            if end > from + 1 {
                *at = end;
                return (from, end);
            }
        }
        (from, from)
    };
    let pre = tail(&mut at, b'-');
    let meta = tail(&mut at, b'+');
    Some(Pieces {
        start,
        major: (i, major_end),
        minor,
        patch,
        pre,
        meta,
        end: at,
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
        let b = v.as_bytes();
        let p = pieces(b, 0, |c| c.is_ascii_digit())
            .filter(|p| p.end == b.len())
            .ok_or("invalid semantic version")?;
        let text = |(from, to): (usize, usize)| &v[from..to];
        let version = Version {
            major: parse_segment(text(p.major))?,
            minor: if p.minor.0 == p.minor.1 {
                0
            } else {
                parse_segment(&text(p.minor)[1..])?
            },
            patch: if p.patch.0 == p.patch.1 {
                0
            } else {
                parse_segment(&text(p.patch)[1..])?
            },
            pre: text(p.pre).get(1..).unwrap_or("").to_string(),
            metadata: text(p.meta).get(1..).unwrap_or("").to_string(),
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
const OPS: [&str; 12] = [
    "=", "", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
];

/// `^\s*(OPS)\s*(CV)\s*$`: the operator and the version's pieces.
fn match_single(s: &[u8]) -> Option<(&'static str, Pieces)> {
    let i = skip_ws(s, 0);
    OPS.iter().find_map(|op| {
        if !s[i..].starts_with(op.as_bytes()) {
            return None;
        }
        let p = pieces(s, skip_ws(s, i + op.len()), is_x_char)?;
        (skip_ws(s, p.end) == s.len()).then_some((*op, p))
    })
}

/// The matches of `(OPS)\s*(CV)`, leftmost-first, as the texts matched.
fn find_constraints(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        let found = OPS.iter().find_map(|op| {
            if !b[p..].starts_with(op.as_bytes()) {
                return None;
            }
            pieces(b, skip_ws(b, p + op.len()), is_x_char).map(|v| v.end)
        });
        match found {
            Some(end) => {
                out.push(&s[p..end]);
                p = end;
            }
            None => p += 1,
        }
    }
    out
}

/// `^(\s*(OPS)\s*(CV)\s*)((?:\s+|,\s*)(OPS)\s*(CV)\s*)*$`. A version cannot hold
/// blanks, commas or operator characters and an operator holds nothing else, so each
/// constraint is an operator (the longest run of operator characters, possibly empty),
/// blanks, then a version up to the next blank or comma; between two constraints, blanks
/// or one comma.
fn valid_group(s: &[u8]) -> bool {
    let mut i = skip_ws(s, 0);
    loop {
        let op_end = run(s, i, is_op_char);
        if !OPS.iter().any(|op| op.as_bytes() == &s[i..op_end]) {
            return false;
        }
        let from = skip_ws(s, op_end);
        let to = run(s, from, |c| !is_ws(c) && c != b',');
        if to == from || pieces(s, from, is_x_char).is_none_or(|p| p.end != to) {
            return false;
        }
        let next = skip_ws(s, to);
        if next == s.len() {
            return true;
        }
        if s[next] == b',' {
            i = skip_ws(s, next + 1);
        } else {
            i = next;
        }
    }
}

/// `\s*(CV)\s+-\s+(CV)\s*` matched at `p`: both versions and the end.
fn range_at(b: &[u8], p: usize) -> Option<(Pieces, Pieces, usize)> {
    let a = pieces(b, skip_ws(b, p), is_x_char)?;
    let dash = skip_ws(b, a.end);
    if dash == a.end || b.get(dash) != Some(&b'-') {
        return None;
    }
    let from = skip_ws(b, dash + 1);
    if from == dash + 1 {
        return None;
    }
    let z = pieces(b, from, is_x_char)?;
    Some((a, z, skip_ws(b, z.end)))
}

/// The matches of `\s*(CV)\s+-\s+(CV)\s*`, leftmost-first: (whole match, first version,
/// second version).
fn find_ranges(s: &str) -> Vec<(&str, &str, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        let found = range_at(b, p);
        match found {
            Some((a, z, end)) => {
                out.push((&s[p..end], &s[a.start..a.end], &s[z.start..z.end]));
                p = end;
            }
            None => p += 1,
        }
    }
    out
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
    let (op, p) = match_single(c.as_bytes()).ok_or_else(|| format!("improper constraint: {c}"))?;
    let op = match op {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let text = |(from, to): (usize, usize)| &c[from..to];
    let (major, minor, patch, pre) = (text(p.major), text(p.minor), text(p.patch), text(p.pre));
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
        c[p.start..p.end].to_string()
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
            if !valid_group(part.as_bytes()) {
                return Err(format!("improper constraint: {part}"));
            }
            let found = find_constraints(part);
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
    for (whole, a, b) in find_ranges(c) {
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
    use regex::Regex;

    /// Masterminds' regexps, as references for the hand-written matchers.
    struct Reference {
        version: Regex,
        single: Regex,
        range: Regex,
        find: Regex,
        valid: Regex,
    }

    fn reference() -> Reference {
        let ws = r"[\t\n\f\r ]";
        let ops = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
        let part = r"[0-9A-Za-z\-]+";
        let x = r"[0-9|x|X|\*]+";
        let cv = format!(r"v?({x})(\.{x})?(\.{x})?(-({part}(\.{part})*))?(\+({part}(\.{part})*))?");
        Reference {
            version: Regex::new(&format!(
                r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-({part}(\.{part})*))?(\+({part}(\.{part})*))?$"
            ))
            .unwrap(),
            single: Regex::new(&format!(r"^{ws}*({ops}){ws}*({cv}){ws}*$")).unwrap(),
            range: Regex::new(&format!(r"{ws}*({cv}){ws}+-{ws}+({cv}){ws}*")).unwrap(),
            find: Regex::new(&format!(r"({ops}){ws}*({cv})")).unwrap(),
            valid: Regex::new(&format!(
                r"^({ws}*({ops}){ws}*({cv}){ws}*)((?:{ws}+|,{ws}*)({ops}){ws}*({cv}){ws}*)*$"
            ))
            .unwrap(),
        }
    }

    /// Strings over the characters that matter to the patterns, from a small seeded
    /// generator (the same strings every run), plus hand-picked ones.
    fn samples() -> Vec<String> {
        const ALPHABET: &[u8] = b"0123456789..--++vxX*|=!<>~^ ,\tab";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut out: Vec<String> = [
            "1",
            "v1.2.3",
            "1.2.3-rc.1+b.2",
            "01.2",
            "1.2.3.4",
            "1.x",
            ">= 1.19.0-0",
            "~1.2",
            "^0.2.3 || >=3",
            "1.0.0 - 2.0.0",
            "1.0 - 2.0 - 3.0",
            "=>1.0",
            ">>1",
            "!1",
            "1,,2",
            "1.0,",
            " 1.0 ,2.0 ",
            "x1.0 - 2",
            ">=1.0 - 2.0",
            "1|2",
            "v",
            "",
            "1.0.0--",
            "1.0-rc.",
            "1.0+",
            "1.0.",
            "-1",
            "1.2.3-0.a-b.c+d-e.0",
            "*",
            "x.X.*",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..20_000 {
            let len = 1 + (next() % 14) as usize;
            let s: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char)
                .collect();
            out.push(s);
        }
        // Plausible constraints too: versions and operators joined by separators.
        for _ in 0..20_000 {
            let mut s = String::new();
            for k in 0..1 + next() % 3 {
                if k > 0 {
                    s.push_str([" ", ", ", ",", "  ", " - ", " || "][(next() % 6) as usize]);
                }
                s.push_str(OPS[(next() % OPS.len() as u64) as usize]);
                if next() % 3 == 0 {
                    s.push(' ');
                }
                let parts = ["1", "0", "2", "x", "*", "10", "v1"];
                s.push_str(parts[(next() % parts.len() as u64) as usize]);
                for _ in 0..next() % 3 {
                    s.push('.');
                    s.push_str(parts[(next() % 5) as usize]);
                }
                if next() % 4 == 0 {
                    s.push_str(["-rc.1", "-0", "-a-b", "+m", "-"][(next() % 5) as usize]);
                }
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn the_matchers_agree_with_masterminds_regexps() {
        let re = reference();
        for s in samples() {
            let b = s.as_bytes();
            // The version pattern: match and captures.
            let ours = pieces(b, 0, |c| c.is_ascii_digit()).filter(|p| p.end == b.len());
            let theirs = re.version.captures(&s);
            assert_eq!(ours.is_some(), theirs.is_some(), "version {s:?}");
            if let (Some(p), Some(c)) = (ours, theirs) {
                let got = |r: (usize, usize)| &s[r.0..r.1];
                assert_eq!(got(p.major), &c[1], "version {s:?}");
                assert_eq!(got(p.minor), c.get(2).map_or("", |m| m.as_str()), "{s:?}");
                assert_eq!(got(p.patch), c.get(3).map_or("", |m| m.as_str()), "{s:?}");
                assert_eq!(got(p.pre), c.get(4).map_or("", |m| m.as_str()), "{s:?}");
                assert_eq!(got(p.meta), c.get(7).map_or("", |m| m.as_str()), "{s:?}");
            }
            // A single constraint.
            let ours = match_single(b);
            let theirs = re.single.captures(&s);
            assert_eq!(ours.is_some(), theirs.is_some(), "single {s:?}");
            if let (Some((op, p)), Some(c)) = (ours, theirs) {
                let got = |r: (usize, usize)| &s[r.0..r.1];
                assert_eq!(op, &c[1], "single {s:?}");
                assert_eq!(&s[p.start..p.end], &c[2], "single {s:?}");
                assert_eq!(got(p.major), &c[3], "single {s:?}");
                assert_eq!(got(p.minor), c.get(4).map_or("", |m| m.as_str()), "{s:?}");
                assert_eq!(got(p.patch), c.get(5).map_or("", |m| m.as_str()), "{s:?}");
                assert_eq!(got(p.pre), c.get(6).map_or("", |m| m.as_str()), "{s:?}");
            }
            // Every constraint of a group, a group's validity, and hyphen ranges.
            let theirs: Vec<&str> = re.find.find_iter(&s).map(|m| m.as_str()).collect();
            assert_eq!(find_constraints(&s), theirs, "find {s:?}");
            assert_eq!(valid_group(b), re.valid.is_match(&s), "valid {s:?}");
            let theirs: Vec<(&str, &str, &str)> = re
                .range
                .captures_iter(&s)
                .map(|c| {
                    let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
                    (g(0), g(1), g(11))
                })
                .collect();
            assert_eq!(find_ranges(&s), theirs, "range {s:?}");
        }
    }

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
