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
        if rudder_gocompat::path::matches(rule, "abc").is_err() {
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
            let matched = rudder_gocompat::path::matches(&p.pattern, target).unwrap_or(false);
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

#[cfg(test)]
mod tests {
    use super::*;

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
