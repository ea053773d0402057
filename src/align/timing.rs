//! Time spent per phase of an alignment, written to stderr when `TEI_ALIGN_TIMING` is set: where
//! a long text's time goes (analysis, each level of the search, the widenings, the confidence),
//! without a profiler, and which parts run on one core only.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `TEI_ALIGN_TIMING` is set (read once).
pub(crate) fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("TEI_ALIGN_TIMING").is_some())
}

/// A phase being timed: its wall time is written when it ends (is dropped).
pub(crate) struct Phase {
    what: Option<(String, Instant, f64)>,
}

/// Start timing a phase named by `name` (only called when timing is on).
pub(crate) fn phase(name: impl FnOnce() -> String) -> Phase {
    Phase {
        what: enabled().then(|| (name(), Instant::now(), cpu_seconds())),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some((name, start, cpu)) = self.what.take() {
            eprintln!(
                "[timing] {name}: {:.3} s, process CPU {:.2} s, resident {} MiB",
                start.elapsed().as_secs_f64(),
                cpu_seconds() - cpu,
                resident_mib()
            );
        }
    }
}

/// The process's resident memory now (VmRSS), in MiB; 0 where /proc is not there.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// CPU time (user + system) of the whole process so far, in seconds, from /proc (clock ticks of
/// 1/100 s); 0 where /proc is not there.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The command name, in parentheses, may hold spaces: count fields after it.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}
