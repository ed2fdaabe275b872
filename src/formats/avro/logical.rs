//! Logical types: which annotations a reader honours, and when two of them give the same bytes
//! different meanings.

use super::model::{Kind, Logical};
use crate::doc::Node as DocNode;

/// The logical type a schema object declares, as the specification reads it: an unknown name, or
/// a known one on the wrong underlying type or with invalid parameters, is ignored (`Other` or
/// `None`) and the underlying type is used.
pub fn parse(object: &DocNode, kind: &Kind) -> Option<Logical> {
    let name = object.get("logicalType")?.as_str()?;
    let on = |ok: bool, logical: Logical| ok.then_some(logical);
    let int = matches!(kind, Kind::Int);
    let long = matches!(kind, Kind::Long);
    match name {
        "decimal" => decimal(object, kind),
        "uuid" => on(matches!(kind, Kind::String) || matches!(kind, Kind::Fixed(f) if f.size == 16), Logical::Uuid),
        "date" => on(int, Logical::Date),
        "time-millis" => on(int, Logical::TimeMillis),
        "time-micros" => on(long, Logical::TimeMicros),
        "timestamp-millis" => on(long, Logical::TimestampMillis),
        "timestamp-micros" => on(long, Logical::TimestampMicros),
        "timestamp-nanos" => on(long, Logical::TimestampNanos),
        "local-timestamp-millis" => on(long, Logical::LocalTimestampMillis),
        "local-timestamp-micros" => on(long, Logical::LocalTimestampMicros),
        "local-timestamp-nanos" => on(long, Logical::LocalTimestampNanos),
        "duration" => on(matches!(kind, Kind::Fixed(f) if f.size == 12), Logical::Duration),
        other => Some(Logical::Other(other.to_string())),
    }
}

/// `decimal` on bytes or fixed: precision > 0, 0 <= scale <= precision, and for fixed a
/// precision the size can hold (the specification's bound).
fn decimal(object: &DocNode, kind: &Kind) -> Option<Logical> {
    let whole = |key: &str| object.get(key).and_then(|n| n.as_f64()).filter(|v| v.fract() == 0.0 && *v >= 0.0);
    let precision = whole("precision")? as u64;
    let scale = match object.get("scale") {
        None => 0,
        Some(_) => whole("scale")? as u64,
    };
    if precision == 0 || scale > precision {
        return None;
    }
    match kind {
        Kind::Bytes => {}
        Kind::Fixed(f) => {
            let bits = f.size.saturating_mul(8).saturating_sub(1) as f64;
            if f.size == 0 || precision as f64 > (bits * 2f64.log10()).floor() {
                return None;
            }
        }
        _ => return None,
    }
    Some(Logical::Decimal { precision, scale })
}

pub fn label(logical: Option<&Logical>) -> String {
    match logical {
        None => "no logical type".to_string(),
        Some(Logical::Decimal { precision, scale }) => format!("decimal({precision},{scale})"),
        Some(Logical::Other(name)) => name.clone(),
        Some(other) => format!("{other:?}")
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let dash = (i > 0 && c.is_ascii_uppercase()).then_some('-');
                dash.into_iter().chain(std::iter::once(c.to_ascii_lowercase()))
            })
            .collect(),
    }
}

/// Unknown logical types are ignored by readers: they count as none.
fn known(logical: Option<&Logical>) -> Option<&Logical> {
    logical.filter(|l| !matches!(l, Logical::Other(_)))
}

/// How a value's meaning changes between the writer's and the reader's logical types.
#[derive(Debug, PartialEq, Eq)]
pub enum Meaning {
    Same,
    /// Decimals with another precision (breaking, by the specification).
    DecimalPrecision,
    /// Decimals with another scale (breaking, by the specification).
    DecimalScale,
    /// The same instant or time of day counted in another unit (millis, micros, nanos).
    TimeUnit,
    /// A logical type added, removed or replaced: the same bytes read as something else.
    Changed,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Clock {
    TimeOfDay,
    Instant,
    Local,
}

fn clock(logical: &Logical) -> Option<Clock> {
    use Logical::*;
    Some(match logical {
        TimeMillis | TimeMicros => Clock::TimeOfDay,
        TimestampMillis | TimestampMicros | TimestampNanos => Clock::Instant,
        LocalTimestampMillis | LocalTimestampMicros | LocalTimestampNanos => Clock::Local,
        _ => return None,
    })
}

pub fn compare(writer: Option<&Logical>, reader: Option<&Logical>) -> Meaning {
    match (known(writer), known(reader)) {
        (None, None) => Meaning::Same,
        (Some(w), Some(r)) if w == r => Meaning::Same,
        (Some(Logical::Decimal { precision: wp, .. }), Some(Logical::Decimal { precision: rp, .. })) if wp != rp => {
            Meaning::DecimalPrecision
        }
        (Some(Logical::Decimal { .. }), Some(Logical::Decimal { .. })) => Meaning::DecimalScale,
        // A uuid is its string: annotating a string as one changes no value.
        (Some(Logical::Uuid), None) | (None, Some(Logical::Uuid)) => Meaning::Same,
        (Some(w), Some(r)) if clock(w).is_some() && clock(w) == clock(r) => Meaning::TimeUnit,
        _ => Meaning::Changed,
    }
}
