#![no_main]
// The JSON loader alone (jsonc-parser in strict mode, its depth pre-scan).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = contractdiff::doc::Document::parse("f.json", data);
});
