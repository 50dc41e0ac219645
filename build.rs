//! Links the `guide` executable at a fixed address on Linux.
//!
//! A position-independent executable is relocated by the loader at every start. The HTML
//! minifier's entity tables hold pointers spread over about 10 MB of read-only data, so a
//! relocated start copies some 2,500 pages before `main` runs: about 12 ms of the bundled guide's
//! 50 ms build. Linked at a fixed address those pages are mapped from the file untouched, as the
//! Go toolchain (and so Hugo) does by default. The code is still compiled position-independent;
//! only the final link changes, and only for the executable, not the library or the tests.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && (env == "gnu" || env == "musl") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
