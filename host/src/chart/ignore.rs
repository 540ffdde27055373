//! `.helmignore`: Helm's ignore rules (a subset of .gitignore: no `**`, patterns matched with
//! Go's `filepath.Match`, `!` negation, trailing `/` for directories, leading `/` anchoring),
//! including Helm's quirks (rules are evaluated in order and the first match decides; a negated
//! rule that does not match ignores the path).

/// The name of the ignore file at a chart's root.
pub const HELMIGNORE: &str = ".helmignore";

#[derive(Debug, Clone)]
enum Kind {
    /// Leading `/` or a `/` inside: matched against the whole relative path.
    Path,
    /// No slash: matched against the last path element only.
    Base,
}

#[derive(Debug, Clone)]
struct Pattern {
    pattern: String,
    kind: Kind,
    negate: bool,
    must_dir: bool,
}

/// A parsed ignore file.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

/// A malformed rule, with its line number (1-based).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RuleError {
    pub line: usize,
    pub message: String,
}

impl Rules {
    /// Parses the contents of a `.helmignore` file.
    pub fn parse(text: &str) -> Result<Rules, RuleError> {
        let mut r = Rules::default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, line) in text.lines().enumerate() {
            r.add(line).map_err(|message| RuleError {
                line: i + 1,
                message,
            })?;
        }
        Ok(r)
    }

    /// Adds Helm's default rule: dotfiles directly under `templates/` are ignored.
    pub fn add_defaults(&mut self) {
        let _ = self.add("templates/.?*");
    }

    fn add(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        if go_match(rule, "abc").is_err() {
            return Err("syntax error in pattern".into());
        }
        let mut rule = rule;
        let negate = if let Some(r) = rule.strip_prefix('!') {
            rule = r;
            true
        } else {
            false
        };
        let must_dir = if let Some(r) = rule.strip_suffix('/') {
            rule = r;
            true
        } else {
            false
        };
        let (pattern, kind) = if let Some(r) = rule.strip_prefix('/') {
            (r, Kind::Path)
        } else if rule.contains('/') {
            (rule, Kind::Path)
        } else {
            (rule, Kind::Base)
        };
        self.patterns.push(Pattern {
            pattern: pattern.to_string(),
            kind,
            negate,
            must_dir,
        });
        Ok(())
    }

    /// Whether the chart-relative, slash-separated `path` is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let target = match p.kind {
                Kind::Path => path,
                Kind::Base => go_base(path),
            };
            let matched = go_match(&p.pattern, target).unwrap_or(false);
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matched {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matched {
                return true;
            }
        }
        false
    }
}

fn go_base(s: &str) -> &str {
    let t = s.trim_end_matches('/');
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// A malformed `filepath.Match` pattern (Go's `ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("syntax error in pattern")]
pub struct BadPattern;

/// Go's `filepath.Match` on Unix: `*` (no `/`), `?`, `[...]` classes with `^` and ranges, `\`
/// escapes.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern;
    let mut name = name;
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains('/'));
        }
        let (t, ok, err) = match_chunk(chunk, name);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if err {
            return Err(BadPattern);
        }
        if star {
            let bytes = name.as_bytes();
            let mut i = 0;
            while i < bytes.len() && bytes[i] != b'/' {
                // Skip whole characters.
                let step = name[i..].chars().next().map_or(1, char::len_utf8);
                let (t, ok, err) = match_chunk(chunk, &name[i + step..]);
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += step;
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                if err {
                    return Err(BadPattern);
                }
                i += step;
            }
        }
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            if match_chunk(chunk, "").2 {
                return Err(BadPattern);
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(mut pattern: &str) -> (bool, &str, &str) {
    let mut star = false;
    while let Some(r) = pattern.strip_prefix('*') {
        pattern = r;
        star = true;
    }
    let bytes = pattern.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Returns (rest of name, matched, pattern error).
fn match_chunk<'a>(chunk: &str, s: &'a str) -> (&'a str, bool, bool) {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        let c0 = chunk.as_bytes()[0];
        match c0 {
            b'[' => {
                let mut r = '\0';
                if !failed && let Some(ch) = s.chars().next() {
                    r = ch;
                    s = &s[ch.len_utf8()..];
                }
                chunk = &chunk[1..];
                let negated = if let Some(rest) = chunk.strip_prefix('^') {
                    chunk = rest;
                    true
                } else {
                    false
                };
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if !chunk.is_empty() && chunk.as_bytes()[0] == b']' && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some((lo, rest)) = get_esc(chunk) else {
                        return ("", false, true);
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if let Some(rest) = chunk.strip_prefix('-') {
                        let Some((h, rest)) = get_esc(rest) else {
                            return ("", false, true);
                        };
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    match s.chars().next() {
                        Some('/') | None => failed = true,
                        Some(ch) => s = &s[ch.len_utf8()..],
                    }
                }
                chunk = &chunk[1..];
            }
            first => {
                // A literal character, or the one a backslash escapes.
                if first == b'\\' {
                    chunk = &chunk[1..];
                }
                let Some(c) = chunk.chars().next() else {
                    return ("", false, true);
                };
                if !failed {
                    if s.starts_with(c) {
                        s = &s[c.len_utf8()..];
                    } else {
                        failed = true;
                    }
                }
                chunk = &chunk[c.len_utf8()..];
            }
        }
    }
    if failed {
        return ("", false, false);
    }
    (s, true, false)
}

fn get_esc(chunk: &str) -> Option<(char, &str)> {
    let mut chunk = chunk;
    let first = chunk.chars().next()?;
    if first == '-' || first == ']' {
        return None;
    }
    if first == '\\' {
        chunk = &chunk[1..];
    }
    let c = chunk.chars().next()?;
    let rest = &chunk[c.len_utf8()..];
    if rest.is_empty() {
        return None;
    }
    Some((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_table() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abe", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a?b", "a/b", Ok(false)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
            ("templates/.?*", "templates/.git", Ok(true)),
            ("templates/.?*", "templates/a", Ok(false)),
        ];
        for (p, n, want) in cases {
            assert_eq!(go_match(p, n), *want, "{p} vs {n}");
        }
    }

    #[test]
    fn rules() {
        let mut r = Rules::parse("# c\n.git/\n*.tmp\n/secret.txt\ndocs/*.md\n").unwrap();
        r.add_defaults();
        assert!(r.ignore(".git", true));
        assert!(!r.ignore(".git", false));
        assert!(r.ignore("templates/x.tmp", false));
        assert!(r.ignore("secret.txt", false));
        assert!(!r.ignore("sub/secret.txt", false));
        assert!(r.ignore("docs/a.md", false));
        assert!(!r.ignore("docs/x/a.md", false));
        assert!(r.ignore("templates/.hidden", false));
        assert!(!r.ignore("charts/s/templates/.hidden", false));
        assert!(!r.ignore("values.yaml", false));
        assert!(Rules::parse("a/**/b").is_err());
        // Helm's quirk: a negated rule that does not match ignores the path.
        let r = Rules::parse("!keep.txt").unwrap();
        assert!(r.ignore("other.txt", false));
        assert!(!r.ignore("keep.txt", false));
    }
}
