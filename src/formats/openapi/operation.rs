//! One operation (a method of a path item or webhook): added, removed, deprecated, sunset,
//! `operationId`, then its parameters, request body, responses and security.

use super::nav::{At, Paired};
use super::{parameters, request_body, responses, security, Role};
use crate::change::Change;
use crate::formats::jsonschema::Findings;

/// An operation in one revision, with what it inherits from its path item and document.
#[derive(Clone)]
pub(crate) struct Endpoint<'a> {
    /// Uppercase HTTP method.
    pub method: String,
    /// The path template (or webhook name) as written in this revision.
    pub path: String,
    pub role: Role,
    /// The document root, for inherited settings such as the global `security`.
    pub root: At<'a>,
    pub op: At<'a>,
    /// Where the method key is written: what a finding about the whole operation points at.
    pub method_loc: crate::change::Loc,
    /// The path item's `parameters`, shared by all its operations.
    pub path_params: Option<At<'a>>,
}

impl Endpoint<'_> {
    /// `GET /pets`, or `POST webhook newPet` for a webhook.
    pub fn name(&self) -> String {
        match self.role {
            Role::Server => format!("{} {}", self.method, self.path),
            Role::Client => format!("{} webhook {}", self.method, self.path),
        }
    }
}

pub(super) fn diff(pair: Paired<Endpoint<'_>>, out: &mut Findings) {
    match pair {
        Paired::Removed(b) => {
            let name = b.name();
            let removal = b.op.removal();
            let note = match (&removal.sunset, removal.deprecated_in_base) {
                (Some(date), _) => format!(" (sunset date {date})"),
                (None, true) => " (it was deprecated)".to_string(),
                (None, false) => " without prior deprecation".to_string(),
            };
            out.push(
                Change::new("openapi.operation.removed", &name, format!("The operation {name} was removed{note}."))
                    .at(Some(b.method_loc.clone()), None)
                    .removal(removal),
            );
        }
        Paired::Added(h) => {
            let name = h.name();
            out.push(
                Change::new("openapi.operation.added", &name, format!("The operation {name} was added."))
                    .at(None, Some(h.method_loc.clone())),
            );
        }
        Paired::Kept(b, h) => {
            diff_lifecycle(&b, &h, out);
            diff_operation_id(&b, &h, out);
            parameters::diff(&b, &h, out);
            request_body::diff(&b, &h, out);
            responses::diff(&b, &h, out);
            if h.role == Role::Server {
                security::diff_operation(&b, &h, out);
            }
        }
    }
}

/// `deprecated` and `x-sunset`: the facts the deprecation report and the policy read.
fn diff_lifecycle(b: &Endpoint, h: &Endpoint, out: &mut Findings) {
    let name = h.name();
    let (was, is) = (b.op.flag("deprecated"), h.op.flag("deprecated"));
    if !was && is {
        out.push(
            Change::new("openapi.operation.deprecated", &name, format!("The operation {name} was deprecated."))
                .at(Some(b.method_loc.clone()), Some(h.op.key_loc("deprecated"))),
        );
    } else if was && !is {
        out.push(
            Change::new(
                "openapi.operation.reactivated",
                &name,
                format!("The operation {name} is no longer deprecated."),
            )
            .at(Some(b.op.key_loc("deprecated")), Some(h.method_loc.clone())),
        );
    }
    let (old, new) = (b.op.sunset(), h.op.sunset());
    if old != new {
        let message = match (&old, &new) {
            (None, Some(n)) => format!("The operation {name} got the sunset date {n}."),
            (Some(o), Some(n)) => format!("The sunset date of {name} moved from {o} to {n}."),
            (Some(o), None) => format!("The sunset date {o} of {name} was removed."),
            (None, None) => return,
        };
        let loc = |e: &Endpoint| {
            if e.op.has("x-sunset") {
                e.op.key_loc("x-sunset")
            } else {
                e.method_loc.clone()
            }
        };
        out.push(Change::new("openapi.operation.sunset-changed", &name, message).at(Some(loc(b)), Some(loc(h))));
    }
}

/// A changed or dropped `operationId` renames the method in every generated client.
fn diff_operation_id(b: &Endpoint, h: &Endpoint, out: &mut Findings) {
    let Some(old) = b.op.str("operationId") else {
        return;
    };
    let new = h.op.str("operationId");
    if new == Some(old) {
        return;
    }
    let name = h.name();
    let message = match new {
        Some(new) => format!("The operationId of {name} changed from {old} to {new}."),
        None => format!("The operationId {old} of {name} was removed."),
    };
    let head_loc = if new.is_some() { h.op.key_loc("operationId") } else { h.method_loc.clone() };
    out.push(
        Change::new("openapi.operation.id-changed", &name, message)
            .at(Some(b.op.key_loc("operationId")), Some(head_loc)),
    );
}
