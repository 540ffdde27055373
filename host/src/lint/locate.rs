//! Where a finding came from: the line of the rendered object its JSON path names, the
//! template line that produced that line, and the values path that template line reads.
//!
//! The engine does not keep a map from output to source, so this reads the texts: the
//! rendered document is walked by indentation to the path's line (templates render block
//! YAML), and the template line is the one that writes the same key, counted in the same
//! order. A path it cannot follow gives the deepest line it reached; a key the template
//! does not write literally (built by `toYaml`, say) gives no template line.

use std::collections::HashMap;

use crate::check::Finding;
use crate::render::{Manifest, Position};

/// Fills in `source` and `values_path` of each finding about an object, from the
/// templates' source texts by chart-qualified name.
pub fn locate(findings: &mut [Finding], manifests: &[Manifest], sources: &HashMap<String, String>) {
    for f in findings {
        let (Some(m), Some(path)) = (f.manifest.and_then(|i| manifests.get(i)), &f.path) else {
            continue;
        };
        let Some(line) = line_of(&m.text, path) else {
            continue;
        };
        let Some(source) = sources.get(&m.template) else {
            continue;
        };
        if let Some((n, text)) = source_line(&m.text, line, source) {
            f.source = Some(Position {
                file: m.template.clone(),
                line: n as u32 + 1,
                column: 1 + (text.len() - text.trim_start().len()) as u32,
            });
            f.values_path = values_path(text);
        }
    }
}

/// A JSON path's segments: `a.b[2].c` → `a`, `b`, `[2]`, `c`.
#[derive(Debug, PartialEq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                out.push(Segment::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key a YAML line sets (`  - name: web` → `name`), if any.
fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    if t.starts_with('#') {
        return None;
    }
    let (key, _) = t.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.contains(' ') || key.contains('/')).then_some(key)
}

/// The 0-based line of `text` that `path` names, or the deepest one found on the way
/// (the parent of a field that is missing); `None` when not even the first key is there.
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    // The block being searched: lines [start, end) deeper than `parent`.
    let (mut start, mut end, mut parent) = (0usize, lines.len(), -1isize);
    let mut found = None;
    let mut list_item_indent: Option<usize> = None;
    for seg in segments(path) {
        match seg {
            Segment::Key(key) => {
                let mut hit = None;
                let mut level = None;
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    if line.trim().is_empty() || line.trim_start().starts_with('#') {
                        continue;
                    }
                    let ind = indent(line);
                    // Inside a list item, its first key sits after the dash.
                    let ind =
                        if line.trim_start().starts_with("- ") && list_item_indent == Some(ind) {
                            ind + 2
                        } else {
                            ind
                        };
                    if (ind as isize) <= parent {
                        break;
                    }
                    let lvl = *level.get_or_insert(ind);
                    if ind == lvl && key_of(line) == Some(key) {
                        hit = Some((i, ind));
                        break;
                    }
                }
                let Some((i, ind)) = hit else {
                    return found;
                };
                found = Some(i);
                list_item_indent = None;
                parent = ind as isize;
                start = i + 1;
                end = block_end(&lines, start, ind);
            }
            Segment::Index(n) => {
                let mut count = 0;
                let mut hit = None;
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    let t = line.trim_start();
                    if t.starts_with("- ") || t == "-" {
                        if count == n {
                            hit = Some((i, indent(line)));
                            break;
                        }
                        count += 1;
                    }
                    if !t.is_empty() && (indent(line) as isize) <= parent && !t.starts_with("- ") {
                        break;
                    }
                }
                let Some((i, ind)) = hit else {
                    return found;
                };
                found = Some(i);
                list_item_indent = Some(ind);
                parent = ind as isize - 1;
                start = i;
                end = item_end(&lines, i + 1, ind);
            }
        }
    }
    found
}

/// The end of the block that starts at `from`, under a line indented `ind`.
fn block_end(lines: &[&str], from: usize, ind: usize) -> usize {
    let mut i = from;
    while i < lines.len() {
        let l = lines[i];
        if !l.trim().is_empty()
            && indent(l) <= ind
            && !(indent(l) == ind && l.trim_start().starts_with("- "))
        {
            break;
        }
        i += 1;
    }
    i
}

/// The end of the list item whose dash is at `ind`, its first line just before `from`.
fn item_end(lines: &[&str], from: usize, ind: usize) -> usize {
    let mut i = from;
    while i < lines.len() {
        let l = lines[i];
        if !l.trim().is_empty() && indent(l) <= ind {
            break;
        }
        i += 1;
    }
    i
}

/// The template line that wrote line `line` of `rendered`: the same key, as many times
/// before it in the template as in the output. Returns its index and text.
fn source_line<'s>(rendered: &str, line: usize, source: &'s str) -> Option<(usize, &'s str)> {
    let target = rendered.lines().nth(line)?;
    let key = key_of(target)?;
    let nth = rendered
        .lines()
        .take(line)
        .filter(|l| key_of(l) == Some(key))
        .count();
    let candidates: Vec<(usize, &str)> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| key_of(l) == Some(key))
        .collect();
    candidates.get(nth).or_else(|| candidates.last()).copied()
}

/// The first `.Values.a.b` a template line reads, as `a.b`.
fn values_path(line: &str) -> Option<String> {
    let at = line.find(".Values.")? + ".Values.".len();
    let path: String = line[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '-')
        .collect();
    let path = path.trim_end_matches('.');
    (!path.is_empty()).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: side
          image: busybox
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
";

    #[test]
    fn follows_keys_and_list_items_to_their_line() {
        assert_eq!(line_of(DOC, "metadata.name"), Some(3));
        assert_eq!(line_of(DOC, "spec.template.spec.containers[0]"), Some(8));
        assert_eq!(
            line_of(DOC, "spec.template.spec.containers[1].image"),
            Some(11)
        );
        assert_eq!(
            line_of(
                DOC,
                "spec.template.spec.containers[1].securityContext.privileged"
            ),
            Some(13)
        );
        assert_eq!(
            line_of(DOC, "spec.template.spec.containers[0].name"),
            Some(8)
        );
        // A path that goes further than the text: the deepest line found.
        assert_eq!(line_of(DOC, "spec.nothing"), Some(4));
        assert_eq!(line_of(DOC, "nothing"), None);
    }

    #[test]
    fn finds_the_template_line_and_the_values_it_reads() {
        let source = "kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: side
          image: busybox
        - name: web
          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"
";
        let (n, text) = source_line(DOC, 11, source).unwrap();
        assert_eq!(n, 8);
        assert_eq!(values_path(text).as_deref(), Some("image.repository"));
        assert_eq!(values_path("name: web"), None);
    }
}
