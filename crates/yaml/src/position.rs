//! Where a node of a document stands in its text, for messages that name a line: a field
//! of a releases file, an object of a rendered manifest.

use yaml_rust2::parser::{Event, Parser};

/// One step of a path into a document: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Where a container being read stands: in a map, the key whose value comes next (`None`
/// while a key is expected); in a list, the index of the next item.
enum Frame {
    Map(Option<String>),
    Seq(usize),
}

/// The line and column (both from 1) where the node at `path` starts in the first document
/// of `src`; for a map entry, where its key starts. `None` when the text does not parse,
/// has no such node, or reaches it through a key that is not a scalar.
pub fn position(src: &str, path: &[Step]) -> Option<(usize, usize)> {
    find(src, path, false).map(|(at, _)| at)
}

/// The text of the scalar at `path`, as written (`y` stays `y`, `1.10` stays `1.10`): what
/// Go's YAML decoder puts into a string field. `None` when there is no scalar there.
pub fn scalar_text(src: &str, path: &[Step]) -> Option<String> {
    find(src, path, true).and_then(|(_, text)| text)
}

/// The node at `path`: where it (or, unless `value`, its key) starts, and its text if it is a
/// scalar.
fn find(src: &str, path: &[Step], value: bool) -> Option<((usize, usize), Option<String>)> {
    let mut parser = Parser::new_from_str(src);
    let mut frames: Vec<Frame> = Vec::new();
    // The steps to the container on top of `frames` (none for the document's root).
    let mut at_path: Vec<Step> = Vec::new();
    // A map at the path: where yaml-rust2 marks it, and that mark's byte index.
    let mut found_map: Option<((usize, usize), usize)> = None;
    loop {
        let (ev, mark) = parser.next_token().ok()?;
        let here = (mark.line(), mark.col() + 1);
        // yaml-rust2 marks a block mapping where it sees its first `:`: a map found at the
        // path starts where its first key does, if that comes earlier.
        if let Some((at, index)) = found_map.take() {
            return Some(if mark.index() < index {
                (here, None)
            } else {
                (at, None)
            });
        }
        let container = match ev {
            Event::StreamEnd | Event::DocumentEnd => return None,
            Event::SequenceEnd | Event::MappingEnd => {
                frames.pop();
                at_path.pop();
                finish_value(&mut frames);
                continue;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => true,
            Event::Scalar(..) | Event::Alias(_) => false,
            _ => continue,
        };
        let step = match frames.last_mut() {
            None if path.is_empty() => {
                if matches!(ev, Event::MappingStart(..)) {
                    found_map = Some((here, mark.index()));
                    continue;
                }
                return Some((here, scalar_of(&ev)));
            }
            None => None,
            Some(Frame::Map(key @ None)) => {
                let Event::Scalar(k, ..) = ev else {
                    return None;
                };
                if !value
                    && at_path.len() + 1 == path.len()
                    && path.starts_with(&at_path)
                    && path.last() == Some(&Step::Key(k.clone()))
                {
                    return Some((here, None));
                }
                *key = Some(k);
                continue;
            }
            Some(Frame::Map(Some(k))) => Some(Step::Key(k.clone())),
            Some(Frame::Seq(i)) => Some(Step::Index(*i)),
        };
        if let Some(last) = &step
            && (value || matches!(last, Step::Index(_)))
            && at_path.len() + 1 == path.len()
            && path.starts_with(&at_path)
            && path.last() == Some(last)
        {
            if matches!(ev, Event::MappingStart(..)) {
                found_map = Some((here, mark.index()));
                continue;
            }
            return Some((here, scalar_of(&ev)));
        }
        if container {
            at_path.extend(step);
            frames.push(if matches!(ev, Event::MappingStart(..)) {
                Frame::Map(None)
            } else {
                Frame::Seq(0)
            });
        } else {
            finish_value(&mut frames);
        }
    }
}

fn scalar_of(ev: &Event) -> Option<String> {
    match ev {
        Event::Scalar(text, ..) => Some(text.clone()),
        _ => None,
    }
}

/// A value of the container on top has been read.
fn finish_value(frames: &mut [Frame]) {
    match frames.last_mut() {
        Some(Frame::Map(key)) => *key = None,
        Some(Frame::Seq(i)) => *i += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Step {
        Step::Key(k.to_string())
    }

    #[test]
    fn finds_keys_items_and_the_root() {
        let src = "releases:\n  - name: a\n    chart: c\n  - name: b\n    tags: [x, {y: 1}]\n    valuse: [v]\n";
        assert_eq!(position(src, &[]), Some((1, 1)));
        assert_eq!(position(src, &[key("releases")]), Some((1, 1)));
        assert_eq!(
            position(src, &[key("releases"), Step::Index(1)]),
            Some((4, 5))
        );
        let valuse = [key("releases"), Step::Index(1), key("valuse")];
        assert_eq!(position(src, &valuse), Some((6, 5)));
        let y = [
            key("releases"),
            Step::Index(1),
            key("tags"),
            Step::Index(1),
            key("y"),
        ];
        assert_eq!(position(src, &y), Some((5, 16)));
        assert_eq!(position(src, &[key("nope")]), None);
        assert_eq!(position("a: [", &[key("a")]), Some((1, 1)));
        assert_eq!(position("a: [", &[key("b")]), None);
    }

    #[test]
    fn scalars_as_written() {
        let src = "a:\n  b: y\n  c: [1.10, 'x', {d: on}]\n";
        assert_eq!(
            scalar_text(src, &[key("a"), key("b")]).as_deref(),
            Some("y")
        );
        let c = |i| [key("a"), key("c"), Step::Index(i)];
        assert_eq!(scalar_text(src, &c(0)).as_deref(), Some("1.10"));
        assert_eq!(scalar_text(src, &c(1)).as_deref(), Some("x"));
        assert_eq!(scalar_text(src, &c(2)), None);
        let d = [key("a"), key("c"), Step::Index(2), key("d")];
        assert_eq!(scalar_text(src, &d).as_deref(), Some("on"));
        assert_eq!(scalar_text(src, &[key("a")]), None);
    }
}
