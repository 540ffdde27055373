//! Test guest: a policy that misbehaves as its settings say, so the host's handling of a
//! hostile policy is tested. `{"mode": ...}`:
//! - `ok` (the default): one violation, code `ok`, about the first manifest (none when
//!   there is none), the control case;
//! - `loop`: `evaluate` never returns (the host's deadline must stop it);
//! - `alloc`: `evaluate` allocates until memory runs out;
//! - `garbage`: violations the host must not trust: manifest indices far out of range, a
//!   10 MiB message, control characters in the code, message and path, an empty code;
//! - `panic`: `evaluate` panics (a trap).

use rudder_sdk::{Context, Error, Object, Policy, Severity, Violation};
use serde::Deserialize;

pub struct Hostile;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Ok,
    Loop,
    Alloc,
    Garbage,
    Panic,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub mode: Mode,
}

const SCHEMA: &str = r#"{"type":"object","properties":{"mode":{"enum":["ok","loop","alloc","garbage","panic"]}},"additionalProperties":false}"#;

/// The size of the garbage message.
pub const HUGE: usize = 10 * 1024 * 1024;

impl Policy for Hostile {
    const NAME: &'static str = "hostile";
    const DESCRIPTION: &'static str = "misbehaves as its settings say (test guest)";
    const SETTINGS_SCHEMA: &'static str = SCHEMA;
    type Settings = Settings;

    fn evaluate(
        objects: &[Object<'_>],
        _context: &Context,
        settings: &Settings,
    ) -> Result<Vec<Violation>, Error> {
        match settings.mode {
            Mode::Ok => Ok(objects
                .first()
                .map(|o| Violation::warning("ok", o, format!("looked at {}", o.id())))
                .into_iter()
                .collect()),
            Mode::Loop => spin(),
            Mode::Alloc => Ok(vec![allocate()]),
            Mode::Garbage => Ok(garbage(objects.len())),
            Mode::Panic => fail(),
        }
    }
}

fn spin() -> ! {
    let mut i = 0u64;
    loop {
        // black_box keeps the optimiser from reasoning about the loop.
        i = std::hint::black_box(i.wrapping_add(1));
    }
}

/// Keeps every block it allocates, until allocation fails (and aborts).
fn allocate() -> Violation {
    let mut kept: Vec<Vec<u8>> = Vec::new();
    loop {
        let block = vec![1u8; 1 << 20];
        kept.push(std::hint::black_box(block));
        if std::hint::black_box(kept.len()) == usize::MAX {
            break;
        }
    }
    Violation {
        code: "unreachable".into(),
        severity: Severity::Error,
        message: format!("{}", kept.len()),
        object: 0,
        path: None,
    }
}

fn garbage(count: usize) -> Vec<Violation> {
    let v = |code: &str, object: usize, message: String, path: Option<String>| Violation {
        code: code.into(),
        severity: Severity::Error,
        message,
        object,
        path,
    };
    vec![
        v(
            "out-of-range",
            count,
            "index just past the end".into(),
            None,
        ),
        v("out-of-range", usize::MAX, "index u32::MAX".into(), None),
        v("out-of-range", 1 << 31, "index 2^31".into(), None),
        v("huge", 0, "x".repeat(HUGE), None),
        v(
            "control\u{0}\u{1b}[31m",
            0,
            "bell\u{7} escape\u{1b}[2J nul\u{0} cr\r back\u{8}".into(),
            Some("spec\u{0}.\u{1b}[0m".into()),
        ),
        v("", 0, String::new(), Some(String::new())),
    ]
}

#[expect(clippy::panic, reason = "panicking is this test guest's job")]
fn fail() -> ! {
    panic!("hostile policy panics on purpose")
}

rudder_sdk::export_policy!(Hostile);

#[cfg(test)]
mod tests {
    use super::*;
    use rudder_sdk::testing;
    use serde_json::json;

    const ONE: &str = "kind: ConfigMap\nmetadata: {name: c}\n";

    #[test]
    fn modes_parse() {
        for mode in ["ok", "loop", "alloc", "garbage", "panic"] {
            assert!(
                testing::validate::<Hostile>(json!({"mode": mode})).is_ok(),
                "{mode}"
            );
        }
        assert!(testing::validate::<Hostile>(json!({})).is_ok());
        assert!(testing::validate::<Hostile>(json!({"mode": "nice"})).is_err());
        assert!(testing::check_schema::<Hostile>().is_ok());
    }

    #[test]
    fn ok_reports_one_violation() {
        let found = testing::evaluate::<Hostile>(ONE, json!({"mode": "ok"})).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "looked at ConfigMap/c");
        assert!(
            testing::evaluate::<Hostile>("", json!({}))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn garbage_is_garbage() {
        let found = testing::evaluate::<Hostile>(ONE, json!({"mode": "garbage"})).unwrap();
        assert_eq!(found[0].object, 1);
        assert_eq!(found[3].message.len(), HUGE);
        assert!(found[4].code.contains('\u{1b}'));
    }
}
