//! The version 1 workspace format: the types, and their strict JSON decoding.

pub mod association;
pub mod json;
pub mod pretty;
pub mod primitives;
pub mod scope;
pub mod workspace;

pub use association::Association;
pub use json::{Diagnostic, Severity};
pub use primitives::{Date, Guid, Id, Month, PartnerId, Series, money, plural, slug, thousands};
pub use scope::Scope;
pub use workspace::*;
