//! Document-level facts: `info.version` and the top-level `servers`.

use super::nav::{pair, At, Paired};
use crate::change::Change;
use crate::formats::jsonschema::Findings;

/// `info.version` changed. The policy reads the bump itself; this only records it.
pub(super) fn diff_version(base: At, head: At, out: &mut Findings) {
    let (Some(b), Some(h)) = (base.get("info"), head.get("info")) else {
        return;
    };
    let (bv, hv) = (b.get("version"), h.get("version"));
    let text = |v: Option<At>| v.map(|v| v.node.to_json()).unwrap_or(serde_json::Value::Null);
    if text(bv) == text(hv) {
        return;
    }
    let show = |v: Option<At>| match v.and_then(|v| v.node.as_str()) {
        Some(s) => s.to_string(),
        None => text(v).to_string(),
    };
    out.push(
        Change::new(
            "openapi.info.version-changed",
            "info.version",
            format!("The contract's version changed from {} to {}.", show(bv), show(hv)),
        )
        .at(Some(b.key_loc("version")), Some(h.key_loc("version"))),
    );
}

/// Top-level `servers`, matched by URL. A removed server URL breaks clients configured with it.
pub(super) fn diff_servers(base: At, head: At, out: &mut Findings) {
    for p in pair(server_urls(base), server_urls(head)) {
        match p {
            Paired::Removed(b) => {
                let url = b.str("url").unwrap_or_default();
                out.push(
                    Change::new(
                        "openapi.server.removed",
                        format!("servers {url}"),
                        format!("The server {url} was removed."),
                    )
                    .at(Some(b.loc()), None),
                );
            }
            Paired::Added(h) => {
                let url = h.str("url").unwrap_or_default();
                out.push(
                    Change::new(
                        "openapi.server.added",
                        format!("servers {url}"),
                        format!("The server {url} was added."),
                    )
                    .at(None, Some(h.loc())),
                );
            }
            Paired::Kept(..) => {}
        }
    }
}

/// Servers keyed by URL without a trailing slash (`https://x/v1/` and `https://x/v1` are one).
fn server_urls(side: At<'_>) -> Vec<(String, At<'_>)> {
    let Some(servers) = side.get("servers") else {
        return Vec::new();
    };
    servers.items().into_iter().filter_map(|s| Some((s.str("url")?.trim_end_matches('/').to_string(), s))).collect()
}
