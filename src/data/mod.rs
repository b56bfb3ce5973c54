//! Data shipped inside the app: the demo workspace.

/// The demo workspace, opened on first start and by "Reset to demo".
pub const DEMO_WORKSPACE: &str = include_str!("demo.json");
