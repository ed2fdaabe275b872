#![no_main]
// The YAML loader alone: saphyr events into the spanned tree, with its depth and alias limits.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = contractdiff::doc::Document::parse("f.yaml", data);
});
