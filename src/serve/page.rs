//! The page around every view: layout, navigation, the style and script (embedded, served from
//! `/static/`, so the content security policy needs no inline code), and small helpers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ServeOptions;
use crate::base::i18n::Lang;
use crate::report::escape;

/// Text in the page's language.
pub fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Escapes text for HTML.
pub fn esc(text: &str) -> String {
    escape::html(text)
}

/// Escapes a message for HTML with its `code` spans set in `<code>`: what yimi says quotes keys,
/// values and names in backticks, which a page shows as code, not as raw backticks.
pub fn code_spans(text: &str) -> String {
    escape::html_code(text)
}

/// Percent-encodes text for a URL path segment or query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The other language, for the switch in the header.
fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

/// How the language switch in the header leads to the same page in the other language.
pub enum Switch<'a> {
    /// A link to the page's own address (without the language).
    Link(&'a str),
    /// A page reached by a form, or that is one: the switch submits the form with this id
    /// (to `action`, multipart, when given) with `switch_lang` set to the other language, so
    /// that what was submitted or filled in is kept. The switch is a button inside that form,
    /// placed in the header by the stylesheet: a button in the header naming the form by its
    /// `form` attribute does nothing in IE 11, which some offices still run.
    Submit {
        /// The form's id.
        form: &'a str,
        /// Where to post instead of the form's own action.
        action: Option<&'a str>,
    },
}

/// The label of the switch to `lang`.
fn switch_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Zh => "中文",
    }
}

/// A whole page: `path` is the page's own address without the language, so that the switch
/// leads to the same page in the other language.
pub fn layout(options: &ServeOptions, lang: Lang, title: &str, path: &str, body: &str) -> String {
    layout_switching(options, lang, title, &Switch::Link(path), body)
}

/// A whole page with the language switch given. Its footer says whether this server keeps what
/// is submitted (whether `options` name a data directory).
pub fn layout_switching(
    options: &ServeOptions,
    lang: Lang,
    title: &str,
    switch: &Switch<'_>,
    body: &str,
) -> String {
    let tag = lang.tag();
    let switch_lang = other(lang);
    let mut in_form = None;
    let switch_html = match switch {
        Switch::Link(path) => {
            let separator = if path.contains('?') { '&' } else { '?' };
            format!(
                "<a class=\"lang\" id=\"switch-lang\" href=\"{}{separator}lang={}\">{}</a>",
                esc(path),
                lang_code(switch_lang),
                switch_label(switch_lang)
            )
        }
        Switch::Submit { form, action } => {
            in_form = Some(FormSwitch {
                form,
                button: format!(
                    "<button type=\"submit\"{} name=\"switch_lang\" value=\"{}\" class=\"lang in-form\" id=\"switch-lang\" formnovalidate>{}</button>",
                    action
                        .map(|action| format!(
                            " formaction=\"{}\" formmethod=\"post\" formenctype=\"multipart/form-data\"",
                            esc(action)
                        ))
                        .unwrap_or_default(),
                    lang_code(switch_lang),
                    switch_label(switch_lang)
                ),
            });
            // Room in the header for the switch the stylesheet puts there.
            "<span class=\"lang-room\"></span>".to_owned()
        }
    };
    let q = format!("?lang={}", lang_code(lang));
    let nav = [
        ("/", t(lang, "检查提交材料", "Check a submission")),
        ("/form", t(lang, "填写项目", "Fill in a project")),
        ("/rules", t(lang, "规则", "Rules")),
    ]
    .iter()
    .map(|(href, label)| format!("<a href=\"{href}{q}\">{label}</a>"))
    .collect::<Vec<_>>()
    .join("\n      ");
    format!(
        "<!DOCTYPE html>
<html lang=\"{tag}\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>{title} · yimi</title>
<link rel=\"icon\" href=\"data:,\">
<link rel=\"stylesheet\" href=\"/static/app.css\">
<script src=\"/static/app.js\" defer></script>
</head>
<body>
<header>
  <span class=\"brand\">yimi · {product}</span>
  <nav>
      {nav}
      {switch_html}
  </nav>
</header>
<main>
<h1>{title}</h1>
{body}
</main>
<footer>{footer}</footer>
</body>
</html>
",
        title = esc(title),
        body = WithFormTokens {
            body,
            switch: in_form
        },
        product = t(lang, "儿童影响评价合规检查", "children's impact assessment"),
        footer = if options.data_dir.is_some() {
            t(
                lang,
                "本页面由本机的 yimi 提供;提交的材料保存在运行本服务的计算机上。",
                "Served by yimi on this machine; submissions are kept on the computer that runs it.",
            )
        } else {
            t(
                lang,
                "本页面由本机的 yimi 提供;提交的材料不会保存。",
                "Served by yimi on this machine; submissions are not kept.",
            )
        },
    )
}

/// A page's body with the form token put first into each form that posts, so that every post
/// a page makes brings it back (the guard refuses one without it), a form added later
/// included, and the language switch put last into the form it submits (last, so that Enter in
/// a field still presses the form's own first button). A `<form` in the body is one of the
/// server's own: what a submission or a rule pack puts on a page is escaped, and an escaped
/// `<` is `&lt;`.
struct WithFormTokens<'a> {
    body: &'a str,
    switch: Option<FormSwitch<'a>>,
}

/// The language switch of a page reached by a form, and the id of the form it submits.
struct FormSwitch<'a> {
    form: &'a str,
    button: String,
}

impl std::fmt::Display for WithFormTokens<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.body;
        let switch_form = self
            .switch
            .as_ref()
            .map(|switch| format!(" id=\"{}\"", esc(switch.form)));
        while let Some(start) = rest.find("<form ") {
            let Some(length) = rest.get(start..).and_then(|tag| tag.find('>')) else {
                break;
            };
            let (tag_and_before, after) = rest.split_at(start + length + 1);
            out.write_str(tag_and_before)?;
            let tag = tag_and_before.get(start..).unwrap_or_default();
            if tag.contains(" method=\"post\"") {
                let action = tag
                    .split_once(" action=\"")
                    .and_then(|(_, from)| from.split_once('"'))
                    .map_or("", |(action, _)| action);
                if let Some(token) = super::guard::form_token(action) {
                    write!(
                        out,
                        "<input type=\"hidden\" name=\"{}\" value=\"{token}\">",
                        super::guard::FORM_TOKEN_FIELD
                    )?;
                }
            }
            rest = after;
            // Forms do not nest: the form ends at the first `</form>` after it begins.
            if let (Some(switch), Some(id)) = (&self.switch, &switch_form)
                && tag.contains(id.as_str())
                && let Some(end) = rest.find("</form>")
            {
                let (inside, from_end) = rest.split_at(end);
                out.write_str(inside)?;
                out.write_str(&switch.button)?;
                rest = from_end;
            }
        }
        out.write_str(rest)
    }
}

/// `zh` or `en`, as in `?lang=`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// A page as a response. No line of it starts a CI log command (`::` first, `##vso[` or `##[`
/// anywhere), as no line of a report does: a page is saved, printed and pasted into logs, and a
/// line feed in a submitted value (a zip entry's name, a form field) would otherwise start a
/// line of the page with it (hostile review 9 R3). The page has no inline script or style, so
/// character references read the same wherever they land.
pub fn html(status: StatusCode, text: String) -> Response {
    let text = match escape::ci_commands(escape::OutputKind::Markup, &text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(guarded) => guarded,
    };
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// A whole page as a response: the one way every view is answered.
pub fn respond(
    options: &ServeOptions,
    status: StatusCode,
    lang: Lang,
    title: &str,
    path: &str,
    body: &str,
) -> Response {
    html(status, layout(options, lang, title, path, body))
}

/// The answer when the server is stopping and a check could not run.
pub fn stopping(options: &ServeOptions, lang: Lang) -> Response {
    error_page(
        options,
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        t(lang, "服务正在停止", "the server is stopping"),
    )
}

/// A message that something went wrong, as it is shown at the top of a page.
pub fn alert(message: &str) -> String {
    format!(
        "<p class=\"error\" role=\"alert\">{}</p>\n",
        code_spans(message)
    )
}

/// A page that says what went wrong.
pub fn error_page(
    options: &ServeOptions,
    status: StatusCode,
    lang: Lang,
    message: &str,
) -> Response {
    let body = format!(
        "{}<p><a href=\"/?lang={}\">{}</a></p>",
        alert(message),
        lang_code(lang),
        t(lang, "返回", "Back")
    );
    respond(
        options,
        status,
        lang,
        t(lang, "出错了", "Something went wrong"),
        "/",
        &body,
    )
}

/// The page that asks for the token; after a wrong one, it says so first.
pub fn login_page(
    options: &ServeOptions,
    lang: Lang,
    next: Option<&str>,
    problem: Option<&str>,
) -> Response {
    let next = next.unwrap_or("/");
    let body = format!(
        "{problem}<form method=\"post\" action=\"/login\" class=\"card\">
<p>{ask}</p>
<label>{label} <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label>
<input type=\"hidden\" name=\"next\" value=\"{next}\">
<input type=\"hidden\" name=\"lang\" value=\"{code}\">
<button type=\"submit\">{enter}</button>
</form>",
        ask = t(
            lang,
            "此服务需要访问令牌,请向管理员索取。",
            "This server needs an access token; ask whoever runs it."
        ),
        label = t(lang, "访问令牌", "Access token"),
        next = esc(next),
        code = lang_code(lang),
        enter = t(lang, "进入", "Enter"),
        problem = problem.map(alert).unwrap_or_default(),
    );
    respond(
        options,
        StatusCode::UNAUTHORIZED,
        lang,
        t(lang, "需要访问令牌", "Access token needed"),
        "/",
        &body,
    )
}

const STYLESHEET: &str = include_str!("static/app.css");
const SCRIPT: &str = include_str!("static/app.js");

/// `GET /static/app.css`.
pub async fn stylesheet() -> Response {
    static_file(STYLESHEET, "text/css; charset=utf-8")
}

/// `GET /static/app.js`.
pub async fn script() -> Response {
    static_file(SCRIPT, "text/javascript; charset=utf-8")
}

fn static_file(text: &'static str, content_type: &'static str) -> Response {
    let mut response = text.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A download: the report as an attachment, never shown in the page's origin.
pub fn download(body: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"{}\"", file_name.replace('"', ""));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
