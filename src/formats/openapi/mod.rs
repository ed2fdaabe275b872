//! The OpenAPI engine (3.0 and 3.1): walks paths, operations, parameters, request bodies,
//! responses, security and servers of two revisions and emits [`Change`]s. Schemas go to the
//! JSON Schema core with the direction of their use site.

use crate::change::Change;
use crate::doc::Workspace;

/// The contract's declared version (`info.version`), if any.
pub fn version(ws: &Workspace) -> Option<String> {
    ws.root().root.get("info")?.get("version").map(|v| match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_json().to_string(),
    })
}

/// Every change from `base` to `head`, in document order.
pub fn diff(base: &Workspace, head: &Workspace) -> Vec<Change> {
    let _ = (base, head);
    todo!()
}
