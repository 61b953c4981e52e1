//! The emitters: the plan turned into the crate's items (`item.rs`), one
//! module per kind of file; they read names and never derive one.

pub mod auth;
pub mod client;
pub mod docs;
pub mod errors;
pub mod example;
pub mod gates;
pub mod item;
pub mod manifest;
pub mod mock;
pub mod operations;
pub mod paging;
pub mod tokens;
pub mod types;
pub mod webhooks;
