//! Rule packs and sources at the size limits, for the memory and time of `rules fmt`, `rules
//! lint`, `rules coverage` and `check --rules` (#12, harden11a). Deterministic: the same
//! arguments give the same bytes. Used by `tests/limits_memory.rs` at a small scale and by
//! `cargo run --release --example gen_pack` to measure by hand at the full one:
//!
//! ```text
//! cargo run --release --example gen_pack -- --out DIR [--rules 20000] [--text-bytes 7500000]
//! ```
//!
//! `DIR/sources/` is a sources manifest registering `gen-2024` (a text of numbered items, each a
//! few sentences); `DIR/pack/gen.yimi` is a pack of that many rules citing it (13 lines each:
//! id, title and English, domain, strength, cite, applies, require, at, message, advice, hint,
//! two tests), already in `rules fmt`'s layout, with its two fixtures;
//! `DIR/pack-unformatted/gen.yimi` is the same pack with every field indented by one space
//! instead of two (so `rules fmt --check` diffs nearly all of it); `DIR/note/gen.yimi` is a small pack
//! whose `not_checkable` note names sentences of the long text (`sentence "…"`), with
//! `DIR/note/project.yaml` a project it applies to.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The source id the generated packs cite.
pub const SOURCE: &str = "gen-2024";

/// The jurisdiction of the generated packs and project.
pub const JURISDICTION: &str = "CN/JL/Changchun";

/// The sentence of item `n` of the generated text that the rules cite.
fn cited(n: usize) -> String {
    format!("第{n}项应当设置儿童活动场地")
}

/// Item `n` of the text: its marker, a cited sentence and two more, about 180 bytes.
fn item(n: usize) -> String {
    format!(
        "{n}.{}。各区应当每年评估第{n}项措施的落实情况,并向社会公布。鼓励社会组织参与第{n}项儿童友好服务。\n",
        cited(n)
    )
}

/// The text of the source: a part heading and items up to about `bytes` bytes.
pub fn text(bytes: usize) -> String {
    let mut text = String::from("一、总则\n");
    let mut n = 1;
    while text.len() < bytes {
        text.push_str(&item(n));
        n += 1;
    }
    text
}

/// How many items a text of [`text`] has.
pub fn items(text: &str) -> usize {
    text.lines().count().saturating_sub(1)
}

/// The text of the source with `items` items.
pub fn text_of_items(items: usize) -> String {
    let mut text = String::from("一、总则\n");
    for n in 1..=items {
        text.push_str(&item(n));
    }
    text
}

/// Writes `dir/index.yaml` and `dir/gen.txt` (`text`, made by [`text`] or [`text_of_items`]).
///
/// # Errors
///
/// When a file cannot be written.
pub fn write_sources(dir: &Path, text: &str) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("gen.txt"), text)?;
    std::fs::write(
        dir.join("index.yaml"),
        format!(
            "- id: {SOURCE}\n  file: gen.txt\n  title: 生成的来源\n  issuer: 生成\n  date: 2024-01-01\n  jurisdiction: {JURISDICTION}\n  level: city\n  status: in_force\n  original: gen-original.txt\n  numbering: {{ part: cn-dun, item: arabic-dot }}\n"
        ),
    )
}

/// The header of a generated pack.
fn header(id: &str) -> String {
    format!(
        "pack {id} {{\n  source       {SOURCE}\n  jurisdiction {JURISDICTION}\n  version      \"1\"\n}}\n"
    )
}

/// Rule `i` of a pack (13 lines, about 415 bytes), citing item `item` of the text, in `rules
/// fmt`'s layout; or, `unformatted`, with every field indented by one space instead of two (the
/// same size less 11 bytes, and every line but its first and last in `rules fmt --check`'s
/// diff).
fn rule(i: usize, item: usize, unformatted: bool) -> String {
    let quote = cited(item);
    let area = 3000 + i % 5000;
    let lines = [
        format!("rule GEN-{i:05} \"场地{i}\" en \"Play {i}\" {{\n"),
        "  domain   space\n".to_owned(),
        "  strength shall\n".to_owned(),
        format!("  cite     {SOURCE} §{item} \"{quote}\"\n"),
        "  applies  project.kind == park\n".to_owned(),
        format!("  require  site.area_m2 >= {area} m2\n"),
        "  at       site.area_m2\n".to_owned(),
        format!("  message  \"不足{area} m2\" en \"under {area} m2\"\n"),
        "  advice   \"扩大面积\" en \"enlarge it\"\n".to_owned(),
        "  hint     \"填写面积\" en \"state it\"\n".to_owned(),
        "  test pass \"pass.yaml\"\n".to_owned(),
        "  test fail \"fail.yaml\"\n".to_owned(),
        "}\n".to_owned(),
    ];
    lines
        .iter()
        .map(|line| match line.strip_prefix("  ") {
            Some(field) if unformatted => format!(" {field}"),
            _ => line.clone(),
        })
        .collect()
}

/// A pack of `rules` rules citing the first `items` items of the text in turn, one blank line
/// between items as `rules fmt` writes them; `unformatted` as in [`rule`].
pub fn pack(rules: usize, items: usize, unformatted: bool) -> String {
    let mut pack = header("gen");
    for i in 0..rules {
        pack.push('\n');
        pack.push_str(&rule(i, 1 + i % items.max(1), unformatted));
    }
    pack
}

/// A project of the generated pack's jurisdiction: a park of `area` m².
pub fn project(area: u32) -> String {
    format!(
        "yimi: 1\nproject: {{id: P-1, name: 公园, kind: park, jurisdiction: {JURISDICTION}}}\nsite: {{area_m2: {area}}}\n"
    )
}

/// Writes the pack of `rules` rules with its fixtures into `dir`, as `gen.yimi`; `unformatted`
/// as in [`rule`]. The text of `items` items is the one it cites.
///
/// # Errors
///
/// When a file cannot be written.
pub fn write_pack(dir: &Path, rules: usize, items: usize, unformatted: bool) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("gen.yimi"), pack(rules, items, unformatted))?;
    std::fs::write(dir.join("pass.yaml"), project(100_000))?;
    std::fs::write(dir.join("fail.yaml"), project(100))
}

/// A pack with one rule and one note naming `sentences` sentences of the part `§一` (the whole
/// text), the last of them near the text's end, so that each is looked up in the whole text.
pub fn note_pack(items: usize, sentences: usize) -> String {
    let mut pack = header("gen-note");
    pack.push('\n');
    pack.push_str(&rule(0, 1, false));
    pack.push_str("\nnot_checkable §一");
    let sentences = sentences.clamp(1, items.max(1));
    for k in 0..sentences {
        // Spread over the text, the last one in its last item.
        let n = items - k * (items / sentences);
        let _ = write!(
            pack,
            "\n  sentence \"各区应当每年评估第{n}项措施的落实情况\""
        );
    }
    pack.push_str("\n  \"评估由政府开展,报审材料无从体现\"\n");
    pack
}

/// Writes the note pack ([`note_pack`]) with its fixtures and a project into `dir`.
///
/// # Errors
///
/// When a file cannot be written.
pub fn write_note_pack(dir: &Path, items: usize, sentences: usize) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("gen.yimi"), note_pack(items, sentences))?;
    std::fs::write(dir.join("pass.yaml"), project(100_000))?;
    std::fs::write(dir.join("fail.yaml"), project(100))?;
    std::fs::write(dir.join("project.yaml"), project(5000))
}
