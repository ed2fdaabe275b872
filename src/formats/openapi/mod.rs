//! The OpenAPI engine (3.0 and 3.1): walks paths, operations, parameters, request bodies,
//! responses, security and servers of two revisions and emits [`Change`]s. Schemas go to the
//! JSON Schema core with the direction of their use site.
//!
//! One module per part of the document: `paths` (matching paths and webhooks, gathering
//! operations), `operation`, `parameters`, `request_body`, `responses` (statuses, media types,
//! headers), `media` (media-type maps shared by bodies), `security`, `info` (version, servers).

mod info;
mod media;
mod nav;
mod operation;
mod parameters;
mod paths;
mod request_body;
mod responses;
mod security;

use crate::change::Change;
use crate::doc::Workspace;
use crate::formats::jsonschema::{Direction, Findings};
use nav::At;

/// Rule-id prefix of the schema findings the core reports for us (`openapi.request.*`).
pub(crate) const PREFIX: &str = "openapi";

/// The contract's declared version (`info.version`), if any.
pub fn version(ws: &Workspace) -> Option<String> {
    ws.root().root.get("info")?.get("version").map(|v| match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_json().to_string(),
    })
}

/// Every change from `base` to `head`, in document order.
pub fn diff(base: &Workspace, head: &Workspace) -> Vec<Change> {
    let (base, head) = (At::root(base), At::root(head));
    let mut out = Findings::default();
    info::diff_version(base, head, &mut out);
    info::diff_servers(base, head, &mut out);
    security::diff_schemes(base, head, &mut out);
    paths::diff_paths(base, head, &mut out);
    paths::diff_webhooks(base, head, &mut out);
    out.changes
}

/// Who writes an operation's request. It decides the direction of every schema in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `paths`: clients write requests the API reads; the API writes responses clients read.
    Server,
    /// 3.1 `webhooks`: the API writes the request and receivers read it; receivers write the
    /// response the API reads.
    Client,
}

impl Role {
    pub fn request(self) -> Direction {
        match self {
            Role::Server => Direction::Request,
            Role::Client => Direction::Response,
        }
    }

    pub fn response(self) -> Direction {
        match self {
            Role::Server => Direction::Response,
            Role::Client => Direction::Request,
        }
    }
}

#[cfg(test)]
mod tests;
