//! The field-by-field reference of the project file, generated from the model so that the
//! documentation (`examples/README.md`) cannot drift from it: a test compares the two.

use crate::project::types::{RecordTy, Ty, project_type};

/// A Markdown table of every key of the project file: path, type, unit, meaning in both languages.
pub fn field_table() -> String {
    let mut out = String::from("| key | type | 含义 | meaning |\n|---|---|---|---|\n");
    rows(project_type(), "", &mut out);
    out
}

/// A Markdown table of every key of a waivers file (`check --waivers`), as [`field_table`] is
/// of a project file (newcomer review 16 N10: `waivers[].file` was in no reference).
pub fn waivers_field_table() -> String {
    let mut out = String::from("| key | type | 含义 | meaning |\n|---|---|---|---|\n");
    rows(crate::project::types::waivers_type(), "", &mut out);
    out
}

fn rows(record: &RecordTy, prefix: &str, out: &mut String) {
    for field in &record.fields {
        let path = format!("{prefix}{}", field.name);
        let required = if field.required { " (required)" } else { "" };
        out.push_str(&format!(
            "| `{path}`{required} | {} | {} | {} |\n",
            describe(&field.ty),
            field.doc.zh,
            field.doc.en
        ));
        match &field.ty {
            Ty::Record(inner) => rows(inner, &format!("{path}."), out),
            Ty::List(item) => {
                if let Ty::Record(inner) = item.as_ref() {
                    rows(inner, &format!("{path}[]."), out);
                }
            }
            _ => {}
        }
    }
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "`true` / `false`".into(),
        Ty::Number(number) => {
            let mut text = String::from(if number.integer {
                "whole number"
            } else {
                "number"
            });
            if let Some(unit) = number.unit {
                text.push_str(&format!(" in `{}`", unit.symbol));
            }
            if number.min == Some(0.0) {
                text.push_str(", ≥ 0");
            }
            text
        }
        Ty::Text(crate::project::types::TextFormat::Jurisdiction) => "jurisdiction path".into(),
        Ty::Text(_) => "text".into(),
        Ty::Date => "date `YYYY-MM-DD`".into(),
        Ty::Enum(enumeration) => {
            let names: Vec<String> = enumeration
                .variants
                .iter()
                .map(|variant| format!("`{}`", variant.name))
                .collect();
            format!("one of {}", names.join(" "))
        }
        Ty::List(item) => match item.as_ref() {
            Ty::Record(_) => "list of mappings".into(),
            other => format!("list of {}", describe(other)),
        },
        Ty::Record(_) => "mapping".into(),
    }
}
