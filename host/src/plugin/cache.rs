//! The compiled-code cache: Cranelift's output for a component, kept on disk so a warm start
//! only maps it back in.
//!
//! An entry is two files named by its key, sha256("rudder-cache-v1" ‖ sha256(wasm) ‖ the
//! engine's compatibility hash), so a new wasmtime or a different engine configuration
//! never reads an old entry:
//! - `KEY.cwasm`: exactly what `Component::serialize` wrote, loaded with
//!   `Component::deserialize_file` (memory-mapped);
//! - `KEY.sum`: `MAGIC ‖ key ‖ blake3(cwasm) ‖ len(cwasm) as u64 LE ‖ stamp`.
//!
//! Deserializing trusts its input, so an entry is checked before use: the sum file must name
//! the same key, the payload must have its length and hash and look like a precompiled
//! component. Anything else (truncated, corrupted, foreign or half-written) is compiled
//! again and rewritten. Files are written to a temporary name and renamed into place.
//!
//! Reading and hashing ~10 MB of code took most of a warm start, so the hash is checked
//! once and then remembered: the stamp is the code file's device, inode, size and change
//! time (ctime, which no user call can set back) as seen by that check. While the file
//! still has that stamp it has not been written since, and the hash is not read again. A
//! stamp is only recorded for a file whose change time is a few seconds old, so a write in
//! the same clock tick as the check cannot hide behind it. What this does not catch is
//! storage that changes a file's bytes without the kernel knowing (bit rot), which the
//! file system's own checks are for.
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use wasmtime::component::Component;
use wasmtime::{Engine, Precompiled};

const MAGIC: &[u8; 8] = b"RDRSUM03";
const STAMP_LEN: usize = 32;
const SUM_LEN: usize = 8 + 32 + 32 + 8 + STAMP_LEN;
/// How old a code file's change time must be before its stamp may stand in for its hash.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// Where the cache lives by default: `$RUDDER_CACHE_DIR`, else `$XDG_CACHE_HOME/rudder`, else
/// `~/.cache/rudder`; none when no home is known.
pub fn default_cache_dir() -> Option<PathBuf> {
    let nonempty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = nonempty("RUDDER_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = nonempty("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("rudder"));
    }
    nonempty("HOME").map(|home| PathBuf::from(home).join(".cache").join("rudder"))
}

/// What happened when a component was loaded (for `--debug` output and tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheOutcome {
    /// The code compiled at build time and embedded in the binary (built-in plugins).
    Embedded,
    /// A valid entry was mapped in.
    Hit,
    /// No entry: compiled and stored.
    Miss,
    /// An entry was there but failed its checks: compiled and replaced.
    Rebuilt,
    /// No cache folder (or it can't be written): compiled in memory only.
    Disabled,
}

/// Feeds `Hash` output into sha256, to turn the engine's compatibility hash into bytes.
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn finish(&self) -> u64 {
        0
    }
}

pub(crate) struct Cache {
    dir: Option<PathBuf>,
}

impl Cache {
    pub(crate) fn new(dir: Option<PathBuf>) -> Self {
        Cache {
            dir: dir.map(|d| d.join("components")),
        }
    }

    /// The entry's key for a component whose wasm hashes to `wasm_sha`.
    pub(crate) fn key(engine: &Engine, wasm_sha: &[u8; 32]) -> [u8; 32] {
        let mut h = ShaHasher(Sha256::new());
        h.write(b"rudder-cache-v1");
        h.write(wasm_sha);
        engine.precompile_compatibility_hash().hash(&mut h);
        h.0.finalize().into()
    }

    /// The entry's files, when caching is on.
    pub(crate) fn paths(&self, key: &[u8; 32]) -> Option<(PathBuf, PathBuf)> {
        let dir = self.dir.as_ref()?;
        let name = hex::encode(key);
        Some((
            dir.join(format!("{name}.cwasm")),
            dir.join(format!("{name}.sum")),
        ))
    }

    /// Loads the compiled component for `wasm`, from the cache when a valid entry exists.
    pub(crate) fn load(
        &self,
        engine: &Engine,
        wasm: &[u8],
        wasm_sha: &[u8; 32],
    ) -> wasmtime::Result<(Component, CacheOutcome)> {
        let key = Self::key(engine, wasm_sha);
        let Some((code_path, sum_path)) = self.paths(&key) else {
            return Ok((Component::new(engine, wasm)?, CacheOutcome::Disabled));
        };
        let existed = code_path.exists() || sum_path.exists();
        if existed && verify(&key, &code_path, &sum_path).is_some() {
            // SAFETY: the file was written by `store` below for this exact key and engine
            // compatibility hash, and its length and blake3 hash were checked just now against
            // the sum written with it, so it is wasmtime's own serialized output.
            if let Ok(component) = unsafe { Component::deserialize_file(engine, &code_path) } {
                return Ok((component, CacheOutcome::Hit));
            }
        }
        let component = Component::new(engine, wasm)?;
        let stored = component
            .serialize()
            .map_err(|e| io::Error::other(e.to_string()))
            .and_then(|bytes| store(&key, &bytes, &code_path, &sum_path));
        let outcome = match (stored, existed) {
            (Err(_), _) => CacheOutcome::Disabled,
            (Ok(()), false) => CacheOutcome::Miss,
            (Ok(()), true) => CacheOutcome::Rebuilt,
        };
        Ok((component, outcome))
    }
}

/// How an entry was found good.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verified {
    /// Its code file still has the stamp recorded when its hash was last checked.
    Stamp,
    /// Its code was read and hashed (and the stamp recorded, when the file has settled).
    Hash,
}

/// Checks an entry; `None` when it must be rebuilt.
fn verify(key: &[u8; 32], code_path: &Path, sum_path: &Path) -> Option<Verified> {
    let sum = std::fs::read(sum_path).ok()?;
    if sum.len() != SUM_LEN || &sum[..8] != MAGIC || sum[8..40] != key[..] {
        return None;
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&sum[72..80]);
    let len = u64::from_le_bytes(len);
    let meta = std::fs::metadata(code_path).ok()?;
    if meta.len() != len {
        return None;
    }
    let current = stamp(&meta);
    if current.is_some_and(|s| s[..] == sum[80..]) {
        return Some(Verified::Stamp);
    }
    let code = std::fs::read(code_path).ok()?;
    let digest: [u8; 32] = blake3::hash(&code).into();
    if code.len() as u64 != len
        || digest[..] != sum[40..72]
        || Engine::detect_precompiled(&code) != Some(Precompiled::Component)
    {
        return None;
    }
    if let Some(current) = current.filter(|_| settled(&meta)) {
        // Best effort: without the stamp the next start checks the hash again.
        let mut updated = sum;
        updated[80..].copy_from_slice(&current);
        let _ = write_atomic(sum_path, &updated);
    }
    Some(Verified::Hash)
}

/// The code file's identity and last change: device, inode, ctime seconds and nanoseconds.
#[cfg(unix)]
fn stamp(meta: &std::fs::Metadata) -> Option<[u8; STAMP_LEN]> {
    use std::os::unix::fs::MetadataExt;
    let mut out = [0u8; STAMP_LEN];
    out[..8].copy_from_slice(&meta.dev().to_le_bytes());
    out[8..16].copy_from_slice(&meta.ino().to_le_bytes());
    out[16..24].copy_from_slice(&meta.ctime().to_le_bytes());
    out[24..].copy_from_slice(&meta.ctime_nsec().to_le_bytes());
    Some(out)
}

/// Elsewhere there is no change time that users cannot set: always check the hash.
#[cfg(not(unix))]
fn stamp(_: &std::fs::Metadata) -> Option<[u8; STAMP_LEN]> {
    None
}

/// Whether the file last changed at least [`SETTLE`] ago.
#[cfg(unix)]
fn settled(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    u64::try_from(meta.ctime()).is_ok_and(|c| c.saturating_add(SETTLE.as_secs()) <= now)
}

#[cfg(not(unix))]
fn settled(_: &std::fs::Metadata) -> bool {
    false
}

fn store(key: &[u8; 32], code: &[u8], code_path: &Path, sum_path: &Path) -> io::Result<()> {
    let dir = code_path
        .parent()
        .ok_or_else(|| io::Error::other("cache path has no folder"))?;
    std::fs::create_dir_all(dir)?;
    let mut sum = Vec::with_capacity(SUM_LEN);
    sum.extend_from_slice(MAGIC);
    sum.extend_from_slice(key);
    sum.extend_from_slice(blake3::hash(code).as_bytes());
    sum.extend_from_slice(&(code.len() as u64).to_le_bytes());
    // No stamp yet: the first check reads the hash, and records the stamp once the file
    // has settled.
    sum.extend_from_slice(&[0u8; STAMP_LEN]);
    // The sum goes last: a reader that sees a new sum also sees the code it describes (and
    // one that sees an old sum with new code rejects the pair and rebuilds).
    write_atomic(code_path, code)?;
    write_atomic(sum_path, &sum)
}

fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}-{nanos}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let result = std::fs::write(&tmp, data).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        let mut config = wasmtime::Config::new();
        config.wasm_component_model(true);
        Engine::new(&config).expect("engine")
    }

    /// The smallest component: `(component)`.
    const EMPTY_COMPONENT: &[u8] = b"\0asm\x0d\0\x01\0";

    fn outcome(cache: &Cache, engine: &Engine) -> CacheOutcome {
        let sha: [u8; 32] = Sha256::digest(EMPTY_COMPONENT).into();
        cache.load(engine, EMPTY_COMPONENT, &sha).expect("load").1
    }

    fn code_and_sum(cache: &Cache, engine: &Engine) -> (PathBuf, PathBuf) {
        let sha: [u8; 32] = Sha256::digest(EMPTY_COMPONENT).into();
        cache.paths(&Cache::key(engine, &sha)).expect("paths")
    }

    #[test]
    fn miss_then_hit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let engine = engine();
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Miss);
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Hit);
    }

    #[test]
    fn disabled_without_a_folder() {
        assert_eq!(
            outcome(&Cache::new(None), &engine()),
            CacheOutcome::Disabled
        );
    }

    #[test]
    fn corrupted_truncated_or_foreign_entries_are_rebuilt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let engine = engine();
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Miss);
        let (code, sum) = code_and_sum(&cache, &engine);
        let good = std::fs::read(&code).expect("read");

        // One flipped byte in the middle.
        let mut bad = good.clone();
        let mid = bad.len() / 2;
        bad[mid] ^= 0xff;
        std::fs::write(&code, &bad).expect("write");
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Rebuilt);
        assert_eq!(std::fs::read(&code).expect("read"), good);

        // Truncated.
        std::fs::write(&code, &good[..good.len() / 3]).expect("write");
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Rebuilt);

        // A foreign file with a matching sum of its own (someone else's entry moved here).
        let foreign = b"\x7fELF not ours".to_vec();
        let key = {
            let s = std::fs::read(&sum).expect("sum");
            let mut k = [0u8; 32];
            k.copy_from_slice(&s[8..40]);
            k
        };
        store(&key, &foreign, &code, &sum).expect("store");
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Rebuilt);

        // The sum is missing, or names another key.
        std::fs::remove_file(&sum).expect("rm");
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Rebuilt);
        let mut other = std::fs::read(&sum).expect("sum");
        other[10] ^= 1;
        std::fs::write(&sum, other).expect("write");
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Rebuilt);
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Hit);
    }

    #[cfg(unix)]
    #[test]
    fn a_recorded_stamp_stands_for_the_hash_until_the_file_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let engine = engine();
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Miss);
        let (code, sum) = code_and_sum(&cache, &engine);
        let key = {
            let s = std::fs::read(&sum).expect("sum");
            let mut k = [0u8; 32];
            k.copy_from_slice(&s[8..40]);
            k
        };
        // Just written: not settled, so every check reads the hash.
        assert_eq!(verify(&key, &code, &sum), Some(Verified::Hash));
        assert_eq!(verify(&key, &code, &sum), Some(Verified::Hash));

        // As a check after the file settled would have left it.
        let mut s = std::fs::read(&sum).expect("sum");
        let meta = std::fs::metadata(&code).expect("stat");
        s[80..].copy_from_slice(&stamp(&meta).expect("stamp"));
        std::fs::write(&sum, &s).expect("write");
        assert_eq!(verify(&key, &code, &sum), Some(Verified::Stamp));

        // Any later write changes the stamp, and the hash catches the change.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut bytes = std::fs::read(&code).expect("read");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0xff;
        std::fs::write(&code, &bytes).expect("write");
        assert_eq!(verify(&key, &code, &sum), None);
        assert_eq!(outcome(&cache, &engine), CacheOutcome::Rebuilt);
    }

    #[test]
    fn keys_differ_by_wasm_and_engine_config() {
        let a = engine();
        let mut config = wasmtime::Config::new();
        config.wasm_component_model(true).epoch_interruption(true);
        let b = Engine::new(&config).expect("engine");
        let sha = [7u8; 32];
        assert_ne!(Cache::key(&a, &sha), Cache::key(&b, &sha));
        assert_ne!(Cache::key(&a, &sha), Cache::key(&a, &[8u8; 32]));
        assert_eq!(Cache::key(&a, &sha), Cache::key(&engine(), &sha));
    }
}
