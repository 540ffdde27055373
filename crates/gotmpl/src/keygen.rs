//! RSA key generation from a seed: the same `(bits, seed)` always gives the same key.
//!
//! Sprig's `genPrivateKey "rsa"` (4096 bits) and the certificate builders (2048 bits) draw a
//! seed from the render's random stream and ask [`crate::func::Host::rsa_key`] for the key.
//! Natively that runs [`rsa_key`] in process; inside the WASM plugin the host runs the same
//! function at native speed (the `generate-rsa-key` import), so a key costs what it costs
//! natively and split, serial and native renders of one seed agree.
//!
//! Primes come from ChaCha20 streams seeded with the seed (stream 0 for p, 1 for q): random
//! odd numbers of exactly half the bits (top two bits set, as Go does, so the product has
//! exactly `bits` bits), moved up to the next number with no factor below 2^16 and kept when they pass
//! Miller–Rabin and Baillie–PSW.

mod mont;

use num_bigint_dig::BigUint;
use rand_core::{RngCore, SeedableRng as _};

/// Smallest key size accepted: Go's `crypto/rsa` refuses anything below 1024 bits.
pub const MIN_RSA_BITS: u32 = 1024;
/// Largest key size accepted. Sprig never asks for more than 4096; the bound keeps an absurd
/// request from running for minutes.
pub const MAX_RSA_BITS: u32 = 8192;

/// Why no key was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeygenError {
    /// Below [`MIN_RSA_BITS`]; the text is Go's.
    #[error(
        "crypto/rsa: {0}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
    )]
    TooSmall(u32),
    /// Above [`MAX_RSA_BITS`].
    #[error("crypto/rsa: {0}-bit keys are larger than the {MAX_RSA_BITS} bits rudder generates")]
    TooLarge(u32),
    /// Encoding the key failed (not expected for a key this module made).
    #[error("crypto/rsa: {0}")]
    Encode(String),
}

/// The RSA private key of `bits` bits (public exponent 65537) that `seed` determines.
pub fn rsa_key(bits: u32, seed: u64) -> Result<rsa::RsaPrivateKey, KeygenError> {
    if bits < MIN_RSA_BITS {
        return Err(KeygenError::TooSmall(bits));
    }
    if bits > MAX_RSA_BITS {
        return Err(KeygenError::TooLarge(bits));
    }
    // p and q come from two streams of the seed's ChaCha20, so that they can be searched
    // for at once, on two threads where there are threads (not inside the sandbox, where
    // this runs only as the engine's fallback): the key is the same either way.
    let mut rng_p = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let mut rng_q = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    rng_q.set_stream(1);
    let bits = bits as usize;
    let e = BigUint::from(65_537u32);
    loop {
        let (p, q) = std::thread::scope(|scope| {
            let mut rng = rng_q.clone();
            let other = std::thread::Builder::new()
                .name("rudder-keygen".into())
                .spawn_scoped(scope, move || (gen_prime(&mut rng, bits - bits / 2), rng));
            let p = gen_prime(&mut rng_p, bits / 2);
            let q = match other {
                Ok(handle) => {
                    let (q, rng) = handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    rng_q = rng;
                    q
                }
                Err(_) => gen_prime(&mut rng_q, bits - bits / 2),
            };
            (p, q)
        });
        if p == q || (&p * &q).bits() != bits {
            continue;
        }
        // Fails only when e divides p-1 or q-1: draw again, as Go does.
        if let Ok(key) = rsa::RsaPrivateKey::from_p_q(p, q, e.clone()) {
            return Ok(key);
        }
    }
}

/// [`rsa_key`] written as PKCS#1 DER (`RSAPrivateKey`, what Go's
/// `x509.MarshalPKCS1PrivateKey` writes).
pub fn rsa_pkcs1_der(bits: u32, seed: u64) -> Result<Vec<u8>, KeygenError> {
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    let key = rsa_key(bits, seed)?;
    let der = key
        .to_pkcs1_der()
        .map_err(|e| KeygenError::Encode(e.to_string()))?;
    Ok(der.as_bytes().to_vec())
}

/// Largest PKCS#1 DER [`rsa_sign_sha256`] reads: an 8192-bit key takes about 4.7 KB.
const MAX_KEY_DER: usize = 8 << 10;

/// Why a signature was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The key's DER does not parse as a PKCS#1 RSA private key, or is too long to be one
    /// of at most [`MAX_RSA_BITS`].
    #[error("crypto/rsa: invalid private key: {0}")]
    Key(String),
    /// The modulus is larger than [`MAX_RSA_BITS`].
    #[error("crypto/rsa: {0}-bit keys are larger than the {MAX_RSA_BITS} bits rudder signs with")]
    TooLarge(usize),
    /// Not a SHA-256 hash.
    #[error("crypto/rsa: input must be hashed message (got {0} bytes, want 32)")]
    Digest(usize),
    /// The signing itself failed.
    #[error("crypto/rsa: {0}")]
    Sign(String),
}

/// The PKCS#1 v1.5 signature of the SHA-256 hash `digest` with the PKCS#1 DER key
/// `key_der`: Go's `rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest)`, which is
/// deterministic. Cheap to refuse: the DER's length is checked before it is parsed, and the
/// modulus' size before any exponentiation.
pub fn rsa_sign_sha256(key_der: &[u8], digest: &[u8]) -> Result<Vec<u8>, SignError> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::traits::PublicKeyParts as _;
    if digest.len() != 32 {
        return Err(SignError::Digest(digest.len()));
    }
    if key_der.len() > MAX_KEY_DER {
        return Err(SignError::Key(format!(
            "{} bytes of DER, more than a {MAX_RSA_BITS}-bit key takes",
            key_der.len()
        )));
    }
    let key =
        rsa::RsaPrivateKey::from_pkcs1_der(key_der).map_err(|e| SignError::Key(e.to_string()))?;
    let bits = key.n().bits();
    if bits > MAX_RSA_BITS as usize {
        return Err(SignError::TooLarge(bits));
    }
    key.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), digest)
        .map_err(|e| SignError::Sign(e.to_string()))
}

/// Odd primes below 2^16, for sieving prime candidates.
pub(crate) fn small_primes() -> &'static [u32] {
    static PRIMES: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    PRIMES.get_or_init(|| {
        const LIMIT: usize = 1 << 16;
        let mut composite = vec![false; LIMIT];
        let mut primes = Vec::new();
        for i in 3..LIMIT {
            if composite[i] {
                continue;
            }
            if i % 2 == 1 {
                primes.push(i as u32);
            }
            for j in (i * i..LIMIT).step_by(i) {
                composite[j] = true;
            }
        }
        primes
    })
}

/// A big-endian number modulo a small one.
pub(crate) fn residue(be: &[u8], m: u32) -> u32 {
    be.iter()
        .fold(0u64, |r, &b| ((r << 8) | u64::from(b)) % u64::from(m)) as u32
}

/// A random prime of exactly `bits` bits (top two bits set, as Go and the rsa crate do, so
/// a product of two has exactly twice the bits). Candidates are sieved by every prime below
/// 2^16 before the probabilistic tests, so few modular exponentiations are spent on numbers
/// with a small factor.
pub(crate) fn gen_prime(rng: &mut impl RngCore, bits: usize) -> BigUint {
    let primes = small_primes();
    let nbytes = bits.div_ceil(8);
    let top = bits - (nbytes - 1) * 8; // bits used in the first byte, 1..=8
    let mut bytes = vec![0u8; nbytes];
    loop {
        rng.fill_bytes(&mut bytes);
        bytes[0] &= ((1u16 << top) - 1) as u8;
        if top >= 2 {
            bytes[0] |= 3 << (top - 2);
        } else {
            bytes[0] |= 1;
            if nbytes > 1 {
                bytes[1] |= 0x80;
            }
        }
        bytes[nbytes - 1] |= 1;
        let residues: Vec<u32> = primes.iter().map(|&p| residue(&bytes, p)).collect();
        let base = BigUint::from_bytes_be(&bytes);
        let mut delta = 0u32;
        while delta < 1 << 20 {
            let survives = primes
                .iter()
                .zip(&residues)
                .all(|(&p, &r)| !(r + delta).is_multiple_of(p));
            if survives {
                let candidate = &base + BigUint::from(delta);
                if candidate.bits() != bits {
                    break;
                }
                // The quick base-2 round rejects almost every composite; what it lets
                // through gets the full test (see `mont`).
                if mont::passes_base_2(&candidate)
                    && num_bigint_dig::prime::probably_prime(&candidate, 4)
                {
                    return candidate;
                }
            }
            delta += 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};

    #[test]
    fn same_seed_same_key() {
        let a = rsa_pkcs1_der(1024, 7).expect("key");
        assert_eq!(a, rsa_pkcs1_der(1024, 7).expect("key"));
        assert_ne!(a, rsa_pkcs1_der(1024, 8).expect("key"));
    }

    #[test]
    fn key_is_consistent() {
        let k = rsa_key(2048, 3).expect("key");
        assert_eq!(k.n().bits(), 2048);
        assert_eq!(k.e(), &BigUint::from(65_537u32));
        let primes = k.primes();
        assert_eq!(primes.len(), 2);
        assert_eq!(&primes[0] * &primes[1], *k.n());
        assert_eq!((primes[0].bits(), primes[1].bits()), (1024, 1024));
        k.validate().expect("valid key");
        // Encrypting and decrypting with the key's exponents round-trips.
        let m = BigUint::from(123_456_789u64);
        let c = m.modpow(k.e(), k.n());
        assert_eq!(c.modpow(k.d(), k.n()), m);
    }

    #[test]
    fn signatures_verify_and_bad_input_is_refused_at_once() {
        use rsa::pkcs1::EncodeRsaPrivateKey as _;
        use sha2::Digest as _;
        let key = rsa_key(1024, 5).expect("key");
        let der = key.to_pkcs1_der().expect("der");
        let digest = sha2::Sha256::digest(b"to be signed");
        let sig = rsa_sign_sha256(der.as_bytes(), &digest).expect("sign");
        assert_eq!(sig.len(), 128);
        key.to_public_key()
            .verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest, &sig)
            .expect("verifies");
        // Deterministic, and the same as signing in process.
        assert_eq!(sig, rsa_sign_sha256(der.as_bytes(), &digest).expect("sign"));
        assert_eq!(
            sig,
            key.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
                .expect("sign")
        );

        assert_eq!(
            rsa_sign_sha256(der.as_bytes(), &digest[..31]),
            Err(SignError::Digest(31))
        );
        assert!(matches!(
            rsa_sign_sha256(b"\x30\x03\x02\x01\x00", &digest),
            Err(SignError::Key(_))
        ));
        let start = std::time::Instant::now();
        assert!(matches!(
            rsa_sign_sha256(&vec![0x30; 1 << 20], &digest),
            Err(SignError::Key(_))
        ));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn odd_sizes_have_their_exact_bits() {
        assert_eq!(rsa_key(1025, 1).expect("key").n().bits(), 1025);
    }

    #[test]
    fn absurd_sizes_are_refused_at_once() {
        assert_eq!(rsa_key(512, 1).unwrap_err(), KeygenError::TooSmall(512));
        assert_eq!(rsa_key(0, 1).unwrap_err(), KeygenError::TooSmall(0));
        assert_eq!(
            rsa_key(1 << 20, 1).unwrap_err(),
            KeygenError::TooLarge(1 << 20)
        );
        assert_eq!(
            rsa_key(8193, 1).unwrap_err().to_string(),
            "crypto/rsa: 8193-bit keys are larger than the 8192 bits rudder generates"
        );
        assert!(
            rsa_key(1023, 1)
                .unwrap_err()
                .to_string()
                .starts_with("crypto/rsa: 1023-bit keys are insecure")
        );
    }

    #[test]
    fn primes_are_sieved() {
        let small = small_primes();
        assert_eq!(&small[..5], &[3, 5, 7, 11, 13]);
        assert_eq!(*small.last().expect("primes"), 65_521);
        assert_eq!(residue(&[1, 0], 7), 256 % 7);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
        let p = gen_prime(&mut rng, 256);
        assert_eq!(p.bits(), 256);
        assert!(num_bigint_dig::prime::probably_prime(&p, 20));
    }

    /// Key generation cost: `cargo test --release -p rudder-gotmpl rsa_timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn rsa_timing() {
        for (bits, n) in [(2048u32, 20u64), (4096, 5)] {
            let start = std::time::Instant::now();
            for seed in 0..n {
                rsa_key(bits, seed).expect("key");
            }
            println!("rsa {bits}: {:?} per key", start.elapsed() / n as u32);
        }
    }
}
