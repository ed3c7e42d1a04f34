//! How the `yimi` command is built for a quick start (see `build.rs`).

/// The command is a position-independent executable (an ELF `ET_DYN`), so that `yimi serve`'s
/// own code and data are placed at a random address; `YIMI_NO_PIE=1` at build time links it at a
/// fixed address (`ET_EXEC`) on Linux with glibc, which spares the dynamic loader its relocations.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn the_command_is_position_independent_unless_asked_otherwise() {
    let header = std::fs::read(env!("CARGO_BIN_EXE_yimi")).expect("the command is built");
    assert_eq!(header.get(..4), Some(&b"\x7fELF"[..]));
    // `e_type`, two bytes at offset 16, little-endian on every target this test runs on.
    let kind = u16::from_le_bytes([header[16], header[17]]);
    let pie = option_env!("YIMI_NO_PIE") != Some("1");
    assert_eq!(kind, if pie { 3 } else { 2 }, "ET_EXEC is 2, ET_DYN 3");
}
