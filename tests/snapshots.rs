//! Snapshots of every output format for the shipped examples and the input fixtures.
//! Review changes with `cargo insta review`; never accept them unread.

mod common;

use yimi::base::i18n::Lang;
use yimi::report::Format;

#[test]
fn examples_in_every_format() {
    insta::glob!("../examples", "*.yaml", |path| {
        let files = common::check(&[common::relative(path)]);
        insta::assert_snapshot!("human", common::render(Format::Human, &files, Lang::Zh));
        insta::assert_snapshot!("human_en", common::render(Format::Human, &files, Lang::En));
        insta::assert_snapshot!("plain", common::render(Format::Plain, &files, Lang::Zh));
        insta::assert_snapshot!("json", common::render(Format::Json, &files, Lang::En));
    });
}

#[test]
fn project_fixtures() {
    insta::glob!("fixtures/projects", "*.yaml", |path| {
        let files = common::check(&[common::relative(path)]);
        insta::assert_snapshot!("human", common::render(Format::Human, &files, Lang::Zh));
        insta::assert_snapshot!("plain_en", common::render(Format::Plain, &files, Lang::En));
    });
}

#[test]
fn rule_fixtures() {
    insta::glob!("fixtures/rules", "*.yimi", |path| {
        let options = yimi::rules::load::RuleOptions {
            paths: vec![common::relative(path)],
            ..Default::default()
        };
        let text = match yimi::rules::load::load(&options) {
            Ok(loaded) => format!(
                "loaded {} packs, {} rules; {} warnings\n",
                loaded.set.packs.len(),
                loaded.set.rules.len(),
                loaded.warnings.len()
            ),
            Err(errors) => common::render_diagnostics(&errors, Lang::Zh),
        };
        insta::assert_snapshot!("load", text);
    });
}

#[test]
fn report_formats_for_two_examples() {
    let files = common::check(&[
        std::path::PathBuf::from("examples/jl-changchun-residential.yaml"),
        std::path::PathBuf::from("examples/sh-huangpu-park.yaml"),
    ]);
    insta::assert_snapshot!(
        "two_examples_sarif",
        common::render(Format::Sarif, &files, Lang::Zh)
    );
    insta::assert_snapshot!(
        "two_examples_junit",
        common::render(Format::Junit, &files, Lang::Zh)
    );
    insta::assert_snapshot!(
        "two_examples_markdown",
        common::render(Format::Markdown, &files, Lang::Zh)
    );
    insta::assert_snapshot!(
        "two_examples_html",
        common::render(Format::Html, &files, Lang::En)
    );
}
