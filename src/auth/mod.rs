//! Auth methods other than the built-in token store.

pub mod jwt;
