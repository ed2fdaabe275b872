//! Which compatibility level a contract is checked at: `--avro-compat`, else the first
//! `[[contracts]]` entry whose glob matches the contract and sets `avro_compat`, else
//! `[policy] avro_compat`, else backward (the Schema Registry's default).

use super::pairing::Pair;
use super::Compat;
use crate::formats::Context;
use globset::GlobBuilder;

pub fn for_contract(ctx: &Context, pair: &Pair) -> Compat {
    if let Some(level) = ctx.avro_compat {
        return level;
    }
    let path = pair.head.as_deref().or(pair.base.as_deref()).unwrap_or_default();
    let from_spec = ctx.config.contracts.iter().find_map(|spec| {
        let level = spec.avro_compat?;
        // Discovery already refused invalid globs; one that fails here just does not match.
        let glob = GlobBuilder::new(&spec.path).literal_separator(true).build().ok()?.compile_matcher();
        glob.is_match(path).then_some(level)
    });
    from_spec.or(ctx.config.policy.avro_compat).unwrap_or(Compat::Backward)
}
