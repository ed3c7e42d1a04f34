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

/// Verbs that make a sentence normative for coverage although the table reads them as no modal:
/// a plan's 推进 directs the work it names.
pub const NORMATIVE_VERBS: [&str; 42] = [
    "推进",
    "推动",
    "加强",
    "完善",
    "建立",
    "健全",
    "新建",
    "改扩建",
    "建设",
    "大力",
    "加快",
    "加大",
    "开展",
    "打造",
    "提升",
    "提高",
    "强化",
    "规范",
    "推广",
    "深化",
    "实现",
    "增加",
    "扩大",
    "配置",
    "配备",
    "设置",
    "改造",
    "构建",
    "创建",
    "促进",
    "提供",
    "预防",
    "打击",
    "组织",
    "引导",
    "营造",
    "培育",
    "发挥",
    "开设",
    "增设",
    "建成",
    "统筹",
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
    let directs =
        read(sentence).word.is_some() || NORMATIVE_VERBS.iter().any(|verb| sentence.contains(verb));
    !attribution && directs
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
fn occurs_as_modal(quote: &str, word: &str) -> bool {
    let (not_after, not_before): (&str, &str) = match word {
        "应" => ("响相适对供反呼一", "急用对答"),
        "宜" => ("制适事便", ""),
        "要" => ("重需主纲概摘首", "求素点"),
        _ => ("", ""),
    };
    quote.match_indices(word).any(|(at, _)| {
        let before = quote.get(..at).and_then(|text| text.chars().next_back());
        let after = quote
            .get(at + word.len()..)
            .and_then(|text| text.chars().next());
        !before.is_some_and(|c| not_after.contains(c))
            && !after.is_some_and(|c| not_before.contains(c))
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
        assert_eq!(reads("要加强儿童保护"), (Strength::Shall, Some("要")));
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
