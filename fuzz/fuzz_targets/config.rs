#![no_main]
// contractdiff.toml: the parser, its validation, and a run that uses it (globs, levels, waivers).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use contractdiff_fuzz::{compare, OPENAPI, PROTO};
    if let Ok(text) = std::str::from_utf8(data) {
        if contractdiff::config::Config::parse(text, "contractdiff.toml").is_ok() {
            let files = [("openapi.yaml", OPENAPI), ("a.proto", PROTO), ("contractdiff.toml", data)];
            compare(&files[..2], &files);
        }
    }
});
