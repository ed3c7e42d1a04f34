//! `--flag value` arguments of the generator examples (`examples/gen.rs`, `examples/gen_pack.rs`).

use std::process::ExitCode;

/// A flag's name and what reads its value (false when the value is not one it takes).
pub type Flag<'a> = (&'static str, &'a mut dyn FnMut(&str) -> bool);

/// Reads the process's arguments as `--flag value` pairs into `flags`; a flag not among them, a
/// missing value or one its reader refuses prints `usage` and gives exit code 2.
pub fn read(usage: &str, flags: &mut [Flag<'_>]) -> Result<(), ExitCode> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let read = match (flags.iter_mut().find(|(name, _)| *name == arg), value) {
            (Some((_, reader)), Some(value)) => reader(&value),
            _ => false,
        };
        if !read {
            eprintln!("error: bad argument `{arg}`\nusage: {usage}");
            return Err(ExitCode::from(2));
        }
    }
    Ok(())
}
