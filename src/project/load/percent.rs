//! A share written as a fraction of one: 0.85 where the model takes per cent (85) is read as
//! 0.85 %, and beside an average of 82 % it becomes a false finding nobody sees the cause of.
//! Every per-cent field of the model is looked at in one walk — a number whose own unit is `%`
//! (`x-unit`), and the values of a provision whose kind is a share ([`ProvisionKind::unit`]) —
//! and each value in (0, 1] gets a located warning. Never an error: 0.85 per cent is possible.

use super::{Data, Project};
use crate::base::diagnostic::Diagnostic;
use crate::project::model::ProvisionKind;
use crate::project::types::{RecordTy, Ty, project_type};
use crate::project::units::{self, Unit};
use crate::project::yaml::YamlPath;
use crate::tr;

/// The warning's code.
pub const SHARE_AS_FRACTION: &str = "project::share-as-fraction";

/// One step of the path to the value being looked at, borrowed: a path is built only for a
/// value that gets the warning.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Adds a warning for each per-cent value of `project` that looks like a fraction of one.
pub fn warn(project: &mut Project) {
    let mut found = Vec::new();
    let mut steps = Vec::new();
    record(&project.data, project_type(), &mut steps, &mut found);
    for (path, written) in found {
        let Some(node) = project.tree.at(&path) else {
            continue;
        };
        let number = units::format_number(written);
        let per_cent = units::format_number(written * 100.0);
        project.warnings.push(
            Diagnostic::warning(
                SHARE_AS_FRACTION,
                &project.file,
                node.span.clone(),
                tr!(
                    "`{path}` 为 {number},按百分数读作 {number}%:比例是否写成了小数?",
                    "`{path}` is {number}, read in per cent as {number}%: is the share written as a fraction?"
                ),
                tr!("按百分数读作 {number}%", "read as {number}%"),
            )
            .with_help(tr!(
                "比例按百分数填写:{per_cent}% 写 {per_cent},而不是 {number};确为 {number}% 的,可不改",
                "write shares in per cent: {per_cent} for {per_cent}%, not {number}; if {number} per cent is meant, leave it"
            )),
        );
    }
}

fn record<'a>(
    slots: &'a [Option<Data>],
    ty: &'a RecordTy,
    steps: &mut Vec<Step<'a>>,
    found: &mut Vec<(YamlPath, f64)>,
) {
    let by_kind = kind_unit(slots, ty);
    for (field, slot) in ty.fields.iter().zip(slots) {
        let Some(data) = slot else {
            continue;
        };
        steps.push(Step::Key(&field.name));
        value(data, &field.ty, by_kind, steps, found);
        steps.pop();
    }
}

/// Walks one value; the depth is the model's (a value has the type its field declares), never
/// the file's.
fn value<'a>(
    data: &'a Data,
    ty: &'a Ty,
    by_kind: Option<&'static Unit>,
    steps: &mut Vec<Step<'a>>,
    found: &mut Vec<(YamlPath, f64)>,
) {
    match (data, ty) {
        (Data::Num(base), Ty::Number(number)) => {
            let (unit, written) = match number.unit {
                Some(unit) => (Some(unit), base / unit.scale),
                None => (by_kind, *base),
            };
            if unit.is_some_and(|unit| units::looks_like_a_fraction(unit, written)) {
                found.push((path_of(steps), written));
            }
        }
        (Data::List(items), Ty::List(item)) => {
            for (index, data) in items.iter().enumerate() {
                steps.push(Step::Index(index));
                value(data, item, None, steps, found);
                steps.pop();
            }
        }
        (Data::Record(slots), Ty::Record(inner)) => record(slots, inner, steps, found),
        _ => {}
    }
}

/// The unit a record's `kind` gives its plain numbers: a provision's values follow its kind.
fn kind_unit(slots: &[Option<Data>], ty: &RecordTy) -> Option<&'static Unit> {
    if ty.name != "Provision" {
        return None;
    }
    let (index, field) = ty.field("kind")?;
    let (Some(Some(Data::Enum(variant))), Ty::Enum(enumeration)) = (slots.get(index), &field.ty)
    else {
        return None;
    };
    let name = &enumeration.variants.get(*variant)?.name;
    let kind: ProvisionKind =
        serde_json::from_value(serde_json::Value::String(name.clone())).ok()?;
    units::lookup(kind.unit()?)
}

fn path_of(steps: &[Step<'_>]) -> YamlPath {
    steps
        .iter()
        .fold(YamlPath::root(), |path, step| match step {
            Step::Key(key) => path.key(key),
            Step::Index(index) => path.index(*index),
        })
}

#[cfg(test)]
mod tests {
    use super::super::{LoadLimits, load_bytes};
    use super::SHARE_AS_FRACTION;

    fn warnings(yaml: &str) -> Vec<crate::base::diagnostic::Diagnostic> {
        load_bytes("t.yaml", yaml.as_bytes(), LoadLimits::default())
            .unwrap()
            .warnings
            .into_iter()
            .filter(|warning| warning.code == SHARE_AS_FRACTION)
            .collect()
    }

    #[test]
    fn a_share_written_as_a_fraction_is_a_located_warning() {
        let found = warnings(
            "yimi: 1\nproject: {id: P, kind: policy, jurisdiction: CN/CQ/Yuzhong}\npolicy:\n  provisions:\n    - {kind: migrant_children_public_school_share, value: 0.85, reference_value: 82}\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        let warning = found.first().unwrap();
        assert!(
            warning
                .message
                .zh
                .contains("`policy.provisions[0].value` 为 0.85"),
            "{}",
            warning.message.zh
        );
        assert!(
            warning.message.en.contains("read in per cent as 0.85%"),
            "{}",
            warning.message.en
        );
        // At the value itself: line 5, where `0.85` is written.
        let span = &warning.labels.first().unwrap().span;
        assert_eq!(warning.file.text.get(span.clone()), Some("0.85"));
        assert!(
            warning
                .help
                .as_ref()
                .is_some_and(|help| help.zh.contains("85% 写 85") && help.en.contains("85 for 85%")),
            "{:?}",
            warning.help
        );
    }

    #[test]
    fn every_value_of_a_share_is_looked_at_and_no_other_kind() {
        let found = warnings(
            "yimi: 1\nproject: {id: P, kind: policy, jurisdiction: CN/SH}\npolicy:\n  provisions:\n    - {kind: child_insurance_subsidy_share, value: 100, previous_value: 0.5, reference_value: 1}\n    - {kind: school_daily_pe_hours, value: 1}\n    - {kind: paediatric_techniques, value: 1}\n    - {kind: migrant_children_public_school_share, value: 0}\n",
        );
        let paths: Vec<&str> = found.iter().map(|w| w.message.en.as_str()).collect();
        assert_eq!(found.len(), 2, "{paths:?}");
        assert!(
            paths
                .first()
                .unwrap()
                .contains("policy.provisions[0].previous_value")
        );
        assert!(
            paths
                .get(1)
                .unwrap()
                .contains("policy.provisions[0].reference_value")
        );
    }

    #[test]
    fn a_file_is_still_loaded_and_its_value_kept() {
        let project = load_bytes(
            "t.yaml",
            b"yimi: 1\nproject: {id: P, kind: policy, jurisdiction: CN/CQ/Yuzhong}\npolicy:\n  provisions:\n    - {kind: migrant_children_public_school_share, value: 0.85}\n",
            LoadLimits::default(),
        )
        .unwrap();
        assert!(
            project
                .warnings
                .iter()
                .all(|w| w.severity == crate::base::diagnostic::Severity::Warning)
        );
    }
}
