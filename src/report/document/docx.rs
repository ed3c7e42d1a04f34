//! The review opinion (审查意见书) as a Word document: the same [`Document`] as the Markdown and
//! HTML reports, laid out after GB/T 9704 — A4 with its margins, the title in 小标宋 (黑体 where
//! that is missing), body in 仿宋, headings numbered 一、(一)1. in 黑体, 楷体 and bold 仿宋,
//! page numbers "— 1 —" at the foot — so that Word and WPS open it and the official edits it.
//!
//! Written with `docx-rs`. The output is byte for byte the same for the same report: the
//! creation date in `docProps` is the report's date (else 1970-01-01), every paragraph gets its
//! id from a counter of this document, and the archive's entries carry the zip format's fixed
//! default time.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Shading, ShdType, Table as WordTable, TableCell, TableLayoutType, TableRow,
    WidthType,
};

use super::{Block, Detail, Document, Inline, Note, Table};
use crate::base::i18n::Lang;

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
/// GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGIN_TOP: i32 = 2_098;
const MARGIN_BOTTOM: i32 = 1_984;
const MARGIN_LEFT: i32 = 1_587;
const MARGIN_RIGHT: i32 = 1_474;
/// The width of the text between the margins.
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_SMALL: usize = 28;
const SIZE_TABLE: usize = 21;

const FONT_TITLE: &str = "方正小标宋简体";
const FONT_BODY: &str = "仿宋";
const FONT_HEADING: &str = "黑体";
const FONT_SUBHEADING: &str = "楷体";
/// For Latin letters and digits, which GB/T 9704 leaves to the body's face.
const FONT_LATIN: &str = "Times New Roman";

/// Renders the document as the bytes of a .docx file.
pub fn render(document: &Document, date: Option<&str>) -> std::io::Result<Vec<u8>> {
    let mut writer = Writer {
        lang: document.lang,
        next_id: 1,
        numbers: [0; 3],
        sections: 0,
    };
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(FONT_BODY))
        .default_size(SIZE_BODY)
        .created_at(&format!("{}T00:00:00Z", date.unwrap_or("1970-01-01")))
        .updated_at(&format!("{}T00:00:00Z", date.unwrap_or("1970-01-01")));
    let page_number = writer
        .paragraph()
        .align(AlignmentType::Center)
        .add_run(text_run("— ", FONT_BODY, SIZE_SMALL))
        .add_page_num(PageNum::new())
        .add_run(text_run(" —", FONT_BODY, SIZE_SMALL));
    docx = docx.footer(Footer::new().add_paragraph(page_number));
    let title = writer
        .paragraph()
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().after(240))
        .add_run(
            text_run(document.title, FONT_TITLE, SIZE_TITLE).fonts(
                RunFonts::new()
                    .east_asia(FONT_TITLE)
                    .ascii(FONT_LATIN)
                    .hi_ansi(FONT_LATIN)
                    .hint("eastAsia"),
            ),
        );
    docx = docx.add_paragraph(title);
    for block in &document.blocks {
        docx = writer.block(docx, block);
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(std::io::Error::other)?;
    Ok(bytes.into_inner())
}

struct Writer {
    lang: Lang,
    /// The id of the next paragraph: counted here so that the same document gets the same ids.
    next_id: u32,
    /// The numbers of the current headings of levels 2, 3 and 4.
    numbers: [usize; 3],
    /// Project sections written so far (each after the first starts a page).
    sections: usize,
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(FONT_LATIN)
        .hi_ansi(FONT_LATIN)
}

fn text_run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

impl Writer {
    fn paragraph(&mut self) -> Paragraph {
        let id = format!("{:08X}", self.next_id);
        self.next_id += 1;
        Paragraph::new().id(id)
    }

    fn body(&mut self) -> Paragraph {
        self.paragraph()
            .line_spacing(LineSpacing::new().after(60))
            .fonts(fonts(FONT_BODY))
            .size(SIZE_BODY)
    }

    /// The number before a heading: 一、(一)1. in Chinese, 1. 1.1 1.1.1 in English.
    fn number(&mut self, level: u8) -> String {
        let depth = usize::from(level.clamp(2, 4) - 2);
        if let Some(slot) = self.numbers.get_mut(depth) {
            *slot += 1;
        }
        for slot in self.numbers.iter_mut().skip(depth + 1) {
            *slot = 0;
        }
        let [first, second, third] = self.numbers;
        match (self.lang, depth) {
            (Lang::Zh, 0) => format!("{}、", chinese_number(first)),
            (Lang::Zh, 1) => format!("({})", chinese_number(second)),
            (Lang::Zh, _) => format!("{third}."),
            (Lang::En, 0) => format!("{first}. "),
            (Lang::En, 1) => format!("{first}.{second} "),
            (Lang::En, _) => format!("{first}.{second}.{third} "),
        }
    }

    fn block(&mut self, docx: Docx, block: &Block) -> Docx {
        match block {
            Block::Heading { level, text } => {
                let number = self.number(*level);
                let (font, bold) = match level {
                    2 => (FONT_HEADING, false),
                    3 => (FONT_SUBHEADING, false),
                    _ => (FONT_BODY, true),
                };
                let mut run = text_run(&format!("{number}{text}"), font, SIZE_BODY);
                if bold {
                    run = run.bold();
                }
                let paragraph = self
                    .paragraph()
                    .keep_next(true)
                    .outline_lvl(usize::from(level.saturating_sub(2)))
                    .line_spacing(LineSpacing::new().before(120).after(60))
                    .add_run(run);
                docx.add_paragraph(paragraph)
            }
            Block::Paragraph { note, content } => {
                let size = if *note { SIZE_SMALL } else { SIZE_BODY };
                let paragraph = inlines(self.body(), content, size, false);
                docx.add_paragraph(paragraph)
            }
            Block::Facts(facts) => {
                let rows = facts
                    .iter()
                    .map(|(label, value)| {
                        vec![
                            self.cell_text(label, true, None),
                            self.cell_text(value, false, None),
                        ]
                    })
                    .collect();
                docx.add_table(table(rows, &[2400, TEXT_WIDTH - 2400]))
            }
            Block::Verdict { label, text, .. } => {
                let colon = super::colon(self.lang);
                let paragraph = self
                    .body()
                    .add_run(text_run(
                        &format!("{label}{colon}"),
                        FONT_HEADING,
                        SIZE_BODY,
                    ))
                    .add_run(text_run(text, FONT_HEADING, SIZE_BODY).bold());
                docx.add_paragraph(paragraph)
            }
            Block::Table(table) => self.table(docx, table),
            Block::List { items, .. } => {
                let mut docx = docx;
                for item in items {
                    let paragraph = self.body().add_run(text_run("— ", FONT_BODY, SIZE_BODY));
                    docx = docx.add_paragraph(inlines(paragraph, item, SIZE_BODY, false));
                }
                docx
            }
            // The counts it draws are in the table of outcomes by domain that follows it.
            Block::Chart(_) => docx,
            Block::Notes(notes) => {
                let mut docx = docx;
                for note in notes {
                    docx = self.note(docx, note);
                }
                docx
            }
            Block::Section { blocks, .. } => {
                let mut docx = docx;
                if self.sections > 0 {
                    let page_break = self
                        .paragraph()
                        .add_run(Run::new().add_break(BreakType::Page));
                    docx = docx.add_paragraph(page_break);
                }
                self.sections += 1;
                for block in blocks {
                    docx = self.block(docx, block);
                }
                docx
            }
            Block::Blanks(labels) => {
                let rows = labels
                    .iter()
                    .map(|label| {
                        vec![
                            self.cell_text(label, true, None),
                            self.cell_text("", false, None),
                        ]
                    })
                    .collect::<Vec<_>>();
                let rows = rows
                    .into_iter()
                    .map(|cells| TableRow::new(cells).row_height(900.0))
                    .collect();
                docx.add_table(
                    WordTable::new(rows)
                        .set_grid(vec![2400, TEXT_WIDTH - 2400])
                        .layout(TableLayoutType::Fixed)
                        .width(TEXT_WIDTH, WidthType::Dxa),
                )
            }
        }
    }

    fn note(&mut self, docx: Docx, note: &Note) -> Docx {
        let colon = super::colon(self.lang);
        let mut head = self
            .body()
            .keep_next(true)
            .add_run(text_run(
                &format!("[{}] ", note.tag),
                FONT_HEADING,
                SIZE_BODY,
            ))
            .add_run(text_run(&note.code, FONT_BODY, SIZE_BODY).bold())
            .add_run(text_run(&format!(" {}", note.text), FONT_BODY, SIZE_BODY));
        if let Some(place) = &note.place {
            head = head.add_run(text_run(&format!("({place})"), FONT_BODY, SIZE_SMALL));
        }
        let mut docx = docx.add_paragraph(head);
        for detail in &note.details {
            let paragraph = match detail {
                Detail::Line { label, text, note } => {
                    let size = if *note { SIZE_SMALL } else { SIZE_BODY };
                    self.body()
                        .indent(Some(420), None, None, None)
                        .add_run(text_run(&format!("{label}{colon}{text}"), FONT_BODY, size))
                }
                Detail::Quote {
                    label,
                    quote,
                    source,
                } => self
                    .body()
                    .indent(Some(420), None, None, None)
                    .add_run(text_run(&format!("{label}{colon}"), FONT_BODY, SIZE_SMALL))
                    .add_run(text_run(
                        &format!("「{quote}」({source})"),
                        FONT_SUBHEADING,
                        SIZE_SMALL,
                    )),
            };
            docx = docx.add_paragraph(paragraph);
        }
        docx
    }

    fn table(&mut self, docx: Docx, table: &Table) -> Docx {
        let columns = table.head.len().max(1);
        let widths: Vec<usize> = match (table.class, columns) {
            // Clause, requirement, required, stated, result, advice.
            ("record", 6) => vec![1300, 1700, 1600, 1600, 950, TEXT_WIDTH - 7150],
            _ => vec![TEXT_WIDTH / columns; columns],
        };
        let shade = Shading::new().shd_type(ShdType::Clear).fill("E7E6E6");
        let mut rows = vec![TableRow::new(
            table
                .head
                .iter()
                .map(|cell| {
                    let paragraph = inlines(self.cell_paragraph(), &cell.content, SIZE_TABLE, true);
                    TableCell::new()
                        .shading(shade.clone())
                        .add_paragraph(paragraph)
                })
                .collect(),
        )];
        for row in &table.rows {
            rows.push(TableRow::new(
                row.iter()
                    .map(|cell| {
                        let paragraph =
                            inlines(self.cell_paragraph(), &cell.content, SIZE_TABLE, false);
                        TableCell::new().add_paragraph(paragraph)
                    })
                    .collect(),
            ));
        }
        docx.add_table(
            WordTable::new(rows)
                .set_grid(widths)
                .layout(TableLayoutType::Fixed)
                .width(TEXT_WIDTH, WidthType::Dxa),
        )
    }

    fn cell_paragraph(&mut self) -> Paragraph {
        self.paragraph()
            .fonts(fonts(FONT_BODY))
            .size(SIZE_TABLE)
            .line_spacing(LineSpacing::new().after(0))
    }

    fn cell_text(&mut self, text: &str, bold: bool, size: Option<usize>) -> TableCell {
        let mut run = text_run(text, FONT_BODY, size.unwrap_or(SIZE_SMALL));
        if bold {
            run = run.bold();
        }
        TableCell::new().add_paragraph(self.cell_paragraph().add_run(run))
    }
}

fn inlines(mut paragraph: Paragraph, content: &[Inline], size: usize, bold: bool) -> Paragraph {
    let styled = |run: Run| if bold { run.bold() } else { run };
    for inline in content {
        paragraph = match inline {
            Inline::Text(text) | Inline::Link { text, .. } | Inline::Code(text) => {
                paragraph.add_run(styled(text_run(text, FONT_BODY, size)))
            }
            Inline::Tag { text, .. } => {
                paragraph.add_run(text_run(text, FONT_HEADING, size).bold())
            }
            Inline::Break => paragraph.add_run(Run::new().add_break(BreakType::TextWrapping)),
        };
    }
    paragraph
}

fn table(rows: Vec<Vec<TableCell>>, widths: &[usize]) -> WordTable {
    WordTable::new(rows.into_iter().map(TableRow::new).collect())
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// 一 to 九十九, for heading numbers.
fn chinese_number(number: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |n: usize| DIGITS.get(n).copied().unwrap_or("");
    match number {
        0..=9 => digit(number).to_owned(),
        10..=19 => format!("十{}", if number == 10 { "" } else { digit(number % 10) }),
        20..=99 => format!(
            "{}十{}",
            digit(number / 10),
            if number.is_multiple_of(10) {
                ""
            } else {
                digit(number % 10)
            }
        ),
        _ => number.to_string(),
    }
}
