//! The things of a project as a person names them: `设施 nursery-1(托育机构)`, not
//! `facilities[0]`. The record, the reports and the loader's own notes on derived facts all
//! name list elements this way.

use super::{Data, Project};
use crate::base::i18n::Text;
use crate::project::types::{Ty, lowercase_first, project_type, short_label};
use crate::project::yaml::{Segment, YamlPath};

impl Project {
    /// The named thing a path is in, as a person calls it: `设施 nursery-1(托育机构)` for
    /// `facilities[0].places`; `None` for a path outside any list element.
    pub fn named_thing(&self, path: &YamlPath) -> Option<Text> {
        let mut record = project_type().as_ref();
        let mut slots: &[Option<Data>] = &self.data;
        let mut found = None;
        let mut segments = path.segments.iter();
        while let Some(segment) = segments.next() {
            let Segment::Key(key) = segment else {
                return found;
            };
            // A value missing inside a named thing still belongs to it.
            let Some((index, field)) = record.field(key) else {
                return found;
            };
            let Some(Some(data)) = slots.get(index) else {
                return found;
            };
            match (&field.ty, data) {
                (Ty::Record(inner), Data::Record(inner_slots)) => {
                    record = inner;
                    slots = inner_slots;
                }
                (Ty::List(item_ty), Data::List(items)) => {
                    let Some(Segment::Index(position)) = segments.next() else {
                        return found;
                    };
                    let (Ty::Record(item_record), Some(Data::Record(item_slots))) =
                        (item_ty.as_ref(), items.get(*position))
                    else {
                        return found;
                    };
                    let list = element_noun(&short_label(&field.doc));
                    let name = ["id", "name", "title"].iter().find_map(|key| {
                        let (slot, _) = item_record.field(key)?;
                        match item_slots.get(slot)? {
                            Some(Data::Text(text)) => Some(text.clone()),
                            _ => None,
                        }
                    });
                    let kind = item_record.field("kind").and_then(|(slot, kind_field)| {
                        match (&kind_field.ty, item_slots.get(slot)?) {
                            (Ty::Enum(enumeration), Some(Data::Enum(value))) => enumeration
                                .variants
                                .get(*value)
                                .map(|variant| short_label(&variant.doc)),
                            _ => None,
                        }
                    });
                    let number = position + 1;
                    let name_zh = name.clone().unwrap_or_else(|| format!("第 {number} 项"));
                    let name_en = name.unwrap_or_else(|| format!("#{number}"));
                    found = Some(match kind {
                        Some(kind) => Text::new(
                            format!("{} {name_zh}({})", list.zh, kind.zh),
                            // Mid-sentence, as English prose writes a kind:
                            // `facility nursery-1 (childcare centre)`.
                            format!("{} {name_en} ({})", list.en, lowercase_first(&kind.en)),
                        ),
                        None => Text::new(
                            format!("{} {name_zh}", list.zh),
                            format!("{} {name_en}", list.en),
                        ),
                    });
                    record = item_record;
                    slots = item_slots;
                }
                _ => return found,
            }
        }
        found
    }
}

/// The noun for one element of a list: 设施 for 项目提供的设施, `facility` for `Facilities the
/// project provides`.
fn element_noun(list: &Text) -> Text {
    let zh = list.zh.rsplit('的').next().unwrap_or(&list.zh);
    // The noun phrase the label starts with: `School gates` of `School gates and the roads they
    // open onto`, `Children's participation` of `Children's participation: records …`.
    let phrase = list
        .en
        .split([':', ',', '.', '('])
        .next()
        .unwrap_or(&list.en);
    let mut words: Vec<&str> = Vec::new();
    for word in phrase.split_whitespace() {
        let joins = matches!(
            word,
            "and"
                | "the"
                | "a"
                | "to"
                | "of"
                | "in"
                | "on"
                | "near"
                | "inside"
                | "that"
                | "which"
                | "for"
                | "one"
                | "already"
        );
        if joins && !words.is_empty() {
            break;
        }
        words.push(word);
    }
    let en = match words.split_last() {
        Some((last, first)) => {
            let mut noun: Vec<String> = first.iter().map(|word| word.to_lowercase()).collect();
            noun.push(singular(last));
            noun.join(" ")
        }
        None => list.en.to_lowercase(),
    };
    Text::new(zh, en)
}

/// `Facilities` → `facility`.
fn singular(plural: &str) -> String {
    let lower = plural.to_lowercase();
    // Not a plural: `children's`, `progress`.
    if lower.ends_with("'s") || lower.ends_with("ss") {
        return lower;
    }
    if let Some(stem) = lower.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = lower.strip_suffix('s') {
        stem.to_owned()
    } else {
        lower
    }
}
