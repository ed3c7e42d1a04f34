use super::Tri::{self, False, True, Unknown};
use super::*;

const ALL: [Tri; 3] = [True, False, Unknown];

#[test]
fn kleene_truth_tables() {
    // and
    assert_eq!(
        [True.and(True), True.and(False), True.and(Unknown)],
        [True, False, Unknown]
    );
    assert_eq!(
        [False.and(True), False.and(False), False.and(Unknown)],
        [False, False, False]
    );
    assert_eq!(
        [Unknown.and(True), Unknown.and(False), Unknown.and(Unknown)],
        [Unknown, False, Unknown]
    );
    // or
    assert_eq!(
        [True.or(True), True.or(False), True.or(Unknown)],
        [True, True, True]
    );
    assert_eq!(
        [False.or(True), False.or(False), False.or(Unknown)],
        [True, False, Unknown]
    );
    assert_eq!(
        [Unknown.or(True), Unknown.or(False), Unknown.or(Unknown)],
        [True, Unknown, Unknown]
    );
    // not
    assert_eq!(
        [True.not(), False.not(), Unknown.not()],
        [False, True, Unknown]
    );
}

#[test]
fn kleene_laws_hold() {
    for a in ALL {
        for b in ALL {
            assert_eq!(a.and(b), b.and(a));
            assert_eq!(a.or(b), b.or(a));
            assert_eq!(a.and(b).not(), a.not().or(b.not()), "De Morgan for and");
            assert_eq!(a.or(b).not(), a.not().and(b.not()), "De Morgan for or");
            for c in ALL {
                assert_eq!(a.and(b.and(c)), a.and(b).and(c));
                assert_eq!(a.or(b.or(c)), a.or(b).or(c));
            }
        }
        assert_eq!(a.not().not(), a);
    }
}

#[test]
fn intervals_decide_when_every_value_agrees() {
    let unknown_count = (0.0, f64::INFINITY);
    assert_eq!(
        compare_intervals(CompareOp::Ge, (80.0, f64::INFINITY), (54.0, 54.0)),
        True
    );
    assert_eq!(
        compare_intervals(CompareOp::Ge, unknown_count, (54.0, 54.0)),
        Unknown
    );
    assert_eq!(
        compare_intervals(CompareOp::Ge, unknown_count, (0.0, 0.0)),
        True
    );
    assert_eq!(
        compare_intervals(CompareOp::Lt, unknown_count, (0.0, 0.0)),
        False
    );
    assert_eq!(
        compare_intervals(CompareOp::Eq, (3.0, 3.0), (3.0, 3.0)),
        True
    );
    assert_eq!(
        compare_intervals(CompareOp::Eq, (3.0, 3.0), (4.0, 9.0)),
        False
    );
    assert_eq!(
        compare_intervals(CompareOp::Ne, (3.0, 5.0), (4.0, 4.0)),
        Unknown
    );
    assert_eq!(
        compare_intervals(
            CompareOp::Gt,
            (54.000000000001, 54.000000000001),
            (54.0, 54.0)
        ),
        False
    );
    assert_eq!(
        compare_intervals(CompareOp::Ge, unknown_count, (3000.0, 3000.0)),
        Unknown,
        "an infinite bound must not widen the tolerance"
    );
    assert_eq!(
        compare_intervals(CompareOp::Lt, (f64::NEG_INFINITY, 10.0), (20.0, 20.0)),
        True
    );
}

#[test]
fn ceil_ignores_floating_point_noise() {
    let needed = 4.5 * 0.001 * 12_000.0;
    assert_eq!(snap(needed).ceil(), 54.0);
    assert_eq!(snap(54.2).ceil(), 55.0);
}

/// Two long lists of paths (an aggregate's unknown elements on each side of a comparison) merge
/// in time linear in their length: each path of one was compared with every path of the other,
/// 10^10 comparisons at this size (minutes even in a release build).
#[test]
fn long_lists_of_paths_merge_without_repeats_in_linear_time() {
    const N: usize = 100_000;
    let root = Some(Rc::new(PathNode {
        parent: None,
        step: Step::Key("facilities"),
    }));
    let element = |index: usize| {
        Rc::new(PathNode {
            parent: Some(child(&root, Step::Index(index))),
            step: Step::Key("places"),
        })
    };
    let left: Paths<'_> = (0..N).map(element).collect();
    // The second half of `right` repeats the first of `left`, as new nodes.
    let right: Vec<PathRef<'_>> = (N..N + N / 2).chain(0..N / 2).map(element).collect();
    let merged = merge(left, &right);
    assert_eq!(merged.len(), N + N / 2);
    let shown: Vec<String> = [0, N - 1, N, N + N / 2 - 1]
        .iter()
        .map(|&at| to_yaml_path(&merged[at]).to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "facilities[0].places",
            "facilities[99999].places",
            "facilities[100000].places",
            "facilities[149999].places"
        ]
    );
    // Few paths are looked for one by one, with the same result.
    let few = merge(
        smallvec::smallvec![element(1), element(2)],
        &[element(2), element(3)],
    );
    let few: Vec<String> = few.iter().map(|p| to_yaml_path(p).to_string()).collect();
    assert_eq!(
        few,
        [
            "facilities[1].places",
            "facilities[2].places",
            "facilities[3].places"
        ]
    );
}

#[test]
fn age_ranges_written_as_people_write_them_are_read_as_spans() {
    let read = [
        ("3-6", Some((3.0, 6.0))),
        ("3-6岁", Some((3.0, 6.0))),
        ("0~3", Some((0.0, 3.0))),
        ("0～3岁", Some((0.0, 3.0))),
        ("6至12岁", Some((6.0, 12.0))),
        ("6到12周岁", Some((6.0, 12.0))),
        ("3 - 12", Some((3.0, 12.0))),
        ("12岁以上", Some((12.0, 18.0))),
        ("3岁以下", Some((0.0, 3.0))),
        ("全年龄", Some((0.0, 18.0))),
        // Not ranges: a single age, words, backwards, past childhood, or trailing text.
        ("6岁", None),
        ("儿童", None),
        ("6-3", None),
        ("12-60", None),
        ("3-6岁儿童", None),
        ("", None),
    ];
    for (text, span) in read {
        assert_eq!(age_span(text), span, "{text}");
    }
}

#[test]
fn age_bands_count_spans_not_strings() {
    let list = |texts: &[&'static str]| {
        Val::constant(V::List(Rc::new(
            texts
                .iter()
                .map(|text| Elem {
                    val: Val::constant(V::Text(text)),
                    member: True,
                    member_missing: Paths::new(),
                })
                .collect(),
        )))
    };
    let bands = |texts: &[&'static str]| -> Vec<(&'static str, Tri)> {
        match age_bands(list(texts)).v {
            V::List(items) => items
                .iter()
                .map(|item| match item.val.v {
                    V::Text(name) => (name, item.member),
                    _ => ("?", item.member),
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    assert_eq!(bands(&["3-12"]), [("3-6", True), ("6-12", True)]);
    assert_eq!(bands(&["3-6", "3-6岁"]), [("3-6", True), ("3-6", True)]);
    // Unreadable text may be any band: possible, never certain.
    assert_eq!(
        bands(&["儿童"]),
        [
            ("0-3", Unknown),
            ("3-6", Unknown),
            ("6-12", Unknown),
            ("12-18", Unknown)
        ]
    );
}

/// Every truth [`Env::decided`] gives without paths is the one [`Env::eval`] gives, and counts
/// the same list elements against the step budget, for every condition of every built-in rule
/// and each of their parts (aggregate bodies read with whatever their variable was last bound
/// to, as both do), on the generator's files and the rules' test fixtures; and where it gives
/// none, it leaves the count as it found it. Aggregates, `in` a list of the file's and
/// arithmetic are among the truths it gives, so that the cheap way is the one taken.
#[test]
fn a_truth_had_without_paths_is_the_one_evaluation_gives_at_the_same_cost() {
    let set = crate::rules::load::load(&crate::rules::load::RuleOptions::default())
        .expect("the built-in packs load")
        .set;
    let params: Vec<f64> = set.params.iter().map(|param| param.value).collect();
    let mut texts: Vec<(String, String)> = (0..120)
        .map(|index| {
            let file = crate::project::generate::generate(1, index, 1);
            (file.name, file.text)
        })
        .collect();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/tests");
    let mut pending = vec![fixtures];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("rules/tests is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "yaml") {
                let text = std::fs::read_to_string(&path).expect("a fixture");
                texts.push((path.display().to_string(), text));
            }
        }
    }
    let (mut given, mut aggregates, mut membership, mut arithmetic) = (0, 0, 0, 0);
    for (name, text) in &texts {
        let Ok(project) = crate::project::load_bytes(
            name,
            text.as_bytes(),
            crate::project::LoadLimits::default(),
        ) else {
            continue;
        };
        let mut env = Env::new(&project, &set, &params);
        for rule in &set.rules {
            let Check::Criterion(criterion) = &*rule.check else {
                continue;
            };
            env.reset(criterion.slots);
            for (slot, expr) in &criterion.lets {
                let value = env.eval(expr);
                env.bind(*slot, value);
            }
            let conditions = criterion
                .applies
                .iter()
                .chain(&criterion.unless)
                .chain(&criterion.require);
            for condition in conditions {
                let mut all = Vec::new();
                parts(condition, &mut all);
                for part in all {
                    let mark = env.steps_mark();
                    let truth = env.decided(part);
                    let after_decided = env.steps;
                    env.restore_steps(mark);
                    let evaluated = env.eval(part).tri();
                    let after_eval = env.steps;
                    match truth {
                        Some(truth) => {
                            assert_eq!(truth, evaluated, "{} in {name}: {part:?}", rule.id);
                            assert_eq!(after_decided, after_eval, "{} in {name}", rule.id);
                            given += 1;
                            let mut inner = Vec::new();
                            parts(part, &mut inner);
                            let has = |kind: fn(&Expr) -> bool| {
                                usize::from(inner.iter().any(|e| kind(e)))
                            };
                            aggregates += has(|e| matches!(e, Expr::Aggregate { .. }));
                            membership += has(
                                |e| matches!(e, Expr::In { list, .. } if !matches!(**list, Expr::List(_))),
                            );
                            arithmetic += has(|e| matches!(e, Expr::Arith(..)));
                        }
                        None => assert_eq!(after_decided, mark.steps, "{} in {name}", rule.id),
                    }
                    env.restore_steps(mark);
                }
            }
        }
    }
    assert!(
        given > 1000 && aggregates > 100 && membership > 10 && arithmetic > 10,
        "{given} truths, {aggregates} with aggregates, {membership} `in` a list of the file's, {arithmetic} with arithmetic"
    );
}

/// `expr` and every expression inside it, outer first.
fn parts<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    out.push(expr);
    match expr {
        Expr::Const(_) | Expr::Root | Expr::Var(_) | Expr::Param(_) => {}
        Expr::Field { base: inner, .. }
        | Expr::Not(inner)
        | Expr::Neg(inner)
        | Expr::Present(inner) => parts(inner, out),
        Expr::And(left, right)
        | Expr::Or(left, right)
        | Expr::Compare(_, left, right)
        | Expr::Arith(_, left, right) => {
            parts(left, out);
            parts(right, out);
        }
        Expr::In { value, list, .. } => {
            parts(value, out);
            parts(list, out);
        }
        Expr::List(items) | Expr::Call(_, items) => {
            for item in items {
                parts(item, out);
            }
        }
        Expr::Aggregate { list, body, .. } => {
            parts(list, out);
            if let Some(body) = body {
                parts(body, out);
            }
        }
    }
}

/// The path cache (`PathCache`) finds a node again only for the same parent node and an equal
/// step: a key of the step alone would give every element's `kind` the first element's path, and
/// more paths than the cache has slots share slots, each still given its own path.
#[test]
fn the_path_cache_gives_each_parent_and_step_its_own_node() {
    let mut cache = PathCache::new();
    let list = cache.child(&None, Step::Key("facilities"));
    assert!(
        Rc::ptr_eq(&list, &cache.child(&None, Step::Key("facilities"))),
        "the same path read twice is one node"
    );
    let parent = Some(Rc::clone(&list));
    // Ten times the slots, twice over: the second pass finds some nodes again and makes the
    // others anew, and every one names its own element.
    for pass in 0..2 {
        for index in 0..10 * CACHED_PATHS {
            let element = cache.child(&parent, Step::Index(index));
            let kind = cache.child(&Some(Rc::clone(&element)), Step::Key("kind"));
            assert_eq!(
                to_yaml_path(&kind).to_string(),
                format!("facilities[{index}].kind"),
                "pass {pass}"
            );
        }
    }
    assert!(cache.nodes.len() <= CACHED_PATHS);
    // A parent equal to a kept one but another node (made without the cache): never confused
    // with it, and the path is still right.
    let lookalike = Some(child(&None, Step::Key("facilities")));
    let first = cache.child(&lookalike, Step::Index(0));
    assert!(!Rc::ptr_eq(first.parent.as_ref().unwrap(), &list));
    assert_eq!(to_yaml_path(&first).to_string(), "facilities[0]");
    // The same step under the root and under a field: two paths.
    let top = cache.child(&None, Step::Key("kind"));
    let under = cache.child(&parent, Step::Key("kind"));
    assert!(!Rc::ptr_eq(&top, &under));
    assert_eq!(to_yaml_path(&top).to_string(), "kind");
    assert_eq!(to_yaml_path(&under).to_string(), "facilities.kind");
}

/// `dedup_paths` gives the paths without repeats in first-seen order whether it compares the
/// few one by one or hashes the many, repeats being other nodes of the same path.
#[test]
fn paths_are_deduplicated_in_first_seen_order_few_or_many() {
    let root = Some(child(&None, Step::Key("facilities")));
    let element = |index: usize| child(&Some(child(&root, Step::Index(index))), Step::Key("kind"));
    for count in [1, 2, SCANNED_PATHS, SCANNED_PATHS + 1, 3 * SCANNED_PATHS] {
        // Each index twice, the repeat a node of its own, and then the first node again.
        let mut paths: Vec<PathRef<'_>> = Vec::new();
        for index in 0..count {
            paths.push(element(count - 1 - index));
            paths.push(element(count - 1 - index));
        }
        paths.push(Rc::clone(&paths[0]));
        let kept: Vec<String> = dedup_paths(paths)
            .iter()
            .map(|path| to_yaml_path(path).to_string())
            .collect();
        let expected: Vec<String> = (0..count)
            .rev()
            .map(|index| format!("facilities[{index}].kind"))
            .collect();
        assert_eq!(kept, expected, "{count} paths");
    }
}
