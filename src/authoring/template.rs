//! `yimi init`: a commented template project file for each kind of project.
//!
//! Values are left empty (YAML null): an empty value is *not stated*, so until the applicant fills
//! it in, rules report it as missing evidence instead of computing with a made-up zero. Comments
//! come from the model's own field docs (`#= path` markers below), so they never drift from it.

use crate::base::i18n::Lang;
use crate::project::yaml::YamlPath;
use crate::report::field_doc;

const HEADER: &str = "\
# yaml-language-server: $schema=project.schema.json
# {schema}
# {title}
# {advice}
yimi: 1                      #= yimi
project:                     #= project
  id: {id}                   #= project.id
  name:                      #= project.name
  kind: {kind}               #= project.kind
  stage: planning            #= project.stage
  jurisdiction:              #= project.jurisdiction
  major:                     #= project.major
  concerns_children:         #= project.concerns_children
  new_build:                 #= project.new_build
  decision_date:             #= project.decision_date
  applicant:                 #= project.applicant
  named_places:              #= project.named_places
";

const SITE: &str = "\
site:                        #= site
  area_m2:                   #= site.area_m2
  green_area_m2:             #= site.green_area_m2
";

const POPULATION: &str = "\
population:                  #= population
  residents:                 #= population.residents
  households:                #= population.households
  children:                  #= population.children
    age_0_3:                 #= population.children.age_0_3
    age_3_6:                 #= population.children.age_3_6
    age_6_12:                #= population.children.age_6_12
    age_12_18:               #= population.children.age_12_18
";

const PROCEDURE: &str = "\
participation:               #= participation
#   - date:                  #= participation.date
#     method: workshop       #= participation.method
#     children:              #= participation.children
#     guardians:             #= participation.guardians
#     stage:                 #= participation.stage
#     response_published:    #= participation.response_published
evidence:                    #= evidence
#   - kind: child_impact_assessment  #= evidence.kind
#     title: 儿童影响评价报告          #= evidence.title
#     date:                          #= evidence.date
# waivers:                   #= waivers
#   - rule: SH-068a
#     reason: 场地为防汛通道,不具备设置条件
#     approved_by: 区规划资源局
#     expires: 2026-12-31
";

/// The kinds `yimi init --kind` knows, with the blocks their template adds.
pub fn kinds() -> Vec<&'static str> {
    let Some((_, field)) = crate::project::types::project_type().field("project") else {
        return Vec::new();
    };
    let crate::project::types::Ty::Record(project) = &field.ty else {
        return Vec::new();
    };
    let Some((_, kind)) = project.field("kind") else {
        return Vec::new();
    };
    match &kind.ty {
        crate::project::types::Ty::Enum(enumeration) => enumeration
            .variants
            .iter()
            .map(|variant| variant.name.as_str())
            .collect(),
        _ => Vec::new(),
    }
}

fn specific(kind: &str) -> &'static str {
    match kind {
        "urban_renewal" => {
            "\
renewal:                     #= renewal
  kind:                      #= renewal.kind
street:                      #= street
  features:                  #= street.features
facilities:                  #= facilities
  - id: play-1               #= facilities.id
    kind: play_area          #= facilities.kind
    area_m2:                 #= facilities.area_m2
    age_groups: [\"3-6\", \"6-12\"]  #= facilities.age_groups
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
surroundings:                #= surroundings
  existing_facilities:       #= surroundings.existing_facilities
"
        }
        "residential" => {
            "\
facilities:                  #= facilities
  - id: nursery-1            #= facilities.id
    kind: childcare_centre   #= facilities.kind
    places:                  #= facilities.places
    floor_area_m2:           #= facilities.floor_area_m2
    walking_distance_m:      #= facilities.walking_distance_m
    delivered_with_housing:  #= facilities.delivered_with_housing
    delivery_date:           #= facilities.delivery_date
  - id: play-1
    kind: play_area
    area_m2:
    age_groups: [\"3-6\", \"6-12\"]  #= facilities.age_groups
    features:                #= facilities.features
    includes:                #= facilities.includes
surroundings:                #= surroundings
  existing_facilities:       #= surroundings.existing_facilities
"
        }
        "school" | "kindergarten" | "childcare" => {
            "\
school:                      #= school
  levels:                    #= school.levels
  students:                  #= school.students
  nursery_classes:           #= school.nursery_classes
  psych_counselling_room:    #= school.psych_counselling_room
  disabled_students:         #= school.disabled_students
  special_ed_teachers:       #= school.special_ed_teachers
  mental_health_teachers:    #= school.mental_health_teachers
  sports_grounds_open:       #= school.sports_grounds_open
facilities:                  #= facilities
  - kind: resource_room      #= facilities.kind
  - kind: counselling_room
surroundings:                #= surroundings
  school_gates:              #= surroundings.school_gates
    - road:                  #= surroundings.school_gates.road
      road_class: branch     #= surroundings.school_gates.road_class
      speed_limit_kmh:       #= surroundings.school_gates.speed_limit_kmh
      traffic_calming:       #= surroundings.school_gates.traffic_calming
      crosswalk_within_50m:  #= surroundings.school_gates.crosswalk_within_50m
      continuous_sidewalk:   #= surroundings.school_gates.continuous_sidewalk
building:                    #= building
  barrier_free:              #= building.barrier_free
  cctv_covers_children_areas: #= building.cctv_covers_children_areas
"
        }
        "hospital" | "health_centre" => {
            "\
hospital:                    #= hospital
  paediatric_beds:           #= hospital.paediatric_beds
  paediatricians:            #= hospital.paediatricians
  child_health_doctors:      #= hospital.child_health_doctors
  child_friendly_environment: #= hospital.child_friendly_environment
building:                    #= building
  floor_area_m2:             #= building.floor_area_m2
  daily_visitors:            #= building.daily_visitors
  barrier_free:              #= building.barrier_free
  child_friendly_signage:    #= building.child_friendly_signage
facilities:                  #= facilities
  - kind: mother_baby_room   #= facilities.kind
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
"
        }
        "park" => {
            "\
park:                        #= park
  category:                  #= park.category
building:                    #= building
  child_friendly_signage:    #= building.child_friendly_signage
facilities:                  #= facilities
  - kind: play_area          #= facilities.kind
    area_m2:                 #= facilities.area_m2
    age_groups: [\"3-6\"]      #= facilities.age_groups
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
"
        }
        "scenic_area" => {
            "\
venue:                       #= venue
  type:                      #= venue.type
  ownership:                 #= venue.ownership
  child_admission:           #= venue.child_admission
building:                    #= building
  floor_area_m2:             #= building.floor_area_m2
  daily_visitors:            #= building.daily_visitors
  child_friendly_signage:    #= building.child_friendly_signage
facilities:                  #= facilities
  - kind: play_area          #= facilities.kind
    area_m2:                 #= facilities.area_m2
    age_groups: [\"3-6\"]      #= facilities.age_groups
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
"
        }
        "plan" => {
            "\
plan:                        #= plan
  level:                     #= plan.level
  plan_type:                 #= plan.plan_type
  amendment_scope:           #= plan.amendment_scope
  lead_department:           #= plan.lead_department
  sector:                    #= plan.sector
  start_year:                #= plan.start_year
  horizon_year:              #= plan.horizon_year
  land_reservations:         #= plan.land_reservations
  contents:                  #= plan.contents
targets:                     #= targets
#   - indicator: childcare_places_per_1000  #= targets.indicator
#     value: 4.5             #= targets.value
#     year: 2026             #= targets.year
"
        }
        "policy" => {
            "\
policy:                      #= policy
  topics:                    #= policy.topics
  provisions:                #= policy.provisions
#   - kind: allowance_children_in_difficulty  #= policy.provisions.kind
#     value:                 #= policy.provisions.value
#     previous_value:        #= policy.provisions.previous_value
#     reference_value:       #= policy.provisions.reference_value
#     items:                 #= policy.provisions.items
#     conditions:            #= policy.provisions.conditions
"
        }
        "street" => {
            "\
street:                      #= street
  road_class:                #= street.road_class
  features:                  #= street.features
facilities:                  #= facilities
  - kind: play_area          #= facilities.kind
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
"
        }
        "welfare_institution" => {
            "\
welfare:                     #= welfare
  type:                      #= welfare.type
building:                    #= building
  floor_area_m2:             #= building.floor_area_m2
  barrier_free:              #= building.barrier_free
  child_friendly_signage:    #= building.child_friendly_signage
facilities:                  #= facilities
  - kind: mother_baby_room   #= facilities.kind
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
"
        }
        "community_centre" => {
            "\
building:                    #= building
  floor_area_m2:             #= building.floor_area_m2
  barrier_free:              #= building.barrier_free
  child_friendly_signage:    #= building.child_friendly_signage
facilities:                  #= facilities
  - kind: mother_baby_room   #= facilities.kind
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
surroundings:                #= surroundings
  existing_facilities:       #= surroundings.existing_facilities
"
        }
        _ => {
            "\
building:                    #= building
  floor_area_m2:             #= building.floor_area_m2
  daily_visitors:            #= building.daily_visitors
  barrier_free:              #= building.barrier_free
  child_friendly_signage:    #= building.child_friendly_signage
  cctv_covers_children_areas: #= building.cctv_covers_children_areas
facilities:                  #= facilities
  - kind: mother_baby_room   #= facilities.kind
    features:                #= facilities.features
    includes:                #= facilities.includes
  - kind: family_toilet
  - kind: public_toilet
    includes:
    child_toilet_stalls:     #= facilities.child_toilet_stalls
    child_washbasins:        #= facilities.child_washbasins
"
        }
    }
}

/// The venue keys, which rules read for cultural and sports venues only (admission, opening
/// hours, a library's children's room): a shopping centre or a hospital is not asked them.
const VENUE: &str = "\
venue:                       #= venue
  type:                      #= venue.type
  ownership:                 #= venue.ownership
  child_admission:           #= venue.child_admission
  extended_hours:            #= venue.extended_hours
";

/// Appended to the facilities of an industrial park: a workplace is asked whether it provides
/// childcare for its staff (Shanghai §19), which `audience` decides.
const EMPLOYER_CHILDCARE: &str = "  - kind: childcare_centre
    audience: employees      #= facilities.audience
    places:
";

/// The template for `kind`, with comments in `lang`; `None` for an unknown kind.
pub fn template(kind: &str, lang: Lang) -> Option<String> {
    if !kinds().contains(&kind) {
        return None;
    }
    let with_population = matches!(kind, "residential" | "urban_renewal" | "plan" | "policy");
    let mut text = HEADER.to_owned();
    if kind == "residential" {
        // The project keys of a single kind: when its housing is handed over, and whether its
        // planning conditions require a kindergarten.
        text = text.replace(
            "  decision_date:",
            "  housing_delivery_date:     #= project.housing_delivery_date\n  kindergarten_required:     #= project.kindergarten_required\n  decision_date:",
        );
    }
    if kind != "plan" && kind != "policy" {
        text.push_str(SITE);
    }
    if with_population {
        text.push_str(POPULATION);
    }
    let venue = if matches!(kind, "public_venue" | "sports_venue") {
        VENUE
    } else {
        ""
    };
    let facilities = if kind == "industrial_park" {
        format!("{venue}{}{EMPLOYER_CHILDCARE}", specific(kind))
    } else {
        format!("{venue}{}", specific(kind))
    };
    let mut block = example_entries_as_comments(&facilities);
    if kind != "plan" && kind != "policy" {
        block = with_gates_and_hazards(&block);
    }
    text.push_str(&block);
    text.push_str(PROCEDURE);
    let (title, advice) = match lang {
        Lang::Zh => (
            "yimi 项目文件模板 —— 填写已知的值;不知道的留空(留空表示“未提供”,不是零)。",
            "检查:yimi check 本文件;字段说明:yimi schema 或 examples/README.md",
        ),
        Lang::En => (
            "yimi project file template — fill in what you know; leave the rest empty (empty means \"not stated\", not zero).",
            "check it with: yimi check <this file>; fields are described by: yimi schema, examples/README.md",
        ),
    };
    let schema = match lang {
        Lang::Zh => "编辑器补全与校验:先运行 `yimi schema -o project.schema.json`",
        Lang::En => {
            "for completion and checking in editors, first run `yimi schema -o project.schema.json`"
        }
    };
    let text = text
        .replace("{schema}", schema)
        .replace("{title}", title)
        .replace("{advice}", advice)
        .replace("{kind}", kind)
        .replace("{id}", "XX-2026-0001");
    Some(
        text.lines()
            .map(|line| comment(line, lang))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n",
    )
}

/// The keys a project file writes, null values included, as dotted paths without list indexes
/// (`facilities.places`), found by walking its YAML along the model's types.
pub fn keys_written(text: &str) -> std::collections::BTreeSet<String> {
    use crate::project::types::{RecordTy, Ty};
    let mut found = std::collections::BTreeSet::new();
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return found;
    };
    // An explicit stack of (value, its record type, its path): templates are shallow, but the
    // walk does not recurse whatever it is given.
    let mut stack: Vec<(&serde_yaml::Value, &RecordTy, String)> =
        vec![(&value, crate::project::types::project_type(), String::new())];
    while let Some((value, record, prefix)) = stack.pop() {
        let Some(mapping) = value.as_mapping() else {
            continue;
        };
        for (key, value) in mapping {
            let Some((_, field)) = key.as_str().and_then(|key| record.field(key)) else {
                continue;
            };
            let path = if prefix.is_empty() {
                field.name.clone()
            } else {
                format!("{prefix}.{}", field.name)
            };
            match (&field.ty, value) {
                (Ty::Record(inner), value) => stack.push((value, inner, path.clone())),
                (Ty::List(item), serde_yaml::Value::Sequence(items)) => {
                    if let Ty::Record(inner) = item.as_ref() {
                        stack.extend(
                            items
                                .iter()
                                .map(|item| (item, inner.as_ref(), path.clone())),
                        );
                    }
                }
                _ => {}
            }
            found.insert(path);
        }
    }
    found
}

/// Whether the project's surroundings have school gates and hazards is a fact every built project
/// states: left blank, the rules on gates and hazards are undecided (silence is not "none"), so
/// the template lists both keys for the applicant to fill in, or to state `[]`.
fn with_gates_and_hazards(block: &str) -> String {
    let missing: String = [
        (
            "school_gates:",
            "  school_gates:              #= surroundings.school_gates\n",
        ),
        (
            "hazards:",
            "  hazards:                   #= surroundings.hazards\n",
        ),
    ]
    .iter()
    .filter(|(key, _)| !block.lines().any(|line| line.trim_start().starts_with(key)))
    .map(|(_, line)| *line)
    .collect();
    if missing.is_empty() {
        return block.to_owned();
    }
    let heading = "surroundings:                #= surroundings\n";
    match block.find(heading) {
        Some(at) => {
            let (before, after) = block.split_at(at + heading.len());
            format!("{before}{missing}{after}")
        }
        None => format!("{block}{heading}{missing}"),
    }
}

/// The block with each list entry (`- kind: play_area` and the lines under it) commented out:
/// a list in the file states what there is and nothing else, so an example entry would state
/// facilities, gates or hazards the project may not have. The keys stay visible, with their
/// docs, for the applicant to uncomment.
fn example_entries_as_comments(block: &str) -> String {
    let mut out = String::new();
    let mut entry_indent: Option<usize> = None;
    for line in block.lines() {
        let indent = line.len() - line.trim_start().len();
        if entry_indent.is_some_and(|at| indent <= at) && !line.trim_start().starts_with("- ") {
            entry_indent = None;
        }
        if line.trim_start().starts_with("- ") {
            entry_indent = Some(entry_indent.map_or(indent, |at| at.min(indent)));
        }
        if entry_indent.is_some() {
            out.push('#');
            out.push_str(line.get(1..).unwrap_or_default());
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Replaces a `#= path` marker with the field's doc in `lang`; for a key that takes one of a
/// model's enum values, the values follow on comment lines under it, each with its meaning, so
/// an official filling in the template need not guess them from did-you-mean one at a time.
fn comment(line: &str, lang: Lang) -> String {
    let Some((content, path)) = line.split_once("#= ") else {
        return line.to_owned();
    };
    let mut yaml_path = YamlPath::root();
    for key in path.trim().split('.') {
        yaml_path = yaml_path.key(key);
    }
    let doc =
        field_doc(&yaml_path).map_or_else(|| format!("?{path}"), |doc| doc.get(lang).to_owned());
    let mut out = format!("{}# {doc}", pad(content));
    if let Some(values) = enum_values(path.trim(), lang) {
        // At the key's column, as a comment of its own: uncommenting an example entry (taking
        // its leading `#` away) leaves these lines comments.
        let key_at = content.len() - content.trim_start_matches(['#', ' ', '-']).len();
        let lead: String = content
            .chars()
            .take(key_at)
            .map(|c| if c == '-' { ' ' } else { c })
            .collect();
        for values_line in values {
            out.push('\n');
            out.push_str(&lead);
            out.push_str("# ");
            out.push_str(&values_line);
        }
    }
    out
}

/// How many values a comment lists; a longer enum (the facility kinds) is pointed at the field
/// reference instead, which gives them all.
const LISTED_VALUES: usize = 24;
/// The display width a line of listed values wraps at.
const VALUES_WIDTH: usize = 96;

/// The values of the enum the dotted `path` takes (or a list of), `value(meaning)` in `lang`,
/// wrapped into lines; `None` when the key does not take an enum.
fn enum_values(path: &str, lang: Lang) -> Option<Vec<String>> {
    use crate::project::types::{Ty, project_type};
    // The kind is what the template was made for (`yimi init --kind`): another kind is another
    // template, not another value here.
    if path == "project.kind" {
        return None;
    }
    let mut record = project_type().as_ref();
    let mut ty = None;
    for key in path.split('.') {
        let (_, field) = record.field(key)?;
        let mut inner = &field.ty;
        while let Ty::List(item) = inner {
            inner = item;
        }
        if let Ty::Record(nested) = inner {
            record = nested;
        }
        ty = Some(inner);
    }
    let Some(Ty::Enum(enumeration)) = ty else {
        return None;
    };
    let count = enumeration.variants.len();
    if count > LISTED_VALUES {
        return Some(vec![match lang {
            Lang::Zh => {
                format!("可选值共 {count} 个,见 examples/README.md 的字段说明或 yimi schema")
            }
            Lang::En => format!(
                "{count} values: see the field reference in examples/README.md, or yimi schema"
            ),
        }]);
    }
    let (lead, separator) = match lang {
        Lang::Zh => ("可选:", "、"),
        Lang::En => ("values: ", ", "),
    };
    let mut lines = vec![lead.to_owned()];
    for (position, variant) in enumeration.variants.iter().enumerate() {
        // The whole meaning, not its first words: `partial_residential` and `partial_other`
        // both begin 局部调整, and what follows is the choice.
        let meaning = &variant.doc;
        let item = match lang {
            Lang::Zh => format!("{}({})", variant.name, meaning.zh),
            Lang::En => format!("{} ({})", variant.name, meaning.en),
        };
        let item = if position + 1 < count {
            format!("{item}{separator}")
        } else {
            item
        };
        let width = |text: &str| unicode_width::UnicodeWidthStr::width(text);
        match lines.last_mut() {
            Some(last) if width(last) + width(&item) <= VALUES_WIDTH || last.as_str() == lead => {
                last.push_str(&item);
            }
            _ => lines.push(format!("  {item}")),
        }
    }
    Some(
        lines
            .into_iter()
            .map(|line| line.trim_end().to_owned())
            .collect(),
    )
}

fn pad(content: &str) -> String {
    let width = unicode_width::UnicodeWidthStr::width(content.trim_end());
    format!(
        "{}{}",
        content.trim_end(),
        " ".repeat(34usize.saturating_sub(width).max(1))
    )
}

#[cfg(test)]
mod tests {
    use super::template;
    use crate::base::i18n::Lang;

    /// The line of `key` and the three after it, where its values are listed.
    fn under<'t>(text: &'t str, key: &str) -> Vec<&'t str> {
        text.lines()
            .skip_while(|line| !line.trim_start().starts_with(key))
            .take(4)
            .collect()
    }

    /// A key taking one of the model's values lists them with their meanings, so an official
    /// writes `partial_other` rather than guessing from 局部调整 (newcomer review 9 F16); a long
    /// list (the facility kinds) is pointed at the field reference.
    #[test]
    fn enum_keys_list_their_values_with_their_meanings() {
        let zh = template("plan", Lang::Zh).expect("a plan template");
        let scope = under(&zh, "amendment_scope:").join("\n");
        for value in [
            "whole(整体编制或修编)",
            "partial_residential(局部调整,涉及居住用地或儿童服务设施用地)",
            "partial_other(局部调整,不涉及居住用地和儿童服务设施用地)",
        ] {
            assert!(scope.contains(value), "{value} in\n{scope}");
        }
        assert!(
            under(&zh, "contents:")
                .join("\n")
                .contains("child_friendly_chapter("),
            "{zh}"
        );
        assert!(
            under(&zh, "level:").join("\n").contains("district(区县级)"),
            "{zh}"
        );
        let en = template("plan", Lang::En).expect("a plan template");
        let scope = under(&en, "amendment_scope:").join("\n");
        for value in [
            "values: whole (The whole plan, drawn up or revised),",
            "partial_other (A partial amendment that changes neither residential land nor land for children's facilities)",
        ] {
            assert!(scope.contains(value), "{value} in\n{scope}");
        }
        let park = template("park", Lang::Zh).expect("a park template");
        assert!(
            park.contains("可选值共") && park.contains("examples/README.md 的字段说明"),
            "{park}"
        );
        // Listed values wrap (the model's docs themselves are one comment each).
        for line in scope.lines().skip(1) {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 120,
                "a line of values stays readable: {line}"
            );
        }
    }
}
