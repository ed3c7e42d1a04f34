//! How the `yimi` command is built for a quick start (see `build.rs`).

/// On Linux with glibc the command is linked at a fixed address (an ELF `ET_EXEC`, not the
/// `ET_DYN` of a position-independent executable), so that the dynamic loader has none of the
/// command's own relocations to apply at start; `YIMI_PIE=1` at build time keeps it
/// position-independent.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn the_command_is_linked_at_a_fixed_address() {
    let header = std::fs::read(env!("CARGO_BIN_EXE_yimi")).expect("the command is built");
    assert_eq!(header.get(..4), Some(&b"\x7fELF"[..]));
    // `e_type`, two bytes at offset 16, little-endian on every target this test runs on.
    let kind = u16::from_le_bytes([header[16], header[17]]);
    let pie = option_env!("YIMI_PIE") == Some("1");
    assert_eq!(kind, if pie { 3 } else { 2 }, "ET_EXEC is 2, ET_DYN 3");
}
