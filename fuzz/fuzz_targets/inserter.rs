#![no_main]
//! See `tei_align::fuzz::inserter` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tei_align::fuzz::inserter(data));
