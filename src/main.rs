//! The `yimi` command; everything it does is in the library (see `yimi::cli`).

fn main() -> std::process::ExitCode {
    yimi::cli::run()
}
