//! vaultjwt: HashiCorp Vault / OpenBao JWT auth as a local, serverless command-line tool.
//!
//! Data flows one way: argv (`cli`) → [`core::Request`] → router and mount table
//! ([`core::Core`]) → a backend (`sys`, `auth/token`, `auth/jwt`, `identity`) → [`storage`].
//! Nothing below `cli` knows about argv or terminals. The library API carries no semver promise.
//!
//! Comments that cite "spec §N" refer to the sections of `docs/spec.md`, the summary of the
//! JWT plugin's behaviour that the code follows.

pub mod auth;
pub mod cli;
pub mod client;
pub mod core;
pub mod dev;
pub mod framework;
#[cfg(any(test, fuzzing, feature = "fuzzing"))]
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
