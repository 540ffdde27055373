//! Versions and version constraints with the semantics of Masterminds/semver v3, which Helm
//! uses for chart versions, dependency ranges and `kubeVersion`: loose versions (`1`, `1.2`,
//! `v1.2.3`), `x`/`*` wildcards, `~`, `^`, comparison operators, hyphen ranges, `,`/space for
//! AND and `||` for OR, and prereleases only matched by constraints that name one.

use regex::Regex;
use std::cmp::Ordering;
use std::sync::LazyLock;

/// A parsed version (Masterminds' `NewVersion`, which coerces `1.2` to `1.2.0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
}

static LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$",
    )
    .expect("valid regex")
});

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

static CONSTRAINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*({OPS})\s*({CV})\s*$")).expect("valid regex"));
static RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\s*({CV})\s+-\s+({CV})\s*")).expect("valid regex"));
static FIND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({OPS})\s*({CV})")).expect("valid regex"));
static VALID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
    ))
    .expect("valid regex")
});

impl Version {
    /// Parses a version the way Helm does (`semver.NewVersion`).
    pub fn parse(s: &str) -> Result<Version, String> {
        let m = LOOSE
            .captures(s)
            .ok_or_else(|| "invalid semantic version".to_string())?;
        let num = |i: usize| -> Result<u64, String> {
            match m.get(i) {
                None => Ok(0),
                Some(x) => x
                    .as_str()
                    .trim_start_matches('.')
                    .parse::<u64>()
                    .map_err(|e| format!("error parsing version segment: {e}")),
            }
        };
        let pre = m.get(5).map_or("", |x| x.as_str()).to_string();
        // A numeric prerelease part must not start with 0.
        for part in pre.split('.').filter(|p| !p.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Err("version segment starts with 0".into());
            }
        }
        Ok(Version {
            major: num(1)?,
            minor: num(2)?,
            patch: num(3)?,
            pre,
            metadata: m.get(8).map_or("", |x| x.as_str()).to_string(),
        })
    }

    fn cmp_version(&self, o: &Version) -> Ordering {
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
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => s.cmp(o),
    }
}

#[derive(Debug, Clone)]
struct Single {
    op: String,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// A parsed constraint: OR of ANDs.
#[derive(Debug, Clone)]
pub struct Constraint {
    groups: Vec<(Vec<Single>, bool)>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_single(c: &str) -> Result<Single, String> {
    let m = CONSTRAINT
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let (op, m3, m4, m5, m6) = (g(1), g(3), g(4), g(5), g(6));
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let ver = if is_x(m3) || m3.is_empty() {
        dirty = true;
        format!("0.0.0{m6}")
    } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
        dirty = true;
        minor_dirty = true;
        format!("{m3}.0.0{m6}")
    } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{m3}{m4}.0{m6}")
    } else {
        g(2).to_string()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Single {
        op: op.to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

impl Constraint {
    /// Parses a constraint (`semver.NewConstraint`).
    pub fn parse(c: &str) -> Result<Constraint, String> {
        let mut s = c.to_string();
        let ranges: Vec<(String, String, String)> = RANGE
            .captures_iter(c)
            .map(|m| {
                (
                    m[0].to_string(),
                    m[1].to_string(),
                    m.get(11).map_or("", |x| x.as_str()).to_string(),
                )
            })
            .collect();
        for (all, a, b) in ranges {
            s = s.replacen(&all, &format!(">= {a}, <= {b} "), 1);
        }
        let mut groups = Vec::new();
        for or in s.split("||") {
            if !VALID.is_match(or) {
                return Err(format!("improper constraint: {or}"));
            }
            let mut parts: Vec<String> = FIND.find_iter(or).map(|m| m.as_str().into()).collect();
            if parts.is_empty() {
                parts.push(or.to_string());
            }
            let mut singles = Vec::new();
            let mut has_pre = false;
            for p in parts {
                let sc = parse_single(&p)?;
                has_pre |= !sc.con.pre.is_empty();
                singles.push(sc);
            }
            groups.push((singles, has_pre));
        }
        Ok(Constraint { groups })
    }

    /// Whether `v` satisfies the constraint.
    pub fn matches(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .any(|(g, pre)| g.iter().all(|c| check(c, v, *pre)))
    }
}

fn check(c: &Single, v: &Version, include_pre: bool) -> bool {
    if !v.pre.is_empty() && !include_pre {
        return false;
    }
    let cmp = v.cmp_version(&c.con);
    let tilde = || {
        if cmp == Ordering::Less {
            return false;
        }
        if c.con.major == 0
            && c.con.minor == 0
            && c.con.patch == 0
            && !c.minor_dirty
            && !c.patch_dirty
        {
            return true;
        }
        if v.major != c.con.major {
            return false;
        }
        v.minor == c.con.minor || c.minor_dirty
    };
    match c.op.as_str() {
        "" | "=" => {
            if c.dirty {
                tilde()
            } else {
                cmp == Ordering::Equal
            }
        }
        "!=" => {
            if c.dirty {
                if c.con.major != v.major {
                    return true;
                }
                if c.con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if c.con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !c.con.pre.is_empty() {
                        return compare_prerelease(&v.pre, &c.con.pre) != Ordering::Equal;
                    }
                    return false;
                }
            }
            cmp != Ordering::Equal
        }
        ">" => {
            if !c.dirty {
                return cmp == Ordering::Greater;
            }
            if v.major > c.con.major {
                true
            } else if v.major < c.con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > c.con.minor
            } else {
                cmp == Ordering::Greater
            }
        }
        "<" => cmp == Ordering::Less,
        ">=" | "=>" => cmp != Ordering::Less,
        "<=" | "=<" => {
            if !c.dirty {
                return cmp != Ordering::Greater;
            }
            if v.major > c.con.major {
                false
            } else {
                !(v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty)
            }
        }
        "~" | "~>" => tilde(),
        "^" => {
            if cmp == Ordering::Less {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if v.minor > 0 {
                return false;
            }
            c.con.patch == v.patch
        }
        _ => false,
    }
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraint::parse(constraint)) {
        (Ok(v), Ok(c)) => c.matches(&v),
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
