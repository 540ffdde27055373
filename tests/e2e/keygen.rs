//! Key generation through the plugin: keys come from the host's `generate-rsa-key` import, at
//! native speed, and stay determined by the render's seed — the same key natively and in the
//! sandbox, in one call or split over several, run after run with `--deterministic`. The keys
//! and certificates are real: they parse, and each certificate verifies against its issuer.

use std::path::Path;

use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::traits::PublicKeyParts as _;
use rudder::chart::File;
use x509_cert::der::{DecodePem as _, Encode as _};

use crate::rudder;

/// A CA, a certificate it signs, a self-signed certificate and a 4096-bit key, spread over
/// three templates padded past the size at which `rudder template` splits a release over
/// several plugin instances.
const TEMPLATES: [(&str, &str); 3] = [
    (
        "templates/ca.yaml",
        r#"{{- $ca := genCA "keygen-ca" 365 }}
{{- $leaf := genSignedCert "leaf.example" (list "10.0.0.1") (list "leaf.example") 30 $ca }}
apiVersion: v1
kind: Secret
metadata:
  name: ca
stringData:
  ca.crt: |
{{ $ca.Cert | indent 4 }}
  leaf.crt: |
{{ $leaf.Cert | indent 4 }}
  leaf.key: |
{{ $leaf.Key | indent 4 }}
"#,
    ),
    (
        "templates/self.yaml",
        r#"{{- $c := genSelfSignedCert "self.example" nil (list "self.example") 30 }}
apiVersion: v1
kind: Secret
metadata:
  name: self
stringData:
  self.crt: |
{{ $c.Cert | indent 4 }}
  self.key: |
{{ $c.Key | indent 4 }}
"#,
    ),
    (
        "templates/key.yaml",
        r#"apiVersion: v1
kind: Secret
metadata:
  name: key
stringData:
  big.key: |
{{ genPrivateKey "rsa" | indent 4 }}
"#,
    ),
];

/// The templates with a comment that makes each 20 KB.
fn padded(text: &str) -> String {
    format!("{{{{/* {} */}}}}\n{text}", "x".repeat(20 * 1024))
}

fn write_chart(dir: &Path) {
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: keys\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    for (path, text) in TEMPLATES {
        std::fs::write(dir.join(path), padded(text)).expect("template");
    }
}

/// The PEM blocks of `text` (indentation removed), with the key each follows (`ca.crt`).
fn pem_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut key = String::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
            if line.starts_with("-----END ") {
                blocks.push((key.clone(), current.take().unwrap_or_default()));
            }
        } else if line.starts_with("-----BEGIN ") {
            current = Some(format!("{line}\n"));
        } else if let Some(k) = line.strip_suffix(": |") {
            key = k.to_string();
        }
    }
    blocks
}

fn block<'a>(blocks: &'a [(String, String)], key: &str) -> &'a str {
    blocks
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, b)| b.as_str())
        .unwrap_or_else(|| panic!("no {key} in the output"))
}

fn cert(pem: &str) -> x509_cert::Certificate {
    x509_cert::Certificate::from_pem(pem.as_bytes()).expect("certificate parses")
}

fn public_key(cert: &x509_cert::Certificate) -> rsa::RsaPublicKey {
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .expect("spki");
    rsa::RsaPublicKey::from_public_key_der(&spki).expect("rsa public key")
}

/// Checks `cert`'s SHA256-with-RSA signature with `issuer`'s public key.
fn verifies(cert: &x509_cert::Certificate, issuer: &x509_cert::Certificate) -> bool {
    use sha2::Digest as _;
    let tbs = cert.tbs_certificate.to_der().expect("tbs");
    public_key(issuer)
        .verify(
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            &sha2::Sha256::digest(&tbs),
            cert.signature.raw_bytes(),
        )
        .is_ok()
}

fn private_key(pem: &str) -> rsa::RsaPrivateKey {
    assert!(
        pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"),
        "{pem}"
    );
    let (label, der) = x509_cert::der::pem::decode_vec(pem.as_bytes()).expect("PEM");
    assert_eq!(label, "RSA PRIVATE KEY");
    rsa::RsaPrivateKey::from_pkcs1_der(&der).expect("PKCS#1 key parses")
}

fn template(dir: &Path, extra: &[&str]) -> String {
    let chart = dir.join("keys");
    let chart = chart.to_str().expect("utf-8 path");
    let mut args = vec!["template", "rel", chart];
    args.extend_from_slice(extra);
    let run = rudder(dir, &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.stdout
}

#[test]
fn deterministic_keys_agree_run_after_run_and_split_or_serial() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_chart(&dir.path().join("keys"));
    let split = template(dir.path(), &["--deterministic", "--jobs", "4"]);
    let again = template(dir.path(), &["--deterministic", "--jobs", "4"]);
    let serial = template(dir.path(), &["--deterministic", "--jobs", "1"]);
    assert!(split == again, "two deterministic renders differ");
    assert!(
        split == serial,
        "split and serial deterministic renders differ"
    );

    let blocks = pem_blocks(&split);
    let ca = cert(block(&blocks, "ca.crt"));
    let leaf = cert(block(&blocks, "leaf.crt"));
    let own = cert(block(&blocks, "self.crt"));
    assert!(verifies(&ca, &ca), "the CA is not self-signed");
    assert!(
        verifies(&leaf, &ca),
        "the leaf does not verify against its CA"
    );
    assert!(
        !verifies(&leaf, &own),
        "the leaf verifies against another key"
    );
    assert!(
        verifies(&own, &own),
        "the self-signed certificate does not verify"
    );
    // Each private key is the one its certificate carries, of Sprig's size.
    let leaf_key = private_key(block(&blocks, "leaf.key"));
    assert_eq!(leaf_key.n(), public_key(&leaf).n());
    assert_eq!(leaf_key.n().bits(), 2048);
    let self_key = private_key(block(&blocks, "self.key"));
    assert_eq!(self_key.n(), public_key(&own).n());
    assert_ne!(self_key.n(), leaf_key.n());
    assert_eq!(private_key(block(&blocks, "big.key")).n().bits(), 4096);

    // Without --deterministic the seed is fresh: other keys.
    let fresh = template(dir.path(), &["--jobs", "1"]);
    assert_ne!(
        block(&pem_blocks(&fresh), "big.key"),
        block(&blocks, "big.key")
    );
}

/// The same job rendered by the engine natively (keys made in process) and by the plugin
/// (keys made by the host's import) gives the same text, keys included.
#[test]
fn plugin_and_native_engine_make_the_same_keys() {
    let templates: Vec<(String, Vec<u8>)> = TEMPLATES
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    let (now, seed) = ((1_700_000_000, 0), 20_251_202);
    let native = rudder_gotmpl::render::render_output(
        &rudder_gotmpl::render::Job {
            charts: vec![rudder_gotmpl::render::Chart {
                path: "keys".into(),
                metadata: serde_json::json!({"name": "keys", "version": "0.1.0"}),
                templates: templates.clone(),
                ..Default::default()
            }],
            values: rudder_gotmpl::value::Value::from_json(&serde_json::json!({})),
            release: serde_json::json!({}),
            capabilities: serde_json::json!({}),
            now,
            seed,
            ..Default::default()
        },
        &rudder_gotmpl::func::Offline,
    )
    .expect("native render")
    .templates;

    let cache = tempfile::tempdir().expect("tempdir");
    let renderer = crate::builtin_renderer(cache.path());
    let files = templates
        .iter()
        .map(|(path, data)| File {
            path: path.clone(),
            data: data.clone(),
        })
        .collect();
    let job = crate::one_chart_job(
        "keys",
        r#"{"name":"keys","version":"0.1.0"}"#,
        files,
        Vec::new(),
        now,
        seed,
    );
    let plugin: Vec<(String, String)> = renderer
        .render(&job)
        .expect("plugin call")
        .expect("render")
        .templates
        .into_iter()
        .map(|t| (t.name, t.content))
        .collect();
    assert_eq!(plugin.len(), 3);
    for (name, content) in &plugin {
        let (_, expected) = native
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} not rendered natively"));
        assert!(
            content.contains("-----BEGIN RSA PRIVATE KEY-----"),
            "{name}"
        );
        assert!(content == expected, "{name} differs from the native render");
    }
}
