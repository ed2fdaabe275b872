//! Security requirements (global and per operation) and the security schemes in `components`.
//!
//! A `security` list holds alternatives: a client satisfies any one of them, and one
//! alternative is a set of schemes used together, each with the scopes it needs. An empty
//! alternative `{}`, an empty list or no list at all lets clients call without credentials.
//! An operation's own `security` replaces the global one. Webhooks have no security
//! requirements of their own (the API calls the receiver), so they are skipped.

use super::nav::{pair, At, Paired};
use super::operation::Endpoint;
use crate::change::{Change, Loc};
use crate::formats::jsonschema::Findings;

/// An operation's effective requirements: its own `security`, or else the global one. Compared
/// per operation, so that moving requirements between the global list and the operations is no
/// change, and a global change is reported on every operation it reaches.
pub(super) fn diff_operation(b: &Endpoint, h: &Endpoint, out: &mut Findings) {
    let effective = |e: &Endpoint| -> (Requirements, Loc) {
        if e.op.has("security") {
            (Requirements::read(e.op.get("security")), e.op.key_loc("security"))
        } else if e.root.has("security") {
            (Requirements::read(e.root.get("security")), e.root.key_loc("security"))
        } else {
            (Requirements::read(None), e.method_loc.clone())
        }
    };
    let ((br, bl), (hr, hl)) = (effective(b), effective(h));
    let name = h.name();
    compare(&br, &hr, &format!("{name} security"), &name, (bl, hl), out);
}

/// The schemes of one alternative, each with the scopes it needs.
type Schemes = Vec<(String, Vec<String>)>;

/// One revision's requirement alternatives, in document order.
struct Requirements {
    /// Calling without credentials is allowed.
    anonymous: bool,
    /// Each alternative: its key (scheme names sorted, joined by ` + `) and its schemes' scopes.
    alternatives: Vec<(String, Schemes)>,
}

impl Requirements {
    fn read(list: Option<At>) -> Requirements {
        let items = list.map(At::items).unwrap_or_default();
        let mut alternatives = Vec::new();
        let mut anonymous = items.is_empty();
        for item in items {
            let schemes: Schemes = item
                .members()
                .into_iter()
                .map(|m| {
                    let scopes =
                        m.value.items().into_iter().filter_map(|s| s.node.as_str().map(str::to_string)).collect();
                    (m.key.to_string(), scopes)
                })
                .collect();
            if schemes.is_empty() {
                anonymous = true;
                continue;
            }
            let mut names: Vec<&str> = schemes.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            alternatives.push((names.join(" + "), schemes));
        }
        Requirements { anonymous, alternatives }
    }

    fn describe(&self) -> String {
        self.alternatives.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(" or ")
    }
}

fn compare(b: &Requirements, h: &Requirements, locus: &str, subject: &str, (bl, hl): (Loc, Loc), out: &mut Findings) {
    let at = |c: Change| c.at(Some(bl.clone()), Some(hl.clone()));
    match (b.anonymous, h.anonymous) {
        (true, false) => {
            let message = format!("{subject} now requires authentication ({}).", h.describe());
            out.push(at(Change::new("openapi.security.added", locus, message)));
        }
        (false, true) => {
            let message = format!("{subject} no longer requires authentication.");
            out.push(at(Change::new("openapi.security.removed", locus, message)));
        }
        (true, true) => {}
        (false, false) => {
            for p in pair(b.alternatives.clone(), h.alternatives.clone()) {
                match p {
                    Paired::Removed(_) | Paired::Added(_) => {}
                    Paired::Kept(bs, hs) => compare_scopes(&bs, &hs, locus, subject, &at, out),
                }
            }
            let keys =
                |r: &Requirements| r.alternatives.iter().map(|(k, _)| (k.clone(), k.clone())).collect::<Vec<_>>();
            for p in pair(keys(b), keys(h)) {
                match p {
                    Paired::Removed(k) => out.push(at(Change::new(
                        "openapi.security.alternative-removed",
                        format!("{locus} {k}"),
                        format!("{subject} no longer accepts authentication with {k}."),
                    ))),
                    Paired::Added(k) => out.push(at(Change::new(
                        "openapi.security.alternative-added",
                        format!("{locus} {k}"),
                        format!("{subject} now also accepts authentication with {k}."),
                    ))),
                    Paired::Kept(..) => {}
                }
            }
        }
    }
}

/// Scopes of the schemes of one alternative kept in both revisions.
fn compare_scopes(
    b: &[(String, Vec<String>)],
    h: &[(String, Vec<String>)],
    locus: &str,
    subject: &str,
    at: &dyn Fn(Change) -> Change,
    out: &mut Findings,
) {
    for (scheme, new_scopes) in h {
        let Some((_, old_scopes)) = b.iter().find(|(s, _)| s == scheme) else {
            continue;
        };
        for scope in old_scopes.iter().filter(|s| !new_scopes.contains(s)) {
            out.push(at(Change::new(
                "openapi.security.scope-removed",
                format!("{locus} {scheme} {scope}"),
                format!("{subject} no longer needs the {scheme} scope {scope}."),
            )));
        }
        for scope in new_scopes.iter().filter(|s| !old_scopes.contains(s)) {
            out.push(at(Change::new(
                "openapi.security.scope-added",
                format!("{locus} {scheme} {scope}"),
                format!("{subject} now needs the {scheme} scope {scope}."),
            )));
        }
    }
}

/// `components.securitySchemes`: added, removed, or changed in how credentials travel.
pub(super) fn diff_schemes(base: At, head: At, out: &mut Findings) {
    for p in pair(schemes(base), schemes(head)) {
        match p {
            Paired::Removed((name, loc, _)) => out.push(
                Change::new(
                    "openapi.security-scheme.removed",
                    format!("components.securitySchemes.{name}"),
                    format!("The security scheme {name} was removed."),
                )
                .at(Some(loc), None),
            ),
            Paired::Added((name, loc, _)) => out.push(
                Change::new(
                    "openapi.security-scheme.added",
                    format!("components.securitySchemes.{name}"),
                    format!("The security scheme {name} was added."),
                )
                .at(None, Some(loc)),
            ),
            Paired::Kept((_, bl, b), (name, hl, h)) => {
                let (old, new) = (transport(b), transport(h));
                if old != new {
                    out.push(
                        Change::new(
                            "openapi.security-scheme.changed",
                            format!("components.securitySchemes.{name}"),
                            format!(
                                "The security scheme {name} changed how credentials are sent: {old} before, {new} now."
                            ),
                        )
                        .at(Some(bl), Some(hl)),
                    );
                }
            }
        }
    }
}

type Scheme<'a> = (String, (String, Loc, At<'a>));

fn schemes(side: At<'_>) -> Vec<Scheme<'_>> {
    let Some(map) = side.get("components").and_then(|c| c.get("securitySchemes")) else {
        return Vec::new();
    };
    map.members().into_iter().map(|m| (m.key.to_string(), (m.key.to_string(), m.key_loc, m.value))).collect()
}

/// What a client must do to send credentials with a scheme: its type and, where they apply,
/// the HTTP scheme or the API key's place and name.
fn transport(scheme: At) -> String {
    let field = |k: &str| scheme.str(k).unwrap_or("");
    match field("type") {
        "http" => format!("http {}", field("scheme").to_ascii_lowercase()),
        "apiKey" => {
            let name =
                if field("in") == "header" { field("name").to_ascii_lowercase() } else { field("name").to_string() };
            format!("apiKey in {} {name}", field("in"))
        }
        other => other.to_string(),
    }
}
