//! Human output: one miette diagnostic per change, with the changed line of the contract,
//! grouped by contract and by operation. Colour only when writing to a terminal.

use super::{ContractReport, Report, ReportedChange, Sources, Verdict};
use crate::change::Loc;
use crate::rules::{Catalogue, Class};
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
    base: HashMap<String, Arc<str>>,
    head: HashMap<String, Arc<str>>,
}

impl Texts {
    fn new(sources: &Sources) -> Texts {
        let index = |side: &[crate::doc::Workspace], texts: &std::collections::BTreeMap<String, Arc<str>>| {
            let docs = side.iter().flat_map(|ws| ws.docs()).map(|doc| (doc.path.clone(), Arc::from(doc.text.as_str())));
            docs.chain(texts.iter().map(|(path, text)| (path.clone(), Arc::clone(text)))).collect()
        };
        Texts { base: index(&sources.base, &sources.texts.base), head: index(&sources.head, &sources.texts.head) }
    }
}

pub fn render(report: &Report, sources: &Sources, style: &Style) -> String {
    let sources = &Texts::new(sources);
    let theme = if style.colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    // Sides are labelled by the source layer, git ones with their short commit id.
    let _ = writeln!(out, "contractdiff: {} → {}", report.base.rev, report.head.rev);
    for contract in &report.contracts {
        render_contract(&mut out, contract, sources, style, &handler);
    }
    for error in &report.errors {
        let place = match (&error.file, error.line, error.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
            (Some(f), _, _) => format!("{f}: "),
            _ => String::new(),
        };
        let _ = writeln!(out, "\nerror: {place}{}", error.message);
        if let Some(hint) = &error.hint {
            let _ = writeln!(out, "  help: {hint}");
        }
    }
    let s = &report.summary;
    let verdict = match report.verdict {
        Verdict::Pass => "pass".to_string(),
        Verdict::Fail if !report.errors.is_empty() => {
            format!("FAIL ({} contract(s) could not be read)", report.errors.len())
        }
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
        "\n{} {path} ({} → {}{bump})",
        contract.kind.as_str(),
        version(&contract.base),
        version(&contract.head)
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
            let _ = writeln!(out, "\n  {this_group}");
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
                let _ = writeln!(out, "      {locus}");
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
        let mut message = format!("[{}] {}", change.class.as_str(), change.message);
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
        let source =
            texts.get(&loc.file).map(|text| NamedSource::new(format!("{side}:{}", loc.file), Arc::clone(text)));
        let label = source
            .as_ref()
            .map(|_| LabeledSpan::new(Some(change.locus.clone()), loc.start, loc.end.saturating_sub(loc.start)));
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

fn location(loc: &Loc) -> String {
    format!("{}:{}:{}", loc.file, loc.line, loc.column)
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
    use super::operation_of;

    #[test]
    fn groups_by_operation() {
        assert_eq!(operation_of("GET /pets/{id} 200 application/json $.name"), "GET /pets/{id}");
        assert_eq!(operation_of("POST /pets"), "POST /pets");
        assert_eq!(operation_of("security scheme api_key"), "security");
    }
}
