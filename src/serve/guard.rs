//! What every request passes before a page is made: the Host it names (against DNS rebinding),
//! the token, the login limit, the request's time and the bodies read at once.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::page;
use super::{Peer, Shared, form_urlencoded_pairs, lang_of, percent_decode, query_value};
use crate::base::i18n::Lang;

/// A cookie scripts may carry the token in (browsers are given [`SESSION_COOKIE`] instead).
const TOKEN_COOKIE: &str = "yimi_token";

/// The cookie a right token earns at the login page: a random value of this server's, not the
/// token, so that a logged-in browser is not guessing and no limit on guesses holds it up.
const SESSION_COOKIE: &str = "yimi_session";

/// The hidden field every form this server renders carries, and every post must bring back.
pub(crate) const FORM_TOKEN_FIELD: &str = "form_token";

/// What a server makes up when it starts, from the operating system's randomness (256 bits
/// each, as hex): the session a right token earns, and the form tokens its pages carry. A
/// server has one token for its whole life, so a session bound to it is one value, and the
/// form token of the pages a logged-in reader sees is one value too (an HMAC of a secret and
/// the session would be a constant as well). The login page, which anyone who reaches the
/// server sees, carries a form token of its own, so that knowing it opens nothing else. They
/// change when the server restarts: a page opened before cannot post, and says so.
pub(crate) struct Secrets {
    session: String,
    page_form: String,
    login_form: String,
}

/// One set per process: a process runs one server (unit tests may start several; they share).
static SECRETS: std::sync::OnceLock<Secrets> = std::sync::OnceLock::new();

/// Draws the server's secrets, once; the server does not start without them.
pub(crate) fn draw_secrets() -> Result<(), String> {
    if SECRETS.get().is_some() {
        return Ok(());
    }
    let random = || -> Result<String, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|error| error.to_string())?;
        Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    };
    let secrets = Secrets {
        session: random()?,
        page_form: random()?,
        login_form: random()?,
    };
    // Another thread may have drawn them meanwhile: either set serves.
    let _ = SECRETS.set(secrets);
    Ok(())
}

/// The form token a form posting to `action` carries: the login page's own, or the pages'.
/// `None` before the secrets are drawn (the server refuses every post then).
pub(crate) fn form_token(action: &str) -> Option<&'static str> {
    let secrets = SECRETS.get()?;
    Some(if action == "/login" {
        &secrets.login_form
    } else {
        &secrets.page_form
    })
}

/// The Host headers a server on a loopback address answers to: its address and `localhost`
/// with its port, and the names given with `--allow-host`. `None` when any Host is answered
/// (a server for other machines, reached under names it cannot know, and with no names given).
pub(crate) fn allowed_hosts(address: SocketAddr, extra: &[String]) -> Option<Vec<String>> {
    if !address.ip().is_loopback() && extra.is_empty() {
        return None;
    }
    let port = address.port();
    let mut hosts = Vec::new();
    let mut add = |name: &str| {
        let name = name.to_ascii_lowercase();
        // A name without a port is the name with this server's port (and bare on port 80,
        // where browsers leave the port out).
        let has_port = name.rsplit_once(':').is_some_and(|(head, tail)| {
            !head.is_empty() && !tail.contains(']') && (!head.contains(':') || head.ends_with(']'))
        });
        if has_port {
            hosts.push(name);
        } else {
            hosts.push(format!("{name}:{port}"));
            if port == 80 {
                hosts.push(name);
            }
        }
    };
    if address.ip().is_loopback() {
        match address.ip() {
            IpAddr::V4(ip) => add(&ip.to_string()),
            IpAddr::V6(ip) => add(&format!("[{ip}]")),
        }
        add("localhost");
    } else if address.ip().is_unspecified() {
        // All interfaces with `--allow-host`: the loopback address printed at start still opens.
        add("127.0.0.1");
        add("[::1]");
        add("localhost");
    }
    for name in extra {
        add(name);
    }
    Some(hosts)
}

/// Failed logins a client may make before it has to wait.
const FREE_FAILURES: u32 = 5;

/// Longest wait after repeated failures.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// Clients remembered at most; past that the oldest record is forgotten.
const MAX_CLIENTS: usize = 4096;

/// Wrong tokens the whole server reads in any minute, from all addresses together. Past it,
/// token guesses are answered 429 unread until the oldest of them is a minute old: a client
/// that rotates its source address (a machine has many loopback and IPv6 addresses) gets
/// about one guess in two seconds, not thousands. A browser that has logged in carries its
/// session instead of the token, so it is never held up by somebody else's guesses, and an
/// address the right token came from before is held to its own backoff only.
pub(crate) const WRONG_GUESSES_PER_MINUTE: usize = 30;

/// The span [`WRONG_GUESSES_PER_MINUTE`] is counted over.
const GUESS_WINDOW: Duration = Duration::from_secs(60);

/// Wrong tokens by client and for the whole server. After [`FREE_FAILURES`] a client waits 2,
/// 4, 8 … (at most 60) seconds between guesses, and past [`WRONG_GUESSES_PER_MINUTE`] wrong
/// ones in a minute every client does; guesses made while waiting are refused unread, so
/// guessing a token takes years, not minutes, from one address or from thousands.
#[derive(Default)]
pub(crate) struct LoginLimiter {
    state: Mutex<Guesses>,
}

#[derive(Default)]
struct Guesses {
    clients: HashMap<IpAddr, Failures>,
    /// When the server's latest wrong guesses were made, oldest first, none older than
    /// [`GUESS_WINDOW`]: at most [`WRONG_GUESSES_PER_MINUTE`] of them.
    recent: VecDeque<Instant>,
    /// Addresses the right token came from, and when it last did (at most [`MAX_CLIENTS`]):
    /// guesses from them are held to their own backoff only, not to the server-wide budget, so
    /// a colleague who logged in before can log in again while someone elsewhere is guessing.
    /// Only the token puts an address here, so an attacker elsewhere gains nothing by it; one
    /// that shares such an address (a proxy) still waits as that address does.
    trusted: HashMap<IpAddr, Instant>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    fn wait(&self) -> Duration {
        let over = self.count.saturating_sub(FREE_FAILURES - 1);
        if over == 0 {
            return Duration::ZERO;
        }
        Duration::from_secs(1u64 << over.min(6)).min(MAX_WAIT)
    }
}

/// What became of a guess at the token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Guess {
    Right,
    Wrong,
    /// Not read: the client, or the whole server, has guessed wrong too often lately.
    Wait(Duration),
}

impl Guesses {
    /// How long guesses from `client` must still wait, by its own failures or the server's.
    fn must_wait(&mut self, client: IpAddr, now: Instant) -> Option<Duration> {
        let own = self.clients.get(&client).and_then(|failures| {
            (failures.last + failures.wait())
                .checked_duration_since(now)
                .filter(|left| !left.is_zero())
        });
        while self
            .recent
            .front()
            .is_some_and(|oldest| now.saturating_duration_since(*oldest) >= GUESS_WINDOW)
        {
            self.recent.pop_front();
        }
        let everyone = if self.recent.len() >= WRONG_GUESSES_PER_MINUTE
            && !self.trusted.contains_key(&client)
        {
            self.recent
                .front()
                .and_then(|oldest| (*oldest + GUESS_WINDOW).checked_duration_since(now))
                .filter(|left| !left.is_zero())
                .or(Some(Duration::from_secs(1)))
        } else {
            None
        };
        own.max(everyone)
    }

    fn trust(&mut self, client: IpAddr, now: Instant) {
        if self.trusted.len() >= MAX_CLIENTS && !self.trusted.contains_key(&client) {
            let oldest = self
                .trusted
                .iter()
                .min_by_key(|(_, last)| **last)
                .map(|(ip, _)| *ip);
            if let Some(oldest) = oldest {
                self.trusted.remove(&oldest);
            }
        }
        self.trusted.insert(client, now);
    }

    fn failed(&mut self, client: IpAddr, now: Instant) {
        if self.clients.len() >= MAX_CLIENTS && !self.clients.contains_key(&client) {
            let oldest = self
                .clients
                .iter()
                .min_by_key(|(_, failures)| failures.last)
                .map(|(ip, _)| *ip);
            if let Some(oldest) = oldest {
                self.clients.remove(&oldest);
            }
        }
        let failures = self.clients.entry(client).or_insert(Failures {
            count: 0,
            last: now,
        });
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
        self.recent.push_back(now);
        while self.recent.len() > WRONG_GUESSES_PER_MINUTE {
            self.recent.pop_front();
        }
    }
}

impl LoginLimiter {
    /// Judges one guess from `client`: refused unread while it (or the server) must wait,
    /// else `is_right` compares it and a wrong one is counted. The compare runs under the
    /// lock, so concurrent guesses cannot slip past the budget between the count and the
    /// compare (it takes microseconds: a constant-time compare of two short strings).
    pub(crate) fn guess(&self, client: IpAddr, is_right: impl FnOnce() -> bool) -> Guess {
        // A poisoned lock holds counts all the same: failing open would lift the limit.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if let Some(wait) = state.must_wait(client, now) {
            return Guess::Wait(wait);
        }
        if is_right() {
            state.clients.remove(&client);
            state.trust(client, now);
            Guess::Right
        } else {
            state.failed(client, now);
            Guess::Wrong
        }
    }
}

fn peer(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<Peer>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |peer| peer.0)
}

/// The page that says a client must wait before guessing again.
fn too_many_guesses(options: &super::ServeOptions, lang: Lang, wait: Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    let message = match lang {
        Lang::Zh => format!("访问令牌错误次数过多:请 {seconds} 秒后再试"),
        Lang::En => format!("too many wrong access tokens: try again in {seconds} s"),
    };
    let mut response = page::error_page(options, StatusCode::TOO_MANY_REQUESTS, lang, &message);
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Refuses a Host this server does not answer to, asks for the token when one is set, bounds
/// each request's time, and the request bodies read at once.
pub(crate) async fn guard(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let query_lang = lang_of(
        query_value(request.uri().query(), "lang").as_deref(),
        app.options.lang,
    );
    if let Some(hosts) = &app.hosts {
        // One Host only: with two, a proxy and this server might each read a different one.
        let mut named = request.headers().get_all(header::HOST).iter();
        let host = match (named.next(), named.next()) {
            (Some(value), None) => value.to_str().ok().map(str::to_ascii_lowercase),
            _ => None,
        };
        if !host.is_some_and(|host| hosts.contains(&host)) {
            // A page of another site that a rebound DNS name leads here must not read this one.
            let expected = hosts.first().map_or("", String::as_str);
            let message = match query_lang {
                Lang::Zh => format!(
                    "本服务只响应 `{expected}` 等地址;如需用其他名称访问,请让运行本服务的人添加该名称"
                ),
                Lang::En => format!(
                    "this server answers only to addresses such as `{expected}`; to reach it under another name, ask whoever runs it to allow that name"
                ),
            };
            return page::error_page(
                &app.options,
                StatusCode::MISDIRECTED_REQUEST,
                query_lang,
                &message,
            );
        }
    }
    if request.method() != Method::GET
        && request.method() != Method::HEAD
        && let Some(why) = cross_site(&request)
    {
        // A page of another site may post a form here (no preflight for a form), and a
        // browser sends it with this server's Host: the upload would be checked, and with
        // `--data-dir` kept, evicting genuine submissions. Browsers say where a post comes
        // from; one from elsewhere is refused, as the Host check refuses reads.
        let message = match query_lang {
            Lang::Zh => format!("拒绝来自其他网站的提交({why}):请在本服务自己的页面上提交"),
            Lang::En => format!(
                "a submission from another site is refused ({why}): submit it from this server's own page"
            ),
        };
        return page::error_page(&app.options, StatusCode::FORBIDDEN, query_lang, &message);
    }
    // A request that proved the token with `Authorization: Bearer` needs no form token: a
    // page elsewhere cannot make a browser send that header.
    let mut by_bearer = false;
    if let Some(token) = &app.options.token {
        let path = request.uri().path();
        let open = path == "/login" || path.starts_with("/static/");
        if !open {
            let client = peer(&request);
            // A client that must wait is answered so whatever token it presents, the right one
            // included: a different answer for the right one would let it keep guessing at full
            // speed through the header or the cookie. A session is not a guess.
            match credential(&request) {
                Credential::Session => {}
                Credential::Nothing => {
                    return page::login_page(
                        &app.options,
                        query_lang,
                        request.uri().path_and_query().map(|p| p.as_str()),
                        None,
                    );
                }
                Credential::Several => {
                    if let Guess::Wait(wait) = app.logins.guess(client, || false) {
                        return too_many_guesses(&app.options, query_lang, wait);
                    }
                    return page::error_page(
                        &app.options,
                        StatusCode::BAD_REQUEST,
                        query_lang,
                        page::t(
                            query_lang,
                            "请求带有多个访问令牌:每个请求只能带一个(请清除本站的 Cookie 后重新登录)",
                            "the request carries more than one access token: send one only (clear this site's cookies and log in again)",
                        ),
                    );
                }
                Credential::Token { value, bearer } => {
                    match app
                        .logins
                        .guess(client, || same_secret(value.as_bytes(), token.as_bytes()))
                    {
                        Guess::Right => by_bearer = bearer,
                        Guess::Wait(wait) => {
                            return too_many_guesses(&app.options, query_lang, wait);
                        }
                        Guess::Wrong => {
                            return page::login_page(
                                &app.options,
                                query_lang,
                                request.uri().path_and_query().map(|p| p.as_str()),
                                None,
                            );
                        }
                    }
                }
            }
        }
    }
    // A body is read here, before the handler runs: past `--concurrent-uploads`, large bodies
    // wait unread, so the bodies held in memory are bounded; a body that trickles in holds no
    // slot while it is small, and is cut off at `--body-timeout`. The login form is read so
    // too, and is small: it never needs a slot.
    let is_login = request.uri().path() == "/login";
    let mut post_lang = query_lang;
    let (request, upload) = if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let deadline = tokio::time::Instant::now() + app.options.body_timeout;
        let limit = if is_login {
            SMALL_BODY
        } else {
            super::body_limit(&app.options)
        };
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        match receive(&app, body, limit, deadline, &content_type).await {
            Ok((bytes, slot)) => {
                // The page's language, which its answers speak (the form's `lang` field).
                post_lang = lang_of(
                    posted_fields(&content_type, &bytes).lang.as_deref(),
                    query_lang,
                );
                if !by_bearer
                    && let Err(refusal) = carries_form_token(&parts.headers, &bytes, is_login)
                {
                    let lang = lang_of(refusal.lang.as_deref(), query_lang);
                    return refusal.page(&app.options, lang);
                }
                (
                    Request::from_parts(parts, axum::body::Body::from(bytes)),
                    slot,
                )
            }
            // No token is that long: the login page asks again, as for a wrong one (not
            // counted: nothing was compared).
            Err(Unreceived::TooLarge) if is_login => {
                let mut response = page::login_page(
                    &app.options,
                    query_lang,
                    None,
                    Some(wrong_token(query_lang)),
                );
                *response.status_mut() = StatusCode::UNAUTHORIZED;
                return response;
            }
            Err(refused) => return refused.page(&app.options, query_lang),
        }
    } else {
        (request, None)
    };
    let timed = async {
        let _upload = match upload {
            Some(slot) => Some(slot),
            // A small body waits for a slot like a check for its memory: at most
            // `--queue-timeout`, then the server is busy (503, try again), in the page's
            // language (hostile review F1: it waited out `--timeout` and got 408 in the
            // server's).
            None if request.method() == Method::POST && !is_login => {
                let waited = app.options.queue_timeout;
                match tokio::time::timeout(waited, app.uploads.clone().acquire_owned()).await {
                    Ok(Ok(permit)) => Some(permit),
                    Ok(Err(_)) => return page::stopping(&app.options, post_lang),
                    Err(_) => {
                        return super::budget::Refused::Busy { waited }
                            .page(&app.options, post_lang);
                    }
                }
            }
            None => None,
        };
        next.run(request).await
    };
    match tokio::time::timeout(app.options.timeout, timed).await {
        Ok(response) => response,
        Err(_) => page::error_page(
            &app.options,
            StatusCode::REQUEST_TIMEOUT,
            post_lang,
            page::t(post_lang, "请求超时", "the request took too long"),
        ),
    }
}

/// Why a state-changing request comes from another site, as the browser says. Its
/// `Sec-Fetch-Site` decides when sent (browsers since 2020-2023; a page cannot forge it):
/// `same-origin` or `none` (typed or bookmarked) is this server, `cross-site` and `same-site`
/// (another port or subdomain) are not. Without it, an `Origin` must be this server's (its
/// scheme and the `Host` the request names); `null` (a page elsewhere may ask for it) is not.
/// Clients that send neither (curl, scripts) are not a browser driven by another page.
fn cross_site(request: &Request) -> Option<String> {
    let headers = request.headers();
    let mut fetch_sites = headers.get_all("sec-fetch-site").iter();
    match (fetch_sites.next(), fetch_sites.next()) {
        (None, _) => {}
        (Some(site), None) => {
            let site = site
                .to_str()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            return (site != "same-origin" && site != "none")
                .then(|| format!("Sec-Fetch-Site: {}", clip(&site)));
        }
        (Some(_), Some(_)) => return Some("Sec-Fetch-Site ×2".to_owned()),
    }
    let mut origins = headers.get_all(header::ORIGIN).iter();
    let origin = match (origins.next(), origins.next()) {
        (None, _) => return None,
        (Some(origin), None) => origin.to_str().unwrap_or_default().to_ascii_lowercase(),
        (Some(_), Some(_)) => return Some("Origin ×2".to_owned()),
    };
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().unwrap_or_default().to_ascii_lowercase(),
        _ => return Some(format!("Origin: {}", clip(&origin))),
    };
    let ours = !host.is_empty()
        && ["http://", "https://"]
            .iter()
            .any(|scheme| origin.strip_prefix(scheme) == Some(host.as_str()));
    (!ours).then(|| format!("Origin: {}", clip(&origin)))
}

/// A header value as an error page quotes it: at most 100 characters (the page escapes it).
fn clip(text: &str) -> String {
    text.chars().take(100).collect()
}

/// Bytes of a body read before it needs an upload slot: forms and realistic project files fit,
/// so a client that sends a byte at a time holds no slot, only its connection (bounded by
/// `--max-connections`), and at most this much memory.
pub(crate) const SMALL_BODY: usize = 64 * 1024;

/// Why a body was not read to its end.
enum Unreceived {
    /// It did not arrive by the deadline.
    Slow,
    /// Past its first 64 KiB it arrived slower than `--min-body-rate` over a window.
    TooSlow,
    /// It is larger than any submission may be (the body limit; the submission limit is
    /// what its reader is told).
    TooLarge,
    /// The connection failed or the body was malformed.
    Broken,
    /// The server is stopping.
    Stopping,
    /// No upload slot came free within `--queue-timeout`; `lang` is the page's language if
    /// the part of the body read names it.
    Busy {
        waited: std::time::Duration,
        lang: Option<String>,
    },
}

impl Unreceived {
    fn page(&self, options: &super::ServeOptions, lang: Lang) -> Response {
        match self {
            Unreceived::Busy {
                waited,
                lang: posted,
            } => {
                let lang = lang_of(posted.as_deref(), lang);
                super::budget::Refused::Busy { waited: *waited }.page(options, lang)
            }
            Unreceived::Slow => page::error_page(
                options,
                StatusCode::REQUEST_TIMEOUT,
                lang,
                page::t(
                    lang,
                    "提交的内容未能在时限内传完",
                    "the submission took too long to arrive",
                ),
            ),
            Unreceived::TooSlow => {
                let rate = options.min_body_rate;
                let window = BODY_RATE_WINDOW.as_secs();
                page::error_page(
                    options,
                    StatusCode::REQUEST_TIMEOUT,
                    lang,
                    crate::tr!(
                        "提交的内容传送过慢(连续 {window} 秒内平均每秒不足 {rate} 字节),已中断:请检查网络连接后重新提交;如网络确实很慢,请运行本服务的管理员调低这一下限",
                        "the submission arrived too slowly (less than {rate} bytes a second over {window} s) and was cut off: check the connection and submit it again; if the connection is genuinely that slow, ask the administrator who runs the server to lower the limit"
                    )
                    .get(lang),
                )
            }
            Unreceived::TooLarge => {
                let limit = options.upload.max_total_bytes;
                page::error_page(
                    options,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    lang,
                    super::upload::submission_too_large(limit).get(lang),
                )
            }
            Unreceived::Broken => page::error_page(
                options,
                StatusCode::BAD_REQUEST,
                lang,
                page::t(lang, "提交的内容无法读取", "the submission cannot be read"),
            ),
            Unreceived::Stopping => page::stopping(options, lang),
        }
    }
}

/// The span over which a large body's rate is judged: long enough that an honest link may
/// stall for a few seconds, short enough that a trickling client gives its upload slot up long
/// before `--body-timeout`.
pub(crate) const BODY_RATE_WINDOW: Duration = Duration::from_secs(5);

/// Finest spacing of the arrival times a [`Pace`] keeps: it keeps at most one per step, so at
/// most about 50 over the window however the body is cut into pieces.
const PACE_STEP: Duration = Duration::from_millis(100);

/// How fast a body that holds an upload slot is arriving: over any [`BODY_RATE_WINDOW`] after
/// the slot was taken, it must bring `--min-body-rate` bytes a second, else its slot goes to
/// another upload. A sliding window, so a link that stalls for a moment is not cut off, while a
/// client that sends 64 KiB quickly and then a byte now and then is cut off one window later.
struct Pace {
    /// Bytes each window must bring; 0: no minimum.
    per_window: u64,
    /// When the slot was taken: nothing is judged before a whole window has passed.
    started: tokio::time::Instant,
    /// `(time, bytes received by then)`, oldest first: the last one is the latest arrival, and
    /// the first is at or before the window's start (older ones are dropped).
    seen: std::collections::VecDeque<(tokio::time::Instant, u64)>,
}

impl Pace {
    fn new(min_rate: u64, now: tokio::time::Instant, received: u64) -> Pace {
        Pace {
            per_window: min_rate.saturating_mul(BODY_RATE_WINDOW.as_secs()),
            started: now,
            seen: std::collections::VecDeque::from([(now, received)]),
        }
    }

    /// Notes that `received` bytes have arrived by `now`.
    fn arrived(&mut self, now: tokio::time::Instant, received: u64) {
        let crowded = self
            .seen
            .len()
            .checked_sub(2)
            .and_then(|index| self.seen.get(index))
            .is_some_and(|(time, _)| *time + PACE_STEP > now);
        if crowded {
            // Moving the latest arrival later keeps the count at least as lenient: the bytes
            // known at an earlier time are never more than had arrived then.
            self.seen.pop_back();
        }
        self.seen.push_back((now, received));
        let window_start = now.checked_sub(BODY_RATE_WINDOW);
        while let (Some(start), Some((second, _))) = (window_start, self.seen.get(1))
            && *second <= start
        {
            self.seen.pop_front();
        }
    }

    /// When the body becomes too slow if nothing more arrives: the first moment at which the
    /// last window brought fewer than `per_window` bytes. `None` without a minimum.
    fn deadline(&self) -> Option<tokio::time::Instant> {
        if self.per_window == 0 {
            return None;
        }
        let received = self.seen.back().map_or(0, |(_, bytes)| *bytes);
        // The window ending at `t` brought `received - bytes(t - window)`: too few once the
        // window starts after the first time the count passed `received - per_window`.
        let (passed, _) = self
            .seen
            .iter()
            .find(|(_, bytes)| bytes.saturating_add(self.per_window) > received)?;
        Some((*passed).max(self.started) + BODY_RATE_WINDOW)
    }
}

/// Reads a request's body by `deadline`, at most `limit` bytes. Past [`SMALL_BODY`] bytes it
/// waits for an upload slot before reading on (the wait counts against the deadline), and
/// returns the slot with the body; a smaller body comes back without one. A body holding a slot
/// must keep arriving at `--min-body-rate` (see [`Pace`]), or gives the slot up.
async fn receive(
    app: &Shared,
    mut body: axum::body::Body,
    limit: usize,
    deadline: tokio::time::Instant,
    content_type: &str,
) -> Result<(Vec<u8>, Option<tokio::sync::OwnedSemaphorePermit>), Unreceived> {
    use axum::body::HttpBody as _;
    let mut bytes = Vec::new();
    let mut slot = None;
    let mut pace: Option<Pace> = None;
    loop {
        let too_slow_at = pace.as_ref().and_then(Pace::deadline);
        if too_slow_at.is_some_and(|at| at <= tokio::time::Instant::now()) {
            return Err(Unreceived::TooSlow);
        }
        let wait_until = too_slow_at.map_or(deadline, |at| at.min(deadline));
        let frame =
            std::future::poll_fn(|context| std::pin::Pin::new(&mut body).poll_frame(context));
        let frame = match tokio::time::timeout_at(wait_until, frame).await {
            Err(_) if wait_until < deadline => return Err(Unreceived::TooSlow),
            Err(_) => return Err(Unreceived::Slow),
            Ok(None) => return Ok((bytes, slot)),
            Ok(Some(Err(_))) => return Err(Unreceived::Broken),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            // Trailers: nothing a form carries.
            continue;
        };
        let total = bytes.len().saturating_add(data.len());
        if total > limit {
            return Err(Unreceived::TooLarge);
        }
        if slot.is_none() && total > SMALL_BODY {
            // At most `--queue-timeout`, as a check waits for its memory: then the server is
            // busy, said in the page's language if the part read so far names it.
            let waited = app.options.queue_timeout;
            let queue_deadline = (tokio::time::Instant::now() + waited).min(deadline);
            let permit =
                tokio::time::timeout_at(queue_deadline, app.uploads.clone().acquire_owned());
            slot = match permit.await {
                Err(_) if queue_deadline < deadline => {
                    return Err(Unreceived::Busy {
                        waited,
                        lang: posted_fields(content_type, &bytes).lang,
                    });
                }
                Err(_) => return Err(Unreceived::Slow),
                Ok(Err(_)) => return Err(Unreceived::Stopping),
                Ok(Ok(permit)) => Some(permit),
            };
        }
        bytes.extend_from_slice(&data);
        let received = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        let now = tokio::time::Instant::now();
        match &mut pace {
            Some(pace) => pace.arrived(now, received),
            // Judged from when the slot was taken: the wait for it is not the client's.
            None if slot.is_some() => {
                pace = Some(Pace::new(app.options.min_body_rate, now, received));
            }
            None => {}
        }
    }
}

/// What a request offers to prove it may be served.
#[derive(PartialEq, Eq, Debug)]
enum Credential {
    /// This server's session cookie, as the login page gave it: not a guess.
    Session,
    /// One token, as `Authorization: Bearer` (`bearer`) or a [`TOKEN_COOKIE`] cookie.
    Token {
        value: String,
        bearer: bool,
    },
    /// More than one token (two different `yimi_token` cookies, or a cookie and a different
    /// `Bearer`): refused as a wrong guess, so that one request is one guess.
    Several,
    Nothing,
}

/// The `name=value` pairs of a request's cookies.
fn cookies(request: &Request) -> impl Iterator<Item = (&str, &str)> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
}

/// What the request carries: this server's session cookie, or the token in the cookie or as
/// `Authorization: Bearer`. At most one token is offered for comparison: a request that
/// carried thousands of cookies must not try thousands of guesses while the limiter counts one.
fn credential(request: &Request) -> Credential {
    // Any session cookie that is this server's, each compared in constant time: a browser
    // can hold several of that name (one set by another application on this host for another
    // path or domain, one left from before a restart), and refusing them all would lock the
    // official out even after logging in again, which replaces only this server's own. Trying
    // many is no way in: 256 random bits are not guessed, and the header's size bounds the
    // work. A stale one is as none, and no guess.
    if let Some(secrets) = SECRETS.get()
        && cookies(request)
            .filter(|(name, _)| *name == SESSION_COOKIE)
            .any(|(_, given)| same_secret(given.as_bytes(), secrets.session.as_bytes()))
    {
        return Credential::Session;
    }
    // Another scheme (`Basic`, for a proxy in front) is not a guess at this token.
    let bearers = request
        .headers()
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|value| value.as_bytes().strip_prefix(b"Bearer "))
        .map(|value| std::str::from_utf8(value).ok());
    let tokens = cookies(request)
        .filter(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| Some(value));
    let mut bearer_given: Option<String> = None;
    let mut cookie_given: Option<String> = None;
    for (is_bearer, value) in bearers
        .map(|value| (true, value))
        .chain(tokens.map(|value| (false, value)))
    {
        // A bearer token that is not text is a guess all the same.
        let Some(value) = value else {
            return Credential::Several;
        };
        let slot = if is_bearer {
            &mut bearer_given
        } else {
            &mut cookie_given
        };
        let value = if is_bearer {
            value.to_owned()
        } else {
            percent_decode(value)
        };
        // The same token twice is one guess; two different ones are two, refused whichever
        // is right, or one request could try many while the limiter counts one.
        match slot {
            Some(earlier) if *earlier != value => return Credential::Several,
            Some(_) => {}
            None => *slot = Some(value),
        }
    }
    match (bearer_given, cookie_given) {
        (None, None) => Credential::Nothing,
        (Some(value), None) => Credential::Token {
            value,
            bearer: true,
        },
        (None, Some(value)) => Credential::Token {
            value,
            bearer: false,
        },
        // A script that sends the header from a page that also has the cookie: the same token
        // twice is one credential; two different ones are two guesses.
        (Some(bearer), Some(cookie)) => {
            if bearer != cookie {
                return Credential::Several;
            }
            Credential::Token {
                value: bearer,
                bearer: true,
            }
        }
    }
}

/// Why a post was refused for its form token, and the language its page asked for.
struct FormRefusal {
    /// Whether the post carried a form token at all (an old page's, or a forged one).
    carried: bool,
    /// The `lang` field of the post, when it had one.
    lang: Option<String>,
}

impl FormRefusal {
    fn page(&self, options: &super::ServeOptions, lang: Lang) -> Response {
        let message = match (lang, self.carried) {
            (Lang::Zh, false) => {
                "提交被拒绝:其中没有本服务页面给出的表单令牌,可能来自其他网站的页面。请打开本服务自己的页面,从那里提交"
            }
            (Lang::Zh, true) => {
                "提交被拒绝:其中的表单令牌不是本服务给出的,或已失效(本服务重启后,之前打开的页面不能再提交)。请重新打开本服务的页面,从那里再提交一次;已填写的内容需要重新填写或重新上传"
            }
            (Lang::En, false) => {
                "the submission is refused: it lacks the form token this server's pages carry, so it may come from a page of another site. Open this server's own page and submit from there"
            }
            (Lang::En, true) => {
                "the submission is refused: its form token is not one this server gave, or is out of date (a page opened before the server restarted cannot submit). Open this server's page again and submit from there; what was filled in must be entered or uploaded again"
            }
        };
        page::error_page(options, StatusCode::FORBIDDEN, lang, message)
    }
}

/// Whether a post brings back the form token of the page it was made on (the login page's for
/// `/login`). Browsers that say where a post comes from are judged by [`cross_site`] as well;
/// this stops the rest (IE 11 and IE mode, older Firefox), which send neither `Origin` nor
/// `Sec-Fetch-Site` with a form posted from another site, as no page elsewhere can read ours.
fn carries_form_token(
    headers: &axum::http::HeaderMap,
    body: &[u8],
    is_login: bool,
) -> Result<(), FormRefusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let fields = posted_fields(content_type, body);
    let expected = form_token(if is_login { "/login" } else { "/" });
    match (expected, &fields.form_token) {
        (Some(expected), Some(given)) if same_secret(given.as_bytes(), expected.as_bytes()) => {
            Ok(())
        }
        _ => Err(FormRefusal {
            carried: fields.form_token.is_some(),
            lang: fields.lang,
        }),
    }
}

/// The few fields of a post the guard reads: the form token and the page's language.
#[derive(Default, Debug, PartialEq, Eq)]
struct PostedFields {
    form_token: Option<String>,
    lang: Option<String>,
}

/// Longest value of a field the guard reads; a longer one is not a form token or a language.
const SHORT_FIELD: usize = 256;

/// Finds the form token and the language in a post, as a form sends it (urlencoded or
/// multipart; any other body has neither), in time linear in the body and without copying it.
/// The first of each counts.
fn posted_fields(content_type: &str, body: &[u8]) -> PostedFields {
    let mut fields = PostedFields::default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media == "application/x-www-form-urlencoded" {
        for pair in body.split(|byte| *byte == b'&') {
            let (name, value) = match memchr::memchr(b'=', pair) {
                Some(at) => (
                    pair.get(..at).unwrap_or_default(),
                    pair.get(at + 1..).unwrap_or_default(),
                ),
                None => (pair, &[][..]),
            };
            let slot = match name {
                b"form_token" => &mut fields.form_token,
                b"lang" => &mut fields.lang,
                _ => continue,
            };
            // Percent-encoded, a short value is at most three times as long.
            if slot.is_none() && value.len() <= SHORT_FIELD * 3 {
                *slot = Some(percent_decode_bytes(value));
            }
        }
    } else if media == "multipart/form-data"
        && let Some(boundary) = multipart_boundary(content_type)
    {
        let delimiter = [b"--", boundary.as_bytes()].concat();
        let mut starts = memchr::memmem::find_iter(body, &delimiter)
            // A delimiter starts the body or a line (RFC 2046); elsewhere it is content.
            .filter(|at| *at == 0 || body.get(at.saturating_sub(2)..*at) == Some(b"\r\n"))
            .peekable();
        while let Some(start) = starts.next() {
            // The part runs to the line break before the next delimiter.
            let end = starts
                .peek()
                .map_or(body.len(), |next| next.saturating_sub(2));
            let Some(part) = body.get(start + delimiter.len()..end) else {
                continue;
            };
            // `--` after the delimiter ends the body; a part starts with a line break.
            let Some(part) = part.strip_prefix(b"\r\n") else {
                continue;
            };
            // A part's head is short; past a few KiB it is not one the guard reads.
            let Some(head_end) =
                memchr::memmem::find(part.get(..4096).unwrap_or(part), b"\r\n\r\n")
            else {
                continue;
            };
            let (Some(head), Some(value)) = (part.get(..head_end), part.get(head_end + 4..)) else {
                continue;
            };
            let Some(name) = part_name(&String::from_utf8_lossy(head)) else {
                continue;
            };
            let slot = match name.as_str() {
                "form_token" => &mut fields.form_token,
                "lang" => &mut fields.lang,
                _ => continue,
            };
            if slot.is_none() && value.len() <= SHORT_FIELD {
                *slot = Some(String::from_utf8_lossy(value).into_owned());
            }
        }
    }
    fields
}

/// A urlencoded value, decoded (`+` a space, `%XX` a byte).
fn percent_decode_bytes(value: &[u8]) -> String {
    percent_decode(&String::from_utf8_lossy(value))
}

/// The `boundary` parameter of a multipart content type, unquoted.
fn multipart_boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|value| value.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty() && value.len() <= 70).then(|| value.to_owned())
    })
}

/// The `name` a multipart part's head gives it, when it is a plain field (not a file).
fn part_name(head: &str) -> Option<String> {
    let disposition = head.split("\r\n").find(|line| {
        line.get(..20)
            .is_some_and(|start| start.eq_ignore_ascii_case("content-disposition:"))
    })?;
    let mut name = None;
    for parameter in disposition.split(';').skip(1) {
        let (key, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        match key.trim().to_ascii_lowercase().as_str() {
            "filename" => return None,
            "name" => name = Some(value.to_owned()),
            _ => {}
        }
    }
    name
}

/// The message of the login page after a wrong token.
fn wrong_token(lang: Lang) -> &'static str {
    page::t(
        lang,
        "访问令牌不对:请检查后重新输入,或向运行本服务的人索取正确的令牌",
        "that access token is wrong: check it and enter it again, or ask whoever runs this server for the right one",
    )
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
pub(crate) async fn login(State(app): State<Shared>, request: Request) -> Response {
    let client = peer(&request);
    // Already read by `guard`, within `--body-timeout`.
    let body = match axum::body::to_bytes(request.into_body(), SMALL_BODY).await {
        Ok(body) => body,
        Err(_) => axum::body::Bytes::new(),
    };
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
    // Only a path on this site: never an address that leads elsewhere.
    let next = field("next")
        // A path on this server only: browsers drop tabs and newlines from URLs, so `/\t/evil`
        // would become `//evil`, another site.
        // Only printable ASCII: a `Location` header carries nothing else (the browser sends a
        // path it links to percent-encoded; a hand-made body with `é` would make the redirect
        // itself fail).
        .filter(|next| {
            next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && next.bytes().all(|byte| byte.is_ascii_graphic())
        })
        // Home in the language the login page was in.
        .unwrap_or_else(|| {
            if lang == app.options.lang {
                "/".to_owned()
            } else {
                format!("/?lang={}", page::lang_code(lang))
            }
        });
    match app
        .logins
        .guess(client, || same_secret(given.as_bytes(), token.as_bytes()))
    {
        Guess::Right => {}
        Guess::Wait(wait) => return too_many_guesses(&app.options, lang, wait),
        Guess::Wrong => {
            // The page asked for stays asked for: the next try lands there, in its language.
            let mut response =
                page::login_page(&app.options, lang, Some(&next), Some(wrong_token(lang)));
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            return response;
        }
    }
    // The browser keeps the session, not the token: what it sends from now on is no guess, so
    // nobody else's wrong guesses hold it up, and the token itself is not stored in it.
    let Some(secrets) = SECRETS.get() else {
        return page::stopping(&app.options, lang);
    };
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        secrets.session
    );
    let mut response = axum::response::Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{
        BODY_RATE_WINDOW, Guess, LoginLimiter, Pace, PostedFields, WRONG_GUESSES_PER_MINUTE,
        posted_fields,
    };
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::Duration;
    use tokio::time::Instant;

    fn fields(form_token: Option<&str>, lang: Option<&str>) -> PostedFields {
        PostedFields {
            form_token: form_token.map(str::to_owned),
            lang: lang.map(str::to_owned),
        }
    }

    #[test]
    fn the_form_token_is_found_in_an_urlencoded_post() {
        let found = posted_fields(
            "application/x-www-form-urlencoded; charset=UTF-8",
            b"b64=QUJD&form_token=ab%63d&lang=en&form_token=second",
        );
        assert_eq!(found, fields(Some("abcd"), Some("en")));
        // Too long to be either is neither.
        let long = format!("form_token={}", "a".repeat(1000));
        assert_eq!(
            posted_fields("application/x-www-form-urlencoded", long.as_bytes()),
            fields(None, None)
        );
    }

    #[test]
    fn the_form_token_is_found_among_multipart_parts_but_not_in_a_file() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"form_token\"\r\n\r\nname=\"form_token\"\r\n\r\nfake\r\n--b\r\ncontent-disposition: form-data; name=\"lang\"\r\n\r\nzh\r\n--b\r\nContent-Disposition: form-data; name=form_token\r\n\r\nreal\r\n--b--\r\n";
        assert_eq!(
            posted_fields("multipart/form-data; boundary=\"b\"", body),
            fields(Some("real"), Some("zh"))
        );
        // A boundary that is not the body's finds nothing; nor does another type.
        assert_eq!(
            posted_fields("multipart/form-data; boundary=c", body),
            fields(None, None)
        );
        assert_eq!(posted_fields("text/plain", body), fields(None, None));
        assert_eq!(
            posted_fields("multipart/form-data", body),
            fields(None, None)
        );
    }

    #[test]
    fn a_body_of_nothing_but_delimiters_is_read_through_and_finds_nothing() {
        let body = b"--x\r\n".repeat(200_000);
        assert_eq!(
            posted_fields("multipart/form-data; boundary=x", &body),
            fields(None, None)
        );
        let body = b"&=".repeat(200_000);
        assert_eq!(
            posted_fields("application/x-www-form-urlencoded", &body),
            fields(None, None)
        );
    }

    fn client(n: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, n))
    }

    #[test]
    fn a_client_waits_after_five_wrong_guesses_and_others_do_not() {
        let limiter = LoginLimiter::default();
        for _ in 0..5 {
            assert_eq!(limiter.guess(client(1), || false), Guess::Wrong);
        }
        assert!(matches!(limiter.guess(client(1), || true), Guess::Wait(_)));
        assert_eq!(limiter.guess(client(2), || true), Guess::Right);
    }

    #[test]
    fn past_the_server_wide_budget_every_guess_waits_unread() {
        let limiter = LoginLimiter::default();
        let count = u8::try_from(WRONG_GUESSES_PER_MINUTE).unwrap();
        for n in 0..count {
            assert_eq!(limiter.guess(client(n), || false), Guess::Wrong, "{n}");
        }
        let mut compared = false;
        let waited = limiter.guess(client(200), || {
            compared = true;
            true
        });
        assert!(
            matches!(waited, Guess::Wait(wait) if wait > Duration::from_secs(50)),
            "{waited:?}"
        );
        assert!(!compared, "a guess past the budget is not read");
    }

    #[test]
    fn an_address_that_gave_the_right_token_is_not_held_by_others_guesses() {
        let limiter = LoginLimiter::default();
        assert_eq!(limiter.guess(client(250), || true), Guess::Right);
        let count = u8::try_from(WRONG_GUESSES_PER_MINUTE).unwrap();
        for n in 0..count {
            assert_eq!(limiter.guess(client(n), || false), Guess::Wrong, "{n}");
        }
        assert!(matches!(
            limiter.guess(client(200), || true),
            Guess::Wait(_)
        ));
        assert_eq!(limiter.guess(client(250), || true), Guess::Right);
        // Its own wrong guesses still make it wait.
        for _ in 0..5 {
            assert_eq!(limiter.guess(client(250), || false), Guess::Wrong);
        }
        assert!(matches!(
            limiter.guess(client(250), || true),
            Guess::Wait(_)
        ));
    }

    const RATE: u64 = 8192;

    #[test]
    fn a_body_that_stops_is_too_slow_one_window_after_its_slot() {
        let start = Instant::now();
        let pace = Pace::new(RATE, start, 70_000);
        assert_eq!(pace.deadline(), Some(start + BODY_RATE_WINDOW));
    }

    #[test]
    fn a_trickle_does_not_move_the_deadline() {
        let start = Instant::now();
        let mut pace = Pace::new(RATE, start, 70_000);
        for second in 1..=4 {
            pace.arrived(start + Duration::from_secs(second), 70_000 + second);
        }
        assert_eq!(pace.deadline(), Some(start + BODY_RATE_WINDOW));
    }

    #[test]
    fn a_steady_link_above_the_rate_stays_ahead_and_a_short_stall_is_forgiven() {
        let start = Instant::now();
        let mut pace = Pace::new(RATE, start, 70_000);
        let mut received = 70_000;
        // 64 KiB/s in pieces of 8 KiB for a minute.
        for step in 1..=480u32 {
            let now = start + Duration::from_millis(125) * step;
            received += 8192;
            pace.arrived(now, received);
            let deadline = pace.deadline().expect("a minimum is set");
            assert!(deadline > now + Duration::from_secs(4), "step {step}");
        }
        // Then a stall of three seconds: still in time.
        let last = start + Duration::from_secs(60);
        let deadline = pace.deadline().expect("a minimum is set");
        assert!(deadline > last + Duration::from_secs(3));
    }

    #[test]
    fn the_arrivals_kept_are_bounded_however_the_body_is_cut() {
        let start = Instant::now();
        let mut pace = Pace::new(RATE, start, 70_000);
        for step in 1..=100_000u32 {
            pace.arrived(
                start + Duration::from_micros(200) * step,
                70_000 + u64::from(step),
            );
        }
        assert!(pace.seen.len() <= 60, "{}", pace.seen.len());
    }

    #[test]
    fn no_minimum_means_no_deadline() {
        assert_eq!(Pace::new(0, Instant::now(), 70_000).deadline(), None);
    }
}
