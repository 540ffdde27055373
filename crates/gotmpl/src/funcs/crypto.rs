//! Sprig's cryptographic functions: `genPrivateKey`, `derivePassword`, the certificate
//! builders (`genCA`, `genSelfSignedCert`, `genSignedCert`, their `WithKey` forms and
//! `buildCustomCert`), `encryptAES`/`decryptAES`, `bcrypt` and `htpasswd`.
//!
//! Keys, serial numbers, IVs and salts are drawn from [`FuncCtx::rng`] and validity starts at
//! [`FuncCtx::now`], so a render is reproducible for a fixed seed and time. Keys are written as
//! Go's `crypto/x509` writes them (PKCS#1 for RSA, SEC 1 with the curve for ECDSA, PKCS#8 for
//! Ed25519, Sprig's own sequence for DSA) and certificates carry the fields and extensions, in
//! the order, that Go's `x509.CreateCertificate` gives Sprig's templates.

use std::sync::Arc;

use crate::func::{Func, FuncCtx, Rng, Ty};
use crate::funcs::encoding::{bytes_to_string, go_base64_decode};
use crate::funcs::{arg_int, arg_str};
use crate::value::{Object, Value};
use rudder_gocompat::civil::civil_from_days;

pub static FUNCS: &[Func] = &[
    Func::new("bcrypt", &[Ty::String], |ctx, a| {
        Ok(Value::str(bcrypt_hash(&mut ctx.rng, arg_str(a, 0))))
    }),
    Func::new("htpasswd", &[Ty::String, Ty::String], htpasswd),
    Func::new("genPrivateKey", &[Ty::String], gen_private_key),
    Func {
        // Go's parameter is uint32 (`counter`); the executor's nearest type is int.
        name: "derivePassword",
        params: &[Ty::Int, Ty::String, Ty::String, Ty::String, Ty::String],
        variadic: None,
        body: derive_password,
    },
    Func::new(
        "buildCustomCert",
        &[Ty::String, Ty::String],
        build_custom_cert,
    ),
    Func::new("genCA", &[Ty::String, Ty::Int], gen_ca),
    Func::new("genCAWithKey", &[Ty::String, Ty::Int, Ty::String], gen_ca),
    Func::new(
        "genSelfSignedCert",
        &[Ty::String, Ty::List, Ty::List, Ty::Int],
        gen_self_signed,
    ),
    Func::new(
        "genSelfSignedCertWithKey",
        &[Ty::String, Ty::List, Ty::List, Ty::Int, Ty::String],
        gen_self_signed,
    ),
    Func::new(
        "genSignedCert",
        &[Ty::String, Ty::List, Ty::List, Ty::Int, CERTIFICATE],
        gen_signed,
    ),
    Func {
        name: "genSignedCertWithKey",
        params: &[
            Ty::String,
            Ty::List,
            Ty::List,
            Ty::Int,
            CERTIFICATE,
            Ty::String,
        ],
        variadic: None,
        body: gen_signed,
    },
    Func::new("encryptAES", &[Ty::String, Ty::String], encrypt_aes),
    Func::new("decryptAES", &[Ty::String, Ty::String], decrypt_aes),
];

/// Sprig's `certificate` struct, as a parameter type.
const CERTIFICATE: Ty = Ty::Named("sprig.certificate");

// ---------------------------------------------------------------------------------------
// Randomness

/// The engine's RNG seen as a `rand_core` generator, for the RustCrypto crates.
struct CtxRng<'a>(&'a mut Rng);

impl rand_core::RngCore for CtxRng<'_> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.fill(dest);
        Ok(())
    }
}

/// Not cryptographically secure: outputs depend only on the render's seed, by design.
impl rand_core::CryptoRng for CtxRng<'_> {}

// ---------------------------------------------------------------------------------------
// bcrypt, htpasswd

const BCRYPT_COST: u32 = 10;

/// Sprig's `bcrypt`: Go's `bcrypt.GenerateFromPassword` at the default cost; failures are
/// returned as text, as Sprig does.
fn bcrypt_hash(rng: &mut Rng, password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    let mut salt = [0u8; 16];
    rng.fill(&mut salt);
    match bcrypt::hash_with_salt(password, BCRYPT_COST, salt) {
        Ok(parts) => parts.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

fn htpasswd(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let user = arg_str(args, 0);
    if user.contains(':') {
        return Ok(Value::str(format!("invalid username: {user}")));
    }
    let hash = bcrypt_hash(&mut ctx.rng, arg_str(args, 1));
    Ok(Value::str(format!("{user}:{hash}")))
}

// ---------------------------------------------------------------------------------------
// derivePassword (the Master Password algorithm, as Sprig implements it)

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

fn derive_password(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    use hmac::Mac as _;
    let counter = match args.first() {
        Some(Value::Int(n) | Value::Int64(n)) => *n as u32,
        _ => 0,
    };
    let (kind, password, user, site) = (
        arg_str(args, 1),
        arg_str(args, 2),
        arg_str(args, 3),
        arg_str(args, 4),
    );
    let Some(templates) = password_templates(kind) else {
        return Ok(Value::str(format!("cannot find password template {kind}")));
    };
    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2, 64).map_err(|e| e.to_string())?;
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return Ok(Value::str(format!("failed to derive password: {e}")));
    }
    let mut msg = MASTER_PASSWORD_SEED.to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()];
    let out: String = template
        .bytes()
        .enumerate()
        .map(|(i, class)| {
            let chars = template_chars(class);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect();
    Ok(Value::str(out))
}

// ---------------------------------------------------------------------------------------
// AES

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// Sprig's AES key: the password's bytes, cut or zero-padded to 32.
fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    key
}

fn encrypt_aes(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    use cbc::cipher::{BlockEncryptMut as _, KeyIvInit as _, block_padding::NoPadding};
    let (password, plaintext) = (arg_str(args, 0), arg_str(args, 1));
    if plaintext.is_empty() {
        return Ok(Value::str(""));
    }
    let mut content = plaintext.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let mut iv = [0u8; 16];
    ctx.rng.fill(&mut iv);
    let len = content.len();
    let enc = Aes256CbcEnc::new(&aes_key(password).into(), &iv.into());
    let ct = enc
        .encrypt_padded_mut::<NoPadding>(&mut content, len)
        .map_err(|e| e.to_string())?;
    let mut out = iv.to_vec();
    out.extend_from_slice(ct);
    Ok(Value::str(crate::base64_std(&out)))
}

fn decrypt_aes(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    use cbc::cipher::{BlockDecryptMut as _, KeyIvInit as _, block_padding::NoPadding};
    let (password, crypt64) = (arg_str(args, 0), arg_str(args, 1));
    if crypt64.is_empty() {
        return Ok(Value::str(""));
    }
    let crypt = go_base64_decode(crypt64.as_bytes())
        .map_err(|at| format!("illegal base64 data at input byte {at}"))?;
    // Sprig slices and indexes without checks; these are the panics Go reports.
    if crypt.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    if body.is_empty() {
        return Err("runtime error: index out of range [-1]".into());
    }
    let mut buf = body.to_vec();
    let iv: [u8; 16] = iv.try_into().map_err(|_| "bad iv".to_string())?;
    let dec = Aes256CbcDec::new(&aes_key(password).into(), &iv.into());
    let plain = dec
        .decrypt_padded_mut::<NoPadding>(&mut buf)
        .map_err(|e| e.to_string())?;
    let pad = usize::from(plain[plain.len() - 1]);
    let Some(end) = plain.len().checked_sub(pad) else {
        return Err(format!(
            "runtime error: slice bounds out of range [:{}]",
            plain.len() as i64 - pad as i64
        ));
    };
    Ok(Value::str(bytes_to_string(plain[..end].to_vec())))
}

// ---------------------------------------------------------------------------------------
// DER writing (just what keys and certificates need)

mod der_w {
    /// A TLV with a definite length.
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = content.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            let bytes = n.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(content);
        out
    }

    pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    pub fn uint(mag: &[u8]) -> Vec<u8> {
        let skip = mag.iter().take_while(|&&b| b == 0).count();
        let mag = &mag[skip..];
        let mut content = Vec::with_capacity(mag.len() + 1);
        if mag.first().is_none_or(|&b| b & 0x80 != 0) {
            content.push(0);
        }
        content.extend_from_slice(mag);
        tlv(0x02, &content)
    }

    pub fn octets(b: &[u8]) -> Vec<u8> {
        tlv(0x04, b)
    }

    pub fn bits(b: &[u8]) -> Vec<u8> {
        let mut content = vec![0];
        content.extend_from_slice(b);
        tlv(0x03, &content)
    }

    /// An OBJECT IDENTIFIER from its dotted form (first arc 0-2).
    pub fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
        let mut content = Vec::new();
        let mut push = |mut v: u64| {
            let mut tmp = vec![(v & 0x7f) as u8];
            v >>= 7;
            while v > 0 {
                tmp.push(0x80 | (v & 0x7f) as u8);
                v >>= 7;
            }
            tmp.reverse();
            content.extend_from_slice(&tmp);
        };
        if arcs.len() >= 2 {
            push(arcs[0] * 40 + arcs[1]);
            for &a in &arcs[2..] {
                push(a);
            }
        }
        tlv(0x06, &content)
    }

    pub const NULL: &[u8] = &[0x05, 0x00];
    pub const TRUE: &[u8] = &[0x01, 0x01, 0xff];
}

/// Go's `pem.EncodeToMemory`.
fn pem_encode(kind: &str, der: &[u8]) -> String {
    let b64 = crate::base64_std(der);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

/// Go's `pem.Decode`, leniently: the first well-formed block, text around it ignored.
fn pem_decode(data: &str) -> Option<(String, Vec<u8>)> {
    let mut rest = data;
    loop {
        let start = rest.find("-----BEGIN ")?;
        let after = &rest[start + 11..];
        let type_end = after.find("-----")?;
        let kind = &after[..type_end];
        let body_and_more = &after[type_end + 5..];
        let next = || &after[type_end..];
        let (Some(body_start), false) = (
            body_and_more
                .find('\n')
                .filter(|&i| body_and_more[..i].trim().is_empty()),
            kind.contains('\n'),
        ) else {
            rest = next();
            continue;
        };
        let body_all = &body_and_more[body_start + 1..];
        let end_marker = format!("-----END {kind}-----");
        let Some(end) = body_all.find(&end_marker) else {
            rest = next();
            continue;
        };
        let mut body = &body_all[..end];
        // Optional RFC 1421 headers, up to a blank line.
        if body.lines().next().is_some_and(|l| l.contains(':'))
            && let Some(blank) = body.find("\n\n").or_else(|| body.find("\r\n\r\n"))
        {
            body = &body[blank..];
        }
        let clean: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        match go_base64_decode(&clean) {
            Ok(der) => return Some((kind.to_string(), der)),
            Err(_) => rest = next(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Keys

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const OID_ED25519: &str = "1.3.101.112";

/// A private key Sprig can read or make.
enum PrivKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    /// DSA keys can be written and read but not used to sign certificates (Go cannot).
    Dsa(Vec<u8>),
}

fn biguint_bytes(n: &rsa::BigUint) -> Vec<u8> {
    n.to_bytes_be()
}

impl PrivKey {
    /// Go's `pemBlockForKey`.
    fn to_pem(&self) -> Result<String, String> {
        use der_w::*;
        Ok(match self {
            PrivKey::Rsa(k) => {
                use rsa::pkcs1::EncodeRsaPrivateKey as _;
                let der = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                pem_encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivKey::P256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                pem_encode(
                    "EC PRIVATE KEY",
                    &sec1_der(&k.to_bytes(), OID_P256, point.as_bytes()),
                )
            }
            PrivKey::P384(k) => {
                use p384::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                pem_encode(
                    "EC PRIVATE KEY",
                    &sec1_der(&k.to_bytes(), OID_P384, point.as_bytes()),
                )
            }
            PrivKey::Ed25519(k) => {
                let der = seq(&[
                    &uint(&[0]),
                    &seq(&[&oid(OID_ED25519)]),
                    &octets(&octets(&k.to_bytes())),
                ]);
                pem_encode("PRIVATE KEY", &der)
            }
            PrivKey::Dsa(der) => pem_encode("DSA PRIVATE KEY", der),
        })
    }

    /// The DER SubjectPublicKeyInfo, as Go's `MarshalPKIXPublicKey`.
    fn spki(&self) -> Result<Vec<u8>, String> {
        use der_w::*;
        Ok(match self {
            PrivKey::Rsa(k) => {
                use rsa::traits::PublicKeyParts as _;
                let pkcs1 = seq(&[&uint(&biguint_bytes(k.n())), &uint(&biguint_bytes(k.e()))]);
                seq(&[&seq(&[&oid(OID_RSA), NULL]), &bits(&pkcs1)])
            }
            PrivKey::P256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                seq(&[
                    &seq(&[&oid(OID_EC_PUBLIC_KEY), &oid(OID_P256)]),
                    &bits(point.as_bytes()),
                ])
            }
            PrivKey::P384(k) => {
                use p384::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                seq(&[
                    &seq(&[&oid(OID_EC_PUBLIC_KEY), &oid(OID_P384)]),
                    &bits(point.as_bytes()),
                ])
            }
            PrivKey::Ed25519(k) => seq(&[
                &seq(&[&oid(OID_ED25519)]),
                &bits(k.verifying_key().as_bytes()),
            ]),
            PrivKey::Dsa(_) => {
                return Err(
                    "x509: certificate private key does not implement crypto.Signer".into(),
                );
            }
        })
    }

    /// The signature AlgorithmIdentifier Go picks for the key.
    fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        use der_w::*;
        Ok(match self {
            PrivKey::Rsa(_) => seq(&[&oid(OID_SHA256_RSA), NULL]),
            PrivKey::P256(_) => seq(&[&oid(OID_ECDSA_SHA256)]),
            PrivKey::P384(_) => seq(&[&oid(OID_ECDSA_SHA384)]),
            PrivKey::Ed25519(_) => seq(&[&oid(OID_ED25519)]),
            PrivKey::Dsa(_) => {
                return Err(
                    "x509: certificate private key does not implement crypto.Signer".into(),
                );
            }
        })
    }

    /// Signs `tbs` with the algorithm of [`PrivKey::signature_algorithm`]. RSA signatures
    /// come from `host` (natively, in the WASM plugin) for keys of the sizes it signs with;
    /// larger keys, which only a chart's own PEM can bring, are signed here.
    fn sign(&self, host: &dyn crate::func::Host, tbs: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivKey::Rsa(k) => {
                use rsa::pkcs1::EncodeRsaPrivateKey as _;
                use rsa::traits::PublicKeyParts as _;
                use sha2::Digest as _;
                let digest = sha2::Sha256::digest(tbs);
                if k.n().bits() <= crate::keygen::MAX_RSA_BITS as usize {
                    let der = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                    return host.rsa_sign_sha256(der.as_bytes(), &digest);
                }
                k.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
                    .map_err(|e| e.to_string())
            }
            PrivKey::P256(k) => {
                use p256::ecdsa::signature::Signer as _;
                let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(k).sign(tbs);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            PrivKey::P384(k) => {
                use p384::ecdsa::signature::Signer as _;
                let sig: p384::ecdsa::Signature = p384::ecdsa::SigningKey::from(k).sign(tbs);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            PrivKey::Ed25519(k) => {
                use ed25519_dalek::Signer as _;
                Ok(k.sign(tbs).to_bytes().to_vec())
            }
            PrivKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }
}

/// Go's `MarshalECPrivateKey`: version 1, the scalar, the named curve and the public point.
fn sec1_der(scalar: &[u8], curve: &str, point: &[u8]) -> Vec<u8> {
    use der_w::*;
    seq(&[
        &uint(&[1]),
        &octets(scalar),
        &tlv(0xa0, &oid(curve)),
        &tlv(0xa1, &bits(point)),
    ])
}

/// An RSA key of `bits` bits: a seed drawn from the render's stream, the key from the host
/// (see [`crate::keygen`]), so it is reproducible and costs native time inside the plugin.
fn gen_rsa(ctx: &mut FuncCtx<'_>, bits: u32) -> Result<PrivKey, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    let seed = ctx.rng.next_u64();
    let der = ctx.host.rsa_key(bits, seed)?;
    rsa::RsaPrivateKey::from_pkcs1_der(&der)
        .map(|k| PrivKey::Rsa(Box::new(k)))
        .map_err(|e| format!("invalid RSA key from the host: {e}"))
}

/// A DSA key with L = 2048, N = 256 parameters (as Go's `dsa.L2048N256`), encoded as Sprig's
/// `DSAKeyFormat` sequence (version, P, Q, G, Y, X).
fn gen_dsa(rng: &mut Rng) -> Vec<u8> {
    use crate::keygen::{gen_prime, residue, small_primes};
    use der_w::*;
    use num_bigint_dig::BigUint;
    const L: usize = 2048;
    let q = gen_prime(&mut CtxRng(rng), 256);
    let two_q = &q << 1;
    let primes = small_primes();
    let mut bytes = vec![0u8; L / 8];
    let p = 'search: loop {
        // A random L-bit number moved down to the nearest p ≡ 1 (mod 2q), so p - 1 has q as
        // a factor and p is odd; then p, p + 2q, p + 4q, ... sieved and tested.
        rng.fill(&mut bytes);
        bytes[0] |= 0x80;
        let x = BigUint::from_bytes_be(&bytes);
        let mut p = &x - (&x % &two_q) + 1u32;
        let (p_be, two_q_be) = (p.to_bytes_be(), two_q.to_bytes_be());
        let mut residues: Vec<u32> = primes.iter().map(|&s| residue(&p_be, s)).collect();
        let steps: Vec<u32> = primes.iter().map(|&s| residue(&two_q_be, s)).collect();
        for _ in 0..4 * L {
            if p.bits() != L {
                continue 'search;
            }
            if residues.iter().all(|&r| r != 0) && num_bigint_dig::prime::probably_prime(&p, 4) {
                break 'search p;
            }
            p += &two_q;
            for ((r, &t), &s) in residues.iter_mut().zip(&steps).zip(primes) {
                *r = (*r + t) % s;
            }
        }
    };
    let p_minus_1 = &p - 1u32;
    let e = &p_minus_1 / &q;
    let mut h = BigUint::from(2u32);
    let g = loop {
        let g = h.modpow(&e, &p);
        if g != BigUint::from(1u32) {
            break g;
        }
        h += 1u32;
    };
    let mut xb = [0u8; 32];
    let x = loop {
        rng.fill(&mut xb);
        let x = BigUint::from_bytes_be(&xb);
        if x != BigUint::from(0u32) && x < q {
            break x;
        }
    };
    let y = g.modpow(&x, &p);
    seq(&[
        &uint(&[0]),
        &uint(&p.to_bytes_be()),
        &uint(&q.to_bytes_be()),
        &uint(&g.to_bytes_be()),
        &uint(&y.to_bytes_be()),
        &uint(&x.to_bytes_be()),
    ])
}

fn gen_private_key(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let kind = arg_str(args, 0);
    let key = match kind {
        "" | "rsa" => gen_rsa(ctx, 4096),
        "dsa" => Ok(PrivKey::Dsa(gen_dsa(&mut ctx.rng))),
        "ecdsa" => Ok(PrivKey::P256(p256::SecretKey::random(&mut CtxRng(
            &mut ctx.rng,
        )))),
        "ed25519" => {
            let mut seed = [0u8; 32];
            ctx.rng.fill(&mut seed);
            Ok(PrivKey::Ed25519(Box::new(
                ed25519_dalek::SigningKey::from_bytes(&seed),
            )))
        }
        _ => return Ok(Value::str(format!("Unknown type {kind}"))),
    };
    let text = match key.and_then(|k| k.to_pem()) {
        Ok(pem) => pem,
        Err(e) => format!("failed to generate private key: {e}"),
    };
    Ok(Value::str(text))
}

/// A minimal DER reader for the structures parsed by hand (DSA keys, PKCS#8 wrappers).
struct DerReader<'a>(&'a [u8]);

impl<'a> DerReader<'a> {
    /// Reads one TLV: (tag, content).
    fn next(&mut self) -> Option<(u8, &'a [u8])> {
        let b = self.0;
        let tag = *b.first()?;
        let first = *b.get(1)?;
        let (len, hdr) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None;
            }
            let mut len = 0usize;
            for i in 0..n {
                len = (len << 8) | usize::from(*b.get(2 + i)?);
            }
            (len, 2 + n)
        };
        let content = b.get(hdr..hdr.checked_add(len)?)?;
        self.0 = &b[hdr + len..];
        Some((tag, content))
    }
}

fn parse_dsa(der: &[u8]) -> Result<Vec<u8>, String> {
    let err = || "parsing DSA private key from PEM: asn1: structure error".to_string();
    let (tag, body) = DerReader(der).next().ok_or_else(err)?;
    if tag != 0x30 {
        return Err(err());
    }
    let mut r = DerReader(body);
    for _ in 0..6 {
        match r.next() {
            Some((0x02, _)) => {}
            _ => return Err(err()),
        }
    }
    Ok(der.to_vec())
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivKey, String> {
    use der::Decode as _;
    let info = rsa::pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| {
        format!("decoding PEM as PKCS#8: x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format): {e}")
    })?;
    let alg = info.algorithm.oid.to_string();
    let bad = |what: &str| {
        format!(
            "decoding PEM as PKCS#8: x509: failed to parse {what} private key embedded in PKCS#8"
        )
    };
    match alg.as_str() {
        OID_RSA => {
            use rsa::pkcs1::DecodeRsaPrivateKey as _;
            rsa::RsaPrivateKey::from_pkcs1_der(info.private_key)
                .map(|k| PrivKey::Rsa(Box::new(k)))
                .map_err(|_| bad("RSA"))
        }
        OID_EC_PUBLIC_KEY => {
            let curve = info
                .algorithm
                .parameters_oid()
                .map(|o| o.to_string())
                .unwrap_or_default();
            match curve.as_str() {
                OID_P256 => p256::SecretKey::from_sec1_der(info.private_key)
                    .map(PrivKey::P256)
                    .map_err(|_| bad("EC")),
                OID_P384 => p384::SecretKey::from_sec1_der(info.private_key)
                    .map(PrivKey::P384)
                    .map_err(|_| bad("EC")),
                _ => Err(bad("EC")),
            }
        }
        OID_ED25519 => {
            let inner = DerReader(info.private_key).next();
            match inner {
                Some((0x04, seed)) if seed.len() == 32 => {
                    let mut s = [0u8; 32];
                    s.copy_from_slice(seed);
                    Ok(PrivKey::Ed25519(Box::new(
                        ed25519_dalek::SigningKey::from_bytes(&s),
                    )))
                }
                _ => Err("decoding PEM as PKCS#8: x509: invalid Ed25519 private key".into()),
            }
        }
        other => Err(format!(
            "decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: {other}"
        )),
    }
}

/// Sprig's `parsePrivateKeyPEM`.
fn parse_private_key_pem(text: &str) -> Result<PrivKey, String> {
    let Some((kind, der)) = pem_decode(text) else {
        return Err("no PEM data in input".into());
    };
    if kind == "PRIVATE KEY" {
        return parse_pkcs8(&der);
    }
    let Some(prefix) = kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {kind}"));
    };
    match prefix {
        "RSA" => {
            use rsa::pkcs1::DecodeRsaPrivateKey as _;
            rsa::RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| PrivKey::Rsa(Box::new(k)))
                .map_err(|e| {
                    format!("parsing RSA private key from PEM: x509: malformed private key: {e}")
                })
        }
        "EC" => p256::SecretKey::from_sec1_der(&der)
            .map(PrivKey::P256)
            .or_else(|_| p384::SecretKey::from_sec1_der(&der).map(PrivKey::P384))
            .map_err(|_| {
                "parsing EC private key from PEM: x509: failed to parse EC private key".to_string()
            }),
        "DSA" => parse_dsa(&der).map(PrivKey::Dsa),
        _ => Err(format!("invalid private key type {kind}")),
    }
}

// ---------------------------------------------------------------------------------------
// Certificates

/// Sprig's `certificate` struct: PEM text of a certificate and its key.
#[derive(Debug)]
pub struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::str(self.cert.as_str())),
            "Key" => Some(Value::str(self.key.as_str())),
            _ => None,
        }
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "Cert": self.cert, "Key": self.key })
    }
    fn go_format(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
}

fn cert_value(cert: String, key: String) -> Value {
    Value::Object(Arc::new(Certificate { cert, key }))
}

const KU_DIGITAL_SIGNATURE: u16 = 1;
const KU_KEY_ENCIPHERMENT: u16 = 1 << 2;
const KU_CERT_SIGN: u16 = 1 << 5;

/// What Sprig's `getBaseCertTemplate` (plus the CA overrides) puts in a certificate.
struct Template {
    serial: [u8; 16],
    cn: String,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    not_before: i64,
    not_after: i64,
    key_usage: u16,
    is_ca: bool,
}

/// The issuing certificate's parts that go into a new certificate.
struct Parent {
    subject: Vec<u8>,
    subject_key_id: Vec<u8>,
    spki: Vec<u8>,
}

/// Go's `fmt` `%v`.
fn go_v(v: &Value) -> String {
    crate::fmt::to_v(v)
}

fn list_items(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::List(l)) => l.as_ref().clone(),
        Some(Value::StringList(l) | Value::VersionSet(l)) => {
            l.iter().map(|s| Value::String(s.clone())).collect()
        }
        _ => Vec::new(),
    }
}

/// Go's `net.ParseIP`, as the bytes x509 writes (4 for IPv4 and IPv4-mapped, else 16).
fn parse_ip(s: &str) -> Option<Vec<u8>> {
    use std::net::{IpAddr, Ipv4Addr};
    if s.contains('%') {
        return None;
    }
    let ip: IpAddr = s.parse().ok().or_else(|| {
        // Go also accepts IPv4 with leading zeros rejected and no other forms; std agrees.
        s.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
    })?;
    Some(match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => v6.octets().to_vec(),
        },
    })
}

fn get_ips(v: Option<&Value>) -> Result<Vec<Vec<u8>>, String> {
    list_items(v)
        .iter()
        .map(|ip| match ip {
            Value::String(s) => parse_ip(s).ok_or_else(|| format!("error parsing ip: {s}")),
            other => Err(format!("error parsing ip: {} is not a string", go_v(other))),
        })
        .collect()
}

fn get_dns(v: Option<&Value>) -> Result<Vec<String>, String> {
    list_items(v)
        .iter()
        .map(|d| match d {
            Value::String(s) => Ok(s.to_string()),
            other => Err(format!(
                "error processing alternate dns name: {} is not a string",
                go_v(other)
            )),
        })
        .collect()
}

fn base_template(
    ctx: &mut FuncCtx<'_>,
    cn: &str,
    ips: Option<&Value>,
    dns: Option<&Value>,
    days: i64,
) -> Result<Template, String> {
    let ips = get_ips(ips)?;
    let dns = get_dns(dns)?;
    let mut serial = [0u8; 16];
    ctx.rng.fill(&mut serial);
    let (secs, nanos) = ctx.now;
    // time.Hour * 24 * time.Duration(days) is nanoseconds in an int64, and wraps like Go.
    let dur = 86_400_000_000_000i64.wrapping_mul(days);
    let total = i128::from(nanos) + i128::from(dur);
    let not_after = secs + total.div_euclid(1_000_000_000) as i64;
    Ok(Template {
        serial,
        cn: cn.to_string(),
        ips,
        dns,
        not_before: secs,
        not_after,
        key_usage: KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT,
        is_ca: false,
    })
}

/// Go's x509 time encoding: UTCTime for 1950–2049, GeneralizedTime otherwise.
fn der_time(t: i64) -> Result<Vec<u8>, String> {
    let (y, mo, d) = civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    let (h, mi, se) = (s / 3600, s % 3600 / 60, s % 60);
    if !(0..=9999).contains(&y) {
        return Err(
            "error creating certificate: asn1: cannot marshal time: year out of range".into(),
        );
    }
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z", y % 100);
        Ok(der_w::tlv(0x17, text.as_bytes()))
    } else {
        let text = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z");
        Ok(der_w::tlv(0x18, text.as_bytes()))
    }
}

/// Go's asn1 string choice: PrintableString when every byte allows it, else UTF8String.
fn der_string(s: &str) -> Vec<u8> {
    let printable = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    der_w::tlv(if printable { 0x13 } else { 0x0c }, s.as_bytes())
}

fn subject_name(cn: &str) -> Vec<u8> {
    use der_w::*;
    if cn.is_empty() {
        return seq(&[]);
    }
    let atv = seq(&[&oid("2.5.4.3"), &der_string(cn)]);
    seq(&[&tlv(0x31, &atv)])
}

fn extension(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    use der_w::*;
    if critical {
        seq(&[&oid(id), TRUE, &octets(value)])
    } else {
        seq(&[&oid(id), &octets(value)])
    }
}

/// A BIT STRING of KeyUsage flags (bit 0 first), trimmed as Go's asn1 does.
fn key_usage_bits(ku: u16) -> Vec<u8> {
    let mut bytes = [0u8; 2];
    let mut bitlen = 0;
    for i in 0..9 {
        if ku & (1 << i) != 0 {
            bytes[i / 8] |= 0x80 >> (i % 8);
            bitlen = i + 1;
        }
    }
    let nbytes = bitlen.div_ceil(8);
    let unused = (nbytes * 8 - bitlen) as u8;
    let mut content = vec![unused];
    content.extend_from_slice(&bytes[..nbytes]);
    der_w::tlv(0x03, &content)
}

/// Go's `x509.CreateCertificate` for Sprig's templates, PEM-encoded.
fn create_certificate(
    host: &dyn crate::func::Host,
    t: &Template,
    subject_key: &PrivKey,
    parent: Option<&Parent>,
    signer: &PrivKey,
) -> Result<String, String> {
    use der_w::*;
    let wrap = |e: String| format!("error creating certificate: {e}");
    // Go's checks, in its order: the signer must sign, the subject key must be encodable.
    let signer_spki = signer.spki().map_err(wrap)?;
    let spki = subject_key
        .spki()
        .map_err(|_| wrap("x509: unsupported public key type: *dsa.PublicKey".into()))?;
    if let Some(p) = parent
        && p.spki != signer_spki
    {
        return Err(wrap(
            "x509: provided PrivateKey doesn't match parent's PublicKey".into(),
        ));
    }
    for name in &t.dns {
        if !name.is_ascii() {
            return Err(wrap(format!(
                "x509: {name:?} cannot be encoded as an IA5String"
            )));
        }
    }
    let subject = subject_name(&t.cn);
    let issuer = parent.map_or_else(|| subject.clone(), |p| p.subject.clone());

    let mut exts: Vec<Vec<u8>> = vec![extension("2.5.29.15", true, &key_usage_bits(t.key_usage))];
    exts.push(extension(
        "2.5.29.37",
        false,
        &seq(&[&oid("1.3.6.1.5.5.7.3.1"), &oid("1.3.6.1.5.5.7.3.2")]),
    ));
    let bc = if t.is_ca { seq(&[TRUE]) } else { seq(&[]) };
    exts.push(extension("2.5.29.19", true, &bc));
    if t.is_ca {
        // Go 1.25 derives a missing CA key id from SHA-256 of the public key, cut to 160 bits.
        use sha2::Digest as _;
        let mut r = DerReader(&spki);
        let key_bits = r
            .next()
            .and_then(|(_, body)| {
                let mut inner = DerReader(body);
                inner.next()?;
                inner.next()
            })
            .map(|(_, b)| b.get(1..).unwrap_or(&[]).to_vec())
            .unwrap_or_default();
        let digest = sha2::Sha256::digest(&key_bits);
        exts.push(extension("2.5.29.14", false, &octets(&digest[..20])));
    }
    if let Some(p) = parent
        && p.subject != subject
        && !p.subject_key_id.is_empty()
    {
        exts.push(extension(
            "2.5.29.35",
            false,
            &seq(&[&tlv(0x80, &p.subject_key_id)]),
        ));
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for d in &t.dns {
            names.extend(tlv(0x82, d.as_bytes()));
        }
        for ip in &t.ips {
            names.extend(tlv(0x87, ip));
        }
        exts.push(extension("2.5.29.17", t.cn.is_empty(), &tlv(0x30, &names)));
    }
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();

    let sig_alg = signer.signature_algorithm().map_err(wrap)?;
    let tbs = seq(&[
        &tlv(0xa0, &uint(&[2])),
        &uint(&t.serial),
        &sig_alg,
        &issuer,
        &seq(&[&der_time(t.not_before)?, &der_time(t.not_after)?]),
        &subject,
        &spki,
        &tlv(0xa3, &seq(&ext_refs)),
    ]);
    let sig = signer.sign(host, &tbs).map_err(wrap)?;
    let cert = seq(&[&tbs, &sig_alg, &bits(&sig)]);
    Ok(pem_encode("CERTIFICATE", &cert))
}

/// Go's `x509.ParseCertificate`, with its first error messages.
fn parse_certificate(der: &[u8]) -> Result<x509_cert::Certificate, String> {
    use der::Decode as _;
    let mut outer = DerReader(der);
    let tbs_is_seq = match outer.next() {
        Some((0x30, body)) if outer.0.is_empty() => {
            matches!(DerReader(body).next(), Some((0x30, _)))
        }
        _ => return Err("x509: malformed certificate".into()),
    };
    if !tbs_is_seq {
        return Err("x509: malformed tbs certificate".into());
    }
    x509_cert::Certificate::from_der(der).map_err(|_| "x509: malformed certificate".to_string())
}

/// Parses a PEM certificate as Sprig does before signing with it.
fn parse_parent(pem: &str) -> Result<Parent, String> {
    use der::Encode as _;
    let Some((_, der)) = pem_decode(pem) else {
        return Err("unable to decode certificate".into());
    };
    let cert = parse_certificate(&der)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let tbs = &cert.tbs_certificate;
    let subject = tbs.subject.to_der().map_err(|e| e.to_string())?;
    let spki = tbs
        .subject_public_key_info
        .to_der()
        .map_err(|e| e.to_string())?;
    let mut subject_key_id = Vec::new();
    for ext in tbs.extensions.iter().flatten() {
        if ext.extn_id.to_string() == "2.5.29.14"
            && let Some((0x04, id)) = DerReader(ext.extn_value.as_bytes()).next()
        {
            subject_key_id = id.to_vec();
        }
    }
    Ok(Parent {
        subject,
        subject_key_id,
        spki,
    })
}

/// The signee key: the `WithKey` argument parsed, or a fresh RSA 2048 key.
fn signee_key(ctx: &mut FuncCtx<'_>, args: &[Value], key_arg: usize) -> Result<PrivKey, String> {
    match args.get(key_arg).and_then(Value::as_str) {
        Some(pem) => parse_private_key_pem(pem).map_err(|e| format!("parsing private key: {e}")),
        None => gen_rsa(ctx, 2048).map_err(|e| format!("error generating rsa key: {e}")),
    }
}

fn gen_ca(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let key = signee_key(ctx, args, 2)?;
    let mut t = base_template(ctx, arg_str(args, 0), None, None, arg_int(args, 1))?;
    t.key_usage = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_CERT_SIGN;
    t.is_ca = true;
    let cert = create_certificate(ctx.host, &t, &key, None, &key)?;
    Ok(cert_value(cert, key.to_pem()?))
}

/// The template of `genSelfSignedCert` and `genSignedCert` (and their `WithKey` forms): the
/// common name, IPs, DNS names and days of validity are their first four arguments.
fn host_template(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Template, String> {
    base_template(
        ctx,
        arg_str(args, 0),
        args.get(1),
        args.get(2),
        arg_int(args, 3),
    )
}

fn gen_self_signed(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let key = signee_key(ctx, args, 4)?;
    let t = host_template(ctx, args)?;
    let cert = create_certificate(ctx.host, &t, &key, None, &key)?;
    Ok(cert_value(cert, key.to_pem()?))
}

fn gen_signed(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let ca = match args.get(4) {
        Some(Value::Object(o)) if o.type_name() == "sprig.certificate" => {
            let text = |f: &str| {
                o.field(f)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            (text("Cert"), text("Key"))
        }
        Some(other) => {
            return Err(format!(
                "wrong type for value; expected sprig.certificate; got {}",
                other.type_name()
            ));
        }
        None => (String::new(), String::new()),
    };
    let key = signee_key(ctx, args, 5)?;
    let parent = parse_parent(&ca.0)?;
    let signer =
        parse_private_key_pem(&ca.1).map_err(|e| format!("error parsing private key: {e}"))?;
    let t = host_template(ctx, args)?;
    let cert = create_certificate(ctx.host, &t, &key, Some(&parent), &signer)?;
    Ok(cert_value(cert, key.to_pem()?))
}

fn build_custom_cert(_: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value, String> {
    let cert = go_base64_decode(arg_str(args, 0).as_bytes())
        .map_err(|_| "unable to decode base64 certificate".to_string())?;
    let key = go_base64_decode(arg_str(args, 1).as_bytes())
        .map_err(|_| "unable to decode base64 private key".to_string())?;
    let cert = bytes_to_string(cert);
    let key = bytes_to_string(key);
    let Some((_, der)) = pem_decode(&cert) else {
        return Err("unable to decode certificate".into());
    };
    parse_certificate(&der)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    parse_private_key_pem(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(cert_value(cert, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::conv::tests::{call_in, ctx, s, string};
    use der::{Decode as _, Encode as _};

    const NOW: i64 = 1_764_000_000;

    fn call(name: &str, args: &[Value], seed: u64) -> Result<Value, String> {
        call_in(FUNCS, name, args, ctx((NOW, 123_456_789), seed))
    }

    fn cert_parts(v: Result<Value, String>) -> (String, String) {
        match v {
            Ok(Value::Object(o)) => {
                assert_eq!(o.type_name(), "sprig.certificate");
                let get = |f: &str| o.field(f).and_then(|v| v.as_str().map(str::to_string));
                (get("Cert").expect("Cert"), get("Key").expect("Key"))
            }
            other => panic!("not a certificate: {other:?}"),
        }
    }

    fn strs(xs: &[&str]) -> Value {
        Value::list(xs.iter().map(|x| Value::str(*x)).collect())
    }

    fn parse_cert(pem: &str) -> x509_cert::Certificate {
        let (kind, der) = pem_decode(pem).expect("pem");
        assert_eq!(kind, "CERTIFICATE");
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(pem.ends_with("\n-----END CERTIFICATE-----\n"));
        x509_cert::Certificate::from_der(&der).expect("certificate parses")
    }

    /// Checks `cert`'s signature with the public key in `issuer`.
    fn verify(cert: &x509_cert::Certificate, issuer: &x509_cert::Certificate) {
        let tbs = cert.tbs_certificate.to_der().expect("tbs");
        let sig = cert.signature.raw_bytes();
        let spki = issuer
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .expect("spki");
        match cert.signature_algorithm.oid.to_string().as_str() {
            OID_SHA256_RSA => {
                use rsa::pkcs8::DecodePublicKey as _;
                use sha2::Digest as _;
                let key = rsa::RsaPublicKey::from_public_key_der(&spki).expect("rsa key");
                key.verify(
                    rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    &sha2::Sha256::digest(&tbs),
                    sig,
                )
                .expect("rsa signature verifies");
            }
            OID_ECDSA_SHA256 => {
                use p256::ecdsa::signature::Verifier as _;
                use p256::pkcs8::DecodePublicKey as _;
                let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).expect("ec key");
                let sig = p256::ecdsa::Signature::from_der(sig).expect("ec sig");
                key.verify(&tbs, &sig).expect("ecdsa signature verifies");
            }
            OID_ED25519 => {
                use ed25519_dalek::Verifier as _;
                use ed25519_dalek::pkcs8::DecodePublicKey as _;
                let key = ed25519_dalek::VerifyingKey::from_public_key_der(&spki).expect("key");
                let sig = ed25519_dalek::Signature::from_slice(sig).expect("sig");
                key.verify(&tbs, &sig).expect("ed25519 signature verifies");
            }
            other => panic!("unexpected algorithm {other}"),
        }
    }

    fn extension<'a>(cert: &'a x509_cert::Certificate, id: &str) -> Option<&'a [u8]> {
        cert.tbs_certificate
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id.to_string() == id)
            .map(|e| e.extn_value.as_bytes())
    }

    #[test]
    fn private_keys_have_go_pem_shapes_and_round_trip() {
        for (kind, header) in [
            ("ecdsa", "EC PRIVATE KEY"),
            ("ed25519", "PRIVATE KEY"),
            ("dsa", "DSA PRIVATE KEY"),
        ] {
            let pem = string(call("genPrivateKey", &[s(kind)], 3));
            assert!(
                pem.starts_with(&format!("-----BEGIN {header}-----\n")),
                "{pem}"
            );
            let key = parse_private_key_pem(&pem).expect("parses back");
            assert_eq!(key.to_pem().expect("pem"), pem, "{kind} round trip");
            // Reproducible for a seed.
            assert_eq!(string(call("genPrivateKey", &[s(kind)], 3)), pem);
        }
        // Go's SEC 1 for P-256 is 121 bytes: it names the curve and carries the public key.
        let ec = string(call("genPrivateKey", &[s("ecdsa")], 5));
        assert_eq!(pem_decode(&ec).expect("pem").1.len(), 121);
        // Go's PKCS#8 for Ed25519 is 48 bytes (no public key).
        let ed = string(call("genPrivateKey", &[s("ed25519")], 5));
        assert_eq!(pem_decode(&ed).expect("pem").1.len(), 48);
        assert_eq!(
            string(call("genPrivateKey", &[s("foo")], 5)),
            "Unknown type foo"
        );
    }

    #[test]
    fn dsa_key_is_consistent() {
        use num_bigint_dig::BigUint;
        use num_bigint_dig::prime::probably_prime;
        let der = gen_dsa(&mut Rng::new(21));
        let (_, body) = DerReader(&der).next().expect("sequence");
        let mut r = DerReader(body);
        let mut ints = Vec::new();
        while let Some((tag, v)) = r.next() {
            assert_eq!(tag, 2);
            ints.push(BigUint::from_bytes_be(v));
        }
        let [version, p, q, g, y, x] = &ints[..] else {
            panic!("six integers expected, got {}", ints.len());
        };
        assert_eq!(version, &BigUint::from(0u32));
        assert_eq!((p.bits(), q.bits()), (2048, 256));
        assert!(probably_prime(p, 10) && probably_prime(q, 10));
        assert_eq!((p - 1u32) % q, BigUint::from(0u32));
        assert_eq!(g.modpow(q, p), BigUint::from(1u32));
        assert_eq!(&g.modpow(x, p), y);
        assert!(x < q);
    }

    #[test]
    fn rsa_private_key_is_4096_pkcs1() {
        use rsa::traits::PublicKeyParts as _;
        let pem = string(call("genPrivateKey", &[s("rsa")], 11));
        assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        match parse_private_key_pem(&pem).expect("parses") {
            PrivKey::Rsa(k) => {
                assert_eq!(k.size() * 8, 4096);
                assert_eq!(k.e(), &rsa::BigUint::from(65537u32));
            }
            _ => panic!("not rsa"),
        }
    }

    #[test]
    fn ca_and_signed_cert() {
        let (ca_pem, ca_key) = cert_parts(call("genCA", &[s("my-ca"), Value::Int(365)], 1));
        assert!(ca_key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let ca = parse_cert(&ca_pem);
        verify(&ca, &ca);
        let tbs = &ca.tbs_certificate;
        assert_eq!(tbs.subject.to_string(), "CN=my-ca");
        assert_eq!(tbs.issuer, tbs.subject);
        assert_eq!(
            tbs.validity.not_before.to_unix_duration().as_secs() as i64,
            NOW
        );
        assert_eq!(
            tbs.validity.not_after.to_unix_duration().as_secs() as i64,
            NOW + 365 * 86_400
        );
        // KeyUsage: digitalSignature, keyEncipherment, keyCertSign; CA; a key id.
        assert_eq!(extension(&ca, "2.5.29.15"), Some(&[3, 2, 2, 0xa4][..]));
        assert_eq!(
            extension(&ca, "2.5.29.19"),
            Some(&[0x30, 3, 1, 1, 0xff][..])
        );
        let ski = extension(&ca, "2.5.29.14").expect("ski");
        assert_eq!(ski.len(), 22);
        assert!(extension(&ca, "2.5.29.35").is_none());

        let ca_value = call("genCA", &[s("my-ca"), Value::Int(365)], 1).expect("ca");
        let (leaf_pem, leaf_key) = cert_parts(call(
            "genSignedCert",
            &[
                s("svc.example"),
                strs(&["10.0.0.1", "::1", "::ffff:1.2.3.4"]),
                strs(&["a.example", "b.example"]),
                Value::Int(30),
                ca_value,
            ],
            2,
        ));
        assert!(leaf_key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let leaf = parse_cert(&leaf_pem);
        verify(&leaf, &ca);
        assert_eq!(leaf.tbs_certificate.issuer, ca.tbs_certificate.subject);
        assert_eq!(extension(&leaf, "2.5.29.15"), Some(&[3, 2, 5, 0xa0][..]));
        assert_eq!(extension(&leaf, "2.5.29.19"), Some(&[0x30, 0][..]));
        let aki = extension(&leaf, "2.5.29.35").expect("aki");
        assert_eq!(&aki[4..], &ski[2..]);
        let san = extension(&leaf, "2.5.29.17").expect("san");
        let want: Vec<u8> = [
            &[0x30, 46][..],
            &[0x82, 9],
            b"a.example",
            &[0x82, 9],
            b"b.example",
            &[0x87, 4, 10, 0, 0, 1],
            &[0x87, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            &[0x87, 4, 1, 2, 3, 4],
        ]
        .concat();
        assert_eq!(&san[..2], &[0x30, (want.len() - 2) as u8]);
        assert_eq!(&san[2..], &want[2..]);
    }

    #[test]
    fn self_signed_with_each_key_type() {
        for kind in ["ecdsa", "ed25519"] {
            let key = string(call("genPrivateKey", &[s(kind)], 4));
            let (pem, key_out) = cert_parts(call(
                "genSelfSignedCertWithKey",
                &[
                    s("*.example.com"),
                    Value::Nil,
                    strs(&["x.example"]),
                    Value::Int(10),
                    s(&key),
                ],
                4,
            ));
            assert_eq!(key_out, key);
            let cert = parse_cert(&pem);
            verify(&cert, &cert);
            // Not a CA: no key id.
            assert!(extension(&cert, "2.5.29.14").is_none());
        }
        let dsa = string(call("genPrivateKey", &[s("dsa")], 4));
        assert_eq!(
            call("genCAWithKey", &[s("x"), Value::Int(3), s(&dsa)], 4).unwrap_err(),
            "error creating certificate: x509: certificate private key does not implement crypto.Signer"
        );
    }

    #[test]
    fn empty_subject_makes_san_critical() {
        let (pem, _) = cert_parts(call(
            "genSelfSignedCert",
            &[s(""), strs(&["127.0.0.1"]), Value::Nil, Value::Int(1)],
            6,
        ));
        let cert = parse_cert(&pem);
        let san = cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id.to_string() == "2.5.29.17")
            .expect("san");
        assert!(san.critical);
    }

    #[test]
    fn signed_cert_errors() {
        let ca = call("genCA", &[s("ca"), Value::Int(1)], 1).expect("ca");
        let other = string(call("genPrivateKey", &[s("ecdsa")], 1));
        let (ca_cert, _) = cert_parts(Ok(ca.clone()));
        let mismatched = call(
            "buildCustomCert",
            &[
                s(&crate::base64_std(ca_cert.as_bytes())),
                s(&crate::base64_std(other.as_bytes())),
            ],
            1,
        )
        .expect("custom");
        assert_eq!(
            call(
                "genSignedCert",
                &[s("x"), Value::Nil, Value::Nil, Value::Int(1), mismatched],
                1
            )
            .unwrap_err(),
            "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
        );
        assert_eq!(
            call(
                "genSignedCert",
                &[
                    s("x"),
                    strs(&["1.2.3"]),
                    Value::Nil,
                    Value::Int(1),
                    ca.clone()
                ],
                1
            )
            .unwrap_err(),
            "error parsing ip: 1.2.3"
        );
        assert_eq!(
            call(
                "genSelfSignedCert",
                &[
                    s("x"),
                    Value::list(vec![Value::Int(1)]),
                    Value::Nil,
                    Value::Int(1)
                ],
                1
            )
            .unwrap_err(),
            "error parsing ip: 1 is not a string"
        );
        assert_eq!(
            call("genCAWithKey", &[s("x"), Value::Int(1), s("junk")], 1).unwrap_err(),
            "parsing private key: no PEM data in input"
        );
    }

    #[test]
    fn far_validity_uses_generalized_time() {
        let (pem, _) = cert_parts(call("genCA", &[s("x"), Value::Int(36_500)], 8));
        let cert = parse_cert(&pem);
        assert!(matches!(
            cert.tbs_certificate.validity.not_after,
            x509_cert::time::Time::GeneralTime(_)
        ));
        assert!(matches!(
            cert.tbs_certificate.validity.not_before,
            x509_cert::time::Time::UtcTime(_)
        ));
    }

    #[test]
    fn aes_round_trip() {
        for (pw, text) in [
            ("secret", "hello world"),
            ("", "x"),
            ("k", "0123456789abcdef"),
        ] {
            let ct = string(call("encryptAES", &[s(pw), s(text)], 9));
            // IV + padded blocks.
            let raw = go_base64_decode(ct.as_bytes()).expect("base64");
            assert_eq!(raw.len(), 16 + (text.len() / 16 + 1) * 16);
            assert_eq!(string(call("decryptAES", &[s(pw), s(&ct)], 0)), text);
        }
        assert_eq!(string(call("encryptAES", &[s("k"), s("")], 0)), "");
        assert_eq!(string(call("decryptAES", &[s("k"), s("")], 0)), "");
        assert_eq!(
            call("decryptAES", &[s("k"), s("YWJj")], 0).unwrap_err(),
            "runtime error: slice bounds out of range [:16] with capacity 3"
        );
    }

    #[test]
    fn aes_decrypts_go_ciphertext() {
        // Made by Helm's encryptAES "secret" "hello world".
        let ct = "6JiidRUcAEHF+bTY4faNaEDTJSG1tSQ5teNPazE9fuA=";
        assert_eq!(
            string(call("decryptAES", &[s("secret"), s(ct)], 0)),
            "hello world"
        );
    }

    #[test]
    fn bcrypt_and_htpasswd() {
        let h = string(call("bcrypt", &[s("password")], 1));
        assert!(h.starts_with("$2a$10$"), "{h}");
        assert_eq!(h.len(), 60);
        assert!(bcrypt::verify("password", &h).expect("verify"));
        let line = string(call("htpasswd", &[s("user"), s("pw")], 1));
        let (user, hash) = line.split_once(':').expect("colon");
        assert_eq!(user, "user");
        assert!(bcrypt::verify("pw", hash).expect("verify"));
        assert_eq!(
            string(call("htpasswd", &[s("a:b"), s("pw")], 1)),
            "invalid username: a:b"
        );
        assert_eq!(
            string(call("bcrypt", &[s(&"x".repeat(73))], 1)),
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        );
    }

    #[test]
    fn build_custom_cert_keeps_text() {
        let (cert, key) = cert_parts(call("genCA", &[s("c"), Value::Int(1)], 3));
        let (c2, k2) = cert_parts(call(
            "buildCustomCert",
            &[
                s(&crate::base64_std(cert.as_bytes())),
                s(&crate::base64_std(key.as_bytes())),
            ],
            0,
        ));
        assert_eq!((c2, k2), (cert, key));
        assert_eq!(
            call("buildCustomCert", &[s("!"), s("")], 0).unwrap_err(),
            "unable to decode base64 certificate"
        );
    }

    #[test]
    fn pem_decode_is_lenient_like_go() {
        let (kind, der) =
            pem_decode("junk\n-----BEGIN X-----\nAAEC\n-----END X-----\ntrailer").expect("block");
        assert_eq!(kind, "X");
        assert_eq!(der, [0, 1, 2]);
        assert!(pem_decode("-----BEGIN X-----\nAAEC\n-----END Y-----\n").is_none());
    }

    #[test]
    fn der_helpers() {
        assert_eq!(der_w::uint(&[0, 0, 0x80]), [2, 2, 0, 0x80]);
        assert_eq!(der_w::uint(&[]), [2, 1, 0]);
        assert_eq!(
            der_w::oid("1.2.840.113549.1.1.11")[2..],
            [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]
        );
        assert_eq!(der_w::tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
        assert_eq!(key_usage_bits(KU_DIGITAL_SIGNATURE), [3, 2, 7, 0x80]);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_000), (2024, 10, 4));
        assert_eq!(
            der_time(NOW).expect("time"),
            der_w::tlv(0x17, b"251124160000Z")
        );
    }

    /// Key generation cost (RSA: `crate::keygen`'s `rsa_timing`):
    /// `cargo test --release -p rudder-gotmpl keygen_timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn keygen_timing() {
        let start = std::time::Instant::now();
        for seed in 0..3 {
            gen_dsa(&mut Rng::new(seed));
        }
        println!("dsa: {:?} per key", start.elapsed() / 3);
        let start = std::time::Instant::now();
        derive_password(
            &mut ctx((NOW, 123_456_789), 0),
            &[Value::Int(1), s("long"), s("pw"), s("u"), s("site")],
        )
        .expect("password");
        println!("derivePassword: {:?}", start.elapsed());
    }
}
