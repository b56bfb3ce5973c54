//! `pcs`: the PCS Workbench engine on the command line.

use pcs_workbench::cli;
use std::io::Write;
use std::process::ExitCode;

/// mimalloc instead of the system's allocator: reading a workspace allocates a string or a
/// vector for every value and the engine's steps allocate per customer, which glibc's
/// malloc serves slowly (the app in the browser has its own, Talc: see `src/lib.rs`).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = cli::run(&args, &cli::Host);
    // A reader that stops early (`pcs generate … | head`) closes the pipe: that ends the
    // output quietly instead of panicking.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(out.code)
}
