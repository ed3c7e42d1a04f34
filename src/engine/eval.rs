//! Evaluation of checked rules against a loaded project, in three-valued logic.
//!
//! A value the file does not state is *unknown*, never zero or false. Unknown truth values follow
//! Kleene's logic (`false and unknown` is false); unknown numbers are intervals bounded by what
//! the model allows (`[0, ∞)` for a count), so `sum(places) >= 54` can still be decided when one
//! facility's places are missing but the others already exceed 54. Every unknown value carries
//! the paths whose absence made it unknown; every decided value carries the paths it was computed
//! from, so a failure can point at the value that decided it.
//!
//! Architecture invariant: evaluation always terminates. The language has no recursion and no
//! loops other than aggregates over the (finite) lists of the project file.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::project::date::Date;
use crate::project::types::{RecordTy, Ty, project_type};
use crate::project::units::{self, Dim, Unit};
use crate::project::yaml::{Segment, YamlPath};
use crate::project::{Data, Project};
use crate::rules::ir::*;

/// A truth value: true, false, or unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Decided true.
    True,
    /// Decided false.
    False,
    /// Cannot be decided from what the file states.
    Unknown,
}

impl Tri {
    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Kleene negation.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    fn from_bool(value: bool) -> Tri {
        if value { Tri::True } else { Tri::False }
    }
}

/// A step of a path from the root of the project file, shared between values cheaply.
#[derive(Debug)]
pub struct PathNode<'a> {
    parent: Option<Rc<PathNode<'a>>>,
    step: Step<'a>,
}

#[derive(Debug)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A shared path.
pub type PathRef<'a> = Rc<PathNode<'a>>;

/// The paths a value was read from or is missing: most values have none or one (a field read),
/// so one is held inline, where a `Vec` was allocated (and freed) for each of them.
pub type Paths<'a> = smallvec::SmallVec<[PathRef<'a>; 1]>;

fn child<'a>(parent: &Option<PathRef<'a>>, step: Step<'a>) -> PathRef<'a> {
    Rc::new(PathNode {
        parent: parent.clone(),
        step,
    })
}

/// How many path nodes one file's [`PathCache`] holds (at most 255: its slots are bytes).
const CACHED_PATHS: usize = 128;

/// The path nodes made during one file's evaluation, found again by their parent and step, so
/// that the fields every rule reads (`project.kind`, `population.residents`, the elements of
/// `facilities`) share one node each instead of allocating one per read and freeing it after:
/// 290 allocations a file, most of them for the same few paths. Direct-mapped, a fixed number of
/// slots (the cache never grows, whatever the file), each slot keeping the last node made for
/// it. A node is found again only when its parent is the very node given (the cache holds the
/// node, and so its parent, alive: no other node can be at that address) and its step is equal
/// (a field's name, an index): two different paths never share a node, and a slot two paths
/// map to holds one of them, the other made anew as it was before.
struct PathCache<'a> {
    /// Each slot's node, as its place in `nodes` plus one; 0 for none. Bytes, so that an
    /// environment that reads no field (the record makes many) costs a small clear, and the
    /// nodes alone need dropping.
    slots: [u8; CACHED_PATHS],
    nodes: Vec<PathRef<'a>>,
}

impl<'a> PathCache<'a> {
    fn new() -> Self {
        PathCache {
            slots: [0; CACHED_PATHS],
            nodes: Vec::new(),
        }
    }

    /// The node of `step` under `parent` (the root for `None`): the one made before if the
    /// cache still holds it, else a new one, kept.
    fn child(&mut self, parent: &Option<PathRef<'a>>, step: Step<'a>) -> PathRef<'a> {
        let at = Self::slot(parent, &step);
        let Some(slot) = self.slots.get_mut(at) else {
            return child(parent, step);
        };
        let kept = usize::from(*slot)
            .checked_sub(1)
            .and_then(|index| self.nodes.get_mut(index));
        if let Some(node) = &kept
            && same_step(&node.step, &step)
            && match (&node.parent, parent) {
                (None, None) => true,
                (Some(kept), Some(given)) => Rc::ptr_eq(kept, given),
                _ => false,
            }
        {
            return Rc::clone(node);
        }
        let node = child(parent, step);
        match kept {
            // The slot's node gives way to the newest.
            Some(replaced) => *replaced = Rc::clone(&node),
            None => {
                if let Ok(place) = u8::try_from(self.nodes.len() + 1) {
                    if self.nodes.is_empty() {
                        // A file's evaluation keeps a few dozen: grown once, not from four.
                        self.nodes.reserve(CACHED_PATHS / 4);
                    }
                    self.nodes.push(Rc::clone(&node));
                    *slot = place;
                }
            }
        }
        node
    }

    /// The slot of a parent and step: a multiplicative hash of the parent's address and of
    /// the name's address or the index.
    fn slot(parent: &Option<PathRef<'a>>, step: &Step<'a>) -> usize {
        let parent = parent
            .as_ref()
            .map_or(0, |node| Rc::as_ptr(node) as usize as u64);
        let step = match step {
            Step::Key(name) => name.as_ptr() as usize as u64,
            Step::Index(index) => (*index as u64).wrapping_mul(2) | 1,
        };
        let mixed = (parent.rotate_left(29) ^ step).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // The top bits, which the multiplication mixed most (CACHED_PATHS is a power of two).
        (mixed >> (64 - CACHED_PATHS.trailing_zeros())) as usize
    }
}

/// A new node (shared with no other path) of `list[index].field`, for tests elsewhere.
#[cfg(test)]
pub(crate) fn element_field_path<'a>(list: &'a str, index: usize, field: &'a str) -> PathRef<'a> {
    let list = Some(child(&None, Step::Key(list)));
    child(&Some(child(&list, Step::Index(index))), Step::Key(field))
}

/// Whether two steps are the same: a field's name is most often the very name of the model's
/// field (the same address), else compared as text.
fn same_step(a: &Step<'_>, b: &Step<'_>) -> bool {
    match (a, b) {
        (Step::Key(x), Step::Key(y)) => std::ptr::eq(*x, *y) || x == y,
        (Step::Index(x), Step::Index(y)) => x == y,
        _ => false,
    }
}

/// Converts a shared path into a [`YamlPath`].
pub fn to_yaml_path(path: &PathNode<'_>) -> YamlPath {
    let mut steps = Vec::new();
    let mut node = Some(path);
    while let Some(current) = node {
        steps.push(&current.step);
        node = current.parent.as_deref();
    }
    // Built in one piece: extending a path step by step copies it at every step.
    let segments = steps
        .into_iter()
        .rev()
        .map(|step| match step {
            Step::Key(key) => Segment::Key((*key).to_owned()),
            Step::Index(index) => Segment::Index(*index),
        })
        .collect();
    YamlPath { segments }
}

/// An evaluated value with what it depends on.
#[derive(Clone, Debug)]
pub struct Val<'a> {
    /// The value.
    pub v: V<'a>,
    /// Paths whose absence left the value undecided (empty when decided).
    pub missing: Paths<'a>,
    /// Paths the value was read or computed from.
    pub trace: Paths<'a>,
}

/// The kinds of value.
#[derive(Clone, Debug)]
pub enum V<'a> {
    /// A truth value.
    Bool(Tri),
    /// A number in base units, known to lie in `[lo, hi]` (a point when known).
    Num {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
        /// What it measures.
        dim: Dim,
        /// The unit to print it in (the unit of the field or literal it came from).
        unit: Option<&'static Unit>,
    },
    /// Text.
    Text(&'a str),
    /// A date.
    Date(Date),
    /// An enum variant by position, with the names for printing.
    Enum(usize, &'a [crate::project::types::Variant]),
    /// A list; each element with whether it is in the list (uncertain after a filter).
    List(Rc<Vec<Elem<'a>>>),
    /// A mapping from the file.
    Record(&'a [Option<Data>], &'a RecordTy),
    /// Not stated, and not a truth value or number.
    Unknown,
}

/// An element of a list value.
#[derive(Clone, Debug)]
pub struct Elem<'a> {
    /// The element.
    pub val: Val<'a>,
    /// Whether it belongs to the list.
    pub member: Tri,
    /// Why membership is unknown.
    pub member_missing: Paths<'a>,
}

impl<'a> Val<'a> {
    fn decided(v: V<'a>, trace: Paths<'a>) -> Self {
        Val {
            v,
            missing: Paths::new(),
            trace,
        }
    }

    fn constant(v: V<'a>) -> Self {
        Val::decided(v, Paths::new())
    }

    /// The truth value (anything but a boolean counts as unknown).
    pub fn tri(&self) -> Tri {
        truth_of(&self.v)
    }

    fn is_unknown(&self) -> bool {
        match &self.v {
            V::Bool(Tri::Unknown) | V::Unknown => true,
            V::Num { lo, hi, .. } => lo != hi,
            _ => false,
        }
    }

    /// Formats the value for a message.
    pub fn display(&self, chinese: bool) -> String {
        let unknown = if chinese { "未提供" } else { "not stated" };
        match &self.v {
            V::Bool(Tri::True) => (if chinese { "是" } else { "yes" }).into(),
            V::Bool(Tri::False) => (if chinese { "否" } else { "no" }).into(),
            V::Bool(Tri::Unknown) | V::Unknown => unknown.into(),
            V::Num { lo, hi, dim, unit } if lo == hi => {
                units::format_quantity(*lo, *dim, *unit, chinese)
            }
            V::Num { lo, dim, unit, .. } if lo.is_finite() && *lo > 0.0 => {
                let at_least = units::format_quantity(*lo, *dim, *unit, chinese);
                if chinese {
                    format!("至少 {at_least}")
                } else {
                    format!("at least {at_least}")
                }
            }
            V::Num { .. } => unknown.into(),
            V::Text(text) => (*text).to_owned(),
            V::Date(date) => date.to_string(),
            V::Enum(index, variants) => variants
                .get(*index)
                .map_or_else(String::new, |variant| variant.name.clone()),
            V::List(items) => {
                let shown: Vec<String> = items
                    .iter()
                    .filter(|item| item.member != Tri::False)
                    .map(|item| item.val.display(chinese))
                    .collect();
                shown.join(if chinese { "、" } else { ", " })
            }
            V::Record(..) => String::new(),
        }
    }
}

/// How many paths [`merge`] and [`dedup_paths`] look for one by one (each compared with those
/// kept); past it, they use a set, so that long lists take time linear in their length.
pub(crate) const SCANNED_PATHS: usize = 8;

/// `a` and then the paths of `b` not already there. Few paths of `b` are looked for in `a` one by
/// one; more are looked up in a set of `a`'s, so that merging two long lists (an aggregate's
/// unknown elements on each side of a comparison) takes time linear in them, not their product.
fn merge<'a>(mut a: Paths<'a>, b: &[PathRef<'a>]) -> Paths<'a> {
    if b.len() <= SCANNED_PATHS {
        for path in b {
            if !a
                .iter()
                .any(|existing| Rc::ptr_eq(existing, path) || same_path(existing, path))
            {
                a.push(Rc::clone(path));
            }
        }
        return a;
    }
    let mut added = Vec::new();
    let mut seen: std::collections::HashSet<_> = a.iter().map(|path| PathKey(path)).collect();
    for path in b {
        if seen.insert(PathKey(path)) {
            added.push(Rc::clone(path));
        }
    }
    drop(seen);
    a.extend(added);
    a
}

fn same_path(a: &PathNode<'_>, b: &PathNode<'_>) -> bool {
    same_step(&a.step, &b.step)
        && match (&a.parent, &b.parent) {
            (None, None) => true,
            (Some(x), Some(y)) => Rc::ptr_eq(x, y) || same_path(x, y),
            _ => false,
        }
}

/// Tolerance for comparing numbers computed in floating point.
fn tolerance(a: f64, b: f64) -> f64 {
    let scale = a.abs().max(b.abs());
    if scale.is_finite() {
        1e-9 * scale.max(1.0)
    } else {
        0.0
    }
}

/// Snaps a value within rounding noise of a whole number onto it, so `ceil(54.000000001)` is 54.
fn snap(value: f64) -> f64 {
    let rounded = value.round();
    if (value - rounded).abs() <= tolerance(value, rounded) {
        rounded
    } else {
        value
    }
}

/// The evaluation of one project: the file, the parameter values that apply to it, and the
/// variable slots of the rule being evaluated.
pub struct Env<'a> {
    project: &'a Project,
    params: &'a [f64],
    set: &'a RuleSet,
    slots: Vec<Val<'a>>,
    /// Elements of lists visited by aggregates since the rule's evaluation began.
    steps: u64,
    /// The most elements one rule may visit: [`STEP_BUDGET`] unless raised (`--max-steps`).
    budget: u64,
    /// Whether `steps` passed `budget`: the rule's value is then not to be trusted.
    exceeded: bool,
    /// Whether truth values are being noted in `noted` (see [`Env::noting`]).
    noting: bool,
    /// The truth values of the expressions evaluated while noting, outside any aggregate's
    /// body, by the expression's address: the record asks for the truth of each condition and
    /// then of its parts, which evaluating the condition computed already.
    noted: Vec<(usize, Tri)>,
    /// The path nodes of the file's values read so far ([`PathCache`]).
    paths: PathCache<'a>,
}

/// The most list elements one rule's evaluation on one project may visit, nested aggregates
/// counted in full (a pair of nested `any` over 1,000 items visits a million). It bounds the
/// time of any rule — quadratic over pairs, exponential in nested aggregates — to well under
/// a second; a rule that needs more is undecided, and says why.
pub const STEP_BUDGET: u64 = 1_000_000;

/// The most `--max-steps` may raise the budget to: 10^12 elements, hours of evaluation, but a
/// count that cannot overflow.
pub const MAX_STEP_BUDGET: u64 = 1_000_000_000_000;

/// Where a rule's count of list elements visited stood ([`Env::steps_mark`]).
#[derive(Clone, Copy, Debug)]
pub struct StepMark {
    steps: u64,
    exceeded: bool,
}

/// How many list elements one rule may visit on one project ([`STEP_BUDGET`] by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepBudget(pub u64);

impl Default for StepBudget {
    fn default() -> Self {
        StepBudget(STEP_BUDGET)
    }
}

impl<'a> Env<'a> {
    /// The project evaluated.
    pub fn project(&self) -> &'a Project {
        self.project
    }

    /// An environment for a project with the parameter values in effect for it.
    pub fn new(project: &'a Project, set: &'a RuleSet, params: &'a [f64]) -> Self {
        Env {
            project,
            params,
            set,
            slots: Vec::new(),
            steps: 0,
            budget: STEP_BUDGET,
            exceeded: false,
            noting: false,
            noted: Vec::new(),
            paths: PathCache::new(),
        }
    }

    /// Starts or stops noting truth values for [`Env::truth`], giving whether it was noting.
    /// Noting is only correct while the rule's variables other than its `let`s stay as they are:
    /// a walk that binds an aggregate's variable itself stops it while the variable is bound.
    pub fn noting(&mut self, noting: bool) -> bool {
        std::mem::replace(&mut self.noting, noting)
    }

    /// The truth value of `expr` as noted when an earlier evaluation computed it, while noting;
    /// `None` when it was not noted (or nothing is noted now). Nothing is evaluated: the record
    /// asks this before it finds a truth another way ([`Env::decided`]).
    pub(crate) fn noted(&self, expr: &Expr) -> Option<Tri> {
        let address = std::ptr::from_ref(expr) as usize;
        if !self.noting {
            return None;
        }
        self.noted
            .iter()
            .rev()
            .find(|(at, _)| *at == address)
            .map(|(_, truth)| *truth)
    }

    /// Notes `truth` as `expr`'s, as an evaluation while noting does: for a truth found
    /// without evaluating (`Env::bare_truth`). Nothing is noted while not noting.
    pub(crate) fn note(&mut self, expr: &Expr, truth: Tri) {
        if self.noting {
            self.noted.push((std::ptr::from_ref(expr) as usize, truth));
        }
    }

    /// The truth value of `expr`, as noted when an earlier evaluation computed it (while
    /// noting), else evaluated.
    pub fn truth(&mut self, expr: &'a Expr) -> Tri {
        match self.noted(expr) {
            Some(truth) => truth,
            None => self.tri(expr),
        }
    }

    /// The truth value of `expr`, as `eval(expr).tri()` gives it, without its paths where they
    /// are not needed ([`Env::decided`]).
    pub fn tri(&mut self, expr: &'a Expr) -> Tri {
        match self.decided(expr) {
            Some(truth) => truth,
            None => self.eval(expr).tri(),
        }
    }

    /// The same environment with another step budget.
    pub fn with_budget(mut self, budget: StepBudget) -> Self {
        self.budget = budget.0;
        self
    }

    /// Whether the rule being evaluated visited more list elements than its budget (its
    /// values are then unknown).
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// Runs `look` on the rule's environment with a budget of its own, not charged to the rule:
    /// a second look at a decided value (`engine::vacuity`) must never make a rule that was
    /// decided within its budget over budget. Gives what `look` gave, and whether it ran over.
    pub fn aside<T>(&mut self, look: impl FnOnce(&mut Self) -> T) -> (T, bool) {
        let (steps, exceeded) = (self.steps, self.exceeded);
        self.steps = 0;
        self.exceeded = false;
        let value = look(self);
        let over = self.exceeded;
        self.steps = steps;
        self.exceeded = exceeded;
        (value, over)
    }

    /// Where the rule's count of list elements visited stands, for [`Env::restore_steps`].
    pub fn steps_mark(&self) -> StepMark {
        StepMark {
            steps: self.steps,
            exceeded: self.exceeded,
        }
    }

    /// Puts the count of list elements visited back where `mark` was taken: for a caller that
    /// had truths from [`Env::decided`] (which counts the elements it visits) and then evaluates
    /// the same expressions again with their paths, so that each element is counted once, as
    /// one evaluation counts it.
    pub fn restore_steps(&mut self, mark: StepMark) {
        self.steps = mark.steps;
        self.exceeded = mark.exceeded;
    }

    /// Prepares `count` empty variable slots for a rule, with a fresh step budget.
    pub fn reset(&mut self, count: usize) {
        self.steps = 0;
        self.exceeded = false;
        self.noted.clear();
        self.slots.clear();
        // Made in place: `resize` cloned one value into every slot.
        self.slots.resize_with(count, || Val::constant(V::Unknown));
    }

    /// Binds a variable slot.
    pub fn bind(&mut self, slot: usize, value: Val<'a>) {
        if let Some(target) = self.slots.get_mut(slot) {
            *target = value;
        }
    }

    /// The project's root record.
    fn root(&self) -> Val<'a> {
        Val::constant(V::Record(&self.project.data, project_type()))
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, expr: &'a Expr) -> Val<'a> {
        let value = self.evaluate(expr);
        if let V::Bool(truth) = value.v {
            self.note(expr, truth);
        }
        value
    }

    fn evaluate(&mut self, expr: &'a Expr) -> Val<'a> {
        match expr {
            Expr::Const(constant) => Val::constant(constant_value(constant)),
            Expr::Root => self.root(),
            Expr::Var(slot) => self
                .slots
                .get(*slot)
                .cloned()
                .unwrap_or_else(|| Val::constant(V::Unknown)),
            Expr::Param(index) => Val::constant(self.param_value(*index)),
            Expr::Field {
                base,
                index,
                record,
            } => match &**base {
                // A lambda's or a `let`'s record is read where it is bound, not copied first
                // (`f.kind` for every element of a list).
                Expr::Var(slot) => match self.slots.get(*slot) {
                    Some(bound) => field(&mut self.paths, bound, *index, record),
                    None => field(&mut self.paths, &Val::constant(V::Unknown), *index, record),
                },
                _ => {
                    let base = self.eval(base);
                    field(&mut self.paths, &base, *index, record)
                }
            },
            Expr::Not(operand) => {
                let mut value = self.eval(operand);
                value.v = V::Bool(value.tri().not());
                value
            }
            Expr::Neg(operand) => {
                let mut value = self.eval(operand);
                if let V::Num { lo, hi, .. } = &mut value.v {
                    (*lo, *hi) = (-*hi, -*lo);
                }
                value
            }
            Expr::And(left, right) => {
                let left = match decided_alone(self.eval(left), Tri::False) {
                    Ok(decided) => return decided,
                    Err(left) => left,
                };
                let right = self.eval(right);
                logic(left, right, true)
            }
            Expr::Or(left, right) => {
                let left = match decided_alone(self.eval(left), Tri::True) {
                    Ok(decided) => return decided,
                    Err(left) => left,
                };
                let right = self.eval(right);
                logic(left, right, false)
            }
            Expr::Compare(op, left, right) => {
                let (left, right) = (self.eval(left), self.eval(right));
                compare(*op, left, right)
            }
            Expr::Arith(op, left, right) => {
                let (left, right) = (self.eval(left), self.eval(right));
                arith(*op, left, right)
            }
            Expr::In {
                value,
                list,
                negated,
            } => {
                let (value, list) = (self.eval(value), self.eval(list));
                let mut result = membership(value, list);
                if *negated {
                    result.v = V::Bool(result.tri().not());
                }
                result
            }
            Expr::List(items) => {
                let mut elements = Vec::with_capacity(items.len());
                for item in items {
                    let val = self.eval(item);
                    elements.push(Elem {
                        val,
                        member: Tri::True,
                        member_missing: Paths::new(),
                    });
                }
                Val::constant(V::List(Rc::new(elements)))
            }
            Expr::Present(path) => {
                let value = self.eval(path);
                let stated = value.missing.is_empty();
                Val::decided(V::Bool(Tri::from_bool(stated)), value.trace)
            }
            Expr::Aggregate {
                op,
                list,
                slot,
                body,
                dim,
            } => {
                if self.exceeded {
                    return Val::constant(V::Unknown);
                }
                let list = self.eval(list);
                // The body's values hold for one element each: not noted.
                let noting = self.noting(false);
                let value = self.aggregate(*op, list, *slot, body.as_deref(), *dim);
                self.noting = noting;
                value
            }
            Expr::Call(function, arguments) => {
                let values: Vec<Val<'a>> = arguments
                    .iter()
                    .map(|argument| self.eval(argument))
                    .collect();
                call(*function, values)
            }
        }
    }

    /// The value in effect of the parameter at `index`.
    fn param_value(&self, index: usize) -> V<'a> {
        let value = self.params.get(index).copied().unwrap_or(f64::NAN);
        let param = self.set.params.get(index);
        V::Num {
            lo: value,
            hi: value,
            dim: param.map_or(Dim::NONE, |param| param.dim),
            unit: param.and_then(|param| param.unit),
        }
    }

    /// The truth of `expr` as [`Env::eval`] gives it, when it is decided and can be had without
    /// the paths its value was read from (see [`Env::bare`]); `None` when it is unknown (the
    /// caller then needs the paths missing) or reads what `bare` does not handle, and while
    /// noting (the record reads the truth of every part). The list elements `bare` visited are
    /// counted against the step budget when it gives a truth (as `eval` would have counted
    /// them), and given back when it does not, so that `eval` after it counts them once.
    pub fn decided(&mut self, expr: &'a Expr) -> Option<Tri> {
        if self.noting {
            return None;
        }
        self.bare_truth_kept(expr, |truth| truth != Tri::Unknown)
    }

    /// The truth of `expr` as [`Env::eval`] gives it, unknown included, found without the
    /// paths of the values read ([`Env::bare`]), noting or not; `None` where `bare` does not go
    /// (or the step budget ran out), the list elements it visited then given back as
    /// [`Env::decided`] gives them back. For the record, which reads the truth of conditions
    /// whose paths it does not show: `decided` leaves an unknown truth to `eval`, since the
    /// assessment then needs the paths missing.
    pub(crate) fn bare_truth(&mut self, expr: &'a Expr) -> Option<Tri> {
        self.bare_truth_kept(expr, |_| true)
    }

    /// `expr`'s truth from [`Env::bare`] when `kept` accepts it within the step budget; else
    /// `None`, with the steps `bare` took given back, so that `eval` after it counts them once.
    fn bare_truth_kept(&mut self, expr: &'a Expr, kept: impl Fn(Tri) -> bool) -> Option<Tri> {
        let (steps, exceeded) = (self.steps, self.exceeded);
        let truth = match self.bare(expr) {
            Some(V::Bool(truth)) if kept(truth) && !self.exceeded => Some(truth),
            _ => None,
        };
        if truth.is_none() {
            self.steps = steps;
            self.exceeded = exceeded;
        }
        truth
    }

    /// `expr`'s value without its paths: constants, variables, parameters, fields, `not`, `-`,
    /// `and`, `or`, comparisons, arithmetic, calls, `present` of a field, `in` a written list or
    /// a list of the file's, and `any`, `all`, `count` and `sum` over a list of the file's, a
    /// variable's or a `filter` of one; `None` for anything else (written lists, a `filter`'s
    /// value, `min`, `max`, `count_distinct`, a list the file does not state, a list of lists)
    /// and when the step budget runs out. Most conditions a check evaluates compare a field with a constant
    /// (`project.kind == residential`) or look for an element of a list (`any(facilities, f =>
    /// f.kind == kindergarten)`), and each field read allocated its path, each list read a path
    /// for every element: most of the cost of the many rules that do not apply. It evaluates
    /// the operands `eval` would, in the same order (`and` and `or` stop where `eval` stops,
    /// `any` at the element where `eval` stops), and computes each value as `eval` does (the
    /// same functions on the same values, the same sums in the same order), so a value it gives
    /// is the one `eval` gives; it counts each list element it visits against the step budget,
    /// as `eval` does, and [`Env::decided`] gives them back when it falls back to `eval`. It
    /// binds an aggregate's variable to each element's value without its paths: nothing reads
    /// that variable outside the aggregate's body, whose evaluation binds it again.
    fn bare(&mut self, expr: &'a Expr) -> Option<V<'a>> {
        Some(match expr {
            Expr::Const(constant) => constant_value(constant),
            Expr::Root => V::Record(&self.project.data, project_type()),
            Expr::Var(slot) => self
                .slots
                .get(*slot)
                .map_or(V::Unknown, |bound| bound.v.clone()),
            Expr::Param(index) => self.param_value(*index),
            Expr::Field {
                base,
                index,
                record,
            } => {
                let field = record.fields.get(*index)?;
                let data = match self.bare(base)? {
                    V::Record(slots, _) => slots.get(*index).and_then(Option::as_ref),
                    _ => None,
                };
                match data {
                    Some(data) => data_value(data, &field.ty)?,
                    None => absent_value(&field.ty),
                }
            }
            Expr::Not(operand) => V::Bool(truth_of(&self.bare(operand)?).not()),
            Expr::Neg(operand) => match self.bare(operand)? {
                V::Num { lo, hi, dim, unit } => V::Num {
                    lo: -hi,
                    hi: -lo,
                    dim,
                    unit,
                },
                other => other,
            },
            Expr::Arith(op, left, right) => {
                let left = self.bare(left)?;
                let right = self.bare(right)?;
                arith(*op, Val::constant(left), Val::constant(right)).v
            }
            Expr::Call(function, arguments) => {
                let mut values = Vec::with_capacity(arguments.len());
                for argument in arguments {
                    values.push(Val::constant(self.bare(argument)?));
                }
                call(*function, values).v
            }
            Expr::Present(path) => {
                // `eval` reads the field and asks whether it is missing: it is when the base
                // is not a record or the record lacks it.
                let Expr::Field {
                    base,
                    index,
                    record,
                } = &**path
                else {
                    return None;
                };
                let stated = match self.bare(base)? {
                    _ if record.fields.get(*index).is_none() => true,
                    V::Record(slots, _) => slots.get(*index).is_some_and(Option::is_some),
                    _ => false,
                };
                V::Bool(Tri::from_bool(stated))
            }
            Expr::Aggregate {
                op,
                list,
                slot,
                body,
                dim,
            } => self.bare_aggregate(*op, list, *slot, body.as_deref(), *dim)?,
            Expr::And(left, right) | Expr::Or(left, right) => {
                let conjunction = matches!(expr, Expr::And(..));
                let deciding = if conjunction { Tri::False } else { Tri::True };
                let left = truth_of(&self.bare(left)?);
                if left == deciding {
                    return Some(V::Bool(deciding));
                }
                let right = truth_of(&self.bare(right)?);
                V::Bool(if conjunction {
                    left.and(right)
                } else {
                    left.or(right)
                })
            }
            Expr::Compare(op, left, right) => {
                let left = self.bare(left)?;
                V::Bool(compared(*op, &left, &self.bare(right)?))
            }
            Expr::In {
                value,
                list,
                negated,
            } => {
                let value = self.bare(value)?;
                let mut found = Tri::False;
                if let Expr::List(items) = &**list {
                    for item in items {
                        found = found.or(compared(CompareOp::Eq, &value, &self.bare(item)?));
                    }
                } else {
                    // As `membership` compares each element, where it is known to be in the list.
                    let items = self.bare_list(list)?;
                    for at in 0..items.len() {
                        let (element, member) = items.get(at)?;
                        found = found.or(member.and(compared(CompareOp::Eq, &value, &element)));
                    }
                }
                V::Bool(if *negated { found.not() } else { found })
            }
            _ => return None,
        })
    }

    /// The elements of a list `bare` can go through without their paths: a list field of the
    /// file's, a list value (a variable's), or a `filter` of either (each element visited and
    /// counted as [`Env::aggregate`] visits it); `None` for any other list and anything else.
    fn bare_list(&mut self, expr: &'a Expr) -> Option<BareList<'a>> {
        match expr {
            Expr::Aggregate {
                op: AggregateOp::Filter,
                list,
                slot,
                body,
                ..
            } => {
                if self.exceeded {
                    return None;
                }
                let items = self.bare_list(list)?;
                let mut kept = Vec::with_capacity(items.len());
                for at in 0..items.len() {
                    let (element, member) = items.get(at)?;
                    if !self.step() {
                        return None;
                    }
                    let holds = match body {
                        Some(body) => {
                            self.bind(*slot, Val::constant(element.clone()));
                            truth_of(&self.bare(body)?)
                        }
                        None => Tri::True,
                    };
                    // Kept unless known not to be in the list, as `filter` keeps it.
                    let member = member.and(holds);
                    if member != Tri::False {
                        kept.push((element, member));
                    }
                }
                Some(BareList::Filtered(kept))
            }
            Expr::Field {
                base,
                index,
                record,
            } => {
                let Ty::List(item) = &record.fields.get(*index)?.ty else {
                    return None;
                };
                match self.bare(base)? {
                    V::Record(slots, _) => match slots.get(*index)?.as_ref()? {
                        Data::List(items) => Some(BareList::Data(items, item)),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => match self.bare(expr)? {
                V::List(elements) => Some(BareList::Elems(elements)),
                _ => None,
            },
        }
    }

    /// `any`, `all`, `count` and `sum` as [`Env::aggregate`] computes them, over a list
    /// [`Env::bare_list`] gives, without paths; `None` for the other aggregates.
    fn bare_aggregate(
        &mut self,
        op: AggregateOp,
        list: &'a Expr,
        slot: usize,
        body: Option<&'a Expr>,
        dim: Dim,
    ) -> Option<V<'a>> {
        if self.exceeded
            || !matches!(
                op,
                AggregateOp::Any | AggregateOp::All | AggregateOp::Count | AggregateOp::Sum
            )
        {
            return None;
        }
        let items = self.bare_list(list)?;
        let any = op == AggregateOp::Any;
        let mut truth = if any { Tri::False } else { Tri::True };
        let (mut lo, mut hi, mut unit) = (0.0, 0.0, None);
        for at in 0..items.len() {
            let (element, member) = items.get(at)?;
            if !self.step() {
                return None;
            }
            let value = match body {
                Some(body) => {
                    self.bind(slot, Val::constant(element));
                    self.bare(body)?
                }
                None => V::Bool(Tri::True),
            };
            let value_truth = truth_of(&value);
            match op {
                AggregateOp::Any | AggregateOp::All => {
                    let holds = if any {
                        member.and(value_truth)
                    } else {
                        member.not().or(value_truth)
                    };
                    truth = if any {
                        truth.or(holds)
                    } else {
                        truth.and(holds)
                    };
                    if any && member == Tri::True && value_truth == Tri::True {
                        break;
                    }
                }
                _ => {
                    let bounds = element_bounds(op, value_truth, &value, &mut unit);
                    let (contribution_lo, contribution_hi) = contribution(member, bounds);
                    lo += contribution_lo;
                    hi += contribution_hi;
                }
            }
        }
        Some(match op {
            AggregateOp::Any | AggregateOp::All => V::Bool(truth),
            _ => V::Num {
                lo,
                hi,
                dim,
                unit: if op == AggregateOp::Count { None } else { unit },
            },
        })
    }

    fn aggregate(
        &mut self,
        op: AggregateOp,
        list: Val<'a>,
        slot: usize,
        body: Option<&'a Expr>,
        dim: Dim,
    ) -> Val<'a> {
        let list_trace = list.trace.clone();
        let elements = match &list.v {
            V::List(elements) => Rc::clone(elements),
            _ => {
                // The list itself is not stated: nothing about its elements is known.
                let v = match op {
                    AggregateOp::Any | AggregateOp::All => V::Bool(Tri::Unknown),
                    AggregateOp::Count | AggregateOp::CountDistinct { .. } => V::Num {
                        lo: 0.0,
                        hi: f64::INFINITY,
                        dim: Dim::NONE,
                        unit: None,
                    },
                    AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max => V::Num {
                        lo: f64::NEG_INFINITY,
                        hi: f64::INFINITY,
                        dim,
                        unit: None,
                    },
                    AggregateOp::Filter => V::Unknown,
                };
                return Val {
                    v,
                    missing: list.missing,
                    trace: list_trace,
                };
            }
        };
        if let AggregateOp::CountDistinct { lists } = op {
            return self.count_distinct(&elements, list_trace, slot, body, lists);
        }
        let mut results = Vec::with_capacity(elements.len());
        for element in elements.iter() {
            if !self.step() {
                return Val::constant(V::Unknown);
            }
            let value = match body {
                Some(body) => {
                    self.bind(slot, element.val.clone());
                    self.eval(body)
                }
                None => Val::constant(V::Bool(Tri::True)),
            };
            // An element known to be in the list that satisfies `any` decides it: the rest
            // change neither the value nor what is blamed (the list) nor what is missing (nothing).
            let decides_any =
                op == AggregateOp::Any && element.member == Tri::True && value.tri() == Tri::True;
            results.push(value);
            if decides_any {
                break;
            }
        }
        match op {
            AggregateOp::Any | AggregateOp::All => {
                let any = op == AggregateOp::Any;
                let mut result = if any { Tri::False } else { Tri::True };
                let mut missing = Vec::new();
                let mut blame = Vec::new();
                for (element, value) in elements.iter().zip(&results) {
                    // An element counts only as far as it is known to be in the list.
                    let holds = if any {
                        element.member.and(value.tri())
                    } else {
                        element.member.not().or(value.tri())
                    };
                    result = if any {
                        result.or(holds)
                    } else {
                        result.and(holds)
                    };
                    if holds == Tri::Unknown {
                        if element.member == Tri::Unknown {
                            missing.extend(element.member_missing.iter().cloned());
                        }
                        if value.tri() == Tri::Unknown {
                            missing.extend(value.missing.iter().cloned());
                        }
                    }
                    if !any && holds == Tri::False {
                        let culprit = if value.trace.is_empty() {
                            &element.val.trace
                        } else {
                            &value.trace
                        };
                        blame.extend(culprit.iter().cloned());
                    }
                }
                let decided = result != Tri::Unknown;
                Val {
                    v: V::Bool(result),
                    missing: if decided {
                        Paths::new()
                    } else {
                        dedup_paths(missing)
                    },
                    trace: if any || blame.is_empty() {
                        list_trace
                    } else {
                        dedup_paths(blame)
                    },
                }
            }
            AggregateOp::CountDistinct { .. } => Val::constant(V::Unknown),
            AggregateOp::Count | AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max => {
                let mut lo = if matches!(op, AggregateOp::Min | AggregateOp::Max) {
                    f64::NAN
                } else {
                    0.0
                };
                let mut hi = lo;
                let mut unit = None;
                let mut missing = Vec::new();
                let mut any_member = false;
                for (element, value) in elements.iter().zip(&results) {
                    let (value_lo, value_hi) = element_bounds(op, value.tri(), &value.v, &mut unit);
                    if value.is_unknown() {
                        missing.extend(value.missing.iter().cloned());
                    }
                    if element.member == Tri::Unknown {
                        missing.extend(element.member_missing.iter().cloned());
                    }
                    match op {
                        AggregateOp::Count | AggregateOp::Sum => {
                            let (contribution_lo, contribution_hi) =
                                contribution(element.member, (value_lo, value_hi));
                            lo += contribution_lo;
                            hi += contribution_hi;
                        }
                        _ => {
                            if element.member == Tri::False {
                                continue;
                            }
                            let is_min = op == AggregateOp::Min;
                            if element.member == Tri::True {
                                any_member = true;
                                lo = if lo.is_nan() {
                                    value_lo
                                } else if is_min {
                                    lo.min(value_lo)
                                } else {
                                    lo.max(value_lo)
                                };
                                hi = if hi.is_nan() {
                                    value_hi
                                } else if is_min {
                                    hi.min(value_hi)
                                } else {
                                    hi.max(value_hi)
                                };
                            } else if is_min {
                                // An uncertain member can only lower the minimum.
                                lo = if lo.is_nan() {
                                    value_lo
                                } else {
                                    lo.min(value_lo)
                                };
                                hi = if hi.is_nan() { f64::INFINITY } else { hi };
                            } else {
                                hi = if hi.is_nan() {
                                    value_hi
                                } else {
                                    hi.max(value_hi)
                                };
                                lo = if lo.is_nan() { f64::NEG_INFINITY } else { lo };
                            }
                        }
                    }
                }
                if matches!(op, AggregateOp::Min | AggregateOp::Max) && !any_member && lo.is_nan() {
                    // The least of nothing: the list must gain items before this can be decided.
                    return Val {
                        v: V::Num {
                            lo: f64::NEG_INFINITY,
                            hi: f64::INFINITY,
                            dim,
                            unit,
                        },
                        missing: list_trace.clone(),
                        trace: list_trace,
                    };
                }
                let decided = lo == hi;
                Val {
                    v: V::Num {
                        lo,
                        hi,
                        dim,
                        unit: if op == AggregateOp::Count { None } else { unit },
                    },
                    missing: if decided {
                        Paths::new()
                    } else {
                        dedup_paths(missing)
                    },
                    trace: list_trace,
                }
            }
            AggregateOp::Filter => {
                let filtered: Vec<Elem<'a>> = elements
                    .iter()
                    .zip(results)
                    .filter_map(|(element, value)| {
                        let member = element.member.and(value.tri());
                        (member != Tri::False).then(|| Elem {
                            val: element.val.clone(),
                            member,
                            member_missing: if member == Tri::Unknown {
                                merge(element.member_missing.clone(), &value.missing)
                            } else {
                                Paths::new()
                            },
                        })
                    })
                    .collect();
                Val::decided(V::List(Rc::new(filtered)), list_trace)
            }
        }
    }
}

impl<'a> Env<'a> {
    /// Counts the different values of a list's elements (or of `body` for each), in one pass
    /// with a set of the values seen, so the time grows with the list (times the logarithm of
    /// the values counted), never with its square. The count is an interval: at least the
    /// values certainly in the list, at most those plus every value that may be in it and
    /// every value not stated (which may differ from all the others).
    fn count_distinct(
        &mut self,
        elements: &[Elem<'a>],
        list_trace: Paths<'a>,
        slot: usize,
        body: Option<&'a Expr>,
        lists: bool,
    ) -> Val<'a> {
        let mut certain: BTreeSet<Distinct<'a>> = BTreeSet::new();
        let mut possible: BTreeSet<Distinct<'a>> = BTreeSet::new();
        let mut unstated = 0.0_f64;
        let mut missing = Vec::new();
        for element in elements {
            if element.member == Tri::False {
                continue;
            }
            if !self.step() {
                return Val::constant(V::Unknown);
            }
            let value = match body {
                Some(body) => {
                    self.bind(slot, element.val.clone());
                    self.eval(body)
                }
                None => element.val.clone(),
            };
            if element.member == Tri::Unknown {
                missing.extend(element.member_missing.iter().cloned());
            }
            let mut count =
                |member: Tri, value: &Val<'a>, missing: &mut Vec<PathRef<'a>>| match Distinct::of(
                    value,
                ) {
                    Some(key) if member == Tri::True => {
                        certain.insert(key);
                    }
                    Some(key) => {
                        possible.insert(key);
                    }
                    None => {
                        unstated += 1.0;
                        missing.extend(value.missing.iter().cloned());
                    }
                };
            match &value.v {
                V::List(items) => {
                    for item in items.iter() {
                        if item.member == Tri::False {
                            continue;
                        }
                        if !self.step() {
                            return Val::constant(V::Unknown);
                        }
                        let member = element.member.and(item.member);
                        if item.member == Tri::Unknown {
                            missing.extend(item.member_missing.iter().cloned());
                        }
                        count(member, &item.val, &mut missing);
                    }
                }
                // A list not stated may hold any number of values.
                _ if lists => {
                    unstated = f64::INFINITY;
                    missing.extend(value.missing.iter().cloned());
                }
                _ => count(element.member, &value, &mut missing),
            }
        }
        let lo = certain.len() as f64;
        let hi = lo + possible.difference(&certain).count() as f64 + unstated;
        Val {
            v: V::Num {
                lo,
                hi,
                dim: Dim::NONE,
                unit: None,
            },
            missing: if lo == hi {
                Paths::new()
            } else {
                dedup_paths(missing)
            },
            trace: list_trace,
        }
    }

    /// Counts one list element visited against the budget; false once it is spent.
    fn step(&mut self) -> bool {
        self.steps += 1;
        if self.steps > self.budget {
            self.exceeded = true;
        }
        !self.exceeded
    }
}

/// A list [`Env::bare`] goes through: the file's items (each of the item type), a list value's
/// elements, or those a `filter` kept, each with whether it is in the list.
enum BareList<'a> {
    Data(&'a [Data], &'a Ty),
    Elems(Rc<Vec<Elem<'a>>>),
    Filtered(Vec<(V<'a>, Tri)>),
}

impl<'a> BareList<'a> {
    fn len(&self) -> usize {
        match self {
            BareList::Data(items, _) => items.len(),
            BareList::Elems(elements) => elements.len(),
            BareList::Filtered(kept) => kept.len(),
        }
    }

    /// The value of the element at `at` and whether it is in the list, as `eval` reads it;
    /// `None` for a list inside the list (whose elements `eval` gives paths of their own).
    fn get(&self, at: usize) -> Option<(V<'a>, Tri)> {
        match self {
            BareList::Data(items, ty) => Some((data_value(items.get(at)?, ty)?, Tri::True)),
            BareList::Elems(elements) => {
                let element = elements.get(at)?;
                Some((element.val.v.clone(), element.member))
            }
            BareList::Filtered(kept) => kept.get(at).cloned(),
        }
    }
}

/// The age bands `age_bands` reads, in years, each from its lower bound up to (not including)
/// the next band's.
const AGE_BANDS: [(&str, f64, f64); 4] = [
    ("0-3", 0.0, 3.0),
    ("3-6", 3.0, 6.0),
    ("6-12", 6.0, 12.0),
    ("12-18", 12.0, 18.0),
];

/// The bands that age ranges written as free text cover: `["3-12"]` gives `3-6` and `6-12`;
/// `"3-6"` and `"3-6岁"` both give `3-6`. A text that is not an age range (`"儿童"`) or an
/// element not stated may cover any band, so each band is a possible member, never a certain
/// one: `count_distinct` over the result then counts only what the file states.
fn age_bands<'a>(value: Val<'a>) -> Val<'a> {
    let single;
    let items: &[Elem<'a>] = match &value.v {
        V::List(items) => items,
        V::Text(_) => {
            single = [Elem {
                val: value.clone(),
                member: Tri::True,
                member_missing: Paths::new(),
            }];
            &single
        }
        _ => {
            return Val {
                v: V::Unknown,
                ..value
            };
        }
    };
    let mut bands = Vec::new();
    for item in items {
        if item.member == Tri::False {
            continue;
        }
        let band = |name: &'static str, member: Tri, member_missing: Paths<'a>| Elem {
            val: Val::decided(V::Text(name), item.val.trace.clone()),
            member,
            member_missing,
        };
        let span = match &item.val.v {
            V::Text(text) => Some(age_span(text)),
            _ => None,
        };
        match span {
            Some(Some((from, to))) => {
                for (name, lo, hi) in AGE_BANDS {
                    if from < hi && to > lo {
                        bands.push(band(name, item.member, item.member_missing.clone()));
                    }
                }
            }
            // Unreadable: the text itself is what must be restated.
            Some(None) => {
                for (name, ..) in AGE_BANDS {
                    bands.push(band(name, Tri::Unknown, item.val.trace.clone()));
                }
            }
            None => {
                let mut missing = item.val.missing.clone();
                missing.extend(item.member_missing.iter().cloned());
                for (name, ..) in AGE_BANDS {
                    bands.push(band(name, Tri::Unknown, missing.clone()));
                }
            }
        }
    }
    Val {
        v: V::List(Rc::new(bands)),
        missing: Paths::new(),
        trace: value.trace,
    }
}

/// The ages, in years, that a free-text age range spans: `3-6`, `3～6岁`, `0~3`, `6至12岁`,
/// `6到12周岁` give `(from, to)`; `3岁以上` and `12+` run to 18, `3岁以下` from 0; `全年龄` is
/// 0 to 18. Anything else, or a range that runs backwards or past 18, is `None`.
pub fn age_span(text: &str) -> Option<(f64, f64)> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(text.as_str(), "全年龄" | "全年龄段" | "all" | "allages") {
        return Some((0.0, 18.0));
    }
    let unit = |rest: &str| -> Option<usize> {
        ["周岁", "岁", "years", "yrs", "y", ""]
            .into_iter()
            .find(|suffix| rest.starts_with(suffix))
            .map(str::len)
    };
    let number = |text: &str| -> Option<(f64, usize)> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 {
            return None;
        }
        let value: f64 = text.get(..digits)?.parse().ok()?;
        Some((value, digits))
    };
    let (from, used) = number(&text)?;
    let rest = text.get(used..)?;
    let rest = rest.get(unit(rest)?..)?;
    let span = if ["以上", "及以上", "+"].contains(&rest) {
        (from, 18.0)
    } else if ["以下", "及以下"].contains(&rest) {
        (0.0, from)
    } else {
        let dash = ["-", "~", "～", "—", "–", "至", "到"]
            .into_iter()
            .find(|dash| rest.starts_with(dash))?;
        let rest = rest.get(dash.len()..)?;
        let (to, used) = number(rest)?;
        let rest = rest.get(used..)?;
        if !rest.get(unit(rest)?..)?.is_empty() {
            return None;
        }
        (from, to)
    };
    (span.0 < span.1 && span.1 <= 18.0).then_some(span)
}

/// A value as `count_distinct` tells values apart: by equality, as `==` compares them (numbers
/// exactly, in base units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Distinct<'a> {
    Bool(bool),
    /// The bits of a number, with `-0` taken as `0`.
    Num(u64),
    Text(&'a str),
    Date(i64),
    Enum(usize),
}

impl<'a> Distinct<'a> {
    /// The value to count, or `None` when it is not stated.
    fn of(value: &Val<'a>) -> Option<Distinct<'a>> {
        match &value.v {
            V::Bool(Tri::True) => Some(Distinct::Bool(true)),
            V::Bool(Tri::False) => Some(Distinct::Bool(false)),
            V::Num { lo, hi, .. } if lo == hi && lo.is_finite() => {
                Some(Distinct::Num((lo + 0.0).to_bits()))
            }
            V::Text(text) => Some(Distinct::Text(text)),
            V::Date(date) => Some(Distinct::Date(date.days_since_epoch())),
            V::Enum(index, _) => Some(Distinct::Enum(*index)),
            _ => None,
        }
    }
}

/// The paths without repeats, in first-seen order, in linear time (where [`merge`] compares
/// each path with every one kept, which is fine for the few paths of one comparison but not for
/// the thousands an aggregate may gather).
fn dedup_paths(paths: Vec<PathRef<'_>>) -> Paths<'_> {
    // Few (most often one or two) are looked for among those kept one by one, as `merge`
    // does: hashing each path's steps with the keyed hasher cost ten times as much.
    if paths.len() <= SCANNED_PATHS {
        let mut kept = Paths::with_capacity(paths.len());
        for path in paths {
            if !kept
                .iter()
                .any(|existing| Rc::ptr_eq(existing, &path) || same_path(existing, &path))
            {
                kept.push(path);
            }
        }
        return kept;
    }
    let mut seen = std::collections::HashSet::with_capacity(paths.len());
    let mut kept = Paths::with_capacity(paths.len());
    for path in &paths {
        if seen.insert(PathKey(path)) {
            kept.push(Rc::clone(path));
        }
    }
    kept
}

/// A path as a hash key, by its steps from the root, borrowed: hashing a path allocates nothing
/// (an aggregate over tens of thousands of items keys one path per item).
#[derive(Clone, Copy, Debug)]
pub struct PathKey<'r, 'a>(pub &'r PathNode<'a>);

impl PartialEq for PathKey<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0) || same_path(self.0, other.0)
    }
}

impl Eq for PathKey<'_, '_> {}

impl std::hash::Hash for PathKey<'_, '_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut node = Some(self.0);
        while let Some(current) = node {
            match current.step {
                Step::Key(name) => {
                    state.write_u8(0);
                    name.hash(state);
                }
                Step::Index(index) => {
                    state.write_u8(1);
                    state.write_usize(index);
                }
            }
            node = current.parent.as_deref();
        }
    }
}

/// Whether `node` is the path `path` names.
pub fn is_path(node: &PathNode<'_>, path: &YamlPath) -> bool {
    let mut current = Some(node);
    for segment in path.segments.iter().rev() {
        let Some(step) = current else {
            return false;
        };
        let same = match (&step.step, segment) {
            (Step::Key(name), crate::project::yaml::Segment::Key(key)) => name == key,
            (Step::Index(index), crate::project::yaml::Segment::Index(at)) => index == at,
            _ => false,
        };
        if !same {
            return false;
        }
        current = step.parent.as_deref();
    }
    current.is_none()
}

/// The field at `index` of `base`, a record of type `record`, with its path.
fn field<'a>(
    paths: &mut PathCache<'a>,
    base: &Val<'a>,
    index: usize,
    record: &'a RecordTy,
) -> Val<'a> {
    let Some(field) = record.fields.get(index) else {
        return Val::constant(V::Unknown);
    };
    let origin = base.trace.first().cloned();
    let path = paths.child(&origin, Step::Key(&field.name));
    let slots = match base.v {
        V::Record(slots, _) => slots,
        _ => return absent(&field.ty, path),
    };
    match slots.get(index).and_then(Option::as_ref) {
        Some(data) => from_data(paths, data, &field.ty, path),
        None => absent(&field.ty, path),
    }
}

/// The value of a field the file does not state: unknown, within the bounds the model allows.
fn absent<'a>(ty: &Ty, path: PathRef<'a>) -> Val<'a> {
    Val {
        v: absent_value(ty),
        missing: smallvec::smallvec![Rc::clone(&path)],
        trace: smallvec::smallvec![path],
    }
}

/// What is known of a value of type `ty` the file does not state: the bounds the model allows.
fn absent_value<'a>(ty: &Ty) -> V<'a> {
    match ty {
        Ty::Bool => V::Bool(Tri::Unknown),
        Ty::Number(number) => V::Num {
            lo: number
                .min
                .map_or(f64::NEG_INFINITY, |min| min * number.scale()),
            hi: number.max.map_or(f64::INFINITY, |max| max * number.scale()),
            dim: number.dim(),
            unit: number.unit,
        },
        _ => V::Unknown,
    }
}

fn from_data<'a>(
    paths: &mut PathCache<'a>,
    data: &'a Data,
    ty: &'a Ty,
    path: PathRef<'a>,
) -> Val<'a> {
    let v = match (data, ty) {
        (Data::List(items), Ty::List(item_ty)) => {
            let origin = Some(Rc::clone(&path));
            let elements = items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let path = paths.child(&origin, Step::Index(index));
                    Elem {
                        val: from_data(paths, item, item_ty, path),
                        member: Tri::True,
                        member_missing: Paths::new(),
                    }
                })
                .collect();
            V::List(Rc::new(elements))
        }
        _ => data_value(data, ty).unwrap_or(V::Unknown),
    };
    Val::decided(v, smallvec::smallvec![path])
}

/// The value of `data`, of type `ty`, when it is not a list (whose elements each have a path of
/// their own: [`from_data`]).
fn data_value<'a>(data: &'a Data, ty: &'a Ty) -> Option<V<'a>> {
    Some(match (data, ty) {
        (Data::Bool(value), _) => V::Bool(Tri::from_bool(*value)),
        (Data::Num(value), Ty::Number(number)) => V::Num {
            lo: *value,
            hi: *value,
            dim: number.dim(),
            unit: number.unit,
        },
        (Data::Num(value), _) => V::Num {
            lo: *value,
            hi: *value,
            dim: Dim::NONE,
            unit: None,
        },
        (Data::Text(text), _) => V::Text(text),
        (Data::Date(date), _) => V::Date(*date),
        (Data::Enum(index), Ty::Enum(enumeration)) => V::Enum(*index, &enumeration.variants),
        (Data::List(_), Ty::List(_)) => return None,
        (Data::Record(slots), Ty::Record(record)) => V::Record(slots, record),
        _ => V::Unknown,
    })
}

/// A constant's value.
fn constant_value(constant: &Const) -> V<'_> {
    match constant {
        Const::Bool(value) => V::Bool(Tri::from_bool(*value)),
        Const::Num(value, dim, unit) => V::Num {
            lo: *value,
            hi: *value,
            dim: *dim,
            unit: *unit,
        },
        Const::Text(text) => V::Text(text),
        Const::Date(date) => V::Date(*date),
        Const::Enum(enumeration, index) => V::Enum(*index, &enumeration.variants),
    }
}

/// The truth a value stands for (anything but a boolean counts as unknown), as [`Val::tri`].
/// The bounds one element gives a `count` (by its truth) or a `sum` (by its number; the first
/// unit met is the sum's); anything else is unbounded. The evaluation with paths and the bare
/// one both use it, so the two cannot disagree about a bound.
fn element_bounds(
    op: AggregateOp,
    truth: Tri,
    value: &V<'_>,
    unit: &mut Option<&'static Unit>,
) -> (f64, f64) {
    match (op, value) {
        (AggregateOp::Count, _) => match truth {
            Tri::True => (1.0, 1.0),
            Tri::False => (0.0, 0.0),
            Tri::Unknown => (0.0, 1.0),
        },
        (
            _,
            V::Num {
                lo,
                hi,
                unit: value_unit,
                ..
            },
        ) => {
            *unit = unit.or(*value_unit);
            (*lo, *hi)
        }
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    }
}

/// What an element with `bounds` adds to a count or a sum: all of it when it is in the list,
/// nothing when it is not, and anything between when that is unknown.
fn contribution(member: Tri, (lo, hi): (f64, f64)) -> (f64, f64) {
    match member {
        Tri::True => (lo, hi),
        Tri::False => (0.0, 0.0),
        Tri::Unknown => (lo.min(0.0), hi.max(0.0)),
    }
}

fn truth_of(v: &V<'_>) -> Tri {
    match v {
        V::Bool(truth) => *truth,
        _ => Tri::Unknown,
    }
}

/// `left and right` (or `left or right`) in three values, with the paths that decide it and,
/// when undecided, what is missing from each undecided side.
pub(crate) fn logic<'a>(left: Val<'a>, right: Val<'a>, conjunction: bool) -> Val<'a> {
    let (a, b) = (left.tri(), right.tri());
    let result = if conjunction { a.and(b) } else { a.or(b) };
    // The operand that decides the result is the one to blame or to ask for.
    let deciding = if conjunction { Tri::False } else { Tri::True };
    // Both operands are owned: their paths are moved, not copied.
    let (left_missing, right_missing) = (left.missing, right.missing);
    let trace = match (a == deciding, b == deciding) {
        (true, _) => left.trace,
        (false, true) => right.trace,
        _ => merge(left.trace, &right.trace),
    };
    truth_value(result, trace, || {
        // Merged into an empty list, as each side's own paths may repeat one another.
        let mut missing = Paths::new();
        if a == Tri::Unknown {
            missing = merge(missing, &left_missing);
        }
        if b == Tri::Unknown {
            missing = merge(missing, &right_missing);
        }
        missing
    })
}

pub(crate) fn compare<'a>(op: CompareOp, left: Val<'a>, right: Val<'a>) -> Val<'a> {
    let result = compared(op, &left.v, &right.v);
    // `left` is owned: its paths are moved into the result, not copied.
    let trace = merge(left.trace, &right.trace);
    truth_value(result, trace, || merge(left.missing, &right.missing))
}

/// A truth value read or computed from `trace`; when it is unknown, with the paths whose absence
/// left it so (`missing`, worked out only then: a decided value lacks nothing).
fn truth_value<'a>(result: Tri, trace: Paths<'a>, missing: impl FnOnce() -> Paths<'a>) -> Val<'a> {
    Val {
        v: V::Bool(result),
        missing: if result == Tri::Unknown {
            missing()
        } else {
            Paths::new()
        },
        trace,
    }
}

/// Which of a rule's `lets` (by position) `expr` reads, directly or through the lets it reads
/// (a `let` names only earlier ones): the lets a rule's `applies` needs bound, when the others
/// matter only if it applies.
pub(crate) fn lets_read(lets: &[(usize, Expr)], expr: Option<&Expr>) -> Vec<bool> {
    if lets.is_empty() {
        return Vec::new();
    }
    let mut read = vec![false; lets.len()];
    let mark = |expr: &Expr, read: &mut Vec<bool>| {
        expr.visit(&mut |inner| {
            if let Expr::Var(slot) = inner
                && let Some(at) = lets.iter().position(|(bound, _)| bound == slot)
                && let Some(flag) = read.get_mut(at)
            {
                *flag = true;
            }
        });
    };
    if let Some(expr) = expr {
        mark(expr, &mut read);
    }
    for (at, (_, bound)) in lets.iter().enumerate().rev() {
        if read.get(at).copied().unwrap_or(false) {
            mark(bound, &mut read);
        }
    }
    read
}

/// The truth of a comparison of two values, as [`compare`] decides it, for a caller that has
/// them already and needs no paths (the record, which shows both sides).
pub(crate) fn compared(op: CompareOp, left: &V<'_>, right: &V<'_>) -> Tri {
    match (left, right) {
        (
            V::Num {
                lo: a_lo, hi: a_hi, ..
            },
            V::Num {
                lo: b_lo, hi: b_hi, ..
            },
        ) => compare_intervals(op, (*a_lo, *a_hi), (*b_lo, *b_hi)),
        (V::Bool(a), V::Bool(b)) => match (a, b) {
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => equality(op, a == b),
        },
        (V::Text(a), V::Text(b)) => equality(op, a == b),
        (V::Enum(a, _), V::Enum(b, _)) => equality(op, a == b),
        (V::Date(a), V::Date(b)) => {
            let (a, b) = (a.days_since_epoch() as f64, b.days_since_epoch() as f64);
            compare_intervals(op, (a, a), (b, b))
        }
        _ => Tri::Unknown,
    }
}

fn equality(op: CompareOp, equal: bool) -> Tri {
    match op {
        CompareOp::Eq => Tri::from_bool(equal),
        CompareOp::Ne => Tri::from_bool(!equal),
        _ => Tri::Unknown,
    }
}

/// Compares two intervals: decided when every pair of values in them gives the same answer.
fn compare_intervals(op: CompareOp, (a_lo, a_hi): (f64, f64), (b_lo, b_hi): (f64, f64)) -> Tri {
    if [a_lo, a_hi, b_lo, b_hi].iter().any(|x| x.is_nan()) {
        return Tri::Unknown;
    }
    // Tolerance is taken from the two ends being compared, so an infinite bound never widens it.
    let ge = |x_lo: f64, x_hi: f64, y_lo: f64, y_hi: f64| {
        if x_lo >= y_hi - tolerance(x_lo, y_hi) {
            Tri::True
        } else if x_hi < y_lo - tolerance(x_hi, y_lo) {
            Tri::False
        } else {
            Tri::Unknown
        }
    };
    let gt = |x_lo: f64, x_hi: f64, y_lo: f64, y_hi: f64| {
        if x_lo > y_hi + tolerance(x_lo, y_hi) {
            Tri::True
        } else if x_hi <= y_lo + tolerance(x_hi, y_lo) {
            Tri::False
        } else {
            Tri::Unknown
        }
    };
    let points = a_lo == a_hi && b_lo == b_hi;
    match op {
        CompareOp::Ge => ge(a_lo, a_hi, b_lo, b_hi),
        CompareOp::Le => ge(b_lo, b_hi, a_lo, a_hi),
        CompareOp::Gt => gt(a_lo, a_hi, b_lo, b_hi),
        CompareOp::Lt => gt(b_lo, b_hi, a_lo, a_hi),
        CompareOp::Eq | CompareOp::Ne => {
            let disjoint =
                a_hi < b_lo - tolerance(a_hi, b_lo) || b_hi < a_lo - tolerance(b_hi, a_lo);
            let equal = if points && (a_lo - b_lo).abs() <= tolerance(a_lo, b_lo) {
                Tri::True
            } else if disjoint || points {
                Tri::False
            } else {
                Tri::Unknown
            };
            if op == CompareOp::Eq {
                equal
            } else {
                equal.not()
            }
        }
    }
}

fn arith<'a>(op: ArithOp, left: Val<'a>, right: Val<'a>) -> Val<'a> {
    let trace = merge(left.trace.clone(), &right.trace);
    let missing = merge(left.missing.clone(), &right.missing);
    let v = match (&left.v, &right.v) {
        (
            V::Num {
                lo: a_lo,
                hi: a_hi,
                dim: a_dim,
                unit: a_unit,
            },
            V::Num {
                lo: b_lo,
                hi: b_hi,
                dim: b_dim,
                unit: b_unit,
            },
        ) => {
            let dim = match op {
                ArithOp::Add | ArithOp::Sub => *a_dim,
                ArithOp::Mul => *a_dim * *b_dim,
                ArithOp::Div => *a_dim / *b_dim,
            };
            let (lo, hi) = match op {
                ArithOp::Add => (a_lo + b_lo, a_hi + b_hi),
                ArithOp::Sub => (a_lo - b_hi, a_hi - b_lo),
                ArithOp::Mul => bounds(&[
                    mul(*a_lo, *b_lo),
                    mul(*a_lo, *b_hi),
                    mul(*a_hi, *b_lo),
                    mul(*a_hi, *b_hi),
                ]),
                ArithOp::Div => {
                    if *b_lo <= 0.0 && *b_hi >= 0.0 {
                        // Division by a value that may be zero decides nothing; blame the divisor.
                        let missing = if right.missing.is_empty() {
                            merge(missing, &right.trace)
                        } else {
                            missing
                        };
                        return Val {
                            v: V::Num {
                                lo: f64::NEG_INFINITY,
                                hi: f64::INFINITY,
                                dim,
                                unit: None,
                            },
                            missing,
                            trace,
                        };
                    }
                    bounds(&[a_lo / b_lo, a_lo / b_hi, a_hi / b_lo, a_hi / b_hi])
                }
            };
            let unit = match op {
                ArithOp::Add | ArithOp::Sub => a_unit.or(*b_unit),
                _ => None,
            };
            V::Num { lo, hi, dim, unit }
        }
        (V::Date(a), V::Date(b)) if op == ArithOp::Sub => {
            let days = (a.days_since_epoch() - b.days_since_epoch()) as f64 * 86_400.0;
            let unit = units::lookup("d");
            V::Num {
                lo: days,
                hi: days,
                dim: unit.map_or(Dim::NONE, |unit| unit.dim),
                unit,
            }
        }
        (V::Date(date), V::Num { lo, hi, .. }) if lo == hi => {
            let days = (lo / 86_400.0).round() as i64;
            let days = if op == ArithOp::Sub {
                days.saturating_neg()
            } else {
                days
            };
            V::Date(date.plus_days(days))
        }
        _ => V::Unknown,
    };
    let decided = match &v {
        V::Num { lo, hi, .. } => lo == hi,
        V::Unknown => false,
        _ => true,
    };
    Val {
        v,
        missing: if decided { Paths::new() } else { missing },
        trace,
    }
}

/// `left` when it decides a conjunction (`deciding` false) or a disjunction (true) alone: then
/// [`Env::logic`] would give its value, blame its trace and miss nothing, whatever the right
/// side, which is not evaluated (so `a or b` costs nothing more when `a` holds). `left` is given
/// back (`Err`) when it does not decide alone, and its paths are moved, not copied, when it does.
fn decided_alone<'a>(left: Val<'a>, deciding: Tri) -> Result<Val<'a>, Val<'a>> {
    if left.tri() == deciding {
        Ok(Val {
            v: V::Bool(deciding),
            missing: Paths::new(),
            trace: left.trace,
        })
    } else {
        Err(left)
    }
}

/// A product where zero times infinity is zero (an unknown count of nothing is nothing).
fn mul(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 { 0.0 } else { a * b }
}

fn bounds(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

fn membership<'a>(value: Val<'a>, list: Val<'a>) -> Val<'a> {
    let V::List(elements) = &list.v else {
        return Val {
            v: V::Bool(Tri::Unknown),
            missing: merge(value.missing.clone(), &list.missing),
            trace: merge(value.trace, &list.trace),
        };
    };
    let mut result = Tri::False;
    let mut missing = Vec::new();
    for element in elements.iter() {
        // Compared in place: a copy of each side per element was most of the cost.
        let equal = compared(CompareOp::Eq, &value.v, &element.val.v);
        let holds = element.member.and(equal);
        if holds == Tri::Unknown {
            // Gathered and then made unique once: merging into the whole list at each element
            // was quadratic in the list's length.
            if equal == Tri::Unknown {
                missing.extend(value.missing.iter().cloned());
                missing.extend(element.val.missing.iter().cloned());
            }
            missing.extend(element.member_missing.iter().cloned());
        }
        result = result.or(holds);
    }
    Val {
        v: V::Bool(result),
        missing: if result == Tri::Unknown {
            dedup_paths(missing)
        } else {
            Paths::new()
        },
        trace: merge(value.trace, &list.trace),
    }
}

fn call(function: Function, values: Vec<Val<'_>>) -> Val<'_> {
    let mut values = values.into_iter();
    let Some(first) = values.next() else {
        return Val::constant(V::Unknown);
    };
    match function {
        Function::Ceil | Function::Floor | Function::Round => {
            let mut value = first;
            if let V::Num { lo, hi, .. } = &mut value.v {
                let round = |x: f64| match function {
                    Function::Ceil => snap(x).ceil(),
                    Function::Floor => snap(x).floor(),
                    _ => x.round(),
                };
                (*lo, *hi) = (round(*lo), round(*hi));
            }
            value
        }
        Function::Year => match first.v {
            V::Date(date) => Val::decided(
                V::Num {
                    lo: f64::from(date.year()),
                    hi: f64::from(date.year()),
                    dim: Dim::NONE,
                    unit: None,
                },
                first.trace,
            ),
            _ => Val {
                v: V::Num {
                    lo: f64::NEG_INFINITY,
                    hi: f64::INFINITY,
                    dim: Dim::NONE,
                    unit: None,
                },
                ..first
            },
        },
        Function::AgeBands => age_bands(first),
        Function::Contains => {
            let Some(second) = values.next() else {
                return first;
            };
            let trace = merge(first.trace.clone(), &second.trace);
            match (&first.v, &second.v) {
                (V::Text(haystack), V::Text(needle)) => {
                    Val::decided(V::Bool(Tri::from_bool(haystack.contains(needle))), trace)
                }
                _ => Val {
                    v: V::Bool(Tri::Unknown),
                    missing: merge(first.missing, &second.missing),
                    trace,
                },
            }
        }
        Function::Min2 | Function::Max2 => {
            let Some(second) = values.next() else {
                return first;
            };
            let trace = merge(first.trace.clone(), &second.trace);
            match (&first.v, &second.v) {
                (
                    V::Num {
                        lo: a_lo,
                        hi: a_hi,
                        dim,
                        unit,
                    },
                    V::Num {
                        lo: b_lo, hi: b_hi, ..
                    },
                ) => {
                    let (lo, hi) = if function == Function::Min2 {
                        (a_lo.min(*b_lo), a_hi.min(*b_hi))
                    } else {
                        (a_lo.max(*b_lo), a_hi.max(*b_hi))
                    };
                    Val {
                        v: V::Num {
                            lo,
                            hi,
                            dim: *dim,
                            unit: *unit,
                        },
                        missing: if lo == hi {
                            Paths::new()
                        } else {
                            merge(first.missing.clone(), &second.missing)
                        },
                        trace,
                    }
                }
                _ => Val::constant(V::Unknown),
            }
        }
    }
}

#[cfg(test)]
mod tests;
