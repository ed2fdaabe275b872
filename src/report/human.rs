//! Human output: one miette diagnostic per change, with the changed line of the contract,
//! grouped by contract and by operation. Colour only when writing to a terminal.
//!
//! Everything taken from a contract (names, versions, paths, messages, the quoted lines) goes
//! through [`crate::text`] first: control characters are shown escaped, never emitted.

use super::{ContractReport, Report, ReportedChange, Sources, Verdict};
use crate::change::Loc;
use crate::rules::{Catalogue, Class};
use crate::text::{escape_controls as esc, ShownSource};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceCode};
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

pub struct Style {
    pub colour: bool,
    /// Also show info-class changes.
    pub verbose: bool,
}

/// Every document's text, shared: miette wants owned sources, and a 4 MB spec must not be copied
/// once per change.
struct Texts {
    base: HashMap<String, Snippet>,
    head: HashMap<String, Snippet>,
}

impl Texts {
    fn new(sources: &Sources) -> Texts {
        let index = |side: &[crate::doc::Workspace], texts: &std::collections::BTreeMap<String, Arc<str>>| {
            let docs = side.iter().flat_map(|ws| ws.docs()).map(|doc| (doc.path.clone(), Arc::from(doc.text.as_str())));
            docs.chain(texts.iter().map(|(path, text)| (path.clone(), Arc::clone(text))))
                .map(|(path, text)| (path, Snippet::new(text)))
                .collect()
        };
        Texts { base: index(&sources.base, &sources.texts.base), head: index(&sources.head, &sources.texts.head) }
    }
}

/// Lines longer than this are not quoted (minified JSON holds a whole spec on one line): the
/// finding names its place instead.
const MAX_QUOTED_LINE: usize = 400;

/// A text as the report quotes it: with control characters escaped (offsets mapped to match),
/// computed on first use, since most texts are never quoted.
struct Snippet {
    text: Arc<str>,
    shown: std::sync::OnceLock<Option<ShownSource>>,
}

impl Snippet {
    fn new(text: Arc<str>) -> Snippet {
        Snippet { text, shown: std::sync::OnceLock::new() }
    }

    /// The text to quote and `start..end` mapped into it, or `None` when the span is outside the
    /// text or on a line too long to quote.
    fn quote(&self, start: usize, end: usize) -> Option<(Arc<str>, usize, usize)> {
        let text: &str = &self.text;
        if start > end || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return None;
        }
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if text[line_start..start].len() > MAX_QUOTED_LINE || text[end..line_end].len() > MAX_QUOTED_LINE {
            return None;
        }
        match self.shown.get_or_init(|| ShownSource::of(text)) {
            None => Some((Arc::clone(&self.text), start, end)),
            Some(shown) => Some((Arc::clone(&shown.text), shown.offset(start), shown.offset(end))),
        }
    }
}

pub fn render(report: &Report, sources: &Sources, style: &Style) -> String {
    let sources = &Texts::new(sources);
    let theme = if style.colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    // Sides are labelled by the source layer, git ones with their short commit id.
    let _ = writeln!(out, "contractdiff: {} → {}", esc(&report.base.rev), esc(&report.head.rev));
    for contract in &report.contracts {
        render_contract(&mut out, contract, sources, style, &handler);
    }
    for error in &report.errors {
        let place = match (&error.file, error.line, error.column) {
            (Some(f), Some(l), Some(c)) => format!("{}:{l}:{c}: ", esc(f)),
            (Some(f), _, _) => format!("{}: ", esc(f)),
            _ => String::new(),
        };
        let _ = writeln!(out, "\nerror: {place}{}", esc(&error.message));
        if let Some(hint) = &error.hint {
            let _ = writeln!(out, "  help: {}", esc(hint));
        }
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "\nnot compared:");
        for skipped in &report.skipped {
            let _ = writeln!(out, "  {}: {} ({})", skipped.side, esc(&skipped.path), esc(&skipped.reason));
        }
    }
    for note in &report.notes {
        let _ = writeln!(out, "\nnote: {}", esc(note));
    }
    let s = &report.summary;
    let verdict = match report.verdict {
        Verdict::Pass => "pass".to_string(),
        Verdict::Error => format!("ERROR ({} contract(s) could not be read)", report.errors.len()),
        Verdict::Fail => "FAIL".to_string(),
    };
    let _ = writeln!(
        out,
        "\n{} breaking, {} risky, {} additive, {} deprecation, {} info; {} blocking: {verdict}",
        s.breaking, s.risky, s.additive, s.deprecation, s.info, s.blocking
    );
    out
}

fn render_contract(
    out: &mut String,
    contract: &ContractReport,
    sources: &Texts,
    style: &Style,
    handler: &GraphicalReportHandler,
) {
    let path = contract.head.as_ref().or(contract.base.as_ref()).map(|s| s.path.as_str()).unwrap_or("?");
    let version = |side: &Option<super::ContractSide>| {
        side.as_ref().and_then(|s| s.version.clone()).unwrap_or_else(|| "-".into())
    };
    let bump = contract.bump.map(|b| format!(", {} bump", b.as_str())).unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{} {} ({} → {}{bump})",
        contract.kind.as_str(),
        esc(path),
        esc(&version(&contract.base)),
        esc(&version(&contract.head))
    );
    let shown: Vec<&ReportedChange> =
        contract.changes.iter().filter(|c| style.verbose || c.class != Class::Info).collect();
    if shown.is_empty() {
        let _ = writeln!(out, "  no changes");
        return;
    }
    let mut group = None;
    for (change, also) in merge_shared_findings(&shown) {
        let this_group = group_of(contract.kind, change);
        if group != Some(this_group) {
            let _ = writeln!(out, "\n  {}", esc(this_group));
            group = Some(this_group);
        }
        let diagnostic = ChangeDiagnostic::new(change, sources);
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &diagnostic).is_err() {
            rendered = format!("{}: {}\n", change.rule, change.message);
        }
        for line in rendered.lines() {
            let _ = writeln!(out, "  {line}");
        }
        if !also.is_empty() {
            let _ = writeln!(out, "    also at {} other place(s) using the same schema:", also.len());
            for locus in also {
                let _ = writeln!(out, "      {}", esc(locus));
            }
        }
    }
}

/// A change in a shared schema (`components/schemas/Pet`) is reported at every use site, which is
/// right for JSON but drowns a reader: show each distinct finding once, with its other loci.
fn merge_shared_findings<'a>(changes: &[&'a ReportedChange]) -> Vec<(&'a ReportedChange, Vec<&'a str>)> {
    let mut merged: Vec<(&ReportedChange, Vec<&str>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for &change in changes {
        let key = (&change.rule, &change.message, &change.base, &change.head, change.blocking);
        let located = change.base.is_some() || change.head.is_some();
        match index.get(&key).filter(|_| located) {
            Some(&at) => {
                let (_, also): &mut (&ReportedChange, Vec<&str>) = &mut merged[at];
                also.push(change.locus.as_str());
            }
            None => {
                index.insert(key, merged.len());
                merged.push((change, Vec::new()));
            }
        }
    }
    merged
}

/// The heading a change is listed under: its operation for OpenAPI, its file for formats whose
/// loci are type names (Protobuf, Avro).
fn group_of(kind: crate::formats::Kind, change: &ReportedChange) -> &str {
    if kind == crate::formats::Kind::Openapi {
        return operation_of(&change.locus);
    }
    let loc = if change.removal {
        change.base.as_ref().or(change.head.as_ref())
    } else {
        change.head.as_ref().or(change.base.as_ref())
    };
    loc.map(|l| l.file.as_str()).unwrap_or(change.locus.as_str())
}

/// The operation a locus belongs to (`GET /pets`), or the whole locus when it names none.
fn operation_of(locus: &str) -> &str {
    const METHODS: &[&str] = &["GET ", "PUT ", "POST ", "DELETE ", "OPTIONS ", "HEAD ", "PATCH ", "TRACE ", "WEBHOOK "];
    if METHODS.iter().any(|m| locus.starts_with(m)) {
        let after_method = locus.find(' ').map(|i| i + 1).unwrap_or(0);
        match locus[after_method..].find(' ') {
            Some(end) => &locus[..after_method + end],
            None => locus,
        }
    } else {
        locus.split(' ').next().unwrap_or(locus)
    }
}

#[derive(Debug)]
struct ChangeDiagnostic {
    rule: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    label: Option<LabeledSpan>,
}

impl ChangeDiagnostic {
    fn new(change: &ReportedChange, sources: &Texts) -> Self {
        let mut message = format!("[{}] {}", change.class.as_str(), esc(&change.message));
        match change.allowed_by {
            Some(by) => {
                let _ = write!(
                    message,
                    " (allowed by {})",
                    serde_json::to_value(by).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
                );
            }
            None if change.blocking => message.push_str(" (blocking)"),
            None => {}
        }
        // Removals show base, where the element still is; everything else shows head.
        let (side, loc, texts) = match (&change.head, &change.base) {
            (_, Some(loc)) if change.removal => ("base", loc, &sources.base),
            (Some(loc), _) => ("head", loc, &sources.head),
            (None, Some(loc)) => ("base", loc, &sources.base),
            (None, None) => {
                return ChangeDiagnostic {
                    rule: change.rule.clone(),
                    message,
                    severity: severity(change.class),
                    help: fix_of(&change.rule),
                    source: None,
                    label: None,
                }
            }
        };
        let quoted = texts.get(&loc.file).and_then(|snippet| snippet.quote(loc.start, loc.end));
        let (source, label) = match quoted {
            Some((text, start, end)) => (
                Some(NamedSource::new(format!("{side}:{}", esc(&loc.file)), text)),
                Some(LabeledSpan::new(Some(esc(&change.locus).into_owned()), start, end - start)),
            ),
            None => (None, None),
        };
        if source.is_none() {
            let _ = write!(message, " at {side}:{}", location(loc));
        }
        ChangeDiagnostic {
            rule: change.rule.clone(),
            message,
            severity: severity(change.class),
            help: fix_of(&change.rule),
            source,
            label,
        }
    }
}

/// An error as the terminal shows it on stderr: miette's rendering, with the error's text, hint
/// and quoted source passed through [`crate::text`] like every finding.
pub fn render_error(error: &crate::error::Error, colour: bool) -> String {
    let theme = if colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut quoted = None;
    if let crate::error::Error::Input { src: Some(src), span: Some(span), file, .. } = error {
        let snippet = Snippet::new(Arc::from(src.inner().as_str()));
        quoted = snippet.quote(span.offset(), span.offset() + span.len()).map(|(text, start, end)| {
            (NamedSource::new(&*esc(file), text), LabeledSpan::new(Some("here".into()), start, end - start))
        });
    }
    let (source, label) = quoted.unzip();
    let diagnostic = ChangeDiagnostic {
        rule: miette::Diagnostic::code(error).map(|c| c.to_string()).unwrap_or_default(),
        message: esc(&error.to_string()).into_owned(),
        severity: Severity::Error,
        help: miette::Diagnostic::help(error).map(|h| esc(&h.to_string()).into_owned()),
        source,
        label,
    };
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &diagnostic).is_err() {
        rendered = format!("error: {}\n", diagnostic.message);
    }
    rendered
}

fn location(loc: &Loc) -> String {
    format!("{}:{}:{}", esc(&loc.file), loc.line, loc.column)
}

fn fix_of(rule: &str) -> Option<String> {
    Catalogue::get().rule(rule).map(|r| format!("{} (contractdiff explain {rule})", r.fix.trim()))
}

fn severity(class: Class) -> Severity {
    match class {
        Class::Breaking => Severity::Error,
        Class::Risky | Class::Deprecation => Severity::Warning,
        Class::Additive | Class::Info => Severity::Advice,
    }
}

impl std::fmt::Display for ChangeDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ChangeDiagnostic {}

impl Diagnostic for ChangeDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.rule))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label.clone().map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

#[cfg(test)]
mod tests {
    use super::{operation_of, render_error};

    #[test]
    fn errors_quote_their_line_with_control_characters_escaped() {
        let text = "openapi: 3.0.3\n\"k\u{1b}[2J\": 1\n\"k\u{1b}[2J\": 2\n";
        let at = text.rfind('"').unwrap() - 6;
        let error = crate::error::Error::input_at("x\u{1b}.yaml", text, at, 3, 1, "duplicate key `k\u{1b}[2J`", None);
        let shown = render_error(&error, false);
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(shown.contains("x\\u{1b}.yaml") && shown.contains("duplicate key `k\\u{1b}[2J`"), "{shown}");
        assert!(shown.contains("3 │ \"k\\u{1b}[2J\": 2"), "the quoted line: {shown}");
    }

    #[test]
    fn groups_by_operation() {
        assert_eq!(operation_of("GET /pets/{id} 200 application/json $.name"), "GET /pets/{id}");
        assert_eq!(operation_of("POST /pets"), "POST /pets");
        assert_eq!(operation_of("security scheme api_key"), "security");
    }
}
