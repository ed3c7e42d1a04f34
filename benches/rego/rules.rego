# Twelve of yimi's built-in rules in Rego, for the comparison in scripts/bench.sh and
# tests/gen.rs (the comparison runs only where `regorus` is installed). Each gives the same outcome as
# yimi: pass, fail, not_applicable or insufficient_evidence (three-valued logic, kleene.rego).
# Input: a project file as JSON. Query: data.yimi.rules.outcomes
package yimi.rules

import rego.v1

g(path) := object.get(input, path, null)

kind := g(["project", "kind"])

facilities := g(["facilities"])

evidence := g(["evidence"])

any_facility(kinds) := k_any_of(facilities, [k_one_of(object.get(f, "kind", null), kinds) | some f in object.get(input, "facilities", [])])

any_evidence(kinds) := k_any_of(evidence, [k_one_of(object.get(e, "kind", null), kinds) | some e in object.get(input, "evidence", [])])

# SH-068a: parks of 3000 m² or more have a children's play area (not protective green).
sh_068a := k_outcome(
	k_and(k_eq(kind, "park"), k_ge(g(["site", "area_m2"]), 3000)),
	k_eq(g(["park", "category"]), "protective_green"),
	any_facility(["play_area"]),
)

# YZ-018a: an ordinary school with 5 or more disabled students has a special-education teacher.
yz_018a := k_outcome(
	k_and(k_eq(kind, "school"), k_ge(g(["school", "disabled_students"]), 5)),
	k_and(present(g(["school", "levels"])), k_member("special", g(["school", "levels"]))),
	k_ge(g(["school", "special_ed_teachers"]), 1),
)

present(v) := "T" if v != null
present(v) := "F" if v == null

# JL-002a: a major project is assessed before the decision.
jl_002a := k_outcome(
	k_eq(g(["project", "major"]), true),
	"F",
	k_any_of(evidence, [k_and(
		k_eq(object.get(e, "kind", null), "child_impact_assessment"),
		k_le(object.get(e, "date", null), g(["project", "decision_date"])),
	) |
		some e in object.get(input, "evidence", [])
	]),
)

# JL-002c: a development plan addresses children's needs.
jl_002c := k_outcome(
	k_and(k_eq(kind, "plan"), k_eq(g(["plan", "plan_type"]), "development")),
	"F",
	k_or(k_member("children_needs", g(["plan", "contents"])), k_member("child_friendly_chapter", g(["plan", "contents"]))),
)

# JL-003a: spatial and detailed plans have a child-friendly chapter or children's spaces (not a
# partial amendment of a detailed plan that touches no residential or children's land).
jl_003a := k_outcome(
	k_and(k_eq(kind, "plan"), k_one_of(g(["plan", "plan_type"]), ["spatial", "detailed"])),
	k_and(k_eq(g(["plan", "plan_type"]), "detailed"), k_eq(g(["plan", "amendment_scope"]), "partial_other")),
	k_or(k_member("child_friendly_chapter", g(["plan", "contents"])), k_member("children_spaces", g(["plan", "contents"]))),
)

# JL-009a: a public library has a children's reading room.
jl_009a := k_outcome(
	k_and(k_eq(kind, "public_venue"), k_eq(g(["venue", "type"]), "library")),
	k_eq(g(["venue", "ownership"]), "private"),
	any_facility(["children_reading_room"]),
)

# JL-013: schools and kindergartens have a school traffic plan.
jl_013 := k_outcome(k_one_of(kind, ["school", "kindergarten"]), "F", any_evidence(["school_traffic_plan"]))

# JL-016d: parks have a play area (not protective green).
jl_016d := k_outcome(
	k_eq(kind, "park"),
	k_eq(g(["park", "category"]), "protective_green"),
	any_facility(["play_area"]),
)

# JL-017a: public places have a mother-and-baby room.
jl_017a := k_outcome(
	k_one_of(kind, ["transport_hub", "commercial", "hospital", "public_venue", "sports_venue", "scenic_area"]),
	"F",
	any_facility(["mother_baby_room"]),
)

# JL-019d: public buildings, parks and scenic areas have child-friendly signage.
jl_019d := k_outcome(
	k_one_of(kind, ["public_venue", "sports_venue", "transport_hub", "hospital", "health_centre", "community_centre", "commercial", "park", "scenic_area"]),
	"F",
	k_eq(g(["building", "child_friendly_signage"]), true),
)

# JL-019f: streets (not expressways) have continuous sidewalks.
jl_019f := k_outcome(
	k_eq(kind, "street"),
	k_eq(g(["street", "road_class"]), "expressway"),
	k_member("continuous_sidewalk", g(["street", "features"])),
)

# JL-023a: emergency shelters stock supplies for children.
jl_023a := k_outcome(k_eq(kind, "emergency_shelter"), "F", any_evidence(["child_emergency_supplies"]))

outcomes := {
	"SH-068a": sh_068a,
	"YZ-018a": yz_018a,
	"JL-002a": jl_002a,
	"JL-002c": jl_002c,
	"JL-003a": jl_003a,
	"JL-009a": jl_009a,
	"JL-013": jl_013,
	"JL-016d": jl_016d,
	"JL-017a": jl_017a,
	"JL-019d": jl_019d,
	"JL-019f": jl_019f,
	"JL-023a": jl_023a,
}
