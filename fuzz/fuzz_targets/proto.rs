#![no_main]
// A .proto against a valid one: the scanner, protox-parse, our linker, protoc where it falls back.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use contractdiff_fuzz::{compare, PROTO};
    compare(&[("a.proto", PROTO)], &[("a.proto", data)]);
});
