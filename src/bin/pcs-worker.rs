//! The engine worker: the app runs long jobs (the path to 70) here, off the page's thread.
//! Trunk builds this binary for wasm32 as a Web Worker (see `ui::worker`).

#[cfg(target_arch = "wasm32")]
fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("PCS Workbench engine worker crashed: {info}").into());
    }));
    pcs_workbench::ui::worker::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "pcs-worker is the browser app's engine worker: `trunk build` builds it (see README.md)"
    );
    std::process::exit(2);
}
