//! Paths and webhooks: matching path items of base and head, and gathering each path item's
//! operations with the path-level parameters merged in.
//!
//! Paths match by template shape: `/pets/{id}` and `/pets/{petId}` are the same URL space, so a
//! renamed path variable is no change for clients.

use super::nav::{pair, At, Paired};
use super::operation::{self, Endpoint};
use super::Role;
use crate::formats::jsonschema::Findings;

/// HTTP methods an OpenAPI path item can hold, lowercase as written in the document.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

pub(super) fn diff_paths(base: At, head: At, out: &mut Findings) {
    diff_items(base, head, path_items(base), path_items(head), Role::Server, out);
}

/// 3.1 `webhooks`, matched by name. See [`Role::Client`] for why their directions flip.
pub(super) fn diff_webhooks(base: At, head: At, out: &mut Findings) {
    diff_items(base, head, webhook_items(base), webhook_items(head), Role::Client, out);
}

/// A path item or webhook keyed for matching, with its name as written.
type Item<'a> = (String, (String, At<'a>));

fn path_items(side: At<'_>) -> Vec<Item<'_>> {
    let Some(paths) = side.get("paths") else {
        return Vec::new();
    };
    paths
        .members()
        .into_iter()
        .filter(|m| m.key.starts_with('/'))
        .map(|m| (template_shape(m.key), (m.key.to_string(), m.value)))
        .collect()
}

fn webhook_items(side: At<'_>) -> Vec<Item<'_>> {
    let Some(hooks) = side.get("webhooks") else {
        return Vec::new();
    };
    hooks.members().into_iter().map(|m| (m.key.to_string(), (m.key.to_string(), m.value))).collect()
}

fn diff_items<'a>(
    base_root: At<'a>,
    head_root: At<'a>,
    base: Vec<Item<'a>>,
    head: Vec<Item<'a>>,
    role: Role,
    out: &mut Findings,
) {
    for p in pair(base, head) {
        let (base_ops, head_ops) = match p {
            Paired::Kept((bp, b), (hp, h)) => (endpoints(base_root, &bp, b, role), endpoints(head_root, &hp, h, role)),
            Paired::Removed((bp, b)) => (endpoints(base_root, &bp, b, role), Vec::new()),
            Paired::Added((hp, h)) => (Vec::new(), endpoints(head_root, &hp, h, role)),
        };
        for op in pair(by_method(base_ops), by_method(head_ops)) {
            operation::diff(op, out);
        }
    }
}

fn by_method(ops: Vec<Endpoint<'_>>) -> Vec<(String, Endpoint<'_>)> {
    ops.into_iter().map(|e| (e.method.clone(), e)).collect()
}

/// The operations of one path item (or webhook), in document order.
fn endpoints<'a>(root: At<'a>, path: &str, item: At<'a>, role: Role) -> Vec<Endpoint<'a>> {
    let shared_params = item.get("parameters");
    item.members()
        .into_iter()
        .filter(|m| METHODS.contains(&m.key))
        .filter(|m| m.value.node.as_map().is_some())
        .map(|m| Endpoint {
            method: m.key.to_ascii_uppercase(),
            path: path.to_string(),
            role,
            root,
            op: m.value,
            method_loc: m.key_loc,
            path_params: shared_params,
        })
        .collect()
}

/// `/pets/{petId}/toys` → `/pets/{}/toys`: the shape that decides whether two paths are the same.
pub(super) fn template_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                shape.push('{');
            }
            '}' if in_var => {
                in_var = false;
                shape.push('}');
            }
            _ if in_var => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// The names of a template's path variables, in order: `/a/{x}/b/{y}` → `[x, y]`.
pub(super) fn template_vars(path: &str) -> Vec<&str> {
    let mut vars = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        vars.push(&after[..close]);
        rest = &after[close + 1..];
    }
    vars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_ignores_variable_names() {
        assert_eq!(template_shape("/pets/{petId}/toys/{toy}"), "/pets/{}/toys/{}");
        assert_eq!(template_shape("/pets/{id}"), template_shape("/pets/{key}"));
        assert_ne!(template_shape("/pets/{id}"), template_shape("/pets/{id}/x"));
        assert_eq!(template_shape("/a/{unclosed"), "/a/{");
    }

    #[test]
    fn vars_in_order() {
        assert_eq!(template_vars("/a/{x}/b/{y}.json"), ["x", "y"]);
        assert!(template_vars("/plain").is_empty());
        assert!(template_vars("/a/{broken").is_empty());
    }
}
