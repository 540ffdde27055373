//! Prints what an `exec` input renders: the template, helpers, values and files, then the
//! render's result. `cargo +nightly run --manifest-path fuzz/Cargo.toml --example show FILE`
//! (add `--render` to also run it).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: show FILE [--render]");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let case = rudder_fuzz::Case::from_bytes(&data);
    println!("--- template\n{}", case.template);
    println!("--- helpers\n{}", case.helpers);
    println!("--- values\n{}", case.values);
    for (n, c) in &case.files {
        println!("--- file {n}\n{}", String::from_utf8_lossy(c));
    }
    println!("--- strict: {}", case.strict);
    println!(
        "--- within budget: {}",
        rudder_fuzz::budget(&case.all_text(), &case.values)
    );
    if args.next().as_deref() == Some("--render") {
        let job = case.job();
        rudder_fuzz::on_big_stack(|| {
            let r = rudder_gotmpl::render::render(&job, &rudder_gotmpl::func::Offline);
            println!("--- result\n{r:?}");
        });
    }
}
