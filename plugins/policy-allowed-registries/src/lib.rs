//! Example policy `allowed-registries`: every container image of every pod spec (init and
//! ephemeral containers included) comes from one of the allowed registries, and with
//! `require-digest` is pinned by digest.
//!
//! Settings: `{"registries": ["ghcr.io/acme/", "docker.io/library/"], "require-digest":
//! true}`. Images are compared in their full form, as Docker names them: `nginx` is
//! `docker.io/library/nginx`, `acme/web` is `docker.io/acme/web`, `index.docker.io/x` is
//! `docker.io/x`. A prefix that does not end with `/` matches at a path boundary only
//! (`ghcr.io/acme` allows `ghcr.io/acme/web` but not `ghcr.io/acme-evil/web`). An empty
//! list of registries allows every registry. Codes: `registry-not-allowed`,
//! `digest-required`, `missing-image`.

use rudder_sdk::{Context, Error, Object, Policy, SettingsError, Violation};
use serde::Deserialize;

pub struct AllowedRegistries;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Allowed prefixes of the full image name (`ghcr.io/acme/`); empty allows any.
    pub registries: Vec<String>,
    /// Images must be pinned by digest (`@sha256:` and 64 hex digits).
    pub require_digest: bool,
}

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "registries": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "require-digest": {"type": "boolean"}
  },
  "additionalProperties": false
}"#;

impl Policy for AllowedRegistries {
    const NAME: &'static str = "allowed-registries";
    const DESCRIPTION: &'static str =
        "container images come from allowed registries, optionally pinned by digest";
    const SETTINGS_SCHEMA: &'static str = SCHEMA;
    type Settings = Settings;

    fn validate(settings: &Settings) -> Result<(), SettingsError> {
        if settings.registries.is_empty() && !settings.require_digest {
            return Err(SettingsError::new(
                "name the allowed registries, or set require-digest",
            ));
        }
        for (i, r) in settings.registries.iter().enumerate() {
            if r.trim() != r || r.is_empty() {
                return Err(SettingsError::at(
                    format!("registries[{i}]"),
                    format!("{r:?} is empty or has spaces around it"),
                ));
            }
        }
        Ok(())
    }

    fn evaluate(
        objects: &[Object<'_>],
        _context: &Context,
        settings: &Settings,
    ) -> Result<Vec<Violation>, Error> {
        let mut found = Vec::new();
        for o in objects {
            for c in o.containers() {
                let path = c.path_of(&["image"]);
                let what = format!("{} container {:?}", o.id(), c.name());
                let Some(image) = c.image().filter(|i| !i.is_empty()) else {
                    found.push(
                        Violation::error(
                            "missing-image",
                            o,
                            format!("{what} has no image ({path})"),
                        )
                        .at(path),
                    );
                    continue;
                };
                let full = normalize(image);
                if !settings.registries.is_empty()
                    && !settings.registries.iter().any(|r| allows(r, &full))
                {
                    found.push(
                        Violation::error(
                            "registry-not-allowed",
                            o,
                            format!(
                                "{what} image {image:?} ({full}) is not from an allowed registry ({}) ({path})",
                                settings.registries.join(", ")
                            ),
                        )
                        .at(path.clone()),
                    );
                }
                if settings.require_digest && !has_digest(image) {
                    found.push(
                        Violation::error(
                            "digest-required",
                            o,
                            format!("{what} image {image:?} is not pinned by digest (@sha256:...) ({path})"),
                        )
                        .at(path),
                    );
                }
            }
        }
        Ok(found)
    }
}

/// The full name of an image reference, as Docker resolves it: a first component that is
/// not a host (no `.` or `:`, not `localhost`) means Docker Hub, and a single component
/// there means `library/`.
pub fn normalize(image: &str) -> String {
    let (first, rest) = match image.split_once('/') {
        Some((first, rest)) => (first, Some(rest)),
        None => (image, None),
    };
    let is_host = first.contains('.') || first.contains(':') || first == "localhost";
    match rest {
        Some(rest) if is_host => {
            if matches!(
                first,
                "docker.io" | "index.docker.io" | "registry-1.docker.io"
            ) {
                docker_hub(rest)
            } else {
                image.to_string()
            }
        }
        _ => docker_hub(image),
    }
}

/// `path` on Docker Hub: `docker.io/library/nginx` for `nginx`.
fn docker_hub(path: &str) -> String {
    if path.contains('/') {
        format!("docker.io/{path}")
    } else {
        format!("docker.io/library/{path}")
    }
}

/// Whether `prefix` allows the full image name `full`, at a path boundary when the prefix
/// does not end with one.
fn allows(prefix: &str, full: &str) -> bool {
    let first = prefix.split('/').next().unwrap_or("");
    let prefix = if first.contains('.') || first.contains(':') || first == "localhost" {
        prefix.to_string()
    } else {
        // `acme/` or `library/`: a Docker Hub namespace written short.
        format!("docker.io/{prefix}")
    };
    match full.strip_prefix(prefix.as_str()) {
        None => false,
        Some(rest) => {
            prefix.ends_with(['/', ':', '@'])
                || rest.is_empty()
                || rest.starts_with(['/', ':', '@'])
        }
    }
}

/// Whether the reference ends with `@sha256:` and 64 lowercase hex digits.
fn has_digest(image: &str) -> bool {
    image.rsplit_once("@sha256:").is_some_and(|(_, hex)| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

rudder_sdk::export_policy!(AllowedRegistries);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_as_docker_does() {
        for (image, full) in [
            ("nginx", "docker.io/library/nginx"),
            ("nginx:1.25", "docker.io/library/nginx:1.25"),
            ("acme/web:1", "docker.io/acme/web:1"),
            ("docker.io/nginx", "docker.io/library/nginx"),
            ("docker.io/library/nginx", "docker.io/library/nginx"),
            ("index.docker.io/acme/web", "docker.io/acme/web"),
            ("ghcr.io/acme/web@sha256:00", "ghcr.io/acme/web@sha256:00"),
            ("localhost/web", "localhost/web"),
            ("localhost:5000/web", "localhost:5000/web"),
            ("registry:5000/web", "registry:5000/web"),
        ] {
            assert_eq!(normalize(image), full, "{image}");
        }
    }

    #[test]
    fn prefixes_match_at_path_boundaries() {
        assert!(allows("ghcr.io/acme/", "ghcr.io/acme/web:1"));
        assert!(allows("ghcr.io/acme", "ghcr.io/acme/web:1"));
        assert!(!allows("ghcr.io/acme", "ghcr.io/acme-evil/web:1"));
        assert!(allows("ghcr.io/acme/web", "ghcr.io/acme/web:1"));
        assert!(allows("library/", "docker.io/library/nginx"));
        assert!(allows("docker.io/library/nginx", "docker.io/library/nginx"));
        assert!(!allows("ghcr.io/acme/", "docker.io/library/nginx"));
        assert!(allows("localhost:5000/", "localhost:5000/web"));
        assert!(allows("localhost/", "localhost/web"));
    }

    #[test]
    fn digests_are_64_hex_digits() {
        let hex = "a".repeat(64);
        assert!(has_digest(&format!("nginx@sha256:{hex}")));
        assert!(has_digest(&format!("nginx:1.25@sha256:{hex}")));
        assert!(!has_digest("nginx:1.25"));
        assert!(!has_digest("nginx@sha256:abc"));
        assert!(!has_digest(&format!("nginx@sha256:{}", "A".repeat(64))));
    }
}
