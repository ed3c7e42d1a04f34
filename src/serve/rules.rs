//! Browsing the rules: each pack with its source, status and force; each clause of its source
//! with its text and how it is encoded (`authoring::coverage`); each rule's explanation with its
//! examples (`authoring::explain`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::Shared;
use super::check::LangQuery;
use super::page::{self, esc, lang_code, t};
use crate::authoring::coverage::{self, Class};
use crate::base::i18n::Lang;
use crate::engine::force;
use crate::project::date::Date;
use crate::rules::ir::Pack;
use crate::sources::corpus::Status;

/// `GET /rules`: every pack.
pub async fn index(State(app): State<Shared>, Query(query): Query<LangQuery>) -> Response {
    let lang = query.lang(&app);
    let corpus = app.loaded.corpus();
    let today = super::check::options_now(&app)
        .engine
        .as_of
        .map_or_else(Date::today, |at| at.date);
    let mut body = format!(
        "<table class=\"packs\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        t(lang, "规则包", "Pack"),
        t(lang, "依据文件", "Source"),
        t(lang, "适用地区", "Jurisdiction"),
        t(lang, "状态", "Status"),
        t(lang, "效力", "Force"),
        esc(&as_of_heading(today, lang)),
        t(lang, "规则数", "Rules"),
    );
    for (index, pack) in app.loaded.set.packs.iter().enumerate() {
        let source = corpus.get(&pack.source);
        let title = source.map_or_else(|| pack.source.clone(), |source| source.title.clone());
        let rules = app
            .loaded
            .set
            .rules
            .iter()
            .filter(|rule| rule.pack == index)
            .count();
        body.push_str(&format!(
            "<tr><td><a href=\"/rules/pack/{}?lang={}\"><code>{}</code></a></td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"standing\">{}</td><td>{rules}</td></tr>\n",
            page::url_encode(&pack.id),
            lang_code(lang),
            esc(&pack.id),
            esc(&title),
            esc(&pack.jurisdiction.to_string()),
            status_text(source.map(|source| source.status), lang),
            esc(&force_text(pack, lang)),
            esc(&standing_text(&app, pack, today, lang)),
        ));
    }
    body.push_str("</tbody>\n</table>\n");
    page::respond(
        &app.options,
        StatusCode::OK,
        lang,
        t(lang, "规则包", "Rule packs"),
        "/rules",
        &body,
    )
}

/// The heading of the column that says where each pack stands on the day checks are judged at.
fn as_of_heading(today: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截至 {today}"),
        Lang::En => format!("As of {today}"),
    }
}

/// Where a pack stands on `today` and what its rules do then under the server's options:
/// `period ended · advisory only`, so that an official sees a plan has lapsed without doing
/// the date arithmetic.
fn standing_text(app: &super::App, pack: &Pack, today: Date, lang: Lang) -> String {
    let engine = &app.options.check.engine;
    let standing = force::standing(&pack.force, Some(today));
    let effect = force::effect(standing, engine.drafts, engine.lapsed);
    format!(
        "{} · {}",
        standing.label().get(lang),
        effect.label().get(lang)
    )
}

fn status_text(status: Option<Status>, lang: Lang) -> &'static str {
    match status {
        Some(Status::InForce) => t(lang, "已印发", "issued"),
        Some(Status::Draft) => t(lang, "征求意见稿", "draft"),
        None => t(lang, "未登记", "not registered"),
    }
}

fn force_text(pack: &Pack, lang: Lang) -> String {
    let force = &pack.force;
    let mut parts = Vec::new();
    if force.draft {
        parts.push(t(lang, "仅供参考(征求意见稿)", "advisory (draft)").to_owned());
    }
    match (force.from, force.until) {
        (Some(from), Some(until)) => parts.push(match lang {
            Lang::Zh => format!("{from} 至 {until}"),
            Lang::En => format!("{from} to {until}"),
        }),
        (Some(from), None) => parts.push(match lang {
            Lang::Zh => format!("自 {from} 起"),
            Lang::En => format!("from {from}"),
        }),
        (None, Some(until)) => parts.push(match lang {
            Lang::Zh => format!("至 {until}"),
            Lang::En => format!("until {until}"),
        }),
        (None, None) => {}
    }
    if let Some(next) = &force.continued_by {
        parts.push(match lang {
            Lang::Zh => format!("由 {next} 接续"),
            Lang::En => format!("continued by {next}"),
        });
    }
    parts.join(" · ")
}

/// `GET /rules/pack/ID`: the pack's source clause by clause, with how each is encoded.
pub async fn pack(
    State(app): State<Shared>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let lang = query.lang(&app);
    let set = &app.loaded.set;
    let corpus = app.loaded.corpus();
    let Some(pack) = set.packs.iter().find(|pack| pack.id == id) else {
        return page::error_page(
            &app.options,
            StatusCode::NOT_FOUND,
            lang,
            &match lang {
                Lang::Zh => format!("没有规则包 `{id}`"),
                Lang::En => format!("no pack `{id}`"),
            },
        );
    };
    let source = corpus.get(&pack.source);
    let mut body = String::new();
    if let Some(source) = source {
        body.push_str(&format!(
            "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>\n",
            t(lang, "依据文件", "Source"),
            esc(&source.title),
            t(lang, "发文机关", "Issued by"),
            esc(&source.issuer),
            t(lang, "日期", "Date"),
            esc(&source.date),
            t(lang, "状态", "Status"),
            status_text(Some(source.status), lang),
            t(lang, "效力", "Force"),
            esc(&force_text(pack, lang)),
        ));
        let today = super::check::options_now(&app)
            .engine
            .as_of
            .map_or_else(Date::today, |at| at.date);
        body.push_str(&format!(
            "<p class=\"standing\">{}: {}</p>\n",
            esc(&as_of_heading(today, lang)),
            esc(&standing_text(&app, pack, today, lang))
        ));
    }
    let coverage = coverage::coverage(set, corpus, lang, Some(&pack.source));
    for source_coverage in &coverage {
        body.push_str(&format!(
            "<p class=\"counts\">{}: {} · {}: {} · {}: {} · {}: {} · {}: {} · {}: {} · {}: {}</p>\n",
            t(lang, "条款", "items"),
            source_coverage.items,
            t(lang, "由规则检查", "checked by rules"),
            source_coverage.rule,
            t(lang, "设为指标", "targets"),
            source_coverage.target,
            t(lang, "不可检查", "not checkable"),
            source_coverage.not_checkable,
            t(lang, "未分类", "unclassified"),
            source_coverage.unclassified,
            t(lang, "规范语句", "normative sentences"),
            source_coverage.sentences,
            t(lang, "未覆盖语句", "unaccounted sentences"),
            source_coverage.unaccounted,
        ));
        body.push_str("<ol class=\"clauses\">\n");
        for clause in &source_coverage.clauses {
            let text = source
                .and_then(|source| {
                    source
                        .clause(&clause.clause)
                        .map(|found| source.own_text_of(found).trim().to_owned())
                })
                .unwrap_or_else(|| clause.title.clone());
            let how = class_html(&clause.class, lang, t(lang, "未分类", "unclassified"));
            // Each normative sentence with what accounts for it, as `rules coverage --detail`
            // lists them: a clause classified as a whole may still hold a sentence no rule reads.
            // A clause whose one sentence is encoded as the clause is says it once.
            let said_by_the_clause = match clause.sentences.as_slice() {
                [] => true,
                [only] => only.class == clause.class && only.rest_not_checkable.is_none(),
                _ => false,
            };
            let sentences = if said_by_the_clause {
                String::new()
            } else {
                let items: String = clause
                    .sentences
                    .iter()
                    .map(|sentence| {
                        let rest = sentence.rest_not_checkable.as_ref().map_or_else(
                            String::new,
                            |reason| {
                                format!(
                                    " <span class=\"rest\">{}{}</span>",
                                    t(lang, "其余部分不可检查:", "the rest not checkable: "),
                                    esc(reason)
                                )
                            },
                        );
                        format!(
                            "<li><span class=\"sentence\">{}</span> {}{rest}</li>\n",
                            esc(&sentence.text),
                            class_html(&sentence.class, lang, t(lang, "未覆盖", "unaccounted"))
                        )
                    })
                    .collect();
                format!(
                    "<p class=\"sentences-heading\">{}</p>\n<ul class=\"sentences\">\n{items}</ul>\n",
                    t(lang, "规范语句", "Normative sentences")
                )
            };
            body.push_str(&format!(
                "<li id=\"clause-{}\"><p><strong>§{}</strong> {}</p><p class=\"how\">{how}</p>\n{sentences}</li>\n",
                esc(&clause.clause),
                esc(&clause.clause),
                esc(&text),
            ));
        }
        body.push_str("</ol>\n");
    }
    let title = format!("{} {}", t(lang, "规则包", "Pack"), pack.id);
    page::respond(
        &app.options,
        StatusCode::OK,
        lang,
        &title,
        &format!("/rules/pack/{}", page::url_encode(&pack.id)),
        &body,
    )
}

/// How a clause or sentence is encoded: the rules or targets (linked to their explanations),
/// or not checkable with the reason; `unclassified` names what nothing accounts for.
fn class_html(class: &Class, lang: Lang, unclassified: &str) -> String {
    match class {
        Class::Rule { rules } => format!(
            "<span class=\"class rule\">{}</span> {}",
            t(lang, "规则", "rule"),
            rule_links(rules, lang)
        ),
        Class::Target { targets } => format!(
            "<span class=\"class target\">{}</span> {}",
            t(lang, "指标", "target"),
            rule_links(targets, lang)
        ),
        Class::RuleAndTarget { rules, targets } => format!(
            "<span class=\"class rule\">{}</span> {} <span class=\"class target\">{}</span> {}",
            t(lang, "规则", "rule"),
            rule_links(rules, lang),
            t(lang, "指标", "target"),
            rule_links(targets, lang)
        ),
        Class::NotCheckable { reason } => format!(
            "<span class=\"class not-checkable\">{}</span> {}",
            t(lang, "不可检查", "not checkable"),
            page::code_spans(reason)
        ),
        Class::Unclassified => format!("<span class=\"class unclassified\">{unclassified}</span>"),
    }
}

fn rule_links(ids: &[String], lang: Lang) -> String {
    ids.iter()
        .map(|id| {
            format!(
                "<a href=\"/rules/rule/{}?lang={}\"><code>{}</code></a>",
                page::url_encode(id),
                lang_code(lang),
                esc(id)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `GET /rules/rule/ID`: `yimi explain ID`, with its passing and failing examples.
pub async fn rule(
    State(app): State<Shared>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let lang = query.lang(&app);
    let set = &app.loaded.set;
    match crate::authoring::explain::explain(set, app.loaded.corpus(), &id, lang) {
        Ok(text) => {
            let pack = crate::authoring::explain::find(set, &id, lang)
                .ok()
                .and_then(|rule| set.packs.get(rule.pack))
                .map(|pack| {
                    format!(
                        "<p><a href=\"/rules/pack/{}?lang={}\">{} <code>{}</code></a></p>\n",
                        page::url_encode(&pack.id),
                        lang_code(lang),
                        t(lang, "规则包", "Pack"),
                        esc(&pack.id)
                    )
                })
                .unwrap_or_default();
            let body = format!(
                "{pack}<pre class=\"explain\">{}</pre>\n",
                page::code_spans(&text)
            );
            page::respond(
                &app.options,
                StatusCode::OK,
                lang,
                &id,
                &format!("/rules/rule/{}", page::url_encode(&id)),
                &body,
            )
        }
        // `explain` words its refusal for the terminal, in English: the page says it in its own
        // language, with the same suggestion.
        Err(message) => {
            let message = match lang {
                Lang::En => message,
                Lang::Zh => {
                    let suggestion = crate::base::suggest::did_you_mean(
                        &id,
                        set.rules.iter().map(|rule| rule.id.as_str()),
                    )
                    .map(|found| format!("(是否是 `{found}`?)"))
                    .unwrap_or_default();
                    format!(
                        "没有规则或目标 `{}`{suggestion}:规则编号见规则列表",
                        id.chars()
                            .filter(|c| !c.is_control())
                            .take(100)
                            .collect::<String>()
                    )
                }
            };
            page::error_page(&app.options, StatusCode::NOT_FOUND, lang, &message)
        }
    }
}
