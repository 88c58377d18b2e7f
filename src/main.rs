//! The `frameaudit` binary: parse the command line, run, exit with the code `run` returns.

fn main() -> std::process::ExitCode {
    let mut out = std::io::stdout().lock();
    // Not locked for the whole run: the progress bar draws to stderr from worker threads,
    // and would wait forever for a lock the main thread holds.
    let mut err = std::io::stderr();
    frameaudit::run(std::env::args_os(), &mut out, &mut err)
}
