//! The app's state: one workspace signal. Engine results are derived from it.

use crate::model::Workspace;
use crate::validate::{Import, ReadOptions, read_workspace};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    pub workspace: RwSignal<Workspace>,
}

impl AppState {
    pub fn start() -> AppState {
        let ws = demo_workspace();
        AppState {
            workspace: RwSignal::new(ws),
        }
    }
}

/// The built-in demo; it is validated by the host tests, so it always loads.
pub fn demo_workspace() -> Workspace {
    match read_workspace(
        crate::data::DEMO_WORKSPACE.as_bytes(),
        ReadOptions::default(),
    ) {
        Import::Loaded { workspace, .. } => *workspace,
        Import::Rejected { diagnostics } => {
            panic!("the built-in demo workspace is invalid: {diagnostics:?}")
        }
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
