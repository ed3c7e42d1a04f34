//! The built-in source corpus: clause structure, lookups, quotes, traceability to the raw
//! originals, and reading a user's corpus directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use yimi::sources::corpus::{ClauseKind, Corpus, CorpusError, Level, Source, Status};

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn source(id: &str) -> &'static Source {
    Corpus::builtin()
        .get(id)
        .unwrap_or_else(|| panic!("no built-in source `{id}`"))
}

/// The text of clause `id` of source `source_id`, which must exist.
fn clause_text(source_id: &str, id: &str) -> &'static str {
    let source = source(source_id);
    let clause = source
        .clause(id)
        .unwrap_or_else(|| panic!("no clause `{id}` in `{source_id}`"));
    source.text_of(clause)
}

fn ids_of(source: &Source, kind: ClauseKind) -> Vec<&str> {
    source
        .clauses()
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.id.as_str())
        .collect()
}

fn strip_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_builtin_corpus_has_the_five_sources_with_their_metadata() {
    let corpus = Corpus::builtin();
    let ids: Vec<&str> = corpus.sources().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "jilin-2022",
            "ruian-2022",
            "shanghai-2023",
            "shangyu-2025",
            "yuzhong-2024"
        ]
    );
    let expected = [
        ("shanghai-2023", "CN/SH", Level::Province, Status::InForce),
        (
            "ruian-2022",
            "CN/ZJ/Wenzhou/Ruian",
            Level::County,
            Status::InForce,
        ),
        ("jilin-2022", "CN/JL", Level::Province, Status::InForce),
        (
            "shangyu-2025",
            "CN/ZJ/Shaoxing/Shangyu",
            Level::District,
            Status::Draft,
        ),
        (
            "yuzhong-2024",
            "CN/CQ/Yuzhong",
            Level::District,
            Status::InForce,
        ),
    ];
    for (id, jurisdiction, level, status) in expected {
        let source = source(id);
        assert_eq!(source.jurisdiction, jurisdiction, "{id}");
        assert_eq!(source.level, level, "{id}");
        assert_eq!(source.status, status, "{id}");
        assert_eq!(source.file, format!("{id}.txt"));
        assert!(
            seeds_dir()
                .join("original")
                .join(&source.original)
                .is_file(),
            "{id}: original `{}` is missing",
            source.original
        );
    }
    assert_eq!(
        source("ruian-2022").number.as_deref(),
        Some("瑞政办〔2022〕37号")
    );
    assert_eq!(source("shangyu-2025").number, None);
    assert_eq!(source("yuzhong-2024").date, "2024-03-14");
}

#[test]
fn clause_counts_per_source_and_kind() {
    let expected: [(&str, [usize; 4]); 5] = [
        // part, section, heading, item
        ("shanghai-2023", [6, 0, 28, 99]),
        ("ruian-2022", [5, 15, 20, 92]),
        ("jilin-2022", [3, 12, 0, 24]),
        ("shangyu-2025", [3, 6, 0, 28]),
        ("yuzhong-2024", [5, 16, 11, 46]),
    ];
    for (id, counts) in expected {
        let source = source(id);
        let mut actual: BTreeMap<ClauseKind, usize> = BTreeMap::new();
        for clause in source.clauses() {
            *actual.entry(clause.kind).or_default() += 1;
        }
        for (kind, count) in ClauseKind::ALL.into_iter().zip(counts) {
            assert_eq!(
                actual.get(&kind).copied().unwrap_or(0),
                count,
                "{id}: number of {kind}s"
            );
        }
    }
}

#[test]
fn items_and_headings_run_from_one_without_gaps_or_repeats() {
    for source in Corpus::builtin().sources() {
        let items = ids_of(source, ClauseKind::Item);
        let expected: Vec<String> = (1..=items.len()).map(|n| n.to_string()).collect();
        assert_eq!(items, expected, "{}: items", source.id);
        let headings = ids_of(source, ClauseKind::Heading);
        let expected: Vec<String> = (1..=headings.len()).map(|n| format!("h{n}")).collect();
        assert_eq!(headings, expected, "{}: headings", source.id);
    }
}

#[test]
fn sections_are_numbered_within_their_parts() {
    let expected: [(&str, &[&str]); 5] = [
        ("shanghai-2023", &[]),
        (
            "ruian-2022",
            &[
                "二.(一)",
                "二.(二)",
                "二.(三)",
                "二.(四)",
                "四.(一)",
                "四.(二)",
                "四.(三)",
                "四.(四)",
                "四.(五)",
                "四.(六)",
                "五.(一)",
                "五.(二)",
                "五.(三)",
                "五.(四)",
                "五.(五)",
            ],
        ),
        (
            "jilin-2022",
            &[
                "一.(一)",
                "一.(二)",
                "一.(三)",
                "二.(一)",
                "二.(二)",
                "二.(三)",
                "二.(四)",
                "二.(五)",
                "三.(一)",
                "三.(二)",
                "三.(三)",
                "三.(四)",
            ],
        ),
        (
            "shangyu-2025",
            &[
                "二.(一)",
                "二.(二)",
                "二.(三)",
                "二.(四)",
                "二.(五)",
                "二.(六)",
            ],
        ),
        (
            "yuzhong-2024",
            &[
                "二.(一)",
                "二.(二)",
                "二.(三)",
                "二.(四)",
                "三.(一)",
                "三.(二)",
                "四.(一)",
                "四.(二)",
                "四.(三)",
                "四.(四)",
                "四.(五)",
                "五.(一)",
                "五.(二)",
                "五.(三)",
                "五.(四)",
                "五.(五)",
            ],
        ),
    ];
    for (id, sections) in expected {
        assert_eq!(ids_of(source(id), ClauseKind::Section), sections, "{id}");
    }
    let parts: Vec<&str> = ids_of(source("shanghai-2023"), ClauseKind::Part);
    assert_eq!(parts, ["一", "二", "三", "四", "五", "六"]);
}

#[test]
fn cited_clauses_resolve_and_start_as_expected() {
    let cases = [
        ("shanghai-2023", "68", "68)推进公园绿地增设儿童活动空间设施"),
        (
            "shanghai-2023",
            "h18",
            "18.推进公园绿地儿童友好空间建设\n67)",
        ),
        ("ruian-2022", "16", "(16)提供普惠托育和婴幼儿照护服务。"),
        ("jilin-2022", "5", "5.大力发展普惠托育服务。"),
        (
            "jilin-2022",
            "二.(一)",
            "(一)推进社会政策儿童友好。\n1. 建立健全",
        ),
        ("shangyu-2025", "15", "15.城市公共空间适儿化改造。"),
        (
            "yuzhong-2024",
            "18",
            "(18)加快基础教育优质均衡发展。\n推动学前教育",
        ),
    ];
    for (source_id, id, start) in cases {
        let text = clause_text(source_id, id);
        assert!(
            text.starts_with(start),
            "{source_id}/{id} starts {:?}",
            text.chars().take(40).collect::<String>()
        );
    }
    let contains = [
        (
            "shanghai-2023",
            "68",
            "3000平方米以上的公园绿地优先满足儿童活动需求",
        ),
        (
            "yuzhong-2024",
            "18",
            "招收5名及以上残疾学生的普校至少配备1名特教教师并设有资源教室",
        ),
        (
            "yuzhong-2024",
            "25",
            "每所社区卫生服务中心至少配备2名专业从事儿童保健的医生",
        ),
        (
            "jilin-2022",
            "5",
            "推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施,并与住宅同步验收、同步交付使用",
        ),
        (
            "ruian-2022",
            "16",
            "到2024年力争每千人拥有3岁以下婴幼儿照护设施托位4.5个",
        ),
    ];
    for (source_id, id, snippet) in contains {
        assert!(
            clause_text(source_id, id).contains(snippet),
            "{source_id}/{id} lacks {snippet}"
        );
    }
}

#[test]
fn markers_as_written_resolve_to_canonical_ids() {
    let ruian = source("ruian-2022");
    for written in ["16", "(16)", "（16）"] {
        assert_eq!(ruian.clause(written).map(|c| c.id.as_str()), Some("16"));
    }
    let shanghai = source("shanghai-2023");
    assert_eq!(shanghai.clause("68)").map(|c| c.id.as_str()), Some("68"));
    assert_eq!(shanghai.clause("18.").map(|c| c.id.as_str()), Some("h18"));
    let shangyu = source("shangyu-2025");
    assert_eq!(
        shangyu.clause("二.(一)").map(|c| c.label.as_str()),
        Some("（一）")
    );
    assert_eq!(
        shangyu.clause("二.（一）").map(|c| c.id.as_str()),
        Some("二.(一)")
    );
    assert_eq!(
        source("jilin-2022").clause("5.").map(|c| c.id.as_str()),
        Some("5")
    );
    assert!(ruian.clause("93").is_none());
    assert!(
        shanghai.clause("(68)").is_none(),
        "shanghai items are written `68)`"
    );
}

#[test]
fn clauses_know_their_place() {
    let shanghai = source("shanghai-2023");
    let item = shanghai.clause("68").expect("shanghai 68");
    assert_eq!(item.kind, ClauseKind::Item);
    assert_eq!(item.label, "68)");
    let ancestors: Vec<&str> = shanghai
        .ancestors(item)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ancestors, ["四", "h18"]);
    let heading = shanghai.clause("h18").expect("shanghai h18");
    assert_eq!(heading.title, "推进公园绿地儿童友好空间建设");
    let items: Vec<&str> = shanghai
        .items()
        .filter(|c| heading.range.contains(&c.range.start))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(items, ["67", "68", "69", "70"]);
    assert_eq!(
        shanghai.own_text_of(heading),
        "18.推进公园绿地儿童友好空间建设\n"
    );
    assert_eq!(shanghai.line_of(heading.range.start), 101);

    let ruian = source("ruian-2022");
    let item = ruian.clause("92").expect("ruian 92");
    let ancestors: Vec<&str> = ruian
        .ancestors(item)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ancestors, ["五", "五.(五)", "h20"]);
    assert_eq!(ruian.text_of(item), "(92)开展青少年网络素养教育与宣\n");
    let jilin = source("jilin-2022");
    let item = jilin.clause("5").expect("jilin 5");
    assert_eq!(item.title, "大力发展普惠托育服务");
    let ancestors: Vec<&str> = jilin
        .ancestors(item)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ancestors, ["二", "二.(二)"]);
}

#[test]
fn quotes_are_found_across_line_breaks_and_spaces_but_not_when_changed() {
    let shanghai = source("shanghai-2023");
    let heading = shanghai.clause("h6").expect("shanghai h6");
    let quote = "高质量推进幼有善育 19)加大“托幼一体化”建设力度";
    let range = shanghai
        .locate_quote(heading, quote)
        .expect("a quote across the line break is found");
    let found = shanghai.text.get(range.clone()).expect("a valid range");
    assert_eq!(found, "高质量推进幼有善育\n19)加大“托幼一体化”建设力度");
    assert_eq!(shanghai.line_of(range.start), 37);
    assert_eq!(shanghai.line_of(range.end), 38);

    let item = shanghai.clause("68").expect("shanghai 68");
    let quote = "3000平方米以上的 公园绿地优先满足  儿童活动需求";
    let range = shanghai
        .locate_quote(item, quote)
        .expect("extra spaces are ignored");
    assert_eq!(
        strip_whitespace(shanghai.text.get(range).expect("a valid range")),
        strip_whitespace(quote)
    );
    for changed in [
        "3000平方米以上的公园绿地优先满足儿童活动需要",
        "3000平方米以上的公园绿地优先满足儿童活动需求。",
        // The text has an ASCII comma here; a full-width one is a different character.
        "3000平方米以上的公园绿地优先满足儿童活动需求，郊野公园",
        "2000平方米以上的公园绿地优先满足儿童活动需求",
    ] {
        assert_eq!(shanghai.locate_quote(item, changed), None, "{changed}");
    }
    // A quote from another clause is not inside this one.
    assert_eq!(
        shanghai.locate_quote(item, "规划建设50座儿童友好公园"),
        None
    );

    // The cleaned Rui'an text re-joins a sentence cut by a page break.
    let ruian = source("ruian-2022");
    let part = ruian.clause("四").expect("ruian 四");
    assert!(
        ruian
            .locate_quote(
                part,
                "到2025年力争创成全省首批、全市首个县域型儿童友好试点城市"
            )
            .is_some()
    );
    let item = ruian.clause("11").expect("ruian 11");
    assert!(
        ruian
            .locate_quote(item, "研发系列儿童参与主题活动,确保每年开展不少于3个系列")
            .is_some()
    );
}

#[test]
fn mistyped_clause_ids_get_suggestions() {
    let jilin = source("jilin-2022");
    assert_eq!(jilin.suggest_clause("二.(六)"), Some("二.(一)"));
    let shanghai = source("shanghai-2023");
    let suggestion = shanghai.suggest_clause("h29").expect("a suggestion");
    assert!(shanghai.clause(suggestion).is_some());
    assert_eq!(shanghai.suggest_clause("儿童友好城市建设"), None);
}

#[test]
fn no_clause_contains_leftover_chrome() {
    let chrome = [
        "上传人",
        "[bookmark",
        "bookmark:",
        "打印",
        "索引号",
        "第1页",
        "共41页",
        ".docx",
        "分享到",
        "纠错",
        "文件下载",
        "扫一扫",
        "当前位置",
        "备案号",
        "点击查看",
        "展开阅读全文",
        "猜你喜欢",
        "政策速递",
        "供稿",
        "返回原图",
        "发布机构",
        "一图读懂",
    ];
    for source in Corpus::builtin().sources() {
        for word in chrome {
            assert!(
                !source.text.contains(word),
                "{}: `{word}` left in",
                source.id
            );
        }
        for clause in source.clauses() {
            let text = source.text_of(clause);
            assert!(
                !chrome.iter().any(|word| text.contains(word)),
                "{}/{}",
                source.id,
                clause.id
            );
            // Page-fragment markers (`12、` at a line start) are gone too.
            for line in text.lines() {
                let digits =
                    line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                assert!(
                    digits == 0 || !line[digits..].starts_with('、'),
                    "{}/{}: {line}",
                    source.id,
                    clause.id
                );
            }
        }
    }
}

/// The original as the cleaned copy is compared with it: the page-fragment markers the manifest
/// describes removed, then all whitespace removed.
fn comparable_original(source: &Source) -> (String, Vec<String>) {
    let path = seeds_dir().join("original").join(&source.original);
    let original = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let lines: Vec<String> = original
        .split('\n')
        .map(|line| match source.fragment_markers.as_deref() {
            None => line.to_owned(),
            Some("N、 at the start of a line") => {
                let digits =
                    line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                match line.get(digits..).and_then(|rest| rest.strip_prefix('、')) {
                    Some(rest) if digits > 0 => rest.to_owned(),
                    _ => line.to_owned(),
                }
            }
            Some(other) => panic!("{}: unknown fragment marker pattern `{other}`", source.id),
        })
        .collect();
    (strip_whitespace(&lines.concat()), lines)
}

/// Text removed while cleaning, per source, as (head, gaps between kept lines, tail) with all
/// whitespace removed: site chrome only.
fn removed(id: &str) -> (&'static str, Vec<&'static str>, &'static str) {
    match id {
        "shanghai-2023" => (
            "政策速递当前位置:首页政策速递",
            vec!["发展研究部供稿2023-10-07设置"],
            "最近信息返回原图/",
        ),
        "ruian-2022" => (
            "建设儿童友好城市三年行动计划.docx上传人:夺命阿水文档编号:793816上传时间:2023-11-28格式:DOCX页数:41大小:56.25KB返回下载相关举报建设儿童友好城市三年行动计划.docx_第1页第1页/共41页建设儿童友好城市三年行动计划.docx_第2页第2页/共41页建设儿童友好城市三年行动计划.docx_第3页第3页/共41页建设儿童友好城市三年行动计划.docx_第4页第4页/共41页建设儿童友好城市三年行动计划.docx_第5页第5页/共41页点击查看更多>>资源描述《建设儿童友好城市三年行动计划.docx》由会员分享,可在线阅读,更多相关《建设儿童友好城市三年行动计划.docx(41页珍藏版)》请在课桌文档上搜索。",
            vec![],
            "展开阅读全文相关资源猜你喜欢相关搜索资源标签当前位置:首页>在线阅读>生活休闲备案号:宁ICP备20000045号-1经营许可证:宁B2-20210002宁公网安备64010402000986号",
        ),
        "jilin-2022" => ("", vec![], ""),
        "shangyu-2025" => ("[bookmark:OLE_LINK1]", vec!["[bookmark:_GoBack]"], ""),
        "yuzhong-2024" => (
            "索引号12844103567866362S/2024-00002发布机构渝中区政府办公室成文日期2024-03-14发布日期2024-04-01主题分类其他;未成年人(儿童)体裁分类其他发文字号渝中府办〔2024〕7号有效性索引号12844103567866362S/2024-00002发布机构渝中区政府办公室主题分类其他;未成年人(儿童)成文日期2024-03-14发布日期2024-04-01体裁分类其他发文字号渝中府办〔2024〕7号有效性",
            vec!["打印打印纠错纠错分享到"],
            "文件下载:重庆市渝中区人民政府办公室关于印发《渝中区儿童友好城市建设三年行动计划(2024-2026年)》的通知.docx部门解读:《重庆市渝中区儿童友好城市建设三年行动计划(2024-2026年)》政策解读一图读懂:媒体视角:《重庆市渝中区儿童友好城市建设三年行动计划(2024-2026年)》出炉!扫一扫在手机打开当前页",
        ),
        other => panic!("no removal record for `{other}`"),
    }
}

/// The cleaned copy is the original with chrome cut out, fragment markers removed, line breaks
/// moved, and the recorded corrections applied — nothing else.
///
/// Each non-empty cleaned line, with the source's corrections reverted and whitespace removed,
/// is found in the comparable original, in order (matched from the end, each line at its last
/// occurrence before the next line's match). What lies between the matches is exactly the
/// chrome listed in `removed`.
#[test]
fn cleaned_copies_trace_back_to_the_originals() {
    for source in Corpus::builtin().sources() {
        let (original, _) = comparable_original(source);
        let mut lines: Vec<String> = source.text.split('\n').map(str::to_owned).collect();
        for correction in &source.corrections {
            let line = lines
                .get_mut(correction.cleaned_line - 1)
                .unwrap_or_else(|| panic!("{}: no line {}", source.id, correction.cleaned_line));
            assert_eq!(line.matches(&correction.corrected).count(), 1);
            *line = line.replacen(&correction.corrected, &correction.original, 1);
        }
        let lines: Vec<String> = lines
            .iter()
            .map(|l| strip_whitespace(l))
            .filter(|l| !l.is_empty())
            .collect();
        let mut limit = original.len();
        let mut gaps: Vec<&str> = Vec::new();
        for line in lines.iter().rev() {
            let before = original.get(..limit).expect("a char boundary");
            let start = before.rfind(line.as_str()).unwrap_or_else(|| {
                panic!(
                    "{}: cleaned line not in the original (in order): {line}",
                    source.id
                )
            });
            gaps.push(&original[start + line.len()..limit]);
            limit = start;
        }
        gaps.push(&original[..limit]);
        gaps.reverse();
        let head = gaps.first().copied().unwrap_or_default();
        let tail = gaps.last().copied().unwrap_or_default();
        let middle: Vec<&str> = gaps[1..gaps.len() - 1]
            .iter()
            .copied()
            .filter(|g| !g.is_empty())
            .collect();
        let (expected_head, expected_middle, expected_tail) = removed(&source.id);
        assert_eq!(head, expected_head, "{}: removed head", source.id);
        assert_eq!(
            middle, expected_middle,
            "{}: removed between lines",
            source.id
        );
        assert_eq!(tail, expected_tail, "{}: removed tail", source.id);
    }
}

#[test]
fn corrections_name_the_right_lines_of_both_files() {
    let mut total = 0;
    for source in Corpus::builtin().sources() {
        let (_, original_lines) = comparable_original(source);
        let cleaned_lines: Vec<&str> = source.text.split('\n').collect();
        for correction in &source.corrections {
            total += 1;
            let original = original_lines
                .get(correction.original_line - 1)
                .expect("original_line within the original");
            assert_eq!(
                original.matches(&correction.original).count(),
                1,
                "{}: `{}` on original line {}",
                source.id,
                correction.original,
                correction.original_line
            );
            let cleaned = cleaned_lines
                .get(correction.cleaned_line - 1)
                .expect("cleaned_line within the text");
            assert_eq!(cleaned.matches(&correction.corrected).count(), 1);
            assert_ne!(correction.original, correction.corrected);
            assert!(!correction.note.is_empty());
        }
    }
    assert_eq!(total, 13);
    let ruian = source("ruian-2022");
    let slips: Vec<&str> = ruian
        .corrections
        .iter()
        .map(|c| c.original.as_str())
        .collect();
    for slip in ["Io0%", "L7", "i00%o", "100oO", "290%", "100O天", "(Il)"] {
        assert!(
            slips.iter().any(|s| s.contains(slip)),
            "{slip} not recorded"
        );
    }
    // The corrected wording is what the clauses say.
    assert!(clause_text("ruian-2022", "29").contains("实施生命早期1000天健康计划"));
    assert!(clause_text("ruian-2022", "四.(二)").contains("新增中小学学位数约1.7万个"));
    assert!(clause_text("shanghai-2023", "h1").starts_with("1.强化儿童优先发展规划引领"));
    assert!(
        source("shanghai-2023")
            .text
            .contains("(沪府办发〔2022〕17号)")
    );
}

/// A scratch corpus directory with a copy of the built-in manifest and texts.
fn scratch_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::copy(
        seeds_dir().join("index.yaml"),
        dir.path().join("index.yaml"),
    )
    .expect("copy the manifest");
    for source in Corpus::builtin().sources() {
        std::fs::copy(
            seeds_dir().join(&source.file),
            dir.path().join(&source.file),
        )
        .expect("copy a text");
    }
    dir
}

#[test]
fn load_dir_reads_the_same_corpus_as_the_builtin() {
    let dir = scratch_copy();
    let corpus = Corpus::load_dir(dir.path()).expect("the copy loads");
    assert_eq!(corpus.sources().len(), Corpus::builtin().sources().len());
    for (loaded, builtin) in corpus.sources().iter().zip(Corpus::builtin().sources()) {
        assert_eq!(loaded.id, builtin.id);
        assert_eq!(loaded.text, builtin.text);
        assert_eq!(loaded.clauses(), builtin.clauses());
        assert_eq!(loaded.corrections, builtin.corrections);
    }
}

#[test]
fn a_malformed_manifest_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let manifest = dir.path().join("index.yaml");
    std::fs::write(
        &manifest,
        "- id: mine\n  file: mine.txt\n  title: t\n  issuer: me: you\n",
    )
    .expect("write");
    let error = Corpus::load_dir(dir.path()).expect_err("malformed YAML");
    let message = error.to_string();
    assert!(
        matches!(error, CorpusError::Manifest { line: Some(_), .. }),
        "{error:?}"
    );
    assert!(
        message.contains(&manifest.display().to_string()),
        "{message}"
    );
    assert!(message.contains("at line 4"), "{message}");

    std::fs::write(
        &manifest,
        "- id: mine\n  file: mine.txt\n  title: t\n  issuer: me\n  colour: blue\n",
    )
    .expect("write");
    let message = Corpus::load_dir(dir.path())
        .expect_err("unknown field")
        .to_string();
    assert!(message.contains("at line 5"), "{message}");
    assert!(message.contains("unknown field `colour`"), "{message}");
}

#[test]
fn a_missing_text_is_reported_by_name() {
    let dir = scratch_copy();
    std::fs::remove_file(dir.path().join("jilin-2022.txt")).expect("remove a text");
    let error = Corpus::load_dir(dir.path()).expect_err("missing text");
    let message = error.to_string();
    assert!(
        matches!(error, CorpusError::MissingText { .. }),
        "{error:?}"
    );
    assert!(message.contains("jilin-2022.txt"), "{message}");
    assert!(message.contains("index.yaml"), "{message}");

    let empty = tempfile::tempdir().expect("a temp dir");
    let message = Corpus::load_dir(empty.path())
        .expect_err("no manifest")
        .to_string();
    assert!(message.contains("index.yaml"), "{message}");
}

#[test]
fn inconsistent_manifests_are_rejected_with_a_line() {
    let dir = scratch_copy();
    let path = dir.path().join("index.yaml");
    let manifest = std::fs::read_to_string(&path).expect("read");
    let broken = manifest.replacen("cleaned_line: 96", "cleaned_line: 95", 1);
    assert_ne!(broken, manifest);
    std::fs::write(&path, &broken).expect("write");
    let message = Corpus::load_dir(dir.path())
        .expect_err("bad line")
        .to_string();
    assert!(message.contains("ruian-2022.txt` at line 95"), "{message}");

    let broken = manifest.replacen("date: 2024-03-14", "date: 2024-3-14", 1);
    std::fs::write(&path, &broken).expect("write");
    let message = Corpus::load_dir(dir.path())
        .expect_err("bad date")
        .to_string();
    assert!(message.contains("`2024-3-14`"), "{message}");
    assert!(message.contains("index.yaml` at line"), "{message}");
}

#[test]
fn merging_rejects_duplicate_source_ids() {
    let dir = scratch_copy();
    let copy = Corpus::load_dir(dir.path()).expect("the copy loads");
    let error = Corpus::builtin().merged(copy).expect_err("duplicates");
    assert!(
        matches!(error, CorpusError::DuplicateSource { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("`jilin-2022`"), "{error}");

    let mine = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        mine.path().join("index.yaml"),
        "- id: mine-2024\n  file: mine.txt\n  title: 测试方案\n  issuer: 测试\n  number: null\n  date: 2024-05\n  jurisdiction: CN\n  level: city\n  status: draft\n  original: mine.txt\n  numbering: { item: arabic-dot }\n",
    )
    .expect("write");
    std::fs::write(
        mine.path().join("mine.txt"),
        "测试方案\n1.第一条。\n2.第二条。\n",
    )
    .expect("write");
    let merged = Corpus::builtin()
        .merged(Corpus::load_dir(mine.path()).expect("mine loads"))
        .expect("no duplicates");
    let ids: Vec<&str> = merged.sources().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 6);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted: {ids:?}");
    let mine = merged.get("mine-2024").expect("registered");
    assert_eq!(ids_of(mine, ClauseKind::Item), ["1", "2"]);
}
