//! What every request passes before a page is made: the Host it names (against DNS rebinding),
//! the token, the login limit, the request's time and the bodies read at once.

use std::collections::HashMap;
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

/// The cookie that carries the token once the page has asked for it.
const TOKEN_COOKIE: &str = "yimi_token";

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

/// Wrong tokens by client: after [`FREE_FAILURES`] a client waits 2, 4, 8 … (at most 60)
/// seconds between guesses, and guesses made while it waits are refused unread, so guessing a
/// token takes years, not minutes.
#[derive(Default)]
pub(crate) struct LoginLimiter {
    clients: Mutex<HashMap<IpAddr, Failures>>,
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

impl LoginLimiter {
    /// How long `client` must still wait before its next guess is read.
    pub(crate) fn must_wait(&self, client: IpAddr) -> Option<Duration> {
        let clients = self.clients.lock().ok()?;
        let failures = clients.get(&client)?;
        let until = failures.last + failures.wait();
        until
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
    }

    /// Counts a wrong token from `client`.
    pub(crate) fn failed(&self, client: IpAddr) {
        let Ok(mut clients) = self.clients.lock() else {
            return;
        };
        if clients.len() >= MAX_CLIENTS && !clients.contains_key(&client) {
            let oldest = clients
                .iter()
                .min_by_key(|(_, failures)| failures.last)
                .map(|(ip, _)| *ip);
            if let Some(oldest) = oldest {
                clients.remove(&oldest);
            }
        }
        let failures = clients.entry(client).or_insert(Failures {
            count: 0,
            last: Instant::now(),
        });
        failures.count = failures.count.saturating_add(1);
        failures.last = Instant::now();
    }

    /// Forgets `client`'s failures once it gave the right token.
    pub(crate) fn succeeded(&self, client: IpAddr) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.remove(&client);
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
    if let Some(token) = &app.options.token {
        let path = request.uri().path();
        let open = path == "/login" || path.starts_with("/static/");
        if !open {
            let presented = presented_token(&request, token);
            let client = peer(&request);
            // A client that must wait is answered so whatever it presents, the right token
            // included: a different answer for the right one would let it keep guessing at full
            // speed through the header or the cookie.
            if presented != Presented::Nothing
                && let Some(wait) = app.logins.must_wait(client)
            {
                return too_many_guesses(&app.options, query_lang, wait);
            }
            match presented {
                Presented::Right => {}
                Presented::Several => {
                    app.logins.failed(client);
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
                presented => {
                    if presented == Presented::Wrong {
                        app.logins.failed(client);
                    }
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
    let lang = app.options.lang;
    // A body is read here, before the handler runs: past `--concurrent-uploads`, large bodies
    // wait unread, so the bodies held in memory are bounded; a body that trickles in holds no
    // slot while it is small, and is cut off at `--body-timeout`. The login form is read so
    // too, and is small: it never needs a slot.
    let is_login = request.uri().path() == "/login";
    let (request, upload) = if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let deadline = tokio::time::Instant::now() + app.options.body_timeout;
        let limit = if is_login {
            SMALL_BODY
        } else {
            super::body_limit(&app.options)
        };
        match receive(&app, body, limit, deadline).await {
            Ok((bytes, slot)) => (
                Request::from_parts(parts, axum::body::Body::from(bytes)),
                slot,
            ),
            // No token is that long: the login page asks again, as for a wrong one.
            Err(Unreceived::TooLarge) if is_login => {
                (Request::from_parts(parts, axum::body::Body::empty()), None)
            }
            Err(refused) => return refused.page(&app.options, query_lang),
        }
    } else {
        (request, None)
    };
    let timed = async {
        let _upload = match upload {
            Some(slot) => Some(slot),
            None if request.method() == Method::POST && !is_login => {
                match app.uploads.clone().acquire_owned().await {
                    Ok(permit) => Some(permit),
                    Err(_) => return page::stopping(&app.options, lang),
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
            lang,
            page::t(lang, "请求超时", "the request took too long"),
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
}

impl Unreceived {
    fn page(&self, options: &super::ServeOptions, lang: Lang) -> Response {
        match self {
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
            let permit = tokio::time::timeout_at(deadline, app.uploads.clone().acquire_owned());
            slot = match permit.await {
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Presented {
    Right,
    Wrong,
    /// More than one credential (two `yimi_token` cookies, or a cookie and a different
    /// `Bearer`): refused as a wrong guess, so that one request is one guess.
    Several,
    Nothing,
}

/// Whether the request carries the token, in the cookie or as `Authorization: Bearer`. Exactly
/// one credential is compared: a request that carried thousands of cookies must not try
/// thousands of guesses while the limiter counts one.
fn presented_token(request: &Request, token: &str) -> Presented {
    // Another scheme (`Basic`, for a proxy in front) is not a guess at this token.
    let bearers = request
        .headers()
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|value| value.as_bytes().strip_prefix(b"Bearer "))
        .map(|value| std::str::from_utf8(value).ok());
    let cookies = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| name.trim() == TOKEN_COOKIE)
        .map(|(_, value)| Some(value));
    let mut bearer_given: Option<String> = None;
    let mut cookie_given: Option<String> = None;
    for (is_bearer, value) in bearers
        .map(|value| (true, value))
        .chain(cookies.map(|value| (false, value)))
    {
        // A bearer token that is not text is a guess all the same.
        let Some(value) = value else {
            return Presented::Several;
        };
        let slot = if is_bearer {
            &mut bearer_given
        } else {
            &mut cookie_given
        };
        if slot.is_some() {
            return Presented::Several;
        }
        *slot = Some(if is_bearer {
            value.to_owned()
        } else {
            percent_decode(value)
        });
    }
    let given = match (bearer_given, cookie_given) {
        (None, None) => return Presented::Nothing,
        (Some(one), None) | (None, Some(one)) => one,
        // A script that sends the header from a page that also has the cookie: the same token
        // twice is one credential; two different ones are two guesses.
        (Some(bearer), Some(cookie)) => {
            if bearer != cookie {
                return Presented::Several;
            }
            bearer
        }
    };
    if same_secret(given.as_bytes(), token.as_bytes()) {
        Presented::Right
    } else {
        Presented::Wrong
    }
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
    if let Some(wait) = app.logins.must_wait(client) {
        return too_many_guesses(&app.options, lang, wait);
    }
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
    if !same_secret(given.as_bytes(), token.as_bytes()) {
        app.logins.failed(client);
        // The page asked for stays asked for: the next try lands there, in its language.
        let mut response = page::login_page(
            &app.options,
            lang,
            Some(&next),
            Some(page::t(
                lang,
                "访问令牌不对:请检查后重新输入,或向运行本服务的人索取正确的令牌",
                "that access token is wrong: check it and enter it again, or ask whoever runs this server for the right one",
            )),
        );
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return response;
    }
    app.logins.succeeded(client);
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

#[cfg(test)]
mod tests {
    use super::{BODY_RATE_WINDOW, Pace};
    use std::time::Duration;
    use tokio::time::Instant;

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
