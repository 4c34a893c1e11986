//! Tools for trying JWT auth without an identity provider: key generation, token signing
//! with claim presets, and a loopback OIDC issuer. Nothing here knows about argv; the
//! `jwt keygen`, `jwt sign`, `jwt decode`, `dev issuer` and `demo` commands in `cli` use it.

pub mod issuer;
pub mod keys;
pub mod oidc;
pub mod presets;
pub mod sign;
pub mod time;
