//! Schema resolution as the Avro specification and Java's `ReaderWriterCompatibilityChecker` (the
//! Schema Registry's) define it: can a reader with one schema decode everything a writer with
//! another wrote? Every incompatibility is reported, once, with both places.
//!
//! The same walk, run with the head schema as the reader, also notes the evolution a reader does
//! not fail on: fields and symbols added, logical types that change what the bytes mean, docs,
//! deprecations.

use super::logical::{self, Meaning};
use super::model::{Enum, Id, Kind, Model, Named, Node, Record};
use crate::change::Loc;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub locus: String,
    /// Says what the reader cannot do; the caller adds which side is which.
    pub message: String,
    pub reader: Option<Loc>,
    pub writer: Option<Loc>,
    /// A compatibility finding (the level decides), not an evolution note.
    pub compat: bool,
}

/// Check that `reader` (at `reader_root`) can read what `writer` (at `writer_root`) wrote.
/// `notes`: the reader is the head side; also emit additive, risky, info and deprecation notes.
pub fn check(
    reader: &Model,
    reader_root: Id,
    writer: &Model,
    writer_root: Id,
    locus: &str,
    notes: bool,
) -> Vec<Finding> {
    Checker::new(reader, writer, notes).check(reader_root, writer_root, locus)
}

/// A reader model checked against a writer model for several roots (the contracts of one
/// revision pair): a named type pair reached from several roots is walked, and reported, once.
pub struct Checker<'a> {
    walk: Walk<'a>,
}

impl<'a> Checker<'a> {
    pub fn new(reader: &'a Model, writer: &'a Model, notes: bool) -> Self {
        let walk = Walk {
            reader,
            writer,
            notes,
            findings: Vec::new(),
            reported: HashSet::new(),
            memo: HashMap::new(),
            active: HashSet::new(),
            assumed: 0,
        };
        Checker { walk }
    }

    /// The findings below this pair of roots that no earlier call reported.
    pub fn check(&mut self, reader_root: Id, writer_root: Id, locus: &str) -> Vec<Finding> {
        self.walk.visit(reader_root, writer_root, locus, true);
        std::mem::take(&mut self.walk.findings)
    }
}

/// Can `reader` read `writer`, with no findings: the boolean the property tests compare.
pub fn can_read(reader: &Model, reader_root: Id, writer: &Model, writer_root: Id) -> bool {
    let mut walk = Walk {
        reader,
        writer,
        notes: false,
        findings: Vec::new(),
        reported: HashSet::new(),
        memo: HashMap::new(),
        active: HashSet::new(),
        assumed: 0,
    };
    walk.visit(reader_root, writer_root, "", false)
}

struct Walk<'a> {
    reader: &'a Model,
    writer: &'a Model,
    notes: bool,
    findings: Vec<Finding>,
    /// Pairs already walked in reporting mode: each cause is reported once, and recursive
    /// types end.
    reported: HashSet<(Id, Id)>,
    /// Answers of the silent mode; a pair being decided counts as readable (as Java assumes).
    memo: HashMap<(Id, Id), bool>,
    active: HashSet<(Id, Id)>,
    /// How many times a silent check assumed an undecided pair readable.
    assumed: usize,
}

/// A type's short description for messages: `int`, `record com.acme.User`, `union`.
fn describe(node: &Node) -> String {
    match node.kind.named() {
        Some(named) => format!("{} `{}`", node.kind.label(), named.full),
        None => match &node.logical {
            Some(l) if !matches!(l, super::model::Logical::Other(_)) => {
                format!("{} ({})", node.kind.label(), logical::label(Some(l)))
            }
            _ => node.kind.label().to_string(),
        },
    }
}

/// The writer's type the reader's type can read besides its own (the specification's promotions).
fn promotes(reader: &Kind, writer: &Kind) -> bool {
    use Kind::*;
    matches!(
        (reader, writer),
        (Long, Int) | (Float, Int | Long) | (Double, Int | Long | Float) | (Bytes, String) | (String, Bytes)
    )
}

fn is_primitive(kind: &Kind) -> bool {
    use Kind::*;
    matches!(kind, Null | Boolean | Int | Long | Float | Double | Bytes | String)
}

/// Java's `schemaNameEquals`: unqualified names are equal, or a reader alias is the writer's full name.
fn names_match(reader: &Named, writer: &Named) -> bool {
    reader.name == writer.name || reader.aliases.contains(&writer.full)
}

impl Walk<'_> {
    fn emit(&mut self, rule: &'static str, locus: &str, message: String, reader: Option<Loc>, writer: Option<Loc>) {
        let compat = !matches!(
            rule,
            "avro.field-added"
                | "avro.field-removed"
                | "avro.enum-symbol-added"
                | "avro.union-branch-added"
                | "avro.time-unit-changed"
                | "avro.logical-type-changed"
                | "avro.doc-changed"
                | "avro.deprecated"
        );
        self.findings.push(Finding { rule, locus: locus.to_string(), message, reader, writer, compat });
    }

    /// `emit`: report every finding (and notes) below this pair; otherwise answer silently and
    /// stop at the first incompatibility.
    fn visit(&mut self, r: Id, w: Id, locus: &str, emit: bool) -> bool {
        let key = (self.reader.resolve(r), self.writer.resolve(w));
        if emit {
            if !self.reported.insert(key) {
                return true;
            }
            // While its findings are being reported, the pair counts as readable for the silent
            // checks below it (a recursive type's union branch), as Java's recursion guard does:
            // one cause, one finding.
            let fresh = self.active.insert(key);
            let ok = self.pair(r, w, locus, true);
            if fresh {
                self.active.remove(&key);
            }
            return ok;
        }
        if let Some(&known) = self.memo.get(&key) {
            return known;
        }
        if !self.active.insert(key) {
            self.assumed += 1;
            return true;
        }
        let assumed_before = self.assumed;
        let ok = self.pair(r, w, locus, false);
        self.active.remove(&key);
        // A `false` is final; a `true` only when it leaned on no pair still being decided.
        if !ok || self.assumed == assumed_before {
            self.memo.insert(key, ok);
        }
        ok
    }

    fn pair(&mut self, r: Id, w: Id, locus: &str, emit: bool) -> bool {
        let (reader, writer) = (self.reader, self.writer);
        let (rn, wn) = (reader.node(r), writer.node(w));
        // Places of the uses (a named type used by name points at the use, not the definition).
        let (r_at, w_at) = (&reader.nodes[r].at, &writer.nodes[w].at);
        // Loci are only needed when reporting.
        let sub = |suffix: &dyn Fn() -> String| if emit { format!("{locus}{}", suffix()) } else { String::new() };
        match (&rn.kind, &wn.kind) {
            (Kind::Union(r_branches), Kind::Union(w_branches)) => {
                let mut ok = true;
                let mut used = vec![false; r_branches.len()];
                for &branch in w_branches {
                    let branch_locus = sub(&|| format!("|{}", branch_label(writer.node(branch))));
                    if !self.branch(r, r_branches, branch, &branch_locus, emit, &mut used) {
                        ok = false;
                        if !emit {
                            return false;
                        }
                    }
                }
                if emit && self.notes {
                    for (_, &branch) in r_branches.iter().enumerate().filter(|(j, _)| !used[*j]) {
                        let node = reader.node(branch);
                        let message = format!("the union gained the branch {}", describe(node));
                        let at = Some(reader.nodes[branch].at.clone());
                        let branch_locus = format!("{locus}|{}", branch_label(node));
                        self.emit("avro.union-branch-added", &branch_locus, message, at, Some(w_at.clone()));
                    }
                }
                ok
            }
            (_, Kind::Union(w_branches)) => {
                // Every branch the writer may have written must be readable by the reader's type.
                let mut ok = true;
                for &branch in w_branches {
                    let branch_locus = sub(&|| format!("|{}", branch_label(writer.node(branch))));
                    if !self.visit(r, branch, &branch_locus, emit) {
                        ok = false;
                        if !emit {
                            return false;
                        }
                    }
                }
                ok
            }
            (Kind::Union(r_branches), _) => {
                let mut used = vec![false; r_branches.len()];
                self.branch(r, r_branches, w, locus, emit, &mut used)
            }
            (Kind::Record(rr), Kind::Record(wr)) => self.record(rr, wr, (rn, wn), locus, emit),
            (Kind::Enum(re), Kind::Enum(we)) => self.enumeration(re, we, (rn, wn), locus, emit),
            (Kind::Fixed(rf), Kind::Fixed(wf)) => {
                let mut ok = self.names(&rf.named, &wf.named, locus, emit);
                if rf.size != wf.size {
                    ok = false;
                    if emit {
                        let message = format!(
                            "fixed `{}` is {} bytes in the reader but {} in the writer",
                            rf.named.full, rf.size, wf.size
                        );
                        self.emit(
                            "avro.fixed-size-mismatch",
                            locus,
                            message,
                            Some(rf.size_at.clone()),
                            Some(wf.size_at.clone()),
                        );
                    }
                }
                if emit && ok {
                    self.named_notes(&rf.named, &wf.named, rn, wn, locus);
                }
                ok && self.logical(rn, wn, r_at, w_at, locus, emit)
            }
            (Kind::Array(ri), Kind::Array(wi)) => self.visit(*ri, *wi, &sub(&|| "[]".to_string()), emit),
            (Kind::Map(rv), Kind::Map(wv)) => self.visit(*rv, *wv, &sub(&|| "{}".to_string()), emit),
            (rk, wk)
                if is_primitive(rk)
                    && (std::mem::discriminant(rk) == std::mem::discriminant(wk) || promotes(rk, wk)) =>
            {
                self.logical(rn, wn, r_at, w_at, locus, emit)
            }
            _ => {
                if emit {
                    let message = format!(
                        "the reader's {} cannot read the writer's {}{}",
                        describe(rn),
                        describe(wn),
                        promotion_hint(&rn.kind, &wn.kind)
                    );
                    self.emit("avro.type-mismatch", locus, message, Some(r_at.clone()), Some(w_at.clone()));
                }
                false
            }
        }
    }

    /// The writer's value of type `w` read by the reader's union `union` (its `branches`): some
    /// branch must read it. `used` marks the branches that do, for the notes.
    fn branch(&mut self, union: Id, branches: &[Id], w: Id, locus: &str, emit: bool, used: &mut [bool]) -> bool {
        if let Some(j) = self.pick(branches, w) {
            used[j] = true;
            if emit {
                self.visit(branches[j], w, locus, true);
            }
            return true;
        }
        if emit {
            // A branch of the same name or kind is the one the author meant: what changed in it is
            // the cause (reported once, where it is), not a missing branch.
            match self.rank_branches(branches, w, (0..branches.len()).collect()).filter(|(rank, _)| *rank < 3) {
                Some((_, j)) => {
                    used[j] = true;
                    self.visit(branches[j], w, locus, true);
                }
                None => self.missing_branch(w, locus, self.reader.nodes[union].at.clone()),
            }
        }
        false
    }

    /// The reader branch that reads `writer`'s values: among the readable ones, the one of the same
    /// full name, then the same name, then the same kind, then the first.
    fn pick(&mut self, branches: &[Id], writer: Id) -> Option<usize> {
        let readable: Vec<usize> =
            (0..branches.len()).filter(|&j| self.visit(branches[j], writer, "", false)).collect();
        self.rank_branches(branches, writer, readable).map(|(_, j)| j)
    }

    /// The best of `candidates` for the writer's type, with its rank: 0 same full name, 1 same
    /// name (or a reader alias), 2 same kind, 3 any.
    fn rank_branches(&self, branches: &[Id], writer: Id, candidates: Vec<usize>) -> Option<(u8, usize)> {
        let (reader, w) = (self.reader, self.writer.node(writer));
        let rank = |j: usize| {
            let r = reader.node(branches[j]);
            match (r.kind.named(), w.kind.named()) {
                (Some(a), Some(b)) if a.full == b.full => 0,
                (Some(a), Some(b)) if names_match(a, b) => 1,
                (Some(_), Some(_)) => 3,
                _ if std::mem::discriminant(&r.kind) == std::mem::discriminant(&w.kind) => 2,
                _ => 3,
            }
        };
        candidates.into_iter().map(|j| (rank(j), j)).min()
    }

    fn missing_branch(&mut self, writer: Id, locus: &str, r_at: Loc) {
        let w = self.writer.node(writer);
        let message = format!("the reader's union has no branch that can read the writer's {}", describe(w));
        self.emit("avro.union-branch-missing", locus, message, Some(r_at), Some(self.writer.nodes[writer].at.clone()));
    }

    fn names(&mut self, reader: &Named, writer: &Named, locus: &str, emit: bool) -> bool {
        if names_match(reader, writer) {
            return true;
        }
        if emit {
            let message = format!(
                "the reader's type is named `{}` but the writer's is `{}`, and no reader alias names `{}`",
                reader.full, writer.full, writer.full
            );
            self.emit("avro.name-mismatch", locus, message, Some(reader.name_at.clone()), Some(writer.name_at.clone()));
        }
        false
    }

    fn record(&mut self, rr: &Record, wr: &Record, nodes: (&Node, &Node), locus: &str, emit: bool) -> bool {
        let mut ok = self.names(&rr.named, &wr.named, locus, emit);
        if !ok && !emit {
            return false;
        }
        let mut matched = vec![false; wr.fields.len()];
        for rf in &rr.fields {
            let field_locus = if emit { format!("{locus}.{}", rf.name) } else { String::new() };
            let position = |name: &str| wr.fields.iter().position(|f| f.name == name);
            let mut found: Vec<usize> = position(&rf.name).into_iter().collect();
            for alias in &rf.aliases {
                if let Some(i) = position(alias).filter(|i| !found.contains(i)) {
                    found.push(i);
                }
            }
            match found.as_slice() {
                [] => {
                    if rf.default.is_none() {
                        ok = false;
                        if !emit {
                            return false;
                        }
                        let message = format!(
                            "field `{}` is not in the writer's record `{}` and has no default in the reader",
                            rf.name, wr.named.full
                        );
                        self.emit(
                            "avro.reader-field-missing-default",
                            &field_locus,
                            message,
                            Some(rf.at.clone()),
                            Some(wr.named.name_at.clone()),
                        );
                    } else if emit && self.notes {
                        let message = format!("field `{}` was added with a default", rf.name);
                        self.emit("avro.field-added", &field_locus, message, Some(rf.at.clone()), None);
                    }
                }
                [i] => {
                    matched[*i] = true;
                    let wf = &wr.fields[*i];
                    if !self.visit(rf.ty, wf.ty, &field_locus, emit) {
                        ok = false;
                        if !emit {
                            return false;
                        }
                    }
                    if emit && self.notes {
                        let (r_at, w_at) = (Some(rf.at.clone()), Some(wf.at.clone()));
                        if rf.doc != wf.doc {
                            let message = format!("the doc of field `{}` changed", rf.name);
                            self.emit("avro.doc-changed", &field_locus, message, r_at.clone(), w_at.clone());
                        }
                        if rf.deprecated && !wf.deprecated {
                            let message = format!("field `{}` is now deprecated", rf.name);
                            self.emit("avro.deprecated", &field_locus, message, r_at, w_at);
                        }
                    }
                }
                several => {
                    ok = false;
                    if !emit {
                        return false;
                    }
                    let names: Vec<String> = several.iter().map(|i| format!("`{}`", wr.fields[*i].name)).collect();
                    let message = format!(
                        "field `{}` matches several writer fields by name and aliases ({}): Java's checker refuses the pair",
                        rf.name,
                        names.join(", ")
                    );
                    let w_at = Some(wr.fields[several[1]].at.clone());
                    self.emit("avro.field-alias-ambiguous", &field_locus, message, Some(rf.at.clone()), w_at);
                }
            }
        }
        if emit && self.notes {
            for (wf, _) in wr.fields.iter().zip(&matched).filter(|(_, m)| !**m) {
                let message = format!("field `{}` was removed: readers of the new schema skip it", wf.name);
                self.emit("avro.field-removed", &format!("{locus}.{}", wf.name), message, None, Some(wf.at.clone()));
            }
            self.named_notes(&rr.named, &wr.named, nodes.0, nodes.1, locus);
        }
        ok
    }

    fn named_notes(&mut self, reader: &Named, writer: &Named, rn: &Node, wn: &Node, locus: &str) {
        if !self.notes {
            return;
        }
        let (r_at, w_at) = (Some(reader.name_at.clone()), Some(writer.name_at.clone()));
        if rn.doc != wn.doc {
            self.emit(
                "avro.doc-changed",
                locus,
                format!("the doc of `{}` changed", reader.full),
                r_at.clone(),
                w_at.clone(),
            );
        }
        if reader.deprecated && !writer.deprecated {
            self.emit("avro.deprecated", locus, format!("`{}` is now deprecated", reader.full), r_at, w_at);
        }
    }

    fn enumeration(&mut self, re: &Enum, we: &Enum, nodes: (&Node, &Node), locus: &str, emit: bool) -> bool {
        let mut ok = self.names(&re.named, &we.named, locus, emit);
        if !ok && !emit {
            return false;
        }
        let has = |e: &Enum, s: &str| e.symbols.iter().any(|(x, _)| x == s);
        let missing: Vec<&(String, Loc)> = we.symbols.iter().filter(|(s, _)| !has(re, s)).collect();
        if !missing.is_empty() && re.default.is_none() {
            ok = false;
            if emit {
                let list: Vec<&str> = missing.iter().map(|(s, _)| s.as_str()).collect();
                let message = format!(
                    "enum `{}` of the reader lacks the writer's symbol(s) {} and has no default symbol",
                    re.named.full,
                    list.join(", ")
                );
                let w_at = Some(missing[0].1.clone());
                self.emit("avro.enum-symbol-missing", locus, message, Some(re.named.name_at.clone()), w_at);
            }
        }
        if emit && self.notes {
            for (symbol, at) in re.symbols.iter().filter(|(s, _)| !has(we, s)) {
                let message = format!("enum `{}` gained the symbol {symbol}", re.named.full);
                self.emit(
                    "avro.enum-symbol-added",
                    &format!("{locus}.{symbol}"),
                    message,
                    Some(at.clone()),
                    Some(we.named.name_at.clone()),
                );
            }
            self.named_notes(&re.named, &we.named, nodes.0, nodes.1, locus);
        }
        ok
    }

    /// Logical types on types that resolve: decimals must agree (the specification); other
    /// changes of meaning are noted as risky.
    fn logical(&mut self, rn: &Node, wn: &Node, r_at: &Loc, w_at: &Loc, locus: &str, emit: bool) -> bool {
        let (rl, wl) = (rn.logical.as_ref(), wn.logical.as_ref());
        let (rule, breaking) = match logical::compare(wl, rl) {
            Meaning::Same => return true,
            Meaning::DecimalPrecision => ("avro.decimal-precision-mismatch", true),
            Meaning::DecimalScale => ("avro.decimal-scale-mismatch", true),
            Meaning::TimeUnit => ("avro.time-unit-changed", false),
            Meaning::Changed => ("avro.logical-type-changed", false),
        };
        if emit && (breaking || self.notes) {
            let message = if breaking {
                format!(
                    "the reader's {} does not match the writer's {}: the specification resolves decimals only when precision and scale match",
                    logical::label(rl),
                    logical::label(wl)
                )
            } else {
                format!("{} became {}: the same bytes now mean another value", logical::label(wl), logical::label(rl))
            };
            self.emit(rule, locus, message, Some(r_at.clone()), Some(w_at.clone()));
        }
        !breaking
    }
}

fn branch_label(node: &Node) -> String {
    match node.kind.named() {
        Some(named) => named.name.clone(),
        None => node.kind.label().to_string(),
    }
}

fn promotion_hint(reader: &Kind, writer: &Kind) -> &'static str {
    if is_primitive(reader) && is_primitive(writer) {
        " (Avro promotes only int to long, float or double; long to float or double; float to double; and string to and from bytes)"
    } else {
        ""
    }
}
