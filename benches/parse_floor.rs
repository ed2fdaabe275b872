//! The floor for a diff: parsing both sides with the parser the pipeline uses, and nothing else.
//! `benches/stripe.sh` compares whole runs with this process's wall time and peak RSS.
//!
//! Usage: `parse_floor OLD NEW [--sequential]` (cargo bench appends `--bench`, which is ignored).
//! Both files are parsed side by side by default, as the pipeline loads the two sides in
//! parallel; `--sequential` parses one after the other. Prints the in-process times on stdout.

use contractdiff::doc::Document;
use std::time::{Duration, Instant};

/// Read and parse one file. The document is returned so that both sides are alive at once, as
/// in the pipeline, and the peak RSS of this process is a floor for a run's too.
fn parse(path: &str) -> (Document, usize, Duration) {
    let started = Instant::now();
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = Document::parse(path, &bytes).unwrap_or_else(|e| panic!("{path}: {e:?}"));
    (std::hint::black_box(doc), bytes.len(), started.elapsed())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sequential = args.iter().any(|a| a == "--sequential");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [old, new] = paths.as_slice() else {
        eprintln!("usage: parse_floor OLD NEW [--sequential]");
        std::process::exit(2);
    };
    let started = Instant::now();
    let (old, new) = if sequential {
        (parse(old), parse(new))
    } else {
        std::thread::scope(|s| {
            let job = s.spawn(|| parse(old));
            let new = parse(new);
            (job.join().unwrap(), new)
        })
    };
    let total = started.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "old {} B {:.1} ms, new {} B {:.1} ms, both {} {:.1} ms",
        old.1,
        ms(old.2),
        new.1,
        ms(new.2),
        if sequential { "sequential" } else { "in parallel" },
        ms(total)
    );
}
