//! Free memory given back to the operating system between the phases of a long alignment.
//!
//! The searches of a long text (pieces of 50,000 rows searched on every core) allocate their
//! tables in blocks of a few MiB: glibc serves those from its per-thread arenas and keeps what
//! is freed there for the thread's next allocation instead of returning it (its trim threshold
//! grows with the blocks it has seen, up to 64 MiB an arena). The later phases allocate larger
//! blocks, which it maps afresh, so at 1M sentences a side about 200 MiB freed by the searches
//! stayed resident through the evidence, where the alignment's memory peaks (measured with
//! `mallinfo2`: 893 MiB live, 204 MiB free in the arenas).

/// Sentences on both sides from which the free memory is given back: below, the little kept is
/// not worth a pass over the allocator's arenas.
const LONG: usize = 200_000;

/// Give the allocator's free memory back to the operating system when aligning `sentences`
/// sentences (both sides) or more; with allocators other than glibc's, nothing (the `tei-align`
/// binary sets mimalloc, so this serves the library's users and the benches, which keep glibc's).
pub(crate) fn give_back(sentences: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if sentences >= LONG {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: `malloc_trim` takes no pointer and only releases memory the allocator holds
        // free (glibc ≥ 2.8: whole free pages of every arena, not only their tops).
        unsafe {
            malloc_trim(0);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = sentences;
}
