//! `yimi rules new`: a local pack to start from — its header, one example rule citing a clause
//! of the source word for word, and the rule's passing, failing and undecided fixtures — so that
//! `yimi rules lint` and `yimi rules test` pass on it at once and the author edits rather than
//! writes from nothing.

use std::path::{Path, PathBuf};

use crate::base::i18n::Text;
use crate::report::escape::terminal_line;
use crate::rules::ir::RuleSet;
use crate::sources::corpus::{Corpus, Source};
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
                // A new pack's source is most often a local document not registered yet: that
                // comes first, a built-in source of a similar name (`jilin-2022` for
                // `jiaxing-2026`) second.
                Some(found) => tr!(
                    "未知的来源 `{source_id}`:本地的来源文件先用 `--sources 目录` 登记(见 rules/README.md);如指内置来源,是否想写 `{found}`?",
                    "unknown source `{source_id}`: register a local source with `--sources DIR` first (see rules/README.md); if you meant a built-in source, did you mean `{found}`?"
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
    // A pack of a built-in pack's id would replace it, which `check` refuses; one of another
    // loaded pack's id would clash with it (hostile review 15: `--id jilin-2022` was written).
    if let Some(existing) = set.packs.iter().find(|existing| existing.id == pack) {
        return Err(if existing.builtin {
            tr!(
                "`{pack}` 是内置规则包的 id:同名的本地规则包会替换内置规则,`check` 不会接受;用 `--id` 另取一个 id",
                "`{pack}` is the id of a built-in pack: a local pack of that id would replace it, which `check` refuses; choose another id with `--id`"
            )
        } else {
            tr!(
                "规则包 `{pack}` 已存在:用 `--id` 另取一个 id",
                "a pack `{pack}` exists already: choose another id with `--id`"
            )
        });
    }
    let hearing = hearing_quote(source);
    // The rule's id says where the pack applies: the place it was made for, or the id chosen.
    let prefix = match id {
        Some(id) => id.split(['-', '_']).next().unwrap_or_default(),
        None => jurisdiction.rsplit('/').next().unwrap_or_default(),
    }
    .to_ascii_uppercase();
    let rule = format!("{prefix}-001");
    if !valid_rule_id(&rule) {
        return Err(tr!(
            "`{rule}` 不能作规则 id:用 `--id` 给出一个以字母开头的规则包 id",
            "`{rule}` cannot be a rule id: give a pack id that starts with a letter with `--id`"
        ));
    }
    if set.rules.iter().any(|existing| existing.id == rule) {
        return Err(tr!(
            "规则 `{rule}` 已存在:用 `--id` 另起一个规则包 id",
            "a rule `{rule}` exists already: choose another pack id with `--id`"
        ));
    }
    let tests = format!("tests/{rule}");
    // The strength the reading table gives the quote (应当 is read as shall), so that `rules
    // lint` is clean on the pack as written; without a quote the template keeps `should`.
    let strength = hearing
        .as_ref()
        .map_or(crate::rules::ir::Strength::Should, |(_, quote)| {
            super::reading::read(quote).strength()
        });
    let example = format!(
        "rule {rule} \"示例:涉及儿童的事项听取儿童意见\"\n\
         \x20    en \"Example: children are heard on matters that concern them\" {{\n\
         \x20 domain   rights\n\
         \x20 strength {strength}\n\
         \x20 addressee project\n\
         \x20 cite     {source} §{clause} \"{quote}\"\n\
         \x20 applies  project.concerns_children == true\n\
         \x20 require  any(participation, p => p.children >= 1 persons)\n\
         \x20 at       participation\n\
         \x20 message  \"没有听取儿童意见的记录\" en \"there is no record of hearing children\"\n\
         \x20 advice   \"决策前组织儿童及其监护人参与(座谈、问卷、现场活动等),记录参与人数和儿童的意见\"\n\
         \x20      en  \"hear children and their guardians before the decision (meetings, surveys, activities on site) and record how many took part and what they said\"\n\
         \x20 hint     \"在 participation 中记录儿童参与的活动和人数\"\n\
         \x20      en  \"record the consultation and the number of children in participation\"\n\
         \x20 test pass \"{tests}/pass.yaml\"\n\
         \x20 test fail \"{tests}/fail.yaml\"\n\
         \x20 test insufficient_evidence \"{tests}/missing.yaml\" missing [participation]\n\
         }}\n",
        source = source.id,
        strength = strength.as_str(),
        clause = hearing
            .as_ref()
            .map_or("CLAUSE", |(clause, _)| clause.as_str()),
        quote = hearing.as_ref().map_or("…", |(_, quote)| quote.as_str()),
    );
    // The example is live only where the source says what it requires: a rule citing another
    // clause would misstate that clause and make `rules coverage` count it as encoded.
    let example = if hearing.is_some() {
        format!(
            "# An example, which encodes the clause it cites: children are heard before a decision\n\
             # that concerns them. Encode each clause like it: cite it word for word, say what a\n\
             # submission must show, what the project must do when it falls short (`advice`, which\n\
             # the official reads in the review opinion's 整改意见 column: write it for your clause)\n\
             # and the edit to the project file (`hint`, for the consultant).\n\
             {example}"
        )
    } else {
        let commented: String = example.lines().map(|line| format!("# {line}\n")).collect();
        format!(
            "# A template, left as a comment: the source says nowhere that children are heard, and a\n\
             # rule citing a clause it does not encode would misstate the clause and count it as\n\
             # encoded. Cite the clause your rule encodes, word for word, say what a submission must\n\
             # show and what the project must do when it falls short (`advice`, which the official\n\
             # reads in the review opinion's 整改意见 column; `hint` is the consultant's edit to the\n\
             # project file), and remove the `#`.\n\
             {commented}"
        )
    };
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
         {example}",
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

/// Words that say children are heard, as the example rule requires.
const HEARING_WORDS: &[&str] = &["听取儿童", "征求儿童意见", "听取未成年人"];

/// A passage of the source, between two pauses, that says children are heard and is not about
/// a mechanism a government sets up: a clause the example rule really encodes, and its words.
fn hearing_quote(source: &Source) -> Option<(String, String)> {
    source.clauses().iter().find_map(|clause| {
        let text = source.own_text_of(clause);
        text.split(|c: char| {
            matches!(
                c,
                '\u{ff0c}' | '\u{3002}' | '\u{ff1b}' | ',' | ';' | '\n' | '\u{ff1a}' | ':'
            )
        })
        .map(str::trim)
        .filter(|part| part.chars().count() <= 60 && !part.contains(['"', '\\']))
        .filter(|part| HEARING_WORDS.iter().any(|word| part.contains(word)))
        .filter(|part| {
            !super::lint::GOVERNMENT_WORDS
                .iter()
                .any(|word| part.contains(word))
        })
        .find(|part| source.locate_quote(clause, part).is_some())
        .map(|part| (clause.id.clone(), part.to_owned()))
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

/// A rule id as the grammar reads one.
fn valid_rule_id(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn valid_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Writes the files, none over an existing one: if any exists (a broken symbolic link
/// included), nothing is written, and a file that appears while they are written is not
/// replaced either. All or nothing: when one file cannot be written, the files written before
/// it and the directories made for them are removed again.
pub fn write(scaffold: &Scaffold) -> Result<(), Text> {
    if let Some((link, target)) = linked_folder(scaffold) {
        let shown = terminal_line(&link.display().to_string()).into_owned();
        let target = terminal_line(&target.display().to_string()).into_owned();
        return Err(tr!(
            "`{shown}` 是指向 `{target}` 的符号链接,不通过它写规则包(请换一个不含链接的目录)",
            "`{shown}` is a symbolic link to `{target}`; refusing to write the pack through it (choose a directory without links)"
        ));
    }
    let exists = |path: &PathBuf| std::fs::symlink_metadata(path).is_ok();
    if let Some((path, _)) = scaffold.files.iter().find(|(path, _)| exists(path)) {
        let shown = terminal_line(&path.display().to_string()).into_owned();
        return Err(tr!(
            "`{shown}` 已存在,不会覆盖:换一个目录或用 `--id` 另起一个规则包",
            "`{shown}` exists and is not overwritten: choose another directory or another `--id`"
        ));
    }
    let mut written = Written::default();
    for (path, text) in &scaffold.files {
        if let Err(error) = written.file(path, text) {
            written.undo();
            let shown = terminal_line(&path.display().to_string()).into_owned();
            let reason = terminal_line(&error.to_string()).into_owned();
            return Err(tr!(
                "无法写入 `{shown}`:{reason};已写入的文件已删除",
                "cannot write `{shown}`: {reason}; the files already written were removed"
            ));
        }
    }
    Ok(())
}

/// A symbolic link among the folders the files go into, and where it leads: one inside the
/// pack's directory (`DIR/tests -> /elsewhere`, planted in a checkout) or, as for `-o`, one
/// inside the working directory on the way to it. The files would land where the link leads.
fn linked_folder(scaffold: &Scaffold) -> Option<(PathBuf, PathBuf)> {
    let dir = scaffold.files.first()?.0.parent()?;
    for (path, _) in &scaffold.files {
        for folder in path.ancestors().skip(1) {
            if folder == dir || !folder.starts_with(dir) {
                break;
            }
            if std::fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) {
                let target = std::fs::read_link(folder).unwrap_or_default();
                return Some((folder.to_path_buf(), target));
            }
        }
        if let Some(found) = crate::run::output::linked_folder(path) {
            return Some(found);
        }
    }
    None
}

/// What [`write`] has made so far, to be removed if a later file fails.
#[derive(Default)]
struct Written {
    files: Vec<PathBuf>,
    /// Directories that did not exist, outermost first.
    dirs: Vec<PathBuf>,
}

impl Written {
    fn file(&mut self, path: &Path, text: &str) -> std::io::Result<()> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            let mut missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|dir| {
                    !dir.as_os_str().is_empty() && std::fs::symlink_metadata(dir).is_err()
                })
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            for dir in missing {
                // One at a time, so that only directories this call made are recorded.
                match std::fs::create_dir(&dir) {
                    Ok(()) => self.dirs.push(dir),
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(error) => return Err(error),
                }
            }
        }
        let mut file = crate::run::output::AtomicFile::create(path)?;
        file.writer().write_all(text.as_bytes())?;
        file.commit_new()?;
        self.files.push(path.to_path_buf());
        Ok(())
    }

    /// Removes the files, then the directories (innermost first, and only while empty: a file
    /// someone else put there meanwhile keeps its directory).
    fn undo(self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        for dir in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that cannot be written (its directory is a file) undoes the ones written before
    /// it, and the directories made for them, but not a directory that was there before.
    #[test]
    fn a_failure_midway_leaves_nothing_written() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let root = dir.path();
        std::fs::write(root.join("blocker"), "").expect("written");
        let scaffold = Scaffold {
            pack: "p".into(),
            files: vec![
                (root.join("new/p.yimi"), "pack".into()),
                (root.join("new/tests/a/pass.yaml"), "yimi: 1".into()),
                (root.join("blocker/fail.yaml"), "yimi: 1".into()),
            ],
        };
        let error = write(&scaffold).expect_err("the last file cannot be written");
        assert!(
            error.en.contains("blocker/fail.yaml") && error.en.contains("were removed"),
            "{}",
            error.en
        );
        let left: Vec<_> = std::fs::read_dir(root)
            .expect("listed")
            .map(|entry| entry.expect("an entry").file_name())
            .collect();
        assert_eq!(left, ["blocker"]);
        // Written whole once nothing stands in the way.
        std::fs::remove_file(root.join("blocker")).expect("removed");
        write(&scaffold).expect("written");
        assert_eq!(
            std::fs::read_to_string(root.join("new/tests/a/pass.yaml")).expect("read"),
            "yimi: 1"
        );
    }

    #[test]
    fn jurisdictions_and_names_are_checked() {
        assert!(valid_jurisdiction("CN/SH/Pudong"));
        assert!(!valid_jurisdiction("SH/Pudong"));
        assert!(!valid_jurisdiction("CN//x"));
        assert!(valid_name("jilin-2022-changchun"));
        assert!(!valid_name("2022"));
    }

    /// A pack id that a built-in pack has is refused up front.
    #[test]
    fn a_built_in_pack_s_id_is_refused() {
        let set = crate::rules::compiled::builtin_set().expect("the built-in rules");
        let corpus = Corpus::builtin();
        let dir = Path::new("d3");
        let Err(refused) = scaffold(
            &set,
            corpus,
            "jilin-2022",
            "CN/JL/Changchun",
            Some("jilin-2022"),
            dir,
        ) else {
            panic!("`--id jilin-2022` was taken");
        };
        assert_eq!(
            refused.en,
            "`jilin-2022` is the id of a built-in pack: a local pack of that id would replace it, which `check` refuses; choose another id with `--id`"
        );
        assert!(
            scaffold(
                &set,
                corpus,
                "jilin-2022",
                "CN/JL/Changchun",
                Some("changchun-2026"),
                dir
            )
            .is_ok()
        );
        // Without `--id`, the source's id gets the place's name, as before.
        let made =
            scaffold(&set, corpus, "jilin-2022", "CN/JL/Changchun", None, dir).expect("scaffolded");
        assert!(
            made.files
                .iter()
                .any(|(_, text)| text.contains("pack jilin-2022-changchun")),
            "{:?}",
            made.files
        );
    }

    /// The example cites a passage that says children are heard, and none about a mechanism.
    #[test]
    fn the_example_cites_a_passage_that_says_children_are_heard() {
        let corpus = Corpus::builtin();
        let jilin = corpus.get("jilin-2022").expect("a built-in source");
        let (clause, quote) = hearing_quote(jilin).expect("jilin-2022 says children are heard");
        assert_eq!(clause, "2");
        assert_eq!(quote, "涉及儿童的重大事项事先听取儿童及监护人意见");
        for source in corpus.sources() {
            if let Some((clause, quote)) = hearing_quote(source) {
                let clause = source.clause(&clause).expect("the clause exists");
                assert!(source.locate_quote(clause, &quote).is_some(), "{quote}");
                assert!(!quote.contains("机制"), "{quote}");
            }
        }
    }
}
