//! `yimi serve`: a local web workbench in the same binary. An official uploads or pastes a
//! submission and reads and downloads the result; a consultant fills a project in through a form
//! generated from the project model; anyone browses the rule packs.
//!
//! Everything served is in the binary (pages, style, the little script the form uses); pages
//! read without JavaScript. A request is checked by the same library calls as `yimi check`
//! (`project::load_bytes`, `engine::checked::assess`, `report::render`).
//!
//! Architecture invariant: nothing submitted is kept beyond the request unless `--data-dir` is
//! given; every request is bounded in body size, time and concurrent checks.

mod check;
mod form;
mod page;
mod rules;
#[cfg(test)]
mod tests;
mod upload;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::base::i18n::Lang;
use crate::engine::checked::CheckOptions;
use crate::rules::load::Loaded;

pub use upload::UploadLimits;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The token every request must carry, when set.
    pub token: Option<String>,
    /// How to check a submission (jurisdiction, drafts, lapsed plans, file limits).
    pub check: CheckOptions,
    /// The language pages open in.
    pub lang: Lang,
    /// Where to keep submissions; `None` keeps nothing.
    pub data_dir: Option<PathBuf>,
    /// Bounds on uploads.
    pub upload: UploadLimits,
    /// Longest time a request may take.
    pub timeout: Duration,
    /// Checks run at once; more wait.
    pub concurrent_checks: usize,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The runtime could not start.
    #[error("cannot start the server's threads: {0}")]
    Runtime(std::io::Error),
    /// The address could not be bound.
    #[error("cannot listen on `{bind}`: {error}")]
    Bind {
        /// The address.
        bind: SocketAddr,
        /// Why.
        error: std::io::Error,
    },
    /// The server failed while serving.
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    /// `--data-dir` cannot be used.
    #[error("cannot use the data directory `{path}`: {error}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        error: std::io::Error,
    },
}

/// What every handler shares.
pub(crate) struct App {
    loaded: Loaded,
    options: ServeOptions,
    checks: tokio::sync::Semaphore,
    submissions: std::sync::atomic::AtomicU64,
}

type Shared = Arc<App>;

/// Serves until interrupted. `ready` is called with the address actually bound (the port that
/// `:0` picked) once connections are accepted.
pub fn serve(
    loaded: Loaded,
    options: ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    if let Some(dir) = &options.data_dir {
        std::fs::create_dir_all(dir).map_err(|error| ServeError::DataDir {
            path: dir.display().to_string(),
            error,
        })?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .thread_name("yimi-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let bind = options.bind;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|error| ServeError::Bind { bind, error })?;
        let address = listener
            .local_addr()
            .map_err(|error| ServeError::Bind { bind, error })?;
        let app = Arc::new(App {
            checks: tokio::sync::Semaphore::new(options.concurrent_checks.max(1)),
            loaded,
            options,
            submissions: std::sync::atomic::AtomicU64::new(0),
        });
        ready(address);
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                // Without a signal handler the server runs until killed, which is fine too.
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(ServeError::Serve)
    })
}

/// Every route, with the limits and headers every response gets.
fn router(app: Shared) -> Router {
    // A download form carries the files in base64 (4 bytes for 3), plus room for the multipart
    // framing and the fields around the files; uploads are held to the limits themselves as
    // they are read.
    let body_limit = usize::try_from(app.options.upload.max_total_bytes / 3 * 4)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .route("/", get(check::index))
        .route("/check", post(check::submit))
        .route("/download", post(check::download))
        .route("/form", get(form::page).post(form::submit))
        .route("/rules", get(rules::index))
        .route("/rules/pack/{id}", get(rules::pack))
        .route("/rules/rule/{id}", get(rules::rule))
        .route("/login", post(login))
        .route("/static/app.css", get(page::stylesheet))
        .route("/static/app.js", get(page::script))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(middleware::from_fn(secure_headers))
        .with_state(app)
}

/// The language of a request: `?lang=en` or the `lang` field, else the server's.
pub(crate) fn lang_of(query: Option<&str>, default: Lang) -> Lang {
    match query {
        Some("en") => Lang::En,
        Some("zh") => Lang::Zh,
        _ => default,
    }
}

async fn not_found(State(app): State<Shared>, request: Request) -> Response {
    let lang = lang_of(
        query_value(request.uri().query(), "lang").as_deref(),
        app.options.lang,
    );
    page::error_page(
        StatusCode::NOT_FOUND,
        lang,
        page::t(lang, "页面不存在", "no such page"),
    )
}

/// One value of a query string, decoded.
pub(crate) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    let query = query?;
    form_urlencoded_pairs(query)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// Splits `a=1&b=2` into decoded pairs (`+` is a space, `%XX` a byte).
pub(crate) fn form_urlencoded_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(at + 1..at + 3)
                    .and_then(|pair| std::str::from_utf8(pair).ok())
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok());
                if let Some(decoded) = hex {
                    out.push(decoded);
                    at += 2;
                } else {
                    out.push(b'%');
                }
            }
            other => out.push(other),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The cookie that carries the token once the page has asked for it.
const TOKEN_COOKIE: &str = "yimi_token";

/// Asks for the token when one is set, bounds each request's time and the requests handled at
/// once.
async fn guard(State(app): State<Shared>, request: Request, next: Next) -> Response {
    if let Some(token) = &app.options.token {
        let path = request.uri().path();
        let open = path == "/login" || path.starts_with("/static/");
        if !open && !carries_token(&request, token) {
            let lang = lang_of(
                query_value(request.uri().query(), "lang").as_deref(),
                app.options.lang,
            );
            return page::login_page(lang, request.uri().path_and_query().map(|p| p.as_str()));
        }
    }
    let lang = app.options.lang;
    match tokio::time::timeout(app.options.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => page::error_page(
            StatusCode::REQUEST_TIMEOUT,
            lang,
            page::t(lang, "请求超时", "the request took too long"),
        ),
    }
}

/// Whether the request carries the token, in the cookie or as `Authorization: Bearer`.
fn carries_token(request: &Request, token: &str) -> bool {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if bearer.is_some_and(|given| same_secret(given.as_bytes(), token.as_bytes())) {
        return true;
    }
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| {
            name == TOKEN_COOKIE && same_secret(percent_decode(value).as_bytes(), token.as_bytes())
        })
}

/// Compares secrets in time that depends only on their lengths, so that timing tells nothing
/// about how much of a guess was right.
pub(crate) fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let mut difference = u8::from(given.len() != expected.len());
    for (index, byte) in expected.iter().enumerate() {
        difference |= byte ^ given.get(index).copied().unwrap_or(0);
    }
    difference == 0
}

/// `POST /login`: the token from the form becomes a cookie when it is right.
async fn login(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let fields = form_urlencoded_pairs(&String::from_utf8_lossy(&body));
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let lang = lang_of(field("lang").as_deref(), app.options.lang);
    let given = field("token").unwrap_or_default();
    let Some(token) = &app.options.token else {
        return axum::response::Redirect::to("/").into_response();
    };
    if !same_secret(given.as_bytes(), token.as_bytes()) {
        let mut response = page::login_page(lang, None);
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return response;
    }
    // Only a path on this site: never an address that leads elsewhere.
    let next = field("next")
        // A path on this server only: browsers drop tabs and newlines from URLs, so `/\t/evil`
        // would become `//evil`, another site.
        .filter(|next| {
            next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control)
        })
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{TOKEN_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        page::url_encode(token)
    );
    let mut response = axum::response::Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The content security policy: the page's own style and script only, no inline code, no
/// frames, forms posted only here.
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn secure_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

impl App {
    /// Runs `work` (a check: CPU-bound) on a blocking thread once a permit is free, so that at
    /// most `concurrent_checks` run at once and the async threads keep answering.
    async fn run_check<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&App) -> T + Send + 'static,
    ) -> Option<T> {
        let _permit = self.checks.acquire().await.ok()?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || work(&app)).await.ok()
    }

    /// Keeps a submission under `--data-dir`, when given; nothing otherwise.
    fn keep(&self, files: &[upload::Submitted]) {
        let Some(dir) = &self.options.data_dir else {
            return;
        };
        let number = self
            .submissions
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let folder = dir.join(format!("{stamp}-{}-{number}", std::process::id()));
        if std::fs::create_dir_all(&folder).is_err() {
            return;
        }
        for (index, file) in files.iter().enumerate() {
            // Stored under a number, never under the submitted name: a name is not a path.
            let _ = std::fs::write(folder.join(format!("{index:03}.yaml")), &file.bytes);
        }
        let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
        let _ = std::fs::write(
            folder.join("names.json"),
            serde_json::json!(names).to_string(),
        );
    }
}
