#![no_main]
// An OpenAPI document against a valid one, both ways round: discovery, $ref resolution, the
// OpenAPI and JSON Schema differs, the policy and both renderers.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use contractdiff_fuzz::{compare, OPENAPI};
    compare(&[("openapi.yaml", OPENAPI)], &[("openapi.yaml", data)]);
    compare(&[("openapi.yaml", data)], &[("openapi.yaml", OPENAPI)]);
});
