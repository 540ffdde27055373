//! Splitting a rendered template into YAML documents, the way Helm's `SplitManifests` does.
//!
//! Helm trims the text, then splits it on the regular expression `(?:^|\s*\n)---\s*` (Go's
//! `\s` is ASCII `[\t\n\f\r ]`), drops empty pieces and trims every kept piece. Consequences
//! worth knowing, all reproduced here:
//! - `---` only separates when it starts the text or follows a newline; it need not end
//!   the line (`--- # c` keeps `# c` in the next document, `---apiVersion: v1` splits too);
//! - the whitespace eaten after a separator can swallow the newline that a following
//!   `---` needed, so in `a\n---\n\n---\nb` the second document is `---\nb`;
//! - whitespace-only documents vanish, comment-only documents are kept.

/// The ASCII whitespace of Go's regexp `\s`.
fn is_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Byte ranges `[start, end)` of every separator match in `s`, leftmost first.
fn separators(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let start;
        let mut end;
        if pos == 0 && b.starts_with(b"---") {
            start = 0;
            end = 3;
        } else {
            // The leftmost match belongs to the first "\n---" at or after `pos`: it starts
            // where the whitespace run ending at that newline starts (but not before `pos`).
            let Some(rel) = s[pos..].find("\n---") else {
                break;
            };
            let nl = pos + rel;
            let mut st = nl;
            while st > pos && is_re_space(b[st - 1]) {
                st -= 1;
            }
            start = st;
            end = nl + 4;
        }
        while end < b.len() && is_re_space(b[end]) {
            end += 1;
        }
        out.push((start, end));
        pos = end;
        if pos >= b.len() {
            break;
        }
    }
    out
}

/// Split one rendered file into its trimmed, non-empty documents, in file order.
pub fn split_manifests(text: &str) -> Vec<&str> {
    let s = text.trim();
    let mut docs = Vec::new();
    let mut beg = 0;
    for (start, end) in separators(s) {
        docs.push(&s[beg..start]);
        beg = end;
    }
    docs.push(&s[beg..]);
    docs.into_iter()
        .filter(|d| !d.is_empty())
        .map(str::trim)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same split through the regex crate, as a reference.
    fn reference(re: &regex::Regex, text: &str) -> Vec<String> {
        let s = text.trim();
        let mut out = Vec::new();
        let mut beg = 0;
        for m in re.find_iter(s) {
            out.push(&s[beg..m.start()]);
            beg = m.end();
        }
        out.push(&s[beg..]);
        out.into_iter()
            .filter(|d| !d.is_empty())
            .map(|d| d.trim().to_string())
            .collect()
    }

    #[test]
    fn examples() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
        assert_eq!(split_manifests("---\na: 1\n---\n"), ["a: 1"]);
        assert_eq!(split_manifests("a\n---\n   \n---\nb"), ["a", "---\nb"]);
        assert_eq!(split_manifests("--- # c\na: 1"), ["# c\na: 1"]);
        assert_eq!(split_manifests("a: 1\r\n---\r\nb: 2\r\n"), ["a: 1", "b: 2"]);
        assert_eq!(split_manifests("a: |\n  ---\n  x"), ["a: |\n  ---\n  x"]);
        assert_eq!(split_manifests("a\n----\nb"), ["a", "-\nb"]);
        assert!(split_manifests(" \n\t").is_empty());
        assert!(split_manifests("---").is_empty());
    }

    #[test]
    fn matches_the_regex_on_generated_inputs() {
        let pieces = [
            "a", "-", "---", "\n", " ", "\r", "\t", "x: 1", "#", "\u{a0}",
        ];
        let re = regex::Regex::new(r"(?:^|[\t\n\x0c\r ]*\n)---[\t\n\x0c\r ]*").unwrap();
        // Every string of up to 5 pieces drawn from `pieces`.
        let mut stack = vec![(String::new(), 0)];
        let mut count = 0;
        while let Some((s, depth)) = stack.pop() {
            let got: Vec<String> = split_manifests(&s).into_iter().map(String::from).collect();
            assert_eq!(got, reference(&re, &s), "input {s:?}");
            count += 1;
            if depth < 5 {
                for p in pieces {
                    stack.push((format!("{s}{p}"), depth + 1));
                }
            }
        }
        assert!(count > 100_000);
    }
}
