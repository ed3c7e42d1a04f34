//! Checking a submission: the upload page, the results (per file the verdict, the findings with
//! the clause they cite, the YAML with each finding's line marked), and the reports to download.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use clap::ValueEnum;

use super::page::{self, esc, lang_code, t};
use super::upload::{self, Submitted};
use super::{App, Shared, lang_of};
use crate::base::cancel::{self, Why};
use crate::base::diagnostic::{Medium, Severity};
use crate::base::i18n::Lang;
use crate::engine::checked::{self, CheckOptions, CheckedFile};
use crate::engine::force::{DateBasis, JudgedAt};
use crate::project::date::Date;
use crate::report::{self, FileView, Format, Style};

/// The reports offered for download, as `check --format` names them.
const DOWNLOADS: &[(Format, &str, &str, &str)] = &[
    (Format::Html, "HTML", "text/html; charset=utf-8", "html"),
    (
        Format::Markdown,
        "Markdown",
        "text/markdown; charset=utf-8",
        "md",
    ),
    (Format::Json, "JSON", "application/json", "json"),
    (Format::Sarif, "SARIF", "application/sarif+json", "sarif"),
    (
        Format::Docx,
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
];

/// `?lang=` of a page.
#[derive(Debug, serde::Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    pub fn lang(&self, app: &App) -> Lang {
        lang_of(self.lang.as_deref(), app.options.lang)
    }
}

/// The options of a check made now: a file without a decision date is judged at today.
pub fn options_now(app: &App) -> CheckOptions {
    let mut options = app.options.check.clone();
    if options.engine.as_of.is_none() {
        options.engine.as_of = Some(JudgedAt {
            date: Date::today(),
            basis: DateBasis::Today,
        });
    }
    options
}

/// The options of a check of `files` made now ([`options_now`]), with how the files stand to
/// the server's waivers file (`serve --waivers`), surveyed as `check` surveys a run: a waiver
/// naming a project without `file:` applies only where exactly one file of the submission
/// declares that id (else each gets `waiver::shared-project-id`), and a waiver's `file:`
/// matches a file by the name it was uploaded under (a zip's member by its path in the zip),
/// both in normal form.
pub fn options_for(app: &App, files: &[Submitted]) -> CheckOptions {
    let mut options = options_now(app);
    if !options.waivers.is_empty() {
        let documents: Vec<(&str, &[u8])> = files
            .iter()
            .map(|file| (file.name.as_str(), file.bytes.as_slice()))
            .collect();
        options.sharing = Arc::new(crate::run::batch::survey_named(
            &documents,
            &options.waivers,
            options.limits,
        ));
    }
    options
}

/// Loads and assesses one submitted file.
pub fn check_one(app: &App, options: &CheckOptions, name: &str, bytes: &[u8]) -> CheckedFile {
    let result = match crate::project::load_bytes(name, bytes, options.limits) {
        Err(diagnostics) => checked::Checked::Invalid(diagnostics),
        Ok(project) => checked::assess(project, &app.loaded.set, options),
    };
    CheckedFile {
        path: name.to_owned(),
        result,
    }
}

/// The report style of a page or download.
pub fn style(lang: Lang, options: &CheckOptions) -> Style {
    Style {
        lang,
        color: false,
        width: 100,
        date: options.engine.as_of.map(|at| at.date),
        baseline: None,
        medium: Medium::Page,
        naming: crate::report::baseline::Naming::AsGiven,
    }
}

/// `GET /`: the upload form.
pub async fn index(State(app): State<Shared>, Query(query): Query<LangQuery>) -> Response {
    let lang = query.lang(&app);
    page::html(StatusCode::OK, upload_page(&app, lang, "", None))
}

fn upload_page(app: &App, lang: Lang, pasted: &str, error: Option<&str>) -> String {
    let limits = app.options.upload;
    let error = error.map(page::alert).unwrap_or_default();
    let body = format!(
        "{error}<form method=\"post\" action=\"/check\" enctype=\"multipart/form-data\" class=\"card\" id=\"check-form\">
<input type=\"hidden\" name=\"lang\" value=\"{code}\">
<p><label>{files_label}<br><input type=\"file\" name=\"files\" id=\"files\" multiple accept=\".yaml,.yml,.zip\"></label></p>
<p class=\"hint\">{limits_text}</p>
<p><label>{paste_label}<br><textarea name=\"yaml\" id=\"yaml\" rows=\"14\" spellcheck=\"false\">{pasted}</textarea></label></p>
<p><button type=\"submit\" id=\"check\">{check}</button></p>
</form>",
        code = lang_code(lang),
        files_label = t(
            lang,
            "项目文件(YAML,可多选),或一个文件夹的 zip 压缩包",
            "Project files (YAML, several at once), or a zip of a folder"
        ),
        limits_text = esc(&match lang {
            Lang::Zh => format!(
                "每个文件最大 {};一次最多 {} 个文件,合计 {}。",
                size(limits.max_file_bytes, lang),
                limits.max_files,
                size(limits.max_total_bytes, lang)
            ),
            Lang::En => format!(
                "At most {} a file, {} files and {} in all.",
                size(limits.max_file_bytes, lang),
                limits.max_files,
                size(limits.max_total_bytes, lang)
            ),
        }),
        paste_label = t(lang, "或粘贴 YAML", "Or paste YAML"),
        pasted = esc(pasted),
        check = t(lang, "检查", "Check"),
    );
    page::layout(
        &app.options,
        lang,
        t(lang, "检查提交材料", "Check a submission"),
        "/",
        &body,
    )
}

/// `POST /check`: checks the files submitted and shows the results.
pub async fn submit(State(app): State<Shared>, request: axum::extract::Request) -> Response {
    let fields = match upload::multipart_of(request).await {
        Ok(multipart) => upload::read_multipart(multipart, app.options.upload).await,
        Err(refusal) => Err(refusal),
    };
    let fields = match fields {
        Ok(fields) => fields,
        Err(refusal) => {
            let lang = lang_of(refusal.lang.as_deref(), app.options.lang);
            return page::html(
                refusal.status(),
                upload_page(&app, lang, "", Some(refusal.message.get(lang))),
            );
        }
    };
    // The language switch of a result page posts its files with the other language.
    let lang = lang_of(
        fields.get("switch_lang").or(fields.get("lang")),
        app.options.lang,
    );
    let mut fields = fields;
    if fields.files.is_empty() {
        // The files of a result page, posted again by its language switch.
        match upload::files_from_form(&fields.text, app.options.upload) {
            Ok(files) => fields.files = files,
            Err(refusal) => {
                return page::html(
                    refusal.status(),
                    upload_page(&app, lang, "", Some(refusal.message.get(lang))),
                );
            }
        }
    }
    if fields.files.is_empty() {
        return page::html(
            StatusCode::BAD_REQUEST,
            upload_page(
                &app,
                lang,
                "",
                Some(t(
                    lang,
                    "没有提交任何文件:请选择文件或粘贴 YAML",
                    "nothing was submitted: choose files or paste YAML",
                )),
            ),
        );
    }
    // Entries of a zip left out for their names, or, on a result page's language switch, the
    // names that page carried.
    let mut skipped = fields.skipped;
    skipped.extend(
        fields
            .text
            .iter()
            .filter(|(key, _)| key == "skipped")
            .map(|(_, name)| upload::carried_name(name))
            .take(upload::MAX_ZIP_ENTRIES),
    );
    let files = Arc::new(fields.files);
    let rendered = app
        .run_check(files, None, move |app, files| {
            app.keep(files);
            results_page(app, lang, files, &skipped)
        })
        .await;
    match rendered {
        Ok(Ok(text)) => page::html(StatusCode::OK, text),
        Ok(Err(stopped)) => stopped.page(&app.options, lang),
        Err(refused) => refused.page(&app.options, lang),
    }
}

/// Where a check stopped before its end, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Stopped {
    /// The file it stopped at, counted from 0; the files before it were checked.
    index: usize,
    /// That file's name.
    name: String,
    /// How many files the submission has.
    files: usize,
    /// Why it stopped.
    why: Why,
}

impl Stopped {
    /// The page that says where the check stopped and why, in the request's language.
    pub(crate) fn page(&self, options: &super::ServeOptions, lang: Lang) -> Response {
        let (number, total, name) = (self.index + 1, self.files, &self.name);
        match self.why {
            // Nobody reads this: the request has already been answered (408), or its client
            // has gone.
            Why::Gone => page::error_page(
                options,
                StatusCode::REQUEST_TIMEOUT,
                lang,
                t(lang, "请求超时", "the request took too long"),
            ),
            Why::TimeUp => {
                let seconds = options.check_timeout.as_secs();
                page::error_page(
                    options,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    lang,
                    crate::tr!(
                        "检查在第 {number} 个文件 `{name}`(共 {total} 个)处停止:本服务一次检查最多用时 {seconds} 秒,已经用完。请分几次提交,每次少一些文件,或把大文件拆开;运行本服务的人可以调大检查时限",
                        "the check stopped at file {number} of {total}, `{name}`: the server gives one check at most {seconds} s, and this one had taken that long. Submit fewer files at a time, or split a large file; whoever runs the server can raise the check time limit"
                    )
                    .get(lang),
                )
            }
        }
    }
}

/// Checks `files` in turn with `check`, handing each result to `then` (which renders or writes
/// it), and looks at the check's stop (`base::cancel`) before each file and after its check:
/// a check stopped within a file (between its rules) left that file unfinished, so it is not
/// handed on. `Err` says where it stopped; `Ok(Err(_))` is what `then` failed with.
pub(crate) fn each_file<C, E>(
    files: &[Submitted],
    mut check: impl FnMut(&Submitted) -> C,
    mut then: impl FnMut(usize, C) -> Result<(), E>,
) -> Result<Result<(), E>, Stopped> {
    let stop_here = |index: usize, file: &Submitted| match cancel::stopped() {
        Some(why) => Err(Stopped {
            index,
            name: file.name.clone(),
            files: files.len(),
            why,
        }),
        None => Ok(()),
    };
    for (index, file) in files.iter().enumerate() {
        stop_here(index, file)?;
        let checked = check(file);
        stop_here(index, file)?;
        if let Err(error) = then(index, checked) {
            return Ok(Err(error));
        }
    }
    Ok(Ok(()))
}

/// The results of `files`, each file checked, rendered and dropped before the next is checked:
/// a submission holds one file's result at a time (a file with 12 000 errors takes about a
/// hundred megabytes while it is checked), and the page shows each file's problems capped as
/// human and plain output do, so its size follows the files, not their errors.
fn results_page(
    app: &App,
    lang: Lang,
    files: &[Submitted],
    skipped: &[String],
) -> Result<String, Stopped> {
    let options = options_for(app, files);
    let mut summary = String::from("<ul class=\"summary\">\n");
    let mut sections = String::new();
    let rendered: Result<(), std::convert::Infallible> = each_file(
        files,
        |file| [check_one(app, &options, &file.name, &file.bytes)],
        |index, checked| {
            let views = report::views(
                &checked,
                &app.loaded.set,
                None,
                Medium::Page,
                &report::baseline::Naming::AsGiven,
            );
            for view in &views {
                summary.push_str(&format!(
                    "<li><a href=\"#file-{index}\">{}</a> {}</li>\n",
                    esc(view.path),
                    verdict_badge(view, lang)
                ));
                sections.push_str(&file_section(index, view, lang));
            }
            Ok(())
        },
    )?;
    let Ok(()) = rendered;
    summary.push_str("</ul>\n");
    let mut body = download_forms(lang, files, skipped);
    body.push_str(&skipped_names(skipped, lang));
    body.push_str(&summary);
    body.push_str(&sections);
    drop(sections);
    // The results were reached by a form: the switch posts the files of the download form to
    // be checked again in the other language, rather than leading back to an empty upload page.
    Ok(page::layout_switching(
        &app.options,
        lang,
        t(lang, "检查结果", "Results"),
        &page::Switch::Submit {
            form: "downloads",
            action: Some("/check"),
        },
        &body,
    ))
}

/// The verdict of a file as a badge (or "invalid" when it could not be used).
pub fn verdict_badge(view: &FileView<'_>, lang: Lang) -> String {
    match view.verdict() {
        Some(verdict) => {
            let note = view.basis().note().map_or_else(String::new, |note| {
                format!(
                    " <span class=\"verdict-note\">{}</span>",
                    esc(note.get(lang))
                )
            });
            // A verdict that rests on packs that only advise (a draft, a plan past its period)
            // says so beside it, as every report's verdict line does.
            let standing = view
                .assessment
                .and_then(|assessment| report::standing_note(assessment, view.set, lang))
                .map_or_else(String::new, |note| {
                    format!(
                        " <span class=\"verdict-note standing\">{}</span>",
                        esc(&note)
                    )
                });
            format!(
                "<span class=\"verdict {}\" data-verdict=\"{}\">{}</span>{note}{standing}",
                verdict.as_str(),
                verdict.as_str(),
                esc(verdict.label().get(lang))
            )
        }
        None => format!(
            "<span class=\"verdict invalid\" data-verdict=\"invalid\">{}</span>",
            t(lang, "文件无效", "invalid file")
        ),
    }
}

/// One file: verdict, counts, findings, problems with the file, and the YAML with lines marked.
pub fn file_section(index: usize, view: &FileView<'_>, lang: Lang) -> String {
    // The project by its name and id beside the file name: a file name says little of it.
    let project = report::document::project_on_page(view)
        .map(|named| format!(" <span class=\"project\">{named}</span>"))
        .unwrap_or_default();
    let mut out = format!(
        "<section class=\"file\" id=\"file-{index}\">\n<h2>{}{project} {}</h2>\n",
        esc(view.path),
        verdict_badge(view, lang)
    );
    if let Some(assessment) = view.assessment {
        out.push_str(&format!(
            "<p class=\"facts\">{}: {}</p>\n",
            t(lang, "判断日期", "judged at"),
            esc(&report::judged_at_text(assessment, lang))
        ));
        // What the verdict rests on: each pack that covers the file, its version and its
        // source's standing on that date, as the reports name them.
        let packs = report::pack_standings(assessment, view.set, lang);
        if !packs.is_empty() {
            let separator = if lang == Lang::Zh { ";" } else { "; " };
            out.push_str(&format!(
                "<p class=\"facts packs\">{}: {}</p>\n",
                t(lang, "规则包", "rule packs"),
                esc(&packs.join(separator))
            ));
        }
        let counts = view.counts;
        out.push_str(&format!(
            "<p class=\"counts\">{}: {} · {}: {} · {}: {} · {}: {}{} · {}: {} · {}: {}</p>\n",
            t(lang, "错误", "errors"),
            counts.error,
            t(lang, "警告", "warnings"),
            counts.warning,
            t(lang, "建议", "advice"),
            counts.advice,
            t(lang, "通过", "passed"),
            counts.pass,
            // Said only when there are any: most files have none.
            if counts.vacuous > 0 {
                format!(
                    " · {}: {}",
                    t(lang, "无可检查的对象", "nothing to check"),
                    counts.vacuous
                )
            } else {
                String::new()
            },
            t(lang, "不适用", "not applicable"),
            counts.not_applicable,
            t(lang, "证据不足", "undecided"),
            counts.insufficient_evidence,
        ));
    }
    // Rules that held with nothing to check: not findings, nor passes on a checked fact; each
    // linked to the empty list or the zero it held over.
    let mut nothing_marks: Vec<(usize, String)> = Vec::new();
    let nothing = if view.nothing_to_check.is_empty() {
        String::new()
    } else {
        let mut list = format!(
            "<h3>{}</h3>\n<ul class=\"nothing-to-check\">\n",
            t(lang, "无可检查的对象", "Nothing to check")
        );
        for item in &view.nothing_to_check {
            let place = &item.place;
            let link = if place.at_top_level.is_none() {
                nothing_marks.push((place.line, item.rule.id.clone()));
                place_link(index, view.path, place)
            } else {
                String::new()
            };
            list.push_str(&format!(
                "<li><a href=\"/rules/rule/{}?lang={}\"><code>{}</code></a> <strong>{}</strong>{link}\n<p>{}</p></li>\n",
                page::url_encode(&item.rule.id),
                lang_code(lang),
                esc(&item.rule.id),
                page::code_spans(item.rule.title.get(lang)),
                page::code_spans(item.note.get(lang)),
            ));
        }
        list.push_str("</ul>\n");
        list
    };
    // Lines to mark: each finding's first place, each diagnostic's primary span.
    let mut marks: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    if !view.diagnostics.is_empty() {
        out.push_str(&format!(
            "<h3>{}</h3>\n<ul class=\"diagnostics\">\n",
            t(lang, "文件问题", "Problems with the file")
        ));
        // The most severe, up to the number human and plain output show; the rest are
        // counted (the JSON report lists them, but for errors past the loader's cap).
        let (shown, left_out) = report::snippet::chosen(&view.diagnostics);
        for (diagnostic, _) in view
            .diagnostics
            .iter()
            .zip(&shown)
            .filter(|(_, shown)| **shown)
        {
            let (line, column) = diagnostic.line_col();
            let class = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Advice => "advice",
            };
            // The line says what is wrong there in words (未知取值), as the terminal's label
            // does; the code (`project::enum`) is for those who look it up, in the list above.
            let first_label = diagnostic.labels.first();
            marks.entry(line).or_default().push(first_label.map_or_else(
                || {
                    match diagnostic.severity {
                        Severity::Error => t(lang, "错误", "error"),
                        Severity::Warning => t(lang, "警告", "warning"),
                        Severity::Advice => t(lang, "建议", "advice"),
                    }
                    .to_owned()
                },
                |label| label.text.get(lang).to_owned(),
            ));
            let label = first_label
                .map(|label| format!(" — {}", page::code_spans(label.text.get(lang))))
                .unwrap_or_default();
            let help = diagnostic
                .help_in(Medium::Page)
                .map(|help| {
                    format!(
                        "<br><span class=\"help\">{}: {}</span>",
                        t(lang, "提示", "help"),
                        page::code_spans(help.get(lang))
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                // The code (`project::enum`) is for those who look it up, not part of what the
                // official reads: a small reference after the message, its title saying so.
                "<li class=\"{class}\"><a href=\"#file-{index}-L{line}\" class=\"place\">{}:{line}:{column}</a> {}{label}{help} <small class=\"code\" title=\"{}\">{}</small></li>\n",
                esc(view.path),
                page::code_spans(diagnostic.message.get(lang)),
                t(lang, "诊断代码", "diagnostic code"),
                esc(diagnostic.code),
            ));
        }
        for left_out in &left_out {
            let count = report::snippet::thousands(left_out.problems());
            let listed = report::snippet::thousands(left_out.hidden);
            let cap = report::snippet::thousands(crate::project::load::MAX_LISTED_ERRORS);
            out.push_str(&format!(
                "<li class=\"more\">{}</li>\n",
                esc(&match (lang, left_out.unlisted > 0) {
                    (Lang::Zh, false) => format!("…… 另有 {count} 个问题未显示(JSON 报告列出全部)"),
                    (Lang::Zh, true) => format!(
                        "…… 另有 {count} 个问题未显示(JSON 报告列出其中 {listed} 个:一个文件只列出前 {cap} 处错误,其余只计数)"
                    ),
                    (Lang::En, false) => format!(
                        "… and {count} more problems not shown (the JSON report lists them all)"
                    ),
                    (Lang::En, true) => format!(
                        "… and {count} more problems not shown (the JSON report lists {listed} of them: a file's errors past the first {cap} are only counted)"
                    ),
                })
            ));
        }
        out.push_str("</ul>\n");
    }
    if !view.findings.is_empty() {
        out.push_str(&format!(
            "<h3>{}</h3>\n<ol class=\"findings\">\n",
            t(lang, "发现的问题", "Findings")
        ));
        for finding in &view.findings {
            let level = finding.level.map_or("waived", |level| level.as_str());
            let level_text = finding.level.map_or_else(
                || t(lang, "已豁免", "waived").to_owned(),
                |level| level.label().get(lang).to_owned(),
            );
            // A key missing at the top level is said in words (应在文件顶层注明): the first line
            // of the file is not where anything is wrong, so it is neither linked nor marked.
            let top_level = finding
                .places
                .first()
                .and_then(|place| place.at_top_level.as_ref().map(|words| (place, words)));
            let place = finding
                .places
                .iter()
                .find(|place| place.at_top_level.is_none());
            if let Some(place) = place {
                marks
                    .entry(place.line)
                    .or_default()
                    .push(finding.code.clone());
            }
            // As the reports list them: the first ones, and how many more.
            let (listed_missing, more_missing) = finding.listed_missing();
            for missing in listed_missing {
                if missing.place.at_top_level.is_some() {
                    continue;
                }
                marks
                    .entry(missing.place.line)
                    .or_default()
                    .push(finding.code.clone());
            }
            let place_link = place
                .map(|place| place_link(index, view.path, place))
                .unwrap_or_else(|| {
                    top_level
                        .map(|(place, words)| {
                            format!(
                                " <code>{}</code>({})",
                                esc(&place.path.to_string()),
                                esc(words.get(lang))
                            )
                        })
                        .unwrap_or_default()
                });
            let rule_link = if finding.rule.is_some() {
                format!(
                    "<a href=\"/rules/rule/{}?lang={}\"><code>{}</code></a>",
                    page::url_encode(&finding.code),
                    lang_code(lang),
                    esc(&finding.code)
                )
            } else {
                String::new()
            };
            // A finding about the file itself (`waiver::expired`) is named by its title; its code
            // is a small reference, as for the file's problems.
            let code_ref = if finding.rule.is_some() {
                String::new()
            } else {
                format!(
                    " <small class=\"code\" title=\"{}\">{}</small>",
                    t(lang, "诊断代码", "diagnostic code"),
                    esc(&finding.code)
                )
            };
            out.push_str(&format!(
                "<li class=\"finding {level}\"><span class=\"level\">{}</span> {rule_link} <strong>{}</strong>{place_link}{code_ref}\n<p>{}</p>\n",
                esc(&level_text),
                page::code_spans(finding.title.get(lang)),
                page::code_spans(finding.message.get(lang)),
            ));
            if !finding.missing.is_empty() {
                out.push_str(&format!(
                    "<p>{}:</p><ul class=\"missing\">",
                    t(lang, "需要补充", "Needed")
                ));
                for missing in listed_missing {
                    // What exactly is needed (设施类型为 幼儿园 的一项) before what the field is.
                    let doc = missing
                        .detail
                        .as_ref()
                        .or(missing.doc.as_ref())
                        .map(|doc| format!(" — {}", page::code_spans(doc.get(lang))))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "<li><code>{}</code>{doc}</li>",
                        esc(&missing.place.path.to_string())
                    ));
                }
                if more_missing > 0 {
                    out.push_str(&format!(
                        "<li class=\"more\">{}</li>",
                        esc(&match lang {
                            Lang::Zh => format!("…… 另有 {more_missing} 项"),
                            Lang::En => format!("… and {more_missing} more"),
                        })
                    ));
                }
                out.push_str("</ul>\n");
            }
            if let Some(citation) = finding.citation {
                out.push_str(&format!(
                    "<blockquote class=\"clause\"><p>{}</p><cite>{}</cite></blockquote>\n",
                    esc(&citation.quote),
                    esc(&format!("{} §{}", citation.source, citation.clause))
                ));
            }
            if let Some(hint) = &finding.hint {
                // The advice and the YAML edit are lines of their own, as on the command line.
                let lines: Vec<String> = hint.get(lang).lines().map(page::code_spans).collect();
                out.push_str(&format!(
                    "<p class=\"help\">{}: {}</p>\n",
                    t(lang, "建议", "advice"),
                    lines.join("<br>")
                ));
            }
            if let Some(advisory) = &finding.advisory {
                out.push_str(&format!(
                    "<p class=\"hint\">{}</p>\n",
                    page::code_spans(advisory.get(lang))
                ));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    } else if view.assessment.is_some() {
        out.push_str(&format!(
            "<p class=\"ok\">{}</p>\n",
            t(lang, "没有发现问题。", "Nothing found.")
        ));
    }
    out.push_str(&nothing);
    for (line, code) in nothing_marks {
        marks.entry(line).or_default().push(code);
    }
    if view.assessment.is_some() {
        // The report's own record (one model for the page, the HTML report and Word), its
        // stated values linking to their lines in the listing below.
        out.push_str(&report::document::record_on_page(
            view,
            lang,
            &format!("file-{index}-L"),
        ));
    }
    if let Some(file) = view.file {
        out.push_str(&listing(index, &file.text, &marks, lang));
    }
    out.push_str("</section>\n");
    out
}

/// Lines shown in a listing at most; the rest of a long file is left out with a note.
const MAX_LISTED_LINES: usize = 5000;

/// The YAML with line numbers, each marked line carrying the codes found there.
/// A link to `place`'s line in the listing of the file at `index` (`path`), as
/// `path:line:column` with the YAML path beside it.
fn place_link(index: usize, path: &str, place: &report::Place) -> String {
    format!(
        " <a href=\"#file-{index}-L{line}\" class=\"place\">{}:{line}:{} <code>{}</code></a>",
        esc(path),
        place.column,
        esc(&place.path.to_string()),
        line = place.line,
    )
}

fn listing(index: usize, text: &str, marks: &BTreeMap<usize, Vec<String>>, lang: Lang) -> String {
    let mut out = format!(
        "<details class=\"listing\" open><summary>{}</summary>\n<pre class=\"yaml\">",
        t(lang, "提交的 YAML", "The YAML submitted")
    );
    for (number, line) in text.lines().enumerate() {
        if number == MAX_LISTED_LINES {
            out.push_str(&format!(
                "<span class=\"line\">… {}</span>\n",
                t(lang, "其余行未显示", "further lines not shown")
            ));
            break;
        }
        let number = number + 1;
        match marks.get(&number) {
            Some(codes) => {
                let mut codes = codes.clone();
                codes.dedup();
                out.push_str(&format!(
                    "<span class=\"line marked\" id=\"file-{index}-L{number}\"><span class=\"ln\">{number}</span>{}<span class=\"why\">◀ {}</span></span>\n",
                    esc(line),
                    page::code_spans(&codes.join(", "))
                ));
            }
            None => out.push_str(&format!(
                "<span class=\"line\" id=\"file-{index}-L{number}\"><span class=\"ln\">{number}</span>{}</span>\n",
                esc(line)
            )),
        }
    }
    out.push_str("</pre>\n</details>\n");
    out
}

/// The entries of a zip named like project files but not checked, each said as `check` says a
/// file of a folder it leaves out (`io::skipped-name`), above the results: the page's verdicts
/// are of the other files (hostile review 15 X3).
fn skipped_names(skipped: &[String], lang: Lang) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<h3>{}</h3>\n<ul class=\"diagnostics skipped\">\n",
        t(lang, "未检查的文件", "Files not checked")
    );
    for name in skipped {
        let warning = crate::run::batch::skipped_name(name);
        let help = warning
            .help
            .as_ref()
            .map(|help| {
                format!(
                    "<br><span class=\"help\">{}: {}</span>",
                    t(lang, "建议", "help"),
                    page::code_spans(help.get(lang))
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "<li class=\"warning\"><code>{}</code> {}{help} <small class=\"code\">{}</small></li>\n",
            esc(&warning.file.name),
            page::code_spans(warning.message.get(lang)),
            esc(warning.code)
        ));
    }
    out.push_str("</ul>\n");
    out
}

/// The files as hidden `name` and `b64` fields of a form, and the names of entries not checked
/// as `skipped` fields, so that the page in the other language says them too.
fn hidden_files(files: &[Submitted], skipped: &[String]) -> String {
    let mut hidden = String::new();
    for name in skipped {
        hidden.push_str(&format!(
            "<input type=\"hidden\" name=\"skipped\" value=\"{}\">",
            esc(name)
        ));
    }
    for file in files {
        hidden.push_str(&format!(
            "<input type=\"hidden\" name=\"name\" value=\"{}\"><input type=\"hidden\" name=\"b64\" value=\"{}\">",
            esc(&file.name),
            upload::base64_encode(&file.bytes)
        ));
    }
    hidden
}

/// A form per report format; the files travel in the form (base64), so nothing is kept on the
/// server between the check and the download.
pub fn download_forms(lang: Lang, files: &[Submitted], skipped: &[String]) -> String {
    let hidden = hidden_files(files, skipped);
    let buttons: Vec<String> = DOWNLOADS
        .iter()
        .map(|(format, label, _, _)| {
            format!(
                "<button type=\"submit\" name=\"format\" value=\"{}\" id=\"download-{}\">{label}</button>",
                format.name(),
                format.name()
            )
        })
        .collect();
    format!(
        "<form method=\"post\" action=\"/download\" class=\"downloads\" id=\"downloads\">{hidden}<input type=\"hidden\" name=\"lang\" value=\"{}\"><span>{}</span> {}</form>\n",
        lang_code(lang),
        t(lang, "下载报告:", "Download the report:"),
        buttons.join(" ")
    )
}

/// `POST /download`: the report of the files in the form, in the format asked for.
pub async fn download(
    State(app): State<Shared>,
    uri: axum::http::Uri,
    form: Result<axum::Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(axum::Form(fields)) = form else {
        // Not the download form's format: answered as a page, not with axum's own text.
        let refusal = upload::not_the_form_s_format(super::query_value(uri.query(), "lang"));
        let lang = lang_of(refusal.lang.as_deref(), app.options.lang);
        return page::error_page(
            &app.options,
            refusal.status(),
            lang,
            refusal.message.get(lang),
        );
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let lang = lang_of(field("lang"), app.options.lang);
    let format_name = field("format").unwrap_or_default().to_owned();
    let Some((format, _, content_type, extension)) = DOWNLOADS
        .iter()
        .find(|(format, ..)| format.name() == format_name)
        .copied()
        .or_else(|| {
            Format::from_str(&format_name, true)
                .ok()
                .and_then(|format| DOWNLOADS.iter().find(|(f, ..)| *f == format).copied())
        })
    else {
        return page::error_page(
            &app.options,
            StatusCode::BAD_REQUEST,
            lang,
            t(
                lang,
                "不提供这种报告格式",
                "that report format is not offered",
            ),
        );
    };
    let files = match upload::files_from_form(&fields, app.options.upload) {
        Ok(files) => files,
        Err(refusal) => {
            return page::error_page(
                &app.options,
                refusal.status(),
                lang,
                refusal.message.get(lang),
            );
        }
    };
    if files.is_empty() {
        return page::error_page(
            &app.options,
            StatusCode::BAD_REQUEST,
            lang,
            t(lang, "没有可生成报告的文件", "no files to report on"),
        );
    }
    // The entries of a zip left out for their names, as the results page carried them: the
    // report says them as the page does, where its format has a place for notes.
    let skipped: Vec<String> = fields
        .iter()
        .filter(|(key, _)| key == "skipped")
        .map(|(_, name)| upload::carried_name(name))
        .take(upload::MAX_ZIP_ENTRIES)
        .collect();
    let limit = report_limit(&app.options);
    let files = Arc::new(files);
    let report = app
        .run_check(files, Some(limit), move |app, files| {
            let options = options_for(app, files);
            let style = style(lang, &options);
            // One file checked and written at a time, as `check` writes a report: the bytes
            // are the same as `check --format` gives, and only the report grows with the files.
            let mut bytes = Bounded {
                bytes: Vec::new(),
                limit,
                over: false,
                stopped: None,
            };
            // The file being written, for a stop the writer sees.
            let mut at = 0;
            let written = (|| {
                let mut stream = report::Stream::new(format, &app.loaded.set, &style, files.len())?;
                stream.begin(&mut bytes)?;
                let notes: Vec<crate::base::diagnostic::Diagnostic> = skipped
                    .iter()
                    .map(|name| crate::run::batch::skipped_name(name))
                    .collect();
                stream.notes(&notes)?;
                let each = each_file(
                    files,
                    |file| [check_one(app, &options, &file.name, &file.bytes)],
                    |index, checked| {
                        at = index;
                        for view in report::views(
                            &checked,
                            &app.loaded.set,
                            None,
                            style.medium,
                            &style.naming,
                        ) {
                            stream.file(&view, &mut bytes)?;
                        }
                        Ok::<(), std::io::Error>(())
                    },
                );
                match each {
                    Ok(written) => written?,
                    Err(stopped) => return Ok(Err(stopped)),
                }
                stream.finish(&mut bytes).map(Ok)
            })();
            match written {
                Ok(Ok(())) => Ok(bytes.bytes),
                Ok(Err(stopped)) => Err(Failed::Stopped(stopped)),
                // Whatever the writer made of the error, the stop or the limit is why.
                Err(_) => match bytes.stopped {
                    Some(why) => Err(Failed::Stopped(Stopped {
                        index: at,
                        name: files
                            .get(at)
                            .map(|file| file.name.clone())
                            .unwrap_or_default(),
                        files: files.len(),
                        why,
                    })),
                    None => Err(Failed::Report { over: bytes.over }),
                },
            }
        })
        .await;
    match report {
        Ok(Ok(bytes)) => page::download(bytes, content_type, &format!("yimi-report.{extension}")),
        Ok(Err(Failed::Stopped(stopped))) => stopped.page(&app.options, lang),
        Ok(Err(Failed::Report { over: true })) => page::error_page(
            &app.options,
            StatusCode::PAYLOAD_TOO_LARGE,
            lang,
            &match lang {
                Lang::Zh => format!(
                    "报告将超过 {}:请分几次下载,每次少一些文件(运行本服务的人可以调大上传上限,报告上限随之调大)",
                    size(u64::try_from(limit).unwrap_or(u64::MAX), lang)
                ),
                Lang::En => format!(
                    "the report would be larger than {}: download it for fewer files at a time (whoever runs the server can raise the submission limit, which raises this one)",
                    size(u64::try_from(limit).unwrap_or(u64::MAX), lang)
                ),
            },
        ),
        Ok(Err(Failed::Report { over: false })) => page::error_page(
            &app.options,
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            t(lang, "无法生成报告", "the report could not be made"),
        ),
        Err(refused) => refused.page(&app.options, lang),
    }
}

/// The largest report a download makes: eight times the largest submission (256 MiB with the
/// defaults; realistic reports are 5 to 10 times their files), and at least 4 MiB. A report is held in memory until it is sent, and JSON lists every problem of a file
/// (a file of 168 KB with 12 000 errors gives 26 MB), so without a bound a small submission
/// could ask for gigabytes.
pub fn report_limit(options: &super::ServeOptions) -> usize {
    usize::try_from(options.upload.max_total_bytes.saturating_mul(8))
        .unwrap_or(usize::MAX)
        .max(4 * 1024 * 1024)
}

/// Why a download made no report.
enum Failed {
    /// Its check stopped.
    Stopped(Stopped),
    /// The writer failed: over the report's limit, or otherwise.
    Report { over: bool },
}

/// A report's bytes, refused past a limit, or once the check is to stop.
struct Bounded {
    bytes: Vec<u8>,
    limit: usize,
    /// Whether a write was refused for the limit.
    over: bool,
    /// Why a write was refused for the check's stop.
    stopped: Option<Why>,
}

impl std::io::Write for Bounded {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        // A report of many files is written for as long as they take to check: a stop is seen
        // within a file's report, not only between files. (Not `Interrupted`: `write_all`
        // retries that.)
        if let Some(why) = cancel::stopped() {
            self.stopped = Some(why);
            return Err(std::io::Error::other("the check stopped"));
        }
        if self.bytes.len().saturating_add(data.len()) > self.limit {
            self.over = true;
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A size in bytes as a person reads it, in the page's language: `8 MiB`, `512 KiB`, `300 字节`
/// or `300 bytes`.
pub(crate) fn size(bytes: u64, lang: Lang) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        match lang {
            Lang::Zh => format!("{bytes} 字节"),
            Lang::En => format!("{bytes} bytes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::cancel::Stop;

    fn submitted(count: usize) -> Vec<Submitted> {
        (0..count)
            .map(|index| Submitted {
                name: format!("{index}.yaml"),
                bytes: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn a_cancelled_check_stops_at_the_next_file_and_leaves_the_unfinished_one_out() {
        let files = submitted(200);
        let stop = Stop::new(None);
        let (mut checked, mut rendered) = (0, Vec::new());
        let result = stop.run(|| {
            each_file(
                &files,
                |file| {
                    checked += 1;
                    // The request goes away while the third file is checked.
                    if checked == 3 {
                        stop.cancel();
                    }
                    file.name.clone()
                },
                |_, name| {
                    rendered.push(name);
                    Ok::<(), ()>(())
                },
            )
        });
        assert_eq!(checked, 3);
        // The third was stopped within its check: not shown as if it were finished.
        assert_eq!(rendered, ["0.yaml", "1.yaml"]);
        assert_eq!(
            result,
            Err(Stopped {
                index: 2,
                name: "2.yaml".to_owned(),
                files: 200,
                why: Why::Gone,
            })
        );
    }

    #[test]
    fn a_stopped_check_assesses_no_further_rule() {
        let set = crate::rules::compiled::builtin_set().unwrap();
        let project = crate::project::load_bytes(
            "residential.yaml",
            include_bytes!("../../examples/jl-changchun-residential.yaml"),
            Default::default(),
        )
        .unwrap();
        let options = CheckOptions::default();
        let rules = |checked: checked::Checked| match checked {
            checked::Checked::Assessed { assessment, .. } => assessment.results.len(),
            checked::Checked::Invalid(diagnostics) => panic!("{diagnostics:?}"),
        };
        assert!(rules(checked::assess(project.clone(), &set, &options)) > 10);
        // Its request went away: the engine looks before each rule and assesses none.
        let stop = Stop::new(None);
        stop.cancel();
        assert_eq!(
            rules(stop.run(|| checked::assess(project, &set, &options))),
            0
        );
    }

    #[test]
    fn a_check_past_its_time_stops_before_its_first_file_and_runs_whole_without_a_stop() {
        let files = submitted(3);
        let mut checked = 0;
        let stop = Stop::new(Some(std::time::Instant::now()));
        let result = stop.run(|| each_file(&files, |_| checked += 1, |_, ()| Ok::<(), ()>(())));
        assert_eq!(checked, 0);
        assert_eq!(result.map_err(|stopped| stopped.why), Err(Why::TimeUp));
        // Without a stop (the command line), every file.
        let result = each_file(&files, |_| checked += 1, |_, ()| Ok::<(), ()>(()));
        assert_eq!(checked, 3);
        assert_eq!(result, Ok(Ok(())));
    }

    #[test]
    fn the_page_of_a_check_stopped_by_its_time_limit_names_the_file_in_the_page_s_language() {
        let stopped = Stopped {
            index: 41,
            name: "<b>园区</b>.yaml".to_owned(),
            files: 200,
            why: Why::TimeUp,
        };
        let options = crate::serve::tests::options(None);
        let text = |lang| {
            let response = stopped.page(&options, lang);
            assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            let body = runtime
                .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
                .unwrap();
            String::from_utf8(body.to_vec()).unwrap()
        };
        let en = text(Lang::En);
        assert!(
            en.contains("the check stopped at file 42 of 200, <code>&lt;b&gt;园区&lt;/b&gt;.yaml</code>: the server gives one check at most 20 s"),
            "{en}"
        );
        assert!(en.contains("whoever runs the server can raise the check time limit"));
        let zh = text(Lang::Zh);
        assert!(
            zh.contains(
                "检查在第 42 个文件 <code>&lt;b&gt;园区&lt;/b&gt;.yaml</code>(共 200 个)处停止"
            ),
            "{zh}"
        );
    }
}
