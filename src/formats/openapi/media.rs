//! `content` maps (media type → media type object), shared by request bodies and responses.

use super::nav::{pair, At, Paired};
use super::PREFIX;
use crate::change::{Change, Loc};
use crate::formats::jsonschema::{self, Direction, Findings};

/// One media type of a `content` map in one revision.
pub(super) struct Media<'a> {
    /// As written (`application/json`).
    pub name: &'a str,
    pub key_loc: Loc,
    pub at: At<'a>,
}

/// Pair the media types of two `content` maps; names compare case-insensitively and without
/// blanks, as HTTP compares them.
pub(super) fn pair_content<'a>(base: Option<At<'a>>, head: Option<At<'a>>) -> Vec<Paired<Media<'a>>> {
    let read = |content: Option<At<'a>>| -> Vec<(String, Media<'a>)> {
        let Some(content) = content else {
            return Vec::new();
        };
        content
            .members()
            .into_iter()
            .map(|m| {
                let key: String = m.key.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                (key, Media { name: m.key, key_loc: m.key_loc, at: m.value })
            })
            .collect()
    };
    pair(read(base), read(head))
}

/// Rule ids for a schema appearing or disappearing at one kind of use site.
#[derive(Clone, Copy)]
pub(super) struct SchemaPresence {
    pub added: &'static str,
    pub removed: &'static str,
}

/// How one kind of use site (request bodies, responses) names what happens to its media types.
pub(super) struct ContentRules<'a> {
    pub media_removed: &'static str,
    pub media_added: &'static str,
    /// The sentence for a media type removed / added, given its name.
    pub removed_message: &'a dyn Fn(&str) -> String,
    pub added_message: &'a dyn Fn(&str) -> String,
    pub schema: SchemaPresence,
}

/// Compare two `content` maps: media types removed and added, and the schemas of those kept,
/// read in direction `dir`.
pub(super) fn diff_content(
    base: Option<At>,
    head: Option<At>,
    dir: Direction,
    locus: &str,
    rules: ContentRules<'_>,
    out: &mut Findings,
) {
    let ContentRules { media_removed, media_added, removed_message, added_message, schema } = rules;
    for p in pair_content(base, head) {
        match p {
            Paired::Removed(m) => out.push(
                Change::new(media_removed, format!("{locus} {}", m.name), removed_message(m.name))
                    .at(Some(m.key_loc), None),
            ),
            Paired::Added(m) => out.push(
                Change::new(media_added, format!("{locus} {}", m.name), added_message(m.name))
                    .at(None, Some(m.key_loc)),
            ),
            Paired::Kept(bm, hm) => {
                diff_schemas(&bm, &hm, dir, &format!("{locus} {}", hm.name), schema, out);
            }
        }
    }
}

/// Compare the schemas of a media type kept in both revisions. A schema on one side only is
/// reported with `presence`'s rules (a missing schema means "anything"); two schemas go to the
/// JSON Schema core.
pub(super) fn diff_schemas(
    b: &Media,
    h: &Media,
    dir: Direction,
    locus: &str,
    presence: SchemaPresence,
    out: &mut Findings,
) {
    match (b.at.get_raw("schema"), h.at.get_raw("schema")) {
        (Some(bs), Some(hs)) => jsonschema::diff(bs.side(), hs.side(), dir, PREFIX, locus, out),
        (None, Some(hs)) => out.push(
            Change::new(presence.added, locus, format!("{locus} now has a schema where any content was allowed."))
                .at(Some(b.key_loc.clone()), Some(hs.loc())),
        ),
        (Some(bs), None) => out.push(
            Change::new(presence.removed, locus, format!("{locus} no longer has a schema: any content is allowed."))
                .at(Some(bs.loc()), Some(h.key_loc.clone())),
        ),
        (None, None) => {}
    }
}

/// The schema of a parameter or header: `schema`, or the schema of its single `content` media
/// type. Returned as written (unresolved) for the core.
pub(super) fn schema_of(at: At) -> Option<At> {
    if let Some(schema) = at.get_raw("schema") {
        return Some(schema);
    }
    at.get("content")?.members().into_iter().next()?.value.get_raw("schema")
}
