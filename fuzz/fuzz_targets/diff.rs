#![no_main]
// Two arbitrary documents of one kind, diffed: the first byte picks the kind, a 0xFF byte splits
// base from head (seeds are the tests/cases pairs joined that way).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let name = match kind % 4 {
        0 => "openapi.yaml",
        1 => "openapi.json",
        2 => "a.proto",
        _ => "r.avsc",
    };
    let (base, head) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, rest),
    };
    contractdiff_fuzz::compare(&[(name, base)], &[(name, head)]);
});
