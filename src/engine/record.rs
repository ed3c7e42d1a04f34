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
//! what it compared: evaluation stays as cheap as before for the many values nobody reads.
//!
//! Architecture invariant: recording never changes an outcome; it only reads the environment
//! the rule was evaluated in, and it is bounded (at most [`MAX_COMPARISONS`] per result, at most
//! [`MAX_ELEMENTS`] elements per list, at most [`MAX_DEPTH`] levels, as deep as rule expressions).

use std::rc::Rc;

use crate::base::i18n::Text;
use crate::engine::eval::{Env, Tri, V, Val, to_yaml_path};
use crate::project::Project;
use crate::project::types::Variant;
use crate::project::units::{self, Unit};
use crate::project::yaml::YamlPath;
use crate::rules::ir::{
    AggregateOp, ArithOp, Check, CompareOp, Criterion, Expr, Function, RuleSet,
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
}

/// What decided the outcome of the rule at `rule` on `project`, computed on demand: the rule is
/// evaluated again in a fresh environment (`params` are the parameter values of the packs that
/// applied) and walked. Reports that show the record call this; checking itself never does, so
/// a run that prints only findings pays nothing for the record.
pub fn recompute(
    set: &RuleSet,
    project: &Project,
    params: &[f64],
    rule: usize,
    outcome: Outcome,
) -> Vec<Comparison> {
    let Some(Check::Criterion(criterion)) = set.rules.get(rule).map(|rule| &rule.check) else {
        return Vec::new();
    };
    let mut env = Env::new(project, set, params);
    env.reset(criterion.slots);
    for (slot, expr) in &criterion.lets {
        let value = env.eval(expr);
        env.bind(*slot, value);
    }
    let applies = criterion
        .applies
        .as_ref()
        .map_or(Tri::True, |expr| env.eval(expr).tri());
    self::criterion(&mut env, criterion, outcome, applies)
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
    let mut recorder = Recorder {
        env,
        lets: &criterion.lets,
        out: Vec::new(),
    };
    if outcome == Outcome::NotApplicable {
        if applies == Tri::False {
            if let Some(expr) = &criterion.applies {
                recorder.explain(expr, 0);
            }
        } else if let Some(expr) = criterion
            .unless
            .iter()
            .find(|expr| recorder.env.eval(expr).tri() == Tri::True)
        {
            recorder.explain(expr, 0);
        }
        return recorder.out;
    }
    for expr in &criterion.require {
        let truth = recorder.env.eval(expr).tri();
        if outcome == Outcome::Pass || truth != Tri::True {
            recorder.explain(expr, 0);
        }
    }
    recorder.out
}

/// The hint of a failed rule: the advice about the project first, then the edit to the file on
/// a line of its own (for the consultant who keeps the file).
pub fn advice_then_edit(advice: Option<Text>, edit: Option<Text>) -> Option<Text> {
    match (advice, edit) {
        (Some(advice), Some(edit)) => Some(Text::new(
            format!("{}\n项目文件:{}", advice.zh, edit.zh),
            format!("{}\nIn the file: {}", advice.en, edit.en),
        )),
        (advice, edit) => advice.or(edit),
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
    Comparison {
        subject: Text::new(
            format!("「{}」的目标值", indicator.zh),
            format!("a target for {}", indicator.en),
        ),
        required: Text::new("已注明", "stated"),
        basis: None,
        stated: not_stated(),
        unit: None,
        path: Some(YamlPath::root().key("targets")),
        holds: Tri::False,
    }
}

/// The comparisons that decided a condition on its own (a target's `applies`).
pub fn condition<'a>(env: &mut Env<'a>, expr: &'a Expr) -> Vec<Comparison> {
    let mut recorder = Recorder {
        env,
        lets: &[],
        out: Vec::new(),
    };
    recorder.explain(expr, 0);
    recorder.out
}

struct Recorder<'r, 'a> {
    env: &'r mut Env<'a>,
    lets: &'a [(usize, Expr)],
    out: Vec<Comparison>,
}

impl<'a> Recorder<'_, 'a> {
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
                let left_truth = self.env.eval(left).tri();
                let right_truth = self.env.eval(right).tri();
                if left_truth == deciding {
                    self.explain(left, depth + 1);
                } else if right_truth == deciding {
                    self.explain(right, depth + 1);
                } else {
                    self.explain(left, depth + 1);
                    self.explain(right, depth + 1);
                }
            }
            Expr::Not(inner) => self.explain(inner, depth + 1),
            Expr::Var(slot) => match self.let_expr(*slot) {
                Some(bound) => self.explain(bound, depth + 1),
                None => self.condition(expr, depth),
            },
            Expr::Compare(op, left, right) => self.compare(expr, *op, left, right, depth),
            Expr::In {
                value,
                list,
                negated,
            } => self.membership(expr, value, list, *negated, depth),
            Expr::Present(inner) => {
                let value = self.env.eval(inner);
                let stated = value.missing.is_empty();
                self.out.push(Comparison {
                    subject: self.subject(inner, depth),
                    required: Text::new("已注明", "stated"),
                    basis: None,
                    stated: if stated {
                        Text::new("已注明", "stated")
                    } else {
                        not_stated()
                    },
                    unit: None,
                    path: first_path(&value),
                    holds: if stated { Tri::True } else { Tri::False },
                });
            }
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
        let result = self.env.eval(expr).tri();
        let list_value = self.env.eval(list);
        let V::List(elements) = &list_value.v else {
            // The list is not stated at all.
            self.out.push(Comparison {
                subject: self.subject(list, depth),
                required: Text::new("已注明", "stated"),
                basis: None,
                stated: not_stated(),
                unit: None,
                path: first_path(&list_value),
                holds: Tri::Unknown,
            });
            return;
        };
        let elements = Rc::clone(elements);
        let members = elements
            .iter()
            .filter(|element| element.member != Tri::False);
        let mut chosen = Vec::new();
        for element in members {
            self.env.bind(slot, element.val.clone());
            let truth = self.env.eval(body).tri();
            if truth == result || (result == Tri::Unknown && truth != Tri::True) {
                chosen.push(element.val.clone());
                if chosen.len() >= MAX_ELEMENTS {
                    break;
                }
            }
        }
        if chosen.is_empty() {
            // No element to show: an empty list (nothing satisfies `any`; `all` holds vacuously).
            let any = op == AggregateOp::Any;
            self.out.push(Comparison {
                subject: self.subject(list, depth),
                required: if any {
                    Text::new("至少一项符合", "at least one that qualifies")
                } else {
                    Text::new("每一项符合", "every one qualifies")
                },
                basis: None,
                stated: Text::new("无", "none"),
                unit: None,
                path: first_path(&list_value),
                holds: result,
            });
            return;
        }
        for value in chosen {
            if self.full() {
                break;
            }
            self.env.bind(slot, value);
            self.explain(body, depth + 1);
        }
    }

    fn compare(
        &mut self,
        expr: &'a Expr,
        op: CompareOp,
        left: &'a Expr,
        right: &'a Expr,
        depth: usize,
    ) {
        let holds = self.env.eval(expr).tri();
        let left_value = self.env.eval(left);
        let right_value = self.env.eval(right);
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
        let shown = |value: &Val<'_>| Text::new(display(value, true), display(value, false));
        let required_text = {
            let value = shown(&required);
            let plain = matches!(required.v, V::Bool(_) | V::Enum(..) | V::Text(_));
            match (op, plain) {
                (CompareOp::Eq, true) => value,
                (CompareOp::Ne, true) => {
                    Text::new(format!("不是 {}", value.zh), format!("not {}", value.en))
                }
                _ => {
                    let symbol = symbol(op);
                    Text::new(
                        format!("{symbol} {}", value.zh),
                        format!("{symbol} {}", value.en),
                    )
                }
            }
        };
        let basis = (!simple(required_expr)).then(|| self.basis(required_expr, depth));
        let comparison = Comparison {
            subject: self.subject(stated_expr, depth),
            required: required_text,
            basis,
            stated: shown(&stated),
            unit: unit_of(&stated),
            path: first_path(&stated),
            holds,
        };
        self.out.push(comparison);
    }

    fn membership(
        &mut self,
        expr: &'a Expr,
        value: &'a Expr,
        list: &'a Expr,
        negated: bool,
        depth: usize,
    ) {
        let holds = self.env.eval(expr).tri();
        let stated = self.env.eval(value);
        let allowed = self.env.eval(list);
        let (zh, en) = (display(&allowed, true), display(&allowed, false));
        self.out.push(Comparison {
            subject: self.subject(value, depth),
            required: if negated {
                Text::new(format!("{zh}以外"), format!("none of {en}"))
            } else {
                Text::new(format!("{zh}之一"), format!("one of {en}"))
            },
            basis: None,
            stated: Text::new(display(&stated, true), display(&stated, false)),
            unit: None,
            path: first_path(&stated),
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
            stated: Text::new(display(&value, true), display(&value, false)),
            unit: None,
            path: first_path(&value),
            holds,
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
                None => Text::new("该项", "the item"),
            },
            Expr::Aggregate { op, list, body, .. } => {
                let of_list = self.subject(list, depth + 1);
                let of_body = body.as_deref().map(|body| self.subject(body, depth + 1));
                match (op, of_body) {
                    (AggregateOp::Sum, Some(body)) => {
                        Text::new(format!("{}合计", body.zh), format!("total {}", body.en))
                    }
                    (AggregateOp::Min, Some(body)) => {
                        Text::new(format!("最小{}", body.zh), format!("least {}", body.en))
                    }
                    (AggregateOp::Max, Some(body)) => {
                        Text::new(format!("最大{}", body.zh), format!("greatest {}", body.en))
                    }
                    (AggregateOp::Count, _) => Text::new(
                        format!("{}数量", of_list.zh),
                        format!("number of {}", of_list.en),
                    ),
                    (AggregateOp::Filter, _) => Text::new(
                        format!("符合条件的{}", of_list.zh),
                        format!("qualifying {}", of_list.en),
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
            (display(&value, true), display(&value, false))
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
                    format!("{} {zh}", subject.zh),
                    format!("{} {en}", subject.en),
                )
            }
            Expr::Arith(op, left, right) => {
                let inner = |recorder: &mut Self, operand: &'a Expr| {
                    let text = recorder.basis(operand, depth + 1);
                    let grouped = matches!(op, ArithOp::Mul | ArithOp::Div)
                        && matches!(operand, Expr::Arith(ArithOp::Add | ArithOp::Sub, ..));
                    if grouped {
                        Text::new(format!("({})", text.zh), format!("({})", text.en))
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
                    format!("{} {symbol} {}", a.zh, b.zh),
                    format!("{} {symbol} {}", a.en, b.en),
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
                    Function::Ceil => format!("⌈{inner}⌉"),
                    Function::Floor => format!("⌊{inner}⌋"),
                    Function::Round => format!("round({inner})"),
                    Function::Year => format!("year({inner})"),
                    Function::Contains => format!("contains({inner})"),
                    Function::Min2 => format!("min({inner})"),
                    Function::Max2 => format!("max({inner})"),
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

/// Whether the required side is a plain value, so how it was computed says nothing more.
fn simple(expr: &Expr) -> bool {
    matches!(expr, Expr::Const(_) | Expr::Param(_) | Expr::List(_))
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
            variant_label(variant).get_chinese(chinese).to_owned()
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

/// The short name of an enum value: 托育机构 for `childcare_centre`.
pub fn variant_label(variant: &Variant) -> Text {
    label(&variant.doc)
}

/// The short name in a model description: the words before any explanation.
pub fn label(doc: &Text) -> Text {
    // Labels are asked for again and again (every enum value shown, for every rule of every
    // file), of descriptions that live as long as the model: remember each by its address,
    // checking the text so that a description freed and another at its address is never confused.
    thread_local! {
        static LABELS: std::cell::RefCell<std::collections::HashMap<usize, (Text, Text)>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    let key = doc.zh.as_ptr() as usize;
    let cached = LABELS.with(|labels| {
        labels
            .borrow()
            .get(&key)
            .filter(|(of, _)| of == doc)
            .map(|(_, label)| label.clone())
    });
    if let Some(label) = cached {
        return label;
    }
    let label = short(doc);
    LABELS.with(|labels| {
        let mut labels = labels.borrow_mut();
        // Bounded: the model has a few hundred descriptions; rule-local ones never accumulate.
        if labels.len() > 4096 {
            labels.clear();
        }
        labels.insert(key, (doc.clone(), label.clone()));
    });
    label
}

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
