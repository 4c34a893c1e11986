//! vaultjwt: HashiCorp Vault / OpenBao JWT auth as a local, serverless command-line tool.
//!
//! Data flows one way: argv (`cli`) → [`core::Request`] → router and mount table
//! ([`core::Core`]) → a backend (`sys`, `auth/token`, `auth/jwt`, `identity`) → [`storage`].
//! Nothing below `cli` knows about argv or terminals. The library API carries no semver promise.

pub mod auth;
pub mod cli;
pub mod core;
pub mod dev;
#[doc(hidden)]
pub mod fuzzing;
pub mod gotemplate;
pub mod identity;
pub mod policy;
pub mod secrets;
pub mod settings;
pub mod storage;
pub mod sys;
pub mod token;
