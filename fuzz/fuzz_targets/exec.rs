//! A whole render: a template (a raw prefix plus text generated from a small Go-template
//! grammar), a values tree, a few files and maybe a helpers file, through
//! `render::render`. Errors are fine; panics, stack overflows and hangs are not. Inputs
//! whose work is unbounded in Go too are skipped (see `rudder_fuzz::budget`).
#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use rudder_gotmpl::func::Offline;
use rudder_gotmpl::render::render;

fuzz_target!(|data: &[u8]| -> Corpus {
    let case = rudder_fuzz::Case::from_bytes(data);
    if !rudder_fuzz::budget(&case.all_text(), &case.values) {
        return Corpus::Reject;
    }
    let job = case.job();
    rudder_fuzz::on_big_stack(|| {
        let _ = render(&job, &Offline);
    });
    Corpus::Keep
});
