//! The threads that load and render a site: a rayon pool whose threads have a stack deep
//! enough for the parsers and Tera's renderer, shared by the load and render stages and by
//! `guide serve`'s rebuild thread.

use std::sync::OnceLock;

/// The stack of each thread that renders templates (and of `guide serve`'s rebuild thread).
///
/// A macro may call itself, as one drawing a nested table of contents does, and each level
/// costs Tera's renderer some 10 to 20 KiB of stack in a debug build. A stack overflow cannot
/// be caught, only avoided: with rayon's and std's 2 MiB a debug build aborts under a hundred
/// levels down, while 64 MiB holds some 3,000. Recursion without end is a bug in the template:
/// include cycles and macros that call themselves on every call, the common ways to write it by
/// mistake, are refused before rendering, and a macro guarded by a condition that never stops
/// it is stopped with an error while a megabyte of this stack is left (see `theme::macros`).
pub const RENDER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The threads that render pages, built on first use; `None` if they could not be started,
/// and then rendering runs on rayon's own threads as before.
fn render_threads() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(RENDER_STACK_BYTES)
            .thread_name(|index| format!("guide-render-{index}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work`, and the parallel iterators inside it, on the render threads (also used by the
/// load stage, whose parsers recurse as deep as their input nests).
pub fn on_render_threads<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match render_threads() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}
