//! The floor for a diff: parsing both sides with the parser the pipeline uses, and nothing else.
//! `benches/stripe.sh` compares whole runs with this process's wall time and peak RSS.
//!
//! Usage: `parse_floor OLD NEW` (cargo bench appends `--bench`, which is ignored).
//! Prints, on stdout, the in-process time for both parses one after the other and side by side
//! (the pipeline loads the two sides in parallel).

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
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [old, new] = paths.as_slice() else {
        eprintln!("usage: parse_floor OLD NEW");
        std::process::exit(2);
    };
    let started = Instant::now();
    let (old_doc, old_bytes, old_time) = parse(old);
    let (new_doc, new_bytes, new_time) = parse(new);
    let sequential = started.elapsed();
    drop((old_doc, new_doc));

    let started = Instant::now();
    std::thread::scope(|s| {
        let job = s.spawn(|| parse(old));
        let new_doc = parse(new);
        drop((job.join().unwrap(), new_doc));
    });
    let parallel = started.elapsed();

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "old {old_bytes} B {:.1} ms, new {new_bytes} B {:.1} ms, sequential {:.1} ms, parallel {:.1} ms",
        ms(old_time),
        ms(new_time),
        ms(sequential),
        ms(parallel)
    );
}
