//! Data shipped inside the app: the demo workspace.

/// The demo workspace, opened on first start and by "Reset to demo".
pub const DEMO_WORKSPACE: &str = include_str!("demo.json");

/// The demo's name, shown while it opens at a first start (a test keeps it the demo's).
pub const DEMO_NAME: &str = "Contoso Cloud — demo self-assessment";

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

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_name_is_the_demo_workspaces() {
        assert_eq!(super::demo().name, super::DEMO_NAME);
    }
}
