//! Statements of one record that contradict each other where believing the flag would hide a
//! finding (hostile review 14 H3): a provision marked `unchanged: true` whose `value` differs
//! from its `previous_value` (RA-045 leaves "unchanged" provisions out, so a cut called
//! unchanged passed), and an existing facility marked `on_site: true` that the same record puts
//! in another community or beyond any campus (SH-040a and YZ-018b take `on_site` as the school
//! having the room). Each is a located error, not a warning read past: which of the two
//! statements is true only the author knows, and either reading the other way could hide a cut.

use super::{Data, Project};
use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::code;
use crate::project::types::{RecordTy, Ty};
use crate::project::units;
use crate::project::yaml::YamlPath;
use crate::tr;

/// The error's code.
pub const CONTRADICTION: &str = "project::contradiction";

/// The farthest walk that is still on one site (a campus, a park): a room `on_site` at a
/// stated walking distance beyond it is somewhere else. Rooms across a campus (120 m in the
/// rule tests) are on site.
const ON_SITE_MAX_M: f64 = 1000.0;

/// The contradictions in `project`, one error each.
pub fn check(project: &Project) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if let Some((items, ty)) = records(project, &["policy", "provisions"]) {
        for (index, slots) in items {
            let (Some(Data::Bool(true)), Some(Data::Num(value)), Some(Data::Num(previous))) = (
                field(slots, ty, "unchanged"),
                field(slots, ty, "value"),
                field(slots, ty, "previous_value"),
            ) else {
                continue;
            };
            if value == previous {
                continue;
            }
            let path = YamlPath::root()
                .key("policy")
                .key("provisions")
                .index(index)
                .key("unchanged");
            let value = units::format_number(*value);
            let previous = units::format_number(*previous);
            errors.push(error(
                project,
                &path,
                tr!(
                    "`unchanged: true`,但 `value` {value} 与 `previous_value` {previous} 不同",
                    "`unchanged: true`, but `value` {value} differs from `previous_value` {previous}"
                ),
                tr!(
                    "本政策调整了此项的,删去 `unchanged: true`;确未调整的,更正 `value` 或 `previous_value`",
                    "if this policy changes the value, remove `unchanged: true`; if it does not, correct `value` or `previous_value`"
                ),
            ));
        }
    }
    if let Some((items, ty)) = records(project, &["surroundings", "existing_facilities"]) {
        for (index, slots) in items {
            if field(slots, ty, "on_site") != Some(&Data::Bool(true)) {
                continue;
            }
            let (message, help) = match (
                field(slots, ty, "same_community"),
                field(slots, ty, "walking_distance_m"),
            ) {
                (Some(Data::Bool(false)), _) => (
                    tr!(
                        "`on_site: true`,但 `same_community: false`:设施不能既在本场地又在其他社区",
                        "`on_site: true`, but `same_community: false`: a facility is not on the site and in another community"
                    ),
                    tr!(
                        "设施在本场地(校园、园区)内的,删去 `same_community: false`;在别处的,删去 `on_site: true`",
                        "if the facility is on the site (the campus, the park), remove `same_community: false`; if it is elsewhere, remove `on_site: true`"
                    ),
                ),
                (_, Some(Data::Num(distance))) if *distance > ON_SITE_MAX_M => {
                    let distance = units::format_number(*distance);
                    (
                        tr!(
                            "`on_site: true`,但 `walking_distance_m` 为 {distance} 米,超出一处场地的范围",
                            "`on_site: true`, but `walking_distance_m` is {distance} m, farther than any site reaches"
                        ),
                        tr!(
                            "设施在别处的,删去 `on_site: true`;在本场地内的,更正步行距离",
                            "if the facility is elsewhere, remove `on_site: true`; if it is on the site, correct the walking distance"
                        ),
                    )
                }
                _ => continue,
            };
            let path = YamlPath::root()
                .key("surroundings")
                .key("existing_facilities")
                .index(index)
                .key("on_site");
            errors.push(error(project, &path, message, help));
        }
    }
    errors
}

fn error(
    project: &Project,
    path: &YamlPath,
    message: crate::base::i18n::Text,
    help: crate::base::i18n::Text,
) -> Diagnostic {
    let span = project.tree.at(path).map_or(0..0, |node| node.span.clone());
    let shown = code(&path.to_string());
    Diagnostic::error(
        CONTRADICTION,
        &project.file,
        span,
        message,
        tr!(
            "与同一条目的 {shown} 矛盾",
            "contradicted by the same item ({shown})"
        ),
    )
    .with_help(help)
}

/// A list item's place in its list and its fields.
type Item<'a> = (usize, &'a [Option<Data>]);

/// The items of the list at `names` with their record type, when stated.
fn records<'a>(project: &'a Project, names: &[&str]) -> Option<(Vec<Item<'a>>, &'static RecordTy)> {
    let Data::List(items) = project.get(names)? else {
        return None;
    };
    let Ty::List(item) = super::type_at(names)? else {
        return None;
    };
    let Ty::Record(item) = item.as_ref() else {
        return None;
    };
    let slots = items
        .iter()
        .enumerate()
        .filter_map(|(index, data)| match data {
            Data::Record(slots) => Some((index, slots.as_slice())),
            _ => None,
        })
        .collect();
    Some((slots, item.as_ref()))
}

fn field<'a>(slots: &'a [Option<Data>], ty: &RecordTy, name: &str) -> Option<&'a Data> {
    let (index, _) = ty.field(name)?;
    slots.get(index)?.as_ref()
}
