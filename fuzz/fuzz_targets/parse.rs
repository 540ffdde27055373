//! Arbitrary bytes, read as UTF-8 (lossily, as Helm's engine reads template files), parsed
//! as a Go template. Errors are fine; panics, stack overflows and hangs are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rudder_gotmpl::exec::has_function;
use rudder_gotmpl::parse::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    rudder_fuzz::on_big_stack(|| {
        let _ = parse("c/templates/t.yaml", &text, &has_function);
    });
});
