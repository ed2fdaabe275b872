//! `SourceCodeInfo` spans → [`Loc`]s, keeping only the paths the differ points at: elements
//! (messages, fields, enums, values, services, methods, oneofs, extensions, reserved ranges),
//! their parts (`name`, `number`, `type`, `options`) and their standard options (`deprecated`,
//! `packed`, ...). Custom options (numbers from 1000, like `google.api.field_behavior`, on almost
//! every googleapis field) and their bodies are dropped: nothing compares them, and keeping them
//! doubled the model's memory.

use super::descriptor::SourceCodeInfo;
use crate::formats::protobuf::model::Span;
use std::collections::hash_map::{Entry, HashMap};

/// How a compiler counts a span's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// protoc: a tab advances to the next multiple of 8, every other byte is one column.
    TabStops,
    /// protox-parse: bytes from the line's start.
    Bytes,
}

/// Byte offsets of line starts in a file's text, to turn a compiler's line:column into offsets.
///
/// Every lookup is a binary search (a file can be one 650 KB line: scanning from the line's
/// start for each of its thousands of locations took minutes). Tabs are the only bytes that are
/// not one column wide, so each tab is kept with the column it ends at.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Every tab of the text, in order: its byte offset and the tab-stop column after it,
    /// counted from its own line's start.
    tabs: Vec<(usize, usize)>,
    /// For each line, the index in `tabs` of its first tab (`tabs.len()` past the last one).
    first_tab: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let mut tabs = Vec::new();
        let mut first_tab = vec![0];
        // Column of the current byte, relative to its line's start.
        let (mut line_start, mut previous) = (0, None::<(usize, usize)>);
        for (i, byte) in text.bytes().enumerate() {
            match byte {
                b'\n' => {
                    starts.push(i + 1);
                    first_tab.push(tabs.len());
                    line_start = i + 1;
                    previous = None;
                }
                b'\t' => {
                    let col = match previous {
                        Some((at, col)) => col + (i - at - 1),
                        None => i - line_start,
                    };
                    let after = col + 8 - col % 8;
                    tabs.push((i, after));
                    previous = Some((i, after));
                }
                _ => {}
            }
        }
        LineIndex { text, starts, tabs, first_tab }
    }

    /// The byte offset of the 0-based `line` and `column`, counted as `columns`: the first byte
    /// of the line at or past that column, else the line's end.
    pub fn offset(&self, line: usize, column: usize, columns: Columns) -> usize {
        let Some(&start) = self.starts.get(line) else { return self.text.len() };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |next| next - 1);
        if columns == Columns::Bytes {
            return (start + column).min(end);
        }
        let tabs = self.line_tabs(line);
        // The last tab that ends at or before `column`; the bytes after it are one column each.
        let k = tabs.partition_point(|&(_, after)| after <= column);
        let (from, col) = match k.checked_sub(1) {
            Some(k) => (tabs[k].0 + 1, tabs[k].1),
            None => (start, 0),
        };
        let mut at = from + (column - col);
        // Past the next tab: the column lies inside that tab, so the answer is the byte after it.
        if let Some(&(next, _)) = tabs.get(k) {
            if at > next {
                at = next + 1;
            }
        }
        at.min(end)
    }

    /// protoc's 0-based column of `offset` on `line`: what a finding reports, whichever
    /// compiler read the file.
    pub fn tab_stop_column(&self, line: usize, offset: usize) -> usize {
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self.starts.get(line + 1).map_or(self.text.len(), |next| next - 1);
        if offset <= start || offset > self.text.len() {
            return 0;
        }
        if offset > end {
            // Past the line: not asked by `locations` (its offsets come from [`Self::offset`]
            // on the same line); counted the long way.
            return tab_stops(&self.text.as_bytes()[start..offset]);
        }
        let tabs = self.line_tabs(line);
        match tabs.partition_point(|&(at, _)| at < offset).checked_sub(1) {
            Some(k) => tabs[k].1 + (offset - tabs[k].0 - 1),
            None => offset - start,
        }
    }

    fn line_tabs(&self, line: usize) -> &[(usize, usize)] {
        let from = self.first_tab.get(line).copied().unwrap_or(self.tabs.len());
        let to = self.first_tab.get(line + 1).copied().unwrap_or(self.tabs.len());
        &self.tabs[from..to]
    }
}

/// protoc's column after `bytes`: a tab advances to the next multiple of 8, every other byte is
/// one column.
fn tab_stops(bytes: &[u8]) -> usize {
    bytes.iter().fold(0, |col, byte| if *byte == b'\t' { col + 8 - col % 8 } else { col + 1 })
}

/// Where each kept path of `info` lies in its file.
pub fn locations(info: Option<&SourceCodeInfo>, index: &LineIndex, columns: Columns) -> HashMap<Vec<i32>, Span> {
    let Some(info) = info else { return HashMap::new() };
    let mut out: HashMap<Vec<i32>, Span> = HashMap::new();
    for location in &info.location {
        if !kept(&location.path) {
            continue;
        }
        let (line, col, end_line, end_col) = match location.span[..] {
            [line, col, end_col] => (line, col, line, end_col),
            [line, col, end_line, end_col] => (line, col, end_line, end_col),
            _ => continue,
        };
        let to_usize = |n: i32| usize::try_from(n).unwrap_or(0);
        let start = index.offset(to_usize(line), to_usize(col), columns);
        let loc = Span {
            line: line.saturating_add(1) as u32,
            column: index.tab_stop_column(to_usize(line), start) as u32 + 1,
            start,
            end: index.offset(to_usize(end_line), to_usize(end_col), columns),
        };
        // A path can appear more than once (an options path for each `option` statement): the
        // earliest is where it starts. protoc lists them in source order, protox-parse not always.
        match out.entry(location.path.clone()) {
            Entry::Occupied(mut kept) if kept.get().start > loc.start => {
                kept.insert(loc);
            }
            Entry::Occupied(_) => {}
            Entry::Vacant(slot) => {
                slot.insert(loc);
            }
        }
    }
    out.shrink_to_fit();
    out
}

/// Whether the differ can need `path`: an element, a part of one, one of its standard options,
/// or a feature it sets (`options.features.x`, `options.features.(pb.cpp).x`).
pub fn kept(path: &[i32]) -> bool {
    // `features` in FileOptions, MessageOptions, FieldOptions, OneofOptions, EnumOptions,
    // EnumValueOptions, ServiceOptions, MethodOptions.
    const FEATURES: &[i32] = &[50, 12, 21, 1, 7, 2, 34, 35];
    let prefix = element_prefix(path);
    match path.len() - prefix {
        0 | 1 => true,
        2 => path[path.len() - 1] < 1000,
        3 | 4 => FEATURES.contains(&path[prefix + 1]),
        _ => false,
    }
}

/// The length of the longest prefix of `path` that names an element (the file is the empty one).
fn element_prefix(path: &[i32]) -> usize {
    // Field numbers of the element lists in each descriptor type.
    const FILE: &[(i32, Kind)] = &[(4, Kind::Message), (5, Kind::Enum), (6, Kind::Service), (7, Kind::Leaf)];
    const MESSAGE: &[(i32, Kind)] = &[
        (2, Kind::Leaf),
        (3, Kind::Message),
        (4, Kind::Enum),
        (5, Kind::Leaf),
        (6, Kind::Leaf),
        (8, Kind::Leaf),
        (9, Kind::Leaf),
        (10, Kind::Leaf),
    ];
    const ENUM: &[(i32, Kind)] = &[(2, Kind::Leaf), (4, Kind::Leaf), (5, Kind::Leaf)];
    const SERVICE: &[(i32, Kind)] = &[(2, Kind::Leaf)];
    #[derive(Clone, Copy)]
    enum Kind {
        Message,
        Enum,
        Service,
        Leaf,
    }
    let mut lists = FILE;
    let mut at = 0;
    while path.len() >= at + 2 {
        let Some(&(_, kind)) = lists.iter().find(|(tag, _)| *tag == path[at]) else { break };
        at += 2;
        lists = match kind {
            Kind::Message => MESSAGE,
            Kind::Enum => ENUM,
            Kind::Service => SERVICE,
            Kind::Leaf => &[],
        };
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_advance_to_the_next_multiple_of_eight() {
        let index = LineIndex::new("a\n\tb = 1;\n");
        assert_eq!(index.offset(1, 8, Columns::TabStops), 3);
        assert_eq!(index.offset(1, 0, Columns::TabStops), 2);
        assert_eq!(index.tab_stop_column(1, 3), 8);
    }

    #[test]
    fn byte_columns_map_to_the_same_offsets_and_reported_columns() {
        let index = LineIndex::new("a\n\tb = 1;\n");
        assert_eq!(index.offset(1, 1, Columns::Bytes), 3);
        assert_eq!(index.offset(1, 99, Columns::Bytes), 9, "clamped to the line");
    }

    /// The straightforward scans the index replaces: from the line's start, byte by byte.
    fn reference_offset(text: &str, line: usize, column: usize) -> usize {
        let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let Some(&start) = starts.get(line) else { return text.len() };
        let mut col = 0;
        for (i, byte) in text.as_bytes()[start..].iter().enumerate() {
            if col >= column || *byte == b'\n' {
                return start + i;
            }
            col = if *byte == b'\t' { col + 8 - col % 8 } else { col + 1 };
        }
        text.len()
    }

    fn reference_column(text: &str, line: usize, offset: usize) -> usize {
        let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let start = starts.get(line).copied().unwrap_or(text.len());
        tab_stops(text.as_bytes().get(start..offset.max(start)).unwrap_or_default())
    }

    proptest::proptest! {
        #[test]
        fn lookups_equal_a_scan_from_the_line_start(
            text in "([a\t\n é€𝄞]|\t\t|abcdefgh){0,80}",
            probes in proptest::collection::vec((0usize..12, 0usize..120), 1..40),
        ) {
            let index = LineIndex::new(&text);
            for (line, n) in probes {
                proptest::prop_assert_eq!(
                    index.offset(line, n, Columns::TabStops),
                    reference_offset(&text, line, n),
                    "offset of {}:{} in {:?}", line, n, text
                );
                proptest::prop_assert_eq!(
                    index.tab_stop_column(line, n),
                    reference_column(&text, line, n),
                    "column of byte {} on line {} in {:?}", n, line, text
                );
            }
        }
    }

    #[test]
    fn one_long_line_is_indexed_without_rescanning_it() {
        // 50,000 values on one line, each looked up: a scan from the line's start per lookup
        // is over 10^10 byte steps (minutes in a debug build); the index answers at once.
        let text: String = (0..50_000).map(|i| format!("\tV{i} = {i};")).collect();
        let index = LineIndex::new(&text);
        let mut offset = 0;
        for (i, value) in text.split_inclusive(';').enumerate() {
            let column = index.tab_stop_column(0, offset + 1);
            assert_eq!(index.offset(0, column, Columns::TabStops), offset + 1, "value {i}");
            offset += value.len();
        }
        assert_eq!(index.tab_stop_column(0, text.len()), reference_column(&text, 0, text.len()));
    }

    #[test]
    fn keeps_elements_and_their_parts_but_not_deeper_option_bodies() {
        assert!(kept(&[4, 0, 2, 1]));
        assert!(kept(&[4, 0, 2, 1, 1]));
        assert!(kept(&[4, 0, 2, 1, 8, 3]));
        assert!(!kept(&[4, 0, 2, 1, 8, 1052, 0]));
        assert!(!kept(&[4, 0, 2, 1, 8, 1052]));
        assert!(kept(&[4, 0, 2, 1, 8, 21, 1000, 2]), "a field's (pb.cpp).string_type");
        assert!(kept(&[4, 0, 7, 12, 6]), "a message's features.json_format");
        assert!(kept(&[4, 0, 3, 2, 4, 1, 2, 0]));
        assert!(kept(&[2]));
    }
}
