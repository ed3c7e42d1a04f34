//! The compliance record of one file, ready to print: one row per rule of the packs applied, in
//! pack order, each with the comparisons that decided it resolved to lines and to the named
//! things of the project ("设施 nursery-1(托育机构)"), and the result in the official's words.
//! JSON, Markdown, HTML and Word all read it from here.

use std::rc::Rc;

use super::FileView;
use crate::base::i18n::{Lang, Text};
use crate::engine::eval::Tri;
use crate::engine::record::{Comparison, Refined, label, variant_label};
use crate::engine::{Outcome, RuleResult};
use crate::project::types::{Ty, lowercase_first, project_type};
use crate::project::yaml::{Segment, YamlPath};
use crate::project::{Data, Project};
use crate::rules::ir::Rule;

/// One rule's row of the record.
pub struct Row<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Its result.
    pub result: &'a RuleResult,
    /// What decided it, resolved: shared by the rows decided by the same comparisons (the many
    /// rules that do not apply to the project for the same reason).
    pub compared: Rc<[Compared]>,
    /// The parameters it was decided with that a more local pack refined.
    pub refined: Vec<Refined>,
}

/// A comparison with the place of its stated value.
#[derive(Debug, PartialEq)]
pub struct Compared {
    /// The comparison: shared by the files of a run whose condition read the same values
    /// ([`crate::engine::record::Reasons::compared`]).
    pub comparison: Rc<Comparison>,
    /// The 1-based line of the stated value (or of where it belongs).
    pub line: Option<usize>,
    /// The thing of the project it is about: 设施 nursery-1(托育机构).
    pub thing: Option<Text>,
    /// Where an unstated value belongs, in words, when its line would point at no named thing
    /// (the first key of the file, a `project:` mapping): 应在 project 下注明.
    pub belongs: Option<Text>,
}

/// The record of a file: one row per rule result, in rule order.
///
/// Most rules of the packs that apply do not apply to the project, most of them for a reason
/// another rule shares (`project.kind == school` against a residential project; the kind of
/// project every target of a plan judges): the rows of one reason share its comparisons,
/// recorded and resolved once a file ([`crate::engine::record::Reasons`] for the rules; the
/// comparisons results carry, once for each run of results carrying the same).
pub fn rows<'a>(view: &FileView<'a>) -> Vec<Row<'a>> {
    rows_in_run(view, None)
}

/// [`rows`] of a file of the run numbered `run` ([`crate::engine::record::next_run`]), whose
/// files are all checked against `view`'s rule set while it lasts: the conditions rules share
/// are found once a run ([`crate::engine::record::Reasons::in_run`]).
pub fn rows_in_run<'a>(view: &FileView<'a>, run: Option<u64>) -> Vec<Row<'a>> {
    let (Some(assessment), Some(project)) = (view.assessment, view.project) else {
        return Vec::new();
    };
    let params = crate::engine::parameter_values(view.set, &assessment.packs);
    let refining = crate::engine::record::any_refinement(view.set, &assessment.packs);
    // Where each path compared is, resolved once: most rows compare the same few values
    // (`project.kind`).
    let mut places = Places::default();
    let mut resolve = |comparisons: Vec<Rc<Comparison>>| -> Rc<[Compared]> {
        comparisons
            .into_iter()
            .map(|comparison| {
                let Some((line, thing, belongs)) = places.of(project, &comparison) else {
                    return Compared {
                        comparison,
                        line: None,
                        thing: None,
                        belongs: None,
                    };
                };
                Compared {
                    comparison,
                    line: Some(line),
                    thing,
                    belongs,
                }
            })
            .collect()
    };
    let mut reasons =
        crate::engine::record::Reasons::new(view.set, project, &params, assessment.step_budget);
    // One environment for the file's records (`record_in`), each rule's walk reset in it.
    let mut env = crate::engine::eval::Env::new(project, view.set, &params)
        .with_budget(assessment.step_budget);
    if let Some(run) = run {
        reasons = reasons.in_run(run);
    }
    // The resolved comparisons of each reason, by its index.
    let mut by_reason: Vec<Option<Rc<[Compared]>>> = Vec::new();
    // The last list a result carried (the targets a project that is not a plan has carry the
    // same one, one after another), resolved.
    let mut carried: Option<(&'a [Comparison], Rc<[Compared]>)> = None;
    let mut rows = Vec::with_capacity(assessment.results.len());
    for result in &assessment.results {
        let Some(rule) = view.set.rules.get(result.rule) else {
            continue;
        };
        let outcome = result
            .waiver
            .as_ref()
            .map_or(result.outcome, |waiver| waiver.covered);
        // A rule that does not apply for a reason recorded already.
        let reason = (!refining && outcome == Outcome::NotApplicable && result.compared.is_empty())
            .then(|| reasons.of(result.rule))
            .flatten();
        if let Some(reason) = reason {
            if by_reason.len() <= reason {
                by_reason.resize(reason + 1, None);
            }
            let compared = match by_reason.get_mut(reason) {
                Some(Some(compared)) => Rc::clone(compared),
                Some(slot) => Rc::clone(slot.insert(resolve(reasons.compared(reason)))),
                None => continue,
            };
            rows.push(Row {
                rule,
                result,
                compared,
                refined: Vec::new(),
            });
            continue;
        }
        let record = crate::engine::record::record_in(
            &mut env,
            view.set,
            &assessment.packs,
            result.rule,
            outcome,
            refining,
        );
        // A target's comparisons are made with its result; a criterion's are the record's.
        let compared = if result.compared.is_empty() {
            resolve(record.compared.into_iter().map(Rc::new).collect())
        } else {
            match &carried {
                Some((list, compared)) if std::ptr::eq(*list, &*result.compared) => {
                    Rc::clone(compared)
                }
                _ => {
                    let compared = resolve(result.compared.iter().cloned().map(Rc::new).collect());
                    carried = Some((&*result.compared, Rc::clone(&compared)));
                    compared
                }
            }
        };
        rows.push(Row {
            rule,
            result,
            compared,
            refined: record.refined,
        });
    }
    rows
}

/// Where a comparison's stated value is in a file: its line, the named thing it is about and
/// where it belongs when unstated ([`line_of`], `Project::named_thing`, [`belongs_in_words`]).
type Place = (usize, Option<Text>, Option<Text>);

/// The places of the paths a file's record compares, each resolved once ([`Places::of`]).
///
/// A file's rows compare few distinct paths (about 10 in a generated file, against some 40
/// comparisons resolved): the first [`FEW_PLACES`] are kept in a list beside the comparison
/// that first had them and found by comparing, which costs less than hashing the path (SipHash
/// of each key) and copying it into a map. A file compares more (a long list of facilities
/// each with its rows), the rest go to a map with the standard hasher, keyed at random (a path
/// is made of the file's keys), so that no file makes the look-up quadratic.
#[derive(Default)]
struct Places {
    few: Vec<(Rc<Comparison>, Place)>,
    many: std::collections::HashMap<YamlPath, Place>,
}

/// The most paths [`Places`] finds by comparing.
const FEW_PLACES: usize = 32;

impl Places {
    /// The place of `comparison`'s path in `project`, `None` when it has none.
    fn of(&mut self, project: &Project, comparison: &Rc<Comparison>) -> Option<Place> {
        let path = comparison.path.as_ref()?;
        // The same comparison (a condition several reasons share), or another of the same path.
        let found = self
            .few
            .iter()
            .find(|(first, _)| Rc::ptr_eq(first, comparison) || first.path.as_ref() == Some(path));
        if let Some((_, place)) = found {
            return Some(place.clone());
        }
        if let Some(place) = self.many.get(path) {
            return Some(place.clone());
        }
        let place = (
            line_of(project, path),
            project.named_thing(path),
            belongs_in_words(project, path),
        );
        if self.few.len() < FEW_PLACES {
            self.few.push((Rc::clone(comparison), place.clone()));
        } else {
            self.many.insert(path.clone(), place.clone());
        }
        Some(place)
    }
}

/// A refined parameter in one sentence, for every format a person reads: `参数
/// `mother_baby_room_floor_area` 按 pudong 细化为 5000 平方米(取代 shanghai-2023 的 10000
/// 平方米),依据 pudong-2025 §3「…」;理由:…;本条是否适用按此值判定,本项目建筑面积 6000
/// 平方米(应 > 5000 平方米)`.
pub fn refined_text(refined: &Refined, lang: Lang) -> String {
    let Refined {
        param: _,
        label,
        pack,
        cite,
        value,
        replaced,
        replaced_pack,
        basis,
        covers,
        compared,
    } = refined;
    let (value, replaced) = (value.get(lang), replaced.get(lang));
    let citation = super::citation_line(cite, lang);
    let mut text = match lang {
        Lang::Zh => format!(
            "参数「{}」按 {pack} 细化为 {value}(取代 {replaced_pack} 的 {replaced}),依据 {citation}",
            label.zh
        ),
        Lang::En => format!(
            "parameter “{}” refined by {pack} to {value} (replacing {replaced} of {replaced_pack}), citing {citation}",
            label.en
        ),
    };
    if let Some(basis) = basis {
        text.push_str(&match lang {
            Lang::Zh => format!(";理由:{}", basis.zh),
            Lang::En => format!("; basis: {}", basis.en),
        });
    }
    let values: Vec<String> = compared
        .iter()
        .map(|comparison| {
            let (subject, stated, required) = (
                comparison.subject.get(lang),
                comparison.stated.get(lang),
                comparison.required.get(lang),
            );
            match lang {
                Lang::Zh => format!("{subject} {stated}(应 {required})"),
                Lang::En => format!("{} {stated} (required {required})", lowercase(subject)),
            }
        })
        .collect();
    let said = match lang {
        Lang::Zh => values.join("、"),
        Lang::En => values.join(", "),
    };
    text.push_str(&match (lang, covers, values.is_empty()) {
        (Lang::Zh, true, true) => ";本条是否适用按此值判定".to_owned(),
        (Lang::Zh, true, false) => format!(";本条是否适用按此值判定,本项目{said}"),
        (Lang::Zh, false, true) => String::new(),
        (Lang::Zh, false, false) => format!(";本项目{said}"),
        (Lang::En, true, true) => "; whether the clause applies is decided with it".to_owned(),
        (Lang::En, true, false) => {
            format!("; whether the clause applies is decided with it: here {said}")
        }
        (Lang::En, false, true) => String::new(),
        (Lang::En, false, false) => format!("; here {said}"),
    });
    text
}

fn lowercase(text: &str) -> String {
    crate::project::types::lowercase_first(text)
}

/// The 1-based line of a path (of where it belongs, when the file does not state it).
pub fn line_of(project: &Project, path: &YamlPath) -> usize {
    let location = project.tree.locate(path);
    project.file.line_col(location.span.start).0
}

/// Where a value the file does not state belongs, in words, when the nearest key the file
/// states on its way is the document itself or a mapping outside any list element: 应在文件顶层
/// 注明 / 应在 project 下注明. `None` when the value is stated, or when it belongs in an
/// element of a list (a facility), whose line is the named thing it is about.
pub fn belongs_in_words(project: &Project, path: &YamlPath) -> Option<Text> {
    if project.tree.at(path).is_some() {
        return None;
    }
    let mut stated = YamlPath::root();
    for segment in &path.segments {
        let next = match segment {
            Segment::Key(key) => stated.key(key),
            Segment::Index(index) => stated.index(*index),
        };
        if project.tree.at(&next).is_none() {
            break;
        }
        stated = next;
    }
    if stated
        .segments
        .iter()
        .any(|segment| matches!(segment, Segment::Index(_)))
    {
        return None;
    }
    // Under the mapping the key itself belongs in, stated or not (`surroundings` for
    // `surroundings.hazards` when the file has no `surroundings` either).
    let parent = YamlPath {
        segments: path
            .segments
            .split_last()
            .map(|(_, parent)| parent.to_vec())
            .unwrap_or_default(),
    };
    if parent
        .segments
        .iter()
        .any(|segment| matches!(segment, Segment::Index(_)))
    {
        return None;
    }
    Some(if parent.is_root() {
        Text::new("应在文件顶层注明", "belongs at the top level of the file")
    } else {
        Text::new(
            // Plain, not a code span: a page may show this text inside a link to the line.
            format!("应在 {parent} 下注明"),
            format!("belongs under {parent}"),
        )
    })
}

/// The result in the words of the record: 符合, 不符合, 证据不足, 已豁免, 不适用, and 无可检查的对象
/// for a pass that held only because there was nothing to check (`engine::vacuity`). A result
/// of a source that only advises the project (a draft, a plan past its period) keeps its
/// outcome and is marked: 不符合(仅供参考), so that the official still sees which clause is not
/// met.
pub fn result_word(result: &RuleResult) -> Text {
    let (zh, en) = result_words(result);
    if marked_advisory(result) {
        Text::new(format!("{zh}(仅供参考)"), format!("{en} (advisory)"))
    } else {
        Text::new(zh, en)
    }
}

/// [`result_word`] in one language, borrowed when it is not marked advisory.
pub fn result_word_in(result: &RuleResult, lang: Lang) -> std::borrow::Cow<'static, str> {
    if marked_advisory(result) {
        std::borrow::Cow::Owned(result_word(result).get(lang).to_owned())
    } else {
        let (zh, en) = result_words(result);
        std::borrow::Cow::Borrowed(match lang {
            Lang::Zh => zh,
            Lang::En => en,
        })
    }
}

/// The words of [`result_word`] before any mark.
fn result_words(result: &RuleResult) -> (&'static str, &'static str) {
    match result.outcome {
        Outcome::Pass if result.vacuous.is_some() => ("无可检查的对象", "nothing to check"),
        Outcome::Pass => ("符合", "complies"),
        Outcome::Fail => ("不符合", "does not comply"),
        Outcome::InsufficientEvidence => ("证据不足", "insufficient evidence"),
        Outcome::Waived => ("已豁免", "waived"),
        Outcome::NotApplicable => ("不适用", "not applicable"),
    }
}

/// Whether [`result_word`] marks the result as advice only. A rule that does not apply is not
/// marked: nothing to advise on, the clause is not about this project.
fn marked_advisory(result: &RuleResult) -> bool {
    result.advisory && result.outcome != Outcome::NotApplicable
}

/// A stable key for the result's outcome, for styling and for machines: the outcome's own
/// (`fail`, …), and `nothing_to_check` for a pass with nothing to check. Whether the result only
/// advises is apart ([`RuleResult::advisory`]).
pub fn result_key(result: &RuleResult) -> &'static str {
    if result.outcome == Outcome::Pass && result.vacuous.is_some() {
        return "nothing_to_check";
    }
    result.outcome.as_str()
}

/// What is required, in one line: `≥ 54 个(⌈4.5 个托位/千人 × 常住人口 12000 人⌉)`; a
/// requirement that something be stated is its own phrase (须有在案的证明材料). Whether it is
/// another way to meet the rule is said by [`way_text`], which joins the comparisons of a way.
pub fn required_text(compared: &Compared, lang: Lang) -> String {
    let comparison = &compared.comparison;
    let subject = comparison.subject.get(lang);
    let required = comparison.required.get(lang);
    let mut text = match (lang, comparison.presence.is_some()) {
        (_, true) => required.to_owned(),
        (Lang::Zh, false) => format!("{subject} {required}"),
        (Lang::En, false) => format!("{subject}: {required}"),
    };
    if let Some(basis) = &comparison.basis {
        match lang {
            Lang::Zh => text.push_str(&format!("({})", basis.zh)),
            Lang::En => text.push_str(&format!(" ({})", lowercase_first(&basis.en))),
        }
    }
    text
}

/// The comparisons of a row as the ways they make: each requirement on its own, and the
/// comparisons of one other way to meet the rule (see [`Comparison::alternative`]) together, in
/// the order recorded. Each way is the indexes of its comparisons.
pub fn ways(compared: &[Compared]) -> Vec<Vec<usize>> {
    let mut ways: Vec<Vec<usize>> = Vec::new();
    let mut last = 0;
    for (index, compared) in compared.iter().enumerate() {
        let alternative = compared.comparison.alternative;
        match ways.last_mut() {
            Some(way) if alternative != 0 && alternative == last => way.push(index),
            _ => ways.push(vec![index]),
        }
        last = alternative;
    }
    ways
}

/// One way to meet the rule in one line: 「或:不注明是否与住宅同步验收、同步交付使用,且交付使用
/// 日期 ≤ 住宅交付日期」.
pub fn way_text(compared: &[Compared], way: &[usize], lang: Lang) -> String {
    let parts: Vec<String> = way
        .iter()
        .filter_map(|&index| compared.get(index))
        .enumerate()
        // The parts after the first are mid-sentence.
        .map(|(index, compared)| match (index, lang) {
            (0, _) | (_, Lang::Zh) => required_text(compared, lang),
            (_, Lang::En) => lowercase_first(&required_text(compared, lang)),
        })
        .collect();
    let alternative = way
        .first()
        .and_then(|&index| compared.get(index))
        .is_some_and(|compared| compared.comparison.alternative != 0);
    let joined = parts.join(match lang {
        Lang::Zh => ",且",
        Lang::En => ", and ",
    });
    match (alternative, lang) {
        (false, _) => joined,
        (true, Lang::Zh) => format!("或:{joined}"),
        (true, Lang::En) => format!("or: {joined}"),
    }
}

/// What the file states, in one line, with the thing and the line: `40 个(设施 nursery-1,第 21 行)`.
pub fn stated_text(compared: &Compared, lang: Lang) -> String {
    let comparison = &compared.comparison;
    let stated = comparison.stated.get(lang);
    let mut place = Vec::new();
    if let Some(thing) = &compared.thing {
        place.push(named_once(thing.get(lang), stated));
    }
    if let Some(belongs) = &compared.belongs {
        // A line would point at the first key of the file or at a mapping, not at the fact.
        place.push(belongs.get(lang).to_owned());
    } else if let Some(line) = compared.line {
        place.push(match lang {
            Lang::Zh => format!("第 {line} 行"),
            Lang::En => format!("line {line}"),
        });
    }
    if place.is_empty() {
        return stated.to_owned();
    }
    match lang {
        Lang::Zh => format!("{stated}({})", place.join(",")),
        Lang::En => format!("{stated} ({})", place.join(", ")),
    }
}

/// A thing named once: `证明材料 儿童影响评价报告(儿童影响评价报告)` beside the stated value
/// 儿童影响评价报告 is `证明材料`; a kind that only repeats the name is dropped, and a name the
/// stated value already gives.
fn named_once(thing: &str, stated: &str) -> String {
    let mut thing = thing.to_owned();
    for (open, close) in [("(", ")"), (" (", ")")] {
        if let Some(inner) = thing
            .strip_suffix(close)
            .and_then(|rest| rest.rsplit_once(open))
            .filter(|(name, kind)| !kind.is_empty() && name.ends_with(kind))
            .map(|(name, _)| name.to_owned())
        {
            thing = inner;
        }
    }
    match thing
        .strip_suffix(stated)
        .and_then(|rest| rest.strip_suffix(' '))
    {
        Some(kind) if !stated.is_empty() && !kind.is_empty() => kind.to_owned(),
        _ => thing,
    }
}

/// Why a rule does not apply, from the condition that excluded the project: `项目类型为 居住区,
/// 本条适用于 公园绿地 或 体育场馆`. Conditions on the same stated value are joined.
pub fn not_applicable_reason(row: &Row<'_>, lang: Lang) -> String {
    // (subject, stated, whether it excepts, the requirements it did not meet, whether they are
    // that it be stated)
    let mut groups: Vec<(&str, &str, bool, Vec<&str>, bool)> = Vec::new();
    // Sentences of their own, for conditions the general sentence would not say well.
    let mut own: Vec<&str> = Vec::new();
    for compared in row.compared.iter() {
        let comparison = &compared.comparison;
        if comparison.holds == Tri::Unknown {
            continue;
        }
        if let (Tri::False, Some(excludes)) = (comparison.holds, &comparison.excludes) {
            let excludes = excludes.get(lang);
            if !own.contains(&excludes) {
                own.push(excludes);
            }
            continue;
        }
        let subject = comparison.subject.get(lang);
        let stated = comparison.stated.get(lang);
        let excepts = comparison.holds == Tri::True;
        // The reasons join alternatives with 或 themselves.
        let unstated = comparison.presence == Some(true);
        let required = comparison.required.get(lang);
        match groups
            .iter_mut()
            .find(|group| group.0 == subject && group.1 == stated && group.2 == excepts)
        {
            Some(group) => {
                if !group.3.contains(&required) {
                    group.3.push(required);
                }
            }
            None => groups.push((subject, stated, excepts, vec![required], unstated)),
        }
    }
    let target = matches!(*row.rule.check, crate::rules::ir::Check::Target(_));
    let mut reasons: Vec<String> = own.into_iter().map(str::to_owned).collect();
    reasons.extend(groups
        .iter()
        .map(|(subject, stated, excepts, required, unstated)| {
            let required = required.join(match lang {
                Lang::Zh => " 或 ",
                Lang::En => " or ",
            });
            let unstated = *unstated;
            match (lang, excepts) {
                // A target judges the plans that state its indicator, and those it requires.
                (Lang::Zh, false) if unstated && target => {
                    format!("项目文件未注明{subject},本条只判定载明该指标的规划、政策")
                }
                (Lang::En, false) if unstated && target => format!(
                    "the file does not state {subject}, and the target judges only plans and policies that state it"
                ),
                (Lang::Zh, false) if unstated => format!("项目文件未注明{subject}"),
                (Lang::En, false) if unstated => format!("the file does not state {subject}"),
                (Lang::Zh, false) => format!("{subject}为 {stated},本条适用于 {required}"),
                (Lang::Zh, true) => format!("{subject}为 {stated},属本条的除外情形"),
                (Lang::En, false) => {
                    format!("{subject} is {stated}; the clause applies to {required}")
                }
                (Lang::En, true) => format!("{subject} is {stated}, which the clause excepts"),
            }
        }));
    if reasons.is_empty() {
        return match (lang, target) {
            (Lang::Zh, true) => "本条为规划指标,只对载明该指标的规划、政策文件判定".to_owned(),
            (Lang::En, true) => {
                "a target, judged only for plans and policies that state its indicator".to_owned()
            }
            (Lang::Zh, false) => "项目文件未载明本条所针对的内容".to_owned(),
            (Lang::En, false) => "the file states nothing the clause is about".to_owned(),
        };
    }
    reasons.join(match lang {
        Lang::Zh => ";",
        Lang::En => "; ",
    })
}

/// A top-level list of records as a table: the labels of the fields any element states, and
/// each element's values as a person reads them (enum values by label, 是/否, quantities with
/// their units). `None` when the file states no such list or it is empty.
pub fn list_table(project: &Project, key: &str) -> Option<(Vec<Text>, Vec<Vec<Text>>)> {
    let (index, field) = project_type().field(key)?;
    let Ty::List(item_ty) = &field.ty else {
        return None;
    };
    let Ty::Record(record) = item_ty.as_ref() else {
        return None;
    };
    let Some(Some(Data::List(items))) = project.data.get(index) else {
        return None;
    };
    let records: Vec<&Vec<Option<Data>>> = items
        .iter()
        .filter_map(|item| match item {
            Data::Record(slots) => Some(slots),
            _ => None,
        })
        .collect();
    if records.is_empty() {
        return None;
    }
    let columns: Vec<usize> = (0..record.fields.len())
        .filter(|&column| {
            records
                .iter()
                .any(|slots| slots.get(column).is_some_and(Option::is_some))
        })
        .collect();
    let head = columns
        .iter()
        .filter_map(|&column| record.fields.get(column).map(|field| label(&field.doc)))
        .collect();
    let rows = records
        .iter()
        .map(|slots| {
            columns
                .iter()
                .map(|&column| {
                    match (
                        record.fields.get(column),
                        slots.get(column).and_then(Option::as_ref),
                    ) {
                        (Some(field), Some(data)) => shown(&field.ty, data),
                        _ => Text::same("—"),
                    }
                })
                .collect()
        })
        .collect();
    Some((head, rows))
}

/// A value of the file as a person reads it.
fn shown(ty: &Ty, data: &Data) -> Text {
    match (ty, data) {
        (_, Data::Bool(true)) => Text::new("是", "yes"),
        (_, Data::Bool(false)) => Text::new("否", "no"),
        (Ty::Number(number), Data::Num(value)) => Text::new(
            crate::project::units::format_quantity(*value, number.dim(), number.unit, true),
            crate::project::units::format_quantity(*value, number.dim(), number.unit, false),
        ),
        (_, Data::Num(value)) => Text::same(crate::project::units::format_number(*value)),
        (_, Data::Text(text)) => Text::same(text.clone()),
        (_, Data::Date(date)) => Text::same(date.to_string()),
        (Ty::Enum(enumeration), Data::Enum(index)) => enumeration
            .variants
            .get(*index)
            .map_or_else(|| Text::same("—"), variant_label),
        (Ty::List(item), Data::List(items)) => {
            let parts: Vec<Text> = items.iter().map(|data| shown(item, data)).collect();
            Text::new(
                parts
                    .iter()
                    .map(|t| t.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                parts
                    .iter()
                    .map(|t| t.en.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }
        _ => Text::same("…"),
    }
}

/// The label of an enum value stated at `names` (住宅 for `project.kind: residential`).
pub fn enum_label(project: &Project, names: &[&str]) -> Option<Text> {
    let Data::Enum(index) = project.get(names)? else {
        return None;
    };
    match crate::project::load::type_at(names)? {
        Ty::Enum(enumeration) => enumeration.variants.get(*index).map(variant_label),
        _ => None,
    }
}

/// The example projects, in name order (the tests of the record and of the JSON entries).
#[cfg(test)]
pub(crate) fn example_paths() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .expect("examples")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() > 10, "the examples: {paths:?}");
    paths
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::engine::checked::{CheckOptions, CheckedFile, check_file};
    use crate::engine::{Outcome, parameter_values};
    use crate::report::FileView;
    use crate::rules::ir::RuleSet;

    /// Each row's comparisons are what [`crate::engine::record::record`] gives its rule on its
    /// own (or what its result carries), though the rules that do not apply for one reason
    /// share one list: the walk of `engine::record::Reasons` is the record's. Every example
    /// project (of every kind, so that many reasons and walks through `and` and `or` are met).
    #[test]
    fn shared_rows_are_each_rules_own_record() {
        let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
        let checked = examples_checked(&set, &super::example_paths());
        let views = command_line_views(&checked, &set);
        let (mut shared, mut rows_seen) = (0, 0);
        for view in &views {
            let (Some(assessment), Some(project)) = (view.assessment, view.project) else {
                continue;
            };
            let params = parameter_values(&set, &assessment.packs);
            let refining = crate::engine::record::any_refinement(&set, &assessment.packs);
            let rows = super::rows(view);
            assert_eq!(rows.len(), assessment.results.len(), "{}", view.path);
            for (index, row) in rows.iter().enumerate() {
                rows_seen += 1;
                let result = row.result;
                let outcome = result
                    .waiver
                    .as_ref()
                    .map_or(result.outcome, |waiver| waiver.covered);
                let own = crate::engine::record::record(
                    &set,
                    project,
                    &assessment.packs,
                    &params,
                    assessment.step_budget,
                    result.rule,
                    outcome,
                    refining,
                );
                let expected = if result.compared.is_empty() {
                    own.compared
                } else {
                    result.compared.to_vec()
                };
                let got: Vec<_> = row
                    .compared
                    .iter()
                    .map(|c| (*c.comparison).clone())
                    .collect();
                assert_eq!(got, expected, "{} {}", view.path, row.rule.id);
                assert_eq!(row.refined.len(), own.refined.len(), "{}", row.rule.id);
                for compared in row.compared.iter() {
                    let path = compared.comparison.path.as_ref();
                    assert_eq!(
                        compared.line,
                        path.map(|path| super::line_of(project, path)),
                        "{} {}",
                        view.path,
                        row.rule.id
                    );
                    assert_eq!(
                        compared.thing,
                        path.and_then(|path| project.named_thing(path))
                    );
                    assert_eq!(
                        compared.belongs,
                        path.and_then(|path| super::belongs_in_words(project, path))
                    );
                }
                if outcome == Outcome::NotApplicable
                    && rows[..index]
                        .iter()
                        .any(|earlier| Rc::ptr_eq(&earlier.compared, &row.compared))
                {
                    shared += 1;
                }
            }
        }
        // Most rules do not apply to a project, most of them for a reason another shares.
        assert!(
            shared * 3 > rows_seen,
            "{shared} of {rows_seen} rows shared"
        );
    }

    /// A record is the same whether the truth values its walk reads are found without the
    /// paths of the values read where that can be done (`engine::record::Recorder::truth`) or
    /// each evaluated with its paths, for every rule on every example project, whatever its
    /// outcome; and so is a record made in an environment kept from rule to rule
    /// (`record_in`, as a file's rows are made), in the order of the results and backwards.
    #[test]
    fn records_are_the_same_however_their_truths_are_found() {
        let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
        let checked = examples_checked(&set, &super::example_paths());
        let views = command_line_views(&checked, &set);
        let mut compared = 0;
        for view in &views {
            let (Some(assessment), Some(project)) = (view.assessment, view.project) else {
                continue;
            };
            let params = parameter_values(&set, &assessment.packs);
            let refining = crate::engine::record::any_refinement(&set, &assessment.packs);
            let mut kept = crate::engine::eval::Env::new(project, &set, &params)
                .with_budget(assessment.step_budget);
            let results: Vec<_> = assessment
                .results
                .iter()
                .chain(assessment.results.iter().rev())
                .collect();
            for result in results {
                let outcome = result
                    .waiver
                    .as_ref()
                    .map_or(result.outcome, |waiver| waiver.covered);
                let record = || {
                    crate::engine::record::record(
                        &set,
                        project,
                        &assessment.packs,
                        &params,
                        assessment.step_budget,
                        result.rule,
                        outcome,
                        refining,
                    )
                };
                let found = record();
                let evaluated = crate::engine::record::with_truths_evaluated(record);
                let in_kept = crate::engine::record::record_in(
                    &mut kept,
                    &set,
                    &assessment.packs,
                    result.rule,
                    outcome,
                    refining,
                );
                let rule = set.rules.get(result.rule).map(|rule| rule.id.as_str());
                assert_eq!(found.compared, evaluated.compared, "{} {rule:?}", view.path);
                assert_eq!(
                    in_kept.compared, evaluated.compared,
                    "{} {rule:?}",
                    view.path
                );
                assert_eq!(
                    format!("{:?}", found.refined),
                    format!("{:?}", evaluated.refined)
                );
                assert_eq!(
                    format!("{:?}", in_kept.refined),
                    format!("{:?}", evaluated.refined)
                );
                compared += found.compared.len();
            }
        }
        assert!(compared > 1000, "{compared} comparisons");
    }

    /// Each of `paths` checked against `set` with the default options.
    fn examples_checked(set: &RuleSet, paths: &[std::path::PathBuf]) -> Vec<CheckedFile> {
        paths
            .iter()
            .map(|path| check_file(path, set, &CheckOptions::default()))
            .collect()
    }

    /// The files' views as `yimi check` makes them, without a baseline.
    fn command_line_views<'a>(checked: &'a [CheckedFile], set: &'a RuleSet) -> Vec<FileView<'a>> {
        super::super::views(
            checked,
            set,
            None,
            crate::base::diagnostic::Medium::CommandLine,
            &super::super::baseline::Naming::default(),
        )
    }

    /// The rows of a file in a run ([`super::rows_in_run`]: which conditions are shared found
    /// once a run on the thread) are the file's own ([`super::rows`]), for every example project
    /// one after another in one run, and in a second run over another rule set made after the
    /// first was freed (which may take its addresses: the run's number, not the addresses, says
    /// whose shapes the thread holds).
    #[test]
    fn rows_in_a_run_are_each_files_own() {
        let paths = super::example_paths();
        let mut compared = 0;
        for round in 0..2 {
            let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
            let checked = examples_checked(&set, &paths);
            let views = command_line_views(&checked, &set);
            let run = crate::engine::record::next_run();
            // Twice over: the second time every condition's shape is the run's already.
            for view in views.iter().chain(&views) {
                let own = super::rows(view);
                let in_run = super::rows_in_run(view, Some(run));
                assert_eq!(own.len(), in_run.len(), "{}", view.path);
                for (own, in_run) in own.iter().zip(&in_run) {
                    assert!(std::ptr::eq(own.rule, in_run.rule));
                    assert_eq!(
                        own.compared, in_run.compared,
                        "{} round {round}",
                        own.rule.id
                    );
                    compared += own.compared.len();
                }
            }
        }
        assert!(compared > 1000, "{compared} comparisons");
    }

    /// In a run, a shared condition is worded once for the files whose condition reads the same
    /// values ([`crate::engine::record::Reasons`]: the shape's number and every value read, how
    /// far down its path the file states each field): the second check of every example project
    /// takes the first one's words (the same `Rc`), and each file's rows are still its own, though
    /// the examples state many kinds of project (`project.kind == school` read against a park, a
    /// residential project, …: a key without the values read would give them the first file's
    /// words), and some leave out what others state.
    #[test]
    fn a_run_words_a_condition_once_per_values_read() {
        let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
        let paths = super::example_paths();
        // Every example checked twice, each check its own project.
        let twice: Vec<_> = paths.iter().chain(&paths).cloned().collect();
        let checked = examples_checked(&set, &twice);
        let views = command_line_views(&checked, &set);
        let run = crate::engine::record::next_run();
        let in_run: Vec<_> = views
            .iter()
            .map(|view| super::rows_in_run(view, Some(run)))
            .collect();
        let mut kept = 0;
        for (view, rows) in views.iter().zip(&in_run) {
            let own = super::rows(view);
            assert_eq!(own.len(), rows.len(), "{}", view.path);
            for (own, in_run) in own.iter().zip(rows) {
                assert_eq!(
                    own.compared, in_run.compared,
                    "{} {}",
                    view.path, own.rule.id
                );
            }
        }
        let (first, second) = in_run.split_at(paths.len());
        for (first, second) in first.iter().zip(second) {
            for (a, b) in first.iter().zip(second) {
                kept += a
                    .compared
                    .iter()
                    .zip(b.compared.iter())
                    .filter(|(a, b)| Rc::ptr_eq(&a.comparison, &b.comparison))
                    .count();
            }
        }
        assert!(kept > 100, "{kept} comparisons kept for the second check");
    }

    /// What a run keeps of its conditions' words is bounded in size, not only in number
    /// (hostile review 20 Z1): a user pack whose condition is `in` a list of 600 names, met by
    /// files that each state another name, keeps the first few files' words and words the rest
    /// file by file, each file's rows still its own. Counted by keys only, it kept one entry
    /// for every file, each holding all 600 names in both languages.
    #[test]
    fn a_run_keeps_its_words_within_a_size() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let names: Vec<String> = (0..600)
            .map(|i| format!("\"名称-{i:05}-abcdefghij\""))
            .collect();
        let pack = format!(
            "pack local-big {{\n  source jilin-2022\n  jurisdiction CN/JL/Changchun\n  version \"0.1\"\n}}\n\n\
             rule M-001 \"示例\" en \"Example\" {{\n  domain rights\n  strength should\n  addressee project\n  \
             cite jilin-2022 §2 \"涉及儿童的重大事项事先听取儿童及监护人意见\"\n  applies project.name in [{}]\n  \
             require any(participation, p => p.children >= 1 persons)\n  at participation\n  \
             message \"没有\" en \"none\"\n  advice \"做\" en \"do\"\n  hint \"写\" en \"write\"\n}}\n",
            names.join(", ")
        );
        let pack_path = dir.path().join("big.yimi");
        std::fs::write(&pack_path, pack).expect("written");
        let loaded = crate::rules::load::load(&crate::rules::load::RuleOptions {
            no_builtin: true,
            paths: vec![pack_path],
            ..Default::default()
        })
        .expect("the pack loads");
        let set = &loaded.set;
        let files = 60;
        let paths: Vec<_> = (0..files)
            .map(|i| {
                let path = dir.path().join(format!("f{i:03}.yaml"));
                let text = format!(
                    "yimi: 1\nproject:\n  id: M-{i:03}\n  name: 项目{i:03}\n  kind: park\n  jurisdiction: CN/JL/Changchun\n"
                );
                std::fs::write(&path, text).expect("written");
                path
            })
            .collect();
        let checked = examples_checked(set, &paths);
        let views = command_line_views(&checked, set);
        let run = crate::engine::record::next_run();
        let mut compared = 0;
        for view in &views {
            let own = super::rows(view);
            let in_run = super::rows_in_run(view, Some(run));
            assert_eq!(own.len(), in_run.len(), "{}", view.path);
            for (own, in_run) in own.iter().zip(&in_run) {
                assert_eq!(own.compared, in_run.compared, "{}", view.path);
                compared += own.compared.len();
            }
        }
        assert!(compared >= files, "{compared} comparisons");
        let (kept, length) = crate::engine::record::kept_in_run();
        assert!(kept >= 1, "nothing kept");
        assert!(kept < files / 2, "{kept} of {files} files' words kept");
        assert!(length <= crate::engine::record::MAX_KEPT_LENGTH_FOR_TESTS);
    }

    /// [`super::Places`] gives each path its own place, as resolving it on its own does: for
    /// the first [`super::FEW_PLACES`] paths found by comparing, for the rest by the map, and
    /// for a comparison met again or another of the same path (a fresh `Rc`) in either. The
    /// paths of one file differ only in a late step (`facilities[3].kind` against
    /// `facilities[4].kind`), so a look-up that compared less than the whole path, or took any
    /// comparison for one met before, would give a path another's line or named thing.
    #[test]
    fn places_are_each_paths_own_few_or_many() {
        use crate::project::yaml::YamlPath;
        let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
        let paths = super::example_paths();
        let checked = examples_checked(&set, &paths);
        let views = command_line_views(&checked, &set);
        let mut resolved = 0;
        for view in &views {
            let Some(project) = view.project else {
                continue;
            };
            let rows = super::rows(view);
            let Some(template) = rows
                .iter()
                .flat_map(|row| row.compared.iter())
                .find(|compared| compared.comparison.path.is_some())
                .map(|compared| Rc::clone(&compared.comparison))
            else {
                continue;
            };
            // The file's own compared paths, then more than the list holds.
            let mut wanted: Vec<YamlPath> = rows
                .iter()
                .flat_map(|row| row.compared.iter())
                .filter_map(|compared| compared.comparison.path.clone())
                .collect();
            for index in 0..super::FEW_PLACES + 8 {
                let facility = YamlPath::root().key("facilities").index(index);
                wanted.push(facility.key("kind"));
                wanted.push(facility.key("area_m2"));
            }
            let with_path = |path: &YamlPath| {
                let mut comparison = (*template).clone();
                comparison.path = Some(path.clone());
                Rc::new(comparison)
            };
            let comparisons: Vec<_> = wanted.iter().map(with_path).collect();
            let mut places = super::Places::default();
            // Each comparison, then each again, then a fresh one of each path.
            let again = comparisons.iter().cloned();
            let fresh = wanted.iter().map(with_path);
            for comparison in comparisons.iter().cloned().chain(again).chain(fresh) {
                let path = comparison.path.clone().expect("made with a path");
                let own = (
                    super::line_of(project, &path),
                    project.named_thing(&path),
                    super::belongs_in_words(project, &path),
                );
                assert_eq!(places.of(project, &comparison), Some(own), "{path}");
                resolved += 1;
            }
            assert_eq!(places.few.len(), super::FEW_PLACES, "{}", view.path);
            assert!(!places.many.is_empty(), "{}", view.path);
            let mut unplaced = (*template).clone();
            unplaced.path = None;
            assert_eq!(places.of(project, &Rc::new(unplaced)), None);
        }
        assert!(resolved > 1000, "{resolved} places resolved");
    }

    /// [`crate::engine::record::Reasons::of`] finds a reason of one condition by the
    /// condition's index and a longer one by its whole walk: a reason of two conditions (both
    /// sides of an `or` that excluded the project) whose first is another rule's whole reason is
    /// a reason of its own, with the comparisons of the rule's own record. A reason found by its
    /// first condition alone would give the longer one the shorter's comparisons.
    #[test]
    fn a_reason_of_one_condition_is_not_one_of_more() {
        let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
        let checked = examples_checked(&set, &super::example_paths());
        let views = command_line_views(&checked, &set);
        let (mut singles, mut longer, mut apart) = (0, 0, 0);
        for view in &views {
            let (Some(assessment), Some(project)) = (view.assessment, view.project) else {
                continue;
            };
            let params = parameter_values(&set, &assessment.packs);
            if crate::engine::record::any_refinement(&set, &assessment.packs) {
                continue;
            }
            let mut reasons =
                crate::engine::record::Reasons::new(&set, project, &params, assessment.step_budget);
            let mut found: Vec<(usize, Vec<crate::engine::record::Comparison>)> = Vec::new();
            for result in &assessment.results {
                if result.outcome != Outcome::NotApplicable
                    || result.waiver.is_some()
                    || !result.compared.is_empty()
                {
                    continue;
                }
                let Some(reason) = reasons.of(result.rule) else {
                    continue;
                };
                let compared: Vec<_> = reasons
                    .compared(reason)
                    .iter()
                    .map(|comparison| (**comparison).clone())
                    .collect();
                let own = crate::engine::record::record(
                    &set,
                    project,
                    &assessment.packs,
                    &params,
                    assessment.step_budget,
                    result.rule,
                    result.outcome,
                    false,
                );
                assert_eq!(compared, own.compared, "{} rule {}", view.path, result.rule);
                found.push((reason, compared));
            }
            for (reason, compared) in &found {
                match compared.as_slice() {
                    [_] => singles += 1,
                    [first, _, ..] => {
                        longer += 1;
                        for (other, single) in &found {
                            if let [only] = single.as_slice()
                                && only.path == first.path
                                && only.required == first.required
                            {
                                assert_ne!(other, reason, "{}", view.path);
                                apart += 1;
                            }
                        }
                    }
                    [] => {}
                }
            }
        }
        assert!(
            singles > 100 && longer > 10,
            "{singles} single, {longer} longer"
        );
        assert!(
            apart > 0,
            "no reason of more conditions began with another's"
        );
    }
}
