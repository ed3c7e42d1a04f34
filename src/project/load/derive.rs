//! Facts a file implies without stating them. A district with a nursery concerns children whether
//! or not its author wrote `concerns_children: true`; leaving that unknown would ask the author
//! for evidence the file already gives. A fact is derived only from a value that makes it true,
//! never set to false, and never over what the file states; each derivation remembers the value
//! it came from, so that a finding relying on it can say so and point there.

use super::contradiction::IMPLAUSIBLE;
use super::{Data, Project};
use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::Text;
use crate::project::types::{RecordTy, Ty, lowercase_first, project_type};
use crate::project::yaml::{Segment, YamlPath};
use crate::tr;

/// A fact the loader derived.
#[derive(Clone, Debug)]
pub struct DerivedFact {
    /// The field it set, from the root (`project.concerns_children`).
    pub path: &'static [&'static str],
    /// The stated value it was derived from.
    pub from: YamlPath,
    /// Why the value implies the fact.
    pub because: Text,
}

/// `project.concerns_children`.
pub const CONCERNS_CHILDREN: &[&str] = &["project", "concerns_children"];

/// Project kinds that serve children by what they are.
const CHILDREN_PROJECT_KINDS: &[&str] =
    &["childcare", "kindergarten", "school", "welfare_institution"];

/// Plan types that are about children.
const CHILDREN_PLAN_TYPES: &[&str] = &["children"];

/// Sectors whose plans are about children.
const CHILDREN_SECTORS: &[&str] = &["childcare", "education"];

/// Facility kinds that serve children (not shared places such as a public toilet or a sports
/// ground, which serve everyone).
const CHILDREN_FACILITIES: &[&str] = &[
    "childcare_centre",
    "community_childcare_point",
    "nursery_class",
    "kindergarten",
    "primary_school",
    "middle_school",
    "children_home",
    "children_centre",
    "children_activity_centre",
    "early_development_room",
    "play_area",
    "children_activity_space",
    "children_sports_area",
    "child_toilet",
    "child_handwash",
    "resource_room",
    "special_education_classroom",
    "children_reading_room",
    "child_first_aid",
    "minor_protection_station",
];

/// Policy topics that are about children.
const CHILDREN_TOPICS: &[&str] = &[
    "school_schedule",
    "children_in_difficulty",
    "orphans",
    "childcare",
    "education",
];

/// Derives what the file implies and records each derivation in `project.derived`.
///
/// A stated `concerns_children: false` that the file's own values deny (a nursery in the
/// project, a children's plan) is not believed: it would take the project out of every rule
/// that applies to matters concerning children, while the file says it builds for them. It gets
/// a `project::implausible` warning at the flag and is read as the file's values imply, as
/// though not stated; so stating it never turns a failed rule into one that does not apply.
pub fn derive(project: &mut Project) {
    let stated_false = match project.get(CONCERNS_CHILDREN) {
        None => false,
        Some(Data::Bool(false)) => true,
        Some(_) => return,
    };
    let Some((from, what)) = children_evidence(project) else {
        return;
    };
    // Said before the fact is set, so that the file's own values name the thing.
    let thing = evidence_thing(project, &from, &what);
    let because = if stated_false {
        deny_stated_false(project, &thing);
        let (thing_zh, thing_en) = (&thing.zh, &thing.en);
        tr!(
            "项目文件写明不涉及儿童,但{thing_zh},是为儿童服务的:不予采信,推定为涉及儿童",
            "the file states that the matter does not concern children, but {thing_en}, which serves children: not believed, taken as yes"
        )
    } else {
        derived_because(&thing)
    };
    if set_bool(&mut project.data, CONCERNS_CHILDREN, true) {
        project.derived.push(DerivedFact {
            path: CONCERNS_CHILDREN,
            from,
            because,
        });
    }
}

/// The warning for a stated `concerns_children: false` that the file's values deny, and the
/// flag forgotten.
fn deny_stated_false(project: &mut Project, thing: &Text) {
    let path = YamlPath::root().key("project").key("concerns_children");
    let span = project
        .tree
        .at(&path)
        .map_or(0..0, |node| node.span.clone());
    let (thing_zh, thing_en) = (&thing.zh, &thing.en);
    let warning = Diagnostic::warning(
        IMPLAUSIBLE,
        &project.file,
        span,
        tr!(
            "`concerns_children: false`(不涉及儿童),但{thing_zh},是为儿童服务的:不予采信,推定为涉及儿童",
            "`concerns_children: false` (the matter does not concern children), but {thing_en}, which serves children: not believed, taken as yes"
        ),
        tr!("不予采信", "not believed"),
    )
    .with_help(tr!(
        "项目为儿童服务的,删去此行或改为 `true`;确不涉及儿童的,核对上述内容是否写错",
        "if the project serves children, remove this line or write `true`; if it really does not concern them, check that what is named above is right"
    ));
    project.warnings.push(warning);
    project.forget(&path);
}

/// Why the project is taken to concern children, as an official reads it: the fact by its
/// label and the thing of the file that implies it by its name (设施 nursery-1(托育机构)), never
/// by a YAML path.
fn derived_because(thing: &Text) -> Text {
    let fact = field_label(CONCERNS_CHILDREN)
        .unwrap_or_else(|| Text::new("是否涉及儿童", "whether the matter concerns children"));
    let (fact_zh, fact_en) = (&fact.zh, lowercase_first(&fact.en));
    let (thing_zh, thing_en) = (&thing.zh, &thing.en);
    tr!(
        "项目文件未注明“{fact_zh}”,推定为是:{thing_zh},是为儿童服务的",
        "the file does not state {fact_en}; taken as yes: {thing_en}, which serves children"
    )
}

/// The thing of the file that makes the project concern children, by its name (设施
/// nursery-1(托育机构)), or the field and its value (计划类型为“儿童”), never by a YAML path.
fn evidence_thing(project: &Project, from: &YamlPath, what: &Text) -> Text {
    let (what_zh, what_en) = (&what.zh, &what.en);
    let names: Vec<&str> = from
        .segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    let field = field_label(&names);
    match (project.named_thing(from), field) {
        // The thing's name carries its kind already: 设施 nursery-1(托育机构).
        (Some(thing), _) if names.last() == Some(&"kind") => thing,
        (Some(thing), Some(field)) => {
            let (thing_zh, thing_en) = (&thing.zh, &thing.en);
            let (field_zh, field_en) = (&field.zh, lowercase_first(&field.en));
            tr!(
                "{thing_zh}的{field_zh}为“{what_zh}”",
                "the {field_en} of {thing_en} is {what_en}"
            )
        }
        (_, Some(field)) => {
            let (field_zh, field_en) = (&field.zh, lowercase_first(&field.en));
            tr!("{field_zh}为“{what_zh}”", "{field_en} is {what_en}")
        }
        (_, None) => tr!("“{what_zh}”", "{what_en}"),
    }
}

/// The model's short label of the field at `names` (through records and lists of records).
fn field_label(names: &[&str]) -> Option<Text> {
    let mut record: &'static RecordTy = project_type();
    let mut label = None;
    for name in names {
        let (_, field) = record.field(name)?;
        label = Some(crate::project::types::short_label(&field.doc));
        let mut ty = &field.ty;
        while let Ty::List(item) = ty {
            ty = item;
        }
        if let Ty::Record(inner) = ty {
            record = inner;
        }
    }
    label
}

/// The first stated value that makes the project concern children, with that value's label.
fn children_evidence(project: &Project) -> Option<(YamlPath, Text)> {
    if let Some((name, label)) = enum_at(project, &["project", "kind"])
        && CHILDREN_PROJECT_KINDS.contains(&name)
    {
        return Some((YamlPath::root().key("project").key("kind"), label));
    }
    // A children's plan (儿童发展规划, 儿童友好城市建设行动计划) is about children by what it is,
    // and so is a sector plan for childcare or education (law review 9, G20).
    for (field, kinds) in [
        ("plan_type", CHILDREN_PLAN_TYPES),
        ("sector", CHILDREN_SECTORS),
    ] {
        if let Some((name, label)) = enum_at(project, &["plan", field])
            && kinds.contains(&name)
        {
            return Some((YamlPath::root().key("plan").key(field), label));
        }
    }
    let lists: [(&[&str], &str, &[&str]); 3] = [
        (&["facilities"], "kind", CHILDREN_FACILITIES),
        (
            &["plan", "land_reservations"],
            "facility_kind",
            CHILDREN_FACILITIES,
        ),
        (&["policy", "topics"], "", CHILDREN_TOPICS),
    ];
    for (list, field, kinds) in lists {
        let found = enums_in_list(project, list, field)
            .into_iter()
            .find(|(_, name, _)| kinds.contains(name));
        if let Some((index, _, label)) = found {
            let mut path = YamlPath::root();
            for name in list {
                path = path.key(name);
            }
            path = path.index(index);
            if !field.is_empty() {
                path = path.key(field);
            }
            return Some((path, label));
        }
    }
    None
}

/// The enum value at `names`, with its label.
fn enum_at(project: &Project, names: &[&str]) -> Option<(&'static str, Text)> {
    let Some(Data::Enum(index)) = project.get(names) else {
        return None;
    };
    let ty = field_type(names)?;
    label_of(ty, *index)
}

/// The enum values of `field` in each item of the list at `list` (of the items themselves when
/// `field` is empty), with their positions and labels.
fn enums_in_list(
    project: &Project,
    list: &[&str],
    field: &str,
) -> Vec<(usize, &'static str, Text)> {
    let (Some(Data::List(items)), Some(Ty::List(item_ty))) = (project.get(list), field_type(list))
    else {
        return Vec::new();
    };
    let (slot, ty) = match (field, item_ty.as_ref()) {
        ("", ty) => (None, ty),
        (field, Ty::Record(record)) => match record.field(field) {
            Some((slot, found)) => (Some(slot), &found.ty),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(position, item)| {
            let value = match (slot, item) {
                (None, value) => value,
                (Some(slot), Data::Record(slots)) => slots.get(slot)?.as_ref()?,
                _ => return None,
            };
            let Data::Enum(index) = value else {
                return None;
            };
            let (name, label) = label_of(ty, *index)?;
            Some((position, name, label))
        })
        .collect()
}

/// The model's type of the field at `names`.
fn field_type(names: &[&str]) -> Option<&'static Ty> {
    let mut record: &'static RecordTy = project_type();
    let mut ty: Option<&'static Ty> = None;
    for name in names {
        if let Some(Ty::Record(inner)) = ty {
            record = inner;
        }
        ty = Some(&record.field(name)?.1.ty);
    }
    ty
}

/// An enum value's name and its label: the model's description, up to its first bracket or
/// full stop, English in lower case as it stands inside a sentence.
fn label_of(ty: &'static Ty, index: usize) -> Option<(&'static str, Text)> {
    let Ty::Enum(enumeration) = ty else {
        return None;
    };
    let variant = enumeration.variants.get(index)?;
    let short = |text: &str, stops: &[char]| {
        let end = text.find(stops).unwrap_or(text.len());
        text.get(..end).unwrap_or(text).trim().to_owned()
    };
    let zh = short(&variant.doc.zh, &['(', '(']);
    let en = short(&variant.doc.en, &['(', '.', ':']);
    let mut chars = en.chars();
    let en = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => variant.name.clone(),
    };
    Some((variant.name.as_str(), Text::new(zh, en)))
}

/// Sets the boolean at `names` in the root's slots; false when a record on the way is absent.
fn set_bool(slots: &mut [Option<Data>], names: &[&str], value: bool) -> bool {
    let mut record: &RecordTy = project_type();
    let mut slots = slots;
    let Some((last, parents)) = names.split_last() else {
        return false;
    };
    for name in parents {
        let Some((index, field)) = record.field(name) else {
            return false;
        };
        let (Ty::Record(inner), Some(Some(Data::Record(inner_slots)))) =
            (&field.ty, slots.get_mut(index))
        else {
            return false;
        };
        record = inner;
        slots = inner_slots;
    }
    let Some((index, _)) = record.field(last) else {
        return false;
    };
    match slots.get_mut(index) {
        Some(slot) => {
            *slot = Some(Data::Bool(value));
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Data, LoadLimits, load_bytes};
    use super::CONCERNS_CHILDREN;

    fn load(yaml: &str) -> super::Project {
        load_bytes("t.yaml", yaml.as_bytes(), LoadLimits::default()).unwrap()
    }

    #[test]
    fn a_facility_for_children_makes_the_project_concern_children() {
        let project = load(
            "yimi: 1\nproject: {id: P, name: 小区, kind: residential, jurisdiction: CN/SH}\nfacilities:\n  - {kind: public_toilet}\n  - {kind: kindergarten, places: 270}\n",
        );
        assert_eq!(project.get(CONCERNS_CHILDREN), Some(&Data::Bool(true)));
        let fact = project.derived.first().unwrap();
        assert_eq!(fact.from.to_string(), "facilities[1].kind");
        // Said as an official reads it: the thing by its name, never the YAML path.
        assert_eq!(
            fact.because.zh,
            "项目文件未注明“是否涉及儿童”,推定为是:设施 第 2 项(幼儿园),是为儿童服务的"
        );
        assert_eq!(
            fact.because.en,
            "the file does not state whether the matter concerns children; taken as yes: facility #2 (kindergarten), which serves children"
        );
        let named = load(
            "yimi: 1\nproject: {id: P, name: 小区, kind: residential, jurisdiction: CN/JL}\nfacilities:\n  - {id: nursery-1, kind: childcare_centre, places: 50}\n",
        );
        let because = &named.derived.first().unwrap().because;
        assert!(
            because.zh.contains("设施 nursery-1(托育机构、托育点)")
                && !because.zh.contains("facilities"),
            "{}",
            because.zh
        );
    }

    #[test]
    fn a_policy_topic_or_project_kind_derives_it_too() {
        let policy = load(
            "yimi: 1\nproject: {id: P, name: 政策, kind: policy, jurisdiction: CN/JL}\npolicy: {topics: [medical_pricing, childcare]}\n",
        );
        assert_eq!(
            policy.derived.first().unwrap().from.to_string(),
            "policy.topics[1]"
        );
        assert!(
            policy
                .derived
                .first()
                .unwrap()
                .because
                .zh
                .contains("政策涉及的事项为“托育服务”"),
            "{:?}",
            policy.derived.first().unwrap().because
        );
        let school =
            load("yimi: 1\nproject: {id: P, name: 学校, kind: school, jurisdiction: CN/JL}\n");
        assert_eq!(
            school.derived.first().unwrap().from.to_string(),
            "project.kind"
        );
        assert_eq!(
            school.derived.first().unwrap().because.en,
            "the file does not state whether the matter concerns children; taken as yes: the kind of project is primary or secondary school, which serves children"
        );
    }

    #[test]
    fn a_childrens_plan_or_a_childcare_or_education_plan_derives_it() {
        let plan = load(
            "yimi: 1\nproject: {id: P, name: 行动计划, kind: plan, jurisdiction: CN/CQ/Yuzhong}\nplan: {level: district, plan_type: children}\n",
        );
        assert_eq!(plan.get(CONCERNS_CHILDREN), Some(&Data::Bool(true)));
        assert_eq!(
            plan.derived.first().unwrap().from.to_string(),
            "plan.plan_type"
        );
        let sector = load(
            "yimi: 1\nproject: {id: P, name: 教育规划, kind: plan, jurisdiction: CN/CQ/Yuzhong}\nplan: {plan_type: sector, sector: education}\n",
        );
        assert_eq!(
            sector.derived.first().unwrap().from.to_string(),
            "plan.sector"
        );
        let other = load(
            "yimi: 1\nproject: {id: P, name: 交通规划, kind: plan, jurisdiction: CN/CQ/Yuzhong}\nplan: {plan_type: sector, sector: transport}\n",
        );
        assert!(other.derived.is_empty());
    }

    #[test]
    fn a_stated_value_or_silence_is_left_alone() {
        let stated = load(
            "yimi: 1\nproject: {id: P, name: 医保, kind: policy, jurisdiction: CN/JL, concerns_children: false}\npolicy: {topics: [medical_pricing]}\n",
        );
        assert_eq!(stated.get(CONCERNS_CHILDREN), Some(&Data::Bool(false)));
        assert!(stated.derived.is_empty());
        assert!(stated.warnings.is_empty());
        let stated_true = load(
            "yimi: 1\nproject: {id: P, name: 学校, kind: school, jurisdiction: CN/JL, concerns_children: true}\n",
        );
        assert_eq!(stated_true.get(CONCERNS_CHILDREN), Some(&Data::Bool(true)));
        assert!(stated_true.derived.is_empty());
        let silent = load(
            "yimi: 1\nproject: {id: P, name: 医保, kind: policy, jurisdiction: CN/JL}\npolicy: {topics: [medical_pricing]}\nfacilities: [{kind: public_toilet}]\n",
        );
        assert_eq!(silent.get(CONCERNS_CHILDREN), None);
        assert!(silent.derived.is_empty());
    }

    /// A file that builds a nursery cannot state itself out of the rules for matters concerning
    /// children (the fresh-clone CI's property test: `concerns_children: false` beside a
    /// childcare centre turned RA-4-1b's failure into "does not apply").
    #[test]
    fn a_stated_false_the_files_values_deny_is_not_believed() {
        let text = "yimi: 1\nproject: {id: P, name: 小区, kind: residential, jurisdiction: CN/JL,\n  concerns_children: false}\nfacilities: [{id: nursery-1, kind: childcare_centre}]\n";
        let project = load(text);
        assert_eq!(project.get(CONCERNS_CHILDREN), Some(&Data::Bool(true)));
        let derived = project.derived.first().expect("derived");
        assert_eq!(derived.from.to_string(), "facilities[0].kind");
        assert!(
            derived.because.zh.contains("项目文件写明不涉及儿童"),
            "{:?}",
            derived.because
        );
        let [warning] = project.warnings.as_slice() else {
            panic!("one warning: {:?}", project.warnings);
        };
        assert_eq!(warning.code, "project::implausible");
        let flagged = text.find("concerns_children: false").expect("in text");
        let label = warning.labels.first().expect("a label");
        assert_eq!(label.span.start, flagged + "concerns_children: ".len());
        assert!(
            warning.message.en.contains("nursery-1"),
            "{:?}",
            warning.message
        );
    }
}
