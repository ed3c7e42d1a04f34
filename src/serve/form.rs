//! Filling in a project: a form generated from the project model's type tree (the same source
//! of truth as the JSON Schema), checked on a button or as it changes, turned into YAML to
//! download, and filled from a YAML file.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value as Json};

use super::check::{self, LangQuery};
use super::page::{self, esc, lang_code, t};
use super::upload;
use super::{App, Shared, lang_of};
use crate::base::diagnostic::{Medium, SourceFile};
use crate::base::i18n::Lang;
use crate::engine::Outcome;
use crate::engine::checked::Checked;
use crate::project::types::{Field, RecordTy, TextFormat, Ty, project_type};
use crate::project::yaml::{self, Node, Segment, Value, YamlPath};
use crate::report;
use crate::rules::ir::{Check, Expr};

/// The form's values by field name (`site.area_m2`, `facilities.0.kind`); a list of choices
/// has one value per choice.
pub type Values = BTreeMap<String, Vec<String>>;

/// Sections always open: what every project states.
const OPEN_SECTIONS: &[&str] = &[
    "project",
    "site",
    "population",
    "facilities",
    "participation",
    "evidence",
];

/// Deepest nesting of records the form shows (the model is shallow; this only bounds it).
const MAX_DEPTH: usize = 6;

/// Rows of a list of records the form takes and shows at most: a project with more is a file
/// for the upload page. Each row carries every field of its record and every choice (about
/// 17 KB of page for a facility), so a post of a few hundred bytes naming hundreds of rows
/// must not become a page of megabytes; rows past this are left out and the page says so.
pub(crate) const MAX_ROWS: usize = 30;

/// `GET /form`: an empty project, checked.
pub async fn page(State(app): State<Shared>, Query(query): Query<LangQuery>) -> Response {
    let lang = query.lang(&app);
    let values = initial_values(&app);
    render_checked(app, lang, values, None).await
}

/// The values of a new project: the format version, an id to change, a residential project in
/// the jurisdiction the server checks against.
fn initial_values(app: &App) -> Values {
    let jurisdiction = app
        .options
        .check
        .jurisdiction
        .as_ref()
        // No default: an official who skips the field gets a located error, not Shanghai's
        // rules (the field shows CN/SH/Pudong as a placeholder only).
        .map_or_else(String::new, ToString::to_string);
    [
        ("yimi", "1"),
        ("project.id", "P-001"),
        ("project.kind", "residential"),
        ("project.jurisdiction", jurisdiction.as_str()),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), vec![value.to_owned()]))
    .collect()
}

/// `POST /form`: check (`action=check`), download the YAML (`action=download`), or load a YAML
/// file into the form (`action=load`).
pub async fn submit(State(app): State<Shared>, request: axum::extract::Request) -> Response {
    let fields = match upload::multipart_of(request).await {
        Ok(multipart) => upload::read_multipart(multipart, app.options.upload).await,
        Err(refusal) => Err(refusal),
    };
    let fields = match fields {
        Ok(fields) => fields,
        Err(refusal) => {
            let lang = lang_of(refusal.lang.as_deref(), app.options.lang);
            return page::error_page(
                &app.options,
                refusal.status(),
                lang,
                refusal.message.get(lang),
            );
        }
    };
    // The language switch submits the form with the other language.
    let lang = lang_of(
        fields.get("switch_lang").or(fields.get("lang")),
        app.options.lang,
    );
    let action = fields.get("action").unwrap_or("check").to_owned();
    if action == "load" {
        let Some(file) = fields.files.first() else {
            return page::error_page(
                &app.options,
                StatusCode::BAD_REQUEST,
                lang,
                t(
                    lang,
                    "请选择或粘贴一个 YAML 文件",
                    "choose or paste a YAML file",
                ),
            );
        };
        let values = values_from_yaml(&file.name, &file.bytes, app.options.check.limits.yaml);
        let source = Some(file.clone());
        return render_checked(app, lang, values, source).await;
    }
    let mut values = Values::new();
    for (name, value) in &fields.text {
        if is_field_name(name) {
            values.entry(name.clone()).or_default().push(value.clone());
        }
    }
    let values = compact_rows(values);
    if action == "download" {
        let yaml = to_yaml(&values);
        let name = values
            .get("project.id")
            .and_then(|ids| ids.first())
            .map(|id| {
                id.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                    .take(60)
                    .collect::<String>()
            })
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| "project".to_owned());
        return page::download(
            yaml.into_bytes(),
            "application/yaml; charset=utf-8",
            &format!("{name}.yaml"),
        );
    }
    render_checked(app, lang, values, None).await
}

/// Field names are paths of keys and row numbers; anything else in the form is not a field.
fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        && project_type()
            .field(name.split('.').next().unwrap_or_default())
            .is_some()
}

/// Checks the form's project (or the loaded file as it is) and renders the page.
async fn render_checked(
    app: Shared,
    lang: Lang,
    values: Values,
    loaded: Option<upload::Submitted>,
) -> Response {
    let submitted = loaded.unwrap_or_else(|| upload::Submitted {
        name: "project.yaml".to_owned(),
        bytes: to_yaml(&values).into_bytes(),
    });
    let rendered = app
        .run_check(Arc::new(vec![submitted]), None, move |app, files| {
            let options = check::options_for(app, files);
            let mut page = String::new();
            check::each_file(
                files,
                |file| check::check_one(app, &options, &file.name, &file.bytes),
                |index, checked| {
                    if let Some(submitted) = files.get(index) {
                        page = form_page(app, lang, &values, submitted, checked);
                    }
                    Ok::<(), std::convert::Infallible>(())
                },
            )
            .map(|_| page)
        })
        .await;
    match rendered {
        Ok(Ok(text)) => page::html(StatusCode::OK, text),
        Ok(Err(stopped)) => stopped.page(&app.options, lang),
        Err(refused) => refused.page(&app.options, lang),
    }
}

/// What the form marks on a field: findings there, and whether rules that apply read it.
#[derive(Default)]
struct Marks {
    /// What is said about each field, by field name (`""`: the file as a whole).
    notes: BTreeMap<String, Vec<Note>>,
    /// `(record type, field)` read by a rule that applies to this project.
    decisive: BTreeSet<(String, String)>,
}

/// One thing said about a field: a finding or a problem with the file.
#[derive(Clone, PartialEq, Eq)]
struct Note {
    /// `error`, `warning`, `advice`, `waived`: the class it is shown with.
    level: String,
    /// What is wrong, in words: what the official reads.
    message: String,
    /// The rule or diagnostic code, for those who look it up.
    code: String,
    /// Whether `code` names a rule (else a problem with the file).
    is_rule: bool,
}

impl Note {
    /// The message, then its code as a small reference (as the results page shows a file's
    /// problems): an official reads words, not `SH-068a`.
    fn html(&self, lang: Lang) -> String {
        format!(
            "{} <small class=\"code\" title=\"{}\">{}</small>",
            page::code_spans(&self.message),
            if self.is_rule {
                t(lang, "规则编号", "rule")
            } else {
                t(lang, "诊断代码", "diagnostic code")
            },
            esc(&self.code)
        )
    }

    /// The note beside its field.
    fn span(&self, lang: Lang) -> String {
        format!(
            "<span class=\"note {}\">{}</span>",
            self.level,
            self.html(lang)
        )
    }
}

fn form_page(
    app: &App,
    lang: Lang,
    values: &Values,
    submitted: &upload::Submitted,
    checked: crate::engine::checked::CheckedFile,
) -> String {
    let files = [checked];
    let views = report::views(
        &files,
        &app.loaded.set,
        None,
        Medium::Page,
        &report::baseline::Naming::AsGiven,
    );
    let mut marks = Marks::default();
    if let Some(view) = views.first() {
        for finding in &view.findings {
            let level = finding.level.map_or("waived", |level| level.as_str());
            let note = Note {
                level: level.to_owned(),
                message: finding.message.get(lang).to_owned(),
                code: finding.code.clone(),
                is_rule: finding.rule.is_some(),
            };
            if let Some(place) = finding.places.first() {
                marks
                    .notes
                    .entry(field_name(&place.path))
                    .or_default()
                    .push(note.clone());
            }
            for missing in &finding.missing {
                let notes = marks
                    .notes
                    .entry(field_name(&missing.place.path))
                    .or_default();
                // A finding placed at a missing field is said there once.
                if !notes.contains(&note) {
                    notes.push(note.clone());
                }
            }
        }
        for diagnostic in &view.diagnostics {
            let (line, column) = diagnostic.line_col();
            let level = match diagnostic.severity {
                crate::base::diagnostic::Severity::Error => "error",
                crate::base::diagnostic::Severity::Warning => "warning",
                crate::base::diagnostic::Severity::Advice => "advice",
            };
            marks.notes.entry(String::new()).or_default().push(Note {
                level: level.to_owned(),
                message: format!("{line}:{column} {}", diagnostic.message.get(lang)),
                code: diagnostic.code.to_owned(),
                is_rule: false,
            });
        }
    }
    if let Some(Checked::Assessed { assessment, .. }) = files.first().map(|file| &file.result) {
        for result in &assessment.results {
            if result.outcome == Outcome::NotApplicable {
                continue;
            }
            if let Some(rule) = app.loaded.set.rules.get(result.rule) {
                decisive_fields(&rule.check, &mut marks.decisive);
            }
        }
    }
    let mut body = String::new();
    body.push_str(&format!(
        "<p class=\"hint\">{}</p>\n",
        t(
            lang,
            "按项目实际情况填写;未填写的内容视为未说明,而非为零。标有 ★ 的项决定适用于本项目的规则。",
            "Fill in what the project states; a field left empty is not stated, not zero. Fields marked ★ decide rules that apply to this project."
        )
    ));
    body.push_str(&format!(
        "<form method=\"post\" action=\"/form\" enctype=\"multipart/form-data\" id=\"project-form\" class=\"project-form\">\n<input type=\"hidden\" name=\"lang\" value=\"{}\">\n",
        lang_code(lang)
    ));
    render_record(&mut body, project_type(), "", values, &marks, 0, lang);
    body.push_str(&format!(
        "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"check\" id=\"form-check\" formaction=\"/form#form-results\">{}</button> <button type=\"submit\" name=\"action\" value=\"download\" id=\"form-download\">{}</button></p>\n",
        t(lang, "检查", "Check"),
        t(lang, "下载 YAML", "Download YAML"),
    ));
    body.push_str(&format!(
        "<fieldset class=\"load\"><legend>{}</legend><label>{} <input type=\"file\" name=\"load_file\" accept=\".yaml,.yml\"></label><br><label>{}<br><textarea name=\"yaml\" rows=\"4\" spellcheck=\"false\"></textarea></label><br><button type=\"submit\" name=\"action\" value=\"load\" id=\"form-load\" formnovalidate>{}</button></fieldset>\n</form>\n",
        t(lang, "载入 YAML", "Load YAML"),
        t(lang, "文件", "File"),
        t(lang, "或粘贴", "or paste"),
        t(lang, "载入到表单", "Load into the form"),
    ));
    body.push_str("<div id=\"form-results\" aria-live=\"polite\">\n");
    if let Some(notes) = marks.notes.get("") {
        body.push_str("<ul class=\"diagnostics\">");
        for note in notes {
            body.push_str(&format!(
                "<li class=\"{}\">{}</li>",
                note.level,
                note.html(lang)
            ));
        }
        body.push_str("</ul>\n");
    }
    if let Some(view) = views.first() {
        body.push_str(&check::file_section(0, view, lang));
    }
    body.push_str(&check::download_forms(
        lang,
        std::slice::from_ref(submitted),
        &[],
    ));
    body.push_str("</div>\n");
    page::layout_switching(
        &app.options,
        lang,
        t(lang, "填写项目", "Fill in a project"),
        &page::Switch::Submit {
            form: "project-form",
            action: None,
        },
        &body,
    )
}

/// The form name of a YAML path: keys and row numbers joined by dots.
fn field_name(path: &YamlPath) -> String {
    path.segments
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => key.clone(),
            Segment::Index(index) => index.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The `(record type, field)` pairs a rule reads.
fn decisive_fields(check: &Check, found: &mut BTreeSet<(String, String)>) {
    let Check::Criterion(criterion) = check else {
        return;
    };
    let exprs = (criterion.applies.iter())
        .chain(&criterion.unless)
        .chain(criterion.lets.iter().map(|(_, expr)| expr))
        .chain(&criterion.require);
    for expr in exprs {
        // `Expr::visit` recurses no deeper than the parser's expression depth limit.
        expr.visit(&mut |expr| {
            if let Expr::Field { index, record, .. } = expr
                && let Some(field) = record.fields.get(*index)
            {
                found.insert((record.name.clone(), field.name.clone()));
            }
        });
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn first<'v>(values: &'v Values, name: &str) -> &'v str {
    values
        .get(name)
        .and_then(|found| found.first())
        .map_or("", String::as_str)
}

/// The id of a form control: its name with dots as dashes.
fn control_id(name: &str) -> String {
    format!("f-{}", name.replace('.', "-"))
}

fn render_record(
    out: &mut String,
    record: &RecordTy,
    prefix: &str,
    values: &Values,
    marks: &Marks,
    depth: usize,
    lang: Lang,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for field in &record.fields {
        let name = join(prefix, &field.name);
        let decisive = marks
            .decisive
            .contains(&(record.name.clone(), field.name.clone()));
        match &field.ty {
            Ty::Record(inner) if depth == 0 => {
                let open = OPEN_SECTIONS.contains(&field.name.as_str())
                    || first(values, "project.kind") == field.name
                    || values
                        .keys()
                        .any(|key| key.starts_with(&format!("{name}.")))
                    || marks
                        .notes
                        .keys()
                        .any(|key| key.starts_with(&format!("{name}.")));
                out.push_str(&format!(
                    "<details class=\"section\" id=\"section-{}\"{}><summary>{} <code>{}</code></summary>\n",
                    esc(&field.name),
                    if open { " open" } else { "" },
                    page::code_spans(field.doc.get(lang)),
                    esc(&field.name)
                ));
                out.push_str(&section_notes(&name, marks, lang));
                render_record(out, inner, &name, values, marks, depth + 1, lang);
                out.push_str("</details>\n");
            }
            Ty::Record(inner) => {
                out.push_str(&format!(
                    "<fieldset><legend>{}{} <code>{}</code></legend>\n",
                    if decisive { "★ " } else { "" },
                    page::code_spans(field.doc.get(lang)),
                    esc(&field.name)
                ));
                render_record(out, inner, &name, values, marks, depth + 1, lang);
                out.push_str("</fieldset>\n");
            }
            Ty::List(item) if matches!(item.as_ref(), Ty::Record(_)) => {
                let Ty::Record(inner) = item.as_ref() else {
                    continue;
                };
                let rows = rows_of(values, &name).min(MAX_ROWS);
                let open = depth > 0
                    || OPEN_SECTIONS.contains(&field.name.as_str())
                    || rows > 0
                    || marks
                        .notes
                        .keys()
                        .any(|key| key.starts_with(&format!("{name}.")));
                out.push_str(&format!(
                    "<details class=\"section\" id=\"section-{}\"{}><summary>{}{} <code>{}</code></summary>\n<p class=\"hint\">{}</p>\n",
                    esc(&name.replace('.', "-")),
                    if open { " open" } else { "" },
                    if decisive { "★ " } else { "" },
                    page::code_spans(field.doc.get(lang)),
                    esc(&field.name),
                    t(lang, "每行一项;留空的行不计入。检查后会多出一个空行。", "One entry each; empty rows are left out. A check adds an empty row."),
                ));
                out.push_str(&section_notes(&name, marks, lang));
                out.push_str(&format!("<p>{}</p>\n", none_box(&name, values, lang)));
                out.push_str(&rows_cut_note(&name, rows, values, lang));
                // One empty row to fill in, while the list is below the cap.
                for row in 0..(rows + 1).min(MAX_ROWS) {
                    // A row is headed by what it is in the page's language, as the section is.
                    out.push_str(&format!(
                        "<fieldset class=\"row\"><legend>{} {}</legend>\n",
                        page::code_spans(&row_label(field, lang)),
                        row + 1
                    ));
                    render_record(
                        out,
                        inner,
                        &format!("{name}.{row}"),
                        values,
                        marks,
                        depth + 1,
                        lang,
                    );
                    out.push_str("</fieldset>\n");
                }
                out.push_str("</details>\n");
            }
            _ => render_scalar(out, field, &name, values, marks, decisive, lang),
        }
    }
}

/// What one row of a list of records is called: the model's label of the list, e.g. 设施 for
/// `facilities`, shortened to its first clause (labels go on to explain).
fn row_label(field: &Field, lang: Lang) -> String {
    let doc = field.doc.get(lang);
    let short = doc
        .split(['，', ',', '；', ';', '(', '（', '.', '。', ':', '：'])
        .next()
        .map(str::trim)
        .filter(|short| !short.is_empty())
        .unwrap_or(doc);
    if short.is_empty() {
        field.name.clone()
    } else {
        short.to_owned()
    }
}

/// The name under which the form keeps how many rows of `list` it left out.
fn cut_name(list: &str) -> String {
    format!("{list}.__cut")
}

/// What the page says when a list reached [`MAX_ROWS`]: how many rows it left out, or that no
/// more can be added; nothing below the cap.
fn rows_cut_note(list: &str, rows: usize, values: &Values, lang: Lang) -> String {
    let cut = values
        .get(&cut_name(list))
        .and_then(|found| found.first())
        .and_then(|count| count.parse::<usize>().ok())
        .filter(|count| *count > 0);
    let message = match (cut, lang) {
        (Some(cut), Lang::Zh) => format!(
            "本表单每个列表最多 {MAX_ROWS} 行:另外 {cut} 行没有接收,不在检查和下载的 YAML 中。行数更多的项目,请编辑 YAML 文件,在「检查提交材料」页上传检查。"
        ),
        (Some(cut), Lang::En) => format!(
            "The form takes at most {MAX_ROWS} rows a list: {cut} more were left out, and are not in the check or the YAML downloaded. For a project with more, edit its YAML file and check it on the upload page."
        ),
        (None, _) if rows < MAX_ROWS => return String::new(),
        (None, Lang::Zh) => format!(
            "本表单每个列表最多 {MAX_ROWS} 行,已填满。行数更多的项目,请编辑 YAML 文件,在「检查提交材料」页上传检查。"
        ),
        (None, Lang::En) => format!(
            "The form takes at most {MAX_ROWS} rows a list, and this one is full. For a project with more, edit its YAML file and check it on the upload page."
        ),
    };
    format!(
        "<p class=\"note warning rows-cut\" id=\"rows-cut-{}\">{}</p>\n",
        esc(&control_id(list)),
        esc(&message)
    )
}

/// The findings about a whole section or list (a list with no play area, say), shown at its top.
fn section_notes(name: &str, marks: &Marks, lang: Lang) -> String {
    let notes = marks
        .notes
        .get(name)
        .map(|notes| notes.iter().map(|note| note.span(lang)).collect::<String>())
        .unwrap_or_default();
    format!(
        "<div class=\"notes\" id=\"note-{}\">{notes}</div>\n",
        esc(&control_id(name))
    )
}

/// How many rows of the list `name` the values hold (one past the highest row number).
/// The name of a list's "none" box: a list stated empty (`includes: []`) is a fact, not silence,
/// so it must survive the form.
fn none_name(list: &str) -> String {
    format!("{list}.__none")
}

/// The box that states a list empty.
fn none_box(list: &str, values: &Values, lang: Lang) -> String {
    let name = none_name(list);
    let checked = values
        .get(&name)
        .is_some_and(|found| found.iter().any(|value| value == "1"));
    format!(
        "<label class=\"choice none\"><input type=\"checkbox\" name=\"{}\" value=\"1\"{}> {}</label>",
        esc(&name),
        if checked { " checked" } else { "" },
        t(lang, "无(明确说明没有)", "none (stated: there are none)")
    )
}

/// Renumbers the rows of every list as 0, 1, 2 … in their posted order, keeping only rows with
/// a value and at most [`MAX_ROWS`] of a list: a post naming `facilities.99.kind` alone is one
/// row, not a hundred (each rendered with every field and every choice). The project built
/// from the form drops empty rows the same way, so its findings name the renumbered rows.
fn compact_rows(mut values: Values) -> Values {
    // How many rows were left out is the form's to say, not the post's.
    values.retain(|key, _| !key.ends_with(".__cut"));
    let numbered = |key: &str| -> Vec<(usize, usize)> {
        // (byte offset of the segment, its number) for each numeric segment of a name.
        let mut found = Vec::new();
        let mut offset = 0;
        for segment in key.split('.') {
            if let Ok(number) = segment.parse::<usize>() {
                found.push((offset, number));
            }
            offset += segment.len() + 1;
        }
        found
    };
    // For each list (its name as posted, up to the row number), the rows that hold a value.
    let mut rows: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (key, found) in &values {
        if !found.iter().any(|value| !value.trim().is_empty()) {
            continue;
        }
        for (offset, number) in numbered(key) {
            let list = key.get(..offset).unwrap_or_default().to_owned();
            rows.entry(list).or_default().insert(number);
        }
    }
    // Each kept row's new number, by list; and how many rows each list left out, kept under a
    // name of its own (renamed with the rows below, dropped with a row left out).
    let ranks: BTreeMap<String, BTreeMap<usize, usize>> = rows
        .into_iter()
        .map(|(list, posted)| {
            if posted.len() > MAX_ROWS
                && let Some(list) = list.strip_suffix('.')
            {
                let cut = posted.len() - MAX_ROWS;
                values.insert(cut_name(list), vec![cut.to_string()]);
            }
            let ranked = posted
                .into_iter()
                .take(MAX_ROWS)
                .enumerate()
                .map(|(rank, row)| (row, rank))
                .collect();
            (list, ranked)
        })
        .collect();
    let mut compacted = Values::new();
    'keys: for (key, found) in values {
        let mut renamed = String::with_capacity(key.len());
        let mut copied = 0;
        for (offset, number) in numbered(&key) {
            let list = key.get(..offset).unwrap_or_default();
            let Some(rank) = ranks.get(list).and_then(|ranked| ranked.get(&number)) else {
                continue 'keys;
            };
            renamed.push_str(key.get(copied..offset).unwrap_or_default());
            renamed.push_str(&rank.to_string());
            // A number written `007` is the row 7: skip the digits as posted.
            copied = offset
                + key
                    .get(offset..)
                    .unwrap_or_default()
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .len();
        }
        renamed.push_str(key.get(copied..).unwrap_or_default());
        compacted.entry(renamed).or_default().extend(found);
    }
    compacted
}

fn rows_of(values: &Values, name: &str) -> usize {
    let prefix = format!("{name}.");
    values
        .iter()
        .filter(|(_, found)| found.iter().any(|value| !value.trim().is_empty()))
        .filter_map(|(key, _)| key.strip_prefix(&prefix))
        .filter_map(|rest| rest.split('.').next()?.parse::<usize>().ok())
        .map(|row| row + 1)
        .max()
        .unwrap_or(0)
}

fn render_scalar(
    out: &mut String,
    field: &Field,
    name: &str,
    values: &Values,
    marks: &Marks,
    decisive: bool,
    lang: Lang,
) {
    let id = control_id(name);
    let value = first(values, name);
    let notes = marks.notes.get(name);
    let class = match notes
        .and_then(|notes| notes.first())
        .map(|note| note.level.as_str())
    {
        Some(level) => format!("field {level}"),
        None => "field".to_owned(),
    };
    let unit = match &field.ty {
        Ty::Number(number) => number
            .unit
            .map(|unit| {
                format!(
                    " <span class=\"unit\">{}</span>",
                    esc(match lang {
                        Lang::Zh => unit.display.0,
                        Lang::En => unit.display.1,
                    })
                )
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    let required = if field.required {
        format!(
            " <span class=\"required\" title=\"{0}\">{0}</span>",
            t(lang, "必填", "required")
        )
    } else {
        String::new()
    };
    let star = if decisive {
        format!(
            "<span class=\"decisive\" title=\"{0}\">★</span> ",
            t(lang, "决定适用的规则", "decides a rule that applies")
        )
    } else {
        String::new()
    };
    let label = format!(
        "{star}{}{required} <code>{}</code>",
        page::code_spans(field.doc.get(lang)),
        esc(&field.name)
    );
    let control = match &field.ty {
        Ty::Bool => select(
            name,
            &id,
            value,
            &[
                ("true", t(lang, "是", "yes").to_owned()),
                ("false", t(lang, "否", "no").to_owned()),
            ],
            lang,
        ),
        Ty::Enum(enumeration) => {
            let options: Vec<(&str, String)> = enumeration
                .variants
                .iter()
                .map(|variant| {
                    (
                        variant.name.as_str(),
                        format!("{} ({})", variant.doc.get(lang), variant.name),
                    )
                })
                .collect();
            select(name, &id, value, &options, lang)
        }
        Ty::List(item) => match item.as_ref() {
            Ty::Enum(enumeration) => {
                let chosen = values.get(name);
                let boxes: Vec<String> = enumeration
                    .variants
                    .iter()
                    .map(|variant| {
                        let checked = chosen.is_some_and(|chosen| chosen.contains(&variant.name));
                        format!(
                            "<label class=\"choice\"><input type=\"checkbox\" name=\"{}\" value=\"{}\"{}> {} <code>{}</code></label>",
                            esc(name),
                            esc(&variant.name),
                            if checked { " checked" } else { "" },
                            page::code_spans(variant.doc.get(lang)),
                            esc(&variant.name)
                        )
                    })
                    .collect();
                format!(
                    "<span class=\"choices\" id=\"{}\">{} {}</span>",
                    esc(&id),
                    boxes.join(" "),
                    none_box(name, values, lang)
                )
            }
            _ => format!(
                "<textarea name=\"{}\" id=\"{}\" rows=\"3\" spellcheck=\"false\" placeholder=\"{}\">{}</textarea> {}",
                esc(name),
                esc(&id),
                t(lang, "每行一项", "one per line"),
                esc(value),
                none_box(name, values, lang)
            ),
        },
        Ty::Number(_) => format!(
            "<input type=\"text\" inputmode=\"decimal\" name=\"{}\" id=\"{}\" value=\"{}\">",
            esc(name),
            esc(&id),
            esc(value)
        ),
        Ty::Date => format!(
            "<input type=\"text\" name=\"{}\" id=\"{}\" value=\"{}\" placeholder=\"YYYY-MM-DD\">",
            esc(name),
            esc(&id),
            esc(value)
        ),
        Ty::Text(format) => format!(
            "<input type=\"text\" name=\"{}\" id=\"{}\" value=\"{}\"{}>",
            esc(name),
            esc(&id),
            esc(value),
            if *format == TextFormat::Jurisdiction {
                " placeholder=\"CN/SH/Pudong\""
            } else {
                ""
            }
        ),
        Ty::Record(_) => String::new(),
    };
    let notes_html = notes
        .map(|notes| notes.iter().map(|note| note.span(lang)).collect::<String>())
        .unwrap_or_default();
    out.push_str(&format!(
        "<div class=\"{class}\"><label for=\"{}\">{label}</label> <span class=\"control\">{control}{unit}</span><div class=\"notes\" id=\"note-{}\">{notes_html}</div></div>\n",
        esc(&id),
        esc(&id),
    ));
}

fn select(name: &str, id: &str, value: &str, options: &[(&str, String)], lang: Lang) -> String {
    let mut out = format!("<select name=\"{}\" id=\"{}\">", esc(name), esc(id));
    out.push_str(&format!(
        "<option value=\"\">{}</option>",
        t(lang, "(未说明)", "(not stated)")
    ));
    let mut known = false;
    for (option, label) in options {
        let selected = *option == value;
        known |= selected;
        out.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>",
            esc(option),
            if selected { " selected" } else { "" },
            esc(label)
        ));
    }
    if !known && !value.is_empty() {
        // A value the model does not know, from a loaded file: kept, so the check reports it.
        out.push_str(&format!(
            "<option value=\"{0}\" selected>{0}</option>",
            esc(value)
        ));
    }
    out.push_str("</select>");
    out
}

/// The project the form's values describe, as YAML in model order. Values that are not what
/// the model expects are kept as text, so that the check reports them where they are.
pub fn to_yaml(values: &Values) -> String {
    let mut tree = Json::Object(record_json(project_type(), "", values, 0).unwrap_or_default());
    // A text with a hidden character (a bidi override such as U+202E, a zero-width space) is
    // written raw by the YAML writer, which counts such characters as printable: the downloaded
    // file, submitted later, shows reversed or altered text in an editor (hostile review 9 R3).
    // Each such text goes through the writer as a stand-in, a plain word found in no value,
    // and is then written double-quoted, its hidden characters as `\uXXXX` escapes (so is a
    // text that other readers take for a number).
    let whole = serde_json::to_string(&tree).unwrap_or_default();
    let mut stand_in = String::from("yimihidden");
    while whole.contains(&stand_in) {
        stand_in.push('z');
    }
    let mut hidden = Vec::new();
    stand_ins(&mut tree, &stand_in, &mut hidden);
    let mut text = serde_yaml::to_string(&tree).unwrap_or_default();
    for (index, value) in hidden.iter().enumerate() {
        text = text.replacen(&format!("{stand_in}{index}x"), &double_quoted(value), 1);
    }
    format!("# yimi {}\n{text}", env!("CARGO_PKG_VERSION"))
}

/// Replaces each text of `tree` that holds a hidden character by `{stand_in}{n}x`, `n` its
/// index in `hidden`, where the text goes.
fn stand_ins(tree: &mut Json, stand_in: &str, hidden: &mut Vec<String>) {
    match tree {
        // Also a text that other YAML readers take for a number (`12_000`, `1:30`, `0B1`): the
        // writer leaves it plain, and the check refuses it plain (`project::number-form`).
        Json::String(text)
            if text.chars().any(report::escape::is_hidden)
                || crate::project::load::read_as_number_elsewhere(text).is_some() =>
        {
            let placeholder = format!("{stand_in}{}x", hidden.len());
            hidden.push(std::mem::replace(text, placeholder));
        }
        Json::Array(items) => {
            for item in items {
                stand_ins(item, stand_in, hidden);
            }
        }
        Json::Object(map) => {
            for value in map.values_mut() {
                stand_ins(value, stand_in, hidden);
            }
        }
        _ => {}
    }
}

/// `text` as a YAML double-quoted scalar, its hidden characters (and only they, with `"` and
/// `\\`) escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if report::escape::is_hidden(c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn record_json(
    record: &RecordTy,
    prefix: &str,
    values: &Values,
    depth: usize,
) -> Option<Map<String, Json>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut map = Map::new();
    for field in &record.fields {
        let name = join(prefix, &field.name);
        if let Some(value) = field_json(&field.ty, &name, values, depth) {
            map.insert(field.name.clone(), value);
        }
    }
    (!map.is_empty()).then_some(map)
}

fn field_json(ty: &Ty, name: &str, values: &Values, depth: usize) -> Option<Json> {
    let stated_none = || {
        values
            .get(&none_name(name))
            .is_some_and(|found| found.iter().any(|value| value == "1"))
            .then(|| Json::Array(Vec::new()))
    };
    match ty {
        Ty::Record(inner) => record_json(inner, name, values, depth + 1).map(Json::Object),
        Ty::List(item) => match item.as_ref() {
            Ty::Record(inner) => {
                let rows: Vec<Json> = (0..rows_of(values, name).min(MAX_ROWS))
                    .filter_map(|row| {
                        record_json(inner, &format!("{name}.{row}"), values, depth + 1)
                    })
                    .map(Json::Object)
                    .collect();
                if rows.is_empty() {
                    return stated_none();
                }
                Some(Json::Array(rows))
            }
            Ty::Enum(_) => {
                let chosen: Vec<Json> = values
                    .get(name)
                    .into_iter()
                    .flatten()
                    .filter(|value| !value.trim().is_empty())
                    .map(|value| Json::String(value.trim().to_owned()))
                    .collect();
                if chosen.is_empty() {
                    return stated_none();
                }
                Some(Json::Array(chosen))
            }
            scalar => {
                let items: Vec<Json> = first(values, name)
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(|line| scalar_json(scalar, line))
                    .collect();
                if items.is_empty() {
                    return stated_none();
                }
                Some(Json::Array(items))
            }
        },
        scalar => {
            let value = first(values, name).trim();
            (!value.is_empty()).then(|| scalar_json(scalar, value))
        }
    }
}

fn scalar_json(ty: &Ty, text: &str) -> Json {
    match ty {
        Ty::Bool => match text {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            other => Json::String(other.to_owned()),
        },
        Ty::Number(_) => {
            // More digits than a floating-point number keeps (20 nines would be written `1e20`)
            // stay the user's text, so the check quotes what was typed.
            let digits = text
                .split(['e', 'E'])
                .next()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .skip_while(|digit| *digit == '0')
                .count();
            if let Ok(whole) = text.parse::<i64>() {
                Json::from(whole)
            } else if let Some(number) = text
                .parse::<f64>()
                .ok()
                .filter(|number| number.is_finite() && digits <= 15)
                .and_then(serde_json::Number::from_f64)
            {
                Json::Number(number)
            } else {
                Json::String(text.to_owned())
            }
        }
        _ => Json::String(text.to_owned()),
    }
}

/// The form's values from a YAML file: keys the model knows, read through the same bounded
/// parser as a project file; anything else is left to the check to report.
pub fn values_from_yaml(name: &str, bytes: &[u8], limits: yaml::Limits) -> Values {
    let mut values = Values::new();
    let text = String::from_utf8_lossy(bytes).into_owned();
    let file: Arc<SourceFile> = SourceFile::new(name, text);
    if let Ok(root) = yaml::parse(&file, limits) {
        node_values(&root, project_type(), "", &mut values, 0);
    }
    values
}

fn node_values(node: &Node, record: &RecordTy, prefix: &str, values: &mut Values, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Value::Map(entries) = &node.value else {
        return;
    };
    for entry in entries {
        let Some((_, field)) = record.field(&entry.key) else {
            continue;
        };
        let name = join(prefix, &field.name);
        match (&field.ty, &entry.value.value) {
            (Ty::Record(inner), _) => node_values(&entry.value, inner, &name, values, depth + 1),
            (Ty::List(_), Value::Seq(items)) if items.is_empty() => {
                values.insert(none_name(&name), vec!["1".to_owned()]);
            }
            (Ty::List(item), Value::Seq(items)) => match item.as_ref() {
                Ty::Record(inner) => {
                    for (row, item) in items.iter().take(MAX_ROWS).enumerate() {
                        node_values(item, inner, &format!("{name}.{row}"), values, depth + 1);
                    }
                    if items.len() > MAX_ROWS {
                        let cut = items.len() - MAX_ROWS;
                        values.insert(cut_name(&name), vec![cut.to_string()]);
                    }
                }
                Ty::Enum(_) => {
                    let chosen: Vec<String> = items.iter().filter_map(scalar_text).collect();
                    values.insert(name, chosen);
                }
                _ => {
                    let lines: Vec<String> = items.iter().filter_map(scalar_text).collect();
                    values.insert(name, vec![lines.join("\n")]);
                }
            },
            _ => {
                if let Some(text) = scalar_text(&entry.value) {
                    values.insert(name, vec![text]);
                }
            }
        }
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Bool(value) => Some(value.to_string()),
        Value::Int(value) => Some(value.to_string()),
        Value::Float(value) => Some(value.to_string()),
        Value::Str { text, .. } => Some(text.clone()),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
    }
}
