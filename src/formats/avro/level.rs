//! Which compatibility level a contract is checked at: `--avro-compat`, else the first
//! `[[contracts]]` entry whose glob matches the contract and sets `avro_compat`, else
//! `[policy] avro_compat`, else backward (the Schema Registry's default).

use super::pairing::Pair;
use super::Compat;
use crate::formats::Context;

/// The level of each pair, in order.
pub fn for_contracts(ctx: &Context, pairs: &[Pair]) -> Vec<Compat> {
    // Discovery already refused invalid globs; without a set, no spec matches.
    let globs = ctx.config.contract_globs().ok();
    let for_contract = |pair: &Pair| {
        if let Some(level) = ctx.avro_compat {
            return level;
        }
        let path = pair.head.as_deref().or(pair.base.as_deref()).unwrap_or_default();
        let from_spec =
            globs.as_ref().and_then(|globs| ctx.config.specs_matching(globs, path).find_map(|spec| spec.avro_compat));
        from_spec.or(ctx.config.policy.avro_compat).unwrap_or(Compat::Backward)
    };
    pairs.iter().map(for_contract).collect()
}
