//! `yimi serve`: arguments to [`ServeOptions`]; the server itself is `crate::serve`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use super::check::jurisdiction;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use super::{RuleArgs, load_rules, print_warnings, refuse_in};
use crate::base::i18n::Lang;
use crate::engine::Options;
use crate::engine::checked::CheckOptions;
use crate::engine::eval::StepBudget;
use crate::engine::force::{DateBasis, JudgedAt};
use crate::engine::force::{Drafts, Lapsed};
use crate::project::LoadLimits;
use crate::project::date::Date;
use crate::serve::{ServeOptions, UploadLimits};

/// `yimi serve`'s arguments.
#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    /// The address to listen on; port 0 picks a free one (the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8040")]
    pub(super) bind: std::net::SocketAddr,
    /// A token the pages ask for before anything else (visible to other users of this machine
    /// in the process list: prefer `--token-file`).
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    pub(super) token: Option<String>,
    /// A file whose first line is the token the pages ask for.
    #[arg(long, value_name = "FILE")]
    pub(super) token_file: Option<PathBuf>,
    /// Keep every submission in this directory (default: nothing is kept): a new or empty one,
    /// which yimi marks as its own, or one it marked before.
    #[arg(long, value_name = "DIR")]
    pub(super) data_dir: Option<PathBuf>,
    /// Check against the packs of this jurisdiction instead of each file's own.
    #[arg(long, value_name = "PATH")]
    pub(super) jurisdiction: Option<String>,
    /// The date to judge a file at when it states no `project.decision_date` (default: the day
    /// of each check).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(super) as_of: Option<String>,
    /// The language pages open in (each page can switch).
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub(super) lang: Lang,
    /// Missing evidence for a `shall` rule is an error, not a warning.
    #[arg(long)]
    pub(super) strict_evidence: bool,
    /// What drafts (征求意见稿) do: advise, bind (for an office that has adopted one), or nothing.
    #[arg(long, value_enum, default_value_t = Drafts::Advisory)]
    pub(super) drafts: Drafts,
    /// What plans past their stated period do: advise, or still bind.
    #[arg(long, value_enum, default_value_t = Lapsed::Advisory)]
    pub(super) lapsed: Lapsed,
    /// A waivers file applied to every file checked, as `check --waivers`: the office's own
    /// exceptions, kept by it (an upload's own waivers follow `--inline-waivers`). Read once, at
    /// start, within `--max-file-size`; a bad one stops the server before it listens.
    #[arg(long, value_name = "FILE")]
    pub(super) waivers: Option<PathBuf>,
    /// What the waivers an uploaded file states itself do, as `check --inline-waivers`. The
    /// default is `ignore`: what an office's server is sent is a submission, and the submitter
    /// does not grant exceptions to it (hostile review 14 H1); the page says they were ignored.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = crate::engine::waivers::InlineWaivers::Ignore)]
    pub(super) inline_waivers: crate::engine::waivers::InlineWaivers,
    /// Largest project file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = LoadLimits::default().max_bytes, value_parser = super::parse_limit::<u64>)]
    pub(super) max_file_size: u64,
    /// Deepest nesting of lists and mappings in a project file; at most 1000.
    #[arg(long, value_name = "N", default_value_t = LoadLimits::default().yaml.max_depth, value_parser = super::parse_max_depth)]
    pub(super) max_depth: usize,
    /// Most values in a project file, counting every expansion of an alias.
    #[arg(long, value_name = "N", default_value_t = LoadLimits::default().yaml.max_nodes, value_parser = super::parse_limit::<usize>)]
    pub(super) max_values: usize,
    /// Most list elements one rule may visit on one file before it is left undecided; at most
    /// 10^12.
    #[arg(long, value_name = "N", default_value_t = crate::engine::eval::STEP_BUDGET, value_parser = super::parse_max_steps)]
    pub(super) max_steps: u64,
    /// Most files in one submission (a zip counts its YAML files).
    #[arg(long, value_name = "N", default_value_t = crate::serve::UploadLimits::default().max_files, value_parser = super::parse_limit::<usize>)]
    pub(super) max_files: usize,
    /// Most bytes in one submission, after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = crate::serve::UploadLimits::default().max_total_bytes, value_parser = super::parse_limit::<u64>)]
    pub(super) max_total_size: u64,
    /// Longest a request may take once its body has arrived (waiting for a check and the
    /// check), in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = parse_seconds)]
    pub(super) timeout: u64,
    /// Longest one check may run, in seconds: past it the check stops at the next file or
    /// rule and the page says which file it stopped at. A check also stops when its request
    /// ends (`--timeout`, or the client goes away).
    #[arg(long, value_name = "SECONDS", default_value_t = 20, value_parser = parse_seconds)]
    pub(super) check_timeout: u64,
    /// Longest a client may take to send a request's body, in seconds (408 after it). A body
    /// that trickles in holds no upload slot until it has sent 64 KiB.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = parse_seconds)]
    pub(super) body_timeout: u64,
    /// Bytes a second a body past its first 64 KiB must keep arriving at, over any 5 seconds
    /// (408 otherwise), so that a client trickling a large upload gives its upload slot up
    /// long before `--body-timeout`; 0 for no minimum.
    #[arg(long, value_name = "BYTES", default_value_t = 8192)]
    pub(super) min_body_rate: u64,
    /// Checks run at once (more wait); default: twice the cores available.
    #[arg(long, value_name = "N", value_parser = super::parse_count)]
    pub(super) concurrent_checks: Option<NonZeroUsize>,
    /// Bytes of memory the checks in flight may hold together, each weighed before it starts
    /// by its files' values (every expansion of a YAML alias counted) and bytes: more wait; a submission heavier than all of it
    /// is refused (413). Default: half the machine's memory (2 GiB where it is not known).
    #[arg(long, value_name = "BYTES", value_parser = parse_check_memory)]
    pub(super) max_check_memory: Option<u64>,
    /// Longest a request waits for memory and a check slot, in seconds, before it is answered
    /// 503 (busy) with `Retry-After`.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = parse_seconds)]
    pub(super) queue_timeout: u64,
    /// Bytes a second a client must keep taking a response at, over any 5 seconds in which it
    /// holds the response up (else the connection is dropped and its memory freed); 0 for no
    /// minimum.
    #[arg(long, value_name = "BYTES", default_value_t = 8192)]
    pub(super) min_send_rate: u64,
    /// Longest a response may take to be sent once it is ready, in seconds (then the
    /// connection is dropped).
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = parse_seconds)]
    pub(super) send_timeout: u64,
    /// Requests whose bodies (uploads, forms) are read past their first 64 KiB, or handled,
    /// at once; more wait unread. Each holds at most about three times `--max-total-size`
    /// while it is handled. Default: the number of concurrent checks.
    #[arg(long, value_name = "N", value_parser = super::parse_count)]
    pub(super) concurrent_uploads: Option<NonZeroUsize>,
    /// Connections open at once; more wait in the kernel's queue until one closes.
    #[arg(long, value_name = "N", default_value_t = NonZeroUsize::new(256).unwrap_or(NonZeroUsize::MIN), value_parser = super::parse_count)]
    pub(super) max_connections: NonZeroUsize,
    /// Longest a client may take to send a request's head, and longest a kept-alive connection
    /// may stay idle, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = parse_seconds)]
    pub(super) header_timeout: u64,
    /// Most bytes kept under `--data-dir`; the oldest submissions are removed to make room.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024 * 1024, value_parser = super::parse_limit::<u64>)]
    pub(super) data_dir_max_size: u64,
    /// Another host name (or `name:port`) that pages may be requested under when serving on
    /// a loopback address, e.g. a name in /etc/hosts; may be repeated.
    #[arg(long, value_name = "NAME")]
    pub(super) allow_host: Vec<String>,
    #[command(flatten)]
    pub(super) rules: RuleArgs,
}

/// A time limit in whole seconds, from 1 to a day: a longer one is no limit a client would
/// notice, and one past what a clock can count would fail each request.
fn parse_seconds(text: &str) -> Result<u64, String> {
    let most = crate::serve::MAX_TIME_LIMIT.as_secs();
    match text.parse::<u64>() {
        Ok(seconds) if (1..=most).contains(&seconds) => Ok(seconds),
        _ => Err(format!(
            "`{}` is not a number of seconds from 1 to {most} (a day)",
            super::shown_argument(text)
        )),
    }
}

/// The least `--max-check-memory`: 2 MiB. Every request weighs at least 1 MiB (its page and the
/// check's own tables) and a small file about as much again (`examples/` weigh 1.5 MB and
/// more), so a budget of 1 MiB, the former least, refused every submission.
const MIN_CHECK_MEMORY: u64 = 2 * 1024 * 1024;

/// Below this budget (16 MiB) the server says at start-up how little it can check at once: an
/// ordinary file's download weighs about 2.5 MB, and each request waits for the others.
const FEW_CHECKS_MEMORY: u64 = 16 * 1024 * 1024;

/// A memory budget in bytes: at least [`MIN_CHECK_MEMORY`], at most what the budget can count.
fn parse_check_memory(text: &str) -> Result<u64, String> {
    let most = crate::serve::MAX_CHECK_MEMORY;
    match text.parse::<u64>() {
        Ok(bytes) if (MIN_CHECK_MEMORY..=most).contains(&bytes) => Ok(bytes),
        _ => Err(format!(
            "`{}` is not a number of bytes from {MIN_CHECK_MEMORY} (2 MiB: a request weighs at least 1 MiB, a small file's check about as much again) to {most}",
            super::shown_argument(text)
        )),
    }
}

/// Largest token file read: a token is one line.
const MAX_TOKEN_FILE: u64 = 4096;

/// Tokens shorter than this draw a warning at start-up: 16 random characters are beyond
/// guessing at the limiter's pace; `abc123` is not.
const MIN_TOKEN_CHARS: usize = 16;

pub(super) fn serve(args: &ServeArgs) -> ExitCode {
    let lang = args.lang;
    let jurisdiction = match jurisdiction(args.jurisdiction.as_deref()) {
        Ok(jurisdiction) => jurisdiction,
        Err(code) => return code,
    };
    let as_of = match &args.as_of {
        None => None,
        Some(text) => match Date::parse(text) {
            Ok(date) => Some(JudgedAt {
                date,
                basis: DateBasis::Given,
            }),
            Err(error) => return refuse_in(lang, &format!("`--as-of {text}`: {error}")),
        },
    };
    let token = match (&args.token, &args.token_file) {
        (Some(token), _) => Some(token.clone()),
        (None, Some(path)) => match crate::base::read::read_bounded(path, MAX_TOKEN_FILE) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                Some(text.lines().next().unwrap_or_default().trim().to_owned())
            }
            Err(error) => {
                return refuse_in(
                    lang,
                    &format!(
                        "`--token-file {}`: {}",
                        path.display(),
                        error.reason().get(lang)
                    ),
                );
            }
        },
        (None, None) => None,
    };
    if token.as_deref().is_some_and(str::is_empty) {
        return refuse_in(
            lang,
            crate::tr!(
                "令牌为空:至少写一个字符",
                "the token is empty: give at least one character"
            )
            .get(lang),
        );
    }
    let loaded = match load_rules(&args.rules.options(), lang) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    print_warnings(&loaded.warnings, lang);
    let limits = LoadLimits {
        max_bytes: args.max_file_size,
        yaml: crate::project::yaml::Limits {
            max_depth: args.max_depth,
            max_nodes: args.max_values,
        },
    };
    let external_waivers = match &args.waivers {
        None => Vec::new(),
        Some(path) => match crate::engine::waivers::load(path, &loaded.set, limits) {
            Ok((waivers, warnings)) => {
                print_warnings(&warnings, lang);
                waivers
            }
            // Located, as `check` reports them, and before anything listens.
            Err(errors) => return super::fail_as(&errors, lang, super::Shown::Human),
        },
    };
    let concurrent_checks = args.concurrent_checks.map_or_else(
        || {
            std::thread::available_parallelism()
                .map_or(2, |cores| cores.get())
                .saturating_mul(2)
        },
        |checks| checks.get(),
    );
    let options = ServeOptions {
        bind: args.bind,
        token: token.clone(),
        check: CheckOptions {
            jurisdiction,
            engine: Options {
                strict_evidence: args.strict_evidence,
                as_of,
                drafts: args.drafts,
                lapsed: args.lapsed,
                inline_waivers: args.inline_waivers,
                step_budget: StepBudget(args.max_steps),
            },
            limits,
            waivers: std::sync::Arc::new(external_waivers),
            sharing: std::sync::Arc::default(),
        },
        lang,
        data_dir: args.data_dir.clone(),
        upload: UploadLimits {
            max_file_bytes: args.max_file_size,
            max_files: args.max_files,
            max_total_bytes: args.max_total_size,
        },
        timeout: Duration::from_secs(args.timeout),
        body_timeout: Duration::from_secs(args.body_timeout),
        min_body_rate: args.min_body_rate,
        concurrent_checks,
        max_check_memory: args
            .max_check_memory
            .unwrap_or_else(crate::serve::default_check_memory),
        queue_timeout: Duration::from_secs(args.queue_timeout),
        check_timeout: Duration::from_secs(args.check_timeout),
        min_send_rate: args.min_send_rate,
        send_timeout: Duration::from_secs(args.send_timeout),
        concurrent_uploads: args
            .concurrent_uploads
            .map_or(concurrent_checks, NonZeroUsize::get),
        max_connections: args.max_connections.get(),
        header_timeout: Duration::from_secs(args.header_timeout),
        data_dir_max_bytes: args.data_dir_max_size,
        allowed_hosts: args.allow_host.clone(),
    };
    // A token is guessed at most about once a minute per address once the limiter engages,
    // but a short one still falls to many addresses or a long time.
    let short_token = token
        .as_deref()
        .is_some_and(|token| token.chars().count() < MIN_TOKEN_CHARS);
    let max_check_memory = options.max_check_memory;
    let result = crate::serve::serve(loaded, options, |address| {
        if max_check_memory < FEW_CHECKS_MEMORY {
            let warning = crate::tr!(
                "警告: `--max-check-memory {max_check_memory}` 余量很小:每个请求至少占 1 MiB,一个普通文件的检查约 1.5 MB、其下载约 2.5 MB,更大的提交会被拒绝(413),其余的逐个检查;请至少给 {FEW_CHECKS_MEMORY}(16 MiB)",
                "warning: `--max-check-memory {max_check_memory}` leaves room for little: every request weighs at least 1 MiB, an ordinary file's check about 1.5 MB and its download about 2.5 MB, so a heavier submission is refused (413) and the others check one at a time; give at least {FEW_CHECKS_MEMORY} (16 MiB)"
            );
            stderr_line!("{}", warning.get(lang));
        }
        if short_token {
            let warning = crate::tr!(
                "警告: 令牌短于 {MIN_TOKEN_CHARS} 个字符,可能被猜中;请用至少 20 个字符的随机令牌,如 `head -c 15 /dev/urandom | base64 > token`",
                "warning: the token is shorter than {MIN_TOKEN_CHARS} characters and can be guessed; use a random one of at least 20, e.g. `head -c 15 /dev/urandom | base64 > token`"
            );
            stderr_line!("{}", warning.get(lang));
        }
        if !address.ip().is_loopback() && token.is_none() {
            let warning = crate::tr!(
                "警告: `--bind {address}` 对其他机器提供服务,且没有身份验证:能访问这个地址的人都能使用它;请给出 `--token-file FILE` 要求令牌",
                "warning: `--bind {address}` serves other machines, and there is no authentication: anyone who reaches this address can use it; give `--token-file FILE` to ask for a token"
            );
            stderr_line!("{}", warning.get(lang));
        }
        let mut out = std::io::stdout().lock();
        // Tests and scripts read the address from the first line: one that can be opened, so
        // for all interfaces (`0.0.0.0`, `::`) this machine's own loopback address.
        let _ = writeln!(out, "yimi serve: http://{}/", openable(address));
        let _ = out.flush();
        if address.ip().is_unspecified() {
            let port = address.port();
            let reach = match network_address(address) {
                Some(ip) => format!("http://{}/", std::net::SocketAddr::new(ip, port)),
                None => format!("http://ADDRESS:{port}/ with this machine's network address"),
            };
            let note = crate::tr!(
                "yimi serve: 在所有网络接口上监听(`{address}`):其他机器打开 {reach}",
                "yimi serve: listening on all interfaces (`{address}`): other machines open {reach}"
            );
            stderr_line!("{}", note.get(lang));
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => refuse_in(lang, error.text().get(lang)),
    }
}

/// The address to open for a server bound to `address`: for all interfaces, the loopback
/// address of the same family (`0.0.0.0` and `::` are not addresses a browser can open).
fn openable(address: std::net::SocketAddr) -> std::net::SocketAddr {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            std::net::SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            std::net::SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), address.port())
        }
        _ => address,
    }
}

/// This machine's address on its network, as the system would pick it to reach another
/// machine: a UDP socket "connected" to a documentation address (RFC 5737, 3849) sends
/// nothing, and needs no crate. `None` without a route.
fn network_address(address: std::net::SocketAddr) -> Option<std::net::IpAddr> {
    let (local, remote) = if address.is_ipv4() {
        ("0.0.0.0:0", "192.0.2.1:9")
    } else {
        ("[::]:0", "[2001:db8::1]:9")
    };
    let socket = std::net::UdpSocket::bind(local).ok()?;
    socket.connect(remote).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}
