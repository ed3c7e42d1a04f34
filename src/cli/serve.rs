//! `yimi serve`: arguments to [`ServeOptions`]; the server itself is `crate::serve`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use super::check::jurisdiction;
use super::{ServeArgs, load_rules, print_warnings, refuse};
use crate::engine::Options;
use crate::engine::checked::CheckOptions;
use crate::engine::eval::StepBudget;
use crate::engine::force::{DateBasis, JudgedAt};
use crate::project::LoadLimits;
use crate::project::date::Date;
use crate::serve::{ServeOptions, UploadLimits};

/// Largest token file read: a token is one line.
const MAX_TOKEN_FILE: u64 = 4096;

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
            Err(error) => return refuse(&format!("`--as-of {text}`: {error}")),
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
                return refuse(&format!(
                    "`--token-file {}`: {}",
                    path.display(),
                    error.reason().get(lang)
                ));
            }
        },
        (None, None) => None,
    };
    if token.as_deref().is_some_and(str::is_empty) {
        return refuse("the token is empty: give at least one character");
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
                step_budget: StepBudget(args.max_steps),
            },
            limits,
            waivers: std::sync::Arc::new(Vec::new()),
        },
        lang,
        data_dir: args.data_dir.clone(),
        upload: UploadLimits {
            max_file_bytes: args.max_file_size,
            max_files: args.max_files,
            max_total_bytes: args.max_total_size,
        },
        timeout: Duration::from_secs(args.timeout.max(1)),
        concurrent_checks,
    };
    let result = crate::serve::serve(loaded, options, |address| {
        if !address.ip().is_loopback() && token.is_none() {
            eprintln!(
                "warning: `--bind {address}` serves other machines, and there is no authentication: anyone who reaches this address can use it; give `--token-file FILE` to ask for a token"
            );
        }
        let mut out = std::io::stdout().lock();
        // Tests and scripts read the address from the first line.
        let _ = writeln!(out, "yimi serve: http://{address}/");
        let _ = out.flush();
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => refuse(&error.to_string()),
    }
}
