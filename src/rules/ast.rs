//! The syntax tree of a rule file, as written. Every node carries its byte span in the file.
//!
//! Nothing here is checked yet: names may be unknown and units may not fit. [`super::check`]
//! turns a tree into checked packs or located errors.

use std::ops::Range;
use std::sync::Arc;

use crate::base::diagnostic::SourceFile;

/// A byte range in the rule file.
pub type Span = Range<usize>;

/// A value with the span it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value with its span.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A name as written: a pack, source, parameter, domain, variable, field.
pub type Name = Spanned<String>;

/// A whole rule file.
#[derive(Debug)]
pub struct RuleFile {
    /// The file, for locating errors.
    pub file: Arc<SourceFile>,
    /// Its items in file order.
    pub items: Vec<Item>,
    /// Its comments in file order, which the formatter keeps beside the items they annotate.
    pub comments: Vec<Comment>,
}

/// A `#` comment, to the end of its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// From the `#` to the end of the line (without the line break).
    pub span: Span,
    /// Whether only whitespace precedes it on its line (otherwise it follows code).
    pub own_line: bool,
}

/// One top-level item.
#[derive(Debug)]
pub enum Item {
    /// `pack … { … }`
    Pack(PackDecl),
    /// `param … { … }`
    Param(ParamDecl),
    /// `refine … { … }`
    Refine(ParamDecl),
    /// `indicator …`
    Indicator(IndicatorDecl),
    /// `target … { … }`
    Target(TargetDecl),
    /// `rule … { … }`
    Rule(RuleDecl),
    /// `not_checkable §…`
    NotCheckable(NotCheckableDecl),
}

/// The pack header.
#[derive(Debug)]
pub struct PackDecl {
    /// The pack's id.
    pub id: Name,
    /// The registered source it encodes.
    pub source: Option<Name>,
    /// Where it applies: `CN/SH`.
    pub jurisdiction: Option<Spanned<String>>,
    /// The pack's version, as its authors number it.
    pub version: Option<Spanned<String>>,
    /// The whole header.
    pub span: Span,
}

/// Text in Chinese with an optional English rendering.
#[derive(Clone, Debug)]
pub struct TextDecl {
    /// 中文.
    pub zh: Spanned<String>,
    /// English.
    pub en: Option<Spanned<String>>,
}

/// `cite source §clause "quote"`
#[derive(Clone, Debug)]
pub struct CiteDecl {
    /// The source id.
    pub source: Name,
    /// The clause id, without `§`.
    pub clause: Spanned<String>,
    /// The verbatim quote.
    pub quote: Spanned<String>,
    /// The whole citation.
    pub span: Span,
}

/// A number with an optional unit: `3000 m2`.
#[derive(Clone, Debug)]
pub struct QuantityDecl {
    /// The number.
    pub value: f64,
    /// The unit as written.
    pub unit: Option<Spanned<String>>,
    /// The whole quantity.
    pub span: Span,
}

/// `param` or `refine`.
#[derive(Debug)]
pub struct ParamDecl {
    /// The parameter's name.
    pub name: Name,
    /// `at_least` (a floor) or `at_most` (a ceiling).
    pub bound: Option<Spanned<String>>,
    /// The value.
    pub value: Option<QuantityDecl>,
    /// What a person calls it, in both languages (`label "托位配置标准" en "…"`); only a
    /// `param` has one.
    pub label: Option<TextDecl>,
    /// Where the value comes from.
    pub cite: Option<CiteDecl>,
    /// How the value was arrived at, when the clause states no number.
    pub basis: Option<TextDecl>,
    /// `test …` of a refinement: fixtures the rule reading the parameter is evaluated on, with the
    /// refinement in effect (always empty for a `param`).
    pub tests: Vec<TestDecl>,
    /// The whole item.
    pub span: Span,
}

/// `indicator id "label" unit u`
#[derive(Debug)]
pub struct IndicatorDecl {
    /// The indicator's id.
    pub name: Name,
    /// What it measures.
    pub label: TextDecl,
    /// Its unit; `None` for `unit none`.
    pub unit: Option<Spanned<String>>,
    /// The whole item.
    pub span: Span,
}

/// `target id "title" { … }`
#[derive(Debug)]
pub struct TargetDecl {
    /// The target's id (shares the rule id space).
    pub id: Name,
    /// Its title.
    pub title: TextDecl,
    /// The indicator it sets.
    pub indicator: Option<Name>,
    /// `at_least` / `above` / `at_most` / `below` and the value.
    pub threshold: Option<(Spanned<String>, QuantityDecl)>,
    /// The year by which it must be reached.
    pub year: Option<Spanned<u32>>,
    /// `year every N`: a quantity per year, to be met in every year the plan states, from the
    /// source's issue up to `N`.
    pub every_year: bool,
    /// Which plans must state it (absent: only plans that state it are judged).
    pub applies: Option<Expr>,
    /// `unless …`: plans the target does not judge even when they state the indicator.
    pub unless: Vec<Expr>,
    /// Fields shared with rules.
    pub common: CommonFields,
    /// The whole item.
    pub span: Span,
}

/// Fields that rules and targets share.
#[derive(Debug, Default)]
pub struct CommonFields {
    /// `domain …`
    pub domain: Option<Name>,
    /// `strength …`
    pub strength: Option<Name>,
    /// `strength … because "…"`: why the strength differs from what the quote's wording suggests.
    pub strength_reason: Option<TextDecl>,
    /// `addressee …`: whom the cited clause binds.
    pub addressee: Option<Name>,
    /// `cite …`
    pub cite: Option<CiteDecl>,
    /// `hint …`
    pub hint: Option<TextDecl>,
    /// `advice …`: what to change in the project, where the hint says what to change in the file.
    pub advice: Option<TextDecl>,
    /// `doc …`
    pub doc: Option<TextDecl>,
    /// `test …`
    pub tests: Vec<TestDecl>,
    /// Fields given twice, with the span of the second.
    pub duplicates: Vec<Spanned<&'static str>>,
}

/// `rule id "title" { … }`
#[derive(Debug)]
pub struct RuleDecl {
    /// The rule's id.
    pub id: Name,
    /// Its title.
    pub title: TextDecl,
    /// `applies …`
    pub applies: Option<Expr>,
    /// `unless …` (any one makes the rule not applicable).
    pub unless: Vec<Expr>,
    /// `let name = …`, in order.
    pub lets: Vec<(Name, Expr)>,
    /// `require …` (all must hold).
    pub require: Vec<Expr>,
    /// `at …`: where a failure points.
    pub at: Option<Expr>,
    /// `message …`
    pub message: Option<TextDecl>,
    /// Fields shared with targets.
    pub common: CommonFields,
    /// The whole item.
    pub span: Span,
}

/// `test outcome "file" missing [paths]`, in a refinement optionally `test RULE outcome "file" …`
#[derive(Clone, Debug)]
pub struct TestDecl {
    /// The rule a refinement's test evaluates, when it names one.
    pub rule: Option<Name>,
    /// The expected outcome as written.
    pub outcome: Name,
    /// The fixture path, relative to the rule file.
    pub file: Spanned<String>,
    /// Fields the outcome must name as missing.
    pub missing: Vec<Spanned<String>>,
    /// The whole test.
    pub span: Span,
}

/// `not_checkable §a, §b "reason"`, or `not_checkable §a sentence "…" "reason"`
#[derive(Debug)]
pub struct NotCheckableDecl {
    /// The clauses.
    pub clauses: Vec<Spanned<String>>,
    /// Words of each sentence meant, when not the whole clauses are.
    pub sentences: Vec<Spanned<String>>,
    /// Why they cannot be checked from a submission.
    pub reason: TextDecl,
    /// The whole item.
    pub span: Span,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `3000 m2`, `5`, `60 %`
    Number(f64, Option<Spanned<String>>),
    /// `"text"`
    Text(String),
    /// `2026-03-01`, as written.
    Date(String),
    /// `true` / `false`
    Bool(bool),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `site.area_m2`, `f.kind`, `park`; segments with their spans.
    Path(Vec<Name>),
    /// `not x`, `-x`
    Unary(UnaryOp, Box<Expr>),
    /// `a and b`, `a >= b`, …
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `count(list, x => …)`
    Call(Name, Vec<Argument>),
}

/// An argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Argument {
    /// A plain expression.
    Expr(Expr),
    /// `x => body`
    Lambda(Name, Expr),
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `and`
    And,
    /// `or`
    Or,
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
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Ge => ">=",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Lt => "<",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}
