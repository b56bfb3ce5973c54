/// The product version shown by the app and `pcs --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
