//! The `frameaudit` binary: parse the command line, run, exit with the code `run` returns.

fn main() -> std::process::ExitCode {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    frameaudit::run(std::env::args_os(), &mut out, &mut err)
}
