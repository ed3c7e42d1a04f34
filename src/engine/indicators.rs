//! The indicator ids a plan states in `targets`, against those the loaded packs declare.
//!
//! The model types `targets[].indicator` as free text (every closed vocabulary of the model is
//! an enum) whose values the rule packs declare, and which packs are loaded (local packs declare
//! their own) varies, so an id no pack declares is not invalid input: it is a warning, as an
//! unknown key is, and the verdict is at best 通过,附建议. Without it a
//! misspelt id (`child_friendly_school`) or the indicator's name written for its id
//! (`儿童友好公园数`) left the commitment silently unjudged, and a plan short of a binding target
//! passed.

use crate::base::i18n::Text;
use crate::base::suggest::{Suggester, did_you_mean};
use crate::project::{Data, Project};
use crate::rules::ir::{Check, Indicator, RuleSet};
use crate::tr;

/// How many ids a help lists before it says how many more there are.
const LISTED: usize = 12;

/// The indicators the targets of these packs read, by index into [`RuleSet::indicators`], in
/// declaration order, each once.
pub fn read_by(set: &RuleSet, packs: &[usize]) -> Vec<usize> {
    let mut read = vec![false; set.indicators.len()];
    for rule in set.rules.iter().filter(|rule| packs.contains(&rule.pack)) {
        if let Check::Target(target) = &*rule.check
            && let Some(slot) = read.get_mut(target.indicator)
        {
            *slot = true;
        }
    }
    read.iter()
        .enumerate()
        .filter(|(_, read)| **read)
        .map(|(index, _)| index)
        .collect()
}

/// The declared indicator a plan most likely meant by `written`: a close spelling of an id the
/// packs that apply read, then an indicator named by its label (`儿童友好公园数`, `child-friendly
/// parks`), then a close spelling of any declared id.
pub fn suggest<'s>(set: &'s RuleSet, read: &[usize], written: &str) -> Option<&'s Indicator> {
    let by_id = |id: &str| set.indicator(id);
    let read_ids = || {
        read.iter()
            .filter_map(|&index| set.indicators.get(index))
            .map(|indicator| indicator.id.as_str())
    };
    if let Some(found) = did_you_mean(written, read_ids()) {
        return by_id(found);
    }
    let wanted = written.trim();
    let named = |indicator: &&Indicator| {
        !wanted.is_empty()
            && (indicator.label.zh == wanted || indicator.label.en.eq_ignore_ascii_case(wanted))
    };
    let read_indicators = || read.iter().filter_map(|&index| set.indicators.get(index));
    if let Some(found) = read_indicators()
        .find(named)
        .or_else(|| set.indicators.iter().find(named))
    {
        return Some(found);
    }
    let normalised = wanted.to_lowercase().replace([' ', '-'], "_");
    did_you_mean(&normalised, read_ids())
        .or_else(|| {
            (normalised != written)
                .then(|| read_ids().find(|id| *id == normalised))
                .flatten()
        })
        .or_else(|| did_you_mean(written, set.indicators.iter().map(|i| i.id.as_str())))
        .and_then(by_id)
}

/// A target whose indicator no loaded pack declares.
#[derive(Debug)]
pub struct Unknown {
    /// Its position in `targets`.
    pub position: usize,
    /// The id as written.
    pub written: String,
    /// The id meant, where one is close, else the ids the packs that apply read.
    pub help: Text,
}

/// Each target whose indicator no loaded pack declares, with the id meant: the closest among
/// those the packs that apply read, where one is close. Only the first
/// [`MAX_SUGGESTIONS`](crate::base::suggest::MAX_SUGGESTIONS) unknown ids are searched for one;
/// the rest list the ids the packs read.
pub fn unknown(set: &RuleSet, project: &Project, packs: &[usize]) -> Vec<Unknown> {
    let Some(Data::List(items)) = project.get(&["targets"]) else {
        return Vec::new();
    };
    let Some((field, _)) = target_record().field("indicator") else {
        return Vec::new();
    };
    let read = read_by(set, packs);
    let mut suggester = Suggester::new();
    let mut found = Vec::new();
    // The ids the packs read are listed once a file, at the first target with no id close to
    // its own: the same 700 bytes on each of thousands of targets were most of a 47 MB report
    // (hostile review 15 X5).
    let mut listed_at: Option<usize> = None;
    for (position, item) in items.iter().enumerate() {
        let Data::Record(slots) = item else { continue };
        let Some(Some(Data::Text(written))) = slots.get(field) else {
            continue;
        };
        // An id some loaded pack declares is a real indicator, whether or not a pack that
        // applies here judges it: a plan commits to more than any one document checks (a
        // district's childcare places per 1000 residents where only another city's plan sets
        // a figure), and saying so on every such target would be advice about nothing wrong.
        if set.indicator(written).is_some() {
            continue;
        }
        let help = match suggester.suggest(|| suggest(set, &read, written)) {
            Some(meant) => {
                let id = &meant.id;
                let (zh, en) = (&meant.label.zh, &meant.label.en);
                tr!("是否想写 `{id}`({zh})?", "did you mean `{id}` ({en})?")
            }
            None => match listed_at {
                None => {
                    listed_at = Some(position);
                    listed(set, &read)
                }
                Some(first) => tr!(
                    "适用的规则包检查的指标见 `targets[{first}]` 处的提示",
                    "the indicators the packs that apply check are listed in the help at `targets[{first}]`"
                ),
            },
        };
        found.push(Unknown {
            position,
            written: written.clone(),
            help,
        });
    }
    found
}

/// The record type of a `targets` entry.
pub(crate) fn target_record() -> &'static crate::project::types::RecordTy {
    use crate::project::types::Ty;
    match crate::project::types::project_type()
        .field("targets")
        .map(|(_, field)| &field.ty)
    {
        Some(Ty::List(item)) => match item.as_ref() {
            Ty::Record(record) => record,
            _ => crate::project::types::project_type(),
        },
        _ => crate::project::types::project_type(),
    }
}

/// The ids the packs that apply read, for a help when no id is close.
fn listed(set: &RuleSet, read: &[usize]) -> Text {
    if read.is_empty() {
        return tr!(
            "适用于本项目的规则包没有检查任何指标的目标",
            "the packs that apply to this project have no target for any indicator"
        );
    }
    let ids: Vec<String> = read
        .iter()
        .filter_map(|&index| set.indicators.get(index))
        .take(LISTED)
        .map(|indicator| format!("`{}`", indicator.id))
        .collect();
    let (ids_zh, ids_en) = (ids.join("、"), ids.join(", "));
    let more = read.len().saturating_sub(LISTED);
    if more == 0 {
        tr!(
            "适用的规则包检查的指标:{ids_zh}",
            "the indicators the packs that apply check: {ids_en}"
        )
    } else {
        tr!(
            "适用的规则包检查的指标:{ids_zh} 等(另有 {more} 个)",
            "the indicators the packs that apply check: {ids_en} and {more} more"
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::base::suggest::MAX_SUGGESTIONS;

    /// "Did you mean" compares an unknown id with every declared one: only the first
    /// [`MAX_SUGGESTIONS`] unknown ids of a file get one (20 000 took 50 s of CPU in a debug
    /// build); the rest are still warned about, the first of them listing the ids the packs
    /// read and the others pointing there (the list once a file, not once a target).
    #[test]
    fn only_the_first_hundred_unknown_indicators_get_a_did_you_mean() {
        let set = crate::rules::compiled::builtin_set().unwrap_or_default();
        let mut text = String::from(
            "yimi: 1\nproject:\n  id: X\n  name: x\n  kind: plan\n  jurisdiction: CN/ZJ/Wenzhou/Ruian\n\
             targets:\n",
        );
        for i in 0..MAX_SUGGESTIONS + 3 {
            text.push_str(&format!(
                "  - {{indicator: childcare_placez_per_1000, value: {i}, year: 2024}}\n"
            ));
        }
        let project = crate::project::load_bytes(
            "t.yaml",
            text.as_bytes(),
            crate::project::LoadLimits::default(),
        )
        .unwrap_or_else(|errors| panic!("{errors:?}"));
        let jurisdiction = crate::rules::ir::Jurisdiction(
            ["CN", "ZJ", "Wenzhou", "Ruian"].map(str::to_owned).to_vec(),
        );
        let packs = crate::engine::assessment::select_packs(&set, &jurisdiction);
        let unknown = super::unknown(&set, &project, &packs);
        assert_eq!(unknown.len(), MAX_SUGGESTIONS + 3);
        let helps: Vec<&str> = unknown.iter().map(|u| u.help.en.as_str()).collect();
        let (first, rest) = helps.split_at(MAX_SUGGESTIONS);
        assert!(
            first
                .iter()
                .all(|help| help.starts_with("did you mean `childcare_places_per_1000`")),
            "{first:?}"
        );
        let [listing, pointers @ ..] = rest else {
            panic!("{rest:?}");
        };
        assert!(
            listing.starts_with("the indicators the packs that apply check: `"),
            "{listing}"
        );
        assert_eq!(pointers.len(), 2);
        let pointer = format!(
            "the indicators the packs that apply check are listed in the help at `targets[{MAX_SUGGESTIONS}]`"
        );
        assert!(pointers.iter().all(|help| *help == pointer), "{pointers:?}");
        assert!(
            unknown
                .iter()
                .enumerate()
                .all(|(index, u)| u.position == index && u.written == "childcare_placez_per_1000"),
            "every unknown id is still reported, at its target"
        );
    }
}
