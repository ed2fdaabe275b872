#![no_main]
// buf.yaml (and the YAML under it) as the head revision's module configuration.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use contractdiff_fuzz::{compare, PROTO};
    compare(&[("a.proto", PROTO)], &[("a.proto", PROTO), ("buf.yaml", data)]);
});
