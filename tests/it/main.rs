//! The integration tests: one test binary, a module per concept, all on the `common` runner
//! (the real binary in a temporary data directory) and its loopback helpers.

mod common;
mod loopback;

mod cli;
mod core_acceptance;
mod crash_login;
mod data_dir_security;
mod database;
mod demo;
mod explain;
mod fetch_limits;
mod fuzz_corpus;
mod identity;
mod input_limits;
mod jwt_keys;
mod jwt_login;
mod kv;
mod kv_extras;
mod login_cli;
mod mint;
mod newuser;
mod oidc;
mod oidc_browser;
mod oidc_support;
mod policy;
mod policy_parameters;
mod policy_templates;
mod raft_cluster;
mod remote_client;
mod remote_explain;
mod remote_mode;
mod secrets_tune;
mod security;
mod storage;
mod stress;
mod sync;
mod token;
mod token_accessors;
mod walkthrough;
mod yaml_output;
