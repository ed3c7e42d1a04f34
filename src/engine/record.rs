//! The compliance record: for each rule result, the values that decided it — what was required
//! (with its unit and how it was computed from the project and the parameters) and what the
//! file states (with the YAML path it was read from).
//!
//! The record is made after a rule's outcome is known, by walking its conditions again and
//! following only the operands that decided them: the false side of a failed `and`, the failing
//! elements of an `all`, the element that satisfied an `any`, down to the comparisons at the
//! leaves. Most rules do not apply to a given project, and for those only the `applies` (or
//! `unless`) condition that excluded the project is walked, which gives the reason a clause does
//! not apply. The walk evaluates sub-expressions again rather than making every evaluation keep
//! what it compared: evaluation stays as cheap as before for the many values nobody reads. Its
//! environment notes the truth value of each condition it evaluates (`Env::noting`), so asking
//! next for the part that decided one costs a lookup, not the part's evaluation again.
//!
//! Architecture invariant: recording never changes an outcome; it only reads the environment
//! the rule was evaluated in, and it is bounded (at most [`MAX_COMPARISONS`] per result, at most
//! [`MAX_ELEMENTS`] elements per list, at most [`MAX_DEPTH`] levels, as deep as rule expressions).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use crate::base::i18n::{Lang, Text};
use crate::engine::eval::{Env, StepBudget, Tri, V, Val, to_yaml_path};
use crate::project::Project;
use crate::project::types::{Variant, lowercase_first};
use crate::project::units::{self, Unit};
use crate::project::yaml::YamlPath;
use crate::rules::ir::{
    AggregateOp, ArithOp, Check, Citation, CompareOp, Criterion, Expr, Function, Part, RuleSet,
    Template,
};
use crate::rules::outcome::Outcome;

/// At most this many comparisons are recorded for one result.
pub const MAX_COMPARISONS: usize = 6;
/// At most this many elements of one list are explained.
pub const MAX_ELEMENTS: usize = 3;
/// The deepest expression walked (rule expressions are refused beyond 64 levels).
pub const MAX_DEPTH: usize = 80;

/// One comparison that decided a result.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// What was compared, as a person names it: 托位数合计, 项目类型.
    pub subject: Text,
    /// What is required: `≥ 54 个`, `住宅`, `是`.
    pub required: Text,
    /// How the required value was computed, when it was: `⌈4.5 个托位/千人 × 常住人口 12000 人⌉`.
    pub basis: Option<Text>,
    /// What the file states: `40 个`, or 未提供 when it does not.
    pub stated: Text,
    /// The unit of the stated value, when it is a quantity.
    pub unit: Option<Text>,
    /// Where the stated value is (or belongs) in the file.
    pub path: Option<YamlPath>,
    /// Whether this comparison holds.
    pub holds: Tri,
    /// Why the clause does not apply when this comparison excluded the project, where the
    /// general sentence (`{subject}为 {stated},本条适用于 {required}`) would not read:
    /// 「点名项目所在的片区或地点(named_places)为 …,其中没有一项含「步道」…」.
    pub excludes: Option<Text>,
    /// The parameters the required value was computed from (indexes into [`RuleSet::params`]),
    /// so that a refined one can be named beside it.
    pub params: Vec<usize>,
    /// Which other way to meet the rule this comparison is part of: 0 for a requirement (or the
    /// first way), n for the n-th other way (the right side of an `or` neither side of which
    /// decided). The comparisons of one way hold together: 「②或:不注明是否与住宅同步交付,且
    /// 交付使用日期 ≤ 住宅交付日期」 is one way, two comparisons. Back-ends word it.
    pub alternative: usize,
    /// Whether the requirement is that the subject be stated (`Some(true)`: a `present(…)`, a
    /// list the rule looks into) or not be (`Some(false)`); `required` is then a whole phrase
    /// that names the subject (须有在案的证明材料, 须注明校门及其临近道路), not a value it is
    /// compared with.
    pub presence: Option<bool>,
}

/// What decided the outcome of the rule at `rule` on `project`, computed on demand: the rule is
/// evaluated again in a fresh environment (`params` are the parameter values of the packs that
/// applied) and walked, with the step budget it was assessed with. Reports that show the record
/// call this (or [`record`], for the refined parameters too); checking itself never does, so a
/// run that prints only findings pays nothing for the record.
pub fn recompute(
    set: &RuleSet,
    project: &Project,
    params: &[f64],
    budget: StepBudget,
    rule: usize,
    outcome: Outcome,
) -> Vec<Comparison> {
    let Some(Check::Criterion(criterion)) = set.rules.get(rule).map(|rule| &*rule.check) else {
        return Vec::new();
    };
    let mut env = Env::new(project, set, params).with_budget(budget);
    let applies = prepared_env(&mut env, criterion, outcome, false);
    self::criterion(&mut env, criterion, outcome, applies)
}

/// An environment for `criterion` as the assessment evaluated it: its `let`s bound, and whether
/// it applies, as far as the walk of a result with `outcome` reads it (`covered`: the refined
/// parameters' walk of a rule's `applies`, [`covering`], reads it whatever the outcome).
fn prepared_env<'a>(
    env: &mut Env<'a>,
    criterion: &'a Criterion,
    outcome: Outcome,
    covered: bool,
) -> Tri {
    env.reset(criterion.slots);
    // The walk asks for the truth of a condition, then of the part that decided it: noted by
    // the first evaluation, not computed again at each level of the condition.
    env.noting(true);
    // A rule that does not apply and has no `unless` is walked in its `applies` alone (see
    // below), which reads only some of its lets, if any; the assessment did not evaluate the
    // others either.
    let applies_alone =
        !covered && outcome == Outcome::NotApplicable && criterion.unless.is_empty();
    let read = applies_alone
        .then(|| crate::engine::eval::lets_read(&criterion.lets, criterion.applies.as_ref()));
    for (at, (slot, expr)) in criterion.lets.iter().enumerate() {
        if read
            .as_ref()
            .is_none_or(|read| read.get(at).copied().unwrap_or(false))
        {
            let value = env.eval(expr);
            env.bind(*slot, value);
        }
    }
    // Only a rule that does not apply and has an `unless` needs `applies` evaluated to know
    // which excluded it; without an `unless` the assessment found it false (a rule is not
    // applicable when it does not apply or an exception holds), and a rule that applies walks
    // its requirements, not its `applies`. Most rules do not apply, and evaluating each one's
    // `applies` before walking it evaluated it twice.
    match &criterion.applies {
        Some(expr)
            if covered || (outcome == Outcome::NotApplicable && !criterion.unless.is_empty()) =>
        {
            env.eval(expr).tri()
        }
        Some(_) if outcome == Outcome::NotApplicable => Tri::False,
        _ => Tri::True,
    }
}

/// A rule result's record: what decided it ([`recompute`]) and the refined parameters it was
/// decided with ([`refined`]), from one evaluation of the rule.
#[derive(Debug, Default)]
pub struct Record {
    /// The comparisons that decided it.
    pub compared: Vec<Comparison>,
    /// The parameters it was decided with that a more local pack refined.
    pub refined: Vec<Refined>,
}

/// [`recompute`] and, when `refining` (some selected pack refines a parameter:
/// [`any_refinement`]), [`refined`] of the rule at `rule`, evaluating the rule once for both.
#[allow(clippy::too_many_arguments)]
pub fn record(
    set: &RuleSet,
    project: &Project,
    packs: &[usize],
    params: &[f64],
    budget: StepBudget,
    rule: usize,
    outcome: Outcome,
    refining: bool,
) -> Record {
    let mut env = Env::new(project, set, params).with_budget(budget);
    record_in(&mut env, set, packs, rule, outcome, refining)
}

/// [`record`] in `env`, an environment of the project made as [`record`] makes it
/// (`Env::new(project, set, params).with_budget(budget)`) and kept from rule to rule of one
/// file: each rule's walk starts afresh in it ([`Env::reset`]), and the paths of the values
/// the file's rules read are made once for them all, not once a rule.
pub fn record_in<'a>(
    env: &mut Env<'a>,
    set: &'a RuleSet,
    packs: &[usize],
    rule: usize,
    outcome: Outcome,
    refining: bool,
) -> Record {
    let Some(Check::Criterion(criterion)) = set.rules.get(rule).map(|rule| &*rule.check) else {
        return Record::default();
    };
    let in_effect = if refining {
        params_in_effect(set, packs, criterion)
    } else {
        Vec::new()
    };
    let applies = prepared_env(env, criterion, outcome, !in_effect.is_empty());
    let compared = self::criterion(env, criterion, outcome, applies);
    let refined = if in_effect.is_empty() {
        Vec::new()
    } else {
        let covering = covering(env, criterion, outcome, applies);
        refined_from(set, in_effect, outcome, covering.iter().chain(&compared))
    };
    Record { compared, refined }
}

/// Why rules do not apply to one project, found once for the rules that share a reason.
///
/// Most rules of a project's packs do not apply to it, and most of those for a reason other
/// rules share: `project.kind == school` (or the first condition of `project.kind == school and
/// …`) is false for a residential project, once for each rule about schools. The record of such
/// a rule ([`record`] of a result that is not applicable) walks its `applies` down through its
/// `and`s and `or`s to the conditions that decided it and records each. Here that walk is made
/// with the truth values of those conditions, each condition evaluated and recorded once per
/// project: [`Reasons::of`] names the conditions a rule's record walks to (a reason, shared by
/// every rule whose walk reaches the same conditions the same way), [`Reasons::compared`] gives
/// the reason's comparisons, what [`record`] gives each of those rules.
///
/// A condition is shared when it is one comparison (`==`, `in`, `present`, a flag) that reads
/// neither a `let` (bound differently by each rule) nor a list through `any`, `all` and the
/// like (which count against the rule's step budget); two conditions are the same when they are
/// written the same (`shape`). A rule whose walk reaches any other condition, or that has an
/// `unless` that excluded the project, is left to [`record`], as is every rule when a selected
/// pack refines a parameter.
pub struct Reasons<'a> {
    set: &'a RuleSet,
    project: &'a Project,
    params: &'a [f64],
    env: Env<'a>,
    /// The run whose files share the shapes of conditions ([`Reasons::in_run`]), if any.
    run: Option<u64>,
    /// The conditions met so far, by their shape: an index into `conditions`. A shape holds the
    /// rule author's texts and numbers, so the map's hasher is the standard one, keyed at random
    /// (a pack written to collide in a fixed hash made the report quadratic in its rules).
    known: HashMap<Box<[u64]>, usize>,
    /// In a run: the conditions met so far, by the number the run gave their shape
    /// ([`SHAPES`]); `known` is not used then.
    /// A list indexed by the number (dense: the run numbers shapes from 0 up, as many as its
    /// rule set's conditions written differently), not a map to hash it in.
    numbered: Vec<Option<usize>>,
    /// The conditions looked at so far, by their address (each is looked at for its truth
    /// value and again when walked): what `known` gave, `None` for one not shared.
    seen: HashMap<usize, Option<usize>, BuildHasherDefault<ByAddress>>,
    /// Each condition (the first of its shape met) with its truth value on the project and its
    /// comparison once worded: the run's ([`Shapes::worded`]) when another file of the run met
    /// it reading the same values, else the file's own.
    conditions: Vec<(&'a Expr, Rc<Worded>)>,
    /// The reasons of more than one condition found so far, by their walk: an index into
    /// `walks` (the standard hasher, as for `known`: a walk's key is made of conditions'
    /// indexes in the author's order).
    reasons: HashMap<Box<[u64]>, usize>,
    /// Each reason's walk: the conditions recorded, in order, each with the other way to meet
    /// the rule it is part of (see [`Comparison::alternative`]) before the ways are numbered.
    walks: Vec<Vec<(usize, usize)>>,
    /// The reasons that are one condition, by the condition's index (most are: the kind of
    /// project a rule is about), found without writing and hashing a key.
    single: Vec<Option<usize>>,
    /// The walk of the rule last asked about, its buffer kept for the next.
    walked: Vec<(usize, usize)>,
    scratch: Vec<u64>,
}

impl<'a> Reasons<'a> {
    /// No reason found yet, for `project` checked with the packs whose parameter values are
    /// `params`, with the step budget it was assessed with.
    pub fn new(
        set: &'a RuleSet,
        project: &'a Project,
        params: &'a [f64],
        budget: StepBudget,
    ) -> Self {
        Reasons {
            set,
            project,
            params,
            env: Env::new(project, set, params).with_budget(budget),
            run: None,
            numbered: Vec::new(),
            // Sized for a file of the built-in packs (about 55 conditions looked at, 25 shapes,
            // 20 reasons, 4 or 5 of more than one condition): growing each map from empty
            // rehashed it five times a file. `known` is sized when first used: a run's files
            // do not use it.
            known: HashMap::new(),
            seen: HashMap::with_capacity_and_hasher(128, BuildHasherDefault::default()),
            conditions: Vec::with_capacity(64),
            reasons: HashMap::with_capacity(8),
            walks: Vec::with_capacity(32),
            single: Vec::with_capacity(64),
            walked: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// These reasons for a file of the run numbered `run` ([`next_run`]), whose files are
    /// checked against the same rule set for as long as the run lasts: which conditions are
    /// shared, and which are written the same, is found once a run (on each thread), not once
    /// a file (writing each condition's shape and hashing it was about 90 000 instructions a
    /// file of the built-in packs).
    pub fn in_run(mut self, run: u64) -> Self {
        self.run = Some(run);
        self.numbered.reserve(128);
        self
    }

    /// The reason the rule at `rule`, which does not apply to the project (and for which no
    /// selected pack refines a parameter), does not: an index for [`Reasons::compared`].
    /// `None` when its record is not made of shared conditions.
    pub fn of(&mut self, rule: usize) -> Option<usize> {
        let set = self.set;
        let Some(Check::Criterion(criterion)) = set.rules.get(rule).map(|rule| &*rule.check) else {
            return None;
        };
        let applies = criterion.applies.as_ref()?;
        // With an `unless`, the record walks `applies` when it does not hold, else the
        // exception that held.
        if !criterion.unless.is_empty() && self.truth(applies, 0)? != Tri::False {
            return None;
        }
        let mut walk = std::mem::take(&mut self.walked);
        walk.clear();
        let mut ways = 0;
        let walked = self.walk(applies, 0, &mut walk, &mut ways);
        if walked.is_none() {
            self.walked = walk;
            return None;
        }
        // Most reasons are one condition (`project.kind == school`): found by its index.
        if let [(condition, 0)] = *walk.as_slice() {
            let reason = match self.single.get(condition).copied().flatten() {
                Some(reason) => reason,
                None => {
                    let reason = self.walks.len();
                    self.walks.push(walk.clone());
                    if self.single.len() <= condition {
                        self.single.resize(condition + 1, None);
                    }
                    if let Some(slot) = self.single.get_mut(condition) {
                        *slot = Some(reason);
                    }
                    reason
                }
            };
            self.walked = walk;
            return Some(reason);
        }
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        key.extend(
            walk.iter()
                .map(|&(condition, way)| ((condition as u64) << 32) | way as u64),
        );
        let reason = match self.reasons.get(key.as_slice()) {
            Some(&reason) => reason,
            None => {
                let reason = self.walks.len();
                self.walks.push(walk.clone());
                self.reasons.insert(key.as_slice().into(), reason);
                reason
            }
        };
        self.scratch = key;
        self.walked = walk;
        Some(reason)
    }

    /// The comparisons of the reason at `reason` ([`Reasons::of`]): the record of each rule it
    /// was found for. Each condition is worded once (a file's reasons, and in a run the files
    /// whose condition read the same values, share its words).
    pub fn compared(&mut self, reason: usize) -> Vec<Rc<Comparison>> {
        let Some(walk) = self.walks.get(reason) else {
            return Vec::new();
        };
        let mut out: Vec<(&Worded, Rc<Comparison>, usize)> = Vec::with_capacity(walk.len());
        for &(condition, way) in walk {
            let Some((expr, worded)) = self.conditions.get(condition) else {
                continue;
            };
            let comparison = worded.comparison.get_or_init(|| {
                // Worded in the file's environment of shared conditions, reset for it (its
                // paths made once for the file), and left not noting for `evaluated`.
                let env = &mut self.env;
                env.reset(0);
                env.noting(true);
                let mut recorder = Recorder::new(env, &[]);
                recorder.explain(expr, 0);
                let comparison = recorder.out.pop().map(Rc::new);
                env.noting(false);
                comparison
            });
            if let Some(comparison) = comparison {
                out.push((worded, Rc::clone(comparison), way));
            }
        }
        if out.len() >= 2 {
            // The ways numbered as `number_ways` numbers them, on the walk's numbers.
            let (mut next, mut renamed) = (0, Vec::new());
            for (_, _, way) in &mut out {
                if *way == 0 {
                    continue;
                }
                *way = match renamed.iter().find(|(old, _)| old == way) {
                    Some(&(_, new)) => new,
                    None => {
                        next += 1;
                        renamed.push((*way, next));
                        next
                    }
                };
            }
        }
        let out = out.into_iter().map(|(worded, comparison, way)| {
            if comparison.alternative == way {
                comparison
            } else {
                worded.in_way(&comparison, way)
            }
        });
        distinct_shared(out)
    }

    /// Walks `expr` as the record walks a condition that excluded the project
    /// ([`Recorder::explain_within`], neither requiring nor in a way to meet the rule): down
    /// the side of an `and` or `or` that decided it, or both sides when neither did (the right
    /// side of such an `or` another way to meet the rule), to each condition, recorded in
    /// `walk` as the recorder would record it. `None` when a condition on the way is not shared.
    fn walk(
        &mut self,
        expr: &'a Expr,
        depth: usize,
        walk: &mut Vec<(usize, usize)>,
        ways: &mut usize,
    ) -> Option<()> {
        // Each condition is one comparison: the record is full after as many.
        if walk.len() >= MAX_COMPARISONS || depth > MAX_DEPTH {
            return Some(());
        }
        match expr {
            Expr::And(left, right) | Expr::Or(left, right) => {
                let deciding = if matches!(expr, Expr::And(..)) {
                    Tri::False
                } else {
                    Tri::True
                };
                if self.truth(left, depth + 1)? == deciding {
                    self.walk(left, depth + 1, walk, ways)
                } else if self.truth(right, depth + 1)? == deciding {
                    self.walk(right, depth + 1, walk, ways)
                } else {
                    self.walk(left, depth + 1, walk, ways)?;
                    let alternative = walk.len();
                    self.walk(right, depth + 1, walk, ways)?;
                    if matches!(expr, Expr::Or(..)) && alternative > 0 {
                        *ways += 1;
                        for (_, way) in walk.iter_mut().skip(alternative) {
                            if *way == 0 {
                                *way = *ways;
                            }
                        }
                    }
                    Some(())
                }
            }
            _ => {
                let condition = self.condition(expr)?;
                walk.push((condition, 0));
                Some(())
            }
        }
    }

    /// The truth value of `expr` on the project, as the rule's evaluation gives it, when each
    /// condition it joins with `and` and `or` (as far as they are evaluated) is shared.
    fn truth(&mut self, expr: &'a Expr, depth: usize) -> Option<Tri> {
        if depth > MAX_DEPTH {
            return None;
        }
        match expr {
            Expr::And(left, right) | Expr::Or(left, right) => {
                let conjunction = matches!(expr, Expr::And(..));
                let deciding = if conjunction { Tri::False } else { Tri::True };
                let left = self.truth(left, depth + 1)?;
                if left == deciding {
                    return Some(deciding);
                }
                let right = self.truth(right, depth + 1)?;
                Some(if conjunction {
                    left.and(right)
                } else {
                    left.or(right)
                })
            }
            _ => {
                let condition = self.condition(expr)?;
                self.conditions
                    .get(condition)
                    .map(|(_, worded)| worded.truth)
            }
        }
    }

    /// The shared condition `expr`, evaluated when it is met first; `None` when it is not one
    /// to share: more than one comparison, or reading a `let` or a list through an aggregate.
    fn condition(&mut self, expr: &'a Expr) -> Option<usize> {
        let address = std::ptr::from_ref(expr) as usize;
        if let Some(&found) = self.seen.get(&address) {
            return found;
        }
        let found = self.shared(expr);
        self.seen.insert(address, found);
        found
    }

    /// [`Reasons::condition`], looked for by its shape.
    fn shared(&mut self, expr: &'a Expr) -> Option<usize> {
        if let Some(run) = self.run {
            let (project, params) = (self.project, self.params);
            let mut key = std::mem::take(&mut self.scratch);
            // The run's words for this condition, when another file met it reading the same
            // values: the shape's number and every value it reads from the file and the
            // parameters, exactly.
            let looked_up = SHAPES.with(|shapes| {
                let mut shapes = shapes.borrow_mut();
                if shapes.run != run {
                    *shapes = Shapes {
                        run,
                        ..Shapes::default()
                    };
                }
                let shape = shapes.of(expr)?;
                if self.numbered.get(shape).is_some_and(Option::is_some) {
                    return Some((shape, false, None));
                }
                key.clear();
                key.push(shape as u64);
                let kept = values_read(expr, project, params, &mut key, 0);
                let found = if kept {
                    shapes.worded.get(key.as_slice()).cloned()
                } else {
                    None
                };
                Some((shape, kept, found))
            });
            let Some((shape, kept, found)) = looked_up else {
                self.scratch = key;
                return None;
            };
            if let Some(&Some(condition)) = self.numbered.get(shape) {
                self.scratch = key;
                return Some(condition);
            }
            let worded = match found {
                Some(worded) => worded,
                None => {
                    let worded = self.evaluated(expr);
                    if kept {
                        SHAPES.with(|shapes| shapes.borrow_mut().keep(shape, &key, &worded));
                    }
                    worded
                }
            };
            self.scratch = key;
            let condition = self.conditions.len();
            self.conditions.push((expr, worded));
            if self.numbered.len() <= shape {
                self.numbered.resize(shape + 1, None);
            }
            if let Some(slot) = self.numbered.get_mut(shape) {
                *slot = Some(condition);
            }
            return Some(condition);
        }
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        let found = if shareable(expr) && shape(expr, &[], &mut key, 0) {
            if self.known.capacity() == 0 {
                self.known.reserve(64);
            }
            match self.known.get(key.as_slice()) {
                Some(&condition) => Some(condition),
                None => {
                    let worded = self.evaluated(expr);
                    let condition = self.conditions.len();
                    self.conditions.push((expr, worded));
                    self.known.insert(key.as_slice().into(), condition);
                    Some(condition)
                }
            }
        } else {
            None
        };
        self.scratch = key;
        found
    }

    /// The shared condition `expr` evaluated on the project, not yet worded.
    fn evaluated(&mut self, expr: &'a Expr) -> Rc<Worded> {
        self.env.reset(0);
        let truth = self.env.tri(expr);
        Rc::new(Worded {
            truth,
            comparison: std::cell::OnceCell::new(),
            ways: RefCell::new(Vec::new()),
        })
    }
}

/// A shared condition's truth value on a project and, once worded, its comparison: the same
/// for every project of a run whose condition reads the same values ([`values_read`]).
struct Worded {
    truth: Tri,
    comparison: std::cell::OnceCell<Option<Rc<Comparison>>>,
    /// The comparison as another way to meet a rule (see [`Comparison::alternative`]), by the
    /// way's number: made once for the reasons that walk to it so.
    ways: RefCell<Vec<(usize, Rc<Comparison>)>>,
}

impl Worded {
    /// `comparison` (this condition's) as part of the other way numbered `way`.
    fn in_way(&self, comparison: &Comparison, way: usize) -> Rc<Comparison> {
        let mut ways = self.ways.borrow_mut();
        if let Some((_, found)) = ways.iter().find(|(number, _)| *number == way) {
            return Rc::clone(found);
        }
        let mut copy = comparison.clone();
        copy.alternative = way;
        let copy = Rc::new(copy);
        // Bounded: a reason records at most as many ways as comparisons.
        if ways.len() < MAX_COMPARISONS {
            ways.push((way, Rc::clone(&copy)));
        }
        copy
    }
}

/// At most this many worded conditions are kept for a run on a thread ([`Shapes::worded`]):
/// the built-in packs' conditions meet about 600 different values over the generator's first
/// 100 files (about 14 for each condition: the kinds of project), and each kept one is a few
/// hundred bytes.
const MAX_WORDED: usize = 4096;

/// At most this many `u64`s of keys (shape and values read) are kept for a run on a thread
/// ([`Shapes::keep`]): the words of a condition grow with its shape's key (its literal texts and
/// lists), so a run keeps some hundred times this in bytes at most, a few MB. The built-in packs'
/// conditions keep about 13 500 over the generator's first 100 files and 22 000 over 1 000.
const MAX_KEPT_LENGTH: usize = 1 << 16;

/// The longest text a kept condition may read (a name the file states): a longer one is worded
/// for its file alone, so that a run's kept words stay small.
const MAX_KEPT_TEXT: usize = 64;

/// Writes to `out` every value the shared condition `expr` ([`shareable`]) reads, exactly: each
/// parameter's value, and for each field read from the project's root how far down its path
/// the file states it and what it states there. Two projects whose condition writes the same
/// read the same values, so the condition's truth value and words are the same for both (its
/// lines and places are each file's own: `report::record` resolves them). `false` when it reads
/// something else (a `let`, a list through an aggregate, the whole root), a list or a record
/// other than to ask whether it is stated, or a long text.
fn values_read(
    expr: &Expr,
    project: &Project,
    params: &[f64],
    out: &mut Vec<u64>,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let read =
        |inner: &Expr, out: &mut Vec<u64>| values_read(inner, project, params, out, depth + 1);
    match expr {
        Expr::Const(_) => true,
        Expr::Param(index) => {
            match params.get(*index) {
                Some(value) => out.extend([1, value.to_bits()]),
                None => out.push(0),
            }
            true
        }
        Expr::Field { .. } => field_read(expr, project, false, out),
        Expr::Present(inner) if matches!(**inner, Expr::Field { .. }) => {
            field_read(inner, project, true, out)
        }
        Expr::Root | Expr::Var(_) | Expr::Aggregate { .. } => false,
        Expr::Not(inner) | Expr::Neg(inner) | Expr::Present(inner) => read(inner, out),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Compare(_, a, b) | Expr::Arith(_, a, b) => {
            read(a, out) && read(b, out)
        }
        Expr::In { value, list, .. } => read(value, out) && read(list, out),
        Expr::List(items) | Expr::Call(_, items) => items.iter().all(|item| read(item, out)),
    }
}

/// [`values_read`] of a field read from the project's root through records (`project.kind`):
/// how many of its path's fields the file states, and the value at its end when it states all
/// (only whether it is stated when `presence`). `false` for a field read from anything else.
fn field_read(expr: &Expr, project: &Project, presence: bool, out: &mut Vec<u64>) -> bool {
    use crate::project::Data;
    let Some(reached) = reached(expr, project, 0) else {
        return false;
    };
    let (stated, leaf) = match reached {
        Reached::Stated(stated, leaf) => (stated, Some(leaf)),
        Reached::Short(stated) => (stated, None),
        // Stated, but not a record to read the next field in.
        Reached::NotRecord(stated) => {
            out.extend([2, stated as u64, u64::MAX]);
            return true;
        }
    };
    out.extend([2, stated as u64]);
    let Some(leaf) = leaf.filter(|_| !presence) else {
        return true;
    };
    match leaf {
        Data::Bool(value) => out.extend([3, u64::from(*value)]),
        Data::Num(value) => out.extend([4, value.to_bits()]),
        Data::Enum(index) => out.extend([5, *index as u64]),
        Data::Date(date) => {
            out.push(6);
            exactly(date, out);
        }
        Data::Text(text) if text.len() <= MAX_KEPT_TEXT => {
            out.push(7);
            exactly(text, out);
        }
        Data::Text(_) | Data::List(_) | Data::Record(_) => return false,
    }
    true
}

/// How far down the path of a field read from the root the file states it ([`field_read`]).
enum Reached<'p> {
    /// Every field of the path (this many), with the value at its end.
    Stated(usize, &'p crate::project::Data),
    /// This many fields of the path, the next one not.
    Short(usize),
    /// This many fields of the path, the last of them not a record.
    NotRecord(usize),
}

/// [`Reached`] for `expr`; `None` when it is not a field read from the root through fields.
fn reached<'p>(expr: &Expr, project: &'p Project, depth: usize) -> Option<Reached<'p>> {
    use crate::project::Data;
    if depth > MAX_DEPTH {
        return None;
    }
    let Expr::Field { base, index, .. } = expr else {
        return None;
    };
    let (above, slots): (usize, &[Option<Data>]) = match &**base {
        Expr::Root => (0, &project.data),
        _ => match reached(base, project, depth + 1)? {
            Reached::Stated(stated, Data::Record(slots)) => (stated, slots),
            Reached::Stated(stated, _) => return Some(Reached::NotRecord(stated)),
            other => return Some(other),
        },
    };
    Some(match slots.get(*index).and_then(Option::as_ref) {
        Some(data) => Reached::Stated(above + 1, data),
        None => Reached::Short(above),
    })
}

/// Whether `expr` is a condition [`Reasons`] may share, its shape aside: one comparison, as the
/// recorder records them (`compare`, `membership`, `presence`, `condition`), reading neither a
/// `let` nor a list through an aggregate.
fn shareable(expr: &Expr) -> bool {
    let single = match expr {
        Expr::Compare(..) | Expr::In { .. } | Expr::Present(_) | Expr::Field { .. } => true,
        Expr::Not(inner) => matches!(**inner, Expr::Present(_)),
        _ => false,
    };
    if !single {
        return false;
    }
    let mut shareable = true;
    expr.visit(&mut |inner| {
        shareable &= !matches!(inner, Expr::Var(_) | Expr::Aggregate { .. });
    });
    shareable
}

/// The number of a run of [`Reasons`] ([`Reasons::in_run`]): a new one for each report, never
/// the same twice in a process, so that what one run found of its rule set's conditions is never
/// taken for another's (a rule set freed and another made at its address).
pub fn next_run() -> u64 {
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The shapes of the conditions met in one run on this thread: each condition, by its address
/// (the run's rule set lives and does not move while the run lasts), numbered by its shape
/// (`None`: not one to share), the same number for conditions written the same.
#[derive(Default)]
struct Shapes {
    run: u64,
    by_address: HashMap<usize, Option<usize>, BuildHasherDefault<ByAddress>>,
    /// The numbers given so far, by shape (the standard hasher, as for [`Reasons`]' `known`).
    numbers: HashMap<Box<[u64]>, usize>,
    /// The shared conditions evaluated so far and their words, by their shape's number and the
    /// values they read ([`values_read`]; the standard hasher: the values are the files'), at
    /// most [`MAX_WORDED`].
    worded: HashMap<Box<[u64]>, Rc<Worded>>,
    /// The length of each shape's key, by its number: its words grow with it (a condition
    /// `in` a list of 3 000 names words all of them, in both languages).
    lengths: Vec<usize>,
    /// The keys' lengths, shape and values read, of the conditions kept in `worded`: at most
    /// [`MAX_KEPT_LENGTH`], so that what a run keeps is bounded in bytes, not only in number
    /// (hostile review 20 Z1: 4 096 conditions of a user pack's 3 000-name list held 676 MB).
    kept_length: usize,
    scratch: Vec<u64>,
}

impl Shapes {
    fn of(&mut self, expr: &Expr) -> Option<usize> {
        let address = std::ptr::from_ref(expr) as usize;
        if let Some(&found) = self.by_address.get(&address) {
            return found;
        }
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        let found = if shareable(expr) && shape(expr, &[], &mut key, 0) {
            let next = self.numbers.len();
            let number = *self.numbers.entry(key.as_slice().into()).or_insert(next);
            if number == next {
                self.lengths.push(key.len());
            }
            Some(number)
        } else {
            None
        };
        self.scratch = key;
        self.by_address.insert(address, found);
        found
    }

    /// Keeps `worded`, the words of shape `shape` for the values in `key`, unless the run has
    /// kept [`MAX_WORDED`] conditions or [`MAX_KEPT_LENGTH`] of keys: a run of files stating
    /// many different values keeps the first ones' words and words the others file by file.
    fn keep(&mut self, shape: usize, key: &[u64], worded: &Rc<Worded>) {
        let length = self
            .lengths
            .get(shape)
            .map_or(usize::MAX, |length| length.saturating_add(key.len()));
        let kept_length = self.kept_length.saturating_add(length);
        if self.worded.len() < MAX_WORDED && kept_length <= MAX_KEPT_LENGTH {
            self.worded.insert(key.into(), Rc::clone(worded));
            self.kept_length = kept_length;
        }
    }
}

thread_local! {
    /// The shapes of the run this thread last made reasons for.
    static SHAPES: RefCell<Shapes> = RefCell::new(Shapes::default());
}

/// The conditions this thread keeps worded for its run, and their keys' length.
#[cfg(test)]
pub(crate) fn kept_in_run() -> (usize, usize) {
    SHAPES.with(|shapes| {
        let shapes = shapes.borrow();
        (shapes.worded.len(), shapes.kept_length)
    })
}

/// [`MAX_KEPT_LENGTH`], for tests elsewhere.
#[cfg(test)]
pub(crate) const MAX_KEPT_LENGTH_FOR_TESTS: usize = MAX_KEPT_LENGTH;

/// Numbers the other ways to meet the rule recorded in `out` from `start` on in the order they
/// are read (an `or` nested in the right side of another is marked before it), after those
/// already numbered.
fn number_ways(out: &mut [Comparison], start: usize) {
    let mut next = out
        .iter()
        .take(start)
        .map(|comparison| comparison.alternative)
        .max()
        .unwrap_or(0);
    let mut renamed: Vec<(usize, usize)> = Vec::new();
    for comparison in out.iter_mut().skip(start) {
        if comparison.alternative == 0 {
            continue;
        }
        let way = comparison.alternative;
        comparison.alternative = match renamed.iter().find(|(old, _)| *old == way) {
            Some((_, new)) => *new,
            None => {
                next += 1;
                renamed.push((way, next));
                next
            }
        };
    }
}

/// A hasher of words: each word mixed in, not each byte. Not resistant to chosen keys, so only
/// for keys no input chooses (the addresses of values yimi made); a key that holds what a file
/// or a pack wrote (a shape, a path) goes in a map with the standard hasher, keyed at random.
#[derive(Default)]
pub(crate) struct Words(u64);

/// A map with [`Words`] as its hasher, for keys no input chooses.
pub(crate) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<Words>>;

impl Hasher for Words {
    fn finish(&self) -> u64 {
        // Multiplying carries a word's bits only upwards, and the map picks a bucket by the
        // low bits: without folding the high bits down, keys that differ only above bit 32
        // (an aligned address, `c << 32`) would all share one bucket.
        let mixed = (self.0 ^ (self.0 >> 32)).wrapping_mul(GOLDEN);
        mixed ^ (mixed >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = chunk.try_into().map_or(0, u64::from_le_bytes);
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(GOLDEN);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(GOLDEN);
        }
    }
}

/// Writes `expr` to `out` as tags, lengths and values, so that two expressions written the
/// same are the same expression; `false` (and `out` unfinished) when it reads a `let` of
/// `lets` or is deeper than rules are.
fn shape(expr: &Expr, lets: &[(usize, Expr)], out: &mut Vec<u64>, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let two = |tag: u64, a: &Expr, b: &Expr, out: &mut Vec<u64>| {
        out.push(tag);
        shape(a, lets, out, depth + 1) && shape(b, lets, out, depth + 1)
    };
    match expr {
        Expr::Const(constant) => {
            match constant {
                crate::rules::ir::Const::Bool(value) => out.extend([1, u64::from(*value)]),
                crate::rules::ir::Const::Num(value, dim, unit) => {
                    out.extend([
                        2,
                        value.to_bits(),
                        unit.map_or(0, |unit| std::ptr::from_ref(unit) as usize as u64),
                    ]);
                    exactly(dim, out);
                }
                crate::rules::ir::Const::Text(text) => {
                    out.push(3);
                    exactly(text, out);
                }
                crate::rules::ir::Const::Date(date) => {
                    out.push(4);
                    exactly(date, out);
                }
                crate::rules::ir::Const::Enum(enumeration, index) => {
                    out.extend([5, Arc::as_ptr(enumeration) as usize as u64, *index as u64]);
                }
            }
            true
        }
        Expr::Root => {
            out.push(6);
            true
        }
        Expr::Var(slot) => {
            out.extend([7, *slot as u64]);
            !lets.iter().any(|(bound, _)| bound == slot)
        }
        Expr::Param(index) => {
            out.extend([8, *index as u64]);
            true
        }
        Expr::Field {
            base,
            index,
            record,
        } => {
            out.extend([9, *index as u64, Arc::as_ptr(record) as usize as u64]);
            shape(base, lets, out, depth + 1)
        }
        Expr::Not(inner) => {
            out.push(10);
            shape(inner, lets, out, depth + 1)
        }
        Expr::Neg(inner) => {
            out.push(11);
            shape(inner, lets, out, depth + 1)
        }
        Expr::Present(inner) => {
            out.push(12);
            shape(inner, lets, out, depth + 1)
        }
        Expr::And(a, b) => two(13, a, b, out),
        Expr::Or(a, b) => two(14, a, b, out),
        Expr::Compare(op, a, b) => two(15 + ((*op as u64) << 8), a, b, out),
        Expr::Arith(op, a, b) => two(16 + ((*op as u64) << 8), a, b, out),
        Expr::In {
            value,
            list,
            negated,
        } => two(17 + (u64::from(*negated) << 8), value, list, out),
        Expr::List(items) => {
            out.extend([18, items.len() as u64]);
            items.iter().all(|item| shape(item, lets, out, depth + 1))
        }
        Expr::Aggregate {
            op,
            list,
            slot,
            body,
            dim,
        } => {
            let op = match op {
                AggregateOp::Any => 0,
                AggregateOp::All => 1,
                AggregateOp::Count => 2,
                AggregateOp::CountDistinct { lists: false } => 3,
                AggregateOp::CountDistinct { lists: true } => 4,
                AggregateOp::Sum => 5,
                AggregateOp::Min => 6,
                AggregateOp::Max => 7,
                AggregateOp::Filter => 8,
            };
            out.extend([19, op, *slot as u64, u64::from(body.is_some())]);
            exactly(dim, out);
            shape(list, lets, out, depth + 1)
                && body
                    .as_deref()
                    .is_none_or(|body| shape(body, lets, out, depth + 1))
        }
        Expr::Call(function, arguments) => {
            out.extend([20, *function as u64, arguments.len() as u64]);
            arguments
                .iter()
                .all(|argument| shape(argument, lets, out, depth + 1))
        }
    }
}

/// A value that derives `Hash` (a dimension, a date), written exactly: every piece its `Hash`
/// writes, with its length.
fn exactly<T: std::hash::Hash>(value: &T, out: &mut Vec<u64>) {
    struct Exact<'o>(&'o mut Vec<u64>);
    impl Hasher for Exact<'_> {
        fn finish(&self) -> u64 {
            0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.push(bytes.len() as u64);
            self.0.extend(bytes.chunks(8).map(|chunk| {
                let mut word = [0; 8];
                if let Some(word) = word.get_mut(..chunk.len()) {
                    word.copy_from_slice(chunk);
                }
                u64::from_le_bytes(word)
            }));
        }
    }
    value.hash(&mut Exact(out));
}

/// The refinements of `param` by the selected packs, the widest first (the last is in effect).
pub fn refinements_applied<'s>(
    set: &'s RuleSet,
    packs: &[usize],
    param: &'s crate::rules::ir::Param,
) -> Vec<&'s crate::rules::ir::Refinement> {
    let mut applied: Vec<&crate::rules::ir::Refinement> = param
        .refinements
        .iter()
        .filter(|refinement| packs.contains(&refinement.pack))
        .collect();
    // Stable: of two packs equally deep, the later keeps winning, as it always did.
    applied.sort_by_key(|refinement| {
        set.packs
            .get(refinement.pack)
            .map_or(0, |pack| pack.jurisdiction.depth())
    });
    applied
}

/// A parameter's refinement in effect for a project checked with `packs`, with what it
/// replaced: the next wider refinement, else the value the parameter declares.
#[derive(Clone, Copy, Debug)]
pub struct InEffect<'s> {
    /// The parameter.
    pub param: &'s crate::rules::ir::Param,
    /// The refinement in effect.
    pub refinement: &'s crate::rules::ir::Refinement,
    /// The value it replaced, in base units.
    pub replaced: f64,
    /// The pack that gave the value it replaced.
    pub replaced_pack: usize,
}

/// The refinement in effect for the parameter at `index`, if a selected pack refines it.
pub fn refinement_in_effect<'s>(
    set: &'s RuleSet,
    packs: &[usize],
    index: usize,
) -> Option<InEffect<'s>> {
    let param = set.params.get(index)?;
    let applied = refinements_applied(set, packs, param);
    let (&refinement, wider) = applied.split_last()?;
    let (replaced, replaced_pack) = wider
        .last()
        .map_or((param.value, param.pack), |wider| (wider.value, wider.pack));
    Some(InEffect {
        param,
        refinement,
        replaced,
        replaced_pack,
    })
}

/// Whether any parameter is refined by a selected pack (most projects: none, and then no result
/// needs to be asked which refinements decided it).
pub fn any_refinement(set: &RuleSet, packs: &[usize]) -> bool {
    set.params.iter().any(|param| {
        param
            .refinements
            .iter()
            .any(|refinement| packs.contains(&refinement.pack))
    })
}

/// A parameter a result was decided with whose value a more local pack refined: what an
/// official needs to see beside the wider pack's clause (which pack, on what clause and basis,
/// the value in effect and the one it replaced, and the values of this project it was compared
/// with).
#[derive(Clone, Debug)]
pub struct Refined {
    /// The parameter's name.
    pub param: String,
    /// What a person calls it (see [`crate::rules::ir::Param::label`]).
    pub label: Text,
    /// The refining pack's id.
    pub pack: String,
    /// The refining pack's citation for the value.
    pub cite: Citation,
    /// The value in effect, with its unit: `5000 平方米`.
    pub value: Text,
    /// The wider value it replaced: `10000 平方米`.
    pub replaced: Text,
    /// The pack that gave the replaced value.
    pub replaced_pack: String,
    /// How the refining pack arrived at the value.
    pub basis: Option<Text>,
    /// Whether the rule reads it to decide which projects the clause covers (else only what it
    /// requires of them).
    pub covers: bool,
    /// The comparisons of this project that read it: 建筑面积 6000 平方米 > 5000 平方米.
    pub compared: Vec<Comparison>,
}

/// The refined parameters that decided the result of the rule at `rule` on `project` (see
/// [`Refined`]), for the packs that applied (`packs`, with their parameter values `params`).
/// Empty, and cheap, when no selected pack refines a parameter the rule reads. A result that
/// passes, fails or is undecided names every refined parameter the rule reads (its
/// applicability held with it, or it is in what was required); one that does not apply names
/// those that the condition that excluded the project compared with.
pub fn refined(
    set: &RuleSet,
    project: &Project,
    packs: &[usize],
    params: &[f64],
    budget: StepBudget,
    rule: usize,
    outcome: Outcome,
) -> Vec<Refined> {
    let Some(Check::Criterion(criterion)) = set.rules.get(rule).map(|rule| &*rule.check) else {
        return Vec::new();
    };
    if params_in_effect(set, packs, criterion).is_empty() {
        return Vec::new();
    }
    record(set, project, packs, params, budget, rule, outcome, true).refined
}

/// The parameters `criterion` reads that a selected pack refines, each with whether the rule
/// reads it to decide which projects the clause covers (else only in what it requires), the
/// covering ones first.
fn params_in_effect<'s>(
    set: &'s RuleSet,
    packs: &[usize],
    criterion: &Criterion,
) -> Vec<(usize, bool, InEffect<'s>)> {
    let mut covering: Vec<usize> = Vec::new();
    let mut required: Vec<usize> = Vec::new();
    let lets_read = |slot: usize, out: &mut Vec<usize>| {
        if let Some((_, bound)) = criterion.lets.iter().find(|(bound, _)| *bound == slot) {
            bound.visit_params(&mut |index| {
                if !out.contains(&index) {
                    out.push(index);
                }
            });
        }
    };
    let read = |expr: &Expr, out: &mut Vec<usize>| {
        expr.visit(&mut |inner| match inner {
            Expr::Param(index) if !out.contains(index) => out.push(*index),
            // A `let` names only earlier ones, and each is read with the params it reads.
            Expr::Var(slot) => lets_read(*slot, out),
            _ => {}
        });
    };
    for expr in criterion.applies.iter().chain(&criterion.unless) {
        read(expr, &mut covering);
    }
    for expr in &criterion.require {
        read(expr, &mut required);
    }
    covering
        .iter()
        .map(|&index| (index, true))
        .chain(
            required
                .iter()
                .filter(|index| !covering.contains(index))
                .map(|&index| (index, false)),
        )
        .filter_map(|(index, covers)| {
            refinement_in_effect(set, packs, index).map(|found| (index, covers, found))
        })
        .collect()
}

/// Why the clause covers the project, when it does: its applicability, which held (nothing
/// for a rule that does not apply). `env` is prepared for `criterion` ([`prepared_env`]).
fn covering<'a>(
    env: &mut Env<'a>,
    criterion: &'a Criterion,
    outcome: Outcome,
    applies: Tri,
) -> Vec<Comparison> {
    match &criterion.applies {
        Some(expr) if outcome != Outcome::NotApplicable && applies == Tri::True => {
            let mut recorder = Recorder::new(env, &criterion.lets);
            recorder.explain(expr, 0);
            recorder.out
        }
        _ => Vec::new(),
    }
}

/// The refined parameters of `in_effect` ([`params_in_effect`]) with the `comparisons` that
/// read each; for a rule that does not apply, only those that excluded the project.
fn refined_from<'c>(
    set: &RuleSet,
    in_effect: Vec<(usize, bool, InEffect<'_>)>,
    outcome: Outcome,
    comparisons: impl Iterator<Item = &'c Comparison> + Clone,
) -> Vec<Refined> {
    let quantity = |param: &crate::rules::ir::Param, value: f64| {
        Text::new(
            units::format_quantity(value, param.dim, param.unit, true),
            units::format_quantity(value, param.dim, param.unit, false),
        )
    };
    let pack_id = |pack: usize| {
        set.packs
            .get(pack)
            .map_or_else(String::new, |pack| pack.id.clone())
    };
    in_effect
        .into_iter()
        .filter_map(|(index, covers, found)| {
            let compared: Vec<Comparison> = comparisons
                .clone()
                .filter(|comparison| comparison.params.contains(&index))
                .cloned()
                .collect();
            if outcome == Outcome::NotApplicable && compared.is_empty() {
                return None;
            }
            Some(Refined {
                param: found.param.name.clone(),
                label: found.param.label.clone(),
                pack: pack_id(found.refinement.pack),
                cite: found.refinement.cite.clone(),
                value: quantity(found.param, found.refinement.value),
                replaced: quantity(found.param, found.replaced),
                replaced_pack: pack_id(found.replaced_pack),
                basis: found.refinement.basis.clone(),
                covers,
                compared,
            })
        })
        .collect()
}

/// The elements a requirement that is not met looks for in vain: for each stated list with no
/// element of the kind the requirement wants, the comparison saying so (设施类型 幼儿园, stated
/// 托育机构). `applies` must hold; the environment is the one the rule was evaluated in.
pub fn lacking_kinds<'a>(env: &mut Env<'a>, criterion: &'a Criterion) -> Vec<Comparison> {
    // Only an `any` that is not met passes over elements of another kind: a criterion without
    // one (in its requirements or its lets) has none to walk for.
    let any = |expr: &Expr| {
        let mut found = false;
        expr.visit(&mut |inner| {
            found = found
                || matches!(
                    inner,
                    Expr::Aggregate {
                        op: AggregateOp::Any,
                        ..
                    }
                );
        });
        found
    };
    if !criterion
        .require
        .iter()
        .chain(criterion.lets.iter().map(|(_, expr)| expr))
        .any(any)
    {
        return Vec::new();
    }
    let mut recorder = Recorder::new(env, &criterion.lets);
    recorder.requiring = true;
    for expr in &criterion.require {
        if recorder.truth(expr) != Tri::True {
            recorder.explain(expr, 0);
        }
    }
    let Recorder { out, lacking, .. } = recorder;
    out.into_iter()
        .enumerate()
        .filter(|(index, comparison)| lacking.contains(index) && comparison.holds == Tri::False)
        .map(|(_, comparison)| comparison)
        .collect()
}

/// What decided a criterion's outcome. For a rule that does not apply: the condition that
/// excluded the project. Otherwise: the requirements that decided it (every one for a pass,
/// the failing or undecided ones else).
pub fn criterion<'a>(
    env: &mut Env<'a>,
    criterion: &'a Criterion,
    outcome: Outcome,
    applies: Tri,
) -> Vec<Comparison> {
    let mut recorder = Recorder::new(env, &criterion.lets);
    if outcome == Outcome::NotApplicable {
        if applies == Tri::False {
            if let Some(expr) = &criterion.applies {
                recorder.explain(expr, 0);
            }
        } else if let Some(expr) = criterion
            .unless
            .iter()
            .find(|expr| recorder.truth(expr) == Tri::True)
        {
            recorder.explain(expr, 0);
        }
        return distinct(recorder.out);
    }
    recorder.requiring = true;
    for expr in &criterion.require {
        let truth = recorder.truth(expr);
        if outcome == Outcome::Pass || truth != Tri::True {
            recorder.explain(expr, 0);
        }
    }
    distinct(recorder.out)
}

/// The comparisons without repeats: a rule that reads one value in two of its conditions (JL-005b
/// compares the delivery date where the flag is unknown and again where both dates are stated)
/// records the same row twice, and the record is a list of what decided, not of each reading.
/// A row read once as decided and once as unknown (a list's presence, then a look into the list
/// that is not there) is one row, the decided one.
fn distinct(out: Vec<Comparison>) -> Vec<Comparison> {
    let mut kept: Vec<Comparison> = Vec::with_capacity(out.len());
    for comparison in out {
        let same = kept.iter_mut().find(|earlier| merges(earlier, &comparison));
        match same {
            Some(earlier) => {
                if earlier.holds == Tri::Unknown {
                    earlier.holds = comparison.holds;
                }
            }
            None => kept.push(comparison),
        }
    }
    kept
}

/// [`distinct`] of shared comparisons, each copied only when its `holds` changes.
fn distinct_shared(out: impl Iterator<Item = Rc<Comparison>>) -> Vec<Rc<Comparison>> {
    let mut kept: Vec<Rc<Comparison>> = Vec::with_capacity(out.size_hint().0);
    for comparison in out {
        let same = kept.iter_mut().find(|earlier| merges(earlier, &comparison));
        match same {
            Some(earlier) => {
                if earlier.holds == Tri::Unknown && comparison.holds != Tri::Unknown {
                    Rc::make_mut(earlier).holds = comparison.holds;
                }
            }
            None => kept.push(comparison),
        }
    }
    kept
}

/// Whether `later` is a row [`distinct`] folds into `earlier`: the same comparison, read as
/// deciding alike or undecided in one of the two.
fn merges(earlier: &Comparison, later: &Comparison) -> bool {
    (earlier.holds == later.holds || earlier.holds == Tri::Unknown || later.holds == Tri::Unknown)
        && same_but_holds(earlier, later)
}

/// Whether two comparisons say the same but perhaps for whether it holds: compared in place (a
/// copy of the earlier one for each pair was most of the cost of [`distinct`]).
fn same_but_holds(a: &Comparison, b: &Comparison) -> bool {
    // Destructured, so that a field added to `Comparison` is compared here too.
    let Comparison {
        subject,
        required,
        basis,
        stated,
        unit,
        path,
        holds: _,
        excludes,
        params,
        alternative,
        presence,
    } = a;
    *alternative == b.alternative
        && *presence == b.presence
        && *path == b.path
        && *subject == b.subject
        && *required == b.required
        && *stated == b.stated
        && *basis == b.basis
        && *unit == b.unit
        && *excludes == b.excludes
        && *params == b.params
}

/// The hint of a failed rule: the advice about the project first, then the edit to the file on
/// a line of its own (for the consultant who keeps the file). Without advice the edit stands
/// alone, still labelled as the edit to the file, so an official reading the 整改意见 column
/// does not take a YAML instruction for advice about the project.
pub fn advice_then_edit(advice: Option<Text>, edit: Option<Text>) -> Option<Text> {
    match (advice, edit) {
        (Some(advice), Some(edit)) => Some(Text::new(
            format!("{}\n{}", advice.zh, edit_line(&edit).zh),
            format!("{}\n{}", advice.en, edit_line(&edit).en),
        )),
        (None, Some(edit)) => Some(edit_line(&edit)),
        (advice, None) => advice,
    }
}

/// The edit to the project file, labelled as such.
pub fn edit_line(edit: &Text) -> Text {
    Text::new(
        format!("项目文件:{}", edit.zh),
        format!("In the file: {}", edit.en),
    )
}

/// A template as a person reads it without a project: each value it would fill in is named in
/// words by what it is computed from (「(按项目的常住人口算出的数)」), never shown as `{…}`. For
/// `explain`, and for the advice of a rule that cannot be decided, whose values are unknown.
pub fn template_in_words(template: &Template, lets: &[(usize, Expr)]) -> Text {
    let mut zh = String::new();
    let mut en = String::new();
    for (lang, out) in [(Lang::Zh, &mut zh), (Lang::En, &mut en)] {
        for part in template.parts(lang) {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Expr(expr) => out.push_str(placeholder(expr, lets).get(lang)),
            }
        }
    }
    Text { zh, en }
}

/// A value to be filled in, in words: 「(项目的交付日期)」 for a value read from the file,
/// 「(按项目的常住人口计算)」 for one computed from it.
fn placeholder(expr: &Expr, lets: &[(usize, Expr)]) -> Text {
    // The paths read, through `let` bindings (each expanded once: a let names only earlier ones).
    let mut paths: Vec<(Vec<String>, Text)> = Vec::new();
    let mut pending: Vec<&Expr> = vec![expr];
    let mut expanded: Vec<usize> = Vec::new();
    let mut direct = None;
    while let Some(next) = pending.pop() {
        next.visit(&mut |inner| match inner {
            Expr::Var(slot) => {
                if !expanded.contains(slot)
                    && let Some((_, bound)) = lets.iter().find(|(bound, _)| bound == slot)
                {
                    expanded.push(*slot);
                    pending.push(bound);
                }
            }
            Expr::Field { index, record, .. } => {
                if let (Some(path), Some(field)) = (inner.root_path(), record.fields.get(*index)) {
                    let path: Vec<String> = path.into_iter().map(str::to_owned).collect();
                    if !paths.iter().any(|(known, _)| known.starts_with(&path)) {
                        paths.retain(|(known, _)| !path.starts_with(known));
                        paths.push((path, label(&field.doc)));
                    }
                }
            }
            _ => {}
        });
        if direct.is_none() {
            direct = Some(next.root_path().is_some());
        }
    }
    let labels: Vec<&Text> = paths.iter().map(|(_, label)| label).collect();
    let zh = labels
        .iter()
        .map(|label| label.zh.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let en = labels
        .iter()
        .map(|label| lowercase_first(&label.en))
        .collect::<Vec<_>>()
        .join(", ");
    match (labels.is_empty(), direct == Some(true)) {
        (true, _) => Text::new(
            "(按规则的参数算出的数)",
            "(the number computed from the rule's parameters)",
        ),
        (false, true) => Text::new(format!("(项目的{zh})"), format!("(the project's {en})")),
        (false, false) => Text::new(
            format!("(按项目的{zh}算出的数)"),
            format!("(the number computed from the project's {en})"),
        ),
    }
}

/// Why a target does not judge a project that is neither a plan nor a policy: its kind against
/// the kinds a target judges, recorded as a rule's `applies project.kind in [plan, policy]` is.
pub fn target_kind(project: &Project) -> Vec<Comparison> {
    use crate::project::types::{Ty, project_type};
    let Some(Ty::Record(facts)) = project_type().field("project").map(|(_, field)| &field.ty)
    else {
        return Vec::new();
    };
    let Some((_, field)) = facts.field("kind") else {
        return Vec::new();
    };
    let Ty::Enum(kinds) = &field.ty else {
        return Vec::new();
    };
    let labels = |names: &[&str]| {
        let labels: Vec<Text> = names
            .iter()
            .filter_map(|name| kinds.variants.iter().find(|variant| variant.name == *name))
            .map(variant_label)
            .collect();
        let zh: Vec<&str> = labels.iter().map(|label| label.zh.as_str()).collect();
        let en: Vec<&str> = labels.iter().map(|label| label.en.as_str()).collect();
        Text::new(zh.join("、"), en.join(", "))
    };
    let stated = project.enum_name(&["project", "kind"]);
    vec![Comparison {
        subject: label(&field.doc),
        required: labels(&["plan", "policy"]),
        basis: None,
        stated: stated.map_or_else(not_stated, |name| labels(&[name])),
        unit: None,
        path: Some(YamlPath::root().key("project").key("kind")),
        excludes: None,
        alternative: 0,
        presence: None,
        params: Vec::new(),
        holds: if stated.is_some() {
            Tri::False
        } else {
            Tri::Unknown
        },
    }]
}

/// Why a target does not judge a plan that does not state its indicator and need not: the
/// commitment it looked for is not in the file.
pub fn target_unstated(indicator: &Text) -> Comparison {
    let subject = Text::new(
        format!("「{}」的目标值", indicator.zh),
        format!("a target for {}", indicator.en),
    );
    let path = YamlPath::root().key("targets");
    Comparison {
        required: presence_required(&subject, Some(&path), false, true),
        subject,
        basis: None,
        stated: not_stated(),
        unit: None,
        path: Some(path),
        excludes: None,
        alternative: 0,
        presence: Some(true),
        params: Vec::new(),
        holds: Tri::False,
    }
}

/// The comparisons that decided a condition on its own (a target's `applies`).
pub fn condition<'a>(env: &mut Env<'a>, expr: &'a Expr) -> Vec<Comparison> {
    let mut recorder = Recorder::new(env, &[]);
    recorder.explain(expr, 0);
    recorder.out
}

struct Recorder<'r, 'a> {
    env: &'r mut Env<'a>,
    lets: &'a [(usize, Expr)],
    out: Vec<Comparison>,
    /// The list each `any`/`all` variable being walked runs over (slot, list), so that a
    /// comparison of the element names it by its list: 适用年龄段, not 该项.
    elements: Vec<(usize, &'a Expr)>,
    /// While the elements of an `any` that fails are walked: its variable, so that a test of
    /// the element's kind it fails (the rule's selection, `f.kind == kindergarten`) is not
    /// recorded — the elements the rule does not look for are not what it judged.
    selecting: Option<usize>,
    /// The filters of the `any`s being walked, by their variable: item-level conditions that
    /// lead an `and` chain (`f.area_m2 >= 100 m2 and …`, `separate_area in f.features and …`),
    /// which pass over the elements they are false for as a test of kind does.
    filters: Vec<(usize, &'a Expr)>,
    /// The comparisons (indexes into `out`) that say a stated list has no element of the kind
    /// the rule looks for.
    lacking: Vec<usize>,
    /// While the sides of an `or` neither of which decided are walked: each is a way to meet
    /// the rule, recorded with its whole condition.
    whole: bool,
    /// Whether requirements are walked (not the condition that excluded a project, whose
    /// reason names only what excluded it: a side of an `and` that held is no reason).
    requiring: bool,
    /// The other ways to meet the rule marked so far (see [`Comparison::alternative`]).
    ways: usize,
}

impl<'r, 'a> Recorder<'r, 'a> {
    /// A recorder that has walked nothing yet, over `env` prepared for the lets `lets`.
    fn new(env: &'r mut Env<'a>, lets: &'a [(usize, Expr)]) -> Self {
        Recorder {
            env,
            lets,
            out: Vec::new(),
            elements: Vec::new(),
            selecting: None,
            filters: Vec::new(),
            lacking: Vec::new(),
            whole: false,
            requiring: false,
            ways: 0,
        }
    }

    /// The truth value of `expr`, as [`Env::truth`] gives it, found without the paths of the
    /// values read where that can be done ([`Env::bare_truth`], unknown included). While the
    /// environment notes truth values, one it did not note is found so where the walk reads no
    /// truth of a part of `expr` afterwards (a comparison, `in`, `present`, `any`/`all`: what
    /// explains them evaluates their operands itself) or where finding a part's again costs no
    /// list element (no aggregate inside), and noted; others are evaluated with their
    /// paths, noting each part's. Evaluating every truth with its paths cost most of the record
    /// (a list's every element read with its path, to be thrown away). The list elements
    /// counted against the step budget are the same: `bare_truth` counts those it visits as the
    /// evaluation would have, and gives them back when it falls back to that evaluation.
    fn truth(&mut self, expr: &'a Expr) -> Tri {
        #[cfg(test)]
        if TRUTHS_EVALUATED.with(std::cell::Cell::get) {
            return self.env.truth(expr);
        }
        if let Some(truth) = self.env.noted(expr) {
            return truth;
        }
        let noting = self.env.noting(false);
        if !noting {
            // Walking a list's elements (the variable bound to one of them): nothing noted or
            // kept, each truth found again.
            return match self.env.bare_truth(expr) {
                Some(truth) => truth,
                None => self.env.truth(expr),
            };
        }
        let decided = if walked_whole(expr) || !aggregates(expr) {
            self.env.bare_truth(expr)
        } else {
            None
        };
        self.env.noting(true);
        match decided {
            Some(truth) => {
                // Noted as the evaluation notes it: the walk asks for it again (a
                // comparison's own truth, once to choose the side of an `and` to walk and once
                // when walked).
                self.env.note(expr, truth);
                truth
            }
            None => self.env.truth(expr),
        }
    }

    /// This recorder, its environment not noting truth values until the result is dropped.
    fn not_noting(&mut self) -> NotNoting<'_, 'r, 'a> {
        let noting = self.env.noting(false);
        NotNoting {
            recorder: self,
            noting,
        }
    }

    /// Whether `expr` selects the elements of the `any` over `slot`: a test of their kind, or
    /// one of its leading item-level conditions.
    fn is_filter(&self, expr: &Expr, slot: usize) -> bool {
        selection(expr, slot)
            || self
                .filters
                .iter()
                .any(|(var, filter)| *var == slot && std::ptr::eq(*filter, expr))
    }

    /// The filters in `body`, left to right, through `and`, `or` and `not` (where a filter
    /// decides); an explicit stack, since expressions are as deep as rules write them.
    fn filters_in(&self, body: &'a Expr, slot: usize) -> Vec<&'a Expr> {
        let mut found = Vec::new();
        let mut pending = vec![body];
        while let Some(expr) = pending.pop() {
            if self.is_filter(expr, slot) {
                found.push(expr);
                continue;
            }
            match expr {
                Expr::And(left, right) | Expr::Or(left, right) => {
                    pending.push(right);
                    pending.push(left);
                }
                Expr::Not(inner) => pending.push(inner),
                _ => {}
            }
        }
        found
    }

    /// What a filter looks for, in words: 幼儿园, `≥ 100 平方米`, 含 分区.
    fn filter_wanted(&mut self, filter: &'a Expr) -> Option<Text> {
        if let Some(text) = selection_wanted(filter) {
            return Some(text);
        }
        let shown = |recorder: &mut Self, expr: &'a Expr| {
            let value = recorder.env.eval(expr);
            shown(&value)
        };
        match filter {
            Expr::Compare(op, left, right) if fixed(left) != fixed(right) => {
                let (op, value) = if fixed(right) {
                    (*op, shown(self, right))
                } else {
                    (flip(*op), shown(self, left))
                };
                Some(match op {
                    CompareOp::Eq => value,
                    CompareOp::Ne => {
                        Text::new(joined(&["不是 ", &value.zh]), joined(&["not ", &value.en]))
                    }
                    _ => {
                        let symbol = symbol(op);
                        Text::new(
                            joined(&[symbol, " ", &value.zh]),
                            joined(&[symbol, " ", &value.en]),
                        )
                    }
                })
            }
            Expr::In {
                value,
                list,
                negated,
            } if fixed(value) && !fixed(list) => {
                let value = shown(self, value);
                Some(if *negated {
                    Text::new(
                        joined(&["不含 ", &value.zh]),
                        joined(&["without ", &value.en]),
                    )
                } else {
                    Text::new(
                        joined(&["含 ", &value.zh]),
                        joined(&["includes ", &value.en]),
                    )
                })
            }
            Expr::In {
                list,
                negated: false,
                ..
            } if fixed(list) => {
                let list = shown(self, list);
                Some(Text::new(
                    joined(&[&list.zh, "之一"]),
                    joined(&["one of ", &list.en]),
                ))
            }
            _ => None,
        }
    }

    fn full(&self) -> bool {
        self.out.len() >= MAX_COMPARISONS
    }

    fn let_expr(&self, slot: usize) -> Option<&'a Expr> {
        self.lets
            .iter()
            .find(|(bound, _)| *bound == slot)
            .map(|(_, expr)| expr)
    }

    /// Records the comparisons that decided the truth of `expr`.
    fn explain(&mut self, expr: &'a Expr, depth: usize) {
        if depth == 0 {
            let start = self.out.len();
            self.explain_within(expr, 0);
            self.number_ways(start);
        } else {
            self.explain_within(expr, depth);
        }
    }

    /// Numbers the other ways to meet the rule recorded from `start` on ([`number_ways`]).
    fn number_ways(&mut self, start: usize) {
        number_ways(&mut self.out, start);
    }

    fn explain_within(&mut self, expr: &'a Expr, depth: usize) {
        if self.full() || depth > MAX_DEPTH {
            return;
        }
        match expr {
            Expr::And(left, right) | Expr::Or(left, right) => {
                let deciding = if matches!(expr, Expr::And(..)) {
                    Tri::False
                } else {
                    Tri::True
                };
                // Inside a way to meet the rule that was not met, an `and` is its whole
                // condition, not only the side that failed.
                let whole = self.whole && matches!(expr, Expr::And(..));
                // The right side is evaluated only when the left did not decide: each level
                // of an `and` chain evaluating both sides made the walk evaluate the chain's
                // first conditions once per level.
                if !whole && self.truth(left) == deciding {
                    self.explain(left, depth + 1);
                } else if !whole && self.truth(right) == deciding {
                    self.explain(right, depth + 1);
                } else {
                    let either = matches!(expr, Expr::Or(..));
                    let whole_before = self.whole;
                    self.whole |= either && self.requiring;
                    self.explain(left, depth + 1);
                    let alternative = self.out.len();
                    self.explain(right, depth + 1);
                    self.whole = whole_before;
                    // What the right side of `or` records is another way to meet the rule, not
                    // a further requirement: 「②或:未注明…」 beside 「①是」, so that a file that
                    // states the first and fails it does not read as contradicting the second.
                    if either && alternative > 0 {
                        self.ways += 1;
                        let way = self.ways;
                        for comparison in self.out.iter_mut().skip(alternative) {
                            if comparison.alternative == 0 {
                                comparison.alternative = way;
                            }
                        }
                    }
                }
            }
            Expr::Not(inner) if matches!(**inner, Expr::Present(_)) => {
                // `not present(x)`: what holds is that the file does not state it.
                if let Expr::Present(path) = &**inner {
                    self.presence(path, false, depth);
                }
            }
            Expr::Not(inner) => self.explain(inner, depth + 1),
            _ if self
                .selecting
                .is_some_and(|slot| self.is_filter(expr, slot))
                && self.truth(expr) == Tri::False => {}
            Expr::Var(slot) => match self.let_expr(*slot) {
                Some(bound) => self.explain(bound, depth + 1),
                None => self.condition(expr, depth),
            },
            Expr::Compare(op, left, right) => self.compare(*op, left, right, depth),
            Expr::In {
                value,
                list,
                negated,
            } => self.membership(expr, value, list, *negated, depth),
            Expr::Present(inner) => self.presence(inner, true, depth),
            Expr::Aggregate {
                op: op @ (AggregateOp::Any | AggregateOp::All),
                list,
                slot,
                body: Some(body),
                ..
            } => self.quantified(expr, *op, list, *slot, body, depth),
            _ => self.condition(expr, depth),
        }
    }

    /// `any`/`all`: the elements that decided it, each explained.
    fn quantified(
        &mut self,
        expr: &'a Expr,
        op: AggregateOp,
        list: &'a Expr,
        slot: usize,
        body: &'a Expr,
        depth: usize,
    ) {
        let result = self.truth(expr);
        let list_value = self.env.eval(list);
        let V::List(elements) = &list_value.v else {
            // The list is not stated at all.
            let subject = self.subject(list, depth);
            let path = first_path(&list_value);
            self.out.push(Comparison {
                required: presence_required(&subject, path.as_ref(), true, true),
                subject,
                basis: None,
                stated: not_stated(),
                unit: None,
                path,
                excludes: None,
                alternative: 0,
                presence: Some(true),
                params: Vec::new(),
                holds: Tri::Unknown,
            });
            return;
        };
        let elements = Rc::clone(elements);
        // A list of plain values tested one by one (named_places, age_groups): said of the list.
        if let Some(test) = self.element_test(body, slot) {
            self.element_list(list, &list_value, op, result, &test, depth);
            return;
        }
        // An `any` that is not met: the elements its own test of their kind passes over
        // (`f.kind == kindergarten` for a park), or any item-level condition that leads it
        // (`f.area_m2 >= 100 m2 and …`), are not shown, only what they were.
        let selecting = op == AggregateOp::Any && result != Tri::True;
        let filters_before = self.filters.len();
        if selecting {
            self.filters.extend(
                leading_conditions(body, slot)
                    .into_iter()
                    .map(|filter| (slot, filter)),
            );
        }
        self.walk_elements(
            ElementWalk {
                list,
                list_value: &list_value,
                slot,
                body,
                result,
                selecting,
                op,
            },
            &elements,
            depth,
        );
        self.filters.truncate(filters_before);
    }

    /// The elements of an `any`/`all` that decided it, each explained (see [`Self::quantified`]).
    fn walk_elements(
        &mut self,
        walk: ElementWalk<'a, '_>,
        elements: &[crate::engine::eval::Elem<'a>],
        depth: usize,
    ) {
        // The walk binds the variable to each element: what is evaluated meanwhile holds for
        // that element only, and is not noted until the walk returns, however it returns.
        let mut paused = self.not_noting();
        let this: &mut Self = &mut paused;
        let members = elements
            .iter()
            .filter(|element| element.member != Tri::False);
        let ElementWalk {
            list,
            list_value,
            slot,
            body,
            result,
            selecting,
            op,
        } = walk;
        let mut chosen = Vec::with_capacity(MAX_ELEMENTS);
        let mut passed_over: Vec<Text> = Vec::new();
        // Where each passed-over value is, and its unit: one element is pointed at itself.
        let mut passed_over_values: Vec<(Option<YamlPath>, Option<Text>)> = Vec::new();
        // The filters of the body, found once for the list (they are the same for every
        // element) when the first element is passed over.
        let mut filters: Option<Vec<&'a Expr>> = None;
        for element in members {
            this.env.bind(slot, element.val.clone());
            if selecting && this.selected(body, slot, depth) == Tri::False {
                let kind = filters
                    .get_or_insert_with(|| this.filters_in(body, slot))
                    .first()
                    .and_then(|filter| selected_field(filter));
                if let Some(kind) = kind {
                    let value = this.env.eval(kind);
                    let shown = if !value.missing.is_empty() {
                        not_stated()
                    } else if matches!(&value.v, V::List(items) if items.iter().all(|item| item.member == Tri::False))
                    {
                        Text::new("无", "none")
                    } else {
                        shown(&value)
                    };
                    if !passed_over.contains(&shown) {
                        passed_over.push(shown);
                    }
                    passed_over_values.push((first_path(&value), unit_of(&value)));
                }
                continue;
            }
            let truth = this.truth(body);
            if truth == result || (result == Tri::Unknown && truth != Tri::True) {
                chosen.push(element.val.clone());
                if chosen.len() >= MAX_ELEMENTS {
                    break;
                }
            }
        }
        if chosen.is_empty() && !passed_over.is_empty() {
            // Nothing of the kind the rule looks for: its test once, with the kinds there are.
            this.elements.push((slot, list));
            // Passed over: found in the loop.
            let filters = filters.unwrap_or_default();
            let kind = filters.first().and_then(|filter| selected_field(filter));
            let subject = kind.map_or_else(
                || this.subject(list, depth),
                |kind| this.subject(kind, depth + 1),
            );
            this.elements.pop();
            // What the selections of that same field look for (`f.kind == a or f.kind in [b, c]`).
            let field = kind.and_then(field_index);
            let mut wanted: Vec<Text> = Vec::new();
            for &filter in &filters {
                if selected_field(filter).and_then(field_index) == field
                    && let Some(text) = this.filter_wanted(filter)
                    && !wanted.contains(&text)
                {
                    wanted.push(text);
                }
            }
            let join = |texts: &[Text], zh: &str, en: &str| {
                Text::new(
                    texts
                        .iter()
                        .map(|t| t.zh.as_str())
                        .collect::<Vec<_>>()
                        .join(zh),
                    texts
                        .iter()
                        .map(|t| t.en.as_str())
                        .collect::<Vec<_>>()
                        .join(en),
                )
            };
            // One element passed over by a condition other than its kind is pointed at
            // itself (participation #1, its 0 children); kinds are said of the list.
            let by_kind = filters
                .first()
                .is_some_and(|filter| selection(filter, slot));
            let (path, unit) = match passed_over_values.as_slice() {
                [(path, unit)] if !by_kind => (
                    path.clone().or_else(|| first_path(list_value)),
                    unit.clone(),
                ),
                _ => (first_path(list_value), None),
            };
            this.lacking.push(this.out.len());
            this.out.push(Comparison {
                subject,
                required: join(&wanted, " 或 ", " or "),
                basis: None,
                stated: join(&passed_over, " / ", " / "),
                unit,
                path,
                excludes: None,
                alternative: 0,
                presence: None,
                params: Vec::new(),
                holds: result,
            });
            return;
        }
        if chosen.is_empty() {
            // No element to show: an empty list (nothing satisfies `any`; `all` holds vacuously).
            let any = op == AggregateOp::Any;
            this.out.push(Comparison {
                subject: this.subject(list, depth),
                required: if any {
                    Text::new("至少一项符合", "at least one that qualifies")
                } else {
                    Text::new("每一项符合", "every one qualifies")
                },
                basis: None,
                stated: Text::new("无", "none"),
                unit: None,
                path: first_path(list_value),
                excludes: None,
                alternative: 0,
                presence: None,
                params: Vec::new(),
                holds: result,
            });
            return;
        }
        let outer = this.selecting;
        if selecting {
            this.selecting = Some(slot);
        }
        this.elements.push((slot, list));
        for value in chosen {
            if this.full() {
                break;
            }
            this.env.bind(slot, value);
            this.explain(body, depth + 1);
        }
        this.elements.pop();
        this.selecting = outer;
    }

    /// Whether the tests of the element's kind in `expr` alone make it false (the element is not
    /// of a kind the rule looks for); the other conditions count as unknown.
    fn selected(&mut self, expr: &'a Expr, slot: usize, depth: usize) -> Tri {
        if depth > MAX_DEPTH {
            return Tri::Unknown;
        }
        match expr {
            Expr::And(a, b) => {
                self.selected(a, slot, depth + 1)
                    .and(self.selected(b, slot, depth + 1))
            }
            Expr::Or(a, b) => {
                self.selected(a, slot, depth + 1)
                    .or(self.selected(b, slot, depth + 1))
            }
            Expr::Not(inner) => self.selected(inner, slot, depth + 1).not(),
            _ if self.is_filter(expr, slot) => self.truth(expr),
            _ => Tri::Unknown,
        }
    }

    /// A test of each element itself, when the list holds plain values (`n => contains(n,
    /// "步道")`, `a => a in ["0-3", "3-6"]`): the test in words, 含「步道」 / contains “步道”.
    fn element_test(&mut self, body: &'a Expr, slot: usize) -> Option<Text> {
        let element = |expr: &Expr| matches!(expr, Expr::Var(var) if *var == slot);
        let shown = |recorder: &mut Self, expr: &'a Expr| {
            let value = recorder.env.eval(expr);
            shown(&value).into_pair()
        };
        match body {
            Expr::Call(Function::Contains, arguments) => match arguments.as_slice() {
                [item, text] if element(item) && fixed(text) => {
                    let (zh, en) = shown(self, text);
                    Some(Text::new(
                        joined(&["含「", &zh, "」"]),
                        joined(&["contains “", &en, "”"]),
                    ))
                }
                _ => None,
            },
            Expr::In {
                value,
                list,
                negated,
            } if element(value) && fixed(list) => {
                let (zh, en) = shown(self, list);
                Some(if *negated {
                    Text::new(
                        joined(&["不是 ", &zh, " 之一"]),
                        joined(&["is none of ", &en]),
                    )
                } else {
                    Text::new(joined(&["为 ", &zh, " 之一"]), joined(&["is one of ", &en]))
                })
            }
            Expr::Compare(op, left, right)
                if (element(left) && fixed(right)) || (element(right) && fixed(left)) =>
            {
                let (op, other) = if element(left) {
                    (*op, right)
                } else {
                    (flip(*op), left)
                };
                let (zh, en) = shown(self, other);
                Some(match op {
                    CompareOp::Eq => Text::new(joined(&["为 ", &zh]), joined(&["is ", &en])),
                    CompareOp::Ne => Text::new(joined(&["不是 ", &zh]), joined(&["is not ", &en])),
                    _ => {
                        let symbol = symbol(op);
                        Text::new(
                            joined(&[symbol, " ", &zh]),
                            joined(&["is ", symbol, " ", &en]),
                        )
                    }
                })
            }
            _ => None,
        }
    }

    /// A list of plain values whose elements were tested one by one, as one comparison:
    /// 点名项目所在的片区或地点 至少一项含「步道」.
    fn element_list(
        &mut self,
        list: &'a Expr,
        list_value: &Val<'a>,
        op: AggregateOp,
        result: Tri,
        test: &Text,
        depth: usize,
    ) {
        let subject = self.subject(list, depth);
        let any = op == AggregateOp::Any;
        let (test_zh, test_en) = (&test.zh, &test.en);
        let (stated_zh, stated_en) = match &list_value.v {
            V::List(items) if items.iter().any(|item| item.member != Tri::False) => {
                shown(list_value).into_pair()
            }
            _ => ("无".to_owned(), "none".to_owned()),
        };
        let key = match list {
            Expr::Field { index, record, .. } => record.fields.get(*index).map(|f| &f.name),
            _ => None,
        };
        let (named_zh, named_en) = match key {
            Some(key) => (
                joined(&[&subject.zh, "(", key, ")"]),
                joined(&[&lowercase_first(&subject.en), " (", key, ")"]),
            ),
            None => (subject.zh.clone(), lowercase_first(&subject.en)),
        };
        let excludes = (any && result == Tri::False).then(|| {
            Text::new(
                format!(
                    "{named_zh}为 {stated_zh},其中没有一项{test_zh},本条适用于其中至少一项{test_zh}的项目"
                ),
                format!(
                    "the {named_en} are {stated_en}, none of which {test_en}; the clause applies to projects where one does"
                ),
            )
        });
        self.out.push(Comparison {
            subject,
            required: if any {
                Text::new(
                    joined(&["至少一项", test_zh]),
                    joined(&["at least one that ", test_en]),
                )
            } else {
                Text::new(
                    joined(&["每一项都", test_zh]),
                    joined(&["every one ", test_en]),
                )
            },
            basis: None,
            stated: Text::new(stated_zh, stated_en),
            unit: None,
            path: first_path(list_value),
            excludes,
            alternative: 0,
            presence: None,
            params: Vec::new(),
            holds: result,
        });
    }

    fn compare(&mut self, op: CompareOp, left: &'a Expr, right: &'a Expr, depth: usize) {
        let left_value = self.env.eval(left);
        let right_value = self.env.eval(right);
        // Compared as `Env::eval` compares them, without evaluating both sides a second time.
        let holds = crate::engine::eval::compared(op, &left_value.v, &right_value.v);
        let from_file = |value: &Val<'_>| !value.trace.is_empty() || !value.missing.is_empty();
        let (left_file, right_file) = (from_file(&left_value), from_file(&right_value));
        // The stated side is the one read from the file; when both are, the one that is not
        // computed from a parameter (`provided >= needed`, where `needed` uses a parameter).
        let left_stated = if left_file != right_file {
            left_file
        } else {
            !self.reads_param(left, depth) || self.reads_param(right, depth)
        };
        let (op, stated_expr, stated, required_expr, required) = if left_stated {
            (op, left, left_value, right, right_value)
        } else {
            (flip(op), right, right_value, left, left_value)
        };
        // A bound the file does not state is named, and said to be unknown: 「交付使用日期 ≤
        // 住宅交付日期(未提供,无法比较)」, not 「≤ 未提供(住宅交付日期 未提供)」.
        let (required_text, basis) =
            if !required.missing.is_empty() && self.names_a_field(required_expr, depth) {
                let bound = self.subject(required_expr, depth);
                let symbol = symbol(op);
                let required_text = Text::new(
                    joined(&[symbol, " ", &bound.zh]),
                    joined(&[symbol, " ", &lowercase_first(&bound.en)]),
                );
                let unknown = Text::new("未提供,无法比较", "Not stated, so it cannot be compared");
                (required_text, Some(unknown))
            } else {
                let value = shown(&required);
                let plain = matches!(required.v, V::Bool(_) | V::Enum(..) | V::Text(_));
                let required_text = match (op, plain) {
                    (CompareOp::Eq, true) => value,
                    (CompareOp::Ne, true) => {
                        Text::new(joined(&["不是 ", &value.zh]), joined(&["not ", &value.en]))
                    }
                    _ => {
                        let symbol = symbol(op);
                        Text::new(
                            joined(&[symbol, " ", &value.zh]),
                            joined(&[symbol, " ", &value.en]),
                        )
                    }
                };
                let basis = (!simple(required_expr)).then(|| self.basis(required_expr, depth));
                (required_text, basis)
            };
        let mut params = Vec::new();
        self.params_read(required_expr, depth, &mut params);
        self.out.push(Comparison {
            subject: self.subject(stated_expr, depth),
            required: required_text,
            basis,
            stated: shown(&stated),
            unit: unit_of(&stated),
            path: first_path(&stated),
            excludes: None,
            alternative: 0,
            presence: None,
            params,
            holds,
        });
    }

    fn membership(
        &mut self,
        expr: &'a Expr,
        value: &'a Expr,
        list: &'a Expr,
        negated: bool,
        depth: usize,
    ) {
        let holds = self.truth(expr);
        if fixed(value) && !fixed(list) {
            // `child_handwash in f.includes`: what the file lists must include the value.
            let wanted = self.env.eval(value);
            let listed = self.env.eval(list);
            let (zh, en) = shown(&wanted).into_pair();
            let stated = match &listed.v {
                V::List(items) if items.iter().all(|item| item.member == Tri::False) => {
                    Text::new("无", "none")
                }
                _ => shown(&listed),
            };
            let subject = self.subject(list, depth);
            // Said of the project when it is what keeps the clause from applying.
            let excludes = (!negated).then(|| {
                let (subject_zh, subject_en, stated_zh, stated_en) =
                    (&subject.zh, &subject.en, &stated.zh, &stated.en);
                Text::new(
                    joined(&[
                        subject_zh,
                        "为 ",
                        stated_zh,
                        ",不含 ",
                        &zh,
                        ",本条适用于含有 ",
                        &zh,
                        " 的项目",
                    ]),
                    format!(
                        "{} is {stated_en}, without {en}; the clause applies where it includes {en}",
                        lowercase_first(subject_en)
                    ),
                )
            });
            self.out.push(Comparison {
                subject,
                required: if negated {
                    Text::new(joined(&["不含 ", &zh]), joined(&["without ", &en]))
                } else {
                    Text::new(joined(&["含 ", &zh]), joined(&["includes ", &en]))
                },
                basis: None,
                stated,
                unit: None,
                path: first_path(&listed),
                excludes,
                alternative: 0,
                presence: None,
                params: Vec::new(),
                holds,
            });
            return;
        }
        let stated = self.env.eval(value);
        let allowed = self.env.eval(list);
        let (zh, en) = shown(&allowed).into_pair();
        self.out.push(Comparison {
            subject: self.subject(value, depth),
            required: if negated {
                Text::new(joined(&[&zh, "以外"]), joined(&["none of ", &en]))
            } else {
                Text::new(joined(&[&zh, "之一"]), joined(&["one of ", &en]))
            },
            basis: None,
            stated: shown(&stated),
            unit: None,
            path: first_path(&stated),
            excludes: None,
            alternative: 0,
            presence: None,
            params: Vec::new(),
            holds,
        });
    }

    /// Any other truth value: a flag read from the file (`delivered_with_housing`), `contains`.
    fn condition(&mut self, expr: &'a Expr, depth: usize) {
        let value = self.env.eval(expr);
        let holds = value.tri();
        self.out.push(Comparison {
            subject: self.subject(expr, depth),
            required: Text::new("是", "yes"),
            basis: None,
            stated: shown(&value),
            unit: None,
            path: first_path(&value),
            excludes: None,
            alternative: 0,
            presence: None,
            params: Vec::new(),
            holds,
        });
    }

    /// The parameters `expr` reads, through `let` bindings.
    fn params_read(&self, expr: &'a Expr, depth: usize, out: &mut Vec<usize>) {
        if depth > MAX_DEPTH {
            return;
        }
        expr.visit(&mut |inner| match inner {
            Expr::Param(index) if !out.contains(index) => out.push(*index),
            Expr::Var(slot) => {
                if let Some(bound) = self.let_expr(*slot) {
                    self.params_read(bound, depth + 1, out);
                }
            }
            _ => {}
        });
    }

    fn reads_param(&self, expr: &'a Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match expr {
            Expr::Param(_) => true,
            Expr::Var(slot) => self
                .let_expr(*slot)
                .is_some_and(|bound| self.reads_param(bound, depth + 1)),
            Expr::Arith(_, a, b) => {
                self.reads_param(a, depth + 1) || self.reads_param(b, depth + 1)
            }
            Expr::Call(_, arguments) => arguments
                .iter()
                .any(|argument| self.reads_param(argument, depth + 1)),
            Expr::Neg(inner) => self.reads_param(inner, depth + 1),
            _ => false,
        }
    }

    /// What a value is, as a person names it.
    /// `present(path)` (`wanted_stated`) or `not present(path)`: whether the file states it.
    fn presence(&mut self, path: &'a Expr, wanted_stated: bool, depth: usize) {
        let value = self.env.eval(path);
        let stated = value.missing.is_empty();
        let subject = self.subject(path, depth);
        let at = first_path(&value);
        let list = match path {
            Expr::Field { index, record, .. } => record
                .fields
                .get(*index)
                .is_some_and(|field| matches!(field.ty, crate::project::types::Ty::List(_))),
            _ => matches!(value.v, V::List(_)),
        };
        self.out.push(Comparison {
            required: presence_required(&subject, at.as_ref(), list, wanted_stated),
            subject,
            basis: None,
            stated: match (stated, wanted_stated) {
                (true, _) => Text::new("已注明", "stated"),
                (false, true) => not_stated(),
                // Met by the file's silence: the file states none, which is no missing evidence.
                (false, false) => Text::new("文件未注明", "the file does not state it"),
            },
            unit: None,
            path: at,
            excludes: None,
            alternative: 0,
            presence: Some(wanted_stated),
            params: Vec::new(),
            holds: if stated == wanted_stated {
                Tri::True
            } else {
                Tri::False
            },
        });
    }

    /// Whether `expr` is a value of the file (through the `let`s naming it), which a person
    /// knows by its label, and not a value computed from one.
    fn names_a_field(&self, expr: &'a Expr, depth: usize) -> bool {
        match expr {
            _ if depth > MAX_DEPTH => false,
            Expr::Field { .. } => true,
            Expr::Var(slot) => self
                .let_expr(*slot)
                .is_some_and(|bound| self.names_a_field(bound, depth + 1)),
            _ => false,
        }
    }

    fn subject(&self, expr: &'a Expr, depth: usize) -> Text {
        if depth > MAX_DEPTH {
            return Text::new("值", "value");
        }
        match expr {
            Expr::Field { index, record, .. } => record
                .fields
                .get(*index)
                .map_or_else(|| Text::new("值", "value"), |field| label(&field.doc)),
            Expr::Var(slot) => match self.let_expr(*slot) {
                Some(bound) => self.subject(bound, depth + 1),
                None => match self.elements.iter().rev().find(|(var, _)| var == slot) {
                    Some((_, list)) => {
                        let list = self.subject(list, depth + 1);
                        Text::new(
                            joined(&[&list.zh, "中的一项"]),
                            joined(&["an item of ", &list.en]),
                        )
                    }
                    None => Text::new("该项", "the item"),
                },
            },
            Expr::Aggregate { op, list, body, .. } => {
                let of_list = self.subject(list, depth + 1);
                let of_body = body.as_deref().map(|body| self.subject(body, depth + 1));
                match (op, of_body) {
                    (AggregateOp::Sum, Some(body)) => {
                        Text::new(joined(&[&body.zh, "合计"]), joined(&["total ", &body.en]))
                    }
                    (AggregateOp::Min, Some(body)) => {
                        Text::new(joined(&["最小", &body.zh]), joined(&["least ", &body.en]))
                    }
                    (AggregateOp::Max, Some(body)) => Text::new(
                        joined(&["最大", &body.zh]),
                        joined(&["greatest ", &body.en]),
                    ),
                    (AggregateOp::CountDistinct { .. }, Some(body)) => Text::new(
                        joined(&["不同", &body.zh, "的数量"]),
                        joined(&["number of different ", &body.en]),
                    ),
                    (AggregateOp::CountDistinct { .. }, None) => Text::new(
                        joined(&["不同", &of_list.zh, "的数量"]),
                        joined(&["number of different ", &of_list.en]),
                    ),
                    (AggregateOp::Count, _) => Text::new(
                        joined(&[&of_list.zh, "数量"]),
                        joined(&["number of ", &of_list.en]),
                    ),
                    (AggregateOp::Filter, _) => Text::new(
                        joined(&["符合条件的", &of_list.zh]),
                        joined(&["qualifying ", &lowercase_first(&of_list.en)]),
                    ),
                    _ => of_list,
                }
            }
            Expr::Call(_, arguments) => arguments.first().map_or_else(
                || Text::new("值", "value"),
                |first| self.subject(first, depth + 1),
            ),
            Expr::Arith(_, left, _) | Expr::Neg(left) => self.subject(left, depth + 1),
            Expr::Present(inner) => self.subject(inner, depth + 1),
            _ => Text::new("条件", "condition"),
        }
    }

    /// How a value was computed, with the values it was computed from.
    fn basis(&mut self, expr: &'a Expr, depth: usize) -> Text {
        let value = |recorder: &mut Self| {
            let value = recorder.env.eval(expr);
            shown(&value).into_pair()
        };
        if depth > MAX_DEPTH {
            let (zh, en) = value(self);
            return Text::new(zh, en);
        }
        match expr {
            Expr::Var(slot) => match self.let_expr(*slot) {
                Some(bound) => self.basis(bound, depth + 1),
                None => {
                    let (zh, en) = value(self);
                    Text::new(zh, en)
                }
            },
            Expr::Field { .. } | Expr::Aggregate { .. } => {
                let subject = self.subject(expr, depth);
                let (zh, en) = value(self);
                Text::new(
                    joined(&[&subject.zh, " ", &zh]),
                    joined(&[&subject.en, " ", &en]),
                )
            }
            Expr::Arith(op, left, right) => {
                let inner = |recorder: &mut Self, operand: &'a Expr| {
                    let text = recorder.basis(operand, depth + 1);
                    let grouped = matches!(op, ArithOp::Mul | ArithOp::Div)
                        && matches!(operand, Expr::Arith(ArithOp::Add | ArithOp::Sub, ..));
                    if grouped {
                        Text::new(joined(&["(", &text.zh, ")"]), joined(&["(", &text.en, ")"]))
                    } else {
                        text
                    }
                };
                let (a, b) = (inner(self, left), inner(self, right));
                let symbol = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "−",
                    ArithOp::Mul => "×",
                    ArithOp::Div => "÷",
                };
                Text::new(
                    joined(&[&a.zh, " ", symbol, " ", &b.zh]),
                    joined(&[&a.en, " ", symbol, " ", &b.en]),
                )
            }
            Expr::Call(function, arguments) => {
                let mut parts = Vec::with_capacity(arguments.len());
                for argument in arguments {
                    parts.push(self.basis(argument, depth + 1));
                }
                let join =
                    |lang: fn(&Text) -> &str| parts.iter().map(lang).collect::<Vec<_>>().join(", ");
                let (zh, en) = (join(|t| &t.zh), join(|t| &t.en));
                let wrap = |inner: &str| match function {
                    Function::Ceil => joined(&["⌈", inner, "⌉"]),
                    Function::Floor => joined(&["⌊", inner, "⌋"]),
                    Function::Round => joined(&["round(", inner, ")"]),
                    Function::Year => joined(&["year(", inner, ")"]),
                    Function::Contains => joined(&["contains(", inner, ")"]),
                    Function::Min2 => joined(&["min(", inner, ")"]),
                    Function::Max2 => joined(&["max(", inner, ")"]),
                    Function::AgeBands => joined(&["age_bands(", inner, ")"]),
                };
                Text::new(wrap(&zh), wrap(&en))
            }
            _ => {
                let (zh, en) = value(self);
                Text::new(zh, en)
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Tests: every truth value the walk reads is evaluated with its paths (noted), as before
    /// [`Recorder::truth`] found some without ([`with_truths_evaluated`]).
    static TRUTHS_EVALUATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tests: `run` with every truth value the record reads evaluated with its paths.
#[cfg(test)]
pub(crate) fn with_truths_evaluated<T>(run: impl FnOnce() -> T) -> T {
    TRUTHS_EVALUATED.with(|evaluated| evaluated.set(true));
    let value = run();
    TRUTHS_EVALUATED.with(|evaluated| evaluated.set(false));
    value
}

/// Whether the record of `expr` reads no truth value of a part of it: a comparison, `in`,
/// `present` and `any`/`all` are explained from their operands' values, evaluated there.
fn walked_whole(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Compare(..)
            | Expr::In { .. }
            | Expr::Present(_)
            | Expr::Aggregate {
                op: AggregateOp::Any | AggregateOp::All,
                body: Some(_),
                ..
            }
    )
}

/// Whether `expr` has an aggregate in it (whose evaluation counts list elements against the
/// step budget).
fn aggregates(expr: &Expr) -> bool {
    let mut found = false;
    expr.visit(&mut |inner| found = found || matches!(inner, Expr::Aggregate { .. }));
    found
}

/// A [`Recorder`] whose environment stops noting truth values ([`Env::noting`]) for as long as
/// this lives, and notes again as it did before when this is dropped.
struct NotNoting<'g, 'r, 'a> {
    recorder: &'g mut Recorder<'r, 'a>,
    /// Whether the environment was noting before.
    noting: bool,
}

impl<'r, 'a> std::ops::Deref for NotNoting<'_, 'r, 'a> {
    type Target = Recorder<'r, 'a>;

    fn deref(&self) -> &Self::Target {
        self.recorder
    }
}

impl std::ops::DerefMut for NotNoting<'_, '_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.recorder
    }
}

impl Drop for NotNoting<'_, '_, '_> {
    fn drop(&mut self) {
        self.recorder.env.noting(self.noting);
    }
}

/// An `any`/`all` whose elements are walked.
#[derive(Clone, Copy)]
struct ElementWalk<'a, 'v> {
    list: &'a Expr,
    list_value: &'v Val<'a>,
    slot: usize,
    body: &'a Expr,
    result: Tri,
    selecting: bool,
    op: AggregateOp,
}

/// Whether `expr` reads nothing of the file or of a list element: constants and parameters.
fn fixed(expr: &Expr) -> bool {
    let mut reads = false;
    expr.visit(&mut |inner| reads = reads || matches!(inner, Expr::Var(_) | Expr::Root));
    !reads
}

/// Whether `expr` tests the kind of the element in `slot` against fixed values (`f.kind ==
/// kindergarten`, `f.kind in [park, square]`), or whether it states a value at all: how a rule
/// selects the elements it is about.
fn selection(expr: &Expr, slot: usize) -> bool {
    let kind_of_element = |expr: &Expr| {
        matches!(expr, Expr::Field { base, index, record }
        if matches!(**base, Expr::Var(var) if var == slot)
            && record.fields.get(*index).is_some_and(|field| {
                matches!(field.ty, crate::project::types::Ty::Enum(_))
            }))
    };
    match expr {
        Expr::Compare(CompareOp::Eq | CompareOp::Ne, left, right) => {
            (kind_of_element(left) && fixed(right)) || (kind_of_element(right) && fixed(left))
        }
        Expr::In { value, list, .. } => kind_of_element(value) && fixed(list),
        // `present(f.child_toilet_stalls)`: the elements that do not state it are not what an
        // `any` looks for (a trail states no toilet stalls).
        Expr::Present(inner) => matches!(&**inner, Expr::Field { base, .. }
            if matches!(**base, Expr::Var(var) if var == slot)),
        _ => false,
    }
}

/// The element's field a selection tests.
fn selected_field(selection: &Expr) -> Option<&Expr> {
    match selection {
        Expr::Compare(_, left, right) => Some(if fixed(left) { right } else { left }),
        // `separate_area in f.features`: the element's list.
        Expr::In { value, list, .. } if fixed(value) => Some(list),
        Expr::In { value, .. } | Expr::Present(value) => Some(value),
        _ => None,
    }
}

/// The parts of an `any`'s condition that lead its `and` chain and test the element alone
/// (`f.area_m2 >= 100 m2`, `separate_area in f.features`): how it selects the elements it is
/// about, as a test of kind does. The last part is what it requires of them, never a filter.
fn leading_conditions(body: &Expr, slot: usize) -> Vec<&Expr> {
    let mut parts = Vec::new();
    let mut pending = vec![body];
    while let Some(expr) = pending.pop() {
        match expr {
            Expr::And(left, right) => {
                pending.push(right);
                pending.push(left);
            }
            other => parts.push(other),
        }
    }
    parts.pop();
    parts
        .into_iter()
        .filter(|part| item_level(part, slot))
        .collect()
}

/// Whether `expr` is a condition on the element in `slot` alone: it reads the element, and
/// nothing of the file or of another variable.
fn item_level(expr: &Expr, slot: usize) -> bool {
    let (mut element, mut other) = (false, false);
    expr.visit(&mut |inner| match inner {
        Expr::Var(var) if *var == slot => element = true,
        Expr::Var(_) | Expr::Root | Expr::Aggregate { .. } => other = true,
        _ => {}
    });
    element && !other
}

fn field_index(expr: &Expr) -> Option<usize> {
    match expr {
        Expr::Field { index, .. } => Some(*index),
        _ => None,
    }
}

/// What a selection looks for, in words: 幼儿园, 公共厕所、第三卫生间之一.
fn selection_wanted(expr: &Expr) -> Option<Text> {
    let constant = |expr: &Expr| match expr {
        Expr::Const(crate::rules::ir::Const::Enum(ty, index)) => {
            ty.variants.get(*index).map(variant_label)
        }
        Expr::List(items) => {
            let labels: Vec<Text> = items
                .iter()
                .filter_map(|item| match item {
                    Expr::Const(crate::rules::ir::Const::Enum(ty, index)) => {
                        ty.variants.get(*index).map(variant_label)
                    }
                    _ => None,
                })
                .collect();
            Some(Text::new(
                labels
                    .iter()
                    .map(|l| l.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
                    + "之一",
                format!(
                    "one of {}",
                    labels
                        .iter()
                        .map(|l| l.en.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
        _ => None,
    };
    match expr {
        Expr::Present(_) => Some(must_be_stated()),
        Expr::Compare(op, left, right) => {
            let text = if fixed(left) {
                constant(left)
            } else {
                constant(right)
            }?;
            Some(match op {
                CompareOp::Ne => {
                    Text::new(joined(&["不是 ", &text.zh]), joined(&["not ", &text.en]))
                }
                _ => text,
            })
        }
        Expr::In { list, negated, .. } => {
            let text = constant(list)?;
            Some(if *negated {
                Text::new(joined(&[&text.zh, "以外"]), joined(&["none of ", &text.en]))
            } else {
                text
            })
        }
        _ => None,
    }
}

/// Whether the required side is a plain value, so how it was computed says nothing more.
fn simple(expr: &Expr) -> bool {
    matches!(expr, Expr::Const(_) | Expr::Param(_) | Expr::List(_))
}

/// What a requirement that `subject` be stated (`wanted`) or not says, as a whole phrase: a list
/// of what the project has or does (facilities, evidence, participation) must have an item
/// (须有在案的证明材料); a fact about the project or its surroundings must be stated
/// (须注明校门及其临近道路: the clause does not want school gates, it judges those there are).
fn presence_required(subject: &Text, path: Option<&YamlPath>, list: bool, wanted: bool) -> Text {
    let lower = lowercase_first(&subject.en);
    if !wanted {
        // A condition the file meets by saying nothing (a flag that may be left out), not a
        // finding that something is missing: 「不注明…」, never 「未注明…」, which reads as a gap.
        return Text::new(
            joined(&["不注明", &subject.zh]),
            joined(&["no statement of ", &lower]),
        );
    }
    let about_the_setting = path
        .and_then(|path| path.segments.first())
        .is_some_and(|first| {
            matches!(first, crate::project::yaml::Segment::Key(key)
                if key == "surroundings" || key == "project")
        });
    if list && !about_the_setting {
        Text::new(
            joined(&["须有", &subject.zh]),
            joined(&["must have ", &lower]),
        )
    } else {
        Text::new(
            joined(&["须注明", &subject.zh]),
            joined(&["must state ", &lower]),
        )
    }
}

/// `parts` one after another, in a string of their length (`format!` guessed the length and
/// grew the string as it wrote).
fn joined(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}

/// What an element is looked for by when the rule wants a value of it stated (`present(f.x)`
/// as a filter): 儿童洗手池数 须注明.
pub fn must_be_stated() -> Text {
    Text::new("须注明", "must be stated")
}

fn not_stated() -> Text {
    Text::new("未提供", "not stated")
}

fn first_path(value: &Val<'_>) -> Option<YamlPath> {
    value
        .trace
        .first()
        .or_else(|| value.missing.first())
        .map(|path| to_yaml_path(path))
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Ge => CompareOp::Le,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Lt => CompareOp::Gt,
        other => other,
    }
}

fn symbol(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "≠",
        CompareOp::Ge => "≥",
        CompareOp::Le => "≤",
        CompareOp::Gt => ">",
        CompareOp::Lt => "<",
    }
}

fn unit_of(value: &Val<'_>) -> Option<Text> {
    let V::Num { dim, unit, .. } = &value.v else {
        return None;
    };
    let unit: Option<&Unit> = unit
        .filter(|unit| unit.dim == *dim)
        .or_else(|| units::display_unit(*dim));
    unit.map(|unit| Text::new(unit.display.0, unit.display.1))
}

/// A value as a person reads it: enum values by their label, not their YAML name.
pub fn display(value: &Val<'_>, chinese: bool) -> String {
    match &value.v {
        V::Enum(index, variants) => variants.get(*index).map_or_else(String::new, |variant| {
            with_label(&variant.doc, |label| label.get_chinese(chinese).to_owned())
        }),
        V::List(items) => {
            let shown: Vec<String> = items
                .iter()
                .filter(|item| item.member != Tri::False)
                .map(|item| display(&item.val, chinese))
                .collect();
            shown.join(if chinese { "、" } else { ", " })
        }
        _ => value.display(chinese),
    }
}

/// A value as a person reads it ([`display`]) in both languages, each enum value's label looked
/// up once for both.
fn shown(value: &Val<'_>) -> Text {
    match &value.v {
        V::Enum(index, variants) => variants
            .get(*index)
            .map_or_else(|| Text::new("", ""), |variant| label(&variant.doc)),
        V::List(items) => {
            let mut zh = String::new();
            let mut en = String::new();
            for (index, item) in items
                .iter()
                .filter(|item| item.member != Tri::False)
                .enumerate()
            {
                let Text {
                    zh: item_zh,
                    en: item_en,
                } = shown(&item.val);
                if index > 0 {
                    zh.push('、');
                    en.push_str(", ");
                }
                zh.push_str(&item_zh);
                en.push_str(&item_en);
            }
            Text { zh, en }
        }
        _ => Text::new(value.display(true), value.display(false)),
    }
}

trait IntoPair {
    fn into_pair(self) -> (String, String);
}

impl IntoPair for Text {
    fn into_pair(self) -> (String, String) {
        (self.zh, self.en)
    }
}

/// The short name of an enum value: 托育机构 for `childcare_centre`.
pub fn variant_label(variant: &Variant) -> Text {
    label(&variant.doc)
}

/// The short name in a model description: the words before any explanation.
pub fn label(doc: &Text) -> Text {
    with_label(doc, Text::clone)
}

/// What `read` makes of the short name of `doc` ([`label`]), without copying the name: a value
/// shown in one language needs only that language's words.
fn with_label<R>(doc: &Text, read: impl FnOnce(&Text) -> R) -> R {
    // Labels are asked for again and again (every enum value shown, for every rule of every
    // file), of descriptions that live as long as the model: remember each by its address,
    // checking the text so that a description freed and another at its address is never confused.
    type Labels = HashMap<usize, (Text, Text), BuildHasherDefault<ByAddress>>;
    thread_local! {
        static LABELS: RefCell<Labels> = RefCell::new(Labels::default());
    }
    let key = doc.zh.as_ptr() as usize;
    LABELS.with(|labels| {
        let mut labels = labels.borrow_mut();
        if let Some((_, label)) = labels.get(&key).filter(|(of, _)| of == doc) {
            return read(label);
        }
        let label = short(doc);
        let value = read(&label);
        // Bounded: the model has a few hundred descriptions; rule-local ones never accumulate.
        if labels.len() > 4096 {
            labels.clear();
        }
        labels.insert(key, (doc.clone(), label));
        value
    })
}

/// Hashes the address [`with_label`] keys its labels by: the standard hasher, built to resist
/// chosen keys, cost more than the rest of the lookup, and an address is not chosen by input.
#[derive(Default)]
struct ByAddress(u64);

impl Hasher for ByAddress {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(GOLDEN);
        }
    }

    fn write_usize(&mut self, address: usize) {
        // Addresses are aligned: the product's high bits, folded down, spread the low ones.
        let mixed = (address as u64).wrapping_mul(GOLDEN);
        self.0 = mixed ^ (mixed >> 32);
    }
}

/// 2^64 divided by the golden ratio: multiplying by it spreads a key's bits.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

fn short(doc: &Text) -> Text {
    crate::project::types::short_label(doc)
}

trait Pick {
    fn get_chinese(&self, chinese: bool) -> &str;
}

impl Pick for Text {
    fn get_chinese(&self, chinese: bool) -> &str {
        if chinese { &self.zh } else { &self.en }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::{BuildHasher, BuildHasherDefault};

    use super::Words;

    /// hostile17 Z2: keys that differ only in their high bits (a shape's one-condition key
    /// `c << 32`, an aligned address) hashed to the same low bits, which a map picks its bucket
    /// by, so every key landed in one bucket and the report grew with the square of the rules.
    #[test]
    fn keys_differing_only_in_high_bits_spread_over_the_low_bits() {
        let hasher = BuildHasherDefault::<Words>::default();
        let low_bits: HashSet<u64> = (0..4096_u64)
            .map(|c| hasher.hash_one([c << 32]) & 0xfff)
            .collect();
        // 4 096 keys into 4 096 buckets: a random function fills about 63 % of them.
        assert!(low_bits.len() > 2000, "{} buckets", low_bits.len());
        let aligned: HashSet<u64> = (0..4096_u64)
            .map(|c| hasher.hash_one(0x7f00_0000_0000 + c * 64) & 0xfff)
            .collect();
        assert!(aligned.len() > 2000, "{} buckets", aligned.len());
    }
}
