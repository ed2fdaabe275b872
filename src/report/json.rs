//! JSON: the machine contract, described by `schemas/report.schema.json`.

use super::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain data structures cannot fail.
    let mut out = serde_json::to_string_pretty(report).expect("report serialises");
    out.push('\n');
    out
}
