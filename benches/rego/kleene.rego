# Three-valued (Kleene) logic as yimi evaluates rules: "T", "F" or "U" (unknown: the file does
# not state a value the outcome depends on). Same package as rules.rego.
package yimi.rules

import rego.v1

k_stated(v) if v != null

# v == c, unknown when v is not stated.
k_eq(v, c) := "U" if v == null
k_eq(v, c) := "T" if { v != null; v == c }
k_eq(v, c) := "F" if { v != null; v != c }

k_ge(v, n) := "U" if v == null
k_ge(v, n) := "T" if { v != null; v >= n }
k_ge(v, n) := "F" if { v != null; v < n }

# A date or number v at most w; unknown when either is missing.
k_le(v, w) := "U" if { v == null }
k_le(v, w) := "U" if { v != null; w == null }
k_le(v, w) := "T" if { v != null; w != null; v <= w }
k_le(v, w) := "F" if { v != null; w != null; v > w }

# c in the list xs.
k_member(c, xs) := "U" if xs == null
k_member(c, xs) := "T" if { xs != null; c in xs }
k_member(c, xs) := "F" if { xs != null; not c in xs }

# v one of the constants cs.
k_one_of(v, cs) := "U" if v == null
k_one_of(v, cs) := "T" if { v != null; v in cs }
k_one_of(v, cs) := "F" if { v != null; not v in cs }

k_and(a, b) := "F" if { "F" in {a, b} }
k_and(a, b) := "T" if { a == "T"; b == "T" }
k_and(a, b) := "U" if { not "F" in {a, b}; "U" in {a, b} }

k_or(a, b) := "T" if { "T" in {a, b} }
k_or(a, b) := "F" if { a == "F"; b == "F" }
k_or(a, b) := "U" if { not "T" in {a, b}; "U" in {a, b} }

# any over the truth values of a list's items; an unstated list is unknown.
k_any_of(xs, truths) := "U" if xs == null
k_any_of(xs, truths) := "T" if { xs != null; "T" in truths }
k_any_of(xs, truths) := "F" if { xs != null; not "T" in truths; not "U" in truths }
k_any_of(xs, truths) := "U" if { xs != null; not "T" in truths; "U" in truths }

# The outcome from applies (a), unless (e) and require (r), as yimi's engine decides it.
k_outcome(a, e, r) := "not_applicable" if { a == "F" }
k_outcome(a, e, r) := "not_applicable" if { a != "F"; e == "T" }
k_outcome(a, e, r) := "pass" if { a != "F"; e != "T"; r == "T" }
k_outcome(a, e, r) := "fail" if { a == "T"; e == "F"; r == "F" }
k_outcome(a, e, r) := "insufficient_evidence" if {
	a != "F"
	e != "T"
	r != "T"
	not k_all_decided_fail(a, e, r)
}

k_all_decided_fail(a, e, r) if { a == "T"; e == "F"; r == "F" }
