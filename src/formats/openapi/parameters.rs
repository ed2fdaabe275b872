//! Parameters (query, header, path, cookie): added, removed, required-ness, serialization,
//! deprecation, and their schemas (read by the server: [`super::Role::request`]).
//!
//! Matching: by (`in`, `name`), header names case-insensitively (HTTP headers are); path
//! parameters by their position in the path template, so renaming `{id}` to `{petId}` is no
//! change on the wire.

use super::media;
use super::nav::{pair, At, Paired};
use super::operation::Endpoint;
use super::paths::template_vars;
use super::PREFIX;
use crate::change::Change;
use crate::formats::jsonschema;
use crate::formats::jsonschema::Findings;

/// One parameter of an operation in one revision, path-level ones merged in.
struct Param<'a> {
    location: &'a str,
    name: &'a str,
    at: At<'a>,
}

impl Param<'_> {
    fn required(&self) -> bool {
        // Path parameters are always required, whatever `required` says.
        self.location == "path" || self.at.flag("required")
    }

    /// `style` and `explode` with the defaults OpenAPI gives them.
    fn serialization(&self) -> (String, bool) {
        let default_style = match self.location {
            "query" | "cookie" => "form",
            _ => "simple",
        };
        let style = self.at.str("style").unwrap_or(default_style).to_string();
        let explode = self.at.get("explode").and_then(|e| e.node.as_bool()).unwrap_or(style == "form");
        (style, explode)
    }

    fn media_type(&self) -> Option<String> {
        let content = self.at.get("content")?;
        content.members().into_iter().next().map(|m| m.key.to_ascii_lowercase())
    }
}

#[derive(Hash, PartialEq, Eq)]
enum Key {
    /// A path variable, by its position in the template.
    PathVar(usize),
    /// Any other parameter (or a path parameter not in the template), by location and name.
    Named(String, String),
}

fn params<'a>(e: &Endpoint<'a>) -> Vec<(Key, Param<'a>)> {
    let vars = template_vars(&e.path);
    let read = |list: Option<At<'a>>| -> Vec<Param<'a>> {
        let Some(list) = list else { return Vec::new() };
        list.items()
            .into_iter()
            .filter_map(|at| {
                let location = at.str("in")?;
                let name = at.str("name")?;
                matches!(location, "query" | "header" | "path" | "cookie").then_some(Param { location, name, at })
            })
            .collect()
    };
    // Operation-level parameters override path-level ones with the same location and name.
    let own = read(e.op.get("parameters"));
    let mut all: Vec<Param<'a>> = read(e.path_params)
        .into_iter()
        .filter(|p| !own.iter().any(|o| o.location == p.location && o.name == p.name))
        .collect();
    all.extend(own);
    all.into_iter()
        .map(|p| {
            let key = match p.location {
                "path" => match vars.iter().position(|v| *v == p.name) {
                    Some(i) => Key::PathVar(i),
                    None => Key::Named("path".into(), p.name.to_string()),
                },
                "header" => Key::Named("header".into(), p.name.to_ascii_lowercase()),
                other => Key::Named(other.to_string(), p.name.to_string()),
            };
            (key, p)
        })
        .collect()
}

pub(super) fn diff(b: &Endpoint, h: &Endpoint, out: &mut Findings) {
    let endpoint = h.name();
    for p in pair(params(b), params(h)) {
        match p {
            Paired::Removed(bp) => {
                let locus = format!("{endpoint} {} {}", bp.location, bp.name);
                out.push(
                    Change::new(
                        "openapi.parameter.removed",
                        locus,
                        format!("The {} parameter {} of {endpoint} was removed.", bp.location, bp.name),
                    )
                    .at(Some(bp.at.loc()), None)
                    .removal(bp.at.removal()),
                );
            }
            Paired::Added(hp) => {
                let locus = format!("{endpoint} {} {}", hp.location, hp.name);
                let (rule, kind) = if hp.required() {
                    ("openapi.parameter.required-added", "required")
                } else {
                    ("openapi.parameter.optional-added", "optional")
                };
                out.push(
                    Change::new(
                        rule,
                        locus,
                        format!("A new {kind} {} parameter {} was added to {endpoint}.", hp.location, hp.name),
                    )
                    .at(None, Some(hp.at.loc())),
                );
            }
            Paired::Kept(bp, hp) => diff_kept(&endpoint, b, &bp, &hp, out),
        }
    }
}

fn diff_kept(endpoint: &str, b: &Endpoint, bp: &Param, hp: &Param, out: &mut Findings) {
    let locus = format!("{endpoint} {} {}", hp.location, hp.name);
    let what = format!("The {} parameter {} of {endpoint}", hp.location, hp.name);
    let at = || (Some(bp.at.loc()), Some(hp.at.loc()));
    match (bp.required(), hp.required()) {
        (false, true) => {
            let (bl, hl) = at();
            out.push(
                Change::new("openapi.parameter.became-required", &locus, format!("{what} became required.")).at(bl, hl),
            );
        }
        (true, false) => {
            let (bl, hl) = at();
            out.push(
                Change::new("openapi.parameter.became-optional", &locus, format!("{what} became optional.")).at(bl, hl),
            );
        }
        _ => {}
    }
    if !bp.at.flag("deprecated") && hp.at.flag("deprecated") {
        out.push(
            Change::new("openapi.parameter.deprecated", &locus, format!("{what} was deprecated."))
                .at(Some(bp.at.loc()), Some(hp.at.key_loc("deprecated"))),
        );
    }
    let (old, new) = (serialization(bp), serialization(hp));
    if old != new {
        let (bl, hl) = at();
        out.push(
            Change::new(
                "openapi.parameter.serialization-changed",
                &locus,
                format!("{what} is serialized differently: {old} before, {new} now."),
            )
            .at(bl, hl),
        );
    }
    if let (Some(bs), Some(hs)) = (media::schema_of(bp.at), media::schema_of(hp.at)) {
        jsonschema::diff(bs.side(), hs.side(), b.role.request(), PREFIX, &locus, out);
    }
}

/// How the value travels on the wire, for comparison and messages.
fn serialization(p: &Param) -> String {
    match p.media_type() {
        Some(media) => format!("content {media}"),
        None => {
            let (style, explode) = p.serialization();
            format!("style {style}, explode {explode}")
        }
    }
}
