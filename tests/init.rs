//! `yimi init` templates load cleanly for every kind, in both languages.

use yimi::base::i18n::Lang;
use yimi::project::{self, LoadLimits};

#[test]
fn every_template_loads_without_errors_or_warnings() {
    let kinds = yimi::authoring::template::kinds();
    assert!(kinds.len() >= 15, "{kinds:?}");
    for kind in kinds {
        for lang in [Lang::Zh, Lang::En] {
            let text = yimi::authoring::template::template(kind, lang).expect("a template");
            assert!(
                !text.contains("#?") && !text.contains("# ?"),
                "{kind}: a comment marker names no field:\n{text}"
            );
            let loaded =
                project::load_bytes("template.yaml", text.as_bytes(), LoadLimits::default())
                    .unwrap_or_else(|errors| {
                        panic!("the {kind} template does not load: {errors:#?}\n{text}")
                    });
            assert!(loaded.warnings.is_empty(), "{kind}: {:#?}", loaded.warnings);
            assert_eq!(loaded.enum_name(&["project", "kind"]), Some(kind));
        }
    }
}

#[test]
fn templates_leave_values_unstated_rather_than_zero() {
    let text = yimi::authoring::template::template("residential", Lang::Zh).expect("a template");
    let loaded =
        project::load_bytes("t.yaml", text.as_bytes(), LoadLimits::default()).expect("loads");
    assert_eq!(
        loaded.get(&["population", "residents"]),
        None,
        "an empty value is not stated, not zero"
    );
}

#[test]
fn unknown_kinds_have_no_template() {
    assert!(yimi::authoring::template::template("prak", Lang::Zh).is_none());
}
