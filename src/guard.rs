//! The last line of defence: a panic that escapes becomes exit code 2 with "internal error",
//! never exit 101 with a Rust backtrace on a CI log.
//!
//! Panics are caught where they are expected (a thread running a third-party parser); the hook
//! keeps Rust's default message off stderr for those, and remembers the last one for the
//! top-level report.

use std::sync::{Arc, Mutex};

/// The last panic's message and place, for the report of one that reached the top.
#[derive(Clone, Default)]
pub struct Panicked(Arc<Mutex<Option<String>>>);

impl Panicked {
    pub fn message(&self) -> String {
        let last = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        last.unwrap_or_else(|| "a panic".to_string())
    }
}

/// Replace the default panic hook with one that records instead of printing.
pub fn catch_panics() -> Panicked {
    let panicked = Panicked::default();
    let record = panicked.clone();
    std::panic::set_hook(Box::new(move |info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        *record.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{what}{place}"));
    }));
    panicked
}

#[cfg(test)]
mod tests {
    use super::catch_panics;

    #[test]
    fn a_caught_panic_is_recorded_with_its_place_not_printed() {
        let panicked = catch_panics();
        let caught = std::panic::catch_unwind(|| {
            let index = std::hint::black_box(7);
            [1, 2, 3][index]
        });
        let _ = std::panic::take_hook();
        assert!(caught.is_err());
        let message = panicked.message();
        assert!(message.contains("index out of bounds") && message.contains("src/guard.rs:"), "{message}");
    }
}
