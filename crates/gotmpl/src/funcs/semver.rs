//! Sprig's `semver` and `semverCompare`, and the `*semver.Version` object templates see. The
//! versions and constraints themselves are Masterminds/semver's, in `rudder_gocompat::semver`.

use std::cmp::Ordering;
use std::sync::Arc;

use rudder_gocompat::semver::{Constraints, Version, validate_metadata, validate_prerelease};

use crate::func::{Func, FuncCtx, Ty};
use crate::funcs::arg_str;
use crate::value::{Object, Value};

pub static FUNCS: &[Func] = &[
    Func::new("semver", &[Ty::String], semver),
    Func::new("semverCompare", &[Ty::String, Ty::String], semver_compare),
];

// --- the template object -----------------------------------------------------------------

/// A version as templates see it: `*semver.Version` from `semver`, or the `semver.Version`
/// value the `Inc*` methods return (which has no pointer methods such as `Original`).
pub struct VersionObject {
    pub v: Version,
    pub pointer: bool,
}

impl VersionObject {
    pub fn value(v: Version, pointer: bool) -> Value {
        Value::Object(Arc::new(VersionObject { v, pointer }))
    }
}

const VALUE_METHODS: &[&str] = &[
    "Major",
    "Minor",
    "Patch",
    "Prerelease",
    "Metadata",
    "String",
    "IncMajor",
    "IncMinor",
    "IncPatch",
    "SetPrerelease",
    "SetMetadata",
    "MarshalJSON",
    "MarshalText",
    "Value",
];
const POINTER_METHODS: &[&str] = &[
    "Original",
    "LessThan",
    "LessThanEqual",
    "GreaterThan",
    "GreaterThanEqual",
    "Equal",
    "Compare",
    "UnmarshalJSON",
    "UnmarshalText",
    "Scan",
];

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// The version inside an argument that should be a `*semver.Version`.
fn version_arg(v: &Value) -> Result<Version, String> {
    if matches!(v, Value::Nil) {
        // A nil `*semver.Version`: the method dereferences it and Go's panic is reported.
        return Err(NIL_DEREF.into());
    }
    let Value::Object(o) = v else {
        return Err(format!(
            "wrong type for value; expected *semver.Version; got {}",
            v.type_name()
        ));
    };
    if o.type_name() != "*semver.Version" {
        return Err(format!(
            "wrong type for value; expected *semver.Version; got {}",
            o.type_name()
        ));
    }
    let num = |name: &str| match o.field(name) {
        Some(Value::Uint64(n)) => n,
        _ => 0,
    };
    let text = |name: &str| {
        o.field(name)
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    Ok(Version {
        major: num("Major"),
        minor: num("Minor"),
        patch: num("Patch"),
        pre: text("Prerelease"),
        metadata: text("Metadata"),
        original: text("Original"),
    })
}

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        if self.pointer {
            "*semver.Version"
        } else {
            "semver.Version"
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.v;
        Some(match name {
            "Major" => Value::Uint64(v.major),
            "Minor" => Value::Uint64(v.minor),
            "Patch" => Value::Uint64(v.patch),
            "Prerelease" => Value::str(v.pre.as_str()),
            "Metadata" => Value::str(v.metadata.as_str()),
            "String" => Value::str(v.to_string()),
            "Original" if self.pointer => Value::str(v.original.as_str()),
            "IncMajor" => VersionObject::value(v.inc_major(), false),
            "IncMinor" => VersionObject::value(v.inc_minor(), false),
            "IncPatch" => VersionObject::value(v.inc_patch(), false),
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if args.is_empty()
            && let Some(v) = self.field(name)
        {
            return Some(Ok(v));
        }
        let one = || -> Result<Version, String> {
            match args {
                [a] => version_arg(a),
                _ => Err(format!(
                    "wrong number of args for {name}: want 1 got {}",
                    args.len()
                )),
            }
        };
        let cmp = |f: fn(Ordering) -> bool| one().map(|o| Value::Bool(f(self.v.compare(&o))));
        Some(match name {
            "SetPrerelease" | "SetMetadata" => {
                let [Value::String(s)] = args else {
                    return Some(Err("wrong type for value; expected string".into()));
                };
                let mut n = self.v.clone();
                let check = if name == "SetPrerelease" {
                    validate_prerelease
                } else {
                    validate_metadata
                };
                if !s.is_empty()
                    && let Err(e) = check(s)
                {
                    return Some(Err(e));
                }
                if name == "SetPrerelease" {
                    n.pre = s.to_string();
                } else {
                    n.metadata = s.to_string();
                }
                Ok(VersionObject::value(
                    n.with_original(self.v.v_prefix()),
                    false,
                ))
            }
            _ if !self.pointer => return None,
            "Compare" => one().map(|o| {
                Value::Int(match self.v.compare(&o) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                })
            }),
            "LessThan" => cmp(|o| o == Ordering::Less),
            "LessThanEqual" => cmp(|o| o != Ordering::Greater),
            "GreaterThan" => cmp(|o| o == Ordering::Greater),
            "GreaterThanEqual" => cmp(|o| o != Ordering::Less),
            "Equal" => cmp(|o| o == Ordering::Equal),
            _ => return None,
        })
    }

    fn method_params(&self, name: &str) -> Option<(&'static [Ty], Option<Ty>)> {
        match name {
            "SetPrerelease" | "SetMetadata" => Some((&[Ty::String], None)),
            "Compare" | "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual"
            | "Equal"
                if self.pointer =>
            {
                Some((&[Ty::Named("*semver.Version")], None))
            }
            _ => None,
        }
    }

    fn has_method(&self, name: &str) -> bool {
        VALUE_METHODS.contains(&name) || (self.pointer && POINTER_METHODS.contains(&name))
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.v.to_string())
    }

    fn go_format(&self) -> String {
        self.v.to_string()
    }
}

fn semver(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    Ok(VersionObject::value(Version::parse(arg_str(a, 0))?, true))
}

fn semver_compare(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value, String> {
    let c = Constraints::parse(arg_str(a, 0))?;
    let v = Version::parse(arg_str(a, 1))?;
    Ok(Value::Bool(c.check(&v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .unwrap()
            .check(&Version::parse(v).unwrap())
    }

    #[test]
    fn parsing() {
        let v = Version::parse("v1.2.3-rc.1+build.5").unwrap();
        assert_eq!((v.major, v.minor, v.patch), (1, 2, 3));
        assert_eq!((v.pre.as_str(), v.metadata.as_str()), ("rc.1", "build.5"));
        assert_eq!(v.to_string(), "1.2.3-rc.1+build.5");
        assert_eq!(Version::parse("01.2").unwrap().to_string(), "1.2.0");
        assert_eq!(
            Version::parse("1.2.3.4").unwrap_err(),
            "invalid semantic version"
        );
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err(),
            "version segment starts with 0"
        );
        assert_eq!(
            Version::parse("1.2.3-a..b").unwrap_err(),
            "invalid semantic version"
        );
        assert!(
            Version::parse("99999999999999999999999")
                .unwrap_err()
                .contains("value out of range")
        );
        assert_eq!(
            Version::parse("v1.2.3").unwrap().inc_major().original,
            "v2.0.0"
        );
        assert_eq!(
            Version::parse("1.2.3-a").unwrap().inc_patch().to_string(),
            "1.2.3"
        );
    }

    #[test]
    fn constraints() {
        assert!(sat(">=1.21-0", "v1.28.3+k3s1"));
        assert!(sat(">=1.21-0", "1.21.0-eks-123"));
        assert!(!sat(">=1.21", "1.21.0-eks-123"));
        assert!(!sat(">=1.21-0", "1.20.9"));
        assert!(sat("^1.2.3", "1.9.0"));
        assert!(!sat("^1.2.3", "2.0.0"));
        assert!(sat("^0.2.3", "0.2.9"));
        assert!(!sat("^0.2.3", "0.3.0"));
        assert!(sat("~1.2.3", "1.2.9"));
        assert!(!sat("~1.2.3", "1.3.0"));
        assert!(sat("1.2.x", "1.2.7"));
        assert!(sat("1.2 - 1.4", "1.4.9"));
        assert!(!sat("1.2 - 1.4", "1.5.0"));
        assert!(sat("<1.0 || >=2.0", "2.1.0"));
        assert!(sat(">= 1.2, < 3", "2.0.0"));
        assert!(sat("!=1.2.3", "1.2.4"));
        assert!(!sat("!=1.2.x", "1.2.4"));
        assert!(sat("*", "5.0.0"));
        assert!(sat("1.x x", "1.2.3"));
        assert!(!sat("~1.2.x", "1.2.3-alpha"));
        assert_eq!(
            Constraints::parse("foo").err().unwrap(),
            "improper constraint: foo"
        );
    }
}
