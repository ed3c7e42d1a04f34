//! `yimi serve`: a local web workbench in the same binary. An official uploads or pastes a
//! submission and reads and downloads the result; a consultant fills a project in through a form
//! generated from the project model; anyone browses the rule packs.
//!
//! Everything served is in the binary (pages, style, the little script the form uses); pages
//! read without JavaScript. A request is checked by the same library calls as `yimi check`
//! (`project::load_bytes`, `engine::checked::assess`, `report::render`).
//!
//! Architecture invariant: nothing submitted is kept beyond the request unless `--data-dir` is
//! given; every request is bounded in body size, time and concurrent checks, a check stops
//! when its request ends or `--check-timeout` passes (`base::cancel`), the checks in flight
//! together are bounded by one memory budget weighing each by its values (`budget`), and every
//! response in the time it may take to send (`send`).

mod budget;
mod check;
mod data;
mod form;
mod guard;
mod page;
mod rules;
mod send;
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
use axum::response::Response;
use axum::routing::{get, post};

use crate::base::cancel::Stop;
use crate::base::i18n::Lang;
use crate::engine::checked::CheckOptions;
use crate::rules::load::Loaded;

pub use budget::{MAX_CHECK_MEMORY, Measured, default_check_memory, measure, weight};
pub use data::DataDirRefusal;
pub use upload::UploadLimits;

/// The longest any of the server's time limits may be: a day. Longer ones are cut to it, so
/// that no deadline lies past what a clock can count.
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(24 * 60 * 60);

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
    /// Longest time a request may take once its body has arrived.
    pub timeout: Duration,
    /// Longest time a client may take to send a request's body.
    pub body_timeout: Duration,
    /// Bytes a second a body must keep arriving at, over any few seconds, once it holds an
    /// upload slot (past its first 64 KiB); 0: no minimum.
    pub min_body_rate: u64,
    /// Checks run at once; more wait.
    pub concurrent_checks: usize,
    /// Bytes that the checks in flight may hold together, as each is weighed before it starts
    /// (`budget`); more wait, and a submission heavier than all of it is refused.
    pub max_check_memory: u64,
    /// Longest a request waits for room to be checked (memory and a check slot) before it is
    /// answered 503.
    pub queue_timeout: Duration,
    /// Longest one check may run; then it stops at the next file or rule, and the page says
    /// where.
    pub check_timeout: Duration,
    /// Bytes a second a response must keep being taken at by its client, over any few
    /// seconds in which the client holds it up; 0: no minimum.
    pub min_send_rate: u64,
    /// Longest a response may take to be sent once it is ready.
    pub send_timeout: Duration,
    /// Requests whose bodies are read at once; more wait unread.
    pub concurrent_uploads: usize,
    /// Connections open at once; more wait in the kernel's queue.
    pub max_connections: usize,
    /// Longest time a client may take to send a request's head, and longest a kept-alive
    /// connection may stay idle.
    pub header_timeout: Duration,
    /// Most bytes kept under `--data-dir`; the oldest submissions are removed to make room.
    pub data_dir_max_bytes: u64,
    /// Host names (with or without a port) a server on a loopback address answers to besides
    /// its own address and `localhost`.
    pub allowed_hosts: Vec<String>,
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
    /// The server's secrets (its session and form tokens) could not be drawn.
    #[error("cannot draw the server's secrets from the system's randomness: {0}")]
    Random(String),
    /// `--data-dir` cannot be used.
    #[error("cannot use the data directory `{path}`: {error}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        error: DataDirRefusal,
    },
}

impl ServeError {
    /// The message in both languages, as the start-up's other messages are.
    pub fn text(&self) -> crate::base::i18n::Text {
        let en = self.to_string();
        let zh = match self {
            ServeError::Runtime(error) => format!("无法启动服务器的线程:{error}"),
            ServeError::Bind { bind, error } => format!("无法在 `{bind}` 上监听:{error}"),
            ServeError::Serve(error) => format!("服务器已停止:{error}"),
            ServeError::Random(error) => format!("无法从系统随机源取得服务器的密钥:{error}"),
            ServeError::DataDir { path, error } => {
                format!("无法使用数据目录 `{path}`:{}", error.text().zh)
            }
        };
        crate::base::i18n::Text::new(zh, en)
    }
}

/// What every handler shares.
pub(crate) struct App {
    loaded: Loaded,
    options: ServeOptions,
    /// Slots for checks; a slot is held until the check's thread ends, which it does soon
    /// after its request ends (the check is cancelled then).
    checks: Arc<tokio::sync::Semaphore>,
    /// The memory checks in flight may hold, shared by all; held, like a slot, until the
    /// check's thread ends.
    budget: budget::Budget,
    /// Slots for reading request bodies past their first bytes, and handling them.
    uploads: Arc<tokio::sync::Semaphore>,
    /// The Host headers answered; `None` answers any.
    hosts: Option<Vec<String>>,
    /// Wrong tokens by client.
    logins: guard::LoginLimiter,
    /// Where submissions are kept, with `--data-dir`.
    kept: Option<data::DataDir>,
}

type Shared = Arc<App>;

/// Serves until interrupted. `ready` is called with the address actually bound (the port that
/// `:0` picked) once connections are accepted.
pub fn serve(
    loaded: Loaded,
    mut options: ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    for limit in [
        &mut options.timeout,
        &mut options.body_timeout,
        &mut options.header_timeout,
        &mut options.queue_timeout,
        &mut options.send_timeout,
        &mut options.check_timeout,
    ] {
        *limit = (*limit).clamp(Duration::from_secs(1), MAX_TIME_LIMIT);
    }
    // The server runs for days: freed pages go back to the system (see `release_freed_memory`).
    crate::base::allocator::return_freed_pages();
    guard::draw_secrets().map_err(ServeError::Random)?;
    let kept = match &options.data_dir {
        Some(dir) => Some(
            data::DataDir::open(dir).map_err(|error| ServeError::DataDir {
                path: dir.display().to_string(),
                error,
            })?,
        ),
        None => None,
    };
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
            checks: Arc::new(tokio::sync::Semaphore::new(slots(
                options.concurrent_checks,
            ))),
            uploads: Arc::new(tokio::sync::Semaphore::new(slots(
                options.concurrent_uploads,
            ))),
            budget: budget::Budget::new(options.max_check_memory),
            hosts: guard::allowed_hosts(address, &options.allowed_hosts),
            logins: guard::LoginLimiter::default(),
            kept,
            loaded,
            options,
        });
        ready(address);
        let connections = Arc::new(tokio::sync::Semaphore::new(slots(
            app.options.max_connections,
        )));
        accept(listener, app.clone(), connections.clone()).await;
        // Interrupted: no new connections; those open may finish their requests (each ends
        // within the request timeout), then the runtime drops what is left.
        let all = u32::try_from(slots(app.options.max_connections)).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(
            app.options.timeout + app.options.header_timeout,
            connections.acquire_many(all),
        )
        .await;
        Ok(())
    })
}

/// A number of slots as a semaphore takes it: at least one, and far below what it refuses.
fn slots(wanted: usize) -> usize {
    wanted.clamp(1, 1 << 20)
}

/// Accepts connections, at most `--max-connections` at once: past that, new ones wait in the
/// kernel's queue (unaccepted, so they hold none of the server's open files) until one closes.
/// Each connection must send its request head within `header_timeout`, which also closes a
/// keep-alive connection left idle that long (hyper starts the same timer while it waits for
/// the next request), and take its responses at the pace `send` asks for.
async fn accept(
    listener: tokio::net::TcpListener,
    app: Shared,
    connections: Arc<tokio::sync::Semaphore>,
) {
    let router = router(app.clone());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(app.options.header_timeout)
        .keep_alive(true);
    // Without a signal handler the server runs until killed, which is fine too.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            _ = &mut interrupted => return,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of open files or a connection reset before it was taken: wait a
                    // little rather than spin, and keep serving the connections there are.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut interrupted => return,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let clock = send::ResponseClock::new();
        let stream = send::Paced::new(
            stream,
            clock.clone(),
            app.options.min_send_rate,
            app.options.send_timeout,
        );
        let service = hyper::service::service_fn(move |mut request| {
            request.extensions_mut().insert(Peer(peer.ip()));
            // What hyper writes before the response (`100 Continue`) is timed from the
            // request, not from a response sent long before on a kept-alive connection.
            clock.ready();
            let response = hyper::service::Service::call(&service, request);
            let clock = clock.clone();
            async move {
                let response = response.await;
                // Its sending is bounded from now (`--send-timeout`).
                clock.ready();
                response
            }
        });
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        tokio::spawn(async move {
            // The slot is freed when the connection ends, however it ends.
            let _permit = permit;
            let _ = connection.await;
        });
    }
}

/// The address a request came from, for the login limit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Peer(pub std::net::IpAddr);

/// Every route, with the limits and headers every response gets.
fn router(app: Shared) -> Router {
    let body_limit = body_limit(&app.options);
    Router::new()
        .route("/", get(check::index))
        .route("/check", post(check::submit))
        .route("/download", post(check::download))
        .route("/form", get(form::page).post(form::submit))
        .route("/rules", get(rules::index))
        .route("/rules/pack/{id}", get(rules::pack))
        .route("/rules/rule/{id}", get(rules::rule))
        .route("/login", post(guard::login))
        .route("/static/app.css", get(page::stylesheet))
        .route("/static/app.js", get(page::script))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(app.clone(), guard::guard))
        .layer(middleware::from_fn(secure_headers))
        .with_state(app)
}

/// The most bytes a request's body may have. A download form carries the files in base64 (4
/// bytes for 3), plus room for the multipart framing and the fields around the files; uploads
/// are held to the limits themselves as they are read.
pub(crate) fn body_limit(options: &ServeOptions) -> usize {
    usize::try_from(options.upload.max_total_bytes / 3 * 4)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024)
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
        &app.options,
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

pub(crate) fn percent_decode(text: &str) -> String {
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
    // Nothing to other sites; to this one, browsers then send the page's real `Origin` with a
    // post (under `no-referrer` they send `Origin: null`, which the cross-site check cannot
    // tell from a page elsewhere that asked for the same).
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

impl App {
    /// Runs `work` (a check: CPU-bound) on a blocking thread once a check slot and `files`'
    /// weight in the memory budget are free, so that at most `concurrent_checks` run at once,
    /// together holding at most `--max-check-memory`, and the async threads keep answering.
    /// The slot comes first: the files are measured under it (`budget::weight_of_files`, time
    /// linear in their bytes), then weighed, with a download's report up to `report_limit`,
    /// against the budget. A request waits for both at most `--queue-timeout` (then 503); one heavier than
    /// the whole budget is refused at once (413). Whoever holds memory is running, never
    /// waiting for a slot, so waits cannot form a cycle.
    ///
    /// `work` runs with a [`Stop`] set for its thread: it stops at the next file, rule or
    /// report write once its request is gone (this future is dropped: the request timed out
    /// or its client went away) or `--check-timeout` has passed since it started. The slot
    /// and the memory go with the thread, when the work really ends.
    async fn run_check<T: Send + 'static>(
        self: &Arc<Self>,
        files: Arc<Vec<upload::Submitted>>,
        report_limit: Option<usize>,
        work: impl FnOnce(&App, &[upload::Submitted]) -> T + Send + 'static,
    ) -> Result<T, budget::Refused> {
        let waited = self.options.queue_timeout;
        let deadline = tokio::time::Instant::now() + waited;
        let permit =
            match tokio::time::timeout_at(deadline, self.checks.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_)) => return Err(budget::Refused::Stopping),
                Err(_) => return Err(budget::Refused::Busy { waited }),
            };
        /// Cancels the check when the request's future is dropped before it ends.
        struct CancelOnDrop(Stop);
        impl Drop for CancelOnDrop {
            fn drop(&mut self) {
                self.0.cancel();
            }
        }
        let gone = CancelOnDrop(Stop::new(None));
        let limits = self.options.check.limits.yaml;
        let measuring = gone.0.clone();
        let measured = files.clone();
        let weight = tokio::task::spawn_blocking(move || {
            measuring.run(|| budget::weight_of_files(&measured, limits, report_limit))
        })
        .await
        .map_err(|_| budget::Refused::Stopping)?;
        let memory = self.budget.take(weight, deadline, waited).await?;
        let stop = gone
            .0
            .with_deadline(std::time::Instant::now() + self.options.check_timeout);
        let app = self.clone();
        let result = tokio::task::spawn_blocking(move || {
            let result = on_a_thread_of_its_own(move || stop.run(|| work(&app, &files)));
            // Returned to the system before the budget is given back, so that the next check
            // starts from memory that is really free.
            release_freed_memory();
            drop(permit);
            drop(memory);
            result
        })
        .await
        .map_err(|_| budget::Refused::Stopping)?;
        result.ok_or(budget::Refused::Stopping)
    }

    /// Keeps a submission under `--data-dir`, when given; nothing otherwise.
    fn keep(&self, files: &[upload::Submitted]) {
        if let Some(kept) = &self.kept {
            kept.keep(files, self.options.data_dir_max_bytes);
        }
    }
}

/// Runs `job` on a thread of its own that ends with it, so that what a check keeps for its run
/// on its thread (worded reasons, printed heads, spare buffers) is freed when it ends, not held
/// by the pool's thread while the server idles (hostile review 20 Z2). A panic goes on to the
/// caller. If no thread can be started, `job` runs on the calling thread. `None` only if the
/// job was neither run there nor here, which cannot happen.
fn on_a_thread_of_its_own<T: Send>(job: impl FnOnce() -> T + Send) -> Option<T> {
    let mut job = Some(job);
    let ran = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("yimi-check".to_owned())
            .spawn_scoped(scope, || job.take().map(|job| job()))
            .ok()
            .map(|thread| thread.join())
    });
    match ran {
        Some(Ok(result)) => result,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => job.take().map(|job| job()),
    }
}

/// Gives the memory a check freed back to the system. glibc's allocator keeps freed memory in
/// each thread's arena for reuse and returns little of it: after one large check the server
/// stayed at 1.7 GB for good (hostile review H9), though nothing was in use. `malloc_trim(0)`
/// returns the free pages of every arena; it costs well under a millisecond after an ordinary
/// check. The `yimi` command allocates with mimalloc (`src/main.rs`), which returns freed pages
/// itself only as it allocates and frees again, so an idle server would keep them: `mi_collect`
/// returns them at once. Both are called, since C code still allocates with glibc and the test
/// binaries do not use mimalloc. Other allocators (musl, macOS) return memory themselves.
fn release_freed_memory() {
    // SAFETY: `mi_collect` only releases memory mimalloc holds free (of this thread's heap and,
    // forced, of the abandoned ones); it takes no pointers and may be called from any thread.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory the allocator holds free; it takes no
    // pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
