// Starts PCS Workbench's engine worker: the wasm-bindgen glue Trunk builds for the
// `pcs-worker` binary, then its module, both from this origin, next to this file.
importScripts('./pcs-worker.js');
wasm_bindgen('./pcs-worker_bg.wasm');
