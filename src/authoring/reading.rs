//! One reading of the wording: which strength a clause's words give a rule. The same idiom must
//! read the same way in every pack (应做尽做 is a duty in Rui'an and in Shangyu alike), so the
//! reading is a table, applied in order, that `rules lint` holds every rule to and that
//! rules/README.md prints. A rule departs from it only with a `because` that says why.

use crate::rules::ir::Strength;

/// A phrase in both languages, for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrase {
    /// 中文.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

/// One row of the reading table: words of one kind, and the strength they give.
#[derive(Debug)]
pub struct Row {
    /// What kind of wording the row is about.
    pub name: Phrase,
    /// The words that select the row; empty for the rows decided otherwise (figures, none).
    pub words: &'static [&'static str],
    /// The strength the row gives.
    pub strength: Strength,
    /// Why the wording reads so.
    pub why: Phrase,
}

const fn phrase(zh: &'static str, en: &'static str) -> Phrase {
    Phrase { zh, en }
}

const DUTY: usize = 3;
const FIGURE: usize = 5;
const NO_MODAL: usize = 6;

/// The reading table, in the order it is applied: the first row whose words occur decides.
/// Softening comes first because it qualifies whatever duty follows (力争……全覆盖 is an aim),
/// encouragement before duty because 鼓励 and 支持 govern the sentence they open.
pub static TABLE: [Row; 7] = [
    Row {
        name: phrase("软化的要求", "softened requirement"),
        words: &[
            "力争",
            "逐步",
            "稳步",
            "基本实现",
            "基本覆盖",
            "原则上",
            "一般应",
            "尽量",
        ],
        strength: Strength::Should,
        why: phrase(
            "要求被“力争”“逐步”“基本”等词减弱为努力方向",
            "the requirement is weakened into an aim by words such as 力争, 逐步, 基本",
        ),
    },
    Row {
        name: phrase("鼓励与支持", "encouragement"),
        words: &[
            "鼓励",
            "支持",
            "探索",
            "可以",
            "因地制宜",
            "有条件的",
            "有条件地",
            "具备条件的",
            "试点",
        ],
        strength: Strength::May,
        why: phrase(
            "条文鼓励或允许,而不要求",
            "the clause encourages or allows, it does not require",
        ),
    },
    Row {
        name: phrase("优先", "priority"),
        words: &["优先", "宜"],
        strength: Strength::Should,
        why: phrase(
            "条文给出优先次序或更好的做法,而非义务",
            "the clause sets a priority or a better practice, not a duty",
        ),
    },
    Row {
        name: phrase("义务情态词", "modal of duty"),
        words: &["必须", "应当", "不得", "禁止", "严禁", "应", "要"],
        strength: Strength::Shall,
        why: phrase(
            "情态词规定了义务(“应做尽做”“应配尽配”亦属“应”)",
            "a modal word imposes a duty (应做尽做 and 应配尽配 count as 应)",
        ),
    },
    Row {
        name: phrase("保障动词", "verb of guarantee"),
        words: &["确保", "保障", "严格落实", "落实", "实施"],
        strength: Strength::Shall,
        why: phrase(
            "条文要求保证或落实某项结果",
            "the clause demands that a result be guaranteed or carried out",
        ),
    },
    Row {
        name: phrase("确定的数值", "a definite figure"),
        words: &["全覆盖"],
        strength: Strength::Shall,
        why: phrase(
            "条文给出确定的数量或全覆盖(年份不算)",
            "the clause states a definite figure or full coverage (a year does not count)",
        ),
    },
    Row {
        name: phrase("无情态词", "no modal word"),
        words: &[],
        strength: Strength::Should,
        why: phrase(
            "条文只描述工作或方向,没有情态词,不读作义务",
            "the clause describes work or a direction without a modal word, so it is not read as a duty",
        ),
    },
];

/// How the table reads one quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The row that decided.
    pub row: &'static Row,
    /// The word that selected it, or the figure; `None` for the row of no modal word.
    pub word: Option<&'static str>,
}

impl Reading {
    /// The strength the reading gives.
    pub fn strength(&self) -> Strength {
        self.row.strength
    }
}

impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for Row {}

/// Reads a quote by the table.
pub fn read(quote: &str) -> Reading {
    for (index, row) in TABLE.iter().enumerate() {
        if let Some(word) = row
            .words
            .iter()
            .copied()
            .find(|word| occurs_as_modal(quote, word))
        {
            return Reading {
                row,
                word: Some(word),
            };
        }
        if index == FIGURE && has_definite_number(quote) {
            return Reading {
                row,
                word: Some("数值"),
            };
        }
    }
    Reading {
        row: &TABLE[NO_MODAL],
        word: None,
    }
}

/// Words that make a sentence normative for coverage although the table reads them as no modal.
/// These plans direct most of their work with a bare verb and no modal word (「新建、改扩建一批……
/// 托育服务设施」, 「加强交通稳静化设计,完善标志标线」): a sentence that opens or carries such a
/// verb tells someone to do something, and coverage must see it. The words, by the work they
/// direct:
/// - set up or build: 建立、健全、构建、创建、新建、改扩建、建设、建成、打造、开设、增设、设置、
///   配置、配备、改造、制定、举办;
/// - carry out, take a measure, control: 开展、组织、采取、提供、资助、监测、整治、打击、预防;
/// - raise, widen, improve, reduce: 加强、强化、完善、提升、提高、优化、增加、扩大、降低、减少、
///   深化、规范、推广;
/// - push, direct or bring into: 推进、推动、促进、加快、加大、大力、统筹、引导、培育、营造、发挥、
///   聚焦、纳入、实现、坚持.
///
/// 建设 is also the noun "construction" (儿童友好城市建设), usually beside another of these verbs;
/// alone it directs nothing in an agency's name (住房和城乡建设厅), before 目标 (具体建设目标包括:)
/// or as the subject of 是 (儿童友好城市建设是……实践), so it does not count there (see
/// [`occurs_as_verb`]). Words that these plans use mostly
/// descriptively are left out: 发展, 形成, 丰富, 宣传 (儿童友好城市建设宣传), 研究 on its own.
pub const NORMATIVE_VERBS: [&str; 54] = [
    "建立",
    "健全",
    "构建",
    "创建",
    "新建",
    "改扩建",
    "建设",
    "建成",
    "打造",
    "开设",
    "增设",
    "设置",
    "配置",
    "配备",
    "改造",
    "制定",
    "举办",
    "开展",
    "组织",
    "采取",
    "提供",
    "资助",
    "监测",
    "整治",
    "打击",
    "预防",
    "加强",
    "强化",
    "完善",
    "提升",
    "提高",
    "优化",
    "增加",
    "扩大",
    "降低",
    "减少",
    "深化",
    "规范",
    "推广",
    "推进",
    "推动",
    "促进",
    "加快",
    "加大",
    "大力",
    "统筹",
    "引导",
    "培育",
    "营造",
    "发挥",
    "聚焦",
    "纳入",
    "实现",
    "坚持",
];

/// Whether a sentence is normative: the table finds a word of duty, priority, encouragement or
/// softening in it, or a definite figure, or it directs work with one of [`NORMATIVE_VERBS`].
/// Coverage holds every such sentence to be encoded or classified not checkable.
pub fn is_normative(sentence: &str) -> bool {
    // Rui'an and Yuzhong close each task with the units that lead it (`牵头单位:市医疗保障局`):
    // an attribution, whatever words the units' names hold.
    let opening = sentence.trim_start_matches(['(', '（']);
    let attribution = ["牵头单位", "责任单位"]
        .iter()
        .any(|label| opening.starts_with(label));
    let directs = read(sentence).word.is_some()
        || NORMATIVE_VERBS
            .iter()
            .any(|verb| occurs_as_verb(sentence, verb))
        || compares_with_a_reference_level(sentence);
    !attribution && directs
}

/// Whether the sentence sets a result against a reference level (「……的比例高于全市平均水平」):
/// with neither modal word nor verb, it still fixes a standard a policy can meet or miss, as a
/// definite figure does (row 6 of the table in spirit), so coverage must see it.
fn compares_with_a_reference_level(sentence: &str) -> bool {
    ["高于", "低于", "不低于", "不高于"]
        .iter()
        .any(|comparison| sentence.contains(comparison))
        && sentence.contains("平均水平")
}

/// Whether `verb` occurs in `sentence` as the verb that directs, not as a noun: 建设 before 厅 or
/// 局 is part of an agency's name, before 目标 it heads a list of goals, before 是 it is the subject.
fn occurs_as_verb(sentence: &str, verb: &str) -> bool {
    let nouns: &[&str] = match verb {
        "建设" => &["厅", "局", "目标", "是"],
        _ => &[],
    };
    sentence.match_indices(verb).any(|(at, _)| {
        let after = sentence.get(at + verb.len()..).unwrap_or_default();
        !nouns.iter().any(|noun| after.starts_with(noun))
    })
}

/// Whether a modal word of duty (应, 必须, 不得 …) occurs in the text.
pub fn has_modal_of_duty(text: &str) -> bool {
    TABLE[DUTY]
        .words
        .iter()
        .any(|word| occurs_as_modal(text, word))
}

/// Whether `word` occurs in `quote` as the modal word, not inside another word: 应 in 应急, 相应
/// or 适应, 宜 in 因地制宜 or 适宜, 要 in 重要 or 要求 are not modal.
///
/// A verb of guarantee that begins a noun is no verb either: 保障标准, 保障水平, 保障机制, 保障体系
/// (the allowance standard, the level of provision), 实施成效, 实施方案, 实施情况, 落实情况 name a
/// thing, they do not demand that a result be guaranteed or carried out.
fn occurs_as_modal(quote: &str, word: &str) -> bool {
    let (not_after, not_before): (&str, &str) = match word {
        "应" => ("响相适对供反呼一", "急用对答"),
        "宜" => ("制适事便", ""),
        "要" => ("重需主纲概摘首", "求素点"),
        _ => ("", ""),
    };
    let nouns: &[&str] = match word {
        "保障" => &["标准", "水平", "机制", "体系"],
        "实施" => &["成效", "方案", "情况"],
        "落实" => &["情况"],
        _ => &[],
    };
    quote.match_indices(word).any(|(at, _)| {
        let before = quote.get(..at).and_then(|text| text.chars().next_back());
        let rest = quote.get(at + word.len()..).unwrap_or_default();
        let after = rest.chars().next();
        !before.is_some_and(|c| not_after.contains(c))
            && !after.is_some_and(|c| not_before.contains(c))
            && !nouns.iter().any(|noun| rest.starts_with(noun))
    })
}

/// Whether the quote states a number that is not a year (`2025年`).
fn has_definite_number(quote: &str) -> bool {
    let bytes = quote.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
            continue;
        }
        let start = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let is_year = at - start == 4 && quote.get(at..).is_some_and(|rest| rest.starts_with('年'));
        if !is_year {
            return true;
        }
    }
    false
}

/// The table as Markdown, for rules/README.md (a test keeps the two equal).
pub fn markdown_table() -> String {
    let mut table =
        String::from("| # | wording | words | strength | why |\n|---|---|---|---|---|\n");
    for (index, row) in TABLE.iter().enumerate() {
        let words = match (index, row.words) {
            (FIGURE, words) => format!("{}, any number but a year (`2025年`)", words.join("、")),
            (_, []) => "none of the above".to_owned(),
            (_, words) => words.join("、"),
        };
        table.push_str(&format!(
            "| {} | {} ({}) | {} | `{}` | {} |\n",
            index + 1,
            row.name.zh,
            row.name.en,
            words,
            row.strength.as_str(),
            row.why.en,
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::{Strength, read};

    fn reads(quote: &str) -> (Strength, Option<&'static str>) {
        let reading = read(quote);
        (reading.strength(), reading.word)
    }

    #[test]
    fn one_idiom_reads_one_way() {
        assert_eq!(reads("儿童友好设施应做尽做"), (Strength::Shall, Some("应")));
        assert_eq!(reads("母婴室应配尽配"), (Strength::Shall, Some("应")));
        assert_eq!(reads("学校应设心理辅导室"), (Strength::Shall, Some("应")));
        assert_eq!(
            reads("严格落实城镇小区配套幼儿园政策"),
            (Strength::Shall, Some("严格落实"))
        );
        assert_eq!(reads("宜设置遮阴设施"), (Strength::Should, Some("宜")));
        assert_eq!(
            reads("因地制宜增设母婴室"),
            (Strength::May, Some("因地制宜"))
        );
        assert_eq!(reads("引入儿童影响评价"), (Strength::Should, None));
    }

    #[test]
    fn rows_apply_in_order() {
        // Softening qualifies a duty and a figure.
        assert_eq!(reads("力争实现全覆盖"), (Strength::Should, Some("力争")));
        assert_eq!(
            reads("到2025年基本实现应急避难场所母婴室全覆盖").0,
            Strength::Should
        );
        // Encouragement governs the sentence it opens.
        assert_eq!(reads("鼓励各地优先安排"), (Strength::May, Some("鼓励")));
        // A figure binds; a year alone does not.
        assert_eq!(
            reads("母婴室配备比例达到100%"),
            (Strength::Shall, Some("数值"))
        );
        assert_eq!(
            reads("每千人口拥有托位数达到4.5个"),
            (Strength::Shall, Some("数值"))
        );
        assert_eq!(reads("到2025年建成儿童友好社区"), (Strength::Should, None));
    }

    #[test]
    fn words_inside_words_are_not_modal() {
        assert_eq!(reads("完善应急预案,提高相应能力"), (Strength::Should, None));
        assert_eq!(reads("适宜儿童的活动器材"), (Strength::Should, None));
        assert_eq!(reads("满足儿童重要需求"), (Strength::Should, None));
        assert_eq!(reads("按要求配置"), (Strength::Should, None));
        // Law review 9, G9: a noun that begins with a verb of guarantee is not the verb.
        assert_eq!(
            reads("事实无人抚养儿童保障标准高于全省平均水平"),
            (Strength::Should, None)
        );
        assert_eq!(reads("评估实施成效,形成评估报告"), (Strength::Should, None));
        assert_eq!(reads("保障学生每天校内体育活动时间").0, Strength::Shall);
        assert_eq!(reads("要加强儿童保护"), (Strength::Shall, Some("要")));
    }

    #[test]
    fn a_directive_verb_makes_a_sentence_normative_without_a_modal_word() {
        use super::is_normative;
        // The sentences a newcomer found uncounted: a plan directs its work with a bare verb.
        assert!(is_normative(
            "新建、改扩建一批嵌入式、分布式、连锁化、专业化的托育服务设施。"
        ));
        assert!(is_normative("加强交通稳静化设计,完善标志标线。"));
        assert!(is_normative(
            "在儿童主要活动场所周边采取交通稳静化措施,优化儿童活动和公共交通出行环境。"
        ));
        assert!(is_normative(
            "对符合一定条件的儿童参加城乡居民医保,个人缴费部分进行全额资助。"
        ));
        assert!(is_normative("将未成年人法治教育纳入中小学教育内容。"));
        // A result set against a reference level is a standard (law review 8, F13) …
        assert!(is_normative(
            "随迁子女在公办学校接受义务教育的比例高于全市平均水平。"
        ));
        // … but a level named without a comparison is not.
        assert!(!is_normative("了解全市平均水平。"));
        // The table still reads them as no modal: the verbs count for coverage, not strength.
        assert_eq!(reads("加强交通稳静化设计"), (Strength::Should, None));
    }

    #[test]
    fn description_names_and_noun_uses_of_a_verb_are_not_normative() {
        use super::is_normative;
        // 建设 in an agency's name, heading a list of goals or as a subject directs nothing.
        assert!(!is_normative("吉林省住房和城乡建设厅 中共吉林省委宣传部"));
        assert!(!is_normative("具体建设目标包括:"));
        // … but as a verb, after such a use, it does.
        assert!(is_normative("市住房城乡建设局建设社区儿童之家。"));
        // A sentence that only describes, and the units that lead a task, are not normative.
        assert!(!is_normative(
            "儿童友好城市建设是人民城市重要理念的生动实践。"
        ));
        assert!(!is_normative("(牵头单位:区住房城乡建设委、区教委)"));
        assert!(!is_normative("牵头单位:市教育局"));
    }

    #[test]
    fn rules_readme_lists_the_directive_verbs() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md"));
        let listed = readme
            .split_once("tells someone to do something:")
            .and_then(|(_, rest)| rest.split_once("The verbs count for coverage only"))
            .map(|(list, _)| list)
            .unwrap_or_default();
        let mut words: Vec<&str> = listed
            .lines()
            .filter_map(|line| line.split_once(':').map(|(_, words)| words).or(Some(line)))
            .flat_map(|words| words.split(['、', ';', '.', ' ']))
            .filter(|word| !word.is_empty() && !word.is_ascii())
            .collect();
        words.sort_unstable();
        let mut verbs = super::NORMATIVE_VERBS.to_vec();
        verbs.sort_unstable();
        assert_eq!(words, verbs, "rules/README.md lists NORMATIVE_VERBS");
    }

    #[test]
    fn the_markdown_table_has_one_line_per_row() {
        let table = super::markdown_table();
        assert_eq!(table.lines().count(), 2 + super::TABLE.len());
        assert!(table.contains(
            "| 4 | 义务情态词 (modal of duty) | 必须、应当、不得、禁止、严禁、应、要 | `shall` |"
        ));
    }
}
