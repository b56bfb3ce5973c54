//! PCS Workbench: the attribution and scoring engine for Microsoft Solutions Partner
//! designations, and (on wasm32 only) the Leptos app that renders it.
#![forbid(unsafe_code)]

pub mod associations;
pub mod attribution;
pub mod bench;
pub mod cli;
pub mod data;
pub mod findings;
pub mod generate;
pub mod import;
pub mod jobs;
pub mod model;
pub mod planner;
pub mod reconcile;
pub mod rules;
pub mod scoring;
pub mod store;
pub mod validate;
pub mod version;
pub mod whatif;
pub mod workshop;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The app's and the worker's allocator: Talc instead of Rust's default for wasm32
/// (dlmalloc). Reading a workspace allocates a string or a vector for every value, and the
/// engine's steps allocate per customer; Talc is faster at both, and smaller.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
