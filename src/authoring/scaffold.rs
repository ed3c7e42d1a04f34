//! `yimi rules new`: a local pack to start from — its header, one example rule citing a clause
//! of the source word for word, and the rule's passing, failing and undecided fixtures — so that
//! `yimi rules lint` and `yimi rules test` pass on it at once and the author edits rather than
//! writes from nothing.

use std::path::{Path, PathBuf};

use crate::base::i18n::Text;
use crate::report::escape::terminal_line;
use crate::rules::ir::RuleSet;
use crate::sources::corpus::{ClauseKind, Corpus, Source};
use crate::tr;

/// The files of a new pack: paths and contents, the pack first.
#[derive(Debug)]
pub struct Scaffold {
    /// The pack's id.
    pub pack: String,
    /// Each file to write and its text.
    pub files: Vec<(PathBuf, String)>,
}

/// The files of a new pack encoding `source` for `jurisdiction`, under `dir`. The pack's id is
/// `id`, else the source's id, or — when a built-in pack already has that id, which a user pack
/// would replace — the source's id and the jurisdiction's last part (`jilin-2022-changchun`).
pub fn scaffold(
    set: &RuleSet,
    corpus: &Corpus,
    source_id: &str,
    jurisdiction: &str,
    id: Option<&str>,
    dir: &Path,
) -> Result<Scaffold, Text> {
    let Some(source) = corpus.get(source_id) else {
        let known: Vec<&str> = corpus
            .sources()
            .iter()
            .map(|source| source.id.as_str())
            .collect();
        return Err(
            match crate::base::suggest::did_you_mean(source_id, known.iter().copied()) {
                Some(found) => tr!(
                    "未知的来源 `{source_id}`;是否想写 `{found}`?",
                    "unknown source `{source_id}`; did you mean `{found}`?"
                ),
                None => tr!(
                    "未知的来源 `{source_id}`:先用 `--sources 目录` 登记它(见 rules/README.md)",
                    "unknown source `{source_id}`: register it with `--sources DIR` first (see rules/README.md)"
                ),
            },
        );
    };
    if !valid_jurisdiction(jurisdiction) {
        return Err(tr!(
            "管辖范围 `{jurisdiction}` 的写法不对:应为 `CN/省/市/区`,如 `CN/SH/Pudong`",
            "`{jurisdiction}` is no jurisdiction: write `CN/province/city/district`, e.g. `CN/SH/Pudong`"
        ));
    }
    let local = jurisdiction
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let pack = match id {
        Some(id) => id.to_owned(),
        None if set.packs.iter().any(|pack| pack.id == source.id) => {
            format!("{}-{local}", source.id)
        }
        None => source.id.clone(),
    };
    if !valid_name(&pack) {
        return Err(tr!(
            "`{pack}` 不能作规则包 id:以字母开头,只含字母、数字、`-` 和 `_`",
            "`{pack}` cannot be a pack id: it starts with a letter and has only letters, digits, `-` and `_`"
        ));
    }
    let Some((clause, quote)) = example_quote(source) else {
        return Err(tr!(
            "来源 `{source_id}` 没有可引用的条款",
            "the source `{source_id}` has no clause to cite"
        ));
    };
    let prefix: String = pack
        .split(['-', '_'])
        .next()
        .unwrap_or("R")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase();
    let rule = format!("{prefix}-001");
    let tests = format!("tests/{rule}");
    let pack_text = format!(
        "# {title}\n\
         # A local pack made by `yimi rules new`: replace the example rule with the clauses of the\n\
         # source, one by one (rules/README.md, \"Encoding a new local plan\").\n\
         \n\
         pack {pack} {{\n\
         \x20 source       {source}\n\
         \x20 jurisdiction {jurisdiction}\n\
         \x20 version      \"0.1\"\n\
         }}\n\
         \n\
         # An example: children are heard before a decision that concerns them. Cite the clause\n\
         # your rule encodes, word for word, and say what a submission must show.\n\
         rule {rule} \"示例:涉及儿童的事项听取儿童意见\"\n\
         \x20    en \"Example: children are heard on matters that concern them\" {{\n\
         \x20 domain   rights\n\
         \x20 strength should\n\
         \x20 addressee project\n\
         \x20 cite     {source} §{clause} \"{quote}\"\n\
         \x20 applies  project.concerns_children == true\n\
         \x20 require  any(participation, p => p.children >= 1 persons)\n\
         \x20 at       participation\n\
         \x20 message  \"没有听取儿童意见的记录\" en \"there is no record of hearing children\"\n\
         \x20 hint     \"在 participation 中记录儿童参与的活动和人数\"\n\
         \x20      en  \"record the consultation and the number of children in participation\"\n\
         \x20 test pass \"{tests}/pass.yaml\"\n\
         \x20 test fail \"{tests}/fail.yaml\"\n\
         \x20 test insufficient_evidence \"{tests}/missing.yaml\" missing [participation]\n\
         }}\n",
        title = one_line(&source.title),
        source = source.id,
    );
    let project = |name: &str, participation: &str| {
        format!(
            "yimi: 1\nproject:\n  id: T-{rule}-{name}\n  kind: policy\n  jurisdiction: {jurisdiction}\n  concerns_children: true\n  decision_date: 2026-05-01\n{participation}"
        )
    };
    let files = vec![
        (dir.join(format!("{pack}.yimi")), pack_text),
        (
            dir.join(&tests).join("pass.yaml"),
            project(
                "PASS",
                "\nparticipation:\n  - { date: 2026-03-12, method: workshop, children: 24, guardians: 10 }\n",
            ),
        ),
        (
            dir.join(&tests).join("fail.yaml"),
            project(
                "FAIL",
                "\nparticipation:\n  - { date: 2026-03-12, method: workshop, children: 0, guardians: 10 }\n",
            ),
        ),
        (
            dir.join(&tests).join("missing.yaml"),
            project("MISSING", ""),
        ),
    ];
    Ok(Scaffold { pack, files })
}

/// The first numbered item of the source (else any clause) and the start of its text up to the
/// first pause, at most 24 characters: a quote the clause holds word for word.
fn example_quote(source: &Source) -> Option<(String, String)> {
    let mut clauses: Vec<_> = source.clauses().iter().collect();
    clauses.sort_by_key(|clause| clause.kind != ClauseKind::Item);
    clauses.into_iter().find_map(|clause| {
        let text = source.own_text_of(clause);
        let text = text.strip_prefix(clause.label.as_str()).unwrap_or(text);
        let quote: String = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())?
            .chars()
            .take_while(|c| {
                !matches!(
                    c,
                    '\u{ff0c}' | '\u{3002}' | '\u{ff1b}' | ',' | ';' | '"' | '\\'
                )
            })
            .take(24)
            .collect();
        let quote = quote.trim().to_owned();
        (!quote.is_empty() && source.locate_quote(clause, &quote).is_some())
            .then(|| (clause.id.clone(), quote))
    })
}

/// A source's title as a comment line of the pack: one line, its hidden characters visible.
fn one_line(text: &str) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    terminal_line(&words).into_owned()
}

/// `CN`, `CN/SH`, `CN/SH/Pudong`, as the rule language writes jurisdictions.
fn valid_jurisdiction(text: &str) -> bool {
    let mut parts = text.split('/');
    parts.next() == Some("CN")
        && parts.all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn valid_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Writes the files, none over an existing one: if any exists (a broken symbolic link
/// included), nothing is written, and a file that appears while they are written is not
/// replaced either.
pub fn write(scaffold: &Scaffold) -> Result<(), Text> {
    let exists = |path: &PathBuf| std::fs::symlink_metadata(path).is_ok();
    if let Some((path, _)) = scaffold.files.iter().find(|(path, _)| exists(path)) {
        let shown = terminal_line(&path.display().to_string()).into_owned();
        return Err(tr!(
            "`{shown}` 已存在,不会覆盖:换一个目录或用 `--id` 另起一个规则包",
            "`{shown}` exists and is not overwritten: choose another directory or another `--id`"
        ));
    }
    for (path, text) in &scaffold.files {
        let written = (|| {
            if let Some(parent) = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = crate::run::output::AtomicFile::create(path)?;
            file.writer().write_all(text.as_bytes())?;
            file.commit_new()
        })();
        if let Err(error) = written {
            let shown = terminal_line(&path.display().to_string()).into_owned();
            let reason = terminal_line(&error.to_string()).into_owned();
            return Err(tr!(
                "无法写入 `{shown}`:{reason}",
                "cannot write `{shown}`: {reason}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jurisdictions_and_names_are_checked() {
        assert!(valid_jurisdiction("CN/SH/Pudong"));
        assert!(!valid_jurisdiction("SH/Pudong"));
        assert!(!valid_jurisdiction("CN//x"));
        assert!(valid_name("jilin-2022-changchun"));
        assert!(!valid_name("2022"));
    }

    #[test]
    fn every_built_in_source_gives_a_quote_found_in_its_clause() {
        for source in Corpus::builtin().sources() {
            let (clause, quote) = example_quote(source).expect("a clause to cite");
            let clause = source.clause(&clause).expect("the clause exists");
            assert!(
                source.locate_quote(clause, &quote).is_some(),
                "{}: {quote}",
                source.id
            );
        }
    }
}
