//! What the client configures in `initializationOptions`: the same choices as `yimi check`'s
//! options, so that the editor and CI agree.
//!
//! ```json
//! { "lang": "en", "rules": ["rules/local"], "sources": ["sources"], "noBuiltin": false,
//!   "maxFileSize": 8388608, "maxDepth": 64, "maxValues": 100000, "maxSteps": 1000000,
//!   "waivers": ".yimi/waivers.yaml", "inlineWaivers": "apply", "cacheDir": "/tmp/yimi" }
//! ```
//!
//! Relative paths are taken from the workspace root. Anything missing or malformed, and a limit
//! of 0, keeps the default.

use std::path::{Path, PathBuf};

use lsp_types::{InitializeParams, Url};
use serde_json::Value;

use crate::base::i18n::Lang;
use crate::engine::eval::{MAX_STEP_BUDGET, StepBudget};
use crate::engine::waivers::InlineWaivers;
use crate::project::LoadLimits;
use crate::rules::load::RuleOptions;

/// The server's configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Language of messages.
    pub lang: Lang,
    /// Rule files or directories loaded as well as the built-in packs (`--rules`).
    pub rules: Vec<PathBuf>,
    /// Source directories (`--sources`).
    pub sources: Vec<PathBuf>,
    /// Leave out the built-in packs (`--no-builtin`).
    pub no_builtin: bool,
    /// Input limits (`--max-file-size`, `--max-depth`, `--max-values`).
    pub limits: LoadLimits,
    /// List elements one rule may visit (`--max-steps`); out of range keeps the default.
    pub step_budget: StepBudget,
    /// A waivers file applied to every project file (`--waivers`).
    pub waivers: Option<PathBuf>,
    /// What a project file's own waivers do (`--inline-waivers`). `apply` unless set: the file
    /// in an editor is its author's, who states the waivers the project was granted, as
    /// `check`'s default has it; a reviewer who sees submissions set `ignore` or `refuse`.
    pub inline_waivers: InlineWaivers,
    /// Where built-in packs and source texts are written for "go to definition".
    pub cache_dir: PathBuf,
    /// The workspace's root folder (the first workspace folder, else `rootUri`): relative
    /// settings are taken from it, and a waiver's `file:` names a document relative to it.
    pub root: Option<PathBuf>,
}

impl Settings {
    /// The settings a client's `initialize` asks for.
    pub fn from_initialize(params: Option<&InitializeParams>) -> Self {
        let root = params.and_then(root_of);
        let options = params
            .and_then(|params| params.initialization_options.clone())
            .unwrap_or(Value::Null);
        let paths = |key: &str| -> Vec<PathBuf> {
            options
                .get(key)
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|path| resolve(root.as_deref(), path))
                        .collect()
                })
                .unwrap_or_default()
        };
        // A limit of 0 would allow nothing (the command line refuses it): such a setting is
        // ignored like any other unusable one, and the default stands.
        let number = |key: &str| {
            options
                .get(key)
                .and_then(Value::as_u64)
                .filter(|limit| *limit >= 1)
        };
        let mut limits = LoadLimits::default();
        if let Some(bytes) = number("maxFileSize") {
            limits.max_bytes = bytes;
        }
        if let Some(depth) = number("maxDepth")
            .and_then(|n| usize::try_from(n).ok())
            .filter(|depth| *depth <= crate::project::yaml::MAX_DEPTH_LIMIT)
        {
            limits.yaml.max_depth = depth;
        }
        if let Some(values) = number("maxValues").and_then(|n| usize::try_from(n).ok()) {
            limits.yaml.max_nodes = values;
        }
        let step_budget = number("maxSteps")
            .filter(|steps| (1..=MAX_STEP_BUDGET).contains(steps))
            .map_or_else(StepBudget::default, StepBudget);
        let lang = match options.get("lang").and_then(Value::as_str) {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        };
        let inline_waivers = match options.get("inlineWaivers").and_then(Value::as_str) {
            Some("ignore") => InlineWaivers::Ignore,
            Some("refuse") => InlineWaivers::Refuse,
            _ => InlineWaivers::Apply,
        };
        let waivers = options
            .get("waivers")
            .and_then(Value::as_str)
            .filter(|path| !path.is_empty())
            .map(|path| resolve(root.as_deref(), path));
        let cache_dir = options
            .get("cacheDir")
            .and_then(Value::as_str)
            .map(|dir| resolve(root.as_deref(), dir))
            .unwrap_or_else(default_cache_dir);
        Settings {
            lang,
            rules: paths("rules"),
            sources: paths("sources"),
            no_builtin: options
                .get("noBuiltin")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            limits,
            step_budget,
            waivers,
            inline_waivers,
            cache_dir,
            root,
        }
    }

    /// The names a waiver's `file:` may give the document at `path`, in normal form: its path
    /// relative to the workspace's root (`projects/a.yaml`), and its path in full.
    pub fn pin_names(&self, path: &Path) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(relative) = self
            .root
            .as_deref()
            .and_then(|root| path.strip_prefix(root).ok())
        {
            names.push(crate::report::baseline::normal_name(
                &relative.to_string_lossy(),
            ));
        }
        names.push(crate::report::baseline::normal_name(
            &path.to_string_lossy(),
        ));
        names
    }

    /// The rules `check` would load with these settings.
    pub fn rule_options(&self) -> RuleOptions {
        RuleOptions {
            no_builtin: self.no_builtin,
            paths: self.rules.clone(),
            sources: self.sources.clone(),
            builtin_dir: None,
            replace_builtin: false,
        }
    }

    /// Whether the document is the configured waivers file, so that saving it changes what
    /// project files are checked with.
    pub fn is_waivers_file(&self, uri: &Url) -> bool {
        uri.to_file_path()
            .is_ok_and(|path| self.waivers.as_ref() == Some(&path))
    }

    /// Whether the document is one of the configured rule files (or under a configured
    /// directory), so that saving it changes what project files are checked against.
    pub fn loads(&self, uri: &Url) -> bool {
        let Ok(path) = uri.to_file_path() else {
            return false;
        };
        self.rules.iter().any(|rules| path.starts_with(rules))
    }
}

fn root_of(params: &InitializeParams) -> Option<PathBuf> {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| folder.uri.to_file_path().ok());
    #[allow(deprecated, reason = "older clients give only `rootUri`")]
    let from_root = params
        .root_uri
        .as_ref()
        .and_then(|uri| uri.to_file_path().ok());
    from_folders.or(from_root)
}

fn resolve(root: Option<&Path>, path: &str) -> PathBuf {
    let path = PathBuf::from(path);
    match root {
        Some(root) if path.is_relative() => root.join(path),
        _ => path,
    }
}

/// `$XDG_CACHE_HOME/yimi/lsp-VERSION`, else `~/.cache/…`, else the temporary directory: a
/// directory per version, so a newer yimi never shows an older built-in pack.
fn default_cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|dir| !dir.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("yimi")
        .join(format!("lsp-{}", env!("CARGO_PKG_VERSION")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(options: serde_json::Value) -> Settings {
        let params = InitializeParams {
            initialization_options: Some(options),
            ..InitializeParams::default()
        };
        Settings::from_initialize(Some(&params))
    }

    #[test]
    fn a_limit_of_zero_keeps_the_default() {
        let defaults = LoadLimits::default();
        let zero = settings(serde_json::json!({"maxFileSize": 0, "maxDepth": 0, "maxValues": 0}));
        assert_eq!(zero.limits.max_bytes, defaults.max_bytes);
        assert_eq!(zero.limits.yaml.max_depth, defaults.yaml.max_depth);
        assert_eq!(zero.limits.yaml.max_nodes, defaults.yaml.max_nodes);
        let set = settings(serde_json::json!({"maxFileSize": 9, "maxDepth": 3, "maxValues": 7}));
        assert_eq!(set.limits.max_bytes, 9);
        assert_eq!(set.limits.yaml.max_depth, 3);
        assert_eq!(set.limits.yaml.max_nodes, 7);
        // Hostile review 16 Y5: a depth whose tree would overflow the stack keeps the default,
        // as the command line refuses it.
        let deep = settings(serde_json::json!({"maxDepth": 100_000}));
        assert_eq!(deep.limits.yaml.max_depth, defaults.yaml.max_depth);
        let deepest = settings(serde_json::json!({"maxDepth": 1000}));
        assert_eq!(deepest.limits.yaml.max_depth, 1000);
    }

    #[test]
    fn waivers_settings_are_read_and_inline_waivers_apply_unless_set() {
        let unset = settings(serde_json::json!({}));
        assert_eq!(unset.inline_waivers, InlineWaivers::Apply);
        assert_eq!(unset.waivers, None);
        for (given, expected) in [
            ("ignore", InlineWaivers::Ignore),
            ("refuse", InlineWaivers::Refuse),
            ("apply", InlineWaivers::Apply),
            ("bogus", InlineWaivers::Apply),
        ] {
            let set = settings(serde_json::json!({ "inlineWaivers": given }));
            assert_eq!(set.inline_waivers, expected, "{given}");
        }
        let set = settings(serde_json::json!({ "waivers": "/srv/w.yaml" }));
        assert_eq!(set.waivers, Some(PathBuf::from("/srv/w.yaml")));
        assert!(set.is_waivers_file(&Url::parse("file:///srv/w.yaml").unwrap()));
        assert!(!set.is_waivers_file(&Url::parse("file:///srv/x.yaml").unwrap()));
    }
}
