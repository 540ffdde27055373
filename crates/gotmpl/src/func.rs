//! What a template function is: Go's builtins, Sprig's and Helm's functions share one
//! signature. The tables themselves live in [`crate::funcs`], above this layer.
//!
//! text/template checks every argument against the Go parameter type of the function before
//! calling it (`wrong type for value; expected string; got interface {}`), so each function
//! declares its parameters with [`Ty`]; the executor does the checking and conversion, the
//! function body receives values that already fit.

pub use crate::value::Ty;
use crate::value::Value;

/// What Helm's `lookup apiVersion kind namespace name` asks for: an empty `name` asks for a
/// list, an empty `namespace` for every namespace (or a cluster-scoped kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup<'a> {
    pub api_version: &'a str,
    pub kind: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
}

/// What a running function may reach besides its arguments.
pub trait Host {
    /// Helm's `lookup`; offline hosts return an empty map.
    fn lookup(&self, query: &Lookup<'_>) -> Result<Value, String>;
    /// A warning for the user (stderr).
    fn warn(&self, message: &str);
    /// The RSA private key of `bits` bits that `seed` determines, as PKCS#1 DER: always the
    /// key [`crate::keygen::rsa_key`] makes, which is what this default runs in process. The
    /// WASM adapter asks its host instead, which runs the same code natively.
    fn rsa_key(&self, bits: u32, seed: u64) -> Result<Vec<u8>, String> {
        crate::keygen::rsa_pkcs1_der(bits, seed).map_err(|e| e.to_string())
    }
    /// The PKCS#1 v1.5 SHA-256 signature of `digest` with the PKCS#1 DER key `key`: always
    /// what [`crate::keygen::rsa_sign_sha256`] makes, run in process here and natively by
    /// the WASM adapter's host.
    fn rsa_sign_sha256(&self, key: &[u8], digest: &[u8]) -> Result<Vec<u8>, String> {
        crate::keygen::rsa_sign_sha256(key, digest).map_err(|e| e.to_string())
    }
}

/// A host with no cluster and no log: `lookup` returns an empty map.
pub struct Offline;

impl Host for Offline {
    fn lookup(&self, _: &Lookup<'_>) -> Result<Value, String> {
        Ok(Value::map(Default::default()))
    }
    fn warn(&self, _: &str) {}
}

/// The context every function call gets.
pub struct FuncCtx<'a> {
    pub host: &'a dyn Host,
    /// Seconds and nanoseconds since the Unix epoch that `now` returns (fixed per render).
    pub now: (i64, u32),
    /// Deterministic random numbers for `rand*`, `uuidv4`, key generation.
    pub rng: Rng,
    /// Helm's lint mode: `required` and `fail` warn and give "" instead of failing, so a
    /// lint sees the rest of the chart.
    pub lint: bool,
}

/// SplitMix64: small, fast and reproducible from a seed. Not for secrets that must stay
/// secret beyond a test; Helm's own generated passwords are only as good as the seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let r = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
    }
}

/// The body of a function. `Err(msg)` becomes Go's `error calling NAME: msg`.
pub type FuncBody = fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value, String>;

/// One template function.
pub struct Func {
    pub name: &'static str,
    /// Fixed parameters, checked and converted by the executor.
    pub params: &'static [Ty],
    /// Type of the trailing `...` parameter, if the function is variadic.
    pub variadic: Option<Ty>,
    pub body: FuncBody,
}

impl Func {
    /// A function of fixed parameters.
    pub const fn new(name: &'static str, params: &'static [Ty], body: FuncBody) -> Func {
        Func {
            name,
            params,
            variadic: None,
            body,
        }
    }

    /// A function whose last parameter is `...rest`.
    pub const fn variadic(
        name: &'static str,
        params: &'static [Ty],
        rest: Ty,
        body: FuncBody,
    ) -> Func {
        Func {
            name,
            params,
            variadic: Some(rest),
            body,
        }
    }
}
