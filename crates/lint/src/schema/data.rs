//! The shipped schema data: a pool of definitions shared by every version and one index per
//! version (see the module docs of [`super`] for the format).

use crate::model::KubeVersion;

/// Every distinct definition, one compact JSON document per line.
static POOL: &str = include_str!("../../schemas/defs.jsonl");

/// `(major, minor, index)` for each shipped version, oldest first.
static VERSIONS: &[(u32, u32, &str)] = include!("../../schemas/versions.rs");

/// The shipped versions, oldest first.
pub fn versions() -> Vec<KubeVersion> {
    VERSIONS
        .iter()
        .map(|&(major, minor, _)| KubeVersion { major, minor })
        .collect()
}

/// The shipped version used for `target`: the newest one not above it, or the oldest.
pub fn resolve(target: KubeVersion) -> Option<KubeVersion> {
    let all = versions();
    all.iter()
        .rev()
        .find(|v| **v <= target)
        .or_else(|| all.first())
        .copied()
}

/// One version's index: its text, sorted line by line, searched without being parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Index {
    text: &'static str,
}

impl Index {
    /// The index of shipped version `version` (an empty one when it is not shipped).
    pub fn load(version: KubeVersion) -> Index {
        let text = VERSIONS
            .iter()
            .find(|&&(major, minor, _)| major == version.major && minor == version.minor)
            .map_or("", |&(_, _, text)| text);
        Index { text }
    }

    /// The rest of the line that starts with `key` (which ends with a space).
    fn find(&self, key: &str) -> Option<&'static str> {
        let text = self.text;
        let bytes = text.as_bytes();
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = bytes[..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let end = bytes[mid..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| mid + i);
            let line = text.get(start..end)?;
            if let Some(rest) = line.strip_prefix(key) {
                return Some(rest);
            }
            if line < key {
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        None
    }

    /// The definition that describes objects of `api_version`/`kind`.
    pub fn kind(&self, api_version: &str, kind: &str) -> Option<&'static str> {
        if api_version.contains(' ') || kind.contains(' ') {
            return None;
        }
        self.find(&format!("k {api_version} {kind} "))
    }

    /// The compact JSON text of definition `name`.
    pub fn definition(&self, name: &str) -> Option<&'static str> {
        if name.contains(' ') {
            return None;
        }
        let offset: usize = self.find(&format!("d {name} "))?.parse().ok()?;
        let rest = POOL.get(offset..)?;
        Some(rest.split('\n').next().unwrap_or(rest))
    }
}
