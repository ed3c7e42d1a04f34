//! The type tree of the project model, derived from its JSON Schema.
//!
//! The schema is generated from [`crate::project::model`] by schemars, so the Rust model stays the single
//! source of truth: the same tree validates project files ([`crate::project`]) and type-checks
//! the paths rules read ([`crate::rules::check`]).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value as Json};

use crate::base::i18n::Text;
use crate::project::units::{self, Dim, Unit};

mod compiled;

/// The type of a value in a project file.
#[derive(Clone, Debug)]
pub enum Ty {
    /// `true` / `false`.
    Bool,
    /// A number, possibly with a unit and bounds.
    Number(NumberTy),
    /// Text.
    Text(TextFormat),
    /// A calendar date.
    Date,
    /// One of a fixed set of names.
    Enum(Arc<EnumTy>),
    /// A list.
    List(Box<Ty>),
    /// A mapping with known keys.
    Record(Arc<RecordTy>),
}

/// Constraints on a number.
#[derive(Clone, Debug)]
pub struct NumberTy {
    /// Whole numbers only.
    pub integer: bool,
    /// The unit values are written in; `None` for pure numbers.
    pub unit: Option<&'static Unit>,
    /// Smallest allowed value, in the written unit.
    pub min: Option<f64>,
    /// Largest allowed value, in the written unit.
    pub max: Option<f64>,
}

impl NumberTy {
    /// The dimension of values of this type.
    pub fn dim(&self) -> Dim {
        self.unit.map_or(Dim::NONE, |unit| unit.dim)
    }

    /// Base units per written unit.
    pub fn scale(&self) -> f64 {
        self.unit.map_or(1.0, |unit| unit.scale)
    }
}

/// Special kinds of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// Any text.
    Free,
    /// A jurisdiction path such as `CN/SH/Pudong`.
    Jurisdiction,
}

/// A set of names.
#[derive(Debug)]
pub struct EnumTy {
    /// The type's name in the model, e.g. `ProjectKind`.
    pub name: String,
    /// The allowed names with their descriptions.
    pub variants: Vec<Variant>,
}

/// One allowed name.
#[derive(Debug)]
pub struct Variant {
    /// As written in YAML and rules: `park`.
    pub name: String,
    /// What it means.
    pub doc: Doc,
}

/// A description in the model, read as a [`Text`]. Decoded from `rules/types.bin`, it borrows
/// its two languages from the embedded string table and makes the `Text` on first read: a
/// check reads the descriptions of the few fields and values its findings name, and copying
/// all of them (two strings for each of some 1 500 fields and values) out of the table was
/// most of decoding the tree. The `Text`, once made, is boxed: a `Doc` is in every field and
/// value the tree holds, and a `Text` inline would make each 40 bytes larger, which start-up
/// writes whether a description is read or not.
pub struct Doc {
    /// The words, until first read (empty for a description made as a `Text`).
    borrowed: (&'static str, &'static str),
    /// The description, once read.
    text: OnceLock<Box<Text>>,
}

impl Doc {
    /// A description borrowed from strings that live as long as the program.
    pub(crate) fn borrowed(zh: &'static str, en: &'static str) -> Doc {
        Doc {
            borrowed: (zh, en),
            text: OnceLock::new(),
        }
    }
}

impl From<Text> for Doc {
    fn from(text: Text) -> Doc {
        Doc {
            borrowed: ("", ""),
            text: OnceLock::from(Box::new(text)),
        }
    }
}

impl std::ops::Deref for Doc {
    type Target = Text;

    fn deref(&self) -> &Text {
        self.text
            .get_or_init(|| Box::new(Text::new(self.borrowed.0, self.borrowed.1)))
    }
}

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl EnumTy {
    /// The position of `name`, if it is allowed.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.variants
            .iter()
            .position(|variant| variant.name == name)
    }

    /// The variant whose Chinese or English description starts with `text`, for users who
    /// write `公园` instead of `park`.
    pub fn by_description(&self, text: &str) -> Option<&Variant> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parts = |variant: &Variant| -> Vec<String> {
            variant
                .doc
                .zh
                .split(['、', ',', '('])
                .map(|part| part.trim().to_owned())
                .collect()
        };
        self.variants
            .iter()
            .find(|variant| {
                parts(variant).iter().any(|part| part == text)
                    || variant.doc.en.eq_ignore_ascii_case(text)
            })
            .or_else(|| {
                // `公园` for `公园绿地`: a Chinese name the user shortened.
                if text.chars().count() < 2 {
                    return None;
                }
                self.variants
                    .iter()
                    .find(|variant| parts(variant).iter().any(|part| part.starts_with(text)))
            })
    }

    /// Every variant one of whose Chinese names is `text` exactly: `局部调整` names two kinds of
    /// partial amendment, and a suggestion of one would choose for the user (newcomer review 9,
    /// F2).
    pub fn all_named(&self, text: &str) -> Vec<&Variant> {
        let text = text.trim();
        if text.is_empty() {
            return Vec::new();
        }
        self.variants
            .iter()
            .filter(|variant| {
                variant
                    .doc
                    .zh
                    .split(['、', ',', '('])
                    .any(|part| part.trim() == text)
            })
            .collect()
    }
}

/// A mapping with known keys.
#[derive(Debug)]
pub struct RecordTy {
    /// The type's name in the model, e.g. `Site`.
    pub name: String,
    /// The fields in model order.
    pub fields: Vec<Field>,
}

impl RecordTy {
    /// The position and definition of field `name`.
    pub fn field(&self, name: &str) -> Option<(usize, &Field)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, field)| field.name == name)
    }

    /// Field names, for "did you mean".
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|field| field.name.as_str())
    }
}

/// One key of a mapping.
#[derive(Debug)]
pub struct Field {
    /// The key.
    pub name: String,
    /// The type of its value.
    pub ty: Ty,
    /// What it means.
    pub doc: Doc,
    /// Whether the key must be present.
    pub required: bool,
}

impl Ty {
    /// The type described for messages: 数字(平方米) / a number (m²).
    pub fn describe(&self) -> Text {
        match self {
            Ty::Bool => Text::new("布尔值 true 或 false", "true or false"),
            Ty::Number(number) => {
                let (zh, en) = if number.integer {
                    ("整数", "a whole number")
                } else {
                    ("数字", "a number")
                };
                match number.unit {
                    Some(unit) => Text::new(
                        format!("{zh}({})", unit.display.0),
                        format!("{en} ({})", unit.display.1),
                    ),
                    None => Text::new(zh, en),
                }
            }
            Ty::Text(TextFormat::Free) => Text::new("文本", "text"),
            Ty::Text(TextFormat::Jurisdiction) => Text::new(
                "行政区划路径(如 CN/SH/Pudong)",
                "a jurisdiction path such as CN/SH/Pudong",
            ),
            Ty::Date => Text::new("日期(YYYY-MM-DD)", "a date (YYYY-MM-DD)"),
            Ty::Enum(enumeration) => {
                let of = type_place(&enumeration.name);
                Text::new(
                    format!("{}的取值之一", of.zh),
                    format!("one of the values of {}", of.en),
                )
            }
            Ty::List(_) => Text::new("列表", "a list"),
            Ty::Record(record) => {
                let of = type_place(&record.name);
                Text::new(format!("映射:{}", of.zh), format!("a mapping: {}", of.en))
            }
        }
    }
}

/// A type of the model as a person knows it, without its name in the code: the description of
/// the first field (in model order, nearest the top) that holds it, and that field's path —
/// 设施类型(`facilities[].kind`) rather than `FacilityKind`.
pub fn type_place(name: &str) -> Text {
    static PLACES: OnceLock<HashMap<String, (String, Text)>> = OnceLock::new();
    let places = PLACES.get_or_init(|| {
        let mut places: HashMap<String, (String, Text)> = HashMap::new();
        // Breadth first from the root, each record once, so the path is the shortest.
        let mut queue =
            std::collections::VecDeque::from([(String::new(), Arc::clone(project_type()))]);
        let mut seen = std::collections::HashSet::new();
        while let Some((prefix, record)) = queue.pop_front() {
            if !seen.insert(record.name.clone()) {
                continue;
            }
            for field in &record.fields {
                let mut path = if prefix.is_empty() {
                    field.name.clone()
                } else {
                    format!("{prefix}.{}", field.name)
                };
                let mut ty = &field.ty;
                while let Ty::List(item) = ty {
                    path.push_str("[]");
                    ty = item;
                }
                let held = match ty {
                    Ty::Enum(enumeration) => Some(&enumeration.name),
                    Ty::Record(inner) => {
                        queue.push_back((path.clone(), Arc::clone(inner)));
                        Some(&inner.name)
                    }
                    _ => None,
                };
                if let Some(held) = held {
                    places
                        .entry(held.clone())
                        .or_insert_with(|| (path, short_label(&field.doc)));
                }
            }
        }
        places
    });
    match places.get(name) {
        Some((path, label)) => Text::new(
            format!("{}(`{path}`)", label.zh),
            format!("{} (`{path}`)", lowercase_first(&label.en)),
        ),
        None => Text::new("该字段", "this field"),
    }
}

/// The short name in a model description: the words before any explanation (项目类型, not
/// 项目类型(决定适用哪些规则)).
pub fn short_label(doc: &Text) -> Text {
    let zh_end = doc
        .zh
        .find(['(', '(', ',', ',', ';', ';', ':', ':'])
        .unwrap_or(doc.zh.len());
    let en = &doc.en;
    let en_end = en
        .find([':', ';', '(', ','])
        .into_iter()
        .chain(en.find(". "))
        .min()
        .unwrap_or(en.len());
    Text::new(
        doc.zh.get(..zh_end).unwrap_or_default().trim(),
        en.get(..en_end)
            .unwrap_or_default()
            .trim()
            .trim_end_matches('.'),
    )
}

/// `The kind of project` inside a sentence: `the kind of project` (an initialism stays).
pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

/// The JSON Schema of the project file, as `yimi schema` prints it.
pub fn project_schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = schemars::schema_for!(crate::project::model::ProjectFile).to_value();
        if let Some(object) = schema.as_object_mut() {
            object.insert("$id".into(), Json::String(SCHEMA_ID.into()));
        }
        schema
    })
}

/// The schema's identifier (a name, not a web address: the schema ships with the tool).
pub const SCHEMA_ID: &str = "urn:yimi:schema:project:1";

/// The type of a whole project file: decoded from `rules/types.bin` when it was compiled for
/// this build's model (see [`compiled`]), else read out of the schema.
pub fn project_type() -> &'static Arc<RecordTy> {
    static ROOT: OnceLock<Arc<RecordTy>> = OnceLock::new();
    ROOT.get_or_init(|| {
        compiled::decode(compiled::COMPILED, compiled::STRINGS, compiled::FINGERPRINT)
            .unwrap_or_else(project_type_from_schema)
    })
}

/// The type of a whole project file, read out of the schema schemars generates.
fn project_type_from_schema() -> Arc<RecordTy> {
    root_type(project_schema(), "ProjectFile")
}

/// The project model's record and enum types by name, for decoding the compiled built-in rules
/// (names are unique: the type builder shares one type per name). Keyed by the names in the
/// tree itself, which lives as long as the program, and hashed with [`ByName`]: decoding the
/// checks of the packs a file needs looks a type up for every field an expression reads (about
/// 850 for one residential file), and the standard hasher cost more than the rest of decoding
/// each of them.
struct ProjectTypes {
    records: HashMap<&'static str, &'static Arc<RecordTy>, BuildHasherDefault<ByName>>,
    enums: HashMap<&'static str, &'static Arc<EnumTy>, BuildHasherDefault<ByName>>,
}

/// FNV-1a over a type's name: the names are the model's own (a few dozen, chosen by us, not by
/// input), so a hasher built to resist chosen keys buys nothing here.
struct ByName(u64);

impl Default for ByName {
    fn default() -> Self {
        ByName(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for ByName {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

fn project_types() -> &'static ProjectTypes {
    static TYPES: OnceLock<ProjectTypes> = OnceLock::new();
    TYPES.get_or_init(|| {
        let mut types = ProjectTypes {
            records: HashMap::default(),
            enums: HashMap::default(),
        };
        let mut pending = vec![project_type()];
        while let Some(record) = pending.pop() {
            if types.records.contains_key(record.name.as_str()) {
                continue;
            }
            for field in &record.fields {
                let mut ty = &field.ty;
                while let Ty::List(item) = ty {
                    ty = item;
                }
                match ty {
                    Ty::Record(inner) => pending.push(inner),
                    Ty::Enum(enumeration) => {
                        types
                            .enums
                            .entry(enumeration.name.as_str())
                            .or_insert(enumeration);
                    }
                    _ => {}
                }
            }
            types.records.insert(record.name.as_str(), record);
        }
        types
    })
}

/// The project model's record type named `name` (e.g. `Site`).
pub fn project_record(name: &str) -> Option<&'static Arc<RecordTy>> {
    project_types().records.get(name).copied()
}

/// The project model's enum type named `name` (e.g. `ProjectKind`).
pub fn project_enum(name: &str) -> Option<&'static Arc<EnumTy>> {
    project_types().enums.get(name).copied()
}

/// The JSON Schema of a waivers file (`yimi check --waivers`).
pub fn waivers_schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(crate::project::model::WaiversFile).to_value())
}

/// The type of a waivers file.
pub fn waivers_type() -> &'static Arc<RecordTy> {
    static ROOT: OnceLock<Arc<RecordTy>> = OnceLock::new();
    ROOT.get_or_init(|| root_type(waivers_schema(), "WaiversFile"))
}

fn root_type(schema: &Json, name: &str) -> Arc<RecordTy> {
    let mut builder = TypeBuilder {
        defs: schema.get("$defs").and_then(Json::as_object),
        records: HashMap::new(),
        enums: HashMap::new(),
    };
    // The schema is generated from our own model and covered by tests; a failure here is a
    // defect in the model, not in user input.
    match builder.ty(schema, name) {
        Ok(Ty::Record(record)) => record,
        Ok(other) => panic!("the model's {name} is not a record: {other:?}"),
        Err(error) => panic!("the model's schema for {name} cannot be read: {error}"),
    }
}

struct TypeBuilder<'a> {
    defs: Option<&'a Map<String, Json>>,
    records: HashMap<String, Arc<RecordTy>>,
    enums: HashMap<String, Arc<EnumTy>>,
}

impl TypeBuilder<'_> {
    fn ty(&mut self, schema: &Json, name: &str) -> Result<Ty, String> {
        let object = schema
            .as_object()
            .ok_or_else(|| format!("`{name}` is not an object schema"))?;
        if let Some(reference) = object.get("$ref").and_then(Json::as_str) {
            let def_name = reference
                .strip_prefix("#/$defs/")
                .ok_or_else(|| format!("unsupported reference `{reference}`"))?;
            return self.definition(def_name);
        }
        if let Some(variants) = object.get("anyOf").and_then(Json::as_array) {
            // `Option<T>` of a referenced type: the one branch that is not `null`.
            let mut branches = variants
                .iter()
                .filter(|branch| branch.get("type").and_then(Json::as_str) != Some("null"));
            return match (branches.next(), branches.next()) {
                (Some(branch), None) => self.ty(branch, name),
                _ => Err(format!("`{name}` has an unsupported anyOf")),
            };
        }
        if let Some(variants) = object.get("oneOf").and_then(Json::as_array) {
            return self.enumeration(name, variants);
        }
        if let Some(values) = object.get("enum").and_then(Json::as_array) {
            let variants = values
                .iter()
                .filter_map(Json::as_str)
                .map(|value| Variant {
                    name: value.to_owned(),
                    doc: Text::same(value).into(),
                })
                .collect();
            return Ok(Ty::Enum(self.intern_enum(name, variants)));
        }
        let kind = match object.get("type") {
            Some(Json::String(kind)) => kind.as_str(),
            Some(Json::Array(kinds)) => kinds
                .iter()
                .filter_map(Json::as_str)
                .find(|kind| *kind != "null")
                .ok_or_else(|| format!("`{name}` has no non-null type"))?,
            _ => return Err(format!("`{name}` has no type")),
        };
        match kind {
            "boolean" => Ok(Ty::Bool),
            "integer" | "number" => {
                let unit = match object.get("x-unit").and_then(Json::as_str) {
                    Some(symbol) => Some(
                        units::lookup(symbol)
                            .ok_or_else(|| format!("`{name}` has unknown unit `{symbol}`"))?,
                    ),
                    None => None,
                };
                Ok(Ty::Number(NumberTy {
                    integer: kind == "integer",
                    unit,
                    min: object.get("minimum").and_then(Json::as_f64),
                    max: object.get("maximum").and_then(Json::as_f64),
                }))
            }
            "string" if object.get("format").and_then(Json::as_str) == Some("date") => Ok(Ty::Date),
            "string"
                if object.get("pattern").and_then(Json::as_str)
                    == Some(crate::project::model::JURISDICTION_PATTERN) =>
            {
                Ok(Ty::Text(TextFormat::Jurisdiction))
            }
            "string" => Ok(Ty::Text(TextFormat::Free)),
            "array" => {
                let items = object
                    .get("items")
                    .ok_or_else(|| format!("`{name}` has no items"))?;
                Ok(Ty::List(Box::new(self.ty(items, name)?)))
            }
            "object" => self.record(name, object),
            other => Err(format!("`{name}` has unsupported type `{other}`")),
        }
    }

    fn definition(&mut self, def_name: &str) -> Result<Ty, String> {
        if let Some(record) = self.records.get(def_name) {
            return Ok(Ty::Record(Arc::clone(record)));
        }
        if let Some(enumeration) = self.enums.get(def_name) {
            return Ok(Ty::Enum(Arc::clone(enumeration)));
        }
        let def = self
            .defs
            .and_then(|defs| defs.get(def_name))
            .ok_or_else(|| format!("missing definition `{def_name}`"))?;
        self.ty(def, def_name)
    }

    fn record(&mut self, name: &str, object: &Map<String, Json>) -> Result<Ty, String> {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Json::as_array)
            .map(|names| names.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let mut fields = Vec::new();
        if let Some(properties) = object.get("properties").and_then(Json::as_object) {
            for (field_name, field_schema) in properties {
                fields.push(Field {
                    name: field_name.clone(),
                    ty: self.ty(field_schema, field_name)?,
                    doc: split_doc(
                        field_schema
                            .get("description")
                            .and_then(Json::as_str)
                            .unwrap_or_default(),
                    )
                    .into(),
                    required: required.contains(&field_name.as_str()),
                });
            }
        }
        let record = Arc::new(RecordTy {
            name: name.to_owned(),
            fields,
        });
        self.records.insert(name.to_owned(), Arc::clone(&record));
        Ok(Ty::Record(record))
    }

    fn enumeration(&mut self, name: &str, branches: &[Json]) -> Result<Ty, String> {
        let mut variants = Vec::new();
        for branch in branches {
            let value = branch
                .get("const")
                .and_then(Json::as_str)
                .ok_or_else(|| format!("`{name}` has a oneOf branch that is not a constant"))?;
            variants.push(Variant {
                name: value.to_owned(),
                doc: split_doc(
                    branch
                        .get("description")
                        .and_then(Json::as_str)
                        .unwrap_or(value),
                )
                .into(),
            });
        }
        Ok(Ty::Enum(self.intern_enum(name, variants)))
    }

    fn intern_enum(&mut self, name: &str, variants: Vec<Variant>) -> Arc<EnumTy> {
        let enumeration = Arc::new(EnumTy {
            name: name.to_owned(),
            variants,
        });
        self.enums.insert(name.to_owned(), Arc::clone(&enumeration));
        enumeration
    }
}

/// Splits a model doc comment `中文 / English` into its two languages. A doc comment of several
/// `///` lines is one paragraph: its line breaks are not the text's, and a label is printed on one
/// line (newcomer review 9, F3: an English message showed a break as `\u{a}`). Chinese lines join
/// as they are, English ones with a space.
pub fn split_doc(doc: &str) -> Text {
    let one_line = |text: &str, between: &str| {
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(between)
    };
    match doc.split_once(" / ") {
        // Docs end in a full stop; labels and comments read better without it.
        Some((zh, en)) => Text::new(one_line(zh, ""), one_line(en, " ").trim_end_matches('.')),
        None => Text::same(one_line(doc, " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A description made on first read is boxed, so that the many it is never made for (every
    /// field and value of the tree, written at start-up) do not hold room for it.
    #[test]
    fn a_description_holds_no_room_for_its_text_until_read() {
        assert!(size_of::<Doc>() <= 48, "{}", size_of::<Doc>());
        let doc = Doc::borrowed("儿童", "children");
        assert_eq!(doc.en, "children");
        assert_eq!(Doc::from(Text::new("甲", "a")).zh, "甲");
    }

    #[test]
    fn no_label_of_the_model_holds_a_line_break() {
        fn walk(record: &RecordTy, seen: &mut Vec<String>, bad: &mut Vec<String>) {
            if seen.contains(&record.name) {
                return;
            }
            seen.push(record.name.clone());
            for field in &record.fields {
                if field.doc.zh.contains(char::is_control)
                    || field.doc.en.contains(char::is_control)
                {
                    bad.push(format!("{}.{}", record.name, field.name));
                }
                let mut ty = &field.ty;
                while let Ty::List(item) = ty {
                    ty = item;
                }
                match ty {
                    Ty::Record(inner) => walk(inner, seen, bad),
                    Ty::Enum(enumeration) => {
                        for variant in &enumeration.variants {
                            if variant.doc.zh.contains(char::is_control)
                                || variant.doc.en.contains(char::is_control)
                            {
                                bad.push(format!("{}::{}", enumeration.name, variant.name));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut bad = Vec::new();
        walk(project_type(), &mut Vec::new(), &mut bad);
        assert!(bad.is_empty(), "labels with a line break: {bad:?}");
        assert_eq!(
            split_doc("局部调整 / A partial amendment that changes neither\n residential land.").en,
            "A partial amendment that changes neither residential land"
        );
    }

    fn path<'a>(mut record: &'a RecordTy, names: &[&str]) -> &'a Ty {
        let mut ty = None;
        for (i, name) in names.iter().enumerate() {
            let (_, field) = record
                .field(name)
                .unwrap_or_else(|| panic!("no field {name}"));
            ty = Some(&field.ty);
            if i + 1 < names.len() {
                record = match &field.ty {
                    Ty::Record(inner) => inner,
                    Ty::List(item) => match item.as_ref() {
                        Ty::Record(inner) => inner,
                        other => panic!("{name} holds {other:?}"),
                    },
                    other => panic!("{name} is {other:?}"),
                };
            }
        }
        ty.unwrap()
    }

    #[test]
    fn the_model_becomes_a_type_tree() {
        let root = project_type();
        assert!(root.field("project").unwrap().1.required);
        assert!(!root.field("site").unwrap().1.required);
        let Ty::Number(area) = path(root, &["site", "area_m2"]) else {
            panic!()
        };
        assert_eq!(area.unit.map(|u| u.symbol), Some("m2"));
        assert_eq!(area.min, Some(0.0));
        assert!(matches!(
            path(root, &["project", "decision_date"]),
            Ty::Date
        ));
        assert!(matches!(
            path(root, &["project", "jurisdiction"]),
            Ty::Text(TextFormat::Jurisdiction)
        ));
        let Ty::Enum(kind) = path(root, &["project", "kind"]) else {
            panic!()
        };
        assert!(kind.index_of("park").is_some());
        assert_eq!(
            kind.by_description("公园绿地").map(|v| v.name.as_str()),
            Some("park")
        );
        assert_eq!(
            kind.by_description("公园").map(|v| v.name.as_str()),
            Some("park")
        );
        let Ty::Enum(kind) = path(root, &["facilities", "kind"]) else {
            panic!()
        };
        assert!(kind.index_of("play_area").is_some());
        let Ty::Number(places) = path(root, &["facilities", "places"]) else {
            panic!()
        };
        assert!(places.integer);
        assert_eq!(places.unit.map(|u| u.symbol), Some("places"));
    }

    /// `rules/types.bin` is the tree read out of this build's schema; `UPDATE_COMPILED=1`
    /// rewrites it. The decoded tree must encode to the same bytes, sharing included.
    #[test]
    fn the_compiled_types_are_current() {
        let built = project_type_from_schema();
        let expected = compiled::encode(&built, compiled::FINGERPRINT).expect("the tree encodes");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/types.bin");
        let strings = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/types.strings");
        if std::env::var_os("UPDATE_COMPILED").is_some() {
            std::fs::write(path, &expected.0).expect("rules/types.bin is writable");
            std::fs::write(strings, &expected.1).expect("rules/types.strings is writable");
            return;
        }
        assert!(
            compiled::COMPILED == expected.0.as_slice() && compiled::STRINGS == expected.1,
            "rules/types.bin or rules/types.strings is stale: run `UPDATE_COMPILED=1 cargo test --lib compiled`"
        );
        let decoded =
            compiled::decode(compiled::COMPILED, compiled::STRINGS, compiled::FINGERPRINT)
                .expect("the committed tree decodes");
        assert_eq!(
            compiled::encode(&decoded, compiled::FINGERPRINT).expect("the decoded tree encodes"),
            expected
        );
        assert!(Arc::ptr_eq(project_type(), project_type()));
        assert!(
            compiled::decode(compiled::COMPILED, compiled::STRINGS, "0000000000000000").is_none(),
            "another build's tree is declined"
        );
        let cut = &compiled::COMPILED[..compiled::COMPILED.len() - 1];
        assert!(
            compiled::decode(cut, compiled::STRINGS, compiled::FINGERPRINT).is_none(),
            "a cut-off tree is declined"
        );
    }

    /// A label is printed inside one line of a message: a doc comment's line break must not
    /// reach it (English did-you-mean printed `\u{a}` in AmendmentScope's values).
    fn one_line(doc: &Text, name: &str) {
        for text in [&doc.zh, &doc.en] {
            assert!(
                !text.chars().any(char::is_control),
                "{name}'s label has a control character: {text:?}"
            );
        }
    }

    #[test]
    fn multi_line_docs_become_one_line_labels() {
        let doc = split_doc(
            "局部调整,不涉及居住用地 / A partial amendment that changes neither\nresidential land nor land.",
        );
        assert_eq!(
            doc.en,
            "A partial amendment that changes neither residential land nor land"
        );
    }

    #[test]
    fn every_field_is_documented_in_both_languages() {
        fn visit(record: &RecordTy, seen: &mut Vec<String>) {
            if seen.contains(&record.name) {
                return;
            }
            seen.push(record.name.clone());
            for field in &record.fields {
                assert_ne!(
                    field.doc.zh, field.doc.en,
                    "{}.{} needs `中文 / English` docs",
                    record.name, field.name
                );
                one_line(&field.doc, &format!("{}.{}", record.name, field.name));
                let mut ty = &field.ty;
                while let Ty::List(item) = ty {
                    ty = item;
                }
                match ty {
                    Ty::Record(inner) => visit(inner, seen),
                    Ty::Enum(enumeration) => {
                        for variant in &enumeration.variants {
                            assert_ne!(
                                variant.doc.zh, variant.doc.en,
                                "{}::{} needs `中文 / English` docs",
                                enumeration.name, variant.name
                            );
                            one_line(
                                &variant.doc,
                                &format!("{}::{}", enumeration.name, variant.name),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        visit(project_type(), &mut Vec::new());
    }
}
