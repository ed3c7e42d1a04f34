//! Pack headers, their sources, and rule and target ids.

use super::*;

impl Checker<'_> {
    /// Checks a file's pack header and registers the pack.
    pub(super) fn pack(&mut self, input: &Input) -> Option<usize> {
        let file = &input.tree.file;
        let mut headers = input.tree.items.iter().filter_map(|item| match item {
            ast::Item::Pack(pack) => Some(pack),
            _ => None,
        });
        let Some(header) = headers.next() else {
            // A header that is written but did not parse has its syntax error already: "no
            // `pack` header" would be a second error about the same line.
            if has_unparsed_header(&file.text) {
                return None;
            }
            self.error(
                "rules::no-pack",
                file,
                0..0,
                tr!(
                    "规则文件没有 `pack` 声明",
                    "the rule file has no `pack` header"
                ),
                tr!(
                    "文件开头应声明规则包",
                    "the file should start with a pack header"
                ),
                Some(tr!(
                    "在文件开头写 `pack 包名 {{ source 来源 jurisdiction CN/… }}`",
                    "start the file with `pack name {{ source id jurisdiction CN/… }}`"
                )),
            );
            return None;
        };
        if let Some(second) = headers.next() {
            self.error(
                "rules::second-pack",
                file,
                second.span.clone(),
                tr!(
                    "一个文件只能声明一个规则包",
                    "a file declares one pack only"
                ),
                tr!("第二个 `pack`", "second `pack`"),
                Some(tr!(
                    "把第二个规则包移到单独的文件",
                    "move the second pack to a file of its own"
                )),
            );
        }
        if let Some(first) = input.tree.items.first()
            && !matches!(first, ast::Item::Pack(_))
        {
            self.error(
                "rules::pack-not-first",
                file,
                header.span.clone(),
                tr!(
                    "`pack` 声明必须是文件的第一项",
                    "the `pack` header must come first in the file"
                ),
                tr!("移到文件开头", "move this to the top"),
                None,
            );
        }
        let id = &header.id.node;
        if let Some(existing) = self.set.packs.iter().find(|pack| &pack.id == id) {
            let other = existing.file.name.clone();
            self.error(
                "rules::duplicate-pack",
                file,
                header.id.span.clone(),
                {
                    let id = code(&id.to_string());
                    let other = code(&other.to_string());
                    tr!(
                        "规则包 {id} 已在 {other} 中声明",
                        "pack {id} is already declared in {other}"
                    )
                },
                tr!("重复的规则包", "duplicate pack"),
                Some(tr!(
                    "为本地规则包取一个不同的名称",
                    "give the local pack a name of its own"
                )),
            );
            return None;
        }
        let Some(source) = &header.source else {
            self.missing_field(
                file,
                header.span.clone(),
                "pack",
                "source",
                "source shanghai-2023",
            );
            return None;
        };
        let Some(jurisdiction) = &header.jurisdiction else {
            self.missing_field(
                file,
                header.span.clone(),
                "pack",
                "jurisdiction",
                "jurisdiction CN/SH",
            );
            return None;
        };
        let (source_jurisdiction, force) = match self.corpus.get(&source.node) {
            Some(registered) => (Some(registered.jurisdiction.clone()), force_of(registered)),
            None => {
                self.unknown_source(file, source);
                (None, Force::default())
            }
        };
        if let Some(registered) = source_jurisdiction
            && registered != jurisdiction.node
            && !Jurisdiction::parse(&registered).contains(&Jurisdiction::parse(&jurisdiction.node))
        {
            let (declared, source_id) = (&jurisdiction.node, &source.node);
            self.error(
                "rules::pack-jurisdiction",
                file,
                jurisdiction.span.clone(),
                {
                    let declared = code(&declared.to_string());
                    let source_id = code(&source_id.to_string());
                    let registered = code(&registered.to_string());
                    tr!(
                        "规则包的适用范围 {declared} 不在来源 {source_id} 的范围 {registered} 之内",
                        "the pack's jurisdiction {declared} is outside {registered}, where its source {source_id} applies"
                    )
                },
                tr!("与来源不一致", "does not match the source"),
                Some(tr!("写 `jurisdiction {registered}`", "write `jurisdiction {registered}`")),
            );
        }
        self.set.packs.push(Pack {
            id: id.clone(),
            source: source.node.clone(),
            jurisdiction: Jurisdiction::parse(&jurisdiction.node),
            version: header.version.as_ref().map(|version| version.node.clone()),
            file: Arc::clone(file),
            builtin: input.builtin,
            not_checkable: super::super::encoding::Lazy::new(Vec::new()),
            force,
        });
        Some(self.set.packs.len() - 1)
    }

    pub(super) fn unknown_source(&mut self, file: &Arc<SourceFile>, source: &ast::Name) {
        let id = &source.node;
        if !self.unknown_sources.insert((file.name.clone(), id.clone())) {
            return;
        }
        let help = match did_you_mean(id, self.corpus.sources().iter().map(|s| s.id.as_str())) {
            Some(name) => {
                let name = code(name);
                tr!("是否想写 {name}?", "did you mean {name}?")
            }
            None => {
                let known: Vec<String> =
                    self.corpus.sources().iter().map(|s| code(&s.id)).collect();
                let known = known.join(", ");
                tr!(
                    "已登记的来源:{known};新的来源用 `--sources` 登记",
                    "registered sources: {known}; register a new one with `--sources`"
                )
            }
        };
        self.error(
            "rules::unknown-source",
            file,
            source.span.clone(),
            {
                let id = code(&id.to_string());
                tr!("未登记的来源 {id}", "unknown source {id}")
            },
            tr!("未登记", "not registered"),
            Some(help),
        );
    }

    pub(super) fn rule_id(&mut self, file: &Arc<SourceFile>, id: &ast::Name) -> bool {
        let (line, _) = file.line_col(id.span.start);
        let here = format!("{}:{line}", file.name);
        if let Some(first) = self.rule_ids.get(&id.node) {
            let first = first
                .clone()
                .unwrap_or_else(|| self.checked_rule_place(&id.node));
            let name = &id.node;
            self.error(
                "rules::duplicate-id",
                file,
                id.span.clone(),
                {
                    let name = code(&name.to_string());
                    tr!(
                        "规则编号 {name} 重复,首次出现在 {first}",
                        "duplicate rule id {name}, first defined at {first}"
                    )
                },
                tr!("重复的编号", "duplicate id"),
                Some(tr!(
                    "每条规则和目标的编号必须唯一",
                    "every rule and target needs an id of its own"
                )),
            );
            return false;
        }
        self.rule_ids.insert(id.node.clone(), Some(here));
        true
    }

    /// Where a rule of the packs checked before is defined, as [`Checker::rule_id`] records the
    /// place of a rule it checks: `file:line` of its id.
    fn checked_rule_place(&self, id: &str) -> String {
        let Some(rule) = self.set.rule(id) else {
            return String::new();
        };
        let Some(pack) = self.set.packs.get(rule.pack) else {
            return String::new();
        };
        let (line, _) = pack.file.line_col(rule.spans.id.start);
        format!("{}:{line}", pack.file.name)
    }
}

/// A source's standing from its manifest entry. A date of issue known only to the month or year
/// counts from the first day of it, and the last day of it is when the document surely existed
/// (`issued_by`): in between, whether it had been issued is not known (law review 9, G24).
fn force_of(source: &crate::sources::corpus::Source) -> Force {
    let mut parts = source.date.split('-').map(str::parse::<u32>);
    let (from, issued_by) = match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(year)), month, day) => {
            let known_month = month.and_then(Result::ok);
            let known_day = day.and_then(Result::ok);
            let date = |month: u32, day: u32| match (
                i32::try_from(year),
                u8::try_from(month),
                u8::try_from(day),
            ) {
                (Ok(year), Ok(month), Ok(day)) => Date::new(year, month, day).ok(),
                _ => None,
            };
            let from = date(known_month.unwrap_or(1), known_day.unwrap_or(1));
            let issued_by = match (known_month, known_day) {
                (_, Some(_)) => None,
                (Some(month), None) => (28..=31).rev().find_map(|day| date(month, day)),
                (None, None) => date(12, 31),
            };
            (from, issued_by)
        }
        _ => (None, None),
    };
    Force {
        draft: source.status == crate::sources::corpus::Status::Draft,
        from,
        issued_by,
        until: source
            .in_force_until
            .as_deref()
            .and_then(|until| Date::parse(until).ok()),
        continued_by: source.continued_by.clone(),
    }
}

/// Whether a rule text has a line that starts (outside strings and comments) with the `pack`
/// keyword: a pack header that is written, though it may not parse.
fn has_unparsed_header(text: &str) -> bool {
    text.lines().any(|line| {
        line.strip_prefix("pack")
            .is_some_and(|rest| rest.starts_with([' ', '\t']))
    })
}
