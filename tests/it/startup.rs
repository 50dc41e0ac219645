//! The executable is linked so the loader has nothing to relocate at start (see `build.rs`).

/// ELF's `e_type` for an executable linked at a fixed address (`ET_EXEC`), as opposed to a
/// position-independent one (`ET_DYN`), which the loader relocates at every start.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn the_executable_needs_no_relocation_at_start() {
    const ET_EXEC: u16 = 2;
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_guide")).expect("the guide executable");
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    let e_type = u16::from_le_bytes([bytes[16], bytes[17]]);
    assert_eq!(
        e_type, ET_EXEC,
        "guide is linked position-independent: the loader would relocate ~10 MB of tables at each start"
    );
}
