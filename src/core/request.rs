use serde_json::{Map, Value};
use std::net::IpAddr;

/// Vault's logical operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Read,
    /// `write` of something that does not exist yet (set by a backend's existence check;
    /// the CLI always sends `Update`).
    Create,
    Update,
    Delete,
    List,
    Patch,
}

impl Operation {
    /// The ACL capability this operation needs.
    pub fn capability(self) -> &'static str {
        match self {
            Operation::Read => "read",
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::List => "list",
            Operation::Patch => "patch",
        }
    }
}

/// A request as the core sees it: what the CLI (or, later, an HTTP API) asks for.
#[derive(Debug, Clone)]
pub struct Request {
    pub operation: Operation,
    /// Full path, e.g. `auth/jwt/login`. Inside a backend's `handle`, this is relative to
    /// the mount (`login`).
    pub path: String,
    pub data: Map<String, Value>,
    pub client_token: Option<String>,
    /// The caller's address; a local process is 127.0.0.1.
    pub client_addr: IpAddr,
    /// Sent by one of vaultjwt's own commands (`jwt explain`): vaultjwt's own endpoints
    /// answer it in strict mode too, where a path typed by hand answers as OpenBao's.
    pub extension: bool,
    /// The token the request was authorized with, handed to a secret engine (its display
    /// name and the owner of the leases it creates); `None` elsewhere.
    pub caller: Option<Box<crate::core::Caller>>,
}

impl Request {
    pub fn new(operation: Operation, path: impl Into<String>) -> Self {
        Request {
            operation,
            path: path.into(),
            data: Map::new(),
            client_token: None,
            client_addr: IpAddr::from([127, 0, 0, 1]),
            extension: false,
            caller: None,
        }
    }

    pub fn with_data(mut self, data: Map<String, Value>) -> Self {
        self.data = data;
        self
    }

    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.client_token = token;
        self
    }
}
