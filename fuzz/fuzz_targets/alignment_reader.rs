#![no_main]
//! See `tei_align::fuzz::alignment_reader` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tei_align::fuzz::alignment_reader(data));
