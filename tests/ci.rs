//! Where CI gates live: the pre-commit hooks (`.pre-commit-hooks.yaml`), run by the real
//! `pre-commit` against a temporary repository, and the CI recipes in `docs/ci/`, which must parse
//! as YAML and call yimi only with commands and options it has.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const YIMI: &str = env!("CARGO_BIN_EXE_yimi");

fn yaml(path: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_yaml::from_str(&text).unwrap_or_else(|error| panic!("{path} is not YAML: {error}"))
}

/// Every string in a YAML document.
fn strings(value: &serde_yaml::Value, found: &mut Vec<String>) {
    match value {
        serde_yaml::Value::String(text) => found.push(text.clone()),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|item| strings(item, found)),
        serde_yaml::Value::Mapping(map) => map.values().for_each(|item| strings(item, found)),
        _ => {}
    }
}

/// The yimi commands in shell text: lines continued with `\` joined, each line cut at `&&` and
/// `;`, words after `yimi`.
fn yimi_commands(shell: &str) -> Vec<Vec<String>> {
    shell
        .replace("\\\n", " ")
        .lines()
        .flat_map(|line| line.split("&&").flat_map(|part| part.split(';')))
        .map(|part| part.trim().trim_start_matches("then ").trim())
        .filter_map(|part| part.strip_prefix("yimi "))
        .map(|rest| rest.split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// yimi accepts the command, its options and their values (clap checks them before `--help`).
fn assert_accepted(words: &[String], from: &str) {
    let output = Command::new(YIMI)
        .args(words)
        .arg("--help")
        .output()
        .expect("yimi runs");
    assert!(
        output.status.success(),
        "{from}: `yimi {}` is refused: {}",
        words.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn hooks() -> Vec<serde_yaml::Value> {
    match yaml(".pre-commit-hooks.yaml") {
        serde_yaml::Value::Sequence(hooks) => hooks,
        other => panic!("the hooks are a list: {other:?}"),
    }
}

fn field<'a>(hook: &'a serde_yaml::Value, name: &str) -> Option<&'a str> {
    hook.get(name).and_then(serde_yaml::Value::as_str)
}

#[test]
fn the_ci_recipes_parse_and_call_existing_options() {
    for (path, expected) in [
        (
            "docs/ci/github-actions.yml",
            &["check", "rules fmt", "rules lint", "rules test"][..],
        ),
        (
            "docs/ci/gitlab-ci.yml",
            &["check", "rules fmt", "rules lint", "rules test"][..],
        ),
    ] {
        let mut found = Vec::new();
        strings(&yaml(path), &mut found);
        let commands: Vec<Vec<String>> =
            found.iter().flat_map(|text| yimi_commands(text)).collect();
        for words in &commands {
            assert_accepted(words, path);
        }
        for command in expected {
            assert!(
                commands
                    .iter()
                    .any(|words| words.join(" ").starts_with(command)),
                "{path} runs `yimi {command}`"
            );
        }
        // New-user review 20 N7: yimi is installed at a pinned revision (the one the baseline
        // was made with), not whatever the default branch holds that day.
        assert!(
            found
                .iter()
                .any(|text| text.contains("cargo install --locked --git")
                    && text.contains("--rev \"$YIMI_REVISION\"")),
            "{path} installs yimi at a pinned revision"
        );
        // The recipe checks the projects with the packs of the branch the change goes into.
        let check = commands
            .iter()
            .find(|words| words.first().map(String::as_str) == Some("check"))
            .unwrap_or_else(|| panic!("{path} runs `yimi check`"));
        assert!(
            check
                .iter()
                .any(|word| word == "\"${rules[@]}\"" || word == "$rules"),
            "{path}: `yimi check` applies the repository's packs: {check:?}"
        );
        // Hostile review 8 F9: the submitter does not choose the gate. Waivers written in a
        // project file waive nothing, and the baseline and the waivers file are the base
        // branch's, written out of git, never the files of the change under review.
        let after = |option: &str| {
            check
                .iter()
                .position(|word| word == option)
                .and_then(|at| check.get(at + 1))
                .unwrap_or_else(|| panic!("{path}: `yimi check` has `{option}`: {check:?}"))
        };
        let inline = after("--inline-waivers");
        assert!(
            inline == "ignore" || inline == "refuse",
            "{path}: --inline-waivers {inline}"
        );
        // Newcomer review 9 F8: a file that leaves out the deciding fact does not pass.
        assert!(
            check.iter().any(|word| word == "--strict-evidence"),
            "{path}: `yimi check` has --strict-evidence: {check:?}"
        );
        let baseline = after("--baseline").trim_matches('"');
        let shell = found.join("\n").replace("\\\n", " ");
        assert!(
            shell.contains(&format!(
                "git show \"FETCH_HEAD:.yimi/baseline.json\" > \"{baseline}\""
            )) || shell.contains(&format!(
                "git show \"FETCH_HEAD:.yimi/baseline.json\" > {baseline}"
            )),
            "{path}: the baseline `{baseline}` comes from the base branch\n{shell}"
        );
        assert!(
            !baseline.starts_with(".yimi") && !baseline.starts_with("projects"),
            "{path}: the baseline is not the checkout's own: {baseline}"
        );
        assert!(
            shell.contains("git show \"FETCH_HEAD:.yimi/waivers.yaml\""),
            "{path}: the waivers file comes from the base branch"
        );
        assert!(
            shell.contains("git fetch --depth=1 origin"),
            "{path}: the base branch is fetched"
        );
        // Hostile review 14 H11: where the pipeline knows no target branch (GitLab's branch
        // pipelines, GitHub's push runs), the default branch stands in, never the commit's own.
        for own in [
            "CI_COMMIT_REF_NAME",
            "CI_COMMIT_BRANCH:-",
            "github.ref_name",
            "github.head_ref",
        ] {
            assert!(
                !shell.contains(own),
                "{path}: the base falls back to `{own}`\n{shell}"
            );
        }
        assert!(
            shell.contains("${BASE:-$CI_DEFAULT_BRANCH}")
                || shell.contains("github.base_ref || github.event.repository.default_branch"),
            "{path}: the base falls back to the default branch\n{shell}"
        );
        // Hostile review 14 H7: the packs checked with are the base branch's, written out of git.
        assert!(
            shell.contains("git archive FETCH_HEAD rules | tar -x -C"),
            "{path}: the packs come from the base branch\n{shell}"
        );
        assert!(
            !shell.contains("--rules rules/\"") && !shell.contains("(--rules rules/)"),
            "{path}: the check does not take the change's own rules/\n{shell}"
        );
        assert!(
            shell.contains("base/rules/*.yimi"),
            "{path}: the check takes the base branch's rules/\n{shell}"
        );
    }
    // GitLab creates a job without `rules:` in branch pipelines only, where the merge request's
    // target branch is unknown: the job runs in merge request pipelines and on the default branch.
    let gitlab_job = yaml("docs/ci/gitlab-ci.yml");
    let conditions: Vec<String> = gitlab_job
        .get("yimi")
        .and_then(|job| job.get("rules"))
        .and_then(serde_yaml::Value::as_sequence)
        .map(|rules| {
            rules
                .iter()
                .filter_map(|rule| rule.get("if").and_then(serde_yaml::Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        conditions,
        [
            "$CI_PIPELINE_SOURCE == \"merge_request_event\"",
            "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
        ],
        "the GitLab job's rules"
    );
    gitlab_refuses_to_run_in_a_fork(&gitlab_job);
    let mut github = Vec::new();
    strings(&yaml("docs/ci/github-actions.yml"), &mut github);
    assert!(
        github
            .iter()
            .any(|text| text.contains("--report sarif=yimi.sarif") && text.contains("--new-only"))
    );
    assert!(
        github
            .iter()
            .any(|text| text.starts_with("github/codeql-action/upload-sarif"))
    );
    let mut gitlab = Vec::new();
    strings(&yaml("docs/ci/gitlab-ci.yml"), &mut gitlab);
    assert!(
        gitlab
            .iter()
            .any(|text| text.contains("--report junit=yimi.junit.xml"))
    );
    assert!(gitlab.iter().any(|text| text == "yimi-report.html"));
}

/// Hostile review 15 X4: a merge request from a fork runs its pipeline in the fork by default,
/// where `origin` is the fork and its target branch the submitter's. The GitLab job's first step
/// fails such a pipeline, saying where to run it, before anything is fetched from `origin`; it
/// lets a pipeline run in the project merged into (a fork's merge request included) and a
/// default-branch pipeline (no merge request) pass. Run by `sh` as GitLab runs it.
fn gitlab_refuses_to_run_in_a_fork(job: &serde_yaml::Value) {
    let script: Vec<&str> = job
        .get("yimi")
        .and_then(|job| job.get("script"))
        .and_then(serde_yaml::Value::as_sequence)
        .map(|steps| steps.iter().filter_map(serde_yaml::Value::as_str).collect())
        .unwrap_or_default();
    let guard = script
        .iter()
        .position(|step| step.contains("CI_MERGE_REQUEST_PROJECT_ID"))
        .expect("the GitLab job checks where its pipeline runs");
    let fetch = script
        .iter()
        .position(|step| step.contains("git fetch"))
        .expect("the GitLab job fetches the target branch");
    assert!(
        guard < fetch,
        "the check comes before the fetch: {script:?}"
    );
    let run = |vars: &[(&str, &str)]| {
        Command::new("sh")
            .arg("-c")
            .arg(script[guard])
            .env_clear()
            .envs(vars.iter().copied())
            .output()
            .expect("sh runs")
    };
    let fork = run(&[
        ("CI_PROJECT_ID", "222"),
        ("CI_PROJECT_PATH", "someone/fork"),
        ("CI_MERGE_REQUEST_PROJECT_ID", "111"),
        ("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "222"),
        ("CI_MERGE_REQUEST_PROJECT_PATH", "office/submissions"),
    ]);
    assert_eq!(fork.status.code(), Some(1), "{fork:?}");
    let said = String::from_utf8_lossy(&fork.stderr);
    assert!(
        said.contains("runs in the fork someone/fork")
            && said.contains("run it in office/submissions"),
        "{said}"
    );
    for vars in [
        // A fork's merge request, its pipeline run in the parent project.
        &[
            ("CI_PROJECT_ID", "111"),
            ("CI_MERGE_REQUEST_PROJECT_ID", "111"),
            ("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "222"),
        ][..],
        // A merge request within the project.
        &[
            ("CI_PROJECT_ID", "111"),
            ("CI_MERGE_REQUEST_PROJECT_ID", "111"),
            ("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "111"),
        ][..],
        // The default branch's pipeline.
        &[("CI_PROJECT_ID", "111")][..],
    ] {
        let output = run(vars);
        assert_eq!(output.status.code(), Some(0), "{vars:?}: {output:?}");
    }
}

/// Each hook calls an existing command, and each `language: rust` hook has a `-system` twin that
/// runs the same command on the same files.
#[test]
fn the_hooks_call_existing_commands_and_come_in_pairs() {
    let hooks = hooks();
    assert!(hooks.len() >= 8);
    for hook in &hooks {
        let id = field(hook, "id").expect("an id");
        let entry = field(hook, "entry").expect("an entry");
        let words = yimi_commands(entry)
            .pop()
            .unwrap_or_else(|| panic!("{id} runs yimi"));
        assert_accepted(&words, id);
        if field(hook, "language") == Some("rust") {
            let twin = hooks
                .iter()
                .find(|other| field(other, "id") == Some(&format!("{id}-system")))
                .unwrap_or_else(|| panic!("{id} has a -system twin"));
            assert_eq!(field(twin, "language"), Some("system"));
            for key in ["entry", "files", "pass_filenames", "require_serial"] {
                assert_eq!(twin.get(key), hook.get(key), "{id}: {key}");
            }
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=yimi", "-c", "user.email=yimi@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs one hook of this repository with `pre-commit try-repo` on every file of `project`.
fn run_hook(
    pre_commit: &common::Tool,
    hooks_repo: &Path,
    project: &Path,
    id: &str,
    home: &Path,
) -> Output {
    let bin = PathBuf::from(YIMI);
    let bin_dir = bin.parent().expect("yimi is in a directory");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("a PATH");
    pre_commit
        .command()
        .args([
            "try-repo",
            &hooks_repo.to_string_lossy(),
            id,
            "--all-files",
            "--color",
            "never",
        ])
        .current_dir(project)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit runs")
}

/// The `-system` hooks, run by pre-commit itself on a repository with a project file and a
/// local pack: they pass on good files and fail on a bad one, saying why.
#[test]
fn pre_commit_runs_the_hooks() {
    let pre_commit = &common::PRE_COMMIT;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let hooks_repo = dir.path().join("hooks");
    std::fs::create_dir(&hooks_repo).expect("a directory");
    std::fs::copy(
        ".pre-commit-hooks.yaml",
        hooks_repo.join(".pre-commit-hooks.yaml"),
    )
    .expect("copied");
    git(&hooks_repo, &["init", "-q"]);
    git(&hooks_repo, &["add", "."]);
    git(&hooks_repo, &["commit", "-q", "-m", "hooks"]);

    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("projects")).expect("a directory");
    std::fs::create_dir_all(project.join("rules")).expect("a directory");
    std::fs::copy(
        "examples/jl-changchun-kindergarten.yaml",
        project.join("projects/kindergarten.yaml"),
    )
    .expect("copied");
    std::fs::copy(
        "tests/fixtures/rules/changchun-local.yimi",
        project.join("rules/changchun.yimi"),
    )
    .expect("copied");
    // Not a project file, and not under projects/: the check hook leaves it alone.
    std::fs::write(project.join("ci.yaml"), "name: ci\n").expect("written");
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    let home = dir.path().join("pre-commit-home");

    for id in [
        "yimi-check-system",
        "yimi-rules-lint-system",
        "yimi-rules-fmt-system",
        "yimi-rules-test-system",
    ] {
        let output = run_hook(pre_commit, &hooks_repo, &project, id, &home);
        assert!(
            output.status.success(),
            "{id} fails on good files: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    std::fs::write(
        project.join("projects/broken.yaml"),
        "yimi: 1\nproject: {}\n",
    )
    .expect("written");
    // Hostile review 15 X11: an extension in capitals is a project file too (yimi's walk of
    // `projects/` takes it); the hook's `files:` passed it over.
    std::fs::write(
        project.join("projects/shouted.YAML"),
        "yimi: 1\nproject: {}\n",
    )
    .expect("written");
    std::fs::write(
        project.join("rules/changchun.yimi"),
        std::fs::read_to_string("tests/fixtures/rules/changchun-local.yimi")
            .expect("readable")
            .replace("  value at_least", "  value    at_least"),
    )
    .expect("written");
    git(&project, &["add", "."]);
    let output = run_hook(
        pre_commit,
        &hooks_repo,
        &project,
        "yimi-check-system",
        &home,
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "a broken project file fails: {text}"
    );
    assert!(text.contains("projects/broken.yaml"), "{text}");
    assert!(text.contains("projects/shouted.YAML"), "{text}");
    let output = run_hook(
        pre_commit,
        &hooks_repo,
        &project,
        "yimi-rules-fmt-system",
        &home,
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "a pack out of layout fails: {text}"
    );
    assert!(
        text.contains("-  value    at_least 5 places/kpop"),
        "{text}"
    );
}
