//! contractdiff: finds breaking changes between two revisions of API and event contracts.
//!
//! The data path (see the README's architecture notes):
//! `source` → `discover` → `doc` (spanned loading) → `formats::*` (differs emit [`change::Change`]s)
//! → `rules` (classes and docs) → `policy` (verdict) → `report` (renderers).

pub mod change;
pub mod cli;
pub mod config;
pub mod discover;
pub mod doc;
pub mod error;
pub mod formats;
pub mod guard;
pub mod policy;
pub mod report;
pub mod rules;
pub mod run;
pub mod scratch;
pub mod source;
pub mod text;
