//! The package's build script.
//!
//! Embeds two folders of this repository in the binary, file by file: the default theme
//! (`themes/default/`), for a site without a `themes/default/` folder of its own, and the
//! starter guide that `guide init` writes (`src/init/starter/`). Each becomes a sorted list of
//! (`/`-separated path, bytes) in `$OUT_DIR`, read with `include_bytes!`, so the binary carries
//! exactly the files the repository holds.
//!
//! It also links the `guide` executable at a fixed address on Linux. A position-independent executable is relocated by the loader at every start. The HTML
//! minifier's entity tables hold pointers spread over about 10 MB of read-only data, so a
//! relocated start copies some 2,500 pages before `main` runs: about 12 ms of the bundled guide's
//! 50 ms build. Linked at a fixed address those pages are mapped from the file untouched, as the
//! Go toolchain (and so Hugo) does by default. The code is still compiled position-independent;
//! only the final link changes, and only for the executable, not the library or the tests.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const EMBEDDED: [(&str, &str); 2] = [
    ("themes/default", "builtin_theme.rs"),
    ("src/init/starter", "starter.rs"),
];

fn main() {
    link_at_a_fixed_address();
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    for (folder, generated) in EMBEDDED {
        // A folder named here makes cargo look at every file below it for changes.
        println!("cargo:rerun-if-changed={folder}");
        let base = manifest.join(folder);
        let mut files = Vec::new();
        collect(&base, &base, &mut files);
        files.sort();
        let mut code = String::from("&[\n");
        for (relative, absolute) in &files {
            writeln!(
                code,
                "    ({relative:?}, include_bytes!({absolute:?}) as &[u8]),"
            )
            .expect("writing to a String");
        }
        code.push(']');
        std::fs::write(out.join(generated), code).expect("write the embedded file list");
    }
}

/// Every file below `dir`, skipping hidden and editor files as the site's own walks do.
fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    for entry in entries {
        let entry = entry.expect("a folder entry");
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let temporary = [".swp", ".swx", ".tmp", "~"];
        if name.starts_with('.')
            || name.starts_with('#')
            || temporary.iter().any(|end| name.ends_with(end))
        {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let relative = path
                .strip_prefix(base)
                .expect("below the base")
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let absolute = path.to_str().expect("a UTF-8 path").to_string();
            files.push((relative, absolute));
        }
    }
}

/// See the module's comment: starting a position-independent executable relocates ~10 MB.
fn link_at_a_fixed_address() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && (env == "gnu" || env == "musl") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
