//! `rudder policy test`: every suite run, each case reported, and a diff of expected and
//! actual violations for the cases that fail.

use std::path::PathBuf;

use rudder::plugin::{Registry, Runtime};
use rudder::policy::suite;

use super::failure::Failure;
use super::print::Printer;

pub fn test(
    registry: &Registry,
    runtime: &Runtime,
    paths: &[PathBuf],
    printer: &mut Printer<'_>,
) -> Result<(), Failure> {
    let mut files = Vec::new();
    for p in paths {
        files.extend(suite::find(p).map_err(Failure::usage)?);
    }
    if files.is_empty() {
        return Err(Failure::usage_msg(format!(
            "no policy suite (a YAML file with `cases:`) under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let (mut passed, mut failed) = (0, 0);
    let mut text = String::new();
    for file in &files {
        let report = suite::run(registry, runtime, file).map_err(Failure::usage)?;
        text.push_str(&format!("{} ({})\n", report.file.display(), report.policy));
        for case in &report.cases {
            if case.passed() {
                passed += 1;
                text.push_str(&format!("  ok    {}\n", case.name));
                continue;
            }
            failed += 1;
            text.push_str(&format!("  FAIL  {}\n", case.name));
            if let Some(e) = &case.error {
                text.push_str(&format!("        error: {e}\n"));
            }
            for m in &case.missing {
                text.push_str(&format!("        - expected: {m}\n"));
            }
            for u in &case.unexpected {
                text.push_str(&format!("        + actual:   {u}\n"));
            }
        }
    }
    text.push_str(&format!(
        "{passed} passed, {failed} failed ({} suite(s))\n",
        files.len()
    ));
    printer.out().write_all(text.as_bytes())?;
    printer.flush()?;
    if failed > 0 {
        return Err(Failure::failed(anyhow::anyhow!(
            "{failed} policy test case(s) failed"
        )));
    }
    Ok(())
}
