//! The review opinion (审查意见书) as a Word document: the same [`Document`] as the Markdown and
//! HTML reports, laid out after GB/T 9704 — A4 with its margins, the title in 小标宋 (黑体 where
//! that is missing), body in 仿宋, headings numbered 一、(一)1. in 黑体, 楷体 and bold 仿宋,
//! page numbers "— 1 —" at the foot — so that Word and WPS open it and the official edits it.
//!
//! Written with `docx-rs`. The output is byte for byte the same for the same report: the
//! creation date in `docProps` is the report's date (else 1970-01-01), every paragraph gets its
//! id from a counter of this document, and the archive's entries carry the zip format's fixed
//! default time.

use std::io::Seek as _;

use docx_rs::{
    AlignmentType, BreakType, BuildXML, DocumentChild, Docx, Footer, LineSpacing, PageMargin,
    PageNum, Paragraph, Run, RunFonts, Shading, ShdType, Table as WordTable, TableCell,
    TableCellMargins, TableChild, TableLayoutType, TableRow, WidthType,
};

use super::{Block, Cell, Detail, Inline, Note, Table};
use crate::base::i18n::Lang;
use crate::report::spill::Spill;

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
/// 小五 9 pt, for a table whose words do not fit the page's width in 五号.
const SIZE_TABLE_SMALL: usize = 18;

const FONT_TITLE: &str = "方正小标宋简体";
const FONT_BODY: &str = "仿宋";
const FONT_HEADING: &str = "黑体";
const FONT_SUBHEADING: &str = "楷体";
/// For Latin letters and digits, which GB/T 9704 leaves to the body's face.
const FONT_LATIN: &str = "Times New Roman";
/// For a YAML name or value written as code (between backticks in the text): monospace, so that
/// the name reads as one thing to type, with 等线 for Chinese inside it.
const FONT_CODE: &str = "Consolas";
const FONT_CODE_EAST_ASIA: &str = "等线";

/// The text height of a page, for telling whether a table row fits on one.
const TEXT_HEIGHT: usize = (PAGE_HEIGHT as i32 - MARGIN_TOP - MARGIN_BOTTOM) as usize;
/// A table cell's left and right margin, about 1 mm (Word's default, 1.9 mm, leaves a narrow
/// column little room for a word).
const CELL_MARGIN: usize = 60;
/// What a cell's text cannot use of its column: both margins and the borders, with some slack.
const CELL_MARGINS: usize = 2 * CELL_MARGIN + 40;

/// The document as far as the head goes: page layout, fonts, dates and the page-number footer.
fn package(writer: &mut Writer, date: Option<&str>) -> Docx {
    let docx = Docx::new()
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
    docx.footer(Footer::new().add_paragraph(page_number))
}

fn title(writer: &mut Writer, title: &str) -> Paragraph {
    writer
        .paragraph()
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().after(240))
        .add_run(
            text_run(title, FONT_TITLE, SIZE_TITLE).fonts(
                RunFonts::new()
                    .east_asia(FONT_TITLE)
                    .ascii(FONT_LATIN)
                    .hi_ansi(FONT_LATIN)
                    .hint("eastAsia"),
            ),
        )
}

/// The review opinion written a project at a time: each project's section and its row of the
/// summary table are made into XML as it comes and spilled to temporary files; the archive is
/// put together at the end, when the totals are known. Paragraph ids and heading numbers run on
/// from the summary, whose size the number of files announced fixes, so the bytes are those of
/// the document built whole.
pub struct Streamed {
    lang: Lang,
    /// Files announced; the summary has a row for each when there are more than one.
    files: usize,
    /// The columns of the summary table.
    columns: u32,
    /// The summary table's text size and the widths its rows are reckoned with (for keeping a
    /// row on one page), fixed by its head: its rows are written as they come.
    summary_grid: Grid,
    /// What the summary's columns need, head and rows so far: its grid is sized by them at the
    /// end, so the verdict gets the room the file counts do not use.
    summary_needs: Vec<ColumnNeed>,
    /// The id of the first paragraph of the summary's first row.
    rows_start: u32,
    /// Writes the project sections, its ids and numbers running on from the head.
    sections: Writer,
    /// The id of the first paragraph after the summary.
    sections_start: u32,
    written: usize,
    row_xml: Spill,
}

/// Paragraphs before the summary: the footer's page number, the title, the date line.
const HEAD_PARAGRAPHS: u32 = 3;

impl Streamed {
    /// A document of `files` projects in `lang`, whose summary table has the head `summary_head`.
    pub fn new(lang: Lang, files: usize, summary_head: &[Cell]) -> std::io::Result<Self> {
        let summary_grid = column_widths(summary_head, &[], None);
        let summary_needs = column_needs(summary_head, &[], summary_grid.size);
        let columns = u32::try_from(summary_head.len()).map_err(std::io::Error::other)?;
        let rows = u32::try_from(files).map_err(std::io::Error::other)?;
        let mut sections = Writer::new(lang);
        sections.spill = Some(Spill::new()?);
        sections.next_id += HEAD_PARAGRAPHS;
        // The summary's heading, its head row, a row per file and the totals line.
        let rows_start = sections.next_id + 1 + columns;
        if files > 1 {
            sections.number(2);
            sections.next_id = columns
                .checked_mul(rows)
                .and_then(|ids| ids.checked_add(rows_start + 1))
                .ok_or_else(|| std::io::Error::other("too many files for one Word document"))?;
        }
        let sections_start = sections.next_id;
        Ok(Streamed {
            lang,
            files,
            columns,
            summary_grid,
            summary_needs,
            rows_start,
            sections,
            sections_start,
            written: 0,
            row_xml: Spill::new()?,
        })
    }

    /// Takes in one project: its row of the summary and its section.
    pub fn file(&mut self, row: &[Cell], section: &Block) -> std::io::Result<()> {
        if self.files > 1 {
            let index = u32::try_from(self.written).map_err(std::io::Error::other)?;
            let mut writer = Writer::new(self.lang);
            writer.next_id = self.rows_start + self.columns * index;
            let written = writer.row(row, false, &self.summary_grid);
            self.row_xml.text(&written.build())?;
            let size = self.summary_grid.size;
            for (need, cell) in self.summary_needs.iter_mut().zip(row) {
                need.widen(cell, false, size);
            }
        }
        self.sections.block(section);
        if let Some(error) = self.sections.spill_error.take() {
            return Err(error);
        }
        self.written += 1;
        Ok(())
    }

    /// Takes in a block that comes before the projects' sections (notes about the submission
    /// as a whole); called before the first file.
    pub fn block(&mut self, block: &Block) -> std::io::Result<()> {
        self.sections.block(block);
        match self.sections.spill_error.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Writes the archive: `head` (the date line), then the summary (`summary`: its heading,
    /// its head row, the totals line) when there are several files, then the sections.
    pub fn finish(
        mut self,
        title_text: &str,
        date: Option<&str>,
        head: &[Block],
        summary: Option<(&Block, &Table, &Block)>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        if self.written != self.files {
            return Err(std::io::Error::other(format!(
                "{} files were announced for the Word document, {} came",
                self.files, self.written
            )));
        }
        let mut writer = Writer::new(self.lang);
        let mut docx = package(&mut writer, date);
        docx = docx.add_paragraph(title(&mut writer, title_text));
        for block in head {
            writer.block(block);
        }
        // The summary table's rows go before its end tag.
        let mut head_table = None;
        if let (Some((heading, table, totals)), true) = (summary, self.files > 1) {
            writer.block(heading);
            writer.summary_table(table, &self.summary_grid, &self.summary_needs);
            head_table = writer.out.last().map(BuildXML::build);
            writer.next_id += self.columns * u32::try_from(self.files).unwrap_or(0);
            writer.block(totals);
        }
        if writer.next_id != self.sections_start {
            return Err(std::io::Error::other(
                "the Word document's paragraph ids do not follow on",
            ));
        }
        // Where the sections go: a paragraph that no project gives (ids are hexadecimal).
        let marker = Paragraph::new().id("SECTIONS");
        let marker_xml = marker.build();
        writer.out.push(DocumentChild::Paragraph(Box::new(marker)));
        for child in writer.out.drain(..) {
            docx = match child {
                DocumentChild::Paragraph(paragraph) => docx.add_paragraph(*paragraph),
                DocumentChild::Table(table) => docx.add_table(*table),
                _ => docx,
            };
        }
        let mut parts = docx.build();
        parts.font_table = font_table().into_bytes();
        parts.styles = with_east_asian_language(&parts.styles, self.lang);
        let document = &parts.document;
        let missing = || std::io::Error::other("the Word document lost its place for the sections");
        let at_sections = find(document, &marker_xml, 0).ok_or_else(missing)?;
        let (before_rows, after_rows) = match &head_table {
            Some(table) => {
                let at = find(document, table, 0).ok_or_else(missing)?;
                let end = (at + table.len())
                    .checked_sub(b"</w:tbl>".len())
                    .filter(|&end| document.get(end..at + table.len()) == Some(b"</w:tbl>"))
                    .ok_or_else(missing)?;
                (end, end)
            }
            None => (at_sections, at_sections),
        };
        let after_sections = at_sections + marker_xml.len();
        let pieces = DocumentPieces {
            before_rows: document.get(..before_rows).unwrap_or_default(),
            between: document.get(after_rows..at_sections).unwrap_or_default(),
            after_sections: document.get(after_sections..).unwrap_or_default(),
        };
        let section_xml = self
            .sections
            .spill
            .take()
            .ok_or_else(|| std::io::Error::other("the Word document lost its sections"))?;
        let mut archive = tempfile::tempfile()?;
        pack(&parts, &pieces, self.row_xml, section_xml, &mut archive)
            .map_err(std::io::Error::other)?;
        archive.rewind()?;
        std::io::copy(&mut archive, out)?;
        Ok(())
    }
}

/// `document.xml` around what is spilled: the summary rows go after `before_rows`, the sections
/// after `between`.
struct DocumentPieces<'a> {
    before_rows: &'a [u8],
    between: &'a [u8],
    after_sections: &'a [u8],
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

/// Writes the archive as `docx-rs` does (`XMLDocx::pack`): the same entries, in the same order,
/// with `document.xml` put together from its pieces and the spills, but deflated where docx-rs
/// stores them: the text of a submission is then not in the file's bytes as it was written, so
/// a `.docx` printed to a CI log (`--format docx` without `-o`) cannot carry a workflow command
/// (`##vso[…]`, `::error …`) that a line of it would otherwise hold raw. (It is smaller too.)
fn pack(
    parts: &docx_rs::XMLDocx,
    document: &DocumentPieces<'_>,
    rows: Spill,
    sections: Spill,
    archive: &mut std::fs::File,
) -> zip_docx::result::ZipResult<()> {
    use std::io::Write as _;
    use zip_docx::write::SimpleFileOptions;
    let mut zip = zip_docx::ZipWriter::new(archive);
    let directory_options = SimpleFileOptions::default();
    zip.add_directory("word/", directory_options)?;
    zip.add_directory("word/_rels", directory_options)?;
    zip.add_directory("_rels/", directory_options)?;
    zip.add_directory("docProps/", directory_options)?;
    let options = SimpleFileOptions::default()
        .compression_method(zip_docx::CompressionMethod::Deflated)
        .unix_permissions(0o755);
    for (name, bytes) in [
        ("[Content_Types].xml", &parts.content_type),
        ("_rels/.rels", &parts.rels),
        ("docProps/app.xml", &parts.doc_props.app),
        ("docProps/core.xml", &parts.doc_props.core),
        ("docProps/custom.xml", &parts.doc_props.custom),
        ("word/_rels/document.xml.rels", &parts.document_rels),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    zip.start_file("word/document.xml", options)?;
    zip.write_all(document.before_rows)?;
    rows.copy_text_into(&mut zip)?;
    zip.write_all(document.between)?;
    sections.copy_text_into(&mut zip)?;
    zip.write_all(document.after_sections)?;
    for (name, bytes) in [
        ("word/styles.xml", &parts.styles),
        ("word/settings.xml", &parts.settings),
        ("word/fontTable.xml", &parts.font_table),
        ("word/comments.xml", &parts.comments),
        ("word/numbering.xml", &parts.numberings),
        ("word/commentsExtended.xml", &parts.comments_extended),
        ("word/footnotes.xml", &parts.footnotes),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    for (index, header) in parts.headers.iter().enumerate() {
        zip.start_file(format!("word/header{}.xml", index + 1), options)?;
        zip.write_all(header)?;
        if let Some(rels) = parts.header_rels.get(index) {
            zip.start_file(format!("word/_rels/header{}.xml.rels", index + 1), options)?;
            zip.write_all(rels)?;
        }
    }
    for (index, footer) in parts.footers.iter().enumerate() {
        zip.start_file(format!("word/footer{}.xml", index + 1), options)?;
        zip.write_all(footer)?;
        if let Some(rels) = parts.footer_rels.get(index) {
            zip.start_file(format!("word/_rels/footer{}.xml.rels", index + 1), options)?;
            zip.write_all(rels)?;
        }
    }
    // The report has no images, task panes or custom XML, which docx-rs would write after these.
    zip.finish()?;
    Ok(())
}

struct Writer {
    lang: Lang,
    /// What the blocks became, in order.
    out: Vec<DocumentChild>,
    /// The id of the next paragraph: counted here so that the same document gets the same ids.
    next_id: u32,
    /// The numbers of the current headings of levels 2, 3 and 4.
    numbers: [usize; 3],
    /// Project sections written so far (each after the first starts a page).
    sections: usize,
    /// Where each paragraph and table row goes as soon as it is made, when set (the project
    /// sections of a streamed document): a project's section is then never held whole as
    /// `docx-rs` values, which take some 14 times its XML (a 2 MB project file with long lists
    /// made 21 MB of XML and took 290 MB).
    spill: Option<Spill>,
    /// The first error writing to `spill`, handed on by [`Streamed::file`].
    spill_error: Option<std::io::Error>,
}

/// A table being written: spilled (its start is out, its rows follow as they are made) or held
/// in [`Writer::out`] once it is whole.
enum OpenTable {
    Spilled,
    Held(Box<WordTable>),
}

/// The fonts the document names, for `word/fontTable.xml`: each with the other name Windows
/// knows it by (`altName`), its PANOSE number, character set (86: GB 2312) and family (`roman`
/// for the serif faces 仿宋, 楷体 and the title's, `swiss` for 黑体 and 等线), from which Word
/// and WPS choose a like face where the font is missing, instead of one at random. docx-rs
/// writes a table of its own three fonts only.
/// A face in the font table.
struct FontFace {
    name: &'static str,
    /// The name Windows also knows it by; empty when it has one name.
    alt: &'static str,
    panose: Option<&'static str>,
    charset: &'static str,
    family: &'static str,
    pitch: &'static str,
}

const FONT_FACES: &[FontFace] = &[
    FontFace {
        name: FONT_BODY,
        alt: "FangSong",
        panose: Some("02010609060101010101"),
        charset: "86",
        family: "roman",
        pitch: "fixed",
    },
    FontFace {
        name: FONT_HEADING,
        alt: "SimHei",
        panose: Some("02010609060101010101"),
        charset: "86",
        family: "swiss",
        pitch: "fixed",
    },
    FontFace {
        name: FONT_SUBHEADING,
        alt: "KaiTi",
        panose: Some("02010609060101010101"),
        charset: "86",
        family: "roman",
        pitch: "fixed",
    },
    FontFace {
        name: FONT_TITLE,
        alt: "FZXiaoBiaoSong-B05S",
        panose: None,
        charset: "86",
        family: "roman",
        pitch: "variable",
    },
    FontFace {
        name: FONT_CODE_EAST_ASIA,
        alt: "DengXian",
        panose: Some("02010600030101010101"),
        charset: "86",
        family: "swiss",
        pitch: "variable",
    },
    FontFace {
        name: FONT_LATIN,
        alt: "",
        panose: Some("02020603050405020304"),
        charset: "00",
        family: "roman",
        pitch: "variable",
    },
    FontFace {
        name: FONT_CODE,
        alt: "",
        panose: Some("020B0609020204030204"),
        charset: "00",
        family: "modern",
        pitch: "fixed",
    },
];

fn font_table() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    for FontFace {
        name,
        alt,
        panose,
        charset,
        family,
        pitch,
    } in FONT_FACES
    {
        xml.push_str(&format!("<w:font w:name=\"{name}\">"));
        if !alt.is_empty() {
            xml.push_str(&format!("<w:altName w:val=\"{alt}\"/>"));
        }
        if let Some(panose) = panose {
            xml.push_str(&format!("<w:panose1 w:val=\"{panose}\"/>"));
        }
        xml.push_str(&format!(
            "<w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        ));
    }
    xml.push_str("</w:fonts>");
    xml
}

/// The styles with the document's languages in the default run properties: Chinese (zh-CN) for
/// East Asian text, so that where 仿宋 or 黑体 is missing the face put in its place is a
/// Simplified Chinese one (fontconfig otherwise picks the Japanese cut of Noto CJK), and the
/// report's language for Latin text (proofing). docx-rs has no `w:lang`.
fn with_east_asian_language(styles: &[u8], lang: Lang) -> Vec<u8> {
    let latin = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en-GB",
    };
    let text = String::from_utf8_lossy(styles);
    text.replacen(
        "</w:rPr></w:rPrDefault>",
        &format!("<w:lang w:val=\"{latin}\" w:eastAsia=\"zh-CN\" /></w:rPr></w:rPrDefault>"),
        1,
    )
    .into_bytes()
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(FONT_LATIN)
        .hi_ansi(FONT_LATIN)
}

fn code_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(FONT_CODE_EAST_ASIA)
        .ascii(FONT_CODE)
        .hi_ansi(FONT_CODE)
}

/// A run of text; its line feeds become line breaks (Word ignores a line feed in a text element,
/// so an advice and the edit to the file below it would run together).
fn text_run(text: &str, font: &str, size: usize) -> Run {
    run_of(
        crate::report::escape::document_text(text),
        fonts(font),
        size,
    )
}

/// A run of code (a YAML name the text quotes), whole, in the code face.
fn code_run(code: &str, size: usize) -> Run {
    run_of(
        crate::report::escape::document_text(code),
        code_fonts(),
        size,
    )
}

/// `text` cut into plain pieces and code spans (`true`), as
/// [`crate::report::escape::html_code`] cuts it ([`crate::report::escape::pieces`]): the fences
/// are dropped; a backtick without a partner stays as it is.
fn code_spans(text: &str) -> Vec<(bool, String)> {
    crate::report::escape::pieces(text)
        .into_iter()
        .map(|piece| match piece {
            crate::report::escape::Piece::Text(text) => (false, text.to_owned()),
            crate::report::escape::Piece::Code(code) => (true, code.to_owned()),
        })
        .collect()
}

/// `text` added to `paragraph` as runs: its code spans in the code face, without their
/// backticks, the rest in `font`. In a narrow table column (`cell`), identifiers
/// (`childcare_centre`, `surroundings.school_gates[1].continuous_sidewalk`) may break after `.`,
/// `_`, `-`, `/` and `[` before a letter, and nowhere else, rather than wherever the column ends.
fn add_text(
    paragraph: Paragraph,
    text: &str,
    font: &str,
    size: usize,
    bold: bool,
    cell: bool,
) -> Paragraph {
    add_pieces(paragraph, code_spans(text), font, size, bold, cell)
}

/// `text` added to `paragraph` as [`add_text`] adds it, but as the characters it is: a
/// submitter's backticks are shown, not read as code spans ([`Inline::Plain`]).
fn add_plain(
    paragraph: Paragraph,
    text: &str,
    font: &str,
    size: usize,
    bold: bool,
    cell: bool,
) -> Paragraph {
    add_pieces(
        paragraph,
        vec![(false, text.to_owned())],
        font,
        size,
        bold,
        cell,
    )
}

/// Pieces of text (`true`: code) added to `paragraph` as runs.
fn add_pieces(
    mut paragraph: Paragraph,
    pieces: Vec<(bool, String)>,
    font: &str,
    size: usize,
    bold: bool,
    cell: bool,
) -> Paragraph {
    for (code, piece) in pieces {
        let mut shown = crate::report::escape::document_text(&piece);
        if cell {
            shown = break_points(&shown);
        }
        let run = run_of(shown, if code { code_fonts() } else { fonts(font) }, size);
        paragraph = paragraph.add_run(if bold { run.bold() } else { run });
    }
    paragraph
}

/// `shown` (already escaped, so the zero-width characters added are the only ones) with a break
/// opportunity (U+200B) after each separator inside an identifier, and a word joiner (U+2060)
/// inside a date.
fn break_points(shown: &str) -> String {
    let mut out = String::with_capacity(shown.len());
    let mut previous: Option<char> = None;
    let mut chars = shown.chars().peekable();
    while let Some(c) = chars.next() {
        let in_date = c == '-'
            && previous.is_some_and(|p| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit);
        if c == '(' && previous.is_some_and(|p| p.is_ascii_alphanumeric()) {
            // `2026-04-15(决策日期 …)`: the line may break before the parenthesis, which would
            // otherwise hold the date and the words after it together.
            out.push('\u{200b}');
        }
        if in_date {
            // A date (2026-04-15) stays on one line: joined on both sides of each hyphen, since
            // a line breaker may read `-04` as a negative number and break before it.
            out.push('\u{2060}');
        }
        if c == ' ' && chars.peek() == Some(&'§') {
            // A document and its clause (`jilin-2022 §2`) stay on one line.
            out.push('\u{a0}');
            previous = Some(c);
            continue;
        }
        out.push(c);
        let separator = matches!(c, '.' | '_' | '-' | '/' | '[');
        let inside = previous.is_some_and(|p| p.is_ascii_alphanumeric() || p == ']')
            && chars.peek().is_some_and(char::is_ascii_alphabetic);
        let before_latin = chars.peek().is_some_and(char::is_ascii_alphanumeric);
        let numbered = ('\u{2460}'..='\u{2473}').contains(&c) && before_latin;
        let punctuation = matches!(c, ',' | ';' | ':') && before_latin;
        if (separator && inside) || numbered || punctuation {
            // After a separator in an identifier; after ① before a stated date or number, and
            // after Chinese punctuation before a YAML name, which otherwise hold together and
            // break wherever the column ends.
            out.push('\u{200b}');
        } else if in_date {
            out.push('\u{2060}');
        }
        previous = Some(c);
    }
    out
}

fn run_of(shown: String, fonts: RunFonts, size: usize) -> Run {
    let mut run = Run::new().fonts(fonts).size(size);
    for (index, line) in shown.split('\n').enumerate() {
        if index > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

impl Writer {
    fn new(lang: Lang) -> Self {
        Writer {
            lang,
            out: Vec::new(),
            next_id: 1,
            numbers: [0; 3],
            sections: 0,
            spill: None,
            spill_error: None,
        }
    }

    /// Writes `xml` to the spill, keeping the first error.
    fn spill_xml(&mut self, xml: &[u8]) {
        if let Some(spill) = &mut self.spill
            && let Err(error) = spill.text(xml)
        {
            self.spill_error.get_or_insert(error);
        }
    }

    fn add_paragraph(&mut self, paragraph: Paragraph) {
        if self.spill.is_some() {
            self.spill_xml(&paragraph.build());
        } else {
            self.out.push(DocumentChild::Paragraph(Box::new(paragraph)));
        }
    }

    fn add_table(&mut self, table: WordTable) {
        if self.spill.is_some() {
            self.spill_xml(&table.build());
        } else {
            self.out.push(DocumentChild::Table(Box::new(table)));
        }
    }

    /// Starts a table whose rows are added by [`Writer::add_row`]: `shell` has its properties
    /// and grid, no rows. Spilled, its XML up to its end tag goes out now, as `docx-rs` writes
    /// it (properties, grid, rows, end), so the bytes are those of the table built whole.
    fn start_table(&mut self, shell: WordTable) -> OpenTable {
        if self.spill.is_none() {
            return OpenTable::Held(Box::new(shell));
        }
        let xml = shell.build();
        match xml.strip_suffix(b"</w:tbl>") {
            Some(start) => self.spill_xml(start),
            None => {
                self.spill_error.get_or_insert(std::io::Error::other(
                    "a Word table does not end with its end tag",
                ));
            }
        }
        OpenTable::Spilled
    }

    /// Writes `xml` to the spill in one piece with what was spilled before it
    /// ([`Spill::joined`]).
    fn spill_joined(&mut self, xml: &[u8]) {
        if let Some(spill) = &mut self.spill
            && let Err(error) = spill.joined(xml)
        {
            self.spill_error.get_or_insert(error);
        }
    }

    fn add_row(&mut self, table: &mut OpenTable, row: TableRow) {
        match table {
            OpenTable::Spilled => self.spill_joined(&row.build()),
            OpenTable::Held(shell) => shell.rows.push(TableChild::TableRow(row)),
        }
    }

    fn end_table(&mut self, table: OpenTable) {
        match table {
            OpenTable::Spilled => self.spill_joined(b"</w:tbl>"),
            OpenTable::Held(whole) => self.add_table(*whole),
        }
    }

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

    fn block(&mut self, block: &Block) {
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
                self.add_paragraph(paragraph);
            }
            Block::Paragraph { note, content } => {
                let size = if *note { SIZE_SMALL } else { SIZE_BODY };
                let paragraph = inlines(self.body(), content, size, false);
                self.add_paragraph(paragraph);
            }
            Block::Facts(facts) => {
                let mut open = self.start_table(table(Vec::new(), &[2400, TEXT_WIDTH - 2400]));
                for (label, value) in facts {
                    let cells = vec![
                        self.cell_text(label, true, None),
                        self.cell_text(value, false, None),
                    ];
                    self.add_row(&mut open, TableRow::new(cells).cant_split());
                }
                self.end_table(open);
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
                self.add_paragraph(paragraph);
            }
            Block::Table(table) => self.table(table),
            Block::List { items, .. } => {
                for item in items {
                    let paragraph = self.body().add_run(text_run("— ", FONT_BODY, SIZE_BODY));
                    let paragraph = inlines(paragraph, item, SIZE_BODY, false);
                    self.add_paragraph(paragraph);
                }
            }
            // The counts it draws are in the table of outcomes by domain that follows it.
            Block::Chart(_) => {}
            Block::Notes(notes) => {
                for note in notes {
                    self.note(note);
                }
            }
            Block::Section { blocks, .. } => {
                if self.sections > 0 {
                    let page_break = self
                        .paragraph()
                        .add_run(Run::new().add_break(BreakType::Page));
                    self.add_paragraph(page_break);
                }
                self.sections += 1;
                for block in blocks {
                    self.block(block);
                }
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
                self.add_table(
                    WordTable::new(rows)
                        .set_grid(vec![2400, TEXT_WIDTH - 2400])
                        .layout(TableLayoutType::Fixed)
                        .width(TEXT_WIDTH, WidthType::Dxa)
                        .margins(cell_margins()),
                );
            }
        }
    }

    fn note(&mut self, note: &Note) {
        let colon = super::colon(self.lang);
        let mut head = self
            .body()
            .keep_next(true)
            .add_run(text_run(
                &format!("[{}] ", note.tag),
                FONT_HEADING,
                SIZE_BODY,
            ))
            .add_run(text_run(&note.code, FONT_BODY, SIZE_BODY).bold());
        head = add_text(
            head,
            &format!(" {}", note.text),
            FONT_BODY,
            SIZE_BODY,
            false,
            false,
        );
        if let Some(place) = &note.place {
            // English sets a parenthesis off from the word before it; Chinese does not.
            let place = match self.lang {
                Lang::Zh => format!("({place})"),
                Lang::En => format!(" ({place})"),
            };
            head = head.add_run(text_run(&place, FONT_BODY, SIZE_SMALL));
        }
        self.add_paragraph(head);
        for detail in &note.details {
            let paragraph = match detail {
                Detail::Line { label, text, note } => {
                    let size = if *note { SIZE_SMALL } else { SIZE_BODY };
                    let mut paragraph = self.body().indent(Some(420), None, None, None);
                    // A hint's advice and the edit for the consultant: one line each.
                    for (index, line) in text.split('\n').enumerate() {
                        let shown = if index == 0 {
                            format!("{label}{colon}{line}")
                        } else {
                            paragraph =
                                paragraph.add_run(Run::new().add_break(BreakType::TextWrapping));
                            line.to_owned()
                        };
                        paragraph = add_text(paragraph, &shown, FONT_BODY, size, false, false);
                    }
                    paragraph
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
            self.add_paragraph(paragraph);
        }
    }

    fn table(&mut self, table: &Table) {
        if table.class == "summary" {
            // As the streamed document does: rows reckoned with the head's grid, the table's
            // columns sized by the head and every row.
            let grid = column_widths(&table.head, &[], None);
            let needs = column_needs(&table.head, &table.rows, grid.size);
            return self.summary_table(table, &grid, &needs);
        }
        let grid = match (table.class, table.head.len()) {
            // Clause, requirement, required, stated, result, advice. The result is read at a
            // glance: wide enough for each on at most two lines (「证据不足 / (仅供参考)」, not
            // four lines of two characters), the room taken from the columns with most to spare.
            ("record", 6) => column_widths_at_least(
                &table.head,
                &table.rows,
                Some(vec![1300, 1500, 1600, 1600, 950, TEXT_WIDTH - 6950]),
                &[0, 0, 0, 0, two_line_column(&table.rows, 4), 0],
            ),
            _ => column_widths(&table.head, &table.rows, None),
        };
        let shell = WordTable::new(Vec::new())
            .set_grid(grid.widths.clone())
            .layout(TableLayoutType::Fixed)
            .width(TEXT_WIDTH, WidthType::Dxa)
            .margins(cell_margins());
        let mut open = self.start_table(shell);
        let head = self.row(&table.head, true, &grid);
        self.add_row(&mut open, head);
        for row in &table.rows {
            let row = self.row(row, false, &grid);
            self.add_row(&mut open, row);
        }
        self.end_table(open);
    }

    /// The summary table: its head and `table.rows` (none when streamed: those rows are put in
    /// after its grid), reckoned with `grid`, its columns sized by what they hold (`needs`).
    fn summary_table(&mut self, table: &Table, grid: &Grid, needs: &[ColumnNeed]) {
        let mut rows = vec![self.row(&table.head, true, grid)];
        for row in &table.rows {
            rows.push(self.row(row, false, grid));
        }
        self.add_table(
            WordTable::new(rows)
                .set_grid(widths_by_content(needs))
                .layout(TableLayoutType::Fixed)
                .width(TEXT_WIDTH, WidthType::Dxa)
                .margins(cell_margins()),
        );
    }

    /// A row of a table; a head row is shaded and bold. A row that fits on a page is kept on
    /// one (a clause's requirement on one page and its result on the next reads as two rows).
    fn row(&mut self, cells: &[Cell], head: bool, grid: &Grid) -> TableRow {
        let fits_page = row_height(cells, grid, head) <= TEXT_HEIGHT;
        let row = TableRow::new(
            cells
                .iter()
                .map(|cell| {
                    // A head row stays with the first row under it.
                    let paragraph = self.cell_paragraph().keep_next(head);
                    let paragraph = cell_inlines(paragraph, &cell.content, grid.size, head);
                    let cell = TableCell::new();
                    let cell = if head {
                        cell.shading(Shading::new().shd_type(ShdType::Clear).fill("E7E6E6"))
                    } else {
                        cell
                    };
                    cell.add_paragraph(paragraph)
                })
                .collect(),
        );
        if fits_page { row.cant_split() } else { row }
    }

    fn cell_paragraph(&mut self) -> Paragraph {
        self.paragraph()
            .fonts(fonts(FONT_BODY))
            .size(SIZE_TABLE)
            .line_spacing(LineSpacing::new().after(0))
    }

    fn cell_text(&mut self, text: &str, bold: bool, size: Option<usize>) -> TableCell {
        let size = size.unwrap_or(SIZE_SMALL);
        let paragraph = add_text(self.cell_paragraph(), text, FONT_BODY, size, bold, false);
        TableCell::new().add_paragraph(paragraph)
    }
}

fn inlines(mut paragraph: Paragraph, content: &[Inline], size: usize, bold: bool) -> Paragraph {
    let styled = |run: Run| if bold { run.bold() } else { run };
    for inline in content {
        paragraph = match inline {
            Inline::Text(text) => add_text(paragraph, text, FONT_BODY, size, bold, false),
            Inline::Plain(text) | Inline::Link { text, .. } => {
                add_plain(paragraph, text, FONT_BODY, size, bold, false)
            }
            Inline::Code(text) | Inline::CodeLink { code: text, .. } => {
                paragraph.add_run(styled(code_run(text, size)))
            }
            Inline::Tag { text, .. } => {
                paragraph.add_run(text_run(text, FONT_HEADING, size).bold())
            }
            Inline::Break => paragraph.add_run(Run::new().add_break(BreakType::TextWrapping)),
        };
    }
    paragraph
}

/// A table cell's content: as [`inlines`], with break opportunities inside identifiers (a rule
/// id, written as code, stays whole).
fn cell_inlines(
    mut paragraph: Paragraph,
    content: &[Inline],
    size: usize,
    bold: bool,
) -> Paragraph {
    for inline in content {
        paragraph = match inline {
            Inline::Text(text) => add_text(paragraph, text, FONT_BODY, size, bold, true),
            Inline::Plain(text) | Inline::Link { text, .. } => {
                add_plain(paragraph, text, FONT_BODY, size, bold, true)
            }
            other => inlines(paragraph, std::slice::from_ref(other), size, bold),
        };
    }
    paragraph
}

fn cell_margins() -> TableCellMargins {
    TableCellMargins::new().margin(0, CELL_MARGIN, 0, CELL_MARGIN)
}

fn table(rows: Vec<Vec<TableCell>>, widths: &[usize]) -> WordTable {
    WordTable::new(
        rows.into_iter()
            .map(|cells| TableRow::new(cells).cant_split())
            .collect(),
    )
    .set_grid(widths.to_vec())
    .layout(TableLayoutType::Fixed)
    .width(TEXT_WIDTH, WidthType::Dxa)
    .margins(cell_margins())
}

/// The width of a character of a table's text in twentieths of a point, by its East Asian
/// Width (Unicode's UAX #11, as the `unicode-width` crate gives it): nothing for zero-width
/// characters (break points, joiners), an em for a wide one (Chinese) and for an ambiguous one
/// (①, “, —), which the document's Chinese face sets full width; 0.6 em for a narrow one (Latin
/// letters, digits): Times New Roman averages about 0.5 em and DejaVu Serif, which LibreOffice
/// puts in its place where Times New Roman is missing, about 0.6 em; 0.7 em in bold (a table's
/// head, a result tag), as bold DejaVu Serif is.
fn char_width(c: char, size: usize, bold: bool) -> usize {
    use unicode_width::UnicodeWidthChar as _;
    let em = size * 10;
    match c.width_cjk() {
        Some(0) => 0,
        Some(2) => em,
        _ if bold => em * 7 / 10,
        _ => em * 6 / 10,
    }
}

/// Whether a cell's text is set in bold: a head's, and a result tag's.
fn bold_cell(cell: &Cell, head: bool) -> bool {
    head || cell
        .content
        .iter()
        .any(|inline| matches!(inline, Inline::Tag { .. }))
}

/// Chinese and other wide characters, between any two of which a line may break.
fn is_wide(c: char) -> bool {
    use unicode_width::UnicodeWidthChar as _;
    c.width() == Some(2)
}

/// A cell's text as it is shown: code spans without their backticks, break points added.
fn shown_cell(cell: &Cell) -> String {
    let mut shown = String::new();
    for inline in &cell.content {
        match inline {
            Inline::Text(text) => {
                for (_, piece) in code_spans(text) {
                    shown.push_str(&break_points(&crate::report::escape::document_text(&piece)));
                }
            }
            Inline::Plain(text) | Inline::Link { text, .. } => {
                shown.push_str(&break_points(&crate::report::escape::document_text(text)));
            }
            Inline::Code(text) | Inline::CodeLink { code: text, .. } | Inline::Tag { text, .. } => {
                shown.push_str(&crate::report::escape::document_text(text));
            }
            Inline::Break => shown.push('\n'),
        }
    }
    shown
}

/// The widest stretch of `shown` a line cannot break inside (a Latin word, an identifier up to
/// its next break point, a number), in twentieths of a point.
fn widest_word(shown: &str, size: usize, bold: bool) -> usize {
    let mut widest = 0;
    let mut word = 0;
    for c in shown.chars() {
        if (c.is_whitespace() && c != '\u{a0}') || c == '\u{200b}' {
            word = 0;
        } else if is_wide(c) {
            widest = widest.max(char_width(c, size, bold));
            word = 0;
        } else {
            word += char_width(c, size, bold);
            widest = widest.max(word);
        }
    }
    widest
}

/// The lines `shown` takes in a column `width` wide, reckoned word by word.
fn lines_in(shown: &str, width: usize, size: usize, bold: bool) -> usize {
    let inside = width.saturating_sub(CELL_MARGINS).max(1);
    shown
        .split('\n')
        .map(|line| {
            let mut lines = 1;
            let mut used = 0;
            let mut word = 0;
            for c in line.chars().chain([' ']) {
                let ends_word =
                    (c.is_whitespace() && c != '\u{a0}') || c == '\u{200b}' || is_wide(c);
                if !ends_word {
                    word += char_width(c, size, bold);
                    continue;
                }
                let piece = word
                    + if is_wide(c) || c == ' ' {
                        char_width(c, size, bold)
                    } else {
                        0
                    };
                if used + word > inside && used > 0 {
                    lines += 1;
                    used = 0;
                }
                // A word wider than the column is broken inside it.
                lines += (used + piece) / inside;
                used = (used + piece) % inside;
                word = 0;
            }
            lines
        })
        .sum()
}

/// A table row's height as reckoned from its tallest cell, in twentieths of a point (a line of
/// 五号 text with Chinese fonts' line gap is about 15 pt).
fn row_height(cells: &[Cell], grid: &Grid, head: bool) -> usize {
    let lines = cells
        .iter()
        .zip(&grid.widths)
        .map(|(cell, &width)| lines_in(&shown_cell(cell), width, grid.size, bold_cell(cell, head)))
        .max()
        .unwrap_or(1);
    lines * 300 + 2 * CELL_MARGINS
}

/// What a column's cells need, in twentieths of a point with the cell's margins: `word`, the
/// widest word (narrower, a word breaks inside) or the head whole; `line`, the widest cell set
/// on one line.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ColumnNeed {
    word: usize,
    line: usize,
}

impl ColumnNeed {
    fn widen(&mut self, cell: &Cell, head: bool, size: usize) {
        let shown = shown_cell(cell);
        let bold = bold_cell(cell, head);
        let line = shown
            .split('\n')
            .map(|line| {
                line.chars()
                    .map(|c| char_width(c, size, bold))
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0);
        self.word = self
            .word
            .max(widest_word(&shown, size, bold) + CELL_MARGINS);
        self.line = self.line.max(line + CELL_MARGINS);
    }
}

/// What each column of a table with `head` and `rows` needs.
fn column_needs(head: &[Cell], rows: &[Vec<Cell>], size: usize) -> Vec<ColumnNeed> {
    let mut needs = vec![ColumnNeed::default(); head.len()];
    let rows = std::iter::once((head, true)).chain(rows.iter().map(|row| (row.as_slice(), false)));
    for (row, head) in rows {
        for (need, cell) in needs.iter_mut().zip(row) {
            need.widen(cell, head, size);
            if head {
                // A head is a word or two: kept on one line, as narrow as the column may be.
                need.word = need.line;
            }
        }
    }
    needs
}

/// Column widths that fill the text width by what the columns hold (as East Asian Width
/// reckons it): a column whose cells fit on one line gets that, the room left going to each
/// column by its need; when they do not all fit, each keeps its widest word whole and shares
/// the rest by how much more than that its longest cell needs, so a count stays narrow and a
/// verdict with its note gets the room. Words too wide for the page share it by their width.
fn widths_by_content(needs: &[ColumnNeed]) -> Vec<usize> {
    let total = TEXT_WIDTH;
    let words: usize = needs.iter().map(|need| need.word).sum();
    let lines: usize = needs.iter().map(|need| need.line.max(need.word)).sum();
    let mut widths: Vec<usize> = if lines <= total {
        needs
            .iter()
            .map(|need| {
                let line = need.line.max(need.word);
                line + (total - lines) * line / lines.max(1)
            })
            .collect()
    } else if words <= total {
        let above = lines - words;
        needs
            .iter()
            .map(|need| {
                need.word + (need.line.max(need.word) - need.word) * (total - words) / above.max(1)
            })
            .collect()
    } else {
        needs
            .iter()
            .map(|need| need.word * total / words.max(1))
            .collect()
    };
    // What the rounding down left goes to the widest column.
    let sum: usize = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        *widest += total.saturating_sub(sum);
    }
    widths
}

/// A table's columns and the size of its text.
struct Grid {
    widths: Vec<usize>,
    size: usize,
}

/// The widths of a table's columns, which fill the text width: `base` (else equal widths), with
/// each column widened to its widest word (its head's and `rows`'), the width taken from columns
/// with room to spare, so that no word breaks inside ("insufficien t evidence"). When the words
/// alone are wider than the page in 五号, the table is set in 小五; wider still, each column gets
/// its share of the page by its widest word.
fn column_widths(head: &[Cell], rows: &[Vec<Cell>], base: Option<Vec<usize>>) -> Grid {
    column_widths_at_least(head, rows, base, &[])
}

/// The widest a column is made so that its cells take at most two lines: a fifth of the page.
/// A cell that needs more (an English result such as "insufficient evidence (advisory)") keeps
/// its words whole and takes a third line.
const TWO_LINE_MOST: usize = TEXT_WIDTH / 5;

/// The width, with the cell's margins, in which every cell of column `at` of `rows` that can
/// be set on two lines in at most [`TWO_LINE_MOST`] is; 0 when none can.
fn two_line_column(rows: &[Vec<Cell>], at: usize) -> usize {
    rows.iter()
        .filter_map(|row| row.get(at))
        .map(|cell| {
            let bold = bold_cell(cell, false);
            shown_cell(cell)
                .split('\n')
                .map(|line| two_line_width(line, SIZE_TABLE, bold) + CELL_MARGINS)
                .max()
                .unwrap_or(0)
        })
        .filter(|&width| width <= TWO_LINE_MOST)
        .max()
        .unwrap_or(0)
}

/// The narrowest text width in which `line` takes at most two lines, broken where a line may
/// break: after a space, or beside a Chinese character, but never after an opening bracket or
/// before a closing bracket or a punctuation mark (a line does not start with 「)」 or 「,」).
fn two_line_width(line: &str, size: usize, bold: bool) -> usize {
    const OPENING: &[char] = &['(', '(', '「', '『', '《', '〈', '【', '“', '‘', '['];
    const CLOSING: &[char] = &[
        ')', ')', '」', '』', '》', '〉', '】', '”', '’', ']', '、', ',', '。', ':', ';', '!', '?',
        ',', '.', ':', ';', '!', '?',
    ];
    let chars: Vec<char> = line.chars().collect();
    let width = |piece: &[char]| -> usize {
        let trimmed = |c: &char| c.is_whitespace() || *c == '\u{200b}';
        let start = piece
            .iter()
            .position(|c| !trimmed(c))
            .unwrap_or(piece.len());
        let end = piece
            .iter()
            .rposition(|c| !trimmed(c))
            .map_or(start, |at| at + 1);
        piece
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|&c| {
                // A Latin bracket is about a third of an em in Times New Roman, bold or not.
                if matches!(c, '(' | ')' | '[' | ']') {
                    size * 4
                } else {
                    char_width(c, size, bold)
                }
            })
            .sum()
    };
    let mut narrowest = width(&chars);
    for at in 1..chars.len() {
        let (Some(&before), Some(&after)) = (chars.get(at - 1), chars.get(at)) else {
            continue;
        };
        let may_break =
            (before.is_whitespace() || before == '\u{200b}' || is_wide(before) || is_wide(after))
                && !OPENING.contains(&before)
                && !CLOSING.contains(&after);
        if may_break {
            let (first, second) = chars.split_at(at);
            narrowest = narrowest.min(width(first).max(width(second)));
        }
    }
    narrowest
}

/// [`column_widths`], with each column at least as wide as `floor` says (none when `floor` is
/// shorter), the width taken from the others as a word's is.
fn column_widths_at_least(
    head: &[Cell],
    rows: &[Vec<Cell>],
    base: Option<Vec<usize>>,
    floor: &[usize],
) -> Grid {
    let columns = head.len().max(1);
    let base = base
        .filter(|base| base.len() == columns)
        .unwrap_or_else(|| vec![TEXT_WIDTH / columns; columns]);
    let total: usize = base.iter().sum();
    let least_at = |size: usize| {
        let mut least = vec![0; columns];
        let rows =
            std::iter::once((head, true)).chain(rows.iter().map(|row| (row.as_slice(), false)));
        for (row, is_head) in rows {
            for (slot, cell) in least.iter_mut().zip(row) {
                let bold = bold_cell(cell, is_head);
                *slot = (*slot).max(widest_word(&shown_cell(cell), size, bold) + CELL_MARGINS);
            }
        }
        for (slot, &floor) in least.iter_mut().zip(floor) {
            *slot = (*slot).max(floor);
        }
        least
    };
    let mut size = SIZE_TABLE;
    let mut least = least_at(size);
    if least.iter().sum::<usize>() >= total {
        size = SIZE_TABLE_SMALL;
        least = least_at(size);
    }
    let needed: usize = least.iter().sum();
    if needed >= total {
        // The head's words stay whole; what is left of the page goes to each column by how
        // much wider its widest word is than its head's.
        let floor: Vec<usize> = head
            .iter()
            .map(|cell| widest_word(&shown_cell(cell), size, true) + CELL_MARGINS)
            .chain(std::iter::repeat(0))
            .take(columns)
            .collect();
        let floors: usize = floor.iter().sum();
        if floors >= total {
            let widths = floor
                .iter()
                .map(|width| width * total / floors.max(1))
                .collect();
            return Grid { widths, size };
        }
        let above: usize = least.iter().sum::<usize>() - floors;
        let widths = floor
            .iter()
            .zip(&least)
            .map(|(&floor, &least)| floor + (least - floor) * (total - floors) / above.max(1))
            .collect();
        return Grid { widths, size };
    }
    let short: usize = base
        .iter()
        .zip(&least)
        .map(|(width, least)| least.saturating_sub(*width))
        .sum();
    let spare: usize = base
        .iter()
        .zip(&least)
        .map(|(width, least)| width.saturating_sub(*least))
        .sum();
    let mut widths: Vec<usize> = base
        .iter()
        .zip(&least)
        .map(|(&width, &least)| {
            if width <= least {
                least
            } else {
                // Each gives up its share of what the others lack, rounded up.
                width - ((width - least) * short).div_ceil(spare.max(1))
            }
        })
        .collect();
    // The rounding up leaves a few twips unused: the column with the most to spare takes them.
    let sum: usize = widths.iter().sum();
    if let Some(roomiest) = (0..columns).max_by_key(|&column| {
        widths
            .get(column)
            .copied()
            .unwrap_or(0)
            .saturating_sub(least.get(column).copied().unwrap_or(0))
    }) && let Some(width) = widths.get_mut(roomiest)
    {
        *width += total.saturating_sub(sum);
    }
    Grid { widths, size }
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

#[cfg(test)]
mod tests {
    use super::{CELL_MARGINS, Streamed, TEXT_WIDTH, Writer, package, title};
    use crate::base::i18n::Lang;
    use crate::report::document::{Block, Cell, Detail, Inline, Note, Table};

    fn text(text: &str) -> Vec<Inline> {
        vec![Inline::Text(text.to_owned())]
    }

    fn cell(content: &str) -> Cell {
        Cell {
            class: None,
            content: text(content),
        }
    }

    fn section(index: usize) -> Block {
        Block::Section {
            id: format!("project-{index}"),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: format!("项目 {index}"),
                },
                Block::Facts(vec![("文件", format!("p{index}.yaml"))]),
                Block::Heading {
                    level: 3,
                    text: "发现的问题".to_owned(),
                },
                Block::Notes(vec![Note {
                    anchor: None,
                    class: "error",
                    tag: "错误".to_owned(),
                    code: "JL-005a".to_owned(),
                    text: "托位不足 <&>".to_owned(),
                    place: Some(format!("p{index}.yaml:20")),
                    details: vec![Detail::Quote {
                        label: "依据",
                        quote: "同步交付".to_owned(),
                        source: "jilin-2022 §5".to_owned(),
                    }],
                }]),
                Block::Table(Table {
                    class: "record",
                    head: (0..6).map(|i| cell(&format!("h{i}"))).collect(),
                    rows: vec![(0..6).map(|i| cell(&format!("r{index}-{i}"))).collect()],
                }),
                Block::List {
                    class: None,
                    items: vec![text("一项"), vec![Inline::Code("a.b".to_owned())]],
                },
                Block::Blanks(vec!["审查人", "日期"]),
            ],
        }
    }

    fn row(index: usize) -> Vec<Cell> {
        (0..6).map(|i| cell(&format!("s{index}-{i}"))).collect()
    }

    /// The document as docx-rs builds it whole: every block added, then packed.
    fn whole(head: &[Block], summary: Option<(&Block, &Table, &Block)>, files: usize) -> Vec<u8> {
        let mut writer = Writer::new(Lang::Zh);
        let mut docx = package(&mut writer, Some("2026-11-23"));
        docx = docx.add_paragraph(title(&mut writer, "审查报告"));
        for block in head {
            writer.block(block);
        }
        if let Some((heading, table, totals)) = summary {
            writer.block(heading);
            writer.block(&Block::Table(Table {
                class: table.class,
                head: (0..6).map(|i| cell(&format!("t{i}"))).collect(),
                rows: (0..files).map(row).collect(),
            }));
            writer.block(totals);
        }
        for index in 0..files {
            writer.block(&section(index));
        }
        for child in writer.out.drain(..) {
            docx = match child {
                docx_rs::DocumentChild::Paragraph(paragraph) => docx.add_paragraph(*paragraph),
                docx_rs::DocumentChild::Table(table) => docx.add_table(*table),
                _ => docx,
            };
        }
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut parts = docx.build();
        parts.font_table = super::font_table().into_bytes();
        parts.styles = super::with_east_asian_language(&parts.styles, Lang::Zh);
        parts.pack(&mut bytes).expect("packed");
        bytes.into_inner()
    }

    /// The names and contents of an archive's entries, in order (docx-rs stores them, yimi
    /// deflates them).
    fn entries(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
        use std::io::Read as _;
        let mut archive =
            zip_docx::ZipArchive::new(std::io::Cursor::new(archive)).expect("an archive");
        (0..archive.len())
            .map(|index| {
                let mut entry = archive.by_index(index).expect("an entry");
                let mut content = Vec::new();
                entry.read_to_end(&mut content).expect("read");
                (entry.name().to_owned(), content)
            })
            .collect()
    }

    #[test]
    fn a_document_written_a_project_at_a_time_is_the_document_built_whole() {
        for files in [0, 1, 2, 5] {
            let head = [Block::Paragraph {
                note: true,
                content: text("生成工具 yimi"),
            }];
            let heading = Block::Heading {
                level: 2,
                text: "汇总".to_owned(),
            };
            let table = Table {
                class: "summary",
                head: (0..6).map(|i| cell(&format!("t{i}"))).collect(),
                rows: Vec::new(),
            };
            let totals = Block::Paragraph {
                note: false,
                content: text("文件 5"),
            };
            let summary = (files > 1).then_some((&heading, &table, &totals));
            let mut streamed = Streamed::new(Lang::Zh, files, &table.head).expect("spills");
            for index in 0..files {
                streamed
                    .file(&row(index), &section(index))
                    .expect("spilled");
            }
            let mut bytes = Vec::new();
            streamed
                .finish("审查报告", Some("2026-11-23"), &head, summary, &mut bytes)
                .expect("written");
            assert!(
                entries(&bytes) == entries(&whole(&head, summary, files)),
                "{files} files: the streamed document differs"
            );
        }
    }

    #[test]
    fn a_document_and_its_clause_stay_on_one_line() {
        assert_eq!(
            super::break_points("jilin-2022 §2 细化:shanghai-2023 §59"),
            "jilin-2022\u{a0}§2 细化:\u{200b}shanghai-2023\u{a0}§59"
        );
        let em = super::SIZE_TABLE * 10;
        assert_eq!(
            super::widest_word("jilin-2022\u{a0}§2", super::SIZE_TABLE, false),
            // Twelve narrow characters and §, which is ambiguous and counted wide.
            12 * (em * 6 / 10) + em
        );
    }

    #[test]
    fn identifiers_in_a_table_cell_break_only_after_their_separators() {
        assert_eq!(
            super::break_points("kind: childcare_centre,见 a.b[1].c_d,e"),
            "kind: childcare_\u{200b}centre,见 a.\u{200b}b[1].\u{200b}c_\u{200b}d,\u{200b}e"
        );
        // Numbers and rule ids stay whole, a date is joined and may part from a parenthesis
        // after it; a zero-width character in the input was escaped before, so the ones here
        // are the only ones.
        assert_eq!(
            super::break_points("2026-04-15(决策 JL-005a 4.5 54 个(4.5 ②2026"),
            "2026\u{2060}-\u{2060}04\u{2060}-\u{2060}15\u{200b}(决策 JL-005a 4.5 54 个(4.5 ②\u{200b}2026"
        );
    }

    /// The XML of what `writer` wrote.
    fn written(writer: &mut Writer) -> String {
        use docx_rs::BuildXML as _;
        writer
            .out
            .drain(..)
            .map(|child| String::from_utf8_lossy(&child.build()).into_owned())
            .collect()
    }

    #[test]
    fn a_name_between_backticks_is_a_code_run_without_them() {
        let mut writer = Writer::new(Lang::Zh);
        writer.block(&Block::Notes(vec![Note {
            anchor: None,
            class: "warning",
            tag: "警告".to_owned(),
            code: "SH-001".to_owned(),
            text: "项目文件未注明 `participation` <&>".to_owned(),
            place: None,
            details: vec![Detail::Line {
                label: "修改",
                text: "填写 `a` 或 `b\nc` 止".to_owned(),
                note: false,
            }],
        }]));
        writer.block(&Block::Table(Table {
            class: "record",
            head: (0..6).map(|i| cell(&format!("h{i}"))).collect(),
            rows: vec![(0..6).map(|_| cell("见 `building.cctv_covers`")).collect()],
        }));
        let xml = written(&mut writer);
        let code = r#"w:ascii="Consolas" w:hAnsi="Consolas" w:eastAsia="等线" /></w:rPr>"#;
        assert!(
            xml.contains(&format!(
                r#"{code}<w:t xml:space="preserve">participation</w:t>"#
            )),
            "{xml}"
        );
        // In a cell the name still breaks only after its separators.
        assert!(
            xml.contains(&format!(
                "{code}<w:t xml:space=\"preserve\">building.\u{200b}cctv_\u{200b}covers</w:t>"
            )),
            "{xml}"
        );
        assert!(xml.contains("未注明 </w:t>") && xml.contains(" &lt;&amp;&gt;</w:t>"));
        // A pair across lines stays as it is.
        assert!(
            xml.contains(" 或 `b</w:t>") && xml.contains(">c` 止</w:t>"),
            "{xml}"
        );
        assert_eq!(xml.matches('`').count(), 2, "{xml}");
    }

    #[test]
    fn a_result_in_the_compliance_record_takes_at_most_two_lines() {
        let tag = |text: &str| Cell {
            class: None,
            content: vec![Inline::Tag {
                class: "tag result-insufficient_evidence advisory".to_owned(),
                text: text.to_owned(),
            }],
        };
        let head: Vec<Cell> = [
            "文件与条款",
            "条文要求",
            "应达到",
            "申报情况",
            "结论",
            "整改意见",
        ]
        .into_iter()
        .map(cell)
        .collect();
        let rows = vec![
            vec![
                cell("shanghai-2023 §58\nSH-058b"),
                cell("「强化儿童活动场所环境安全防护」"),
                cell("须注明儿童聚集场所周边的风险源"),
                cell("未提供(应在 surroundings 下注明)"),
                tag("证据不足(仅供参考)"),
                cell("对儿童活动场所周边的风险源采取隔离、围挡等防护措施,并在方案中说明"),
            ],
            vec![
                cell("shanghai-2023 §68\nSH-068a"),
                cell("「3000平方米以上的公园绿地优先满足儿童活动需求」"),
                cell("设施类型 儿童活动场地"),
                cell("休闲游步道 / 第三卫生间(第 18 行)"),
                tag("不符合(仅供参考)"),
                cell("在公园绿地中设置儿童活动场地,注明面积和适用年龄段"),
            ],
        ];
        // The line may not break after 「(」, so the second line holds 「(仅供参考)」 whole.
        let em = super::SIZE_TABLE * 10;
        assert_eq!(
            super::two_line_width("证据不足(仅供参考)", super::SIZE_TABLE, true),
            4 * em + 2 * super::SIZE_TABLE * 4
        );
        assert_eq!(
            super::two_line_width("不符合 符合", super::SIZE_TABLE, true),
            3 * em,
            "broken at the space"
        );
        let results: Vec<String> = rows.iter().map(|row| super::shown_cell(&row[4])).collect();
        let mut writer = Writer::new(Lang::Zh);
        writer.block(&Block::Table(Table {
            class: "record",
            head,
            rows,
        }));
        let xml = written(&mut writer);
        let widths: Vec<usize> = xml
            .split("<w:gridCol w:w=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths.len(), 6, "{xml}");
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        let result = widths[4];
        assert!(
            result >= 4 * em + 2 * super::SIZE_TABLE * 4 + CELL_MARGINS,
            "{widths:?}"
        );
        for shown in &results {
            assert!(
                super::two_line_width(shown, super::SIZE_TABLE, true) + CELL_MARGINS <= result,
                "{shown} in {widths:?}"
            );
        }
        // The column's base width, in which LibreOffice set it on four lines, is too narrow.
        assert!(result > 950);
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_word_and_fill_the_page() {
        let head: Vec<Cell> = ["Domain", "fail", "insufficient evidence", "waived", "pass"]
            .into_iter()
            .map(cell)
            .collect();
        let rows = vec![
            ["environment for development", "0", "0", "0", "21"]
                .into_iter()
                .map(cell)
                .collect(),
        ];
        let grid = super::column_widths(&head, &rows, None);
        assert_eq!(grid.size, super::SIZE_TABLE);
        assert_eq!(grid.widths.iter().sum::<usize>(), super::TEXT_WIDTH);
        let word = |text: &str| super::widest_word(text, grid.size, false) + super::CELL_MARGINS;
        assert!(grid.widths[0] >= word("development"), "{:?}", grid.widths);
        assert!(grid.widths[2] >= word("insufficient"), "{:?}", grid.widths);
        // Words too wide for the page in 五号 are set in 小五.
        let wide: Vec<Cell> = (0..6).map(|_| cell("responsibilities")).collect();
        let grid = super::column_widths(&wide, &[], None);
        assert_eq!(grid.size, super::SIZE_TABLE_SMALL);
    }

    /// Widths by East Asian Width: a Chinese character (and an ambiguous one, set in the Chinese
    /// face) is an em, a Latin letter 0.6 em (0.7 in bold), a break point nothing.
    /// Every face a run names is in the font table with the name Windows also knows it by and
    /// its family, so Word and WPS put a like face where it is missing; the East Asian text is
    /// Simplified Chinese.
    #[test]
    fn the_fonts_are_listed_with_their_alternates_and_the_text_is_simplified_chinese() {
        let table = super::font_table();
        for (name, alt, family) in [
            ("仿宋", "FangSong", "roman"),
            ("黑体", "SimHei", "swiss"),
            ("楷体", "KaiTi", "roman"),
            ("Times New Roman", "", "roman"),
        ] {
            let entry = table
                .split("<w:font ")
                .find(|entry| entry.starts_with(&format!("w:name=\"{name}\"")))
                .unwrap_or_else(|| panic!("{name} is not in {table}"));
            assert!(
                entry.contains(&format!("<w:family w:val=\"{family}\"/>")),
                "{entry}"
            );
            assert_eq!(
                entry.contains(&format!("<w:altName w:val=\"{alt}\"/>")),
                !alt.is_empty()
            );
        }
        let styles =
            b"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"32\" /></w:rPr></w:rPrDefault>";
        let styles =
            String::from_utf8(super::with_east_asian_language(styles, Lang::En)).expect("utf-8");
        assert!(
            styles.contains(
                "<w:sz w:val=\"32\" /><w:lang w:val=\"en-GB\" w:eastAsia=\"zh-CN\" /></w:rPr>"
            ),
            "{styles}"
        );
    }

    /// The summary of several files: the counts stay narrow and the verdict with its note gets
    /// the room, instead of six equal columns that set the verdict over eight lines.
    #[test]
    fn the_summary_table_is_sized_by_what_its_columns_hold() {
        let head: Vec<Cell> = ["文件", "项目", "结论", "错误", "警告", "建议"]
            .into_iter()
            .map(cell)
            .collect();
        let verdict = "通过,附建议 — 其中 12 条规则因材料不足未能判定";
        let rows: Vec<Vec<Cell>> = vec![
            [
                "examples/jl-changchun-residential.yaml",
                "长春市某居住区项目",
                verdict,
                "0",
                "3",
                "12",
            ]
            .into_iter()
            .map(cell)
            .collect(),
        ];
        let grid = super::column_widths(&head, &[], None);
        let needs = super::column_needs(&head, &rows, grid.size);
        let widths = super::widths_by_content(&needs);
        assert_eq!(widths.iter().sum::<usize>(), super::TEXT_WIDTH);
        let equal = super::TEXT_WIDTH / 6;
        let lines = |column: usize| {
            super::lines_in(
                &super::shown_cell(&rows[0][column]),
                widths[column],
                grid.size,
                false,
            )
        };
        assert!(
            lines(2) <= 3,
            "the verdict takes {} lines in {widths:?}",
            lines(2)
        );
        assert!(
            super::lines_in(&super::shown_cell(&rows[0][2]), equal, grid.size, false) >= 4,
            "equal columns would wrap the verdict"
        );
        for count in 3..6 {
            assert!(widths[count] < equal, "{widths:?}");
            assert!(widths[count] >= needs[count].word, "{widths:?}");
            assert_eq!(lines(count), 1, "{widths:?} {needs:?}");
            assert!(
                widths[count] >= needs[count].line,
                "the head on one line: {widths:?}"
            );
        }
        assert!(
            widths[2] > widths[1] && widths[2] > widths[3] * 3,
            "{widths:?}"
        );
        // Streamed, the rows come one by one: the needs they leave are the same.
        let mut streamed = super::column_needs(&head, &[], grid.size);
        for (need, cell) in streamed.iter_mut().zip(&rows[0]) {
            need.widen(cell, false, grid.size);
        }
        assert_eq!(streamed, needs);
    }

    #[test]
    fn characters_are_measured_by_their_east_asian_width() {
        let em = super::SIZE_TABLE * 10;
        for (c, width) in [
            ('托', em),
            ('①', em),
            ('“', em),
            ('a', em * 6 / 10),
            ('M', em * 6 / 10),
            ('7', em * 6 / 10),
            ('\u{200b}', 0),
            ('\u{2060}', 0),
        ] {
            assert_eq!(
                super::char_width(c, super::SIZE_TABLE, false),
                width,
                "{c:?}"
            );
        }
        assert_eq!(super::char_width('a', super::SIZE_TABLE, true), em * 7 / 10);
        assert_eq!(super::char_width('托', super::SIZE_TABLE, true), em);
        assert!(super::is_wide('托') && !super::is_wide('①') && !super::is_wide('a'));
        // A word of ten Latin letters is six ems; ten Chinese characters break anywhere.
        assert_eq!(
            super::widest_word("Rectifying", super::SIZE_TABLE, false),
            em * 6
        );
        assert_eq!(
            super::widest_word("儿童友好城市建设", super::SIZE_TABLE, false),
            em
        );
    }

    #[test]
    fn a_row_that_fits_a_page_does_not_split_and_a_longer_one_may() {
        let mut writer = Writer::new(Lang::En);
        let long = "word ".repeat(4000);
        writer.block(&Block::Table(Table {
            class: "domains",
            head: vec![cell("Domain"), cell("fail")],
            rows: vec![
                vec![cell("social policy"), cell("0")],
                vec![cell(&long), cell("1")],
            ],
        }));
        let xml = written(&mut writer);
        assert_eq!(
            xml.matches("<w:cantSplit />").count(),
            2,
            "head and first row"
        );
        assert_eq!(xml.matches("<w:tr>").count(), 3);
    }

    #[test]
    fn a_document_refuses_more_or_fewer_files_than_announced() {
        let head: Vec<Cell> = (0..6).map(|i| cell(&format!("t{i}"))).collect();
        let mut streamed = Streamed::new(Lang::Zh, 2, &head).expect("spills");
        streamed.file(&row(0), &section(0)).expect("spilled");
        let error = streamed
            .finish("审查报告", None, &[], None, &mut Vec::new())
            .expect_err("one file short");
        assert!(
            error.to_string().contains("2 files were announced"),
            "{error}"
        );
    }

    // --- hostile review 7, E6: a project's section is spilled as it is made ---

    /// A section with a long table of results and long facts, as a project file with every list
    /// repeated thousands of times gives.
    fn long_section() -> Block {
        let head = (0..6).map(|i| cell(&format!("列{i}"))).collect();
        let rows = (0..500).map(row).collect();
        Block::Section {
            id: "project-long".to_owned(),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "长项目".to_owned(),
                },
                Block::Facts((0..300).map(|i| ("事实", format!("值 {i}"))).collect()),
                Block::Table(Table {
                    class: "record",
                    head,
                    rows,
                }),
                Block::Paragraph {
                    note: false,
                    content: text("结尾"),
                },
            ],
        }
    }

    #[test]
    fn a_spilled_section_holds_no_docx_values_and_writes_the_bytes_of_the_whole() {
        let section = long_section();
        let mut held = Writer::new(Lang::Zh);
        held.block(&section);
        let whole: Vec<u8> = held.out.iter().flat_map(docx_rs::BuildXML::build).collect();

        let mut spilling = Writer::new(Lang::Zh);
        spilling.spill = Some(crate::report::spill::Spill::new().expect("a temporary file"));
        spilling.block(&section);
        // Nothing of the section is kept as docx-rs values, which take many times its XML:
        // every paragraph and table row went to the spill as it was made.
        assert!(spilling.out.is_empty(), "the spilling writer held blocks");
        assert!(spilling.spill_error.is_none());
        assert_eq!(spilling.next_id, held.next_id, "paragraph ids run on alike");
        let mut spilled = Vec::new();
        spilling
            .spill
            .take()
            .expect("the spill")
            .copy_text_into(&mut spilled)
            .expect("copied");
        assert!(
            whole.len() > 500_000,
            "the section is long: {}",
            whole.len()
        );
        assert!(
            spilled == whole,
            "the spilled section differs from the section built whole"
        );
    }
}
