//! The browser app's entry point. Trunk builds this binary for wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    pcs_workbench::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "pcs-web is the browser app: build it with `trunk build` (see README.md); use `pcs` on the host"
    );
    std::process::exit(2);
}
