//! Data shipped with the app: the demo workspace.
//!
//! The host build (`pcs`, the tests) carries the demo's text; the browser app fetches it from
//! [`DEMO_FILE`], copied next to the page by Trunk (`index.html`), when it first needs it, so
//! the page's first load does not carry it.

/// The demo's file next to the page (a URL relative to it), copied from `src/data/demo.json`.
pub const DEMO_FILE: &str = "demo.json";

/// The demo workspace, opened on first start and by "Reset to demo".
#[cfg(not(target_arch = "wasm32"))]
pub const DEMO_WORKSPACE: &str = include_str!("demo.json");

/// The demo's name, shown while it opens at a first start (a test keeps it the demo's).
pub const DEMO_NAME: &str = "Contoso Cloud — demo self-assessment";

/// The demo workspace, read from its text. The shipped demo is checked by the host tests, so
/// a failure here is a file that did not arrive whole (the app says so).
pub fn read_demo(text: &str) -> Result<crate::model::Workspace, String> {
    match crate::validate::read_workspace(text.as_bytes(), crate::validate::ReadOptions::default())
    {
        crate::validate::Import::Loaded { workspace, .. } => Ok(*workspace),
        crate::validate::Import::Rejected { diagnostics } => Err(diagnostics
            .first()
            .map(|d| d.to_string())
            .unwrap_or_else(|| "the demo workspace does not read".to_owned())),
    }
}

/// The demo workspace, read (host only: the app fetches its text).
#[cfg(not(target_arch = "wasm32"))]
pub fn demo() -> crate::model::Workspace {
    match read_demo(DEMO_WORKSPACE) {
        Ok(ws) => ws,
        Err(problem) => panic!("the built-in demo workspace is invalid: {problem}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_name_is_the_demo_workspaces() {
        assert_eq!(super::demo().name, super::DEMO_NAME);
    }

    #[test]
    fn a_demo_that_did_not_arrive_whole_is_an_error_not_a_panic() {
        let text = super::DEMO_WORKSPACE;
        let mut half = text.len() / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        let cut = &text[..half];
        let problem = super::read_demo(cut).expect_err("half a demo must not read");
        assert!(problem.contains("line"), "{problem}");
        assert!(super::read_demo("").is_err());
    }

    /// The app fetches `DEMO_FILE` from the page's folder: Trunk must copy it there.
    #[test]
    fn the_page_copies_the_demo_next_to_itself() {
        let html = include_str!("../../index.html");
        assert!(
            html.contains(&format!(
                r#"<link data-trunk rel="copy-file" href="src/data/{}">"#,
                super::DEMO_FILE
            )),
            "index.html must copy src/data/{} into dist/",
            super::DEMO_FILE
        );
    }
}
