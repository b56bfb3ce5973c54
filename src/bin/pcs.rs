//! `pcs`: the PCS Workbench engine on the command line.

use pcs_workbench::cli;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = cli::run(&args, &cli::Host);
    // A reader that stops early (`pcs generate … | head`) closes the pipe: that ends the
    // output quietly instead of panicking.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(out.code)
}
