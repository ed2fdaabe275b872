#![no_main]
// An .avsc against a valid one, both ways round: the Avro loader, name resolution, the checker.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use contractdiff_fuzz::{compare, AVSC};
    compare(&[("r.avsc", AVSC)], &[("r.avsc", data)]);
    compare(&[("r.avsc", data)], &[("r.avsc", AVSC)]);
});
