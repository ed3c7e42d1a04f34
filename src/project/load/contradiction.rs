//! Statements of one record that contradict each other where believing the flag would hide a
//! finding (hostile review 14 H3, 15 X6 and X10).
//!
//! What cannot be true together is a located error, `project::contradiction`, exit 2: a
//! provision marked `unchanged: true` whose `value` differs from its `previous_value` (RA-045
//! leaves "unchanged" provisions out, so a cut called unchanged passed), and an existing facility
//! marked `on_site: true` and `same_community: false`. Which of the two statements is true only
//! the author knows, and either reading could hide a cut.
//!
//! A flag that the distance or speed stated beside it makes implausible is not refused (a far
//! walk may be a typing slip in the distance as well as in the flag, and a large site is real)
//! but not believed: a located warning, `project::implausible`, and the flag is read as not
//! stated ([`Project::forget`]), so the rules that read it are undecided rather than passed on
//! it. `same_community: true` 25 km away made JL-005a count a centre no child of the district
//! walks to; `road_class: pedestrian` with a 60 km/h limit exempted a school gate from SH-061.

use super::{Data, Project};
use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::{Text, code};
use crate::project::types::{RecordTy, Ty};
use crate::project::units;
use crate::project::yaml::YamlPath;
use crate::tr;

/// The error's code.
pub const CONTRADICTION: &str = "project::contradiction";

/// The warning's code: a flag not believed.
pub const IMPLAUSIBLE: &str = "project::implausible";

/// The farthest walk to a facility still believed to be `same_community: true`. An urban
/// community (社区, a residents' committee) is about a kilometre across, and the 15-minute
/// community life circle reaches 800 to 1 000 m; a rural one (行政村, a village committee after
/// the mergers) can span several kilometres. 5 km, over an hour's walk for a child, is past
/// nearly any community, and a facility that far does not serve the project's children whatever
/// the boundaries: the rules that read the flag (JL-005a's places, YZ-014d's sports area) count
/// a facility as the community's own. Generous on purpose: a flag wrongly disbelieved leaves a
/// rule undecided, which the author must answer.
pub const SAME_COMMUNITY_MAX_M: f64 = 5000.0;

/// The farthest walk still believed to be `on_site: true` when the file states no site area:
/// the largest campuses and city parks (a few km² to about 7 km²) are walked across within it.
pub const ON_SITE_MAX_M: f64 = 5000.0;

/// Beyond the site's own reach, a walk to a room on it may take this much more: paths around
/// buildings and water, a site that is long rather than square, and a stated area that is only
/// the plot of the works on a larger campus. No walk within it is disbelieved (the bound before
/// the site's area was read, under which the rule tests' rooms 120 m across a campus are).
pub const ON_SITE_MARGIN_M: f64 = 1000.0;

/// The highest speed limit a way no motor vehicle uses (`road_class: pedestrian`) may state:
/// walking pace, with room for a footpath's posted "slow" limit for cycles (5 to 10 km/h). A
/// higher limit is a limit for motor traffic.
pub const WALKING_PACE_KMH: f64 = 10.0;

/// The farthest walk believed to be `on_site: true` on a site of `area_m2` square metres: twice
/// the diagonal of a square of that area (a walk there and round, or a site twice as long as it
/// is wide), and [`ON_SITE_MARGIN_M`] more. A 150 ha park reaches 4.5 km.
pub fn on_site_reach(area_m2: f64) -> f64 {
    2.0 * (2.0 * area_m2.max(0.0)).sqrt() + ON_SITE_MARGIN_M
}

/// A flag the file states but that is not believed: where it is and what to say.
struct Implausible {
    path: YamlPath,
    message: Text,
    help: Text,
}

/// The contradictions in `project`, one error each. When there are none, each implausible flag
/// gets a warning and is read as not stated.
pub fn check(project: &mut Project) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut implausible = Vec::new();
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
    let site_area = match (
        project.get(&["site", "area_m2"]),
        super::type_at(&["site", "area_m2"]),
    ) {
        (Some(Data::Num(base)), Some(Ty::Number(number))) => {
            Some(base / number.unit.map_or(1.0, |unit| unit.scale))
        }
        _ => None,
    };
    if let Some((items, ty)) = records(project, &["surroundings", "existing_facilities"]) {
        for (index, slots) in items {
            let at = |key: &str| {
                YamlPath::root()
                    .key("surroundings")
                    .key("existing_facilities")
                    .index(index)
                    .key(key)
            };
            let on_site = field(slots, ty, "on_site") == Some(&Data::Bool(true));
            let same_community = field(slots, ty, "same_community");
            let distance = written(slots, ty, "walking_distance_m");
            if on_site && same_community == Some(&Data::Bool(false)) {
                errors.push(error(
                    project,
                    &at("on_site"),
                    tr!(
                        "`on_site: true`,但 `same_community: false`:设施不能既在本场地又在其他社区",
                        "`on_site: true`, but `same_community: false`: a facility is not on the site and in another community"
                    ),
                    tr!(
                        "设施在本场地(校园、园区)内的,删去 `same_community: false`;在别处的,删去 `on_site: true`",
                        "if the facility is on the site (the campus, the park), remove `same_community: false`; if it is elsewhere, remove `on_site: true`"
                    ),
                ));
                continue;
            }
            let Some(metres) = distance else { continue };
            let shown = units::format_number(metres);
            if same_community == Some(&Data::Bool(true)) && metres > SAME_COMMUNITY_MAX_M {
                let bound = units::format_number(SAME_COMMUNITY_MAX_M);
                implausible.push(Implausible {
                    path: at("same_community"),
                    message: tr!(
                        "`same_community: true`,但 `walking_distance_m` 为 {shown} 米:没有哪个社区跨越这么远(按不超过 {bound} 米采信),不予采信",
                        "`same_community: true`, but `walking_distance_m` is {shown} m: no community spans that far (it is believed up to {bound} m), so it is not believed"
                    ),
                    help: tr!(
                        "设施确在本社区的,更正步行距离;不在的,删去 `same_community: true`。在此之前,读取这一项的规则按未注明处理",
                        "if the facility is in the community, correct the walking distance; if it is not, remove `same_community: true`. Until then, the rules that read it take it as not stated"
                    ),
                });
            }
            if on_site {
                let (reach, message) = match site_area {
                    Some(area) => {
                        let reach = on_site_reach(area);
                        let (area, bound) = (
                            units::format_number(area),
                            units::format_number(reach.round()),
                        );
                        (
                            reach,
                            tr!(
                                "`on_site: true`,但 `walking_distance_m` 为 {shown} 米,超出 `site.area_m2` 所注 {area} 平方米的场地所及(按不超过 {bound} 米采信),不予采信",
                                "`on_site: true`, but `walking_distance_m` is {shown} m, farther than a site of {area} m² (`site.area_m2`) reaches (it is believed up to {bound} m), so it is not believed"
                            ),
                        )
                    }
                    None => {
                        let bound = units::format_number(ON_SITE_MAX_M);
                        (
                            ON_SITE_MAX_M,
                            tr!(
                                "`on_site: true`,但 `walking_distance_m` 为 {shown} 米,超出一处场地所及(未注明 `site.area_m2` 时按不超过 {bound} 米采信),不予采信",
                                "`on_site: true`, but `walking_distance_m` is {shown} m, farther than a site reaches (without `site.area_m2` it is believed up to {bound} m), so it is not believed"
                            ),
                        )
                    }
                };
                if metres > reach {
                    implausible.push(Implausible {
                        path: at("on_site"),
                        message,
                        help: tr!(
                            "设施在本场地内的,更正步行距离或注明 `site.area_m2`;在别处的,删去 `on_site: true`。在此之前,读取这一项的规则按未注明处理",
                            "if the facility is on the site, correct the walking distance or state `site.area_m2`; if it is elsewhere, remove `on_site: true`. Until then, the rules that read it take it as not stated"
                        ),
                    });
                }
            }
        }
    }
    if let Some((items, ty)) = records(project, &["surroundings", "school_gates"]) {
        for (index, slots) in items {
            let pedestrian = match (field(slots, ty, "road_class"), ty.field("road_class")) {
                (Some(Data::Enum(variant)), Some((_, road_class))) => match &road_class.ty {
                    Ty::Enum(enumeration) => enumeration
                        .variants
                        .get(*variant)
                        .is_some_and(|v| v.name == "pedestrian"),
                    _ => false,
                },
                _ => false,
            };
            let Some(speed) = written(slots, ty, "speed_limit_kmh") else {
                continue;
            };
            if !pedestrian || speed <= WALKING_PACE_KMH {
                continue;
            }
            let (speed, bound) = (
                units::format_number(speed),
                units::format_number(WALKING_PACE_KMH),
            );
            implausible.push(Implausible {
                path: YamlPath::root()
                    .key("surroundings")
                    .key("school_gates")
                    .index(index)
                    .key("road_class"),
                message: tr!(
                    "`road_class: pedestrian`(无机动车通行),但 `speed_limit_kmh` 为 {speed}:高于步行速度(按不超过 {bound} km/h 采信),不按步行道采信",
                    "`road_class: pedestrian` (no motor vehicles), but `speed_limit_kmh` is {speed}, above walking pace (it is believed up to {bound} km/h), so the way is not believed to be pedestrian"
                ),
                help: tr!(
                    "有机动车通行的,写明道路等级(如 `local`、`branch`);没有的,删去 `speed_limit_kmh`(只限非机动车的限速不是道路的限速)。在此之前,读取道路等级的规则按未注明处理",
                    "if motor vehicles use the road, write its class (such as `local` or `branch`); if none do, remove `speed_limit_kmh` (a limit for cycles only is not the road's). Until then, the rules that read the class take it as not stated"
                ),
            });
        }
    }
    if errors.is_empty() {
        for flag in implausible {
            let span = project
                .tree
                .at(&flag.path)
                .map_or(0..0, |node| node.span.clone());
            project.warnings.push(
                Diagnostic::warning(
                    IMPLAUSIBLE,
                    &project.file,
                    span,
                    flag.message,
                    tr!("不予采信,按未注明处理", "not believed: read as not stated"),
                )
                .with_help(flag.help),
            );
            project.forget(&flag.path);
        }
    }
    errors
}

fn error(project: &Project, path: &YamlPath, message: Text, help: Text) -> Diagnostic {
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
pub(crate) type Item<'a> = (usize, &'a [Option<Data>]);

/// The items of the list at `names` with their record type, when stated.
pub(crate) fn records<'a>(
    project: &'a Project,
    names: &[&str],
) -> Option<(Vec<Item<'a>>, &'static RecordTy)> {
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

/// A number of the record in the unit its field is written in (values are kept in base units:
/// a speed in metres a second).
fn written(slots: &[Option<Data>], ty: &RecordTy, name: &str) -> Option<f64> {
    let (index, field) = ty.field(name)?;
    let (Some(Some(Data::Num(base))), Ty::Number(number)) = (slots.get(index), &field.ty) else {
        return None;
    };
    Some(base / number.unit.map_or(1.0, |unit| unit.scale))
}

fn field<'a>(slots: &'a [Option<Data>], ty: &RecordTy, name: &str) -> Option<&'a Data> {
    let (index, _) = ty.field(name)?;
    slots.get(index)?.as_ref()
}
