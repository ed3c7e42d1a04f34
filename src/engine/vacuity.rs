//! Requirements that hold only because there was nothing to check.
//!
//! `all(facilities, …)` holds over a list with no item the rule concerns, and `provided >=
//! ceil(rate × residents)` holds when the file states 0 residents: each is true, but no stated
//! fact was checked. Missing is not zero, and nothing is not compliance: such a pass is reported
//! as *nothing to check*, located on the empty list or the zero, and is not counted as decided
//! (`verdict::Basis`).
//!
//! The walk runs only on a requirement that passed, along the operands that decided it, as
//! `record` does for the compliance record: a conjunction holds vacuously when every operand
//! does, a disjunction when every operand that holds does; `all` when no item is in its list or
//! every item holds vacuously (`any` the same for falsity, so `not any(…)` over nothing is
//! vacuous too); a comparison `a >= b` (or `b <= a`) when its lower bound `b` is 0 because the
//! file states 0 for what it is scaled by. A strict comparison (`a > 0`) is never vacuous: it
//! asks for something.

use crate::base::i18n::Text;
use crate::engine::eval::{Env, PathRef, Tri, V, Val, to_yaml_path};
use crate::project::yaml::YamlPath;
use crate::rules::ir::{AggregateOp, ArithOp, CompareOp, Criterion, Expr, Function};
use crate::tr;

/// Why a requirement held without a stated fact being checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nothing {
    /// The list has no item the requirement is about (`facilities: []`, or no childcare
    /// facility among them).
    EmptyList,
    /// What the requirement is scaled by is 0 (`residents: 0`), so it requires nothing.
    ZeroScale,
}

/// A requirement that held only vacuously, and where: the empty list or the zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vacuity {
    /// The list or the value in the file.
    pub path: YamlPath,
    /// Which of the two.
    pub nothing: Nothing,
}

impl Vacuity {
    /// What a report says at the place: nothing was there to check.
    pub fn note(&self) -> Text {
        let path = crate::base::i18n::code(&self.path.to_string());
        match self.nothing {
            Nothing::EmptyList => tr!(
                "{path} 中没有本规则涉及的项,无可检查的对象;规则未经核查即成立,不计为已判定",
                "{path} has no item this rule concerns: nothing was there to check, so the rule holds unchecked and is not counted as decided"
            ),
            Nothing::ZeroScale => tr!(
                "要求按 {path} 计算,其值为 0,无可检查的要求;规则未经核查即成立,不计为已判定",
                "the requirement is scaled by {path}, which is 0: nothing was there to check, so the rule holds unchecked and is not counted as decided"
            ),
        }
    }
}

/// Whether a criterion whose requirement passed holds only vacuously. The lets are bound in
/// `env` (the criterion was just evaluated). The walk has a step budget of its own, so it never
/// puts the rule over budget; a walk that runs over its own is taken as not vacuous.
pub fn vacuity<'a>(env: &mut Env<'a>, criterion: &'a Criterion) -> Option<Vacuity> {
    let (found, over) = env.aside(|env| {
        let mut walk = Walk {
            env,
            lets: &criterion.lets,
            depth: 0,
        };
        let mut first = None;
        for expr in &criterion.require {
            // Every requirement must hold vacuously for the criterion to.
            let found = walk.holds_vacuously(expr, true)?;
            first.get_or_insert(found);
        }
        first.map(|(path, nothing)| Vacuity {
            path: to_yaml_path(&path),
            nothing,
        })
    });
    found.filter(|_| !over)
}

struct Walk<'e, 'a> {
    env: &'e mut Env<'a>,
    lets: &'a [(usize, Expr)],
    /// Lets followed: a let may name another, never itself, but the bound keeps the walk finite
    /// whatever the checked form holds.
    depth: usize,
}

/// How many lets a walk follows through one another.
const MAX_LET_DEPTH: usize = 64;

type Found<'a> = (PathRef<'a>, Nothing);

impl<'a> Walk<'_, 'a> {
    fn let_of(&self, slot: usize) -> Option<&'a Expr> {
        self.lets
            .iter()
            .find(|(bound, _)| *bound == slot)
            .map(|(_, expr)| expr)
    }

    /// Where `expr`, which evaluates to `want`, holds only vacuously; `None` when a stated fact
    /// decided it.
    fn holds_vacuously(&mut self, expr: &'a Expr, want: bool) -> Option<Found<'a>> {
        let wanted = if want { Tri::True } else { Tri::False };
        match expr {
            Expr::Not(operand) => self.holds_vacuously(operand, !want),
            Expr::And(left, right) | Expr::Or(left, right) => {
                let conjunction = matches!(expr, Expr::And(..));
                // The operands that decide the value: both when it is the operator's unit
                // (`and` true, `or` false), else those equal to it.
                let both = want == conjunction;
                let mut first = None;
                for operand in [left, right] {
                    let value = self.env.tri(operand);
                    if !both && value != wanted {
                        continue;
                    }
                    let found = self.holds_vacuously(operand, want)?;
                    first.get_or_insert(found);
                }
                first
            }
            Expr::Var(slot) if self.depth < MAX_LET_DEPTH => {
                let bound = self.let_of(*slot)?;
                self.depth += 1;
                let found = self.holds_vacuously(bound, want);
                self.depth -= 1;
                found
            }
            Expr::Aggregate {
                op: op @ (AggregateOp::All | AggregateOp::Any),
                list,
                slot,
                body,
                ..
            } => {
                let list = self.env.eval(list);
                let V::List(elements) = &list.v else {
                    return None;
                };
                let all = *op == AggregateOp::All;
                // `all` true and `any` false are decided by every item; the other two by the
                // items that made them so.
                let every_item = want == all;
                let mut first = None;
                let mut members = 0_usize;
                for element in elements.iter() {
                    match element.member {
                        Tri::False => continue,
                        // An item that may or may not be in the list took part.
                        Tri::Unknown => return None,
                        Tri::True => members += 1,
                    }
                    let body = body.as_deref()?;
                    self.env.bind(*slot, element.val.clone());
                    let value = self.env.tri(body);
                    if !every_item && value != wanted {
                        continue;
                    }
                    let found = self.holds_vacuously(body, want)?;
                    first.get_or_insert(found);
                }
                if members == 0 {
                    return list
                        .trace
                        .first()
                        .map(|path| (PathRef::clone(path), Nothing::EmptyList));
                }
                first
            }
            Expr::Compare(op @ (CompareOp::Ge | CompareOp::Le), left, right) if want => {
                let bound = if *op == CompareOp::Ge { right } else { left };
                self.zero_source(bound)
                    .map(|path| (path, Nothing::ZeroScale))
            }
            _ => None,
        }
    }

    /// Where a lower bound that is exactly 0 got its zero from the file: the stated value it is
    /// scaled by (`residents` in `ceil(rate × residents)`); `None` for a 0 the rule wrote.
    fn zero_source(&mut self, expr: &'a Expr) -> Option<PathRef<'a>> {
        let value = self.env.eval(expr);
        if !is_zero(&value) {
            return None;
        }
        let stated = value.trace.first().cloned()?;
        let deeper = match expr {
            Expr::Arith(ArithOp::Mul, left, right) => {
                let left_zero = is_zero(&self.env.eval(left));
                let factor = if left_zero { left } else { right };
                self.zero_source(factor)
            }
            Expr::Arith(ArithOp::Div, numerator, _) => self.zero_source(numerator),
            Expr::Call(Function::Ceil | Function::Floor | Function::Round, arguments) => {
                arguments.first().and_then(|inner| self.zero_source(inner))
            }
            Expr::Var(slot) if self.depth < MAX_LET_DEPTH => {
                let bound = self.let_of(*slot)?;
                self.depth += 1;
                let found = self.zero_source(bound);
                self.depth -= 1;
                found
            }
            _ => None,
        };
        Some(deeper.unwrap_or(stated))
    }
}

fn is_zero(value: &Val<'_>) -> bool {
    matches!(value.v, V::Num { lo, hi, .. } if lo == 0.0 && hi == 0.0)
}
