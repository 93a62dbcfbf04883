//! Phase timings for profiling, printed to stderr only when `NDRC_CHRONO` is set
//! (`NDRC_CHRONO=1 ndrc-stats ingest …`): how long reading, normalising, appending and merging
//! each file took. Silent otherwise, so that no test or user output changes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// True when `NDRC_CHRONO` is set.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("NDRC_CHRONO").is_some())
}

/// Prints `chrono <phase> <seconds>` when enabled.
pub fn report(phase: &str, elapsed: Duration) {
    if enabled() {
        eprintln!("chrono {phase} {:.3} s", elapsed.as_secs_f64());
    }
}

/// Prints the time since `start` under `phase` when enabled.
pub fn since(phase: &str, start: Instant) {
    report(phase, start.elapsed());
}

/// A time summed over many calls (appends to the store), in nanoseconds.
#[derive(Default)]
pub struct Total(AtomicU64);

impl Total {
    /// A zero total.
    pub const fn new() -> Total {
        Total(AtomicU64::new(0))
    }

    /// Adds the time since `start`.
    pub fn add_since(&self, start: Instant) {
        let ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(ns, Ordering::Relaxed);
    }

    /// The sum so far, and starts again from zero.
    pub fn take(&self) -> Duration {
        Duration::from_nanos(self.0.swap(0, Ordering::Relaxed))
    }
}
