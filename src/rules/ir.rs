//! Checked rules, ready to evaluate. Built only by [`super::check`]: every path here exists in
//! the model, every unit fits, every citation was found in its source.

use std::ops::Range;
use std::sync::Arc;

use crate::base::diagnostic::SourceFile;
use crate::base::i18n::{Lang, Text};
use crate::project::date::Date;
use crate::project::types::{EnumTy, RecordTy};
use crate::project::units::{Dim, Unit};

/// Everything loaded: packs, their rules and targets, parameters and indicators.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
// Decoded only from the embedded `rules/builtin.bin`, whose rules' parts it borrows.
#[serde(bound(deserialize = "'de: 'static"))]
pub struct RuleSet {
    /// Packs in load order (built-in first, then `--rules` files in the order given).
    pub packs: Vec<Pack>,
    /// Rules and targets of all packs, pack by pack, in file order.
    pub rules: Vec<Rule>,
    /// Declared parameters.
    pub params: Vec<Param>,
    /// Declared indicators.
    pub indicators: Vec<Indicator>,
}

impl RuleSet {
    /// The rule or target with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|indicator| indicator.id == id)
    }
}

/// A jurisdiction path: `CN/SH/Pudong` as its segments.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Jurisdiction(pub Vec<String>);

impl Jurisdiction {
    /// Parses `CN/SH`; the caller has checked the syntax.
    pub fn parse(text: &str) -> Jurisdiction {
        Jurisdiction(text.split('/').map(str::to_owned).collect())
    }

    /// Whether `self` is `other` or one of its ancestors (so a pack for `self` applies there).
    pub fn contains(&self, other: &Jurisdiction) -> bool {
        other.0.len() >= self.0.len() && other.0.iter().zip(&self.0).all(|(a, b)| a == b)
    }

    /// How many levels deep it is (`CN` is 1).
    pub fn depth(&self) -> usize {
        self.0.len()
    }
}

impl std::fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

/// A pack: the rules drawn from one source.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Pack {
    /// Its id.
    pub id: String,
    /// The source it encodes.
    pub source: String,
    /// Where it applies.
    pub jurisdiction: Jurisdiction,
    /// Its version.
    pub version: Option<String>,
    /// The file it came from (the compiled built-in set stores only its position in
    /// [`super::builtin::BUILTIN`]).
    #[serde(skip, default = "super::encoding::unnamed_file")]
    pub file: Arc<SourceFile>,
    /// Whether it is embedded in the binary.
    pub builtin: bool,
    /// Clauses classified as not checkable, with the reason (decoded on first use when the pack
    /// comes from `rules/builtin.bin`: only coverage, explain and the editor read them, and
    /// decoding every pack's notes was most of start-up).
    pub not_checkable: super::encoding::Lazy<Vec<NotCheckable>>,
    /// Its source's standing in law, from the manifest.
    pub force: Force,
}

/// A source's standing in law: issued or a draft, and the period it is in force.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Force {
    /// A draft (征求意见稿): it advises unless an office adopts it.
    pub draft: bool,
    /// The first day it can apply: its date of issue (the first day of the month or year when
    /// only that much is known).
    pub from: Option<Date>,
    /// When the date of issue is known only to the year or month: the last day of it, by which
    /// the document surely existed. Before it, whether the document had been issued on a given
    /// day is not known, so it does not bind (it advises).
    #[serde(default)]
    pub issued_by: Option<Date>,
    /// The last day of the period it states for itself, if any.
    pub until: Option<Date>,
    /// What continues it after that period, if anything.
    pub continued_by: Option<String>,
}

impl Force {
    /// When the date of issue is known only to the year or month: that year (`2025`) or month
    /// (`2025-03`).
    pub fn issue_known(&self) -> Option<String> {
        let (from, by) = (self.from?, self.issued_by?);
        let known = from.to_string();
        Some(
            if from.year() == by.year()
                && by.to_string().ends_with("-12-31")
                && known.ends_with("-01-01")
            {
                from.year().to_string()
            } else {
                known.get(..7).unwrap_or(&known).to_owned()
            },
        )
    }

    /// The period it is in force, as reports and the editor print it: `2023-09-14 – 2025-12-31`,
    /// `2022-07-01 起` / `from 2022-07-01`, `至 …` / `until …`, `date of issue not known: 2025 –
    /// 2027-12-31`; empty when no date is known.
    pub fn period(&self, lang: Lang) -> String {
        if let Some(known) = self.issue_known() {
            let issued = match lang {
                Lang::Zh => format!("印发日期不详,仅知为 {known}"),
                Lang::En => format!("date of issue not known: {known}"),
            };
            return match self.until {
                Some(until) => format!("{issued} – {until}"),
                None => issued,
            };
        }
        match (self.from, self.until) {
            (Some(from), Some(until)) => format!("{from} – {until}"),
            (Some(from), None) => match lang {
                Lang::Zh => format!("{from} 起"),
                Lang::En => format!("from {from}"),
            },
            (None, Some(until)) => match lang {
                Lang::Zh => format!("至 {until}"),
                Lang::En => format!("until {until}"),
            },
            (None, None) => String::new(),
        }
    }
}

/// A clause that no rule checks, and why.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct NotCheckable {
    /// The clause id.
    pub clause: String,
    /// Words of each sentence meant; empty when the whole clause is.
    pub sentences: Vec<String>,
    /// Why it cannot be checked from a submission.
    pub reason: Text,
}

/// `shall` / `should` / `may`, from the wording of the clause.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// 必须、应、严格落实、确保 …
    Shall,
    /// 优先、宜 …
    Should,
    /// 鼓励、支持、探索、可 …
    May,
}

impl Strength {
    /// All strengths, strongest first.
    pub const ALL: [Strength; 3] = [Strength::Shall, Strength::Should, Strength::May];

    /// As written in rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Shall => "shall",
            Strength::Should => "should",
            Strength::May => "may",
        }
    }

    /// In words.
    pub fn label(self) -> Text {
        match self {
            Strength::Shall => Text::new("应当", "shall"),
            Strength::Should => Text::new("宜", "should"),
            Strength::May => Text::new("可", "may"),
        }
    }
}

/// Whom a clause binds: the project that builds or runs a place, or the government, whose
/// mechanisms, systems and levels of service are set up by its plans and policies.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Addressee {
    /// 项目(建设或运营单位)
    Project,
    /// 政府(通过规划、政策)
    Government,
}

impl Addressee {
    /// All addressees.
    pub const ALL: [Addressee; 2] = [Addressee::Project, Addressee::Government];

    /// As written in rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Addressee::Project => "project",
            Addressee::Government => "government",
        }
    }

    /// In words.
    pub fn label(self) -> Text {
        match self {
            Addressee::Project => Text::new(
                "项目(建设或运营单位)",
                "the project (its builder or operator)",
            ),
            Addressee::Government => Text::new(
                // Not only mechanisms: a clause may set a standard of provision or a level to reach
                // (高于全市平均水平), which binds the plan or policy that sets it, all the same.
                "政府(由设立该机制、标准或水平的规划或政策承担)",
                "the government (binding the plan or policy that sets up the mechanism, standard or level)",
            ),
        }
    }
}

/// The six domains of the child-friendly-city plans.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Domain {
    /// 社会政策
    Policy,
    /// 公共服务
    Service,
    /// 权利保障
    Rights,
    /// 成长空间
    Space,
    /// 发展环境
    Environment,
    /// 儿童产业
    Industry,
}

impl Domain {
    /// All domains, in the order the plans list them.
    pub const ALL: [Domain; 6] = [
        Domain::Policy,
        Domain::Service,
        Domain::Rights,
        Domain::Space,
        Domain::Environment,
        Domain::Industry,
    ];

    /// As written in rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Policy => "policy",
            Domain::Service => "service",
            Domain::Rights => "rights",
            Domain::Space => "space",
            Domain::Environment => "environment",
            Domain::Industry => "industry",
        }
    }

    /// The plans' own name for it.
    pub fn label(self) -> Text {
        match self {
            Domain::Policy => Text::new("社会政策", "social policy"),
            Domain::Service => Text::new("公共服务", "public services"),
            Domain::Rights => Text::new("权利保障", "rights protection"),
            Domain::Space => Text::new("成长空间", "space to grow"),
            Domain::Environment => Text::new("发展环境", "environment for development"),
            Domain::Industry => Text::new("儿童产业", "children's industries"),
        }
    }
}

/// A citation, checked against the corpus.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Citation {
    /// Source id.
    pub source: String,
    /// Clause id (canonical).
    pub clause: String,
    /// The verbatim quote.
    pub quote: String,
}

/// A named threshold with provenance.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// What a person calls it: 每千名常住人口的托位数. Every format a person reads names a
    /// parameter by its label, not its name.
    pub label: Text,
    /// The pack that declares it.
    pub pack: usize,
    /// Whether stricter means higher (`at_least`) or lower (`at_most`).
    pub bound: Bound,
    /// The declared value, in base units.
    pub value: f64,
    /// Its dimension.
    pub dim: Dim,
    /// The unit it was written in, for display.
    #[serde(with = "super::encoding::unit")]
    pub unit: Option<&'static Unit>,
    /// The unit as written.
    pub unit_symbol: Option<String>,
    /// Where the value comes from.
    pub cite: Citation,
    /// How the value was arrived at.
    pub basis: Option<Text>,
    /// Refinements by more local packs.
    pub refinements: Vec<Refinement>,
    /// The name's span in the declaring pack's file.
    pub span: Range<usize>,
}

/// A stricter value for a parameter from a more local pack.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Refinement {
    /// The refining pack.
    pub pack: usize,
    /// The value, in base units.
    pub value: f64,
    /// Where it comes from.
    pub cite: Citation,
    /// How the refining pack arrived at the value, when its clause states no number.
    pub basis: Option<Text>,
    /// Fixtures evaluated with the refinement in effect, each by a rule that reads the parameter.
    pub tests: Vec<RefinementTest>,
    /// The parameter's name in the `refine` item, in the refining pack's file.
    pub span: Range<usize>,
}

/// A test of a refinement: a rule that reads the parameter, evaluated on a fixture in the refining
/// pack's jurisdiction (so with the refinement in effect, as `yimi check` evaluates it there).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RefinementTest {
    /// The id of the rule evaluated.
    pub rule: String,
    /// The fixture and the outcome expected of that rule.
    pub test: RuleTest,
}

/// Which way a parameter may be refined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// A floor: refinements may only raise it.
    AtLeast,
    /// A ceiling: refinements may only lower it.
    AtMost,
}

/// An indicator plans commit to.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Indicator {
    /// Its id, as `targets[].indicator` names it.
    pub id: String,
    /// What it measures.
    pub label: Text,
    /// Its dimension.
    pub dim: Dim,
    /// Base units per unit of the values plans state (1 for pure numbers).
    pub scale: f64,
    /// The unit symbol, if any.
    pub unit: Option<String>,
    /// The named unit to print values in, if the symbol is one.
    #[serde(with = "super::encoding::unit")]
    pub display: Option<&'static Unit>,
}

/// A rule or a target. What a check needs of every rule (its id, pack, domain and strength) is
/// here; its texts are in [`RuleText`] (read through the rule: `rule.title`), which the compiled
/// built-in packs keep encoded until read, like the check: a run reads the texts of the rules of
/// the packs that apply to its files, so start-up does not allocate the other packs' thousands
/// of strings.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Rule {
    /// Its id.
    pub id: String,
    /// The pack it belongs to.
    pub pack: usize,
    /// Its domain.
    pub domain: Domain,
    /// Its strength.
    pub strength: Strength,
    /// What it checks (decoded on first use when the rule comes from `rules/builtin.bin`).
    pub check: LazyCheck,
    /// Its texts (decoded on first use when the rule comes from `rules/builtin.bin`).
    pub text: LazyRuleText,
    /// The rule's span in its pack file.
    pub span: Range<usize>,
    /// Whom the cited clause binds, when the rule says (absent: the project).
    pub addressee: Option<Addressee>,
}

impl std::ops::Deref for Rule {
    type Target = RuleText;

    /// The rule's texts, decoded on first use.
    fn deref(&self) -> &RuleText {
        &self.text
    }
}

/// A rule's texts: what it says, cites and advises; what only authors read (its documentation,
/// tests, written conditions and spans) is in [`RuleNotes`], read through the texts
/// (`rule.doc`) and decoded on its own first use, since checking a file never reads it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct RuleText {
    /// Its title.
    pub title: Text,
    /// The clause it cites.
    pub cite: Citation,
    /// How to fix a failure, in the project file.
    pub hint: Option<Template>,
    /// How to fix a failure, in the project: what to build, plan, consult or document, or how to
    /// ask for an exemption.
    pub advice: Option<Template>,
    /// What authors read (decoded on first use when the rule comes from `rules/builtin.bin`).
    pub notes: super::encoding::Lazy<RuleNotes>,
}

impl std::ops::Deref for RuleText {
    type Target = RuleNotes;

    /// The rule's notes, decoded on first use.
    fn deref(&self) -> &RuleNotes {
        &self.notes
    }
}

/// What authors read of a rule: `explain`, lints, rule tests and the editor.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct RuleNotes {
    /// Longer documentation: interpretation, sources of numbers.
    pub doc: Option<Text>,
    /// Tests beside the rule.
    pub tests: Vec<RuleTest>,
    /// The conditions as written (`applies …`, `unless …`, `let …`, `require …`), for `explain`.
    #[serde(with = "super::encoding::written")]
    pub written: Vec<(&'static str, String)>,
    /// Why the strength differs from what the quote's wording suggests, if it does.
    pub strength_reason: Option<Text>,
    /// Where the rule's parts are in its pack file, for lints.
    pub spans: RuleSpans,
}

impl Rule {
    /// The parameters the rule reads in deciding its outcome, in order of first use.
    pub fn params(&self) -> Vec<usize> {
        match &*self.check {
            Check::Criterion(criterion) => criterion.params(),
            Check::Target(target) => {
                let mut found = Vec::new();
                for expr in target.applies.iter().chain(&target.unless) {
                    expr.visit_params(&mut |index| {
                        if !found.contains(&index) {
                            found.push(index);
                        }
                    });
                }
                found
            }
        }
    }
}

/// Spans of a rule's parts in its pack file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RuleSpans {
    /// The id.
    pub id: Range<usize>,
    /// The strength.
    pub strength: Range<usize>,
    /// The addressee, or the id when none is written.
    pub addressee: Range<usize>,
    /// The quote.
    pub quote: Range<usize>,
}

/// What a rule checks, as a [`Check`] (through `*`). The compiled built-in packs keep each
/// rule's check encoded until something reads it: a run evaluates only the rules of the packs
/// that apply to its files, so start-up does not decode the expressions of the other packs
/// (most of the cost of decoding `rules/builtin.bin`).
pub type LazyCheck = super::encoding::Lazy<Check>;

/// A rule's texts, as a [`RuleText`] (through `*`), kept encoded until read like [`LazyCheck`].
pub type LazyRuleText = super::encoding::Lazy<RuleText>;

/// What a rule checks.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum Check {
    /// A rule with applicability, exceptions and requirement (boxed: its parts decoded on first
    /// use make it several times a target's size, and each rule holds room for its check).
    Criterion(Box<Criterion>),
    /// A target: a plan's stated value for an indicator against a threshold.
    Target(TargetCheck),
}

/// Applicability → exceptions → requirement.
///
/// What only a rule that applies reads (its requirements, where a failure points, what it says)
/// is decoded from `rules/builtin.bin` on its own first use ([`super::encoding::Lazy`]): most
/// rules of the packs that apply to a project do not apply to it, and decoding each one's whole
/// check to read its `applies` was most of a single file's check.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Criterion {
    /// When the rule applies (absent: always).
    pub applies: Option<Expr>,
    /// Exceptions: any true makes the rule not applicable.
    pub unless: Vec<Expr>,
    /// `let` bindings, evaluated in order into variable slots.
    pub lets: Vec<(usize, Expr)>,
    /// All must hold.
    pub require: super::encoding::Lazy<Vec<Expr>>,
    /// Where a failure points, if not where the evaluation found it.
    pub at: super::encoding::Lazy<Option<Expr>>,
    /// What a failure says.
    pub message: super::encoding::Lazy<Option<Template>>,
    /// Variable slots needed (lets and lambda variables).
    pub slots: usize,
}

/// A target.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct TargetCheck {
    /// Index into [`RuleSet::indicators`].
    pub indicator: usize,
    /// How the plan's value must compare.
    pub comparator: Comparator,
    /// The threshold, in base units.
    pub threshold: f64,
    /// The year by which it must be reached.
    pub year: u32,
    /// A quantity per year (每年, 逐年, 年均): every year the plan states, from the year the
    /// source was issued up to `year`, must meet the threshold, not only the last.
    #[serde(default)]
    pub every_year: bool,
    /// Which plans must state the indicator; without it, only plans that state it are judged.
    pub applies: Option<Expr>,
    /// Plans the target does not judge even when they state the indicator (a city's count is
    /// not a district plan's: `unless plan.level in [district, subdistrict]`).
    #[serde(default)]
    pub unless: Vec<Expr>,
    /// Variable slots the condition needs.
    pub slots: usize,
}

/// How a stated value compares with a target's threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// ≥ (不低于、不少于、以上、至少)
    AtLeast,
    /// > (超过、高于)
    Above,
    /// ≤ (不超过、以下)
    AtMost,
    /// < (低于)
    Below,
}

impl Comparator {
    /// Whether `value` meets `threshold`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        let tolerance = 1e-9 * value.abs().max(threshold.abs()).max(1.0);
        match self {
            Comparator::AtLeast => value >= threshold - tolerance,
            Comparator::Above => value > threshold + tolerance,
            Comparator::AtMost => value <= threshold + tolerance,
            Comparator::Below => value < threshold - tolerance,
        }
    }

    /// As a symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::Above => ">",
            Comparator::AtMost => "≤",
            Comparator::Below => "<",
        }
    }
}

/// A test beside a rule.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RuleTest {
    /// The expected outcome.
    pub expect: super::outcome::Outcome,
    /// The fixture file, resolved against the pack file's directory.
    pub file: String,
    /// Paths the outcome must name as missing.
    pub missing: Vec<String>,
    /// The test's span in the pack file.
    pub span: Range<usize>,
}

/// A message with `{expressions}` filled in at evaluation.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Template {
    /// 中文.
    pub zh: Vec<Part>,
    /// English; Chinese is used when absent.
    pub en: Option<Vec<Part>>,
}

impl Template {
    /// The parts for `lang`.
    pub fn parts(&self, lang: Lang) -> &[Part] {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.zh,
        }
    }

    /// Whether the text is fixed, with no values filled in.
    pub fn is_literal(&self) -> bool {
        let literal = |parts: &[Part]| parts.iter().all(|part| matches!(part, Part::Literal(_)));
        literal(&self.zh) && self.en.as_deref().is_none_or(literal)
    }
}

/// Literal text or an expression to show.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Part {
    /// Shown as is.
    Literal(String),
    /// Evaluated and formatted.
    Expr(Expr),
}

/// A checked expression.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Expr {
    /// A constant.
    Const(Const),
    /// The project file's root.
    Root,
    /// A `let` or lambda variable.
    Var(usize),
    /// The effective value of a parameter.
    Param(usize),
    /// A field of a record.
    Field {
        /// The record.
        base: Box<Expr>,
        /// The field's position in the record type.
        index: usize,
        /// The record type.
        #[serde(with = "super::encoding::record")]
        record: Arc<RecordTy>,
    },
    /// `not`
    Not(Box<Expr>),
    /// `-`
    Neg(Box<Expr>),
    /// `and`
    And(Box<Expr>, Box<Expr>),
    /// `or`
    Or(Box<Expr>, Box<Expr>),
    /// A comparison.
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    /// Arithmetic on numbers (and dates).
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `x in list` (`negated` for `not in`).
    In {
        /// The value.
        value: Box<Expr>,
        /// The list.
        list: Box<Expr>,
        /// `not in`.
        negated: bool,
    },
    /// `[a, b]`
    List(Vec<Expr>),
    /// `present(path)`: whether the file states it; never unknown.
    Present(Box<Expr>),
    /// `any`, `all`, `count`, `count_distinct`, `sum`, `min`, `max`, `filter` over a list.
    Aggregate {
        /// Which.
        op: AggregateOp,
        /// The list.
        list: Box<Expr>,
        /// The lambda's variable slot.
        slot: usize,
        /// The lambda's body (absent for `count(list)` and `count_distinct(list)`).
        body: Option<Box<Expr>>,
        /// What the result measures (for `sum`, `min`, `max`).
        dim: Dim,
    },
    /// A built-in function of values.
    Call(Function, Vec<Expr>),
}

impl Expr {
    /// Calls `visit` on every parameter the expression reads.
    pub fn visit_params(&self, visit: &mut impl FnMut(usize)) {
        self.visit(&mut |expr| {
            if let Expr::Param(index) = expr {
                visit(*index);
            }
        });
    }

    /// Calls `visit` on this expression and every expression inside it, outer first. (Depth is
    /// bounded by the nesting limit that parsing enforces.)
    pub fn visit(&self, visit: &mut impl FnMut(&Expr)) {
        visit(self);
        match self {
            Expr::Const(_) | Expr::Root | Expr::Var(_) | Expr::Param(_) => {}
            Expr::Field { base, .. } => base.visit(visit),
            Expr::Not(inner) | Expr::Neg(inner) | Expr::Present(inner) => inner.visit(visit),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Compare(_, a, b) | Expr::Arith(_, a, b) => {
                a.visit(visit);
                b.visit(visit);
            }
            Expr::In { value, list, .. } => {
                value.visit(visit);
                list.visit(visit);
            }
            Expr::List(items) | Expr::Call(_, items) => {
                items.iter().for_each(|item| item.visit(visit))
            }
            Expr::Aggregate { list, body, .. } => {
                list.visit(visit);
                if let Some(body) = body {
                    body.visit(visit);
                }
            }
        }
    }

    /// The field names from the file's root, when this is a path such as `project.kind`.
    pub fn root_path(&self) -> Option<Vec<&str>> {
        let mut names = Vec::new();
        let mut expr = self;
        loop {
            match expr {
                Expr::Root => break,
                Expr::Field {
                    base,
                    index,
                    record,
                } => {
                    names.push(record.fields.get(*index)?.name.as_str());
                    expr = base;
                }
                _ => return None,
            }
        }
        names.reverse();
        Some(names)
    }

    /// Whether the expression reads the path `names` from the file's root.
    pub fn reads(&self, names: &[&str]) -> bool {
        let mut found = false;
        self.visit(&mut |expr| {
            found = found || expr.root_path().is_some_and(|path| path == names);
        });
        found
    }
}

impl Criterion {
    /// Whether any part of the criterion reads the path `names` from the file's root.
    pub fn reads(&self, names: &[&str]) -> bool {
        self.lets
            .iter()
            .map(|(_, expr)| expr)
            .chain(&self.applies)
            .chain(&self.unless)
            .chain(self.require.iter())
            .any(|expr| expr.reads(names))
    }

    /// The parameters the rule reads, in order of first use.
    pub fn params(&self) -> Vec<usize> {
        let mut found = Vec::new();
        let mut visit = |index: usize| {
            if !found.contains(&index) {
                found.push(index);
            }
        };
        for (_, expr) in &self.lets {
            expr.visit_params(&mut visit);
        }
        for expr in self
            .applies
            .iter()
            .chain(&self.unless)
            .chain(self.require.iter())
        {
            expr.visit_params(&mut visit);
        }
        found
    }
}

/// Constant values.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Const {
    /// `true` / `false`
    Bool(bool),
    /// A number in base units, with the unit it was written in.
    Num(
        f64,
        Dim,
        #[serde(with = "super::encoding::unit")] Option<&'static Unit>,
    ),
    /// Text.
    Text(String),
    /// A date.
    Date(Date),
    /// An enum variant.
    Enum(
        #[serde(with = "super::encoding::enumeration")] Arc<EnumTy>,
        usize,
    ),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `<`
    Lt,
}

/// Arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// List operations with a lambda.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AggregateOp {
    /// Some element satisfies the lambda.
    Any,
    /// Every element satisfies the lambda.
    All,
    /// How many elements (satisfy the lambda).
    Count,
    /// How many different values the elements (or the lambda's values) take; with `lists`, each
    /// value is a list, and each of its elements counts.
    CountDistinct {
        /// Whether the values counted are lists (`count_distinct(play, f => f.age_groups)`).
        lists: bool,
    },
    /// Sum of the lambda over the elements.
    Sum,
    /// Least value of the lambda.
    Min,
    /// Greatest value of the lambda.
    Max,
    /// The elements that satisfy the lambda.
    Filter,
}

/// Built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Function {
    /// Round up to a whole number (in the value's unit).
    Ceil,
    /// Round down.
    Floor,
    /// Round to nearest.
    Round,
    /// Whether the first text contains the second.
    Contains,
    /// The year of a date.
    Year,
    /// The lesser of two numbers.
    Min2,
    /// The greater of two numbers.
    Max2,
    /// The age bands (0-3, 3-6, 6-12, 12-18) that free-text age ranges cover, as a list of
    /// text; see [`crate::engine::eval::age_span`].
    AgeBands,
}
