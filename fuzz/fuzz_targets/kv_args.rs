#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| vaultjwt::fuzzing::kv_args(data));
