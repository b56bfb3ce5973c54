//! Data shipped inside the app: the demo workspace.

/// The demo workspace, opened on first start and by "Reset to demo".
pub const DEMO_WORKSPACE: &str = include_str!("demo.json");

/// The demo workspace, read. It is checked by the host tests, so it always loads.
pub fn demo() -> crate::model::Workspace {
    match crate::validate::read_workspace(
        DEMO_WORKSPACE.as_bytes(),
        crate::validate::ReadOptions::default(),
    ) {
        crate::validate::Import::Loaded { workspace, .. } => *workspace,
        crate::validate::Import::Rejected { diagnostics } => {
            panic!("the built-in demo workspace is invalid: {diagnostics:?}")
        }
    }
}
