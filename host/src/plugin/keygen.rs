//! The host's `generate-rsa-key` import: RSA keys at native speed for sandboxed plugins.
//!
//! Generating a 4096-bit key inside the sandbox takes seconds; natively it takes a fraction
//! of one. The plugin draws a seed from its own seeded random stream and the host derives the
//! key from it with [`rudder_gotmpl::keygen`] — the same code the template engine runs when it
//! is used as a native library — so a seed always gives the same key, whichever side made it.
//!
//! Keys are kept in a small process-wide cache keyed by `(bits, seed)`: when a split render
//! must be redone in one call (a template changed shared data), or a deterministic render is
//! repeated, its keys are not generated twice.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// How many keys the cache holds before it starts over.
const CACHE_ENTRIES: usize = 256;

type Cache = Mutex<HashMap<(u32, u64), Vec<u8>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The PKCS#1 DER of the RSA key that `(bits, seed)` determines; an error (Go's text for
/// keys below 1024 bits) for sizes outside what the import accepts, without any work.
pub(crate) fn generate_rsa_key(bits: u32, seed: u64) -> Result<Vec<u8>, String> {
    if let Some(der) = cache()
        .lock()
        .ok()
        .and_then(|c| c.get(&(bits, seed)).cloned())
    {
        return Ok(der);
    }
    let der = rudder_gotmpl::keygen::rsa_pkcs1_der(bits, seed).map_err(|e| e.to_string())?;
    if let Ok(mut c) = cache().lock() {
        if c.len() >= CACHE_ENTRIES {
            c.clear();
        }
        c.insert((bits, seed), der.clone());
    }
    Ok(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_key_cached_or_not() {
        let a = generate_rsa_key(1024, 11).expect("key");
        assert_eq!(
            a,
            rudder_gotmpl::keygen::rsa_pkcs1_der(1024, 11).expect("key")
        );
        assert_eq!(a, generate_rsa_key(1024, 11).expect("cached key"));
        assert_ne!(a, generate_rsa_key(1024, 12).expect("key"));
        // A PKCS#1 RSAPrivateKey is a DER SEQUENCE.
        assert_eq!(a[0], 0x30);
    }

    #[test]
    fn absurd_sizes_fail_fast() {
        let start = std::time::Instant::now();
        for bits in [0, 1, 511, 512, 1023, 8193, u32::MAX] {
            let err = generate_rsa_key(bits, 1).unwrap_err();
            assert!(
                err.starts_with(&format!("crypto/rsa: {bits}-bit keys are")),
                "{err}"
            );
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
}
