//! Sprig's `semver` and `semverCompare`, with Masterminds/semver v3.4's parsing (the loose
//! "coerce" form Helm uses: `v1`, `1.2`, `01.2` are versions) and its constraint language:
//! `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards `x`/`X`/`*`, hyphen ranges
//! `1 - 2`, `,` or spaces for AND, `||` for OR, and its prerelease rule (a prerelease
//! version only satisfies a group of constraints that itself names a prerelease).

use std::cmp::Ordering;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::func::{Func, FuncCtx, Ty};
use crate::value::{Object, Value};

pub static FUNCS: &[Func] = &[
    Func {
        name: "semver",
        params: &[Ty::String],
        variadic: None,
        body: semver,
    },
    Func {
        name: "semverCompare",
        params: &[Ty::String, Ty::String],
        variadic: None,
        body: semver_compare,
    },
];

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
            crate::funcs::conv::go_quote(s)
        )
    })
}

fn validate_prerelease(p: &str) -> Result<(), String> {
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

fn validate_metadata(m: &str) -> Result<(), String> {
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

    fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn with_original(mut self, prefix: &str) -> Version {
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

// --- the template object -----------------------------------------------------------------

/// A version as templates see it: `*semver.Version` from `semver`, or the `semver.Version`
/// value the `Inc*` methods return (which has no pointer methods such as `Original`).
pub struct VersionObject {
    pub v: Version,
    pub pointer: bool,
}

impl VersionObject {
    pub fn value(v: Version, pointer: bool) -> Value {
        Value::Object(Arc::new(VersionObject { v, pointer }))
    }
}

const VALUE_METHODS: &[&str] = &[
    "Major",
    "Minor",
    "Patch",
    "Prerelease",
    "Metadata",
    "String",
    "IncMajor",
    "IncMinor",
    "IncPatch",
    "SetPrerelease",
    "SetMetadata",
    "MarshalJSON",
    "MarshalText",
    "Value",
];
const POINTER_METHODS: &[&str] = &[
    "Original",
    "LessThan",
    "LessThanEqual",
    "GreaterThan",
    "GreaterThanEqual",
    "Equal",
    "Compare",
    "UnmarshalJSON",
    "UnmarshalText",
    "Scan",
];

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// The version inside an argument that should be a `*semver.Version`.
fn version_arg(v: &Value) -> Result<Version, String> {
    if matches!(v, Value::Nil) {
        // A nil `*semver.Version`: the method dereferences it and Go's panic is reported.
        return Err(NIL_DEREF.into());
    }
    let Value::Object(o) = v else {
        return Err(format!(
            "wrong type for value; expected *semver.Version; got {}",
            v.type_name()
        ));
    };
    if o.type_name() != "*semver.Version" {
        return Err(format!(
            "wrong type for value; expected *semver.Version; got {}",
            o.type_name()
        ));
    }
    let num = |name: &str| match o.field(name) {
        Some(Value::Uint64(n)) => n,
        _ => 0,
    };
    let text = |name: &str| {
        o.field(name)
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    Ok(Version {
        major: num("Major"),
        minor: num("Minor"),
        patch: num("Patch"),
        pre: text("Prerelease"),
        metadata: text("Metadata"),
        original: text("Original"),
    })
}

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        if self.pointer {
            "*semver.Version"
        } else {
            "semver.Version"
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.v;
        Some(match name {
            "Major" => Value::Uint64(v.major),
            "Minor" => Value::Uint64(v.minor),
            "Patch" => Value::Uint64(v.patch),
            "Prerelease" => Value::str(v.pre.as_str()),
            "Metadata" => Value::str(v.metadata.as_str()),
            "String" => Value::str(v.to_string()),
            "Original" if self.pointer => Value::str(v.original.as_str()),
            "IncMajor" => VersionObject::value(v.inc_major(), false),
            "IncMinor" => VersionObject::value(v.inc_minor(), false),
            "IncPatch" => VersionObject::value(v.inc_patch(), false),
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if args.is_empty()
            && let Some(v) = self.field(name)
        {
            return Some(Ok(v));
        }
        let one = || -> Result<Version, String> {
            match args {
                [a] => version_arg(a),
                _ => Err(format!(
                    "wrong number of args for {name}: want 1 got {}",
                    args.len()
                )),
            }
        };
        let cmp = |f: fn(Ordering) -> bool| one().map(|o| Value::Bool(f(self.v.compare(&o))));
        Some(match name {
            "SetPrerelease" | "SetMetadata" => {
                let [Value::String(s)] = args else {
                    return Some(Err("wrong type for value; expected string".into()));
                };
                let mut n = self.v.clone();
                let check = if name == "SetPrerelease" {
                    validate_prerelease
                } else {
                    validate_metadata
                };
                if !s.is_empty()
                    && let Err(e) = check(s)
                {
                    return Some(Err(e));
                }
                if name == "SetPrerelease" {
                    n.pre = s.to_string();
                } else {
                    n.metadata = s.to_string();
                }
                Ok(VersionObject::value(
                    n.with_original(self.v.v_prefix()),
                    false,
                ))
            }
            _ if !self.pointer => return None,
            "Compare" => one().map(|o| {
                Value::Int(match self.v.compare(&o) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                })
            }),
            "LessThan" => cmp(|o| o == Ordering::Less),
            "LessThanEqual" => cmp(|o| o != Ordering::Greater),
            "GreaterThan" => cmp(|o| o == Ordering::Greater),
            "GreaterThanEqual" => cmp(|o| o != Ordering::Less),
            "Equal" => cmp(|o| o == Ordering::Equal),
            _ => return None,
        })
    }

    fn method_params(&self, name: &str) -> Option<(&'static [Ty], Option<Ty>)> {
        match name {
            "SetPrerelease" | "SetMetadata" => Some((&[Ty::String], None)),
            "Compare" | "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual"
            | "Equal"
                if self.pointer =>
            {
                Some((&[Ty::Named("*semver.Version")], None))
            }
            _ => None,
        }
    }

    fn has_method(&self, name: &str) -> bool {
        VALUE_METHODS.contains(&name) || (self.pointer && POINTER_METHODS.contains(&name))
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.v.to_string())
    }

    fn go_format(&self) -> String {
        self.v.to_string()
    }
}

fn arg_str(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

fn semver(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(VersionObject::value(Version::parse(arg_str(a, 0))?, true))
}

fn semver_compare(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let c = Constraints::parse(arg_str(a, 0))?;
    let v = Version::parse(arg_str(a, 1))?;
    Ok(Value::Bool(c.check(&v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .unwrap()
            .check(&Version::parse(v).unwrap())
    }

    #[test]
    fn parsing() {
        let v = Version::parse("v1.2.3-rc.1+build.5").unwrap();
        assert_eq!((v.major, v.minor, v.patch), (1, 2, 3));
        assert_eq!((v.pre.as_str(), v.metadata.as_str()), ("rc.1", "build.5"));
        assert_eq!(v.to_string(), "1.2.3-rc.1+build.5");
        assert_eq!(Version::parse("01.2").unwrap().to_string(), "1.2.0");
        assert_eq!(
            Version::parse("1.2.3.4").unwrap_err(),
            "invalid semantic version"
        );
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err(),
            "version segment starts with 0"
        );
        assert_eq!(
            Version::parse("1.2.3-a..b").unwrap_err(),
            "invalid semantic version"
        );
        assert!(
            Version::parse("99999999999999999999999")
                .unwrap_err()
                .contains("value out of range")
        );
        assert_eq!(
            Version::parse("v1.2.3").unwrap().inc_major().original,
            "v2.0.0"
        );
        assert_eq!(
            Version::parse("1.2.3-a").unwrap().inc_patch().to_string(),
            "1.2.3"
        );
    }

    #[test]
    fn constraints() {
        assert!(sat(">=1.21-0", "v1.28.3+k3s1"));
        assert!(sat(">=1.21-0", "1.21.0-eks-123"));
        assert!(!sat(">=1.21", "1.21.0-eks-123"));
        assert!(!sat(">=1.21-0", "1.20.9"));
        assert!(sat("^1.2.3", "1.9.0"));
        assert!(!sat("^1.2.3", "2.0.0"));
        assert!(sat("^0.2.3", "0.2.9"));
        assert!(!sat("^0.2.3", "0.3.0"));
        assert!(sat("~1.2.3", "1.2.9"));
        assert!(!sat("~1.2.3", "1.3.0"));
        assert!(sat("1.2.x", "1.2.7"));
        assert!(sat("1.2 - 1.4", "1.4.9"));
        assert!(!sat("1.2 - 1.4", "1.5.0"));
        assert!(sat("<1.0 || >=2.0", "2.1.0"));
        assert!(sat(">= 1.2, < 3", "2.0.0"));
        assert!(sat("!=1.2.3", "1.2.4"));
        assert!(!sat("!=1.2.x", "1.2.4"));
        assert!(sat("*", "5.0.0"));
        assert!(sat("1.x x", "1.2.3"));
        assert!(!sat("~1.2.x", "1.2.3-alpha"));
        assert_eq!(
            Constraints::parse("foo").err().unwrap(),
            "improper constraint: foo"
        );
    }
}
