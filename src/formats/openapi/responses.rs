//! Responses: status codes, media types, headers, and their schemas (read by clients:
//! [`super::Role::response`]).

use super::media::{self, ContentRules, SchemaPresence};
use super::nav::{pair, At, Member, Paired};
use super::operation::Endpoint;
use super::PREFIX;
use crate::change::Change;
use crate::formats::jsonschema;
use crate::formats::jsonschema::Findings;

pub(super) fn diff(b: &Endpoint, h: &Endpoint, out: &mut Findings) {
    let endpoint = h.name();
    for p in pair(statuses(b), statuses(h)) {
        match p {
            Paired::Removed(m) => {
                let (rule, kind) = if is_success(m.key) {
                    ("openapi.response-status.success-removed", "success")
                } else {
                    ("openapi.response-status.non-success-removed", "non-success")
                };
                out.push(
                    Change::new(
                        rule,
                        format!("{endpoint} {}", m.key),
                        format!("The {kind} response {} of {endpoint} was removed.", m.key),
                    )
                    .at(Some(m.key_loc), None),
                );
            }
            Paired::Added(m) => {
                let (rule, kind) = if is_success(m.key) {
                    ("openapi.response-status.success-added", "success")
                } else {
                    ("openapi.response-status.non-success-added", "non-success")
                };
                out.push(
                    Change::new(
                        rule,
                        format!("{endpoint} {}", m.key),
                        format!("{endpoint} can now answer with the {kind} response {}.", m.key),
                    )
                    .at(None, Some(m.key_loc)),
                );
            }
            Paired::Kept(bm, hm) => {
                let locus = format!("{endpoint} {}", hm.key);
                diff_content(h, &locus, bm.value, hm.value, out);
                diff_headers(h, &locus, bm.value, hm.value, out);
            }
        }
    }
}

/// `2XX` and any `2xx` code; `default` is not a success (it usually stands for errors).
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

fn diff_content(h: &Endpoint, locus: &str, br: At, hr: At, out: &mut Findings) {
    let rules = ContentRules {
        media_removed: "openapi.response-media-type.removed",
        media_added: "openapi.response-media-type.added",
        removed_message: &|media| format!("The {locus} response no longer comes as {media}."),
        added_message: &|media| format!("The {locus} response can now also come as {media}."),
        schema: SchemaPresence {
            added: "openapi.response-media-type.schema-added",
            removed: "openapi.response-media-type.schema-removed",
        },
    };
    media::diff_content(br.get("content"), hr.get("content"), h.role.response(), locus, rules, out);
}

/// Response headers, by name case-insensitively; `Content-Type` is ignored, as OpenAPI says.
fn diff_headers(h: &Endpoint, locus: &str, br: At, hr: At, out: &mut Findings) {
    for p in pair(headers(br), headers(hr)) {
        match p {
            Paired::Removed(m) => {
                let required = m.value.flag("required");
                let rule = if required {
                    "openapi.response-header.removed"
                } else {
                    "openapi.response-header.optional-removed"
                };
                let kind = if required { "required" } else { "optional" };
                out.push(
                    Change::new(
                        rule,
                        format!("{locus} header {}", m.key),
                        format!("The {kind} header {} of the {locus} response was removed.", m.key),
                    )
                    .at(Some(m.key_loc), None)
                    .removal(m.value.removal()),
                );
            }
            Paired::Added(m) => out.push(
                Change::new(
                    "openapi.response-header.added",
                    format!("{locus} header {}", m.key),
                    format!("The {locus} response now has the header {}.", m.key),
                )
                .at(None, Some(m.key_loc)),
            ),
            Paired::Kept(bm, hm) => {
                let header_locus = format!("{locus} header {}", hm.key);
                if bm.value.flag("required") && !hm.value.flag("required") {
                    out.push(
                        Change::new(
                            "openapi.response-header.became-optional",
                            &header_locus,
                            format!("The header {} of the {locus} response became optional.", hm.key),
                        )
                        .at(Some(bm.key_loc.clone()), Some(hm.key_loc.clone())),
                    );
                }
                if let (Some(bs), Some(hs)) = (media::schema_of(bm.value), media::schema_of(hm.value)) {
                    jsonschema::diff(bs.side(), hs.side(), h.role.response(), PREFIX, &header_locus, out);
                }
            }
        }
    }
}

/// Responses keyed by status, `2xx` and `2XX` being one.
fn statuses<'a>(e: &Endpoint<'a>) -> Vec<(String, Member<'a>)> {
    let Some(responses) = e.op.get("responses") else {
        return Vec::new();
    };
    responses.members().into_iter().map(|m| (m.key.to_ascii_uppercase(), m)).collect()
}

fn headers(response: At<'_>) -> Vec<(String, Member<'_>)> {
    let Some(headers) = response.get("headers") else {
        return Vec::new();
    };
    headers
        .members()
        .into_iter()
        .map(|m| (m.key.to_ascii_lowercase(), m))
        .filter(|(k, _)| k != "content-type")
        .collect()
}
