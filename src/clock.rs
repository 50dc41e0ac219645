//! Time spent in one step of a build, summed over every thread that did it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Nanoseconds spent in one step, added to by any number of threads at once.
#[derive(Debug, Default)]
pub struct Clock(AtomicU64);

impl Clock {
    pub fn time<T>(&self, step: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = step();
        let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(nanos, Ordering::Relaxed);
        value
    }

    pub fn total(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }
}
