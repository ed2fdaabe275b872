//! The request body: presence, required-ness, media types, and each media type's schema (read by
//! the server: [`super::Role::request`]).

use super::media::{self, ContentRules, SchemaPresence};
use super::operation::Endpoint;
use crate::change::Change;
use crate::formats::jsonschema::Findings;

pub(super) fn diff(b: &Endpoint, h: &Endpoint, out: &mut Findings) {
    let endpoint = h.name();
    let locus = format!("{endpoint} request");
    match (b.op.get("requestBody"), h.op.get("requestBody")) {
        (None, None) => {}
        (None, Some(hb)) => {
            let (rule, kind) = if hb.flag("required") {
                ("openapi.request-body.added-required", "required")
            } else {
                ("openapi.request-body.added-optional", "optional")
            };
            out.push(
                Change::new(rule, locus, format!("{endpoint} now takes an {kind} request body."))
                    .at(Some(b.method_loc.clone()), Some(h.op.key_loc("requestBody"))),
            );
        }
        (Some(_), None) => out.push(
            Change::new("openapi.request-body.removed", locus, format!("{endpoint} no longer takes a request body."))
                .at(Some(b.op.key_loc("requestBody")), Some(h.method_loc.clone())),
        ),
        (Some(bb), Some(hb)) => {
            let at = || (Some(b.op.key_loc("requestBody")), Some(h.op.key_loc("requestBody")));
            match (bb.flag("required"), hb.flag("required")) {
                (false, true) => {
                    let (bl, hl) = at();
                    out.push(
                        Change::new(
                            "openapi.request-body.became-required",
                            &locus,
                            format!("The request body of {endpoint} became required."),
                        )
                        .at(bl, hl),
                    );
                }
                (true, false) => {
                    let (bl, hl) = at();
                    out.push(
                        Change::new(
                            "openapi.request-body.became-optional",
                            &locus,
                            format!("The request body of {endpoint} became optional."),
                        )
                        .at(bl, hl),
                    );
                }
                _ => {}
            }
            let rules = ContentRules {
                media_removed: "openapi.request-body.media-type-removed",
                media_added: "openapi.request-body.media-type-added",
                removed_message: &|media| format!("{endpoint} no longer accepts a {media} request body."),
                added_message: &|media| format!("{endpoint} now also accepts a {media} request body."),
                schema: SchemaPresence {
                    added: "openapi.request-body.schema-added",
                    removed: "openapi.request-body.schema-removed",
                },
            };
            media::diff_content(bb.get("content"), hb.get("content"), h.role.request(), &locus, rules, out);
        }
    }
}
