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

/// The engine benchmark in the browser (`window.wasmBindings.bench(text, runs, skip)`), used
/// by `scripts/bench-browser.mjs`: the same steps as `pcs bench`, timed with
/// `performance.now()`. Returns the report as JSON text.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench(text: &str, runs: u32, skip: &str) -> String {
    pcs_workbench::ui::bench_json(text, runs, skip)
}

/// The same benchmark in the engine worker (`window.wasmBindings.bench_worker(text, runs,
/// skip)`, a promise of the report's JSON text): the build the app's long jobs run on.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_worker(text: String, runs: u32, skip: &str) -> js_sys::Promise {
    pcs_workbench::ui::bench_in_worker(text, runs, skip)
}
