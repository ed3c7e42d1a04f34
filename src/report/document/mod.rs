//! The assessment report a person attaches to a submission: project summary, screening verdict,
//! outcomes per domain with a chart, every finding with its quoted clause and hint, missing
//! evidence, waivers applied, the rule packs and versions used, and the date. Several files give
//! one report with a summary table and a section per project.
//!
//! The report is built as small [`Block`]s (headings, paragraphs, facts, tables, lists, notes
//! with quotes), a project at a time, which each back-end renders: [`markdown`], [`html`] (one
//! self-contained page that prints on A4) and [`docx`]. What the report says is decided here, so
//! the back-ends cannot drift apart; they decide only how it looks. [`Streamed`] writes it a
//! project at a time, so memory stays flat in the number of files.
//!
//! Architecture invariant: every text in a [`Block`] is escaped by the back-end that writes it,
//! so nothing from a submission is read as markup; the title is one of yimi's own phrases. Only
//! yimi's own words ([`Inline::Text`]) are cut into code spans: what a submission states is
//! [`Inline::Plain`] (or a link's text), shown as the characters it is.

#[cfg(feature = "docx")]
mod docx;
mod html;
mod markdown;

use super::spill::Spill;
use super::{FileView, FindingView, Style, Totals};
use crate::base::diagnostic::Medium;
use crate::base::i18n::Lang;
use crate::engine::{Level, Outcome};
use crate::rules::ir::{Domain, RuleSet};

/// A part of a document, read top to bottom.
#[derive(Debug)]
pub enum Block {
    /// A heading of level 2 to 4 (the title is level 1).
    Heading {
        /// 2, 3 or 4.
        level: u8,
        /// Its text.
        text: String,
    },
    /// A paragraph, in small print when `note` is set.
    Paragraph {
        /// Small print (the date line).
        note: bool,
        /// Its text.
        content: Vec<Inline>,
    },
    /// Labelled facts, one a line.
    Facts(Vec<(&'static str, String)>),
    /// The screening verdict, emphasised.
    Verdict {
        /// "Screening verdict".
        label: &'static str,
        /// A stable key for styling and for machines (`fail`, `pass`, …, `invalid`).
        key: &'static str,
        /// The verdict in words.
        text: String,
    },
    /// A table with a header row.
    Table(Table),
    /// A bulleted list.
    List {
        /// A class for styling.
        class: Option<&'static str>,
        /// Its items.
        items: Vec<Vec<Inline>>,
    },
    /// Outcome counts per row, drawn as stacked bars where the back-end can draw.
    Chart(Vec<(String, [usize; TALLIES.len()])>),
    /// Findings, each with its details.
    Notes(Vec<Note>),
    /// Fields left blank for a person to fill in by hand (the reviewer's name, opinion, date).
    Blanks(Vec<&'static str>),
    /// A part of the document about one project, which can be linked to.
    Section {
        /// Its anchor.
        id: String,
        /// What it holds.
        blocks: Vec<Block>,
    },
}

/// Text inside a block.
#[derive(Debug)]
pub enum Inline {
    /// yimi's own words, which quote keys and values in backticks: each `code` span is set as
    /// code.
    Text(String),
    /// Text that is or holds what a submission states (a value, a facility's id): shown as the
    /// characters it is, backticks included, so that a submitter's text never becomes markup.
    Plain(String),
    /// A path or key, in code type.
    Code(String),
    /// A link to a section of the same document; its text is shown as [`Inline::Plain`] is (a
    /// file name, a stated value).
    Link {
        /// The section's id.
        section: String,
        /// The link text.
        text: String,
    },
    /// Code that links elsewhere: a rule id to its finding in the same document (`#…`) or to
    /// the rule's page of serve's rule browser (`/rules/rule/…`). Where a back-end cannot link
    /// (Markdown has no anchors, Word's cells are not linked) it is code.
    CodeLink {
        /// Where it links: `#section` or a path of the server.
        href: String,
        /// The code shown.
        code: String,
    },
    /// A line break inside a cell or item.
    Break,
    /// A coloured tag (class names the colour).
    Tag {
        /// Its style classes.
        class: String,
        /// Its text.
        text: String,
    },
}

/// A table: a header row and rows of cells.
#[derive(Debug)]
pub struct Table {
    /// A class for styling.
    pub class: &'static str,
    /// The header row.
    pub head: Vec<Cell>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell.
#[derive(Debug)]
pub struct Cell {
    /// A class for styling (`count` cells are numbers).
    pub class: Option<&'static str>,
    /// What it holds.
    pub content: Vec<Inline>,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell {
            class: None,
            content: vec![Inline::Text(text.into())],
        }
    }

    fn count(count: usize) -> Cell {
        Cell {
            class: Some("count"),
            content: vec![Inline::Text(count.to_string())],
        }
    }
}

/// One finding: a tagged line and its details.
#[derive(Debug)]
pub struct Note {
    /// `error`, `warning`, `advice` or `waived`.
    pub class: &'static str,
    /// The level (or outcome) in words.
    pub tag: String,
    /// The rule id or diagnostic code.
    pub code: String,
    /// Its anchor, so that the record can link the rule id to it (the first finding of a rule
    /// in a project's section).
    pub anchor: Option<String>,
    /// What was found.
    pub text: String,
    /// Where, as `file:line`.
    pub place: Option<String>,
    /// The rule, its clause, the hint, the waiver.
    pub details: Vec<Detail>,
}

/// A detail of a [`Note`].
#[derive(Debug)]
pub enum Detail {
    /// `label:text`, in small print when `note` is set.
    Line {
        /// What it is.
        label: &'static str,
        /// Its text.
        text: String,
        /// Small print.
        note: bool,
    },
    /// A quoted clause and where it is from.
    Quote {
        /// What it is ("Clause").
        label: &'static str,
        /// The verbatim quote.
        quote: String,
        /// Source and clause, as `source §clause`.
        source: String,
    },
}

/// What the per-domain chart and table count a result as: its outcome, except that a pass that
/// held only because there was nothing to check (`engine::vacuity`) is counted apart from the
/// passes on a checked fact, as the summary counts it (`Counts::vacuous`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tally {
    /// A result counted as its outcome.
    Outcome(Outcome),
    /// A pass with nothing to check.
    NothingToCheck,
}

/// The columns of the per-domain chart and table, in order.
pub(super) const TALLIES: [Tally; 6] = [
    Tally::Outcome(Outcome::Fail),
    Tally::Outcome(Outcome::InsufficientEvidence),
    Tally::Outcome(Outcome::Waived),
    Tally::Outcome(Outcome::Pass),
    Tally::NothingToCheck,
    Tally::Outcome(Outcome::NotApplicable),
];

impl Tally {
    /// What a result is counted as.
    fn of(result: &crate::engine::RuleResult) -> Tally {
        match result.outcome {
            Outcome::Pass if result.vacuous.is_some() => Tally::NothingToCheck,
            outcome => Tally::Outcome(outcome),
        }
    }

    /// The column's heading and the legend's word.
    pub(super) fn label(self) -> crate::base::i18n::Text {
        match self {
            Tally::Outcome(outcome) => outcome.label(),
            Tally::NothingToCheck => crate::tr!("无可检查", "nothing to check"),
        }
    }

    /// The name styles and tests know it by (`bar-…`).
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Tally::Outcome(outcome) => outcome.as_str(),
            Tally::NothingToCheck => "nothing_to_check",
        }
    }
}

/// Renders the report as Markdown.
pub fn markdown(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> String {
    let mut bytes = Vec::new();
    match whole(Back::Markdown, views, set, style, &mut bytes) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(error) => format!("{error}\n"),
    }
}

/// Renders the report as one self-contained HTML page.
pub fn html(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> String {
    let mut bytes = Vec::new();
    match whole(Back::Html, views, set, style, &mut bytes) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(error) => format!("{error}\n"),
    }
}

/// Renders the report as a Word document (the review opinion, 审查意见书).
pub fn docx(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    whole(Back::Docx, views, set, style, &mut bytes)?;
    Ok(bytes)
}

fn whole(
    back: Back,
    views: &[FileView<'_>],
    set: &RuleSet,
    style: &Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut streamed = Streamed::new(back, set, style, views.len())?;
    for view in views {
        streamed.file(view)?;
    }
    streamed.finish(out)
}

/// The back-end a report is written by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Back {
    /// GitHub-flavoured Markdown.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// A Word document.
    Docx,
}

/// The report written a project at a time. Its summary (a row per file and the totals) comes
/// before the projects, so each project's section and summary row are rendered as they come and
/// spilled to temporary files, then put together at the end: memory stays flat in the number of
/// files, and the text is what [`build`] and one rendering of the whole document give.
pub struct Streamed<'a> {
    back: Back,
    set: &'a RuleSet,
    style: &'a Style,
    totals: Totals,
    written: usize,
    sections: Spill,
    rows: Spill,
    #[cfg(feature = "docx")]
    docx: Option<docx::Streamed>,
}

impl<'a> Streamed<'a> {
    /// A report of `files` files (a Word document needs the number first: its paragraph ids
    /// run on from the summary).
    pub fn new(
        back: Back,
        set: &'a RuleSet,
        style: &'a Style,
        files: usize,
    ) -> std::io::Result<Self> {
        #[cfg(feature = "docx")]
        let docx = match back {
            Back::Docx => Some(docx::Streamed::new(
                style.lang,
                files,
                &summary_head(&Words { lang: style.lang }),
            )?),
            _ => None,
        };
        #[cfg(not(feature = "docx"))]
        if back == Back::Docx {
            let _ = files;
            return Err(std::io::Error::other(
                "this build of yimi writes no Word documents: it was built without the `docx` feature",
            ));
        }
        Ok(Streamed {
            back,
            set,
            style,
            totals: Totals::default(),
            written: 0,
            sections: Spill::new()?,
            rows: Spill::new()?,
            #[cfg(feature = "docx")]
            docx,
        })
    }

    /// Takes in notes about the submission as a whole (`io::skipped-name`: the files of a
    /// folder left out for their names), said under a heading before the first project; called
    /// before the first file.
    pub fn notes(&mut self, notes: &[crate::base::diagnostic::Diagnostic]) -> std::io::Result<()> {
        if notes.is_empty() {
            return Ok(());
        }
        let lang = self.style.lang;
        let words = Words { lang };
        let items = notes
            .iter()
            .map(|note| {
                let mut item = vec![
                    Inline::Plain(note.file.name.clone()),
                    Inline::Text(format!("{}{}", colon(lang), note.message.get(lang))),
                ];
                if let Some(help) = note.help.as_ref() {
                    item.push(Inline::Break);
                    item.push(Inline::Text(help.get(lang).to_owned()));
                }
                item.push(Inline::Text(" ".to_owned()));
                item.push(Inline::Code(note.code.to_owned()));
                item
            })
            .collect();
        let section = Block::Section {
            id: "not-checked".to_owned(),
            blocks: vec![
                heading(2, words.pick("未检查的文件", "Files not checked")),
                Block::List {
                    class: Some("skipped"),
                    items,
                },
            ],
        };
        #[cfg(feature = "docx")]
        if let Some(docx) = &mut self.docx {
            return docx.block(&section);
        }
        let mut text = String::new();
        match self.back {
            Back::Html => html::block(&mut text, &section, lang),
            _ => markdown::block(&mut text, &section, lang),
        }
        self.sections.text(text.as_bytes())
    }

    /// Takes in one file.
    pub fn file(&mut self, view: &FileView<'_>) -> std::io::Result<()> {
        let lang = self.style.lang;
        let words = Words { lang };
        self.totals.add(view, self.style);
        let row = summary_row(self.written, view, &words);
        let section = Block::Section {
            id: format!("project-{}", self.written),
            blocks: project_blocks(self.written, view, self.set, &words),
        };
        self.written += 1;
        let mut text = String::new();
        #[cfg(feature = "docx")]
        if let Some(docx) = &mut self.docx {
            return docx.file(&row, &section);
        }
        match self.back {
            Back::Html => {
                html::row(&mut text, &row);
                self.rows.text(text.as_bytes())?;
                text.clear();
                html::block(&mut text, &section, lang);
            }
            _ => {
                markdown::row(&mut text, &row);
                self.rows.text(text.as_bytes())?;
                text.clear();
                markdown::block(&mut text, &section, lang);
            }
        }
        self.sections.text(text.as_bytes())
    }

    /// Writes the whole report.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let lang = self.style.lang;
        let words = Words { lang };
        let date = self.style.date.map(|date| date.to_string());
        let head = [Block::Paragraph {
            note: true,
            content: vec![Inline::Text(format!(
                "{} yimi {} · {} {}",
                words.pick("生成工具", "Made by"),
                env!("CARGO_PKG_VERSION"),
                // The day the report was made; the date each project is judged at (which
                // decides the sources in force) is among its facts, with where it came from.
                words.pick("生成日期", "made on"),
                date.as_deref().unwrap_or_default()
            ))],
        }];
        let title = words.pick(
            "儿童影响评价审查报告",
            "Children's impact assessment screening report",
        );
        let summary_heading = heading(2, words.pick("汇总", "Summary"));
        let summary_table = Table {
            class: "summary",
            head: summary_head(&words),
            rows: Vec::new(),
        };
        let summary_line: Vec<String> = totals_rows(&self.totals, lang)
            .into_iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        let summary_line = paragraph(summary_line.join(" · "));
        let several = self.written > 1;
        #[cfg(feature = "docx")]
        if let Some(docx) = self.docx {
            let summary = several.then_some((&summary_heading, &summary_table, &summary_line));
            return docx.finish(title, date.as_deref(), &head, summary, out);
        }
        let mut text = String::new();
        let html = self.back == Back::Html;
        if html {
            text.push_str(&html::page_start(lang, title));
        } else {
            text.push_str(&markdown::title(title));
        }
        let block = |text: &mut String, block: &Block| {
            if html {
                html::block(text, block, lang);
            } else {
                markdown::block(text, block, lang);
            }
        };
        for head in &head {
            block(&mut text, head);
        }
        if several {
            block(&mut text, &summary_heading);
            if html {
                html::table_start(&mut text, &summary_table);
            } else {
                markdown::table_start(&mut text, &summary_table);
            }
            out.write_all(text.as_bytes())?;
            self.rows.copy_text_into(out)?;
            text.clear();
            if html {
                html::table_end(&mut text);
            } else {
                markdown::table_end(&mut text);
            }
            block(&mut text, &summary_line);
        }
        out.write_all(text.as_bytes())?;
        self.sections.copy_text_into(out)?;
        if html {
            out.write_all(html::page_end().as_bytes())?;
        }
        Ok(())
    }
}

struct Words {
    lang: Lang,
}

/// What separates a label from its text: `规则:…` in Chinese, `Rule: …` in English.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => ":",
        Lang::En => ": ",
    }
}

impl Words {
    fn pick(&self, zh: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::Zh { zh } else { en }
    }
}

fn heading(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph {
        note: false,
        content: vec![Inline::Text(text.into())],
    }
}

/// The head row of the summary table.
fn summary_head(words: &Words) -> Vec<Cell> {
    let head = |text: &'static str, class: Option<&'static str>| Cell {
        class,
        content: vec![Inline::Text(text.to_owned())],
    };
    vec![
        head(words.pick("文件", "File"), None),
        head(words.pick("项目", "Project"), None),
        head(words.pick("结论", "Verdict"), None),
        head(words.pick("错误", "Errors"), Some("count")),
        head(words.pick("警告", "Warnings"), Some("count")),
        head(words.pick("建议", "Advice"), Some("count")),
    ]
}

/// A file's row of the summary table; `index` is its place in the report.
fn summary_row(index: usize, view: &FileView<'_>, words: &Words) -> Vec<Cell> {
    let verdict = view.verdict().map_or_else(
        || words.pick("输入无效", "invalid input").to_owned(),
        |verdict| verdict.label().get(words.lang).to_owned(),
    );
    let key = view.verdict().map_or("invalid", |verdict| verdict.as_str());
    vec![
        Cell {
            class: Some("file"),
            content: vec![Inline::Link {
                section: format!("project-{index}"),
                text: view.path.to_owned(),
            }],
        },
        Cell::text(project_title(view)),
        Cell {
            class: Some("verdict-cell"),
            content: std::iter::once(Inline::Tag {
                class: format!("tag verdict-{key}"),
                text: verdict,
            })
            .chain(
                view.verdict()
                    .and_then(|_| view.basis().note())
                    .map(|note| Inline::Text(format!(" {}", note.get(words.lang)))),
            )
            .chain(advisory_tag(view, words).map(|tag| Inline::Text(format!(" {tag}"))))
            .collect(),
        },
        Cell::count(view.counts.error),
        Cell::count(view.counts.warning),
        Cell::count(view.counts.advice),
    ]
}

/// In the summary table, beside a verdict that rests in whole or in part on packs that only
/// advise (a draft, a plan past its period): the project's own section says which.
fn advisory_tag(view: &FileView<'_>, words: &Words) -> Option<&'static str> {
    use crate::engine::force::Effect;
    let standings = &view.assessment?.standings;
    if !standings
        .iter()
        .any(|standing| standing.effect == Effect::Advisory)
    {
        return None;
    }
    Some(
        if standings
            .iter()
            .any(|standing| standing.effect == Effect::Binding)
        {
            words.pick("(部分规则包仅供参考)", "(some packs advisory only)")
        } else {
            words.pick("(规则包仅供参考)", "(packs advisory only)")
        },
    )
}

fn project_blocks(index: usize, view: &FileView<'_>, set: &RuleSet, words: &Words) -> Vec<Block> {
    let lang = words.lang;
    let mut blocks = vec![
        heading(2, project_title(view)),
        Block::Facts(facts(view, lang)),
    ];
    let (key, verdict) = match (view.verdict(), view.verdict_line(lang)) {
        (Some(verdict), Some(line)) => (verdict.as_str(), line),
        _ => (
            "invalid",
            words
                .pick("输入无效,未检查", "invalid input, not checked")
                .to_owned(),
        ),
    };
    blocks.push(Block::Verdict {
        label: words.pick("审查结论", "Screening verdict"),
        key,
        text: verdict,
    });
    if !view.invalid() {
        blocks.push(paragraph(conclusion_counts(view, lang)));
    }
    if view.invalid() {
        let items = view
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let (line, column) = diagnostic.line_col();
                // The place apart from the message: a file name with backticks would otherwise
                // pair with the message's quotes.
                vec![
                    Inline::Code(format!("{}:{line}:{column}", diagnostic.file.name)),
                    Inline::Text(format!(" {}", diagnostic.message.get(lang))),
                ]
            })
            .collect();
        blocks.push(Block::List { class: None, items });
        return blocks;
    }
    let rows: Vec<(String, [usize; TALLIES.len()])> = per_domain(view, set)
        .into_iter()
        .map(|(domain, counts)| (domain.label().get(lang).to_owned(), counts))
        .collect();
    blocks.push(heading(3, words.pick("各领域结果", "Outcomes by domain")));
    blocks.push(Block::Chart(rows.clone()));
    let mut head = vec![Cell::text(words.pick("领域", "Domain"))];
    head.extend(
        TALLIES
            .iter()
            .map(|tally| Cell::text(tally.label().get(lang))),
    );
    blocks.push(Block::Table(Table {
        class: "domains",
        head,
        rows: rows
            .into_iter()
            .map(|(domain, counts)| {
                let mut row = vec![Cell::text(domain)];
                row.extend(counts.iter().map(|count| Cell::text(count.to_string())));
                row
            })
            .collect(),
    }));
    blocks.push(heading(3, words.pick("发现的问题", "Findings")));
    if view.findings.is_empty() {
        blocks.push(paragraph(words.pick("没有发现问题。", "None.")));
    }
    let mut noted: Vec<String> = Vec::new();
    for (domain, findings) in grouped(view) {
        let title = domain.map_or_else(
            || words.pick("其他", "Other").to_owned(),
            |domain| domain.label().get(lang).to_owned(),
        );
        blocks.push(heading(4, title));
        let notes = findings
            .into_iter()
            .map(|finding| {
                let mut note = note(view, finding, words);
                // The first finding of a rule is where the record's row for it links.
                if finding.rule.is_some() && !noted.contains(&note.code) {
                    noted.push(note.code.clone());
                    note.anchor = Some(finding_anchor(index, &note.code));
                }
                note
            })
            .collect();
        blocks.push(Block::Notes(notes));
    }
    let links = RuleLinks::Findings {
        project: index,
        noted,
    };
    // The rows recompute every rule's comparisons: made once, for the record and the appendix.
    let rows = super::record::rows(view);
    record_blocks(view, &rows, words, None, &links, &mut blocks);
    blocks.push(heading(
        3,
        words.pick("儿童参与情况", "Children's participation"),
    ));
    blocks.push(participation(view, words));
    blocks.push(heading(3, words.pick("需补充的材料", "Missing evidence")));
    blocks.push(list_or_none(Some("missing"), missing(view, lang), words));
    blocks.push(heading(3, words.pick("已适用的豁免", "Waivers applied")));
    blocks.push(list_or_none(Some("waivers"), waivers(view, words), words));
    blocks.push(heading(3, words.pick("使用的规则包", "Rule packs used")));
    blocks.push(Block::List {
        class: Some("packs"),
        items: view
            .assessment
            .map(|assessment| super::pack_standings(assessment, set, lang))
            .unwrap_or_default()
            .into_iter()
            .map(|pack| vec![Inline::Text(pack)])
            .collect(),
    });
    blocks.push(heading(3, words.pick("审查意见", "Reviewer's opinion")));
    blocks.push(Block::Blanks(vec![
        words.pick("审查人", "Reviewer"),
        words.pick("审查意见", "Opinion"),
        words.pick("日期", "Date"),
    ]));
    not_applicable_appendix(view, &rows, words, &mut blocks);
    blocks
}

/// The verdict's counts: how many clauses complied, failed, lacked evidence, were waived.
fn conclusion_counts(view: &FileView<'_>, lang: Lang) -> String {
    let counts = view.counts;
    let applicable =
        counts.pass + counts.vacuous + counts.fail + counts.insufficient_evidence + counts.waived;
    // Said only when there are any: most files have none.
    let vacuous = match (counts.vacuous, lang) {
        (0, _) => String::new(),
        (count, Lang::Zh) => format!(",无可检查的对象 {count}"),
        (count, Lang::En) => format!(", {count} with nothing to check"),
    };
    match lang {
        Lang::Zh => format!(
            "适用条款 {applicable} 条:符合 {}{vacuous},不符合 {},证据不足 {},已豁免 {};错误 {},警告 {},建议 {}。",
            counts.pass,
            counts.fail,
            counts.insufficient_evidence,
            counts.waived,
            counts.error,
            counts.warning,
            counts.advice
        ),
        Lang::En => {
            // "1 clause applies: 1 complies, 1 does not", "1 error, 2 warnings".
            let agreeing = |count: usize, one: &str, many: &str| {
                format!("{count} {}", if count == 1 { one } else { many })
            };
            format!(
                "{}: {}{vacuous}, {}, {}, {} waived; {}, {}, {} advice.",
                agreeing(applicable, "clause applies", "clauses apply"),
                agreeing(counts.pass, "complies", "comply"),
                agreeing(counts.fail, "does not", "do not"),
                agreeing(
                    counts.insufficient_evidence,
                    "lacks evidence",
                    "lack evidence"
                ),
                counts.waived,
                agreeing(counts.error, "error", "errors"),
                agreeing(counts.warning, "warning", "warnings"),
                counts.advice
            )
        }
    }
}

/// Children's participation as the file records it: one row per activity, the model's fields
/// as columns, enum values by their labels.
fn participation(view: &FileView<'_>, words: &Words) -> Block {
    let lang = words.lang;
    let Some(project) = view.project else {
        return paragraph(words.pick("无。", "None."));
    };
    let Some((head, rows)) = super::record::list_table(project, "participation") else {
        return paragraph(words.pick(
            "项目文件未记录儿童参与。",
            "The file records no participation of children.",
        ));
    };
    Block::Table(Table {
        class: "participation",
        head: head
            .iter()
            .map(|label| Cell::text(label.get(lang)))
            .collect(),
        rows: rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|value| Cell::text(value.get(lang)))
                    .collect()
            })
            .collect(),
    })
}

/// The compliance record of one file as serve's results page shows it, beside the YAML
/// submitted: the same rows as the report's, each stated value linking to its line (the element
/// with id `{line_anchor}{line}`), and the clauses that do not apply listed, with why, in a
/// `<details>` below. HTML, escaped as the report is.
pub fn record_on_page(view: &FileView<'_>, lang: Lang, line_anchor: &str) -> String {
    let words = Words { lang };
    let mut blocks = Vec::new();
    let rows = super::record::rows(view);
    record_blocks(
        view,
        &rows,
        &words,
        Some(line_anchor),
        &RuleLinks::Browser(lang),
        &mut blocks,
    );
    let mut out = String::new();
    for block in &blocks {
        html::block(&mut out, block, lang);
    }
    let items = not_applicable_items(&rows, &words, &RuleLinks::Browser(lang));
    if !items.is_empty() {
        out.push_str(&format!(
            "<details class=\"not-applicable\"><summary>{}</summary>\n",
            match lang {
                Lang::Zh => format!("不适用的条款({} 条)", items.len()),
                Lang::En => format!("Clauses that do not apply ({})", items.len()),
            }
        ));
        html::block(
            &mut out,
            &Block::List {
                class: Some("not-applicable"),
                items,
            },
            lang,
        );
        out.push_str("</details>\n");
    }
    out
}

/// The compliance record: per domain, one row per applicable clause, in pack order. In a report
/// (`line_anchor` is `None`) the clauses that do not apply are in the appendix; on serve's page
/// each stated value links to its line of the YAML shown below, and they are listed beneath.
fn record_blocks(
    view: &FileView<'_>,
    rows: &[super::record::Row<'_>],
    words: &Words,
    line_anchor: Option<&str>,
    links: &RuleLinks,
    blocks: &mut Vec<Block>,
) {
    let lang = words.lang;
    let applicable: Vec<&super::record::Row<'_>> = rows
        .iter()
        .filter(|row| row.result.outcome != Outcome::NotApplicable)
        .collect();
    let not_applicable = rows.len() - applicable.len();
    blocks.push(heading(3, words.pick("逐条合规记录", "Compliance record")));
    let (where_zh, where_en) = match line_anchor {
        None => ("见附录", "see the appendix"),
        Some(_) => ("见下方列表", "listed below"),
    };
    blocks.push(paragraph(match lang {
        Lang::Zh => format!(
            "适用条款 {} 条;不适用 {not_applicable} 条,{where_zh}。",
            applicable.len()
        ),
        Lang::En => format!(
            "{} {}; {not_applicable} {} ({where_en}).",
            applicable.len(),
            if applicable.len() == 1 {
                "clause applies"
            } else {
                "clauses apply"
            },
            if not_applicable == 1 {
                "does not"
            } else {
                "do not"
            }
        ),
    }));
    for domain in Domain::ALL {
        let in_domain: Vec<&&super::record::Row<'_>> = applicable
            .iter()
            .filter(|row| row.rule.domain == domain)
            .collect();
        if in_domain.is_empty() {
            continue;
        }
        blocks.push(heading(4, domain.label().get(lang)));
        blocks.push(Block::Table(Table {
            class: "record",
            head: record_head(words),
            rows: in_domain
                .into_iter()
                .map(|row| record_row(row, words, line_anchor, links, view.medium))
                .collect(),
        }));
    }
}

/// The header of the compliance table, shared by every back-end.
fn record_head(words: &Words) -> Vec<Cell> {
    [
        words.pick("文件与条款", "Document and clause"),
        words.pick("条文要求", "Requirement"),
        words.pick("应达到", "Required"),
        words.pick("申报情况", "Stated"),
        words.pick("结论", "Result"),
        words.pick("整改意见", "Rectification"),
    ]
    .into_iter()
    .map(Cell::text)
    .collect()
}

/// A line of a record cell, with the line of the file it is about when it has one.
type LineOf = (String, Option<usize>);

/// Where the rule ids of the record link.
enum RuleLinks {
    /// In a report: to the rule's first finding in the project's section, when it has one
    /// (`noted` are the rules with an anchored finding).
    Findings {
        /// The project's place in the report.
        project: usize,
        /// The rules whose first finding carries an anchor.
        noted: Vec<String>,
    },
    /// On serve's pages: to the rule's page of the rule browser.
    Browser(Lang),
}

impl RuleLinks {
    /// The rule id, linked where it can be.
    fn rule(&self, id: &str) -> Inline {
        let href = match self {
            RuleLinks::Findings { project, noted } => noted
                .iter()
                .any(|noted| noted == id)
                .then(|| format!("#{}", finding_anchor(*project, id))),
            RuleLinks::Browser(lang) => Some(format!(
                "/rules/rule/{}?lang={}",
                url_path_segment(id),
                match lang {
                    Lang::Zh => "zh",
                    Lang::En => "en",
                }
            )),
        };
        match href {
            Some(href) => Inline::CodeLink {
                href,
                code: id.to_owned(),
            },
            None => Inline::Code(id.to_owned()),
        }
    }
}

/// The anchor of a rule's first finding in the report's section for project `project`.
fn finding_anchor(project: usize, rule: &str) -> String {
    format!("project-{project}-{}", url_path_segment(rule))
}

/// A rule id as one segment of a URL (and as an anchor): rule ids are letters, digits, `-`,
/// `_` and `.`, and anything else is percent-encoded, so no id can leave its segment.
fn url_path_segment(id: &str) -> String {
    let mut out = String::new();
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn record_row(
    row: &super::record::Row<'_>,
    words: &Words,
    line_anchor: Option<&str>,
    links: &RuleLinks,
    medium: Medium,
) -> Vec<Cell> {
    let lang = words.lang;
    // `submitted`: the lines hold what the file states (a value, a facility's id), shown as the
    // characters they are; the other cells are yimi's words, whose code spans are set as code.
    let lines = |texts: Vec<LineOf>, submitted: bool| -> Vec<Inline> {
        let mut content = Vec::new();
        for (index, (text, line)) in texts.into_iter().enumerate() {
            if index > 0 {
                content.push(Inline::Break);
            }
            content.push(match (line_anchor, line) {
                (Some(anchor), Some(line)) => Inline::Link {
                    section: format!("{anchor}{line}"),
                    text,
                },
                _ if submitted => Inline::Plain(text),
                _ => Inline::Text(text),
            });
        }
        if content.is_empty() {
            content.push(Inline::Text("—".to_owned()));
        }
        content
    };
    let unlinked = |texts: Vec<String>| texts.into_iter().map(|text| (text, None)).collect();
    let cite = &row.rule.cite;
    // Each requirement once, with what each thing it judged states below: a requirement compared
    // for three facilities is one line, not three. Several requirements are numbered ①②, and
    // what is stated for each carries its number. Another way to meet the rule is one
    // requirement with its whole condition (「或:…,且…」).
    let mut groups: Vec<(String, Vec<LineOf>)> = Vec::new();
    for way in super::record::ways(&row.compared) {
        let required = super::record::way_text(&row.compared, &way, lang);
        let stated = way
            .iter()
            .filter_map(|&index| row.compared.get(index))
            .map(|compared| (super::record::stated_text(compared, lang), compared.line));
        let at = match groups.iter().position(|(known, _)| *known == required) {
            Some(at) => at,
            None => {
                groups.push((required, Vec::new()));
                groups.len() - 1
            }
        };
        if let Some((_, stated_lines)) = groups.get_mut(at) {
            for stated in stated {
                if !stated_lines.contains(&stated) {
                    stated_lines.push(stated);
                }
            }
        }
    }
    let numbered = groups.len() > 1;
    let number = |index: usize| {
        if numbered {
            char::from_u32(0x2460 + u32::try_from(index).unwrap_or(0))
                .map_or_else(String::new, String::from)
        } else {
            String::new()
        }
    };
    let mut required: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(index, (required, _))| format!("{}{required}", number(index)))
        .collect();
    // A value a more local pack refined: which pack, on what clause and basis, in place of what.
    required.extend(
        row.refined
            .iter()
            .map(|refined| super::record::refined_text(refined, lang)),
    );
    let stated: Vec<LineOf> = groups
        .iter()
        .enumerate()
        .flat_map(|(index, (_, stated))| {
            stated
                .iter()
                .map(move |(text, line)| (format!("{}{text}", number(index)), *line))
        })
        .collect();
    let mut advice = Vec::new();
    if let Some(vacuity) = &row.result.vacuous {
        advice.push(vacuity.note().get(lang).to_owned());
    }
    if matches!(
        row.result.outcome,
        Outcome::Fail | Outcome::InsufficientEvidence
    ) && let Some(hint) = row.result.hint_in(medium)
    {
        advice.extend(hint.get(lang).lines().map(str::to_owned));
    }
    if let Some(waiver) = &row.result.waiver {
        advice.push(format!(
            "{}{}{}",
            words.pick("豁免", "Waiver"),
            colon(lang),
            waiver.reason
        ));
    }
    let key = super::record::result_key(row.result);
    vec![
        Cell {
            class: Some("clause"),
            content: {
                let mut content = vec![
                    Inline::Text(format!("{} §{}", cite.source, cite.clause)),
                    Inline::Break,
                    links.rule(&row.rule.id),
                ];
                for refined in &row.refined {
                    content.push(Inline::Break);
                    content.push(Inline::Text(format!(
                        "{}{} §{}",
                        words.pick("细化:", "refined: "),
                        refined.cite.source,
                        refined.cite.clause
                    )));
                }
                content
            },
        },
        Cell {
            class: Some("quote"),
            content: vec![Inline::Text(format!("「{}」", cite.quote))],
        },
        Cell {
            class: None,
            content: lines(unlinked(required), false),
        },
        Cell {
            class: None,
            content: lines(stated, true),
        },
        Cell {
            class: Some("result-cell"),
            content: vec![Inline::Tag {
                // An advisory result keeps its outcome's colour, and is marked apart.
                class: if row.result.advisory && row.result.outcome != Outcome::NotApplicable {
                    format!("tag result-{key} advisory")
                } else {
                    format!("tag result-{key}")
                },
                text: super::record::result_word(row.result).get(lang).to_owned(),
            }],
        },
        Cell {
            class: None,
            content: lines(unlinked(advice), false),
        },
    ]
}

/// The clauses that do not apply, each with the condition that excluded the project.
fn not_applicable_appendix(
    view: &FileView<'_>,
    rows: &[super::record::Row<'_>],
    words: &Words,
    blocks: &mut Vec<Block>,
) {
    let lang = words.lang;
    // A clause that does not apply has no finding to link to.
    let unlinked = RuleLinks::Findings {
        project: 0,
        noted: Vec::new(),
    };
    let items = not_applicable_items(rows, words, &unlinked);
    if view.assessment.is_none() {
        return;
    }
    blocks.push(heading(
        3,
        match lang {
            Lang::Zh => format!("附录:不适用的条款({} 条)", items.len()),
            Lang::En => format!("Appendix: clauses that do not apply ({})", items.len()),
        },
    ));
    blocks.push(list_or_none(Some("not-applicable"), items, words));
}

/// Each clause that does not apply: its rule, document and clause, title, and why not.
fn not_applicable_items(
    rows: &[super::record::Row<'_>],
    words: &Words,
    links: &RuleLinks,
) -> Vec<Vec<Inline>> {
    let lang = words.lang;
    rows.iter()
        .filter(|row| row.result.outcome == Outcome::NotApplicable)
        .map(|row| {
            vec![
                links.rule(&row.rule.id),
                Inline::Text(format!(
                    " {} §{} {}{}",
                    row.rule.cite.source,
                    row.rule.cite.clause,
                    row.rule.title.get(lang),
                    words.pick(":不适用——", ": does not apply — "),
                )),
                // The reason quotes what the file states (项目类型为 …).
                Inline::Plain(super::record::not_applicable_reason(row, lang)),
            ]
            .into_iter()
            .chain(row.refined.iter().map(|refined| {
                // The value that excluded the project came from a more local pack.
                Inline::Text(format!(
                    "{}{}",
                    words.pick(";", "; "),
                    super::record::refined_text(refined, lang)
                ))
            }))
            .collect::<Vec<_>>()
        })
        .collect()
}

fn list_or_none(class: Option<&'static str>, items: Vec<Vec<Inline>>, words: &Words) -> Block {
    if items.is_empty() {
        paragraph(words.pick("无。", "None."))
    } else {
        Block::List { class, items }
    }
}

fn note(view: &FileView<'_>, finding: &FindingView<'_>, words: &Words) -> Note {
    let lang = words.lang;
    let class = match (finding.level, finding.waiver) {
        (_, Some(_)) => "waived",
        (Some(Level::Error), _) => "error",
        (Some(Level::Warning), _) => "warning",
        _ => "advice",
    };
    let mut details = Vec::new();
    if let (Some(rule), Some(citation)) = (finding.rule, finding.citation) {
        details.push(Detail::Line {
            label: words.pick("规则", "Rule"),
            text: format!(
                "{}{}{}, {})",
                rule.title.get(lang),
                words.pick("(", " ("),
                rule.strength.label().get(lang),
                rule.domain.label().get(lang)
            ),
            note: true,
        });
        details.push(Detail::Quote {
            label: words.pick("依据", "Clause"),
            quote: citation.quote.clone(),
            source: format!("{} §{}", citation.source, citation.clause),
        });
    }
    for refined in &finding.refined {
        details.push(Detail::Line {
            label: words.pick("细化", "Refined"),
            text: super::record::refined_text(refined, lang),
            note: true,
        });
    }
    if let Some(hint) = &finding.hint {
        details.push(Detail::Line {
            label: words.pick("建议", "Advice"),
            text: hint.get(lang).to_owned(),
            note: false,
        });
    }
    if let Some(advisory) = &finding.advisory {
        details.push(Detail::Line {
            label: words.pick("效力", "Force"),
            text: advisory.get(lang).to_owned(),
            note: true,
        });
    }
    if let Some(waiver) = finding.waiver {
        details.push(Detail::Line {
            label: words.pick("豁免", "Waiver"),
            text: waiver.reason.clone(),
            note: false,
        });
    }
    Note {
        anchor: None,
        class,
        tag: level_word(finding, lang),
        code: finding.code.clone(),
        text: format!(
            "{}{}",
            finding.baseline.map_or("", |state| state.marker(lang)),
            headline_in_words(finding, lang)
        ),
        place: finding.places.first().map(|place| {
            // The named thing first (设施 nursery-1(托育机构)), the line beside it.
            let thing = view
                .project
                .and_then(|project| project.named_thing(&place.path));
            // A value the file lacks, outside any named thing: where it belongs, in words, as a
            // named thing would be (the line alone is the file's first key or a mapping's; it
            // stays for the consultant, as in every other format).
            let belongs = view
                .project
                .filter(|_| !place.exact)
                .and_then(|project| super::record::belongs_in_words(project, &place.path));
            match thing.or(belongs) {
                Some(thing) => format!("{} · {}:{}", thing.get(lang), view.path, place.line),
                None => format!("{}:{}", view.path, place.line),
            }
        }),
        details,
    }
}

/// A finding's headline as the official reads it: each fact the file lacks by the model's
/// label (“在案的证明材料”), not its YAML path, which stays in the hint's edit line for the
/// consultant who keeps the file.
fn headline_in_words(finding: &FindingView<'_>, lang: Lang) -> String {
    let mut text = finding.message.get(lang).to_owned();
    // The headline names only the first few (as many as are listed): a long list is not
    // searched for each of its elements.
    let (listed, _) = finding.listed_missing();
    for missing in listed {
        let Some(doc) = &missing.doc else { continue };
        let label = crate::project::types::short_label(doc);
        let named = match lang {
            Lang::Zh => format!("“{}”", label.zh),
            Lang::En => format!("“{}”", crate::project::types::lowercase_first(&label.en)),
        };
        let code = format!("`{}`", missing.place.path);
        // 未注明 `a`、`b` reads 未注明“甲”、“乙”: no space before Chinese quotes.
        if lang == Lang::Zh {
            text = text.replace(&format!(" {code}"), &named);
        }
        text = text.replace(&code, &named);
    }
    text
}

/// What the file lacks, one line per fact however many rules need it: the fact by the model's
/// label, as the record's rows name it (是否为新建项目), with what exactly is needed where the
/// field alone does not say; then the rules that need it; then its YAML path, for the consultant
/// who edits the file. As many facts as the other formats list for each finding
/// ([`FindingView::listed_missing`]), and a line counting the rest: an aggregate over a long list
/// can miss one value per element, and listing each made a Word report of a park with 10 000 play
/// areas 8 MB.
fn missing(view: &FileView<'_>, lang: Lang) -> Vec<Vec<Inline>> {
    struct Fact<'v> {
        path: String,
        detail: Option<&'v str>,
        label: Option<String>,
        rules: Vec<&'v str>,
    }
    let mut facts: Vec<Fact<'_>> = Vec::new();
    let mut unlisted: Vec<Vec<Inline>> = Vec::new();
    for finding in &view.findings {
        let (listed, more) = finding.listed_missing();
        for missing in listed {
            let path = missing.place.path.to_string();
            let detail = missing.detail.as_ref().map(|detail| detail.get(lang));
            match facts
                .iter_mut()
                .find(|fact| fact.path == path && fact.detail == detail)
            {
                Some(fact) => {
                    if !fact.rules.contains(&finding.code.as_str()) {
                        fact.rules.push(&finding.code);
                    }
                }
                None => facts.push(Fact {
                    path,
                    detail,
                    label: missing
                        .doc
                        .as_ref()
                        .map(|doc| crate::engine::record::label(doc).get(lang).to_owned()),
                    rules: vec![&finding.code],
                }),
            }
        }
        if more > 0 {
            unlisted.push(vec![Inline::Text(match lang {
                Lang::Zh => format!("另有 {more} 项未列出 — {}", finding.code),
                Lang::En => format!("{more} more not listed — {}", finding.code),
            })]);
        }
    }
    facts
        .into_iter()
        .map(|fact| {
            let rules = fact.rules.join(match lang {
                Lang::Zh => "、",
                Lang::En => ", ",
            });
            let mut line = Vec::new();
            match &fact.label {
                Some(label) => line.push(Inline::Text(label.clone())),
                // A field the model does not describe is named by its path alone.
                None => line.push(Inline::Code(fact.path.clone())),
            }
            if let Some(detail) = fact.detail {
                line.push(Inline::Text(match lang {
                    Lang::Zh => format!("({detail})"),
                    Lang::En => format!(" ({detail})"),
                }));
            }
            line.push(Inline::Text(format!(" — {rules}")));
            if fact.label.is_some() {
                line.push(Inline::Text(" · ".to_owned()));
                line.push(Inline::Code(fact.path));
            }
            line
        })
        .chain(unlisted)
        .collect()
}

fn waivers(view: &FileView<'_>, words: &Words) -> Vec<Vec<Inline>> {
    view.findings
        .iter()
        .filter_map(|finding| {
            finding.waiver.map(|waiver| {
                let by = waiver.approved_by.as_deref().unwrap_or("?");
                let until = waiver
                    .expires
                    .map(|date| date.to_string())
                    .unwrap_or_else(|| "—".into());
                vec![Inline::Text(format!(
                    "{}{}{}{}{} {by}; {} {until})",
                    finding.code,
                    colon(words.lang),
                    waiver.reason,
                    words.pick("(", " ("),
                    words.pick("批准", "approved by"),
                    words.pick("有效期至", "until")
                ))]
            })
        })
        .collect()
}

/// Counts of outcomes per domain, for the rules that applied to a file.
fn per_domain(view: &FileView<'_>, set: &RuleSet) -> Vec<(Domain, [usize; TALLIES.len()])> {
    let Some(assessment) = view.assessment else {
        return Vec::new();
    };
    Domain::ALL
        .iter()
        .filter_map(|&domain| {
            let mut counts = [0; TALLIES.len()];
            for result in &assessment.results {
                if set
                    .rules
                    .get(result.rule)
                    .is_some_and(|rule| rule.domain == domain)
                    && let Some(slot) = TALLIES.iter().position(|&tally| tally == Tally::of(result))
                {
                    counts[slot] += 1;
                }
            }
            (counts.iter().sum::<usize>() > 0).then_some((domain, counts))
        })
        .collect()
}

fn level_word(finding: &FindingView<'_>, lang: Lang) -> String {
    match finding.level {
        Some(level) => level.label().get(lang).to_owned(),
        None => finding.outcome.label().get(lang).to_owned(),
    }
}

fn project_title(view: &FileView<'_>) -> String {
    project_named(view).unwrap_or_else(|| view.path.to_owned())
}

/// The project by its name and id, `某项目(XM-001)`, as far as the file states them.
fn project_named(view: &FileView<'_>) -> Option<String> {
    let project = view.project?;
    match (
        project.text(&["project", "name"]),
        project.text(&["project", "id"]),
    ) {
        (Some(name), Some(id)) => Some(format!("{name}({id})")),
        (None, Some(id)) => Some(id.to_owned()),
        (Some(name), None) => Some(name.to_owned()),
        (None, None) => None,
    }
}

/// The project a file is about, as serve's results page names it beside the file name: its name
/// and id as the report's heading gives them, escaped HTML; `None` when the file states neither
/// (or could not be read).
pub fn project_on_page(view: &FileView<'_>) -> Option<String> {
    project_named(view).map(|named| crate::report::escape::html(&named))
}

fn facts(view: &FileView<'_>, lang: Lang) -> Vec<(&'static str, String)> {
    let words = Words { lang };
    let mut facts = vec![(words.pick("文件", "File"), view.path.to_owned())];
    let Some(project) = view.project else {
        return facts;
    };
    // Enum values by their labels (住宅, 规划阶段), as the official reads them.
    let field = |path: &[&str]| {
        project.text(path).map(str::to_owned).or_else(|| {
            super::record::enum_label(project, path).map(|label| label.get(lang).to_owned())
        })
    };
    for (label, path) in [
        (words.pick("项目编号", "Project id"), &["project", "id"][..]),
        (words.pick("类型", "Kind"), &["project", "kind"][..]),
        (words.pick("阶段", "Stage"), &["project", "stage"][..]),
        (
            words.pick("行政区划", "Jurisdiction"),
            &["project", "jurisdiction"][..],
        ),
        (
            words.pick("建设单位或起草部门", "Applicant"),
            &["project", "applicant"][..],
        ),
    ] {
        if let Some(value) = field(path) {
            facts.push((label, value));
        }
    }
    if let Some(crate::project::Data::Date(date)) = project.get(&["project", "decision_date"]) {
        facts.push((words.pick("决策日期", "Decision date"), date.to_string()));
    }
    if let Some(assessment) = view.assessment {
        facts.push((
            words.pick("判断日期", "Judged at"),
            super::judged_at_text(assessment, lang),
        ));
    }
    if let Some(crate::project::Data::Bool(major)) = project.get(&["project", "major"]) {
        let value = if *major {
            words.pick("是", "yes")
        } else {
            words.pick("否", "no")
        };
        facts.push((words.pick("重大事项", "Major"), value.to_owned()));
    }
    facts
}

/// Findings grouped by domain (findings about the file itself last).
fn grouped<'v, 'a>(view: &'v FileView<'a>) -> Vec<(Option<Domain>, Vec<&'v FindingView<'a>>)> {
    let mut groups: Vec<(Option<Domain>, Vec<&FindingView<'a>>)> = Vec::new();
    for domain in Domain::ALL.iter().copied().map(Some).chain([None]) {
        let findings: Vec<&FindingView<'a>> = view
            .findings
            .iter()
            .filter(|finding| finding.rule.map(|rule| rule.domain) == domain)
            .collect();
        if !findings.is_empty() {
            groups.push((domain, findings));
        }
    }
    groups
}

fn totals_rows(totals: &Totals, lang: Lang) -> Vec<(&'static str, usize)> {
    let words = Words { lang };
    let mut rows = vec![
        (words.pick("文件", "files"), totals.files),
        (words.pick("需修改", "fail"), totals.fail),
        (words.pick("需补充材料", "incomplete"), totals.incomplete),
        (
            words.pick("通过,附建议", "pass with advice"),
            totals.pass_with_advice,
        ),
        (words.pick("通过", "pass"), totals.pass),
        (words.pick("输入无效", "invalid"), totals.invalid),
    ];
    if let Some(against) = totals.against_baseline {
        rows.push((words.pick("新增问题", "new findings"), against.new));
        rows.push((
            words.pick("基线已有", "already in the baseline"),
            against.existing,
        ));
    }
    rows
}
