#![no_main]
//! See `tei_align::fuzz::tei_reader` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tei_align::fuzz::tei_reader(data));
